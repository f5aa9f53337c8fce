"""What every command of one `workbench` run shares: the plugin host, the warnings to print when the
command succeeds, and the helpers that open a project, read a transcript and print results.

`main` builds the parser and runs the command; the commands, its own and those in `structure`,
`exchange` and `lexical`, take these helpers from here, so no command module imports `main` and
`main` imports them all at the top (docs/architecture-imports.md). `open_project`, `plugin_host` and
`print_json` are public API: the `workbench` package root re-exports them for plugin commands.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import BadInputError

if TYPE_CHECKING:
    from workbench.core.model import ImportedTranscript
    from workbench.core.project import Project
    from workbench.plugins import PluginHost
    from workbench.registry import Importer

__all__ = [
    "WAIT_FOR_LOCK",
    "CliError",
    "capture_plugin_warnings",
    "host",
    "loaded_host",
    "open_project",
    "parse_line_range",
    "plugin_host",
    "plugin_warning",
    "print_json",
    "read_transcript",
    "replay_warnings",
    "take_warnings",
    "warn",
]

WAIT_FOR_LOCK = float(os.environ.get("WORKBENCH_LOCK_WAIT", "3"))


class CliError(BadInputError):
    pass


_HOST: PluginHost | None = None
_WARNINGS: list[str] = []
#: Plugin warnings this process already printed from the plugin-command cache (`replay_warnings`).
_REPLAYED: set[str] = set()
#: While the plugins load and their commands are added: every plugin warning, for the cache.
_CAPTURED: list[str] | None = None


def warn(message: str) -> None:
    """Warnings are shown when the command succeeds; a failing command prints its one error line only."""
    _WARNINGS.append(message)


def take_warnings() -> list[str]:
    """The warnings given so far, which are forgotten (a run starts with none)."""
    taken = list(_WARNINGS)
    _WARNINGS.clear()
    return taken


def plugin_warning(message: str) -> None:
    """The host's reports, less any this process already gave from the plugin-command cache."""
    if _CAPTURED is not None:
        _CAPTURED.append(message)
    if message not in _REPLAYED:
        warn(message)


def replay_warnings(lines: Sequence[str]) -> None:
    """What loading the plugins would have printed, given from the cache once per process (the host
    would say it only once)."""
    fresh = [line for line in lines if line not in _REPLAYED]
    _REPLAYED.update(fresh)
    _WARNINGS.extend(fresh)


@contextmanager
def capture_plugin_warnings() -> Iterator[list[str]]:
    """Collect every plugin warning given inside the block (while the plugins load), for the cache."""
    global _CAPTURED
    captured: list[str] = []
    _CAPTURED = captured
    try:
        yield captured
    finally:
        _CAPTURED = None


def loaded_host() -> PluginHost | None:
    """The plugin host if this run has loaded it already; never loads it."""
    return _HOST


def host() -> PluginHost:
    """The plugin host, loaded once per run; plugin failures are reported as they happen."""
    global _HOST
    if _HOST is None:
        from workbench.plugins import PluginHost

        _HOST = PluginHost(on_error=plugin_warning)
        _HOST.load()
    return _HOST


def plugin_host() -> PluginHost:
    """The running CLI's plugin host, for plugins that dispatch to other plugins' contributions (the
    ``import`` command picks a registered project format); outside the CLI a host is loaded on first use."""
    return host()


def open_project(directory: str, *, write: bool) -> Project:
    from workbench.core.project import Project

    project = Project.open(
        Path(directory),
        readonly=not write,
        observer=host() if write else None,
        wait=WAIT_FOR_LOCK if write else 0.0,
    )
    for warning in project.warnings:
        warn(warning)
    return project


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


_LINE_RANGE = re.compile(r"([0-9]+)(?:-([0-9]+))?", re.ASCII)


def parse_line_range(value: str) -> tuple[int, int]:
    """`A-B` (or a single line `A`) in plain digits; range checks belong to the line map."""
    match = _LINE_RANGE.fullmatch(value.strip())
    if match is None:
        raise BadInputError(f"expected A-B line numbers, got {value!r}", "--lines")
    first = int(match[1])
    return first, int(match[2] or first)


def read_transcript(name: str) -> tuple[Path, Importer, ImportedTranscript]:
    """Pick the importer by extension, read the file (size-capped) and import it; touches no project."""
    from workbench.core.text import DEFAULT_MAX_BYTES, size_message

    path = Path(name)
    try:
        size = path.stat().st_size
        if size > DEFAULT_MAX_BYTES:
            raise BadInputError(size_message(size, DEFAULT_MAX_BYTES), name)
        data = path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read file ({exc.strerror})", name) from None
    importer = host().importer_for(path, data)
    return path, importer, host().run_importer(importer, path, data)
