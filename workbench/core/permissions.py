"""Who may change what (GOV-11): the check `Project._operation` runs before any change is written.

The roles, what each may do and how the acting user's role is found are described in
`workbench.core.governance.roles`, which also holds the audited operations that configure them
(`set_role`) and re-exports everything here. The check lives apart from them, directly under the core,
because the project runs it on every change: `Project` imports this module, and the governance
modules, which all work on a `Project`, import the project; neither side imports the other's package
back (docs/architecture-imports.md).

It reads only what it is given, the project's store and its actor (`Guarded`), so it never needs the
`Project` class itself.
"""

from __future__ import annotations

import contextlib
import grp
import pwd
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.core.store.store import Store

__all__ = ["META_KEY", "ROLES", "Guarded", "PermissionDenied", "check_permission", "role_of"]

ROLES = ("lead", "coder", "auditor", "data-manager")
META_KEY = "roles"
Doc = dict[str, Any]

_EVERYONE = ("export.manifest.", "gov.copy")
_CODER = (
    "coding.",
    "code.",
    "codebook.",
    "memo.",
    "link.",
    "set.",
    "cluster.",
    "icr.code",
    "gt.",
    "ipa.",
    "cmp.",
    "team.coder.",
    "source.status",
)
_DATA_MANAGER = (
    "source.",
    "participant.",
    "gov.redact",
    "gov.names",
    "gov.key",
    "project.settings",
    "codebook.snapshot",
)
_COMMENT_TYPES = ("comment", "audit")


class Guarded(Protocol):
    """What the check reads of a project (a `Project` is one): its store and who is acting."""

    @property
    def store(self) -> Store: ...

    @property
    def actor(self) -> str: ...


class PermissionDenied(WorkbenchError):
    """The acting user's role does not allow this change (GOV-11)."""

    exit_code = 7


def _groups_of(user: str) -> set[str]:
    names: set[str] = set()
    with contextlib.suppress(KeyError, OSError):
        names.add(grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name)
    with contextlib.suppress(OSError):
        names |= {g.gr_name for g in grp.getgrall() if user in g.gr_mem}
    return names


def role_of(project: Guarded, user: str) -> str | None:
    """The user's role: by name first, then by OS group; None when no roles are configured at all."""
    cfg = project.store.get("_meta", META_KEY)
    if not cfg or not (cfg.get("users") or cfg.get("groups")):
        return None
    users: dict[str, str] = cfg.get("users", {})
    if user in users:
        return users[user]
    groups: dict[str, str] = cfg.get("groups", {})
    if groups:
        for name in sorted(_groups_of(user)):
            if name in groups:
                return groups[name]
    return "none"


def _undo_owner(project: Guarded, entity: str) -> str:
    entry = project.store.get("history", entity.removeprefix("history:")) or {}
    return str(entry.get("actor", ""))


def check_permission(
    project: Guarded, action: str, entity: str, changes: Sequence[tuple[str, str, Doc | None, Doc | None]]
) -> None:
    """Raise `PermissionDenied` unless the actor's role allows `action` with these changes."""
    role = role_of(project, project.actor)
    if role is None or role == "lead":
        return
    deny = PermissionDenied(f"{project.actor} ({role}) may not {action}; ask the project lead", "roles")
    if role not in ROLES:
        raise PermissionDenied(f"{project.actor} has no role in this project; ask the project lead", "roles")
    if any(table == "_meta" and doc_id == META_KEY for table, doc_id, _b, _a in changes):
        raise deny
    if action.startswith(_EVERYONE):
        return
    if action in ("undo", "redo"):
        if role == "auditor" or _undo_owner(project, entity) != project.actor:
            raise PermissionDenied(
                f"{project.actor} ({role}) may undo or redo only their own operations", "roles"
            )
        return
    if role == "auditor":
        memos = [a for t, _i, _b, a in changes if t == "memos"]
        if action == "memo.create" and memos and all(m and m.get("type") in _COMMENT_TYPES for m in memos):
            return
        raise deny
    if role == "data-manager":
        if action.startswith(_DATA_MANAGER):
            return
        raise deny
    # coder
    if not action.startswith(_CODER):
        raise deny
    for table, _doc_id, before, after in changes:
        if table != "codings":
            continue
        for doc in (before, after):
            if doc is not None and (doc.get("coder") != project.actor or doc.get("layer") == "consensus"):
                raise PermissionDenied(
                    f"{project.actor} (coder) may change only their own codings, not "
                    f"{doc.get('coder')}'s in layer {doc.get('layer')}",
                    "roles",
                )
