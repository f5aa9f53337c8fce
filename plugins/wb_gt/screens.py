"""The constant-comparison screen (GT-4a/4b, GT-5a): a code's incidents across participants, two codes
side by side, and a comparison memo written without leaving the screen.

Layout (fits 80x24): the code list on the left (level glyph, label, segment count); on the right the
segments of code A and, once chosen, of code B, each row a citation (pseudonym, page:line), the code and
the words. Keys (each binding has an id):

=======  ===========  ==========================================================
key      id           action
=======  ===========  ==========================================================
enter    (list)       show the highlighted code's segments as code A
b        gt.compare   compare with the highlighted code (code B, side by side)
x        gt.single    back to one code
m        gt.memo      write a comparison memo linked to A, B and the segment
escape   gt.close     close the memo line, else the screen
=======  ===========  ==========================================================

Textual is imported here only; the TUI imports this module when the screen is opened.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from workbench import PagingOptionList, Project, WorkbenchError

from .comparison import incidents
from .facts import shorten
from .memos import write_memo
from .vocab import GLYPHS


class ComparisonScreen(Screen[None]):
    """Constant comparison over one project; see the module docstring for the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="gt.close", tooltip="Close the memo line, else this screen"),
        Binding(
            "b", "compare", "Compare with", id="gt.compare", tooltip="Show the highlighted code beside code A"
        ),
        Binding("x", "single", "One code", id="gt.single", tooltip="Stop comparing; show code A only"),
        Binding("m", "memo", "Memo", id="gt.memo", tooltip="Write a comparison memo linked to what is shown"),
    ]
    DEFAULT_CSS = """
    ComparisonScreen #gt-status { height: 1; }
    ComparisonScreen #gt-codes { width: 28; height: 1fr; }
    ComparisonScreen #gt-right { width: 1fr; }
    ComparisonScreen DataTable { height: 1fr; }
    ComparisonScreen #gt-b { display: none; }
    ComparisonScreen.-compare #gt-b { display: block; }
    ComparisonScreen #gt-memo { display: none; dock: bottom; }
    ComparisonScreen.-memo #gt-memo { display: block; }
    """

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.code_a: str | None = None
        self.code_b: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Constant comparison: pick a code (enter), b compare, m memo, esc close", id="gt-status")
        with Horizontal():
            yield PagingOptionList(id="gt-codes")
            with Vertical(id="gt-right"):
                yield DataTable(id="gt-a", cursor_type="row")
                yield DataTable(id="gt-b", cursor_type="row")
        yield Input(
            placeholder="comparison memo: what does comparing show? (enter saves, esc cancels)", id="gt-memo"
        )
        yield Footer()

    def on_mount(self) -> None:
        for table_id in ("#gt-a", "#gt-b"):
            self.query_one(table_id, DataTable).add_columns("Citation", "Code", "Segment")
        self.refresh_codes()
        self.query_one("#gt-codes", OptionList).focus()

    def refresh_codes(self) -> None:
        options = self.query_one("#gt-codes", OptionList)
        options.clear_options()
        options.add_options(
            # Text, not markup: a label may hold `[` or `[/]`
            Option(Text(f"{GLYPHS.get(row.level, '·')} {row.label} ({row.segments})"), id=row.id)
            for row in self.project.code_tree()
        )
        if options.option_count:
            options.highlighted = 0

    def _highlighted_code(self) -> str | None:
        options = self.query_one("#gt-codes", OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def _fill(self, table_id: str, code_id: str) -> int:
        table = self.query_one(table_id, DataTable)
        table.clear()
        try:
            found = incidents(self.project, code_id)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return 0
        for incident in found:
            cells = (incident.citation, incident.code, shorten(incident.text, 80))
            table.add_row(*(Text(cell) for cell in cells), key=incident.segment_id)  # words hold `[` too
        return len(found)

    def _label(self, code_id: str | None) -> str:
        return str((self.project.get("codes", code_id) or {}).get("label", "")) if code_id else ""

    def _status(self) -> None:
        people_a = {i.participant for i in incidents(self.project, self.code_a)} if self.code_a else set()
        text = f"A: {self._label(self.code_a)} ({len(people_a)} participants)"
        if self.code_b:
            people_b = {i.participant for i in incidents(self.project, self.code_b)}
            text += f"  |  B: {self._label(self.code_b)} ({len(people_b)} participants)"
        self.query_one("#gt-status", Static).update(Text(text))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.code_a = event.option.id
        if self.code_a:
            self._fill("#gt-a", self.code_a)
            self._status()

    def action_compare(self) -> None:
        chosen = self._highlighted_code()
        if self.code_a is None:
            self.code_a = chosen
            if chosen:
                self._fill("#gt-a", chosen)
            self._status()
            return
        if chosen is None or chosen == self.code_a:
            self.notify("highlight a different code to compare with", severity="warning")
            return
        self.code_b = chosen
        self._fill("#gt-b", chosen)
        self.add_class("-compare")
        self._status()

    def action_single(self) -> None:
        self.code_b = None
        self.remove_class("-compare")
        self._status()

    def action_memo(self) -> None:
        if self.code_a is None:
            self.notify("pick a code first (enter)", severity="warning")
            return
        self.add_class("-memo")
        self.query_one("#gt-memo", Input).focus()

    def _segment_of_a(self) -> str | None:
        table = self.query_one("#gt-a", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        body = event.value.strip()
        if not body:
            self.notify("the memo is empty", severity="warning")
            return
        links = [f"code:{c}" for c in (self.code_a, self.code_b) if c]
        segment = self._segment_of_a()
        if segment:
            links.append(f"segment:{segment}")
        title = f"Comparing {self._label(self.code_a)}" + (
            f" with {self._label(self.code_b)}" if self.code_b else ""
        )
        try:
            memo = write_memo(self.project, title, body, memo_type="comparison", links=links)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        event.input.value = ""
        self._close_memo()
        self.notify(f"comparison memo {memo} saved")

    def _close_memo(self) -> None:
        self.remove_class("-memo")
        self.query_one("#gt-codes", OptionList).focus()

    def action_close(self) -> None:
        if self.has_class("-memo"):
            self._close_memo()
        else:
            self.dismiss(None)


def open_comparison(project: Project) -> ComparisonScreen:
    """The view factory the TUI calls (``factory(project)``)."""
    return ComparisonScreen(project)
