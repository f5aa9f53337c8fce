"""The re-identification key (GOV-3): study ID → real identity, kept in a file *outside* the project.

Pseudonymised data stay personal data only as long as someone can re-identify them, so the standard
pattern is to hold the key separately from the data [S57][S58]. The workbench therefore never stores an
identity, or even where the key lives, in the project:

* the key is its own owner-only (0600) JSON file, at a path the team chooses and the tool refuses to
  place inside the project tree (symlinks resolved), so no export, archive, backup, table, journal or
  audit event can carry it out — they are all built from the project;
* the project records only a *fingerprint*: a digest of the random key id written in the file. It tells
  a later command that a file belongs to this project (and a retention report that a key exists), and
  holds no path and nothing derived from an identity;
* the path is given on each command (``--file``) or by the user's ``WORKBENCH_IDENTITY_KEY``, i.e. it
  lives with the person allowed to use the key, not with the data;
* every change to the key and every *reveal* of an identity is an audited operation naming only the
  participant's study ID; listings show study IDs and pseudonyms (the registry), never identities.

The key maps a participant's study ID (P01, ...) to free text (name, contact details). `leaks` turns
the key against the project: any part of an identity found in a transcript, memo or participant record
is a real identifier that should have been redacted (GOV-3 "no real names in the project").
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core import untrusted
from workbench.core.errors import BadInputError, NotFoundError, WorkbenchError
from workbench.core.store.fsutil import FILE_MODE, atomic_write_bytes, fsync_dir

if TYPE_CHECKING:
    from workbench.core.project import Project

FORMAT = "workbench-identity-key"
META_KEY = "identity_key"
ENV = "WORKBENCH_IDENTITY_KEY"
_PART = re.compile(r"[,;|\n]+")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
MIN_PART = 3
"""Identity parts shorter than this are not searched for (initials would match everywhere)."""


@dataclass(frozen=True)
class KeyFile:
    """A key file read and checked against the project; `entries` maps study ID → identity."""

    path: Path
    key_id: str
    entries: dict[str, str]
    created: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key_id)


def fingerprint(key_id: str) -> str:
    """What the project keeps of a key: a digest of its random id (no path, nothing about anyone)."""
    return hashlib.sha256(f"{FORMAT}:{key_id}".encode()).hexdigest()[:16]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def binding(project: Project) -> dict[str, Any] | None:
    """The project's record of its key (fingerprint, when attached, entry count), or None."""
    doc = project.store.get("_meta", META_KEY)
    return dict(doc) if doc else None


def key_path(value: str | None) -> Path:
    """The key file named by ``--file``, else by ``$WORKBENCH_IDENTITY_KEY``."""
    chosen = value or os.environ.get(ENV)
    if not chosen:
        raise BadInputError(f"name the identity key file with --file PATH (or set ${ENV})", "--file")
    return Path(chosen).expanduser()


def outside_project(project: Project, path: Path) -> Path:
    """`path` made absolute, refused when it is (or would be) inside the project tree or a folder."""
    resolved = path.resolve()
    root = project.path.resolve()
    if resolved == root or resolved.is_relative_to(root):
        raise BadInputError(
            "the identity key must live outside the project folder (GOV-3): exports, archives and "
            "backups are made from the project, and must never carry it",
            "--file",
        )
    if resolved.is_dir():
        raise BadInputError("that is a folder; name the key file itself", "--file")
    return resolved


def _encode(key_id: str, created: str, entries: dict[str, str]) -> bytes:
    doc = {
        "format": FORMAT,
        "version": 1,
        "key_id": key_id,
        "created": created,
        "entries": dict(sorted(entries.items())),
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _read(path: Path) -> dict[str, Any]:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError("no identity key file there", str(path)) from None
    except OSError as exc:
        raise WorkbenchError(f"cannot read the identity key ({exc.strerror or exc})", str(path)) from None
    if mode & 0o077:
        raise BadInputError(
            f"the identity key is readable by others ({oct(mode)}); make it owner-only: chmod 600 {path}",
            "--file",
        )
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadInputError("not a workbench identity key file", str(path)) from None
    if (
        not isinstance(doc, dict)
        or doc.get("format") != FORMAT
        or not isinstance(doc.get("entries"), dict)
        or not doc.get("key_id")
    ):
        raise BadInputError("not a workbench identity key file", str(path))
    return doc


def _key(path: Path, doc: dict[str, Any]) -> KeyFile:
    entries = {str(k): str(v) for k, v in doc["entries"].items()}
    return KeyFile(path, str(doc.get("key_id", "")), entries, str(doc.get("created", "")))


def _write(key: KeyFile, entries: dict[str, str]) -> None:
    try:
        atomic_write_bytes(key.path, _encode(key.key_id, key.created, entries))
    except OSError as exc:
        raise WorkbenchError(
            f"cannot write the identity key ({exc.strerror or exc})", str(key.path)
        ) from None


def _bind(project: Project, action: str, entity: str, summary: str, fields: dict[str, Any]) -> None:
    """Record the key's fingerprint/entry count in the project: audited, never undone (the file is not)."""
    with project._operation(action, entity, summary, undoable=False) as tx:
        tx.put("_meta", META_KEY, {**(binding(project) or {}), **fields, "changed_at": _now()})


def create(project: Project, path: Path) -> KeyFile:
    """Make a new, empty key file at `path` (owner-only, never overwriting) and bind the project to it."""
    target = outside_project(project, path)
    if binding(project):
        raise BadInputError(
            "this project already has an identity key; attach another with `key attach --replace`", "--file"
        )
    if not target.parent.is_dir():
        raise NotFoundError("the folder for the identity key does not exist", str(target.parent))
    key_id, created = secrets.token_hex(16), _now()
    data = _encode(key_id, created, {})
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        raise BadInputError(
            "a file is already there; use `key attach` for an existing key", "--file"
        ) from None
    except OSError as exc:
        raise WorkbenchError(f"cannot create the identity key ({exc.strerror or exc})", str(target)) from None
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(target.parent)
    key = KeyFile(target, key_id, {}, created)
    try:
        _bind(
            project,
            "gov.key.create",
            "project",
            "create the identity key (outside the project)",
            {"fingerprint": key.fingerprint, "attached_at": _now(), "entries": 0},
        )
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()  # refused (e.g. by role): leave no orphan key behind
        raise
    return key


def attach(project: Project, path: Path, *, replace: bool = False) -> KeyFile:
    """Bind the project to an existing key file (made for it before, or for the same study)."""
    target = outside_project(project, path)
    doc = _read(target)
    key = _key(target, doc)
    current = binding(project)
    if current and current.get("fingerprint") == key.fingerprint:
        raise BadInputError("that key is already this project's identity key", "--file")
    if current and not replace:
        raise BadInputError(
            "this project has another identity key; add --replace to use this one instead", "--file"
        )
    _bind(
        project,
        "gov.key.attach",
        "project",
        "attach an identity key (outside the project)",
        {"fingerprint": key.fingerprint, "attached_at": _now(), "entries": len(key.entries)},
    )
    return key


def load(project: Project, path: Path) -> KeyFile:
    """Read the key file and check that it is this project's, owner-only and outside the project."""
    current = binding(project)
    if not current:
        raise NotFoundError("this project has no identity key (workbench key init DIR --file PATH)", "key")
    target = outside_project(project, path)
    doc = _read(target)
    key = _key(target, doc)
    if key.fingerprint != current.get("fingerprint"):
        raise BadInputError("that identity key belongs to another project", "--file")
    return key


def _participant(project: Project, participant: str) -> dict[str, Any]:
    doc = project.get("participants", participant.strip())
    if doc is None:
        raise NotFoundError(f"no participant {participant!r}", "PARTICIPANT")
    return doc


def set_identity(project: Project, path: Path, participant: str, identity: str) -> None:
    """Keep `identity` for the participant in the key file; the project learns only that the key changed."""
    key = load(project, path)
    doc = _participant(project, participant)
    identity = untrusted.check_text(identity, "IDENTITY", lines=True).strip()
    if not identity:
        raise BadInputError("the identity is empty", "IDENTITY")
    entries = {**key.entries, doc["id"]: identity}
    _write(key, entries)
    _bind(
        project,
        "gov.key.set",
        f"participant:{doc['id']}",
        f"identity of {doc['id']} kept in the key",
        {"entries": len(entries)},
    )


def remove_identity(project: Project, path: Path, participant: str) -> None:
    key = load(project, path)
    pid = participant.strip()
    if pid not in key.entries:
        raise NotFoundError(f"the key holds no identity for {pid!r}", "PARTICIPANT")
    entries = {k: v for k, v in key.entries.items() if k != pid}
    _write(key, entries)
    _bind(
        project,
        "gov.key.remove",
        f"participant:{pid}",
        f"identity of {pid} removed from the key",
        {"entries": len(entries)},
    )


def reveal(project: Project, path: Path, participant: str) -> str:
    """The participant's identity, for a person who explicitly asked; the act (not the answer) is audited."""
    key = load(project, path)
    doc = _participant(project, participant)
    identity = key.entries.get(doc["id"])
    if identity is None:
        raise NotFoundError(f"the key holds no identity for {doc['id']}", "PARTICIPANT")
    _bind(project, "gov.key.reveal", f"participant:{doc['id']}", f"identity of {doc['id']} revealed", {})
    return identity


@dataclass(frozen=True)
class Listing:
    participant: str
    pseudonym: str
    status: str
    in_key: bool


def listing(project: Project, key: KeyFile) -> tuple[list[Listing], list[str]]:
    """Participants with whether the key holds them (the registry's pseudonyms, never identities), and
    study IDs in the key that the project no longer has (e.g. after a withdrawal)."""
    rows = [
        Listing(p["id"], str(p.get("pseudonym", "")), str(p.get("status", "active")), p["id"] in key.entries)
        for p in project.participants()
    ]
    known = {p["id"] for p in project.participants()}
    return rows, sorted(set(key.entries) - known)


def _patterns(identity: str) -> list[re.Pattern[str]]:
    """What to look for: each comma/semicolon-separated part whole (any case, any spacing), and each
    capitalised word of a part that looks like a name, on its own (a pseudonym that is the person's
    first name is the commonest leak)."""
    out: list[re.Pattern[str]] = []
    for part in _PART.split(identity):
        words = part.split()
        if len(part.strip()) < MIN_PART:
            continue
        body = r"\s+".join(map(re.escape, words))
        out.append(re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE))
        if len(words) > 1 and all(_NAME_WORD.fullmatch(w) for w in words):
            out += [
                re.compile(rf"(?<!\w){re.escape(w)}(?!\w)")
                for w in words
                if len(w) >= MIN_PART and w[0].isupper()
            ]
    return out


def leaks(project: Project, key: KeyFile) -> list[tuple[str, str]]:
    """(study ID, place) for every place in the project holding part of an identity from the key.

    Searched: each transcript's current text, memo titles and bodies, participant pseudonyms and
    attributes, code labels (see `_patterns` for what counts as a match). The matching words are never
    returned, only where they are.
    """
    places: list[tuple[str, str]] = [
        (f"source {s['id']}", project.current_text(s["id"])[1].text) for s in project.sources()
    ]
    places += [
        (f"memo {m['id']}", f"{m.get('title', '')}\n{m.get('body', '')}") for m in project.rows("memos")
    ]
    places += [
        (f"participant {p['id']}", f"{p.get('pseudonym', '')}\n{json.dumps(p.get('attributes', {}))}")
        for p in project.participants()
    ]
    places += [(f"code {c['id']}", str(c.get("label", ""))) for c in project.rows("codes")]
    found: list[tuple[str, str]] = []
    for pid, identity in sorted(key.entries.items()):
        patterns = _patterns(identity)
        found += [(pid, place) for place, text in places if any(p.search(text) for p in patterns)]
    return found
