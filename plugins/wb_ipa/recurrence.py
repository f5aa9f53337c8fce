"""The recurrence table (IPA-8c, METHODS.md 3.4 #7): participants × GETs, with a configurable rule.

Cells show a tick, the number of statements, or their page:line references (setting or option
``cells=``); each row has a total ``k/n`` and the rule's verdict. Rows below the rule are *flagged*
with a glyph and a word ("✗ flagged"), never removed: in IPA an under-represented theme may be exactly
the divergence worth writing about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wb_ipa import board, cases, gets
from wb_ipa import settings as settings_mod
from wb_ipa.anchors import page_line
from wb_ipa.terminology import GET
from workbench import BadInputError, TableData

if TYPE_CHECKING:
    from workbench import Project

FLAG = "✗ flagged"
PASS = "✓"


@dataclass(frozen=True)
class Row:
    theme: board.Theme
    number: str
    present: tuple[str, ...]
    total: int
    needed: int

    @property
    def flagged(self) -> bool:
        return len(self.present) < self.needed


def sample(project: Project) -> list[cases.Case]:
    """The cross-case sample: completed cases, or every participant before any case is complete."""
    everyone = cases.all_cases(project)
    done = [c for c in everyone if c.status == cases.COMPLETE]
    return done or everyone


def rows(project: Project, rule: str | None = None) -> list[Row]:
    config = settings_mod.load(project)
    people = sample(project)
    needed = settings_mod.threshold(rule or config.recurrence, len(people))
    numbers = gets.numbering(project)
    out = []
    for top in board.themes(project, levels=(GET,)):
        for node in gets.family(project, top):
            present = tuple(gets.participants(project, node))
            out.append(Row(node, numbers[node.id], present, len(people), needed))
    return out


def table(project: Project, options: Mapping[str, str]) -> TableData:
    config = settings_mod.load(project)
    cells = options.get("cells", config.recurrence_cells)
    if cells not in settings_mod.CELLS:
        raise BadInputError(f"cells must be one of {', '.join(settings_mod.CELLS)}", "cells")
    rule = options.get("rule", config.recurrence)
    people = sample(project)
    out = []
    for row in rows(project, rule):
        contributed = gets.contributions(project, row.theme)
        values = []
        for case in people:
            items = contributed.get(case.participant, [])
            if cells == "tick":
                values.append(PASS if items else "")
            elif cells == "count":
                values.append(str(len(items)) if items else "")
            else:
                values.append("; ".join(page_line(project, s.anchor) for s in items))
        verdict = f"{FLAG} (below rule; kept)" if row.flagged else PASS
        name = f"{row.number}{'.' if row.theme.level == GET else ''} {row.theme.name}"
        out.append((name, *values, f"{len(row.present)}/{row.total}", verdict))
    columns = (
        "GET / sub-theme",
        *(c.pseudonym for c in people),
        "Total",
        settings_mod.describe_rule(rule, len(people)),
    )
    return TableData(columns, tuple(out), "Recurrence of group experiential themes across participants")
