"""Every hook a workbench plugin can implement, with its arguments, return and moment of calling.

A plugin is a module (or any object) with functions decorated by `workbench.hookimpl` and named after the
hooks below. A plugin implements only the hooks it needs, and may accept fewer arguments than the spec
(pluggy passes arguments by name).

Two families of hooks:

* `register_*` hooks receive a `register(...)` callback. Calling it contributes one thing (an importer, a
  table, a vocabulary...). The host validates each call, stamps the contribution with the plugin's name, and
  records a problem with one contribution (a duplicate name, a missing "." on an extension) without
  disabling the plugin's other contributions. Each `register_*` hook is called once per plugin per host,
  lazily, the first time the workbench needs any contribution. Return values are ignored.
* `on_*` event hooks are notifications after the fact. They must not change the project and their return
  values are ignored.

Whatever a hook raises disables the plugin that raised it (all its contributions are withdrawn) with a
one-line message; other plugins are not affected. Hook wrappers (`wrapper=True`, `hookwrapper=True`) are
not supported because the host calls each plugin separately to isolate failures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from workbench.core.project import OperationEvent, Project
    from workbench.registry import (
        RegisterCaseRule,
        RegisterCommand,
        RegisterExporter,
        RegisterImporter,
        RegisterProjectFormat,
        RegisterTable,
        RegisterValidator,
        RegisterView,
        RegisterVocabulary,
        RegisterWorkflow,
    )

#: The pluggy project name; plugin entry points live in the group "workbench.plugins".
PROJECT_NAME = "workbench"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)


@hookspec
def register_importers(register: RegisterImporter) -> None:
    """Contribute importers that turn transcript files into text and turns.

    Called once per plugin, the first time the workbench needs the list of importers (for example when
    `workbench import` picks an importer by file extension).

    :param register: ``register(name, extensions, load, description="")``. ``name`` is the importer's
        unique name; ``extensions`` lists the file extensions it reads, each starting with "." (matched
        case-insensitively; the first plugin in load order wins a shared extension); ``load(path, data)``
        receives the file's path (for messages and sibling files) and its bytes, and returns an
        ``ImportedTranscript``; it raises ``BadInputError`` for a file it cannot read. ``description`` is
        shown by ``workbench plugins`` and in the import dialog.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def register_project_formats(register: RegisterProjectFormat) -> None:
    """Contribute readers of other programs' whole projects (QualCoder, Taguette ...) for importing.

    Called once per plugin, the first time the workbench needs the list of project formats (for example
    when ``workbench import DIR PATH`` picks a reader by the file's extension or the folder's marker
    file, or ``workbench formats`` lists them). REFI-QDA files and workbench archives are read by the
    interop plugin itself.

    :param register: ``register(name, extensions, read, description="", markers=())``. ``name`` is the
        format's unique name; ``extensions`` lists the extensions of the files (or folders) it reads,
        each starting with "." (matched case-insensitively; the longest match wins, then load order);
        ``markers`` lists names of files that mark a folder as one of its projects (``["settings.yaml"]``,
        ``["data.qda"]``; plain file names, matched exactly): a folder whose name no extension claims goes
        to the first format, in load order, holding one of its markers, and a folder no format claims is
        refused in one line naming the markers understood. A format that reads only folders may give
        ``extensions=[]`` with its ``markers``. ``read(path)`` receives the path as given (the folder
        itself, not its marker file) and returns a ``ProjectRead``: the neutral ``Content`` to add in one
        operation and the account of it (``found`` per element kind, a ``FidelityItem`` for every element
        converted or left out, ``notes``). It must only read the file, never change it, and raises
        ``BadInputError`` in one line for a file it refuses (corrupt, another program's, a newer schema):
        then nothing is written. ``description`` is shown by ``workbench formats``.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def register_exporters(register: RegisterExporter) -> None:
    """Contribute exporters that write a project, or part of it, to files (METHODS.md 10.1, item 5).

    Called once per plugin, the first time the workbench needs the list of exporters.

    :param register: ``register(name, extension, export, description="")``. ``name`` is the exporter's
        unique name (chosen by ``workbench export DIR NAME -o OUT [--option KEY=VALUE]``); ``extension``
        is the extension of the main file it writes, starting with "."; ``export(project, destination,
        options)`` writes to ``destination`` (the ``Path`` given as ``-o OUT``), reading the user's string
        ``options`` (``--format F`` arrives as the option ``format``), and returns the paths it wrote: a
        list of ``Path``, or an ``ExportResult`` (a list of the paths too) that also carries ``report``, a
        JSON-ready mapping of what the export kept and left out, and ``summary``, a few lines saying so
        to a person. ``workbench export`` prints the summary after the paths and gives the report as
        ``"fidelity"`` with ``--json``; the terminal workbench shows the summary when the export is done.
        ``description`` is shown in listings.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def register_tables(register: RegisterTable) -> None:
    """Contribute named tables (codebook, table of PETs, saturation grid, ...) built from a project.

    Called once per plugin, the first time the workbench needs the list of tables.

    :param register: ``register(name, title, build, description="")``. ``name`` is the table's unique
        name (used by ``workbench table NAME``); ``title`` is the heading people read;
        ``build(project, options)`` returns a ``TableData`` and must not change the project; ``options`` are
        the user's ``--option KEY=VALUE`` strings (a missing required one is a ``BadInputError``).
        ``description`` is shown in listings.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def register_commands(register: RegisterCommand) -> None:
    """Contribute CLI subcommands (``workbench NAME ...``).

    Called once per plugin while the CLI builds its argument parser, so keep it cheap: import heavy modules
    inside ``run``, not at plugin import.

    :param register: ``register(name, help, configure, run)``. ``name`` is the subcommand's unique name
        (it may not shadow a built-in command; the CLI rejects that); ``help`` is its one-line help;
        ``configure(parser)`` adds arguments to the subcommand's ``argparse.ArgumentParser``;
        ``run(args)`` receives the parsed ``argparse.Namespace`` and returns the process exit code.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def register_views(register: RegisterView) -> None:
    """Contribute TUI screens and transcript margins (METHODS.md 10.1, item 3).

    Called once per plugin, when the TUI starts. Only the TUI calls the factories, so a plugin can import
    Textual inside its factory without slowing down the CLI.

    :param register: ``register(name, kind, title, factory, key=None, *, method=None)``. ``name`` is the
        view's unique name; ``kind`` is ``"screen"`` (a whole screen) or ``"margin"`` (a column beside a
        transcript); ``title`` is what menus show; ``factory(...)`` builds the widget or screen from what
        the TUI passes (documented by the TUI for each kind); ``key`` is an optional key that opens the
        view; ``method`` limits a margin to projects of that method (a method plugin's margins are
        about its own objects).
    :returns: nothing; the return value is ignored.
    """


@hookspec
def register_vocabularies(register: RegisterVocabulary) -> None:
    """Contribute a method's vocabularies (METHODS.md 10.1, item 1): code levels, relations, note types.

    Called once per plugin, the first time the workbench needs a vocabulary (for example to offer code
    levels for the project's method).

    :param register: ``register(kind, method, terms)``. ``kind`` is one of ``"code-levels"``,
        ``"relations"``, ``"note-types"``, ``"memo-types"``; ``method`` names the method the terms belong to
        (for example ``"gt"`` or ``"ipa"``; one vocabulary per kind and method); ``terms`` is a sequence of
        ``Term(id, label, description="", glyph="")`` with unique, non-empty ids.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def register_workflows(register: RegisterWorkflow) -> None:
    """Contribute a method's workflow (METHODS.md 10.1, item 2): ordered steps with entry and exit conditions.

    Called once per plugin, the first time the workbench needs a workflow.

    :param register: ``register(method, steps)``. ``method`` names the method (one workflow per method);
        ``steps`` is a sequence of ``WorkflowStep(id, title, description="", entry="", exit="",
        skippable=True)`` with unique, non-empty ids, in the order the researcher meets them.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def register_validators(register: RegisterValidator) -> None:
    """Contribute non-blocking checks (METHODS.md 10.1, item 4), run by ``workbench check`` and the TUI.

    Called once per plugin, the first time the workbench needs the list of validators.

    :param register: ``register(name, check, description="")``. ``name`` is the validator's unique name;
        ``check(project)`` returns or yields ``Finding(level, message, entity="")`` objects (``level`` is
        ``"info"`` or ``"warning"``) and must not change the project; a check that raises disables its
        plugin. ``description`` says what it looks for.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def register_case_rules(register: RegisterCaseRule) -> None:
    """Contribute a method's rules on which participants' transcripts the core may search or auto-code now.

    The core cannot import method plugins, yet its corpus text search, word frequencies and auto-coding must
    follow method rules such as IPA bracketing (METHODS.md IPA-1b: while a case is open, other cases' work
    is hidden) and must not auto-code into a locked case. So it asks ``PluginHost.case_access(project)``,
    which calls every registered rule each time and merges the answers (the first reason wins per
    participant). Called once per plugin, the first time the workbench needs the list of case rules.

    :param register: ``register(name, hidden=None, locked=None, description="")``. ``name`` is the rule's
        unique name; ``hidden(project)`` returns a mapping of participant id to the reason that
        participant's transcripts are hidden from corpus search, word frequencies and auto-coding now
        (for example ``"bracketing: P01 is the open case"``); ``locked(project)`` returns a mapping of
        participant id to the reason their transcripts may not be auto-coded now (for example ``"case P03
        is locked (PETs complete)"``). Either may be None, not both; each must not change the project and
        should answer quickly, as it runs on every search. A rule that raises, or returns anything but a
        mapping of strings to strings, disables its plugin like any failure, and its answers are dropped.
        ``description`` says what the rule enforces.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def on_project_open(project: Project) -> None:
    """React to a project having been opened (or created), before the user does anything with it.

    Called once per open, after the project is loaded and its lock (if writable) is held.

    :param project: the open ``Project``; read from it, do not change it here.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def on_project_close(project: Project) -> None:
    """React to a project about to be closed, for example to flush a plugin's cache.

    Called once per close, while the project is still readable.

    :param project: the ``Project`` being closed; read from it, do not change it here.
    :returns: nothing; the return value is ignored.
    """


@hookspec
def on_operation(project: Project, event: OperationEvent) -> None:
    """React to an operation having been applied, undone or redone (for example to refresh a derived view).

    Called after each operation is durably recorded, in the process that applied it.

    :param project: the ``Project`` the operation was applied to.
    :param event: an ``OperationEvent`` with ``seq`` (journal sequence number), ``action`` (the operation
        name), ``entity`` (the id it touched), ``summary`` (one readable line) and ``undo`` (True when this
        event is an undo).
    :returns: nothing; the return value is ignored.
    """
