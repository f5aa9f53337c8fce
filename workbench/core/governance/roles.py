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

from typing import TYPE_CHECKING, Any

from workbench.core.errors import BadInputError
from workbench.core.permissions import META_KEY, ROLES, PermissionDenied, check_permission, role_of

if TYPE_CHECKING:
    from workbench.core.project import Project

# The check itself (`check_permission`, `role_of`) is in `workbench.core.permissions`, which the project
# imports to run it on every change; this module configures the roles and re-exports the check.
__all__ = ["META_KEY", "ROLES", "PermissionDenied", "check_permission", "config", "role_of", "set_role"]

Doc = dict[str, Any]


def config(project: Project) -> Doc:
    return dict(project.store.get("_meta", META_KEY) or {"users": {}, "groups": {}})


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
