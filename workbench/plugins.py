"""The plugin host: finds plugins, isolates them from each other, and hands typed contributions to the shells.

Why this is more than `pluggy.PluginManager.load_setuptools_entrypoints` plus `pm.hook.X(...)`: neither
isolates failures. One plugin raising at import or inside a hook would stop start-up or abort the hook call
for every other plugin (Harlequin's issue #674 is this bug). So the host

* discovers plugins itself, in a fixed order: bundled entry points (distribution ``qual-workbench``), then
  other installed entry points in the group ``workbench.plugins``, then local ``.py`` files listed in a
  ``plugins.toml``;
* imports and registers each one inside its own ``try``; and
* calls hook implementations one plugin at a time, so an exception disables (unregisters) only the plugin
  that raised it, records a one-line message, and lets everything else carry on.

The CLI and TUI use only the typed facade (`PluginHost.importers()`, `.run_validators(project)`, ...); no
other module touches ``pm.hook``. Plugins are imported on first use of the host and their contributions are
collected once, on first access, so constructing a host is free.

``plugins.toml`` (all keys optional; paths are relative to the file; other tables are left for plugins)::

    [plugins]
    local = ["plugins/my_checks.py"]
    disabled = ["ipa"]

The file is the ``config_path`` argument if given, else ``$WORKBENCH_PLUGINS_TOML`` if set, else
``plugins.toml`` in the working directory if present. ``WORKBENCH_DISABLE_PLUGINS=a,b`` disables plugins
too. A disabled plugin is never imported.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import pluggy

from workbench import hookspecs
from workbench.core.errors import BadInputError, WorkbenchError
from workbench.core.model import ImportedTranscript
from workbench.registry import (
    VIEW_KINDS,
    VOCABULARY_KINDS,
    CaseAccess,
    CaseRule,
    CommandSpec,
    Exporter,
    ExportResult,
    Finding,
    Importer,
    ProjectFormat,
    ProjectRead,
    TableData,
    TableSpec,
    Term,
    Validator,
    ViewSpec,
    Vocabulary,
    VocabularyKind,
    Workflow,
    WorkflowStep,
)

if TYPE_CHECKING:
    import argparse

    from workbench.core.project import OperationEvent, Project
    from workbench.registry import ViewKind

__all__ = [
    "BUNDLED_DISTRIBUTION",
    "CONFIG_ENV",
    "CONFIG_FILENAME",
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "EVENT_HOOKS",
    "REGISTER_HOOKS",
    "SOURCES",
    "PluginFailure",
    "PluginHost",
    "PluginSource",
    "PluginStatus",
    "PluginsConfig",
    "read_plugins_toml",
]

log = logging.getLogger(__name__)
# Failures are logged with their traceback for whoever configures logging (the CLI's crash log); without a
# handler, Python's last-resort handler would print that traceback on stderr, which the CLI must never do.
log.addHandler(logging.NullHandler())

PluginSource = Literal["bundled", "installed", "local"]
PluginState = Literal["active", "disabled", "failed"]

ENTRY_POINT_GROUP = "workbench.plugins"
#: Entry points from this distribution are "bundled": they load first and win name clashes.
BUNDLED_DISTRIBUTION = "qual-workbench"
CONFIG_ENV = "WORKBENCH_PLUGINS_TOML"
DISABLE_ENV = "WORKBENCH_DISABLE_PLUGINS"
CONFIG_FILENAME = "plugins.toml"
SOURCES: tuple[PluginSource, ...] = ("bundled", "installed", "local")

#: The contribution hooks, in the order the host calls them for each plugin.
REGISTER_HOOKS: tuple[str, ...] = (
    "register_importers",
    "register_exporters",
    "register_tables",
    "register_commands",
    "register_views",
    "register_vocabularies",
    "register_workflows",
    "register_validators",
    "register_case_rules",
    "register_project_formats",
)
#: The notification hooks, fired through the `ProjectObserver` methods of `PluginHost`.
EVENT_HOOKS: tuple[str, ...] = ("on_project_open", "on_project_close", "on_operation")

# Names end up on command lines (`workbench export --format NAME`) and in project files.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_EXTENSION = re.compile(r"\.[a-z0-9][a-z0-9_.+-]*\Z")
_MAX_MESSAGE = 300

T = TypeVar("T")


class PluginFailure(WorkbenchError):
    """A plugin raised something other than a `WorkbenchError`; the host has disabled it.

    The original exception is the ``__cause__``, so a shell can log the traceback while showing one line.
    """


@dataclass(frozen=True)
class PluginStatus:
    """What ``workbench plugins`` shows for one plugin.

    ``error`` is empty for a healthy plugin; for a failed one it says what failed; for an active plugin it
    lists contributions that were refused (for example a duplicate importer name).
    """

    name: str
    version: str
    source: PluginSource
    status: PluginState
    error: str = ""

    def to_dict(self) -> dict[str, str]:
        """The JSON shape of ``workbench plugins --json``: keys name, version, source, status, error."""
        return {
            "name": self.name,
            "version": self.version,
            "source": self.source,
            "status": self.status,
            "error": self.error,
        }


@dataclass(frozen=True)
class PluginsConfig:
    """The parsed ``[plugins]`` table of a plugins.toml: local plugin files (absolute) and disabled names."""

    path: Path
    local: tuple[Path, ...] = ()
    disabled: frozenset[str] = frozenset()


def read_plugins_toml(path: Path) -> PluginsConfig:
    """Parse a plugins.toml, raising `BadInputError` (with the path) for anything that cannot be used.

    Unknown keys inside ``[plugins]`` are errors, so a typo such as ``disable = [...]`` is not silently
    ignored; other top-level tables are left alone for per-plugin settings.
    """
    import tomllib  # only needed when a plugins.toml exists

    where = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInputError("plugins.toml not found", where=where) from None
    except OSError as exc:
        raise BadInputError(f"cannot read plugins.toml: {exc.strerror or exc}", where=where) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadInputError("plugins.toml is not UTF-8 text", where=where) from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInputError(f"plugins.toml is not valid TOML: {exc}", where=where) from None
    section = data.get("plugins", {})
    if not isinstance(section, dict):
        raise BadInputError("'plugins' must be a table ([plugins])", where=where)
    unknown = sorted(set(section) - {"local", "disabled"})
    if unknown:
        raise BadInputError(
            f"unknown key(s) in [plugins]: {', '.join(unknown)} (expected: local, disabled)", where=where
        )
    local = _string_list(section.get("local", []), "local", "paths to .py files", where)
    disabled = _string_list(section.get("disabled", []), "disabled", "plugin names", where)
    base = path.parent
    return PluginsConfig(
        path=path,
        local=tuple(base / Path(entry).expanduser() for entry in local),
        disabled=frozenset(disabled),
    )


def _string_list(value: object, key: str, what: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise BadInputError(f"[plugins] {key} must be a list of non-empty strings ({what})", where=where)
    return [item.strip() for item in value]


def _one_line(exc: BaseException) -> str:
    """``Type: message`` on one line, short enough for a status column."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _normalise_distribution(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class _Contributions:
    """Everything one plugin registered (before merging), or the merged view of all active plugins."""

    importers: list[Importer] = field(default_factory=list)
    exporters: list[Exporter] = field(default_factory=list)
    tables: list[TableSpec] = field(default_factory=list)
    commands: list[CommandSpec] = field(default_factory=list)
    views: list[ViewSpec] = field(default_factory=list)
    vocabularies: list[Vocabulary] = field(default_factory=list)
    workflows: list[Workflow] = field(default_factory=list)
    validators: list[Validator] = field(default_factory=list)
    case_rules: list[CaseRule] = field(default_factory=list)
    project_formats: list[ProjectFormat] = field(default_factory=list)


@dataclass
class _Candidate:
    """A discovered plugin: enough to list it, and a way to import it."""

    name: str
    source: PluginSource
    version: str
    load: Callable[[], object]
    origin: str


@dataclass
class _Record:
    """The host's mutable record of one plugin."""

    name: str
    source: PluginSource
    version: str
    order: int
    status: PluginState
    error: str = ""
    obj: object = None
    contributions: _Contributions | None = None
    notes: list[str] = field(default_factory=list)


def _is_file(path: Path) -> bool:
    """Whether `path` is a file; False when it cannot be looked at (an unreadable folder, say)."""
    try:
        return path.is_file()
    except OSError:
        return False


class _Registrar:
    """The ``register`` callbacks handed to one plugin's register hooks.

    Each method validates one contribution and either appends a record stamped with the plugin's name or
    records a note saying why it was refused. It never raises, so one bad contribution costs only itself.
    Calls after the hook has returned are refused: contributions are collected once.
    """

    def __init__(self, plugin: str, into: _Contributions, notes: list[str]) -> None:
        self.plugin = plugin
        self.into = into
        self.notes = notes
        self.hook = ""
        self.open = False

    def _refuse(self, what: str, reason: str) -> None:
        self.notes.append(f"{self.hook or 'register'}: {what} refused: {reason}")

    def _check_common(self, what: str, name: object, **callables: object) -> bool:
        if not self.open:
            self._refuse(what, f"register was called after {self.hook or 'the hook'} returned")
            return False
        if not isinstance(name, str) or not _NAME.match(name):
            self._refuse(what, "the name must be a non-empty word of letters, digits, '_', '.', '-'")
            return False
        for argument, value in callables.items():
            if not callable(value):
                self._refuse(what, f"{argument} must be callable, not {type(value).__name__}")
                return False
        return True

    def _check_strings(self, what: str, **values: object) -> bool:
        for argument, value in values.items():
            if not isinstance(value, str):
                self._refuse(what, f"{argument} must be a string, not {type(value).__name__}")
                return False
        return True

    def importer(
        self,
        name: str,
        extensions: Sequence[str],
        load: Callable[[Path, bytes], ImportedTranscript],
        description: str = "",
    ) -> None:
        what = f"importer {name!r}"
        if not self._check_common(what, name, load=load) or not self._check_strings(
            what, description=description
        ):
            return
        cleaned = self._extensions(what, extensions)
        if cleaned is not None:
            self.into.importers.append(Importer(name, cleaned, load, description, self.plugin))

    def project_format(
        self,
        name: str,
        extensions: Sequence[str],
        read: Callable[[Path], ProjectRead],
        description: str = "",
        markers: Sequence[str] = (),
    ) -> None:
        what = f"project format {name!r}"
        if not self._check_common(what, name, read=read) or not self._check_strings(
            what, description=description
        ):
            return
        marks = self._markers(what, markers)
        if marks is None:
            return
        only_folders = marks and isinstance(extensions, Sequence) and len(extensions) == 0
        cleaned = () if only_folders else self._extensions(what, extensions)  # () only with markers
        if cleaned is not None:
            self.into.project_formats.append(
                ProjectFormat(name, cleaned, read, description, self.plugin, marks)
            )

    def _markers(self, what: str, markers: object) -> tuple[str, ...] | None:
        """File names (no folders, no path separators) that mark a project folder, without repeats."""
        if isinstance(markers, str) or not isinstance(markers, Sequence):
            self._refuse(what, "markers must be a list of file names such as ['settings.yaml']")
            return None
        cleaned: list[str] = []
        for marker in markers:
            if (
                not isinstance(marker, str)
                or marker.strip() != marker
                or marker in ("", ".", "..")
                or any(c in marker for c in "/\\\0")
            ):
                self._refuse(what, f"marker {marker!r} must be a file name such as 'settings.yaml'")
                return None
            if marker not in cleaned:
                cleaned.append(marker)
        return tuple(cleaned)

    def _extensions(self, what: str, extensions: object) -> tuple[str, ...] | None:
        """A non-empty list of extensions, each starting with '.', lower-cased and without repeats."""
        if isinstance(extensions, str) or not isinstance(extensions, Sequence) or not extensions:
            self._refuse(what, "extensions must be a non-empty list such as ['.txt']")
            return None
        cleaned: list[str] = []
        for extension in extensions:
            lowered = extension.lower() if isinstance(extension, str) else ""
            if not _EXTENSION.match(lowered):
                self._refuse(what, f"extension {extension!r} must start with '.' (for example '.txt')")
                return None
            if lowered not in cleaned:
                cleaned.append(lowered)
        return tuple(cleaned)

    def exporter(
        self,
        name: str,
        extension: str,
        export: Callable[[Project, Path, Mapping[str, str]], Sequence[Path]],
        description: str = "",
    ) -> None:
        what = f"exporter {name!r}"
        if not self._check_common(what, name, export=export) or not self._check_strings(
            what, extension=extension, description=description
        ):
            return
        if not _EXTENSION.match(extension.lower()):
            self._refuse(what, f"extension {extension!r} must start with '.' (for example '.csv')")
            return
        self.into.exporters.append(Exporter(name, extension.lower(), export, description, self.plugin))

    def table(
        self,
        name: str,
        title: str,
        build: Callable[[Project, Mapping[str, str]], TableData],
        description: str = "",
    ) -> None:
        what = f"table {name!r}"
        if self._check_common(what, name, build=build) and self._check_strings(
            what, title=title, description=description
        ):
            self.into.tables.append(TableSpec(name, title, build, description, self.plugin))

    def command(
        self,
        name: str,
        help: str,
        configure: Callable[[argparse.ArgumentParser], None],
        run: Callable[[argparse.Namespace], int],
    ) -> None:
        what = f"command {name!r}"
        if self._check_common(what, name, configure=configure, run=run) and self._check_strings(
            what, help=help
        ):
            self.into.commands.append(CommandSpec(name, help, configure, run, self.plugin))

    def view(
        self,
        name: str,
        kind: ViewKind,
        title: str,
        factory: Callable[..., Any],
        key: str | None = None,
        *,
        method: str | None = None,
    ) -> None:
        what = f"view {name!r}"
        if not self._check_common(what, name, factory=factory) or not self._check_strings(what, title=title):
            return
        if kind not in VIEW_KINDS:
            self._refuse(what, f"kind must be one of {', '.join(VIEW_KINDS)}, not {kind!r}")
            return
        if key is not None and (not isinstance(key, str) or not key.strip()):
            self._refuse(what, "key must be None or a key name such as 'f5'")
            return
        if method is not None and (not isinstance(method, str) or not method.strip()):
            self._refuse(what, "method must be None or a method name such as 'gt'")
            return
        self.into.views.append(ViewSpec(name, kind, title, factory, key, self.plugin, method))

    def vocabulary(self, kind: VocabularyKind, method: str, terms: Sequence[Term]) -> None:
        what = f"vocabulary {kind!r} for method {method!r}"
        if not self._check_common(what, method):
            return
        if kind not in VOCABULARY_KINDS:
            self._refuse(what, f"kind must be one of {', '.join(VOCABULARY_KINDS)}")
            return
        checked = self._unique_items(what, terms, Term, "Term")
        if checked is not None:
            self.into.vocabularies.append(Vocabulary(kind, method, checked, self.plugin))

    def workflow(self, method: str, steps: Sequence[WorkflowStep]) -> None:
        what = f"workflow for method {method!r}"
        if not self._check_common(what, method):
            return
        checked = self._unique_items(what, steps, WorkflowStep, "WorkflowStep")
        if checked is not None:
            self.into.workflows.append(Workflow(method, checked, self.plugin))

    def validator(
        self, name: str, check: Callable[[Project], Iterable[Finding]], description: str = ""
    ) -> None:
        what = f"validator {name!r}"
        if self._check_common(what, name, check=check) and self._check_strings(what, description=description):
            self.into.validators.append(Validator(name, check, description, self.plugin))

    def case_rule(
        self,
        name: str,
        hidden: Callable[[Project], Mapping[str, str]] | None = None,
        locked: Callable[[Project], Mapping[str, str]] | None = None,
        description: str = "",
    ) -> None:
        what = f"case rule {name!r}"
        if not self._check_common(what, name) or not self._check_strings(what, description=description):
            return
        for argument, value in (("hidden", hidden), ("locked", locked)):
            if value is not None and not callable(value):
                self._refuse(what, f"{argument} must be None or callable, not {type(value).__name__}")
                return
        if hidden is None and locked is None:
            self._refuse(what, "give hidden, locked or both")
            return
        self.into.case_rules.append(CaseRule(name, hidden, locked, description, self.plugin))

    def _unique_items(
        self, what: str, items: object, kind: type[Term] | type[WorkflowStep], label: str
    ) -> tuple[Any, ...] | None:
        """Terms and steps: a non-empty sequence of `kind` with unique, non-empty string ids."""
        if isinstance(items, str) or not isinstance(items, Sequence) or not items:
            self._refuse(what, f"expected a non-empty list of {label}")
            return None
        seen: set[str] = set()
        for item in items:
            if not isinstance(item, kind):
                self._refuse(what, f"expected {label} items, got {type(item).__name__}")
                return None
            if not isinstance(item.id, str) or not item.id.strip():
                self._refuse(what, f"every {label} needs a non-empty id")
                return None
            if item.id in seen:
                self._refuse(what, f"{label} id {item.id!r} appears twice")
                return None
            seen.add(item.id)
        return tuple(items)

    def callback_for(self, hook: str) -> Callable[..., None]:
        """The ``register`` callback for one register hook."""
        callbacks: dict[str, Callable[..., None]] = {
            "register_importers": self.importer,
            "register_exporters": self.exporter,
            "register_tables": self.table,
            "register_commands": self.command,
            "register_views": self.view,
            "register_vocabularies": self.vocabulary,
            "register_workflows": self.workflow,
            "register_validators": self.validator,
            "register_case_rules": self.case_rule,
            "register_project_formats": self.project_format,
        }
        return callbacks[hook]


# (attribute of _Contributions, hook, key that must be unique, how to name one in a message)
_MERGE_RULES: tuple[tuple[str, str, Callable[[Any], object], Callable[[Any], str]], ...] = (
    ("importers", "register_importers", lambda i: i.name, lambda i: f"importer {i.name!r}"),
    ("exporters", "register_exporters", lambda e: e.name, lambda e: f"exporter {e.name!r}"),
    ("tables", "register_tables", lambda t: t.name, lambda t: f"table {t.name!r}"),
    ("commands", "register_commands", lambda c: c.name, lambda c: f"command {c.name!r}"),
    ("views", "register_views", lambda v: v.name, lambda v: f"view {v.name!r}"),
    (
        "vocabularies",
        "register_vocabularies",
        lambda v: (v.kind, v.method),
        lambda v: f"vocabulary {v.kind!r} for method {v.method!r}",
    ),
    ("workflows", "register_workflows", lambda w: w.method, lambda w: f"workflow for method {w.method!r}"),
    ("validators", "register_validators", lambda v: v.name, lambda v: f"validator {v.name!r}"),
    ("case_rules", "register_case_rules", lambda r: r.name, lambda r: f"case rule {r.name!r}"),
    (
        "project_formats",
        "register_project_formats",
        lambda f: f.name,
        lambda f: f"project format {f.name!r}",
    ),
)


def _merge(records: Sequence[_Record]) -> tuple[_Contributions, dict[str, list[str]]]:
    """Combine active plugins' contributions in load order; the first claimant of a name keeps it.

    Returns the merged contributions and, per plugin, notes on what it lost to an earlier claimant.
    """
    merged = _Contributions()
    notes: dict[str, list[str]] = {}
    for attribute, hook, key, label in _MERGE_RULES:
        target: list[Any] = getattr(merged, attribute)
        owners: dict[object, str] = {}
        for record in records:
            assert record.contributions is not None
            for item in getattr(record.contributions, attribute):
                owner = owners.get(key(item))
                if owner is None:
                    owners[key(item)] = record.name
                    target.append(item)
                else:
                    reason = (
                        "this plugin registered it twice"
                        if owner == record.name
                        else f"already registered by plugin {owner!r}"
                    )
                    notes.setdefault(record.name, []).append(f"{hook}: {label(item)} refused: {reason}")
    merged.views = _unclash_view_keys(merged.views, notes)
    return merged, notes


def _unclash_view_keys(views: Sequence[ViewSpec], notes: dict[str, list[str]]) -> list[ViewSpec]:
    """A key opens one view: a later plugin's view keeps working, from the command palette, without it.

    The TUI still refuses keys its own bindings hold (only it knows them); keys two plugins both ask for
    are settled here, in load order like every other name, with a note naming both plugins.
    """
    owners: dict[str, ViewSpec] = {}
    kept: list[ViewSpec] = []
    for view in views:
        owner = owners.get(view.key) if view.key else None
        if view.key and owner is None:
            owners[view.key] = view
        elif view.key and owner is not None:
            holder = "this plugin" if owner.plugin == view.plugin else f"plugin {owner.plugin!r}"
            notes.setdefault(view.plugin, []).append(
                f"register_views: key {view.key!r} for view {view.name!r} refused: {holder} already binds it "
                f"to view {owner.name!r}; open {view.title!r} from the command palette"
            )
            view = replace(view, key=None)
        kept.append(view)
    return kept


class PluginHost:
    """Loads plugins with per-plugin isolation and offers their contributions through typed methods.

    It also implements the core's ``ProjectObserver`` protocol (``project_opened``, ``project_closing``,
    ``operation_applied``), so passing it as ``Project.open(..., observer=host)`` fires the event hooks.

    :param config_path: a plugins.toml to use, overriding ``$WORKBENCH_PLUGINS_TOML`` and the working
        directory.
    :param environ: where to read ``WORKBENCH_PLUGINS_TOML`` and ``WORKBENCH_DISABLE_PLUGINS``; defaults to
        ``os.environ``. Pass ``{}`` to ignore both (tests do).
    :param cwd: the directory searched for ``plugins.toml``; defaults to the process's working directory.
    :param discover_config: when False, only ``config_path`` is read (no environment, no working directory).
    :param sources: which kinds of plugin to load; ``("bundled",)`` gives the built-in behaviour only.
    :param disabled: more plugin names to disable, on top of the environment and plugins.toml.
    :param on_error: called with each one-line error as it happens (a plugin failing mid-session, a refused
        contribution), so the CLI can print it on stderr and the TUI can show a notification. Every message
        is also kept in `errors`.
    """

    def __init__(
        self,
        *,
        config_path: Path | None = None,
        environ: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        discover_config: bool = True,
        sources: Collection[PluginSource] = SOURCES,
        disabled: Iterable[str] = (),
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        unknown = set(sources) - set(SOURCES)
        if unknown:
            raise ValueError(f"unknown plugin sources: {sorted(unknown)}")
        self._config_path = config_path
        self._environ: Mapping[str, str] = os.environ if environ is None else environ
        self._cwd = cwd
        self._discover_config = discover_config
        self._sources = frozenset(sources)
        self._extra_disabled = frozenset(disabled)
        self._on_error = on_error
        self._lock = threading.RLock()
        self._pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self._pm.add_hookspecs(hookspecs)
        self._records: dict[str, _Record] = {}
        self._loaded = False
        self._merged: _Contributions | None = None
        self._merge_notes: dict[str, list[str]] = {}
        self._config_errors: list[str] = []
        self._emitted: set[str] = set()
        self._config: PluginsConfig | None = None

    # --- discovery and loading ------------------------------------------------------------------------

    @property
    def config(self) -> PluginsConfig | None:
        """The plugins.toml in use, or None if there is none (or it could not be read: see `errors`)."""
        self.load()
        return self._config

    def config_file(self) -> Path | None:
        """Which plugins.toml applies, without reading it: argument, then environment, then working dir."""
        if self._config_path is not None:
            return self._config_path
        if not self._discover_config:
            return None
        from_env = self._environ.get(CONFIG_ENV, "").strip()
        if from_env:
            return Path(from_env).expanduser()
        try:
            candidate = (self._cwd or Path.cwd()) / CONFIG_FILENAME
            return candidate if candidate.is_file() else None
        except OSError:  # the working directory was deleted under us
            return None

    def load(self) -> None:
        """Import and register every plugin, once. Called implicitly by every other public method."""
        with self._lock:
            if self._loaded:
                return
            self._loaded = True
            config_file = self.config_file()
            if config_file is not None:
                try:
                    self._config = read_plugins_toml(config_file)
                except BadInputError as exc:
                    # Not fatal: the bundled and installed plugins still work without the local ones.
                    self._config_errors.append(f"{exc} (local plugins from it are not loaded)")
                    self._emit(self._config_errors[-1])
            disabled = set(self._extra_disabled)
            disabled.update(n.strip() for n in self._environ.get(DISABLE_ENV, "").split(",") if n.strip())
            if self._config is not None:
                disabled.update(self._config.disabled)
            for candidate in self._discover():
                self._admit(candidate, disabled)

    def _discover(self) -> Iterator[_Candidate]:
        """Candidates in load order: bundled, then installed (by name), then local files (as listed)."""
        bundled: list[_Candidate] = []
        installed: list[_Candidate] = []
        if self._sources & {"bundled", "installed"}:
            from importlib import metadata  # ~30 ms; only paid when plugins are actually loaded

            for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
                dist = entry_point.dist
                dist_name = _normalise_distribution(dist.name) if dist is not None else ""
                source: PluginSource = "bundled" if dist_name == BUNDLED_DISTRIBUTION else "installed"
                if source not in self._sources:
                    continue
                candidate = _Candidate(
                    name=entry_point.name,
                    source=source,
                    version=dist.version if dist is not None else "",
                    load=entry_point.load,
                    origin=f"{entry_point.value} ({dist.name if dist is not None else 'no distribution'})",
                )
                (bundled if source == "bundled" else installed).append(candidate)
        yield from bundled
        yield from sorted(installed, key=lambda c: (c.name, c.origin))
        if "local" in self._sources and self._config is not None:
            for path in self._config.local:
                yield _Candidate(
                    name=path.stem,
                    source="local",
                    version="",
                    load=functools.partial(_import_local, path),
                    origin=str(path),
                )

    def _admit(self, candidate: _Candidate, disabled: Collection[str]) -> _Record | None:
        """Import and register one candidate; whatever goes wrong is recorded against it alone."""
        existing = self._records.get(candidate.name)
        if existing is not None:
            # Two records cannot share a name, so this is a host-level error rather than a status.
            message = (
                f"plugin {candidate.name!r} from {candidate.origin} ignored: "
                f"a {existing.source} plugin already has that name"
            )
            self._config_errors.append(message)
            self._emit(message)
            return None
        record = _Record(
            name=candidate.name,
            source=candidate.source,
            version=candidate.version,
            order=len(self._records),
            status="active",
        )
        self._records[record.name] = record
        if candidate.name in disabled:
            record.status = "disabled"
            return record
        try:
            obj = candidate.load()
        except Exception as exc:
            self._fail(record, "import", exc)
            return record
        if candidate.source == "local":
            version = getattr(obj, "__version__", "")
            record.version = version if isinstance(version, str) else ""
        self._register_object(record, obj)
        return record

    def _register_object(self, record: _Record, obj: object) -> None:
        try:
            self._pm.register(obj, name=record.name)
            record.obj = obj
            self._check_hooks(record)
        except Exception as exc:
            self._fail(record, "registration", exc)

    def _check_hooks(self, record: _Record) -> None:
        """Refuse hook names that match no spec (usually typos) and wrappers, which the host cannot honour."""
        for caller in self._pm.get_hookcallers(record.obj) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin_name != record.name:
                    continue
                if not caller.has_spec() and not impl.optionalhook:
                    raise pluggy.PluginValidationError(record.obj, f"unknown hook {caller.name!r}")
                if impl.wrapper or impl.hookwrapper:
                    raise pluggy.PluginValidationError(
                        record.obj, f"hook wrappers are not supported ({caller.name!r})"
                    )

    def register_plugin(self, obj: object, name: str, source: PluginSource = "local") -> PluginStatus:
        """Add a plugin object after discovery (tests, embedding), last in load order.

        Raises `BadInputError` if the name is taken. A plugin that fails validation is recorded as failed
        and its status returned, exactly as if it had been discovered.
        """
        with self._lock:
            self.load()
            if name in self._records:
                raise BadInputError(f"a plugin named {name!r} is already loaded")
            record = _Record(name=name, source=source, version="", order=len(self._records), status="active")
            self._records[name] = record
            version = getattr(obj, "__version__", "")
            record.version = version if isinstance(version, str) else ""
            self._register_object(record, obj)
            self._merged = None
            return self._status(record)

    def unregister_plugin(self, name: str) -> None:
        """Forget a plugin entirely (the counterpart of `register_plugin`, for test teardown)."""
        with self._lock:
            record = self._records.pop(name, None)
            if record is not None and self._pm.get_plugin(name) is not None:
                self._pm.unregister(name=name)
            self._merged = None

    # --- failures ---------------------------------------------------------------------------------------

    def _emit(self, message: str) -> None:
        if message in self._emitted:
            return
        self._emitted.add(message)
        if self._on_error is not None:
            try:
                self._on_error(message)
            except Exception:  # a broken reporter must not turn a plugin failure into a crash
                log.exception("on_error callback failed")

    def _fail(self, record: _Record, stage: str, exc: BaseException) -> None:
        """Disable a plugin: unregister its hooks, withdraw its contributions, record one line."""
        with self._lock:
            log.error("plugin %r failed at %s", record.name, stage, exc_info=exc)
            record.status = "failed"
            record.error = f"{stage} failed: {_one_line(exc)}"
            if self._pm.get_plugin(record.name) is not None:
                self._pm.unregister(name=record.name)
            self._merged = None  # its contributions leave; names it held go to the next claimant
            self._emit(f"plugin {record.name!r} disabled: {record.error}")

    @contextmanager
    def guard(self, plugin: str, action: str) -> Iterator[None]:
        """Run a contribution's callable (``importer.load``, ``exporter.export``, ``table.build``, ...).

        A `WorkbenchError` passes through unchanged: it is the plugin telling the user something (a bad
        file, say). Any other exception is a plugin bug: the plugin is disabled and `PluginFailure` is raised
        instead, naming the plugin, with the original exception as its cause::

            with host.guard(importer.plugin, f"importing {path.name}"):
                transcript = importer.load(path, data)
        """
        try:
            yield
        except WorkbenchError:
            raise
        except Exception as exc:
            raise self._plugin_bug(plugin, action, exc) from exc

    def plugin_failed(self, plugin: str, action: str, exc: Exception) -> PluginFailure:
        """For shells that catch a plugin's exception themselves (the TUI's screens): disable the plugin
        and return the `PluginFailure` describing it."""
        return self._plugin_bug(plugin, action, exc)

    def _plugin_bug(self, plugin: str, action: str, exc: Exception) -> PluginFailure:
        """Disable ``plugin`` for ``exc`` and return the `PluginFailure` to raise in its place."""
        record = self._records.get(plugin)
        if record is not None:
            self._fail(record, action, exc)
        failure = PluginFailure(
            f"plugin {plugin!r} failed while {action} and has been disabled: {_one_line(exc)}"
        )
        failure.__cause__ = exc
        return failure

    # --- status -----------------------------------------------------------------------------------------

    def _status(self, record: _Record) -> PluginStatus:
        error = record.error
        if record.status == "active":
            error = "; ".join([*record.notes, *self._merge_notes.get(record.name, [])])
        return PluginStatus(record.name, record.version, record.source, record.status, error)

    def statuses(self) -> list[PluginStatus]:
        """Every plugin found, in load order, including disabled and failed ones."""
        self._contributions()
        with self._lock:
            return [self._status(record) for record in self._ordered()]

    def to_json(self) -> list[dict[str, str]]:
        """`statuses()` as JSON-ready dicts (keys name, version, source, status, error), for ``--json``."""
        return [status.to_dict() for status in self.statuses()]

    @property
    def errors(self) -> list[str]:
        """Every problem so far, one line each: plugins.toml, failed plugins, refused contributions.

        Disabled plugins are not errors. The list grows if a plugin fails later (inside an event hook, a
        validator, a case rule or a `guard`), so shells that care use ``on_error`` as well.
        """
        self._contributions()
        with self._lock:
            lines = list(self._config_errors)
            for record in self._ordered():
                if record.status == "failed":
                    lines.append(f"plugin {record.name!r} disabled: {record.error}")
                elif record.status == "active":
                    for note in [*record.notes, *self._merge_notes.get(record.name, [])]:
                        lines.append(f"plugin {record.name!r}: {note}")
            return lines

    def _ordered(self) -> list[_Record]:
        return sorted(self._records.values(), key=lambda r: r.order)

    # --- collecting contributions -----------------------------------------------------------------------

    def _impls(self, hook: str) -> list[pluggy.HookImpl]:
        """A hook's implementations in plugin load order (pluggy's own order is last-registered-first)."""
        caller = cast(pluggy.HookCaller, getattr(self._pm.hook, hook))
        impls = [impl for impl in caller.get_hookimpls() if impl.plugin_name in self._records]
        return sorted(impls, key=lambda impl: self._records[impl.plugin_name].order)

    def _contributions(self) -> _Contributions:
        """Collect from every active plugin not yet asked (once each), then merge; cached until a change."""
        self.load()
        with self._lock:
            for record in self._ordered():
                if record.status == "active" and record.contributions is None:
                    self._collect(record)
            if self._merged is None:
                active = [r for r in self._ordered() if r.status == "active"]
                self._merged, self._merge_notes = _merge(active)
                for record in active:
                    for note in [*record.notes, *self._merge_notes.get(record.name, [])]:
                        self._emit(f"plugin {record.name!r}: {note}")
            return self._merged

    def _collect(self, record: _Record) -> None:
        contributions = _Contributions()
        notes: list[str] = []
        registrar = _Registrar(record.name, contributions, notes)
        for hook in REGISTER_HOOKS:
            for impl in self._impls(hook):
                if impl.plugin_name != record.name:
                    continue
                registrar.hook, registrar.open = hook, True
                try:
                    _call(impl, {"register": registrar.callback_for(hook)})
                except Exception as exc:
                    self._fail(record, hook, exc)
                    return
                finally:
                    registrar.open = False
        record.contributions = contributions
        record.notes = notes
        self._merged = None

    # --- the typed facade -------------------------------------------------------------------------------

    def importers(self) -> list[Importer]:
        """Importers of active plugins, in load order."""
        return list(self._contributions().importers)

    def importer_for(self, path: Path, data: bytes | None = None) -> Importer:
        """The importer for a file, by its content when ``data`` shows a known format, else by its extension
        (case-insensitive; the longest matching extension wins, then load order). Raises `BadInputError`
        naming the supported extensions if none fits.

        Content wins because transcripts get renamed: a Teams ``.vtt`` saved as ``.txt`` or a Word file
        without its extension must still go to the importer that can read it."""
        sniffed = sniff_extension(data) if data is not None else None
        if sniffed is not None and not path.name.lower().endswith(sniffed):
            for importer in self.importers():
                if sniffed in importer.extensions:
                    return importer
        file_name = path.name.lower()
        best: Importer | None = None
        best_length = 0
        importers = self.importers()
        for importer in importers:
            for extension in importer.extensions:
                if file_name.endswith(extension) and len(extension) > best_length:
                    best, best_length = importer, len(extension)
        if best is not None:
            return best
        supported = sorted({extension for importer in importers for extension in importer.extensions})
        if not supported:
            raise BadInputError("no importers are available (see `workbench plugins`)", where=str(path))
        kind = f"'{path.suffix}' files" if path.suffix else "files without an extension"
        raise BadInputError(
            f"no importer reads {kind}; supported extensions: {', '.join(supported)}", where=str(path)
        )

    def run_importer(self, importer: Importer, path: Path, data: bytes) -> ImportedTranscript:
        """Call ``importer.load(path, data)`` under `guard`: a `BadInputError` about the file passes
        through; a plugin bug disables the plugin and raises `PluginFailure`. What it returns is
        checked against the input policy here (`text.admitted`), so every importer gets it."""
        action = f"importing {path.name}"
        with self.guard(importer.plugin, action):
            result = importer.load(path, data)
        if not isinstance(result, ImportedTranscript):
            wrong = TypeError(f"load returned {type(result).__name__}, expected ImportedTranscript")
            raise self._plugin_bug(importer.plugin, action, wrong)
        from workbench.core.text import admitted

        return admitted(result, path.name)

    def project_formats(self) -> list[ProjectFormat]:
        """Project formats (other programs' whole projects) of active plugins, in load order."""
        return list(self._contributions().project_formats)

    def project_format_for(self, path: Path) -> ProjectFormat | None:
        """The project format whose extension ends the path's name (a folder's too), case-insensitively;
        the longest matching extension wins, then load order. A folder no extension claims goes to the
        first format, in load order, with one of its marker files inside it. None when no format claims
        the path."""
        file_name = path.name.lower()
        best: ProjectFormat | None = None
        best_length = 0
        formats = self.project_formats()
        for fmt in formats:
            for extension in fmt.extensions:
                if file_name.endswith(extension) and len(extension) > best_length:
                    best, best_length = fmt, len(extension)
        if best is None and path.is_dir():
            best = next((f for f in formats if any(_is_file(path / m) for m in f.markers)), None)
        return best

    def run_project_format(self, fmt: ProjectFormat, path: Path) -> ProjectRead:
        """Call ``fmt.read(path)`` under `guard`: a `BadInputError` about the file passes through; a plugin
        bug, or a result that is not a `ProjectRead` holding a `Content`, disables the plugin."""
        from workbench.core.content import Content

        action = f"reading {path.name} as {fmt.name}"
        with self.guard(fmt.plugin, action):
            result = fmt.read(path)
        if not isinstance(result, ProjectRead) or not isinstance(result.content, Content):
            got = type(result.content if isinstance(result, ProjectRead) else result).__name__
            wrong = TypeError(f"read returned {got}, expected ProjectRead with a Content")
            raise self._plugin_bug(fmt.plugin, action, wrong)
        return result

    def run_exporter(
        self, exporter: Exporter, project: Project, destination: Path, options: Mapping[str, str]
    ) -> ExportResult:
        """Call ``exporter.export(project, destination, options)`` under `guard`; return the paths written.

        Always an `ExportResult` (a list of the paths): the exporter's own, with its report and summary,
        or one made from the plain sequence it returned. A report that is not a mapping, or a summary
        that is not lines of text, is a plugin bug.
        """
        action = f"exporting {exporter.name!r}"
        with self.guard(exporter.plugin, action):
            result = exporter.export(project, destination, options)
            if not isinstance(result, ExportResult):
                return ExportResult(result)
        if not (result.report is None or isinstance(result.report, Mapping)) or not all(
            isinstance(line, str) for line in result.summary
        ):
            wrong = TypeError("export returned an ExportResult whose report or summary is malformed")
            raise self._plugin_bug(exporter.plugin, action, wrong)
        return result

    def all_exporters(self) -> list[Exporter]:
        """What `workbench export` and the Outputs view offer: the plugins' exporters, then the
        workbench's own (the co-occurrence diagram), which win a name clash."""
        from workbench.builtin_outputs import builtin_exporters

        own = builtin_exporters(self)
        names = {e.name for e in own}
        return [e for e in self.exporters() if e.name not in names] + own

    def build_table(
        self, table: TableSpec, project: Project, options: Mapping[str, str] | None = None
    ) -> TableData:
        """Call ``table.build(project, options)`` under `guard`; a malformed `TableData` is a plugin bug."""
        action = f"building table {table.name!r}"
        with self.guard(table.plugin, action):
            result = table.build(project, dict(options or {}))
        if not isinstance(result, TableData):
            wrong = TypeError(f"build returned {type(result).__name__}, expected TableData")
            raise self._plugin_bug(table.plugin, action, wrong)
        return result

    def exporters(self) -> list[Exporter]:
        """Exporters of active plugins, in load order."""
        return list(self._contributions().exporters)

    def tables(self) -> list[TableSpec]:
        """Registered tables of active plugins, in load order."""
        return list(self._contributions().tables)

    def all_tables(self) -> list[TableSpec]:
        """What `workbench table` and the Outputs view offer: the plugins' tables, then the workbench's
        own (word frequencies), which win a name clash."""
        from workbench.builtin_outputs import builtin_tables

        own = builtin_tables(self)
        names = {t.name for t in own}
        return [t for t in self.tables() if t.name not in names] + own

    def commands(self) -> list[CommandSpec]:
        """CLI subcommands of active plugins, in load order (the CLI refuses ones shadowing built-ins)."""
        return list(self._contributions().commands)

    def views(self, kind: ViewKind | None = None) -> list[ViewSpec]:
        """TUI screens and margins of active plugins, optionally only one ``kind``, in load order."""
        return [view for view in self._contributions().views if kind is None or view.kind == kind]

    def vocabularies(self, kind: VocabularyKind | None = None, method: str | None = None) -> list[Vocabulary]:
        """Vocabularies of active plugins, optionally filtered by kind and/or method.

        Raises `BadInputError` for an unknown kind, because it usually comes from user input.
        """
        if kind is not None and kind not in VOCABULARY_KINDS:
            raise BadInputError(
                f"unknown vocabulary kind {kind!r}; expected one of {', '.join(VOCABULARY_KINDS)}"
            )
        return [
            vocabulary
            for vocabulary in self._contributions().vocabularies
            if (kind is None or vocabulary.kind == kind) and (method is None or vocabulary.method == method)
        ]

    def methods(self) -> list[str]:
        """Method ids that active plugins support (a workflow or vocabulary for them), sorted."""
        contributions = self._contributions()
        found = {w.method for w in contributions.workflows} | {v.method for v in contributions.vocabularies}
        return sorted(found)

    def workflows(self) -> list[Workflow]:
        """Method workflows of active plugins (one per method), in load order."""
        return list(self._contributions().workflows)

    def validators(self) -> list[Validator]:
        """Validators of active plugins, in load order."""
        return list(self._contributions().validators)

    def run_validators(self, project: Project) -> list[Finding]:
        """Run every validator on ``project`` and return their findings, each stamped with its validator.

        A validator that raises (or yields something other than a `Finding`) disables its plugin like any
        plugin failure; its partial findings are dropped and a warning `Finding` says the check could not
        run, so the user knows the checklist is incomplete.
        """
        findings: list[Finding] = []
        for validator in self.validators():
            record = self._records.get(validator.plugin)
            if record is None or record.status != "active":
                continue  # its plugin failed earlier in this run
            try:
                found: list[Finding] = []
                for finding in validator.check(project):
                    if not isinstance(finding, Finding):
                        raise TypeError(f"check returned {type(finding).__name__}, expected Finding")
                    found.append(replace(finding, validator=validator.name))
            except Exception as exc:
                self._fail(record, f"validator {validator.name!r}", exc)
                findings.append(
                    Finding(
                        "warning",
                        f"check {validator.name!r} could not run; plugin {record.name!r} was disabled: "
                        f"{_one_line(exc)}",
                        validator=validator.name,
                    )
                )
                continue
            findings.extend(found)
        return findings

    def case_rules(self) -> list[CaseRule]:
        """Case rules of active plugins, in load order."""
        return list(self._contributions().case_rules)

    def case_access(self, project: Project) -> CaseAccess:
        """Whose transcripts corpus search must hide now, and whose may not be auto-coded now.

        Asks every case rule (each time: the answer follows the project's state) and merges the answers in
        load order; the first reason given for a participant wins. A rule that raises, or returns anything
        but a mapping of strings to strings, disables its plugin like any plugin failure, and everything
        that plugin answered in this call is dropped.
        """
        answers: list[tuple[str, dict[str, str], dict[str, str]]] = []
        for rule in self.case_rules():
            record = self._records.get(rule.plugin)
            if record is None or record.status != "active":
                continue  # its plugin failed earlier in this run
            try:
                hidden = _reasons(rule.hidden(project), "hidden") if rule.hidden is not None else {}
                locked = _reasons(rule.locked(project), "locked") if rule.locked is not None else {}
            except Exception as exc:
                self._fail(record, f"case rule {rule.name!r}", exc)
                continue
            answers.append((rule.plugin, hidden, locked))
        merged = CaseAccess()
        for plugin, hidden, locked in answers:
            record = self._records.get(plugin)
            if record is None or record.status != "active":
                continue  # a later rule of the same plugin failed
            for participant, reason in hidden.items():
                merged.hidden.setdefault(participant, reason)
            for participant, reason in locked.items():
                merged.locked.setdefault(participant, reason)
        return merged

    # --- events (the ProjectObserver protocol) ------------------------------------------------------------

    def _fire(self, hook: str, kwargs: Mapping[str, object]) -> None:
        """Call one event hook plugin by plugin; a plugin that raises is disabled, the others still run."""
        self.load()
        with self._lock:
            impls = self._impls(hook)
        for impl in impls:
            record = self._records.get(impl.plugin_name)
            if record is None or record.status != "active":
                continue
            try:
                _call(impl, kwargs)
            except Exception as exc:
                self._fail(record, hook, exc)

    def project_opened(self, project: Project) -> None:
        """Fire ``on_project_open``; called by the core after a project is opened or created."""
        self._fire("on_project_open", {"project": project})

    def project_closing(self, project: Project) -> None:
        """Fire ``on_project_close``; called by the core before a project is closed."""
        self._fire("on_project_close", {"project": project})

    def operation_applied(self, project: Project, event: OperationEvent) -> None:
        """Fire ``on_operation``; called by the core after each operation (or undo) is recorded."""
        self._fire("on_operation", {"project": project, "event": event})


_SRT_START = re.compile(rb"\A\s*\d+\s*\r?\n\d{1,2}:\d{2}:\d{2},\d{3}\s*-->")


def sniff_extension(data: bytes) -> str | None:
    """The extension a file's content says it has (".docx", ".odt", ".vtt", ".srt"), or None."""
    import io
    import zipfile

    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return ".docx"
                if "mimetype" in names and archive.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument.text"
                ):
                    return ".odt"
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
            return None
        return None
    if head.startswith(b"WEBVTT") and (len(head) == 6 or head[6:7] in (b"\n", b"\r", b" ", b"\t")):
        return ".vtt"
    if _SRT_START.match(head):
        return ".srt"
    return None


def _reasons(answer: object, what: str) -> dict[str, str]:
    """A case rule's answer as a fresh dict, or TypeError unless it is a mapping of str to str."""
    if not isinstance(answer, Mapping):
        raise TypeError(f"{what} returned {type(answer).__name__}, expected a mapping of id to reason")
    reasons: dict[str, str] = {}
    for participant, reason in answer.items():
        if not isinstance(participant, str) or not isinstance(reason, str):
            raise TypeError(
                f"{what} returned {type(participant).__name__} -> {type(reason).__name__}, "
                "expected str -> str"
            )
        reasons[participant] = reason
    return reasons


def _call(impl: pluggy.HookImpl, kwargs: Mapping[str, object]) -> object:
    """Call one hook implementation the way pluggy would: by argument name, accepting any subset."""
    return impl.function(*(kwargs[name] for name in impl.argnames))


def _import_local(path: Path) -> object:
    """Import a local plugin file as a fresh module, so editing it and restarting picks up the change."""
    where = str(path)
    if not path.is_file():
        raise BadInputError("local plugin file not found", where=where)
    if path.suffix != ".py":
        raise BadInputError("a local plugin must be a .py file", where=where)
    module_name = "workbench_local_plugin_" + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise BadInputError("cannot load this file as a Python module", where=where)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look modules up by name
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module
