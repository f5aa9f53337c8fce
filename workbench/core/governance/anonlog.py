"""The anonymisation log and the identifier name list (GOV-9, GOV-7): kept apart from the anonymised data.

Both hold identifiers (the original words a redaction replaced; the real names to look for), so they
live in the project's ``private/`` folder as owner-only files, *not* in the project store: nothing that
reads the store (tables, every exporter, the archive, the audit log) can ever carry them out. They are
written atomically through the same owner-only file layer as the store (GOV-2), and a withdrawal removes
the entries for the withdrawn participant's transcripts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core import untrusted
from workbench.core.errors import BadInputError, CorruptProjectError
from workbench.core.store.fsutil import atomic_write_bytes, ensure_private_dir

if TYPE_CHECKING:
    from workbench.core.project import Project

PRIVATE = "private"
LOG_FILE = "anonymisation-log.jsonl"
NAMES_FILE = "names.json"


@dataclass(frozen=True)
class LogEntry:
    source: str
    from_version: str
    to_version: str
    start: int
    end: int
    original: str
    replacement: str
    kind: str
    reason: str
    who: str
    when: str


def private_dir(project: Project) -> Path:
    return project.path / PRIVATE


def _read_lines(path: Path) -> list[dict[str, Any]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    try:
        return [json.loads(line) for line in raw.splitlines() if line.strip()]
    except ValueError:
        raise CorruptProjectError("the anonymisation log is damaged", str(path)) from None


def entries(project: Project) -> list[LogEntry]:
    return [LogEntry(**row) for row in _read_lines(private_dir(project) / LOG_FILE)]


def append(project: Project, new: Iterable[LogEntry]) -> None:
    """Add entries (rewritten atomically: the log is small, and a torn line would lose an original)."""
    rows = [asdict(e) for e in entries(project)] + [asdict(e) for e in new]
    _write_lines(project, rows)


def _write_lines(project: Project, rows: list[dict[str, Any]]) -> None:
    folder = private_dir(project)
    ensure_private_dir(folder)
    data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    atomic_write_bytes(folder / LOG_FILE, data.encode("utf-8"))


def rewrite(project: Project, rows: list[dict[str, Any]]) -> None:
    """Replace the whole log with `rows` (atomically, owner-only): a withdrawal rewrites entries
    whose offsets moved when a focus group's transcript was rewritten."""
    _write_lines(project, rows)


def purge_sources(project: Project, sources: set[str]) -> int:
    """Remove the entries of withdrawn sources; returns how many went."""
    rows = _read_lines(private_dir(project) / LOG_FILE)
    kept = [r for r in rows if r.get("source") not in sources]
    if len(kept) != len(rows):
        _write_lines(project, kept)
    return len(rows) - len(kept)


def names(project: Project) -> dict[str, str]:
    """Name to look for → its replacement (empty: the default for names, a numbered ``[NAME-n]``)."""
    path = private_dir(project) / NAMES_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError:
        raise CorruptProjectError("the name list is damaged", str(path)) from None
    return {str(k): str(v) for k, v in data.items()}


def set_name(project: Project, name: str, replacement: str = "", *, remove: bool = False) -> dict[str, str]:
    untrusted.check_text(name, "NAME")
    untrusted.check_text(replacement, "--replacement")
    name = " ".join(name.split())
    if len(name) < 2:
        raise BadInputError("a name to look for has at least two characters", "NAME")
    current = names(project)
    if remove:
        if name not in current:
            raise BadInputError(f"{name!r} is not on the name list", "NAME")
        current.pop(name)
    else:
        if replacement and not (replacement.startswith("[") and replacement.endswith("]")):
            raise BadInputError("a replacement is marked in brackets, e.g. [town] (GOV-8)", "--replacement")
        current[name] = replacement
    folder = private_dir(project)
    ensure_private_dir(folder)
    atomic_write_bytes(
        folder / NAMES_FILE, json.dumps(current, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    )
    return current
