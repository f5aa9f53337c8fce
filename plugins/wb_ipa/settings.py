"""IPA project settings: terminology, column order, bracketing, recurrence rule, the open case.

They live in one plugin record of kind ``ipa.settings`` (created on first change), so every change is
undoable and audited like any analytic act. The open ("current") case is kept here too: it is the one
piece of session state that bracketing (IPA-1b) depends on, and the audit trail must show when it moved.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from wb_ipa.terminology import check_terminology
from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project

KIND = "ipa.settings"
COLUMN_ORDERS = ("notes-first", "statements-first")
LINE_NUMBERS = ("column", "prefix")
CELLS = ("tick", "count", "refs")
UNLOCK = ("2", "all")
_RULE = re.compile(r"^(half|[1-9][0-9]*%?)$")


@dataclass(frozen=True)
class Settings:
    """Every IPA setting with its default (2022 terminology, bracketing on, "at least half" rule)."""

    terminology: str = "2022"
    column_order: str = "statements-first"
    line_numbers: str = "column"
    bracketing: bool = True
    recurrence: str = "half"
    recurrence_cells: str = "tick"
    cross_case_unlock: str = "2"
    current_case: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _record(project: Project) -> dict[str, Any] | None:
    found = project.records(KIND)
    return found[0] if found else None


def load(project: Project) -> Settings:
    """The project's settings (defaults for anything never set)."""
    doc = _record(project)
    data = doc["data"] if doc else {}
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in data.items() if k in known})


def save(project: Project, settings: Settings, summary: str) -> None:
    """Store the settings as one undoable operation."""
    doc = _record(project)
    if doc is None:
        project.add_record(KIND, settings.to_json(), summary=summary)
    else:
        project.update_record(doc["id"], settings.to_json(), summary=summary)


def change(project: Project, **changes: Any) -> Settings:
    """Validate and store changed settings; returns the new settings."""
    current = load(project)
    for name, value in changes.items():
        if name == "terminology":
            check_terminology(value)
        elif name == "column_order" and value not in COLUMN_ORDERS:
            raise BadInputError(f"column order must be one of {', '.join(COLUMN_ORDERS)}", "--columns")
        elif name == "line_numbers" and value not in LINE_NUMBERS:
            raise BadInputError(f"line numbers must be one of {', '.join(LINE_NUMBERS)}", "--line-numbers")
        elif name == "recurrence":
            parse_rule(value)
        elif name == "recurrence_cells" and value not in CELLS:
            raise BadInputError(f"recurrence cells must be one of {', '.join(CELLS)}", "--cells")
        elif name == "cross_case_unlock" and value not in UNLOCK:
            raise BadInputError("cross-case unlock must be 2 (two complete cases) or all", "--unlock")
    new = replace(current, **changes)
    if new != current:
        save(project, new, "change IPA settings: " + ", ".join(f"{k}={v}" for k, v in changes.items()))
    return new


def parse_rule(rule: str) -> str:
    """`half`, a participant count `N` or a share `N%`; anything else is a `BadInputError`."""
    value = rule.strip().casefold()
    if not _RULE.match(value) or (value.endswith("%") and int(value[:-1]) > 100):
        raise BadInputError(
            f"recurrence rule {rule!r}: use half, a number (3) or a share (50%)", "--recurrence"
        )
    return value


def threshold(rule: str, participants: int) -> int:
    """How many participants a theme needs under `rule` in a sample of `participants` (at least 1)."""
    value = parse_rule(rule)
    if value == "half":
        needed = math.ceil(participants / 2)
    elif value.endswith("%"):
        needed = math.ceil(participants * int(value[:-1]) / 100)
    else:
        needed = int(value)
    return max(needed, 1)


def describe_rule(rule: str, participants: int) -> str:
    """The rule as a column heading: "Rule (≥ half = 2/3)"."""
    value = parse_rule(rule)
    name = "half" if value == "half" else value
    return f"Rule (≥ {name} = {threshold(rule, participants)}/{participants})"
