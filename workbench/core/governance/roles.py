"""Roles (GOV-11): lead, coder, auditor, data manager — configured in the project, enforced on every change.

The configuration lives in the project (``_meta/roles``: users and OS groups mapped to roles), so it
travels with the project, is changed only by audited operations, and is read in O(1) by the check that
`Project._operation` runs before any change is written. Until a role is assigned nothing is enforced
(a single researcher's project); the first assignment also makes the person assigning it the lead, so
nobody can lock themselves out. Once configured, a user without a role may not change anything, and
every audit event names the role used ("alice (coder)").

What each role may do (METHODS.md GOV-11):

* ``lead`` — everything;
* ``coder`` — code and memo in *their own* layer: codings they are the coder of (never the consensus
  layer), codes, memos, links, sets, clusters, method records (gt.*, ipa.*), round coding;
* ``auditor`` — read-only plus comments: memos of type ``comment`` or ``audit``;
* ``data-manager`` — import, correct, redact, participants, withdrawal, speakers, settings.

Everyone may record an export manifest or a clipboard copy (both are reads, and copies happen only once
the lead has turned them on, GOV-2a), and undo or redo their own operations. Turning the clipboard on
or off (``gov.clipboard``) is the lead's decision.
"""

from __future__ import annotations

import contextlib
import grp
import pwd
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from workbench.core.errors import BadInputError, WorkbenchError

if TYPE_CHECKING:
    from workbench.core.project import Project

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


class PermissionDenied(WorkbenchError):
    """The acting user's role does not allow this change (GOV-11)."""

    exit_code = 7


def config(project: Project) -> Doc:
    return dict(project.store.get("_meta", META_KEY) or {"users": {}, "groups": {}})


def _groups_of(user: str) -> set[str]:
    names: set[str] = set()
    with contextlib.suppress(KeyError, OSError):
        names.add(grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name)
    with contextlib.suppress(OSError):
        names |= {g.gr_name for g in grp.getgrall() if user in g.gr_mem}
    return names


def role_of(project: Project, user: str) -> str | None:
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


def _undo_owner(project: Project, entity: str) -> str:
    entry = project.store.get("history", entity.removeprefix("history:")) or {}
    return str(entry.get("actor", ""))


def check_permission(
    project: Project, action: str, entity: str, changes: Sequence[tuple[str, str, Doc | None, Doc | None]]
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


def set_role(project: Project, who: str, role: str | None, *, group: bool = False) -> Doc:
    """Assign (or with None remove) a user's or OS group's role, as one audited operation."""
    if role is not None and role not in ROLES:
        raise BadInputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}", "ROLE")
    if not who.strip():
        raise BadInputError("name a user or group", "WHO")
    cfg = config(project)
    users = dict(cfg.get("users", {}))
    groups = dict(cfg.get("groups", {}))
    target = groups if group else users
    if role is None:
        if who not in target:
            raise BadInputError(f"{who} has no role to remove", "WHO")
        target.pop(who)
    else:
        target[who.strip()] = role
    if not cfg.get("users") and not cfg.get("groups") and role is not None:
        users.setdefault(project.actor, "lead")  # the first assignment keeps its author in charge
    if (users or groups) and "lead" not in users.values() and "lead" not in groups.values():
        raise BadInputError("the project must keep at least one lead", "ROLE")
    new = {"users": users, "groups": groups}
    with project._operation("gov.roles", "project", f"role of {who}: {role or 'none'}") as tx:
        tx.put("_meta", META_KEY, new)
    return new
