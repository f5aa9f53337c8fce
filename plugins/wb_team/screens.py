"""The adjudication screen (ICR-6/7): the disagreement list of every closed round, decided by keyboard.

Each row: number, round, citation (pseudonym, page:line), code, what A and B did, the type and the
resolution so far. Keys (each binding has an id):

=======  ==================  ============================================================
key      id                  action
=======  ==================  ============================================================
a        team.choose_a       take coder A's view into the consensus layer
b        team.choose_b       take coder B's view
o        team.choose_both    take both views
n        team.choose_neither code neither
m        team.memo           write a resolution memo for the next decision (enter keeps it)
escape   team.close          close the memo line, else the screen
=======  ==================  ============================================================

Open rounds are not listed: coders stay blind until a round is closed (ICR-3).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from workbench import Project, WorkbenchError


class AdjudicationScreen(Screen[None]):
    """Disagreements of closed rounds; see the module docstring for the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="team.close"),
        Binding("a", "choose('A')", "A", id="team.choose_a"),
        Binding("b", "choose('B')", "B", id="team.choose_b"),
        Binding("o", "choose('both')", "Both", id="team.choose_both"),
        Binding("n", "choose('neither')", "Neither", id="team.choose_neither"),
        Binding("m", "memo", "Memo", id="team.memo"),
    ]
    DEFAULT_CSS = """
    AdjudicationScreen #team-status { height: 1; }
    AdjudicationScreen DataTable { height: 1fr; }
    AdjudicationScreen #team-memo { display: none; dock: bottom; }
    AdjudicationScreen.-memo #team-memo { display: block; }
    """

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.memo = ""
        self.keys: list[tuple[str, str]] = []  # (round name, disagreement key) per row

    def compose(self) -> ComposeResult:
        yield Static("ICR adjudication: a/b/o/n decide, m memo, esc close", id="team-status")
        yield DataTable(id="team-list", cursor_type="row")
        yield Input(placeholder="resolution memo (enter keeps it for the next decision)", id="team-memo")
        yield Footer()

    def on_mount(self) -> None:
        grid = self.query_one("#team-list", DataTable)
        grid.add_columns("#", "round", "segment", "code", "A", "B", "type", "resolution")
        self.refresh_rows()
        grid.focus()

    def refresh_rows(self) -> None:
        from workbench.team import disagreement_rows

        grid = self.query_one("#team-list", DataTable)
        row = grid.cursor_row
        grid.clear()
        self.keys = []
        try:
            rows = disagreement_rows(self.project)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        for r in rows:
            mark = "✓" if r.resolution != "open" else "·"
            grid.add_row(f"{mark}D{r.number}", r.round, r.citation, r.code, r.a, r.b, r.type, r.resolution)
            self.keys.append((r.round, r.key))
        if self.keys:
            grid.move_cursor(row=min(row, len(self.keys) - 1))
        status = self.query_one("#team-status", Static)
        pending = sum(1 for r in rows if r.resolution == "open")
        status.update(f"ICR adjudication: {pending} open of {len(rows)}; a/b/o/n decide, m memo, esc close")

    def action_choose(self, choice: str) -> None:
        from workbench.team import decide

        grid = self.query_one("#team-list", DataTable)
        if not self.keys:
            self.notify("no disagreements to decide", severity="warning")
            return
        name, key = self.keys[grid.cursor_row]
        try:
            decide(self.project, name, key, choice, memo=self.memo)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.memo = ""
        self.notify(f"{key}: {choice}")
        self.refresh_rows()
        if grid.cursor_row + 1 < len(self.keys):
            grid.move_cursor(row=grid.cursor_row + 1)

    def action_memo(self) -> None:
        self.add_class("-memo")
        self.query_one("#team-memo", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.memo = event.value.strip()
        event.input.value = ""
        self.remove_class("-memo")
        self.query_one("#team-list", DataTable).focus()
        if self.memo:
            self.notify("memo kept for the next decision")

    def action_close(self) -> None:
        if self.has_class("-memo"):
            self.remove_class("-memo")
            self.query_one("#team-list", DataTable).focus()
            return
        self.dismiss()
