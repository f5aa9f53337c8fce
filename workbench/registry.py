"""The records a plugin contributes, and the `register` callbacks that accept them.

Plugins never build the contribution records (`Importer`, `Exporter`, ...) themselves: a hook receives a
`register(...)` callback, and the host turns each call into a record stamped with the owning plugin's name
(after validating it). That is how `workbench plugins` can say who contributed what, and how the host can
withdraw everything a plugin contributed when it fails.

The value types a plugin *does* build (`Term`, `WorkflowStep`, `Finding`, `TableData`, `ExportResult`) live
here too, so a plugin imports everything from one place (or from the `workbench` package root).

This module is imported by `workbench.plugins` and by plugins at start-up, so it imports nothing heavy:
`Project` is only named in type hints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    import argparse

    from workbench.core.content import Content
    from workbench.core.model import ImportedTranscript
    from workbench.core.project import Project

__all__ = [
    "VIEW_KINDS",
    "VOCABULARY_KINDS",
    "CaseAccess",
    "CaseRule",
    "CommandSpec",
    "ExportResult",
    "Exporter",
    "FidelityItem",
    "Finding",
    "FindingLevel",
    "Importer",
    "ProjectFormat",
    "ProjectRead",
    "RegisterCaseRule",
    "RegisterCommand",
    "RegisterExporter",
    "RegisterImporter",
    "RegisterProjectFormat",
    "RegisterTable",
    "RegisterValidator",
    "RegisterView",
    "RegisterVocabulary",
    "RegisterWorkflow",
    "TableData",
    "TableSpec",
    "Term",
    "Validator",
    "ViewKind",
    "ViewSpec",
    "Vocabulary",
    "VocabularyKind",
    "Workflow",
    "WorkflowStep",
]

ViewKind = Literal["screen", "margin"]
VocabularyKind = Literal["code-levels", "relations", "note-types", "memo-types"]
FindingLevel = Literal["info", "warning"]

#: The kinds a view can be: a whole TUI screen, or a margin column beside a transcript.
VIEW_KINDS: tuple[ViewKind, ...] = ("screen", "margin")
#: The vocabularies a method plugin can supply (METHODS.md 10.1, item 1).
VOCABULARY_KINDS: tuple[VocabularyKind, ...] = ("code-levels", "relations", "note-types", "memo-types")

ImportFunction = Callable[[Path, bytes], "ImportedTranscript"]
ExportFunction = Callable[["Project", Path, Mapping[str, str]], Sequence[Path]]
BuildTableFunction = Callable[["Project", Mapping[str, str]], "TableData"]
CheckFunction = Callable[["Project"], Iterable["Finding"]]
CaseRuleFunction = Callable[["Project"], Mapping[str, str]]
ReadProjectFunction = Callable[[Path], "ProjectRead"]


# --- values plugins build -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One entry of a method vocabulary: a code level, relation type, note type or memo type.

    `id` is what the store records (stable across renames of `label`); `glyph` is an optional one-character
    marker the TUI shows in margins and trees.
    """

    id: str
    label: str
    description: str = ""
    glyph: str = ""


@dataclass(frozen=True)
class WorkflowStep:
    """One step of a method's workflow (METHODS.md 10.1, item 2).

    `entry` and `exit` describe, in words the researcher reads, the conditions for starting and finishing the
    step (for example "case locked"); the workbench shows them but does not enforce them. A `skippable` step
    can be passed over with a memo saying why.
    """

    id: str
    title: str
    description: str = ""
    entry: str = ""
    exit: str = ""
    skippable: bool = True


@dataclass(frozen=True)
class Finding:
    """One non-blocking observation from a validator (METHODS.md 10.1, item 4).

    `entity` names what the finding is about (a code, a memo, ...) so the shells can jump to it. `validator`
    is filled in by the host with the validator's name; plugins leave it empty.
    """

    level: FindingLevel
    message: str
    entity: str = ""
    validator: str = ""

    def __post_init__(self) -> None:
        if self.level not in ("info", "warning"):
            raise ValueError(f"Finding level must be 'info' or 'warning', not {self.level!r}")


@dataclass(frozen=True)
class TableData:
    """A rectangular table of strings, as built by a registered table and printed by CLI and TUI alike.

    Cells are already formatted text so every shell shows the same thing; a row of the wrong width is a
    bug in the plugin that built it, reported when the table is built rather than when it is drawn.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = ""

    def __post_init__(self) -> None:
        width = len(self.columns)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(f"table {self.title!r}: row {number} has {len(row)} cells, expected {width}")


class ExportResult(list[Path]):
    """What an exporter may return instead of a plain list of paths: the paths written (it is a list of
    them), `report`, a JSON-ready mapping of what the export kept and left out, and `summary`, a few lines
    saying so to a person.

    ``workbench export`` prints `summary` after the paths it wrote and, with ``--json``, gives `report` as
    ``"fidelity"``; the terminal workbench shows `summary` when the export is done. The interop plugin's
    REFI-QDA exporters return their fidelity report (per element kind found, exported, converted,
    dropped, and every converted or dropped element with its reason) and its counts table.
    """

    report: Mapping[str, Any] | None
    summary: tuple[str, ...]

    def __init__(
        self,
        paths: Iterable[Path] = (),
        *,
        report: Mapping[str, Any] | None = None,
        summary: Sequence[str] = (),
    ) -> None:
        super().__init__(paths)
        self.report = report
        self.summary = tuple(summary)

    def __repr__(self) -> str:
        return (
            f"ExportResult({list(self)!r}, report={'...' if self.report else None}, summary={self.summary!r})"
        )


@dataclass(frozen=True)
class FidelityItem:
    """One element of another program's project that came in changed, or did not come in, and why.

    `element` is the fidelity report's element kind it is counted under (``"sources"``, ``"codes"``,
    ``"codings"``, ``"notes"``, ``"cases"``, ``"variables"``, ``"users"`` ...); `id` is the element's id in
    the file (a row id), `name` what a person recognises; `action` is ``"converted"`` or ``"dropped"``.
    """

    element: str
    id: str
    name: str
    action: Literal["converted", "dropped"]
    reason: str

    def __post_init__(self) -> None:
        if self.action not in ("converted", "dropped"):
            raise ValueError(f"FidelityItem action must be 'converted' or 'dropped', not {self.action!r}")


@dataclass(frozen=True)
class ProjectRead:
    """What a project format's `read(path)` found: the neutral `Content` and the account of it.

    `found` counts, per element kind, what the file holds (so ``found == imported + dropped`` can be
    reported); `items` names every element that was converted or left out; `notes` are general lines.
    `title` and `method` (``"gt"``, ``"ipa"``, ``"none"`` or empty) are used for a new project; `origin`
    names the program and version that wrote the file (``"QualCoder (database v12)"``).
    """

    content: Content
    title: str = ""
    origin: str = ""
    method: str = ""
    found: Mapping[str, int] = field(default_factory=dict)
    items: tuple[FidelityItem, ...] = ()
    notes: tuple[str, ...] = ()


class ReadAccount:
    """The account a project format keeps while it reads another program's file: what it found
    (`saw`), what came in changed (`convert`) or was left out (`drop`), and general `notes`; `result`
    turns it, with the `Content` read, into the `ProjectRead` the fidelity report is made from."""

    def __init__(self) -> None:
        self.items: list[FidelityItem] = []
        self.found: dict[str, int] = {}
        self.notes: list[str] = []

    def saw(self, element: str, count: int = 1) -> None:
        self.found[element] = self.found.get(element, 0) + count

    def drop(self, element: str, ident: object, name: str, reason: str) -> None:
        self.items.append(FidelityItem(element, str(ident), name, "dropped", reason))

    def convert(self, element: str, ident: object, name: str, reason: str) -> None:
        self.items.append(FidelityItem(element, str(ident), name, "converted", reason))

    def result(self, content: Content, *, title: str = "", origin: str = "", method: str = "") -> ProjectRead:
        return ProjectRead(
            content=content,
            title=title,
            origin=origin,
            method=method,
            found=dict(self.found),
            items=tuple(self.items),
            notes=tuple(self.notes),
        )


# --- records the host builds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Importer:
    """Turns the bytes of a transcript file into an `ImportedTranscript`.

    `extensions` are lower-case and start with "."; the host picks an importer by file name.
    """

    name: str
    extensions: tuple[str, ...]
    load: ImportFunction
    description: str
    plugin: str


@dataclass(frozen=True)
class ProjectFormat:
    """Reads another program's whole project (a file or a folder) into a `ProjectRead`.

    `extensions` are lower-case and start with "."; ``workbench import`` picks a format by the path's
    name (a folder's name counts: QualCoder projects are ``NAME.qda`` folders). `markers` are names of
    files that mark a folder as this format's project (qc's ``settings.yaml``, QualCoder's ``data.qda``):
    a folder no extension claims goes to the first format, in load order, with a marker inside it.
    """

    name: str
    extensions: tuple[str, ...]
    read: ReadProjectFunction
    description: str
    plugin: str
    markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exporter:
    """Writes part of a project to files; `export(project, destination, options)` returns paths written."""

    name: str
    extension: str
    export: ExportFunction
    description: str
    plugin: str


@dataclass(frozen=True)
class TableSpec:
    """A named table (codebook, PET table, saturation grid, ...) built from a project on demand.

    `build(project, options)` receives the user's ``KEY=VALUE`` options as strings (``case=P01``); a
    table that needs none ignores them, and one that is missing a required option raises `BadInputError`.
    """

    name: str
    title: str
    build: BuildTableFunction
    description: str
    plugin: str


@dataclass(frozen=True)
class CommandSpec:
    """A CLI subcommand: `configure` adds its arguments to a sub-parser, `run` returns the exit code."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    plugin: str


@dataclass(frozen=True)
class ViewSpec:
    """A TUI screen or transcript margin. `factory` builds the widget; the TUI decides what to pass it.

    `key` is an optional key binding that opens the screen; the TUI reports clashes rather than the host,
    because only the TUI knows its own bindings. `method`, when set, is the one method whose projects
    show the view (a GT margin has nothing to say beside an IPA transcript); None shows it in all.
    """

    name: str
    kind: ViewKind
    title: str
    factory: Callable[..., Any]
    key: str | None
    plugin: str
    method: str | None = None

    def shown_for(self, method: str) -> bool:
        return self.method is None or self.method == method


@dataclass(frozen=True)
class Vocabulary:
    """The terms of one vocabulary kind for one method (for example GT code levels)."""

    kind: VocabularyKind
    method: str
    terms: tuple[Term, ...]
    plugin: str


@dataclass(frozen=True)
class Workflow:
    """A method's ordered workflow steps."""

    method: str
    steps: tuple[WorkflowStep, ...]
    plugin: str


@dataclass(frozen=True)
class Validator:
    """A non-blocking check: `check(project)` yields `Finding`s and must not change the project."""

    name: str
    check: CheckFunction
    description: str
    plugin: str


@dataclass(frozen=True)
class CaseRule:
    """A method's rule on which participants' transcripts the core may show or auto-code now.

    `hidden(project)` and `locked(project)` each return participant id -> reason (either may be None) and
    must not change the project; `PluginHost.case_access` merges every active rule's answers.
    """

    name: str
    hidden: CaseRuleFunction | None
    locked: CaseRuleFunction | None
    description: str
    plugin: str


@dataclass(frozen=True)
class CaseAccess:
    """What every active case rule says about a project now, merged (the first rule's reason wins).

    `hidden` maps participant id -> why their transcripts are left out of corpus search, word frequencies
    and auto-coding (for example IPA bracketing); `locked` maps participant id -> why their transcripts
    may not be auto-coded (for example a locked IPA case). A participant in neither is unrestricted.
    """

    hidden: dict[str, str] = field(default_factory=dict)
    locked: dict[str, str] = field(default_factory=dict)


# --- the register callbacks, typed for plugin authors ----------------------------------------------------


class RegisterImporter(Protocol):
    """The `register` a `register_importers` hook receives."""

    def __call__(
        self, name: str, extensions: Sequence[str], load: ImportFunction, description: str = ""
    ) -> None: ...


class RegisterProjectFormat(Protocol):
    """The `register` a `register_project_formats` hook receives."""

    def __call__(
        self,
        name: str,
        extensions: Sequence[str],
        read: ReadProjectFunction,
        description: str = "",
        markers: Sequence[str] = (),
    ) -> None: ...


class RegisterExporter(Protocol):
    """The `register` a `register_exporters` hook receives."""

    def __call__(self, name: str, extension: str, export: ExportFunction, description: str = "") -> None: ...


class RegisterTable(Protocol):
    """The `register` a `register_tables` hook receives."""

    def __call__(self, name: str, title: str, build: BuildTableFunction, description: str = "") -> None: ...


class RegisterCommand(Protocol):
    """The `register` a `register_commands` hook receives."""

    def __call__(
        self,
        name: str,
        help: str,
        configure: Callable[[argparse.ArgumentParser], None],
        run: Callable[[argparse.Namespace], int],
    ) -> None: ...


class RegisterView(Protocol):
    """The `register` a `register_views` hook receives."""

    def __call__(
        self,
        name: str,
        kind: ViewKind,
        title: str,
        factory: Callable[..., Any],
        key: str | None = None,
        *,
        method: str | None = None,
    ) -> None: ...


class RegisterVocabulary(Protocol):
    """The `register` a `register_vocabularies` hook receives."""

    def __call__(self, kind: VocabularyKind, method: str, terms: Sequence[Term]) -> None: ...


class RegisterWorkflow(Protocol):
    """The `register` a `register_workflows` hook receives."""

    def __call__(self, method: str, steps: Sequence[WorkflowStep]) -> None: ...


class RegisterValidator(Protocol):
    """The `register` a `register_validators` hook receives."""

    def __call__(self, name: str, check: CheckFunction, description: str = "") -> None: ...


class RegisterCaseRule(Protocol):
    """The `register` a `register_case_rules` hook receives."""

    def __call__(
        self,
        name: str,
        hidden: CaseRuleFunction | None = None,
        locked: CaseRuleFunction | None = None,
        description: str = "",
    ) -> None: ...
