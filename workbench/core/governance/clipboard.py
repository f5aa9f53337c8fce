"""The clipboard setting (GOV-2a): terminal clipboard writes are off unless a project turns them on.

A terminal clipboard write (OSC 52, what Textual's ``App.copy_to_clipboard`` emits, and what its
``Input`` and ``TextArea`` widgets and a screen's mouse selection use on ctrl+c) puts the text on the
*user's local machine*: over SSH it leaves the secure environment without any output check. So:

* the setting lives in the project (``_meta/clipboard``), **off** by default;
* turning it on needs a reason, prints a warning, and is an audited operation, as is turning it off;
  only the lead may change it once roles are configured (GOV-11);
* every copy is recorded *before* the text is written (`record_copy`): an audited operation naming
  where the copy came from and how many characters, never the text. A copy that cannot be recorded
  (setting off, read-only project) does not happen.

Neither record is undoable: ``u`` must not take back a governance decision or erase a copy's trace.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from workbench.core.errors import BadInputError, WorkbenchError

if TYPE_CHECKING:
    from workbench.core.project import Project

META_KEY = "clipboard"
WARNING = (
    "clipboard copies (OSC 52) send text to the user's own computer, outside the secure environment, "
    "with no output check; each copy will be recorded in the audit log"
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def state(project: Project) -> dict[str, Any]:
    """The setting: ``enabled`` (False by default), who changed it, when, why, and copies recorded."""
    return {"enabled": False, "copies": 0, **(project.store.get("_meta", META_KEY) or {})}


def enabled(project: Project) -> bool:
    return bool(state(project)["enabled"])


def set_enabled(project: Project, on: bool, reason: str = "") -> dict[str, Any]:
    """Turn clipboard copies on (a reason is required) or off, as one audited, non-undoable operation."""
    current = state(project)
    if bool(current["enabled"]) == on:
        raise BadInputError(f"clipboard copies are already {'on' if on else 'off'}", "SETTING")
    reason = " ".join(reason.split())
    if on and not reason:
        raise BadInputError(
            "say why copies must leave the server: --reason TEXT (kept in the log)", "--reason"
        )
    new = {**current, "enabled": on, "reason": reason, "by": project.actor, "at": _now()}
    with project._operation(
        "gov.clipboard", "project", f"clipboard copies {'on' if on else 'off'}", undoable=False
    ) as tx:
        tx.put("_meta", META_KEY, new)
    return new


def record_copy(project: Project, origin: str, chars: int) -> None:
    """Record a copy about to be written to the clipboard; raise (so nothing is copied) when off."""
    if not enabled(project):
        raise WorkbenchError(
            "clipboard copies are off for this project (GOV-2a); the lead can turn them on with "
            "`workbench clipboard DIR on --reason TEXT`",
            "clipboard",
        )
    current = state(project)
    copy = {"origin": origin, "chars": chars, "by": project.actor, "at": _now()}
    with project._operation(
        "gov.copy",
        origin if ":" in origin else "project",
        f"copy {chars} characters from {origin}",
        undoable=False,
    ) as tx:
        tx.put("_meta", META_KEY, {**current, "copies": int(current["copies"]) + 1, "last_copy": copy})
