"""The retrieval ("coded segments") view (METHODS 1.3, GT-4a): a code's segments side by side.

Constant comparison means reading every incident of a code together, across participants, and
asking what varies; so hits are grouped by participant (a header row with the pseudonym and count),
each cited the way a thesis quotes it (`Pseudonym, page:line–line`) with the code and the coder, and
the preview shows the whole extract — with `c`, a few lines of context around it — for the hit under
the cursor. Enter goes to that place in the transcript, to re-read it in its turn.

The query box takes the boolean language of `workbench.core.retrieval` (`"Holding hope" AND NOT
"Testing trust"`); the codebook's Enter fills it with the highlighted code.

The matrix view's Enter shows a given set of segments instead of a query's hits: the segments behind
one cell (`SegmentSelection`, handed down through `WorkbenchApp.retrieval_selection`), titled
"Holding hope ∩ Trust: 4 segments"; Esc goes back to that view, and a query typed in the box
replaces them.

A code can have thousands of segments, and both `DataTable` and `OptionList` measure every row when
filled (about half a second for 2,000 here), so the hits are drawn by `HitList`, a Line-API
`ScrollView` that formats only the rows on screen (Toolong's approach, STYLE.md). Rows that need
review after a transcript correction carry `!`, and the cursor row a `▶`, so neither relies on colour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Container
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Header, Input, Static

from workbench.core.errors import WorkbenchError
from workbench.core.retrieval import QueryError, participants_of, retrieve, sort_key
from workbench.core.text import extract
from workbench.tui.base import WorkbenchScreen
from workbench.tui.segment_selection import SegmentSelection
from workbench.tui.typeahead import after_keys
from workbench.tui.widgets.footer import KeyFooter
from workbench.tui.widgets.scrolling import set_scroll_range
from workbench.tui.widgets.side_pane import TextPane

if TYPE_CHECKING:
    from workbench.core.project import CodedSegment, Project

__all__ = ["CONTEXT_LINES", "HitList", "RetrievalScreen", "SegmentSelection", "selected_segments"]

CONTEXT_LINES = 3
"""Lines of transcript shown before and after a segment when context is on (`c`)."""
WIDE = 120
FLAG_GLYPH = "!"
CURSOR_GLYPH = "▶"
PLACEHOLDER = '"Code A" AND NOT "Code B"  (OR, parentheses; Enter runs)'


def fit(value: str, width: int) -> str:
    """`value` on one line in exactly `width` cells: whitespace collapsed, cut with an ellipsis."""
    value = " ".join(value.split())
    if width <= 0:
        return ""
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


@dataclass(frozen=True)
class Columns:
    """Cell widths of the hit columns for one list width; `line` lays a row out in them.

    A width of 0 leaves the column out (every hit has the same code, or the same coder: the status line
    and the preview say it once, and the words get the room).
    """

    citation: int
    code: int
    coder: int
    text: int

    def line(self, marker: str, flag: str, citation: str, code: str, coder: str, text: str) -> str:
        cells = [(citation, self.citation), (code, self.code), (coder, self.coder), (text, self.text)]
        return marker + flag + "  ".join(fit(value, width) for value, width in cells if width)


def selected_segments(project: Project, selection: SegmentSelection) -> list[CodedSegment]:
    """The codings of `selection.codes` on `selection.segments`, once each, in retrieval order.

    Read from the project each time, so after an edit (an undo, a code merged away) the list shows
    what is there now; a code that no longer exists lists nothing.
    """
    hits: dict[str, CodedSegment] = {}
    for code in selection.codes:
        try:
            coded = project.coded_segments(code)
        except WorkbenchError:
            continue
        for hit in coded:
            if hit.segment_id in selection.segments:
                hits.setdefault(hit.coding_id, hit)
    return sorted(hits.values(), key=sort_key)


class HitList(ScrollView, can_focus=True):
    """Coded segments grouped by participant, drawn line by line; the cursor only lands on hits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Previous segment", id="retrieval.previous", show=False),
        Binding("down,j", "cursor(1)", "Next segment", id="retrieval.next", show=False),
        Binding("pageup", "page(-1)", "Page up", id="retrieval.page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="retrieval.page_down", show=False),
        Binding("home", "edge(-1)", "First segment", id="retrieval.first", show=False),
        Binding("end", "edge(1)", "Last segment", id="retrieval.last", show=False),
        # Only while the list shows a matrix cell's segments (the screen's `check_action` says when).
        Binding(
            "escape",
            "screen.back",
            "Back",
            id="retrieval.back",
            tooltip="Back to the matrix cell these segments are behind",
        ),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"hit-list--cursor", "hit-list--header", "hit-list--flag"}
    DEFAULT_CSS = """
    HitList { overflow-x: hidden; overflow-y: scroll; }
    HitList > .hit-list--cursor {
        background: $block-cursor-blurred-background; color: $block-cursor-blurred-foreground;
    }
    HitList:focus > .hit-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    HitList > .hit-list--header { text-style: bold; color: $text-accent; }
    HitList > .hit-list--flag { text-style: bold; color: $text-warning; }
    """

    class Highlighted(Message):
        """The cursor moved to `hit` (an index into `HitList.hits`), or there is none (-1)."""

        def __init__(self, hit: int) -> None:
            super().__init__()
            self.hit = hit

    class Selected(Message):
        """A hit was clicked while under the cursor (the mouse's Enter)."""

        def __init__(self, hit: int) -> None:
            super().__init__()
            self.hit = hit

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[CodedSegment] = []
        self.rows: list[int | str] = []  # hit index, or a participant header's text
        self.cursor = -1  # row index, always a hit row when there are hits
        self._cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(1024)
        self._columns: tuple[int, Columns] | None = None
        self._widest: tuple[int, int, int] | None = None  # citation, code, coder: measured once per hits

    # -- data ------------------------------------------------------------------------------------------
    def set_hits(self, hits: Sequence[CodedSegment], keep: str | None = None) -> None:
        """Show `hits` (already sorted); the cursor stays on coding `keep` if it is still there."""
        self.hits = list(hits)
        rows: list[int | str] = []
        groups = iter(participants_of(self.hits))
        last: str | None = None
        for index, hit in enumerate(self.hits):
            if index == 0 or hit.participant != last:
                pid, pseudonym, count = next(groups)
                who = f"{pseudonym} ({pid})" if pid and pid != pseudonym else pseudonym or "(no participant)"
                rows.append(f"{who} · {count} segment{'s' if count != 1 else ''}")
                last = hit.participant
            rows.append(index)
        self.rows = rows
        self._cache.clear()
        self._columns = self._widest = None
        set_scroll_range(self, Size(self.size.width, len(rows)))
        target = next(
            (r for r, v in enumerate(rows) if isinstance(v, int) and self.hits[v].coding_id == keep), None
        )
        self.cursor = -1
        self.scroll_to(y=0, animate=False)
        self._move(target if target is not None else self._next_hit(-1, 1))
        self.refresh()

    def cursor_cell(self) -> tuple[int, int]:
        """(x, y) of the cursor row within the list, for the terminal cursor (screen_reader.py)."""
        return 0, max(self.cursor, 0) - int(self.scroll_offset.y)

    @property
    def current(self) -> CodedSegment | None:
        """The hit under the cursor."""
        value = self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None
        return self.hits[value] if isinstance(value, int) else None

    def columns(self) -> Columns:
        """Cell widths for the current width: citation, code and coder as needed (capped), text the rest."""
        width = self.scrollable_content_region.width or self.size.width or 80
        if self._columns is not None and self._columns[0] == width:
            return self._columns[1]
        if self._widest is None:  # the hits' own widths do not change with the list's
            codes, coders = {h.code for h in self.hits}, {h.coder for h in self.hits}
            self._widest = (
                _widest({h.citation for h in self.hits}, 8, 24),
                _widest(codes, 4, 18) if len(codes) > 1 else 0,
                _widest(coders, 5, 8) if len(coders) > 1 else 0,
            )
        citation, code, coder = self._widest
        gaps = 2 * sum(1 for w in (code, coder) if w) + 2
        text = width - 2 - gaps - citation - code - coder
        while text < 40 and (code > 8 or citation > 12):  # the words matter most: they get 40 first
            if code >= citation - 4 and code > 8:
                code -= 1
            else:
                citation -= 1
            text += 1
        columns = Columns(max(citation, 8), code and max(code, 4), coder and max(coder, 5), max(text, 1))
        self._columns = (width, columns)
        return columns

    def column_header(self) -> str:
        return self.columns().line(" ", " ", "Citation", "Code", "Coder", "Text")

    # -- drawing -------------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width or self.size.width
        if not 0 <= row < len(self.rows):
            return Strip.blank(width, self.rich_style)
        key = (row, width, row == self.cursor, self.has_focus)  # focus restyles the cursor row
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width).crop_extend(0, width, self.rich_style)
            self._cache[key] = strip
        return strip.apply_offsets(0, row)

    def _render_row(self, row: int, width: int) -> Strip:
        value = self.rows[row]
        base = self.rich_style
        if isinstance(value, str):
            style = base + self.get_component_rich_style("hit-list--header")
            if getattr(self.app, "screen_reader", False):  # words only: no rule for a reader to spell
                return Strip([Segment(value, style)])
            label = f"── {value} "
            return Strip([Segment(label + "─" * max(width - cell_len(label), 0), style)])
        hit = self.hits[value]
        cursor = row == self.cursor
        style = base + self.get_component_rich_style("hit-list--cursor") if cursor else base
        line = self.columns().line(
            CURSOR_GLYPH if cursor else " ", " ", hit.citation, hit.code, hit.coder, hit.text
        )
        if not hit.flag:
            return Strip([Segment(line, style)])
        flag_style: Style = style + self.get_component_rich_style("hit-list--flag")
        return Strip([Segment(line[0], style), Segment(FLAG_GLYPH, flag_style), Segment(line[2:], style)])

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        set_scroll_range(self, Size(event.size.width, len(self.rows)))
        self._scroll_to_cursor()

    # -- cursor ----------------------------------------------------------------------------------------------
    def _next_hit(self, row: int, step: int) -> int:
        """The nearest hit row from `row` (exclusive) in direction `step`, or -1."""
        row += step
        while 0 <= row < len(self.rows):
            if isinstance(self.rows[row], int):
                return row
            row += step
        return -1

    def _move(self, row: int) -> None:
        if row < 0 or row == self.cursor:
            if row < 0 and self.cursor < 0:
                self.post_message(self.Highlighted(-1))
            return
        old, self.cursor = self.cursor, row
        for changed in (old, row):
            if changed >= 0:
                self.refresh_line(changed)
        self._scroll_to_cursor()
        value = self.rows[row]
        self.post_message(self.Highlighted(value if isinstance(value, int) else -1))

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if self.cursor < 0 or height <= 0:
            return
        # Show the participant header above the first hit of a group, so a hit is never read unattributed.
        top = (
            self.cursor - 1
            if self.cursor > 0 and isinstance(self.rows[self.cursor - 1], str)
            else self.cursor
        )
        y = self.scroll_offset.y
        if top < y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif self.cursor >= y + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self._move(self._next_hit(self.cursor, step))

    def action_page(self, step: int) -> None:
        height = max(self.scrollable_content_region.height - 1, 1)
        target = min(max(self.cursor + step * height, 0), len(self.rows) - 1)
        row = target if 0 <= target < len(self.rows) and isinstance(self.rows[target], int) else -1
        if row < 0:
            row = self._next_hit(target, step)
        if row < 0:
            row = self._next_hit(target, -step)
        self._move(row)

    def action_edge(self, step: int) -> None:
        self._move(self._next_hit(-1, 1) if step < 0 else self._next_hit(len(self.rows), -1))

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self.rows) and isinstance(self.rows[row], int):
            value = self.rows[row]
            if row == self.cursor and isinstance(value, int):
                self.post_message(self.Selected(value))
            else:
                self._move(row)


class RetrievalScreen(WorkbenchScreen):
    """Mode "retrieval": a query box, hits grouped by participant, a preview of the hit under the cursor."""

    HELP_NAME = "Segments"
    HELP_INTRO = """
Ask which passages carry a code: type code labels in quotes, combined with AND, OR, NOT and
parentheses ("Holding hope" AND NOT "Testing trust"), and press Enter. The box keeps the keys, so the
next query can be typed straight away. Down or Esc moves to the list of segments, Enter opens the
transcript at one, / goes back to the query. From the matrix view (9), Enter on a cell lists exactly
the segments behind it here; Esc then goes back to that cell."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "jump",
            "Go to text",
            id="retrieval.jump",
            priority=True,
            tooltip="Open the transcript at this segment",
        ),
        Binding("slash", "focus_query", "Query", id="retrieval.query", tooltip="Edit the code query"),
        Binding(
            "c",
            "toggle_context",
            "Context",
            id="retrieval.context",
            tooltip=f"Show {CONTEXT_LINES} lines before and after the segment in the preview, or not",
        ),
        Binding(
            "escape,down",
            "focus_results",
            "Results",
            id="retrieval.results",
            tooltip="Leave the query box for the list of segments",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.context = 0
        self.query_text = ""  # the query the list shows (the box may hold an edit not yet run)
        self.error: str | None = None
        self._ran: tuple[str | SegmentSelection, int, int] | None = None  # (query, project, state) shown
        self._previewed: tuple[CodedSegment | None, int] = (None, -1)  # (hit, context) the preview shows
        self._chose_list = False  # the researcher moved to the list (Esc, Down) at least once
        self.selection: SegmentSelection | None = None  # the given segments shown instead of a query's

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=PLACEHOLDER, id="retrieval-query")
        yield Static(id="retrieval-status")
        with Container(id="retrieval-main"):
            with Container(id="retrieval-list"):
                yield Static(id="retrieval-columns")
                yield HitList(id="retrieval-hits")
            yield TextPane(id="retrieval-preview")
        yield KeyFooter()

    @property
    def hit_list(self) -> HitList:
        return self.query_one(HitList)

    @property
    def query_input(self) -> Input:
        return self.query_one("#retrieval-query", Input)

    # -- running queries ---------------------------------------------------------------------------------
    def refresh_from_project(self) -> None:
        """Show the segments or the query the app asked for (the matrix's or the codebook's Enter),
        else show the current ones again."""
        chosen = getattr(self.wb, "retrieval_selection", None)
        if chosen is not None:
            self.wb.retrieval_selection = None  # one-shot, as the query below
            self.wb.retrieval_query = None
            self.show_selection(chosen)
            self.hit_list.focus()
            return
        pending = getattr(self.wb, "retrieval_query", None)
        if pending is not None:
            self.wb.retrieval_query = None  # one-shot: afterwards the box is the source of truth
            self.query_input.value = pending
            self.run_query(pending)
        elif self.selection is not None and self._ran is not None and self._ran[1] == id(self.project):
            current = self.hit_list.current
            self.show_selection(self.selection, keep=current.coding_id if current else None)
        else:
            current = self.hit_list.current
            self.run_query(self.query_text, keep=current.coding_id if current else None)
        if not self.is_current:
            # Built ahead of its first visit, which most often comes with a code's segments (the
            # codebook's Enter): the list has focus already, so that visit does not move it (a frame
            # of its own); a first visit with no query moves it to the query box below.
            self.hit_list.focus()
        elif self.focused is None or (pending is not None and self.hit_list.hits):
            (self.hit_list if self.hit_list.hits else self.query_input).focus()
        elif (
            self.resuming
            and self.focused is self.hit_list
            and not self.query_text.strip()
            and not self._chose_list  # the list was focused when built ahead, not by the user
            and self.selection is None  # a matrix cell's segments: the list is the place
        ):
            self.query_input.focus()  # a visit with nothing asked yet: the box is where to start

    def run_query(self, query: str, keep: str | None = None) -> None:
        ran = (query, *self.project_state)
        if ran == self._ran and self.error is None and self.selection is None:
            return  # the same query on the same committed state: the hits shown are still the answer
        self._ran = ran
        self.selection = None
        self.query_text = query
        self.error = None
        hits: list[CodedSegment] = []
        if query.strip():
            try:
                hits = retrieve(self.project, query)
            except QueryError as exc:
                self.error = str(exc.message)
                self.query_input.cursor_position = exc.position
            except WorkbenchError as exc:
                self.error = exc.message
        self.hit_list.set_hits(hits, keep)
        self.query_one("#retrieval-columns", Static).update(self.hit_list.column_header())
        self.update_status()
        self.show_preview()  # now, not on the list's Highlighted message: in the frame that shows the hits

    def show_selection(self, selection: SegmentSelection, keep: str | None = None) -> None:
        """List exactly `selection`'s segments (a matrix cell's), cited; the status line names them."""
        ran = (selection, *self.project_state)
        if ran == self._ran and self.selection is selection:
            return  # the same segments on the same committed state: the list is still right
        self._ran = ran
        self.selection = selection
        self.query_text = ""
        self.error = None
        self.query_input.value = ""
        self.hit_list.set_hits(selected_segments(self.project, selection), keep)
        self.query_one("#retrieval-columns", Static).update(self.hit_list.column_header())
        self.update_status()
        self.show_preview()

    def update_status(self) -> None:
        status = self.query_one("#retrieval-status", Static)
        if self.selection is not None and not self.error:
            hits = self.hit_list.hits
            segments = len({h.segment_id for h in hits})
            people = len({h.participant for h in hits})
            codings = f" ({len(hits)} codings)" if len(hits) != segments else ""
            context = f"±{self.context} lines" if self.context else "off"
            status.update(
                Text(
                    f"{self.selection.title}: {segments} segment{'s' if segments != 1 else ''}{codings}"
                    f" · {people} participant{'s' if people != 1 else ''} · context {context} (c)",
                    no_wrap=True,
                    overflow="ellipsis",
                )
            )
        elif self.error:
            status.update(Text(f"✕ {self.error}", no_wrap=True, overflow="ellipsis"))
        elif not self.query_text.strip():
            status.update(Text("Type a query and press Enter, or press Enter on a code in the codebook (3)"))
        else:
            hits = self.hit_list.hits
            people = len({h.participant for h in hits})
            flagged = sum(1 for h in hits if h.flag)
            review = f" · {FLAG_GLYPH} {flagged} to review" if flagged else ""
            context = f"±{self.context} lines" if self.context else "off"
            coders = {h.coder for h in hits}
            by = f" · coded by {next(iter(coders))}" if len(coders) == 1 else ""  # no column for it then
            status.update(
                Text(
                    f"{len(hits)} segment{'s' if len(hits) != 1 else ''} · {people} participant"
                    f"{'s' if people != 1 else ''}{by}{review} · context {context} (c)",
                    no_wrap=True,
                    overflow="ellipsis",
                )
            )

    @on(Input.Submitted, "#retrieval-query")
    def _submitted(self, event: Input.Submitted) -> None:
        """Run the query and stay in the box: what is typed next is the next query, never a command.

        Down (or Esc, or Tab) goes to the list of segments.
        """
        self.run_query(event.value)

    # -- preview -------------------------------------------------------------------------------------------
    @on(HitList.Highlighted)
    def _highlighted(self, event: HitList.Highlighted) -> None:
        self.show_preview()
        self.wb.flush_repaints(self)  # the preview in the frame that moves the cursor (see the app)

    @on(HitList.Selected)
    def _selected(self, event: HitList.Selected) -> None:
        self.action_jump()

    def show_preview(self) -> None:
        preview = self.query_one("#retrieval-preview", TextPane)
        hit = self.hit_list.current
        shown, context = self._previewed
        if hit is not None and hit is shown and context == self.context:
            return  # already showing it (a query shows its first hit, then the list says so again)
        self._previewed = (hit, self.context)
        if hit is None:
            preview.update("")
            return
        text = Text()
        text.append(hit.citation, "bold")
        text.append(f" · {hit.code} · coded by {hit.coder} · {hit.source}\n", "dim")
        if hit.flag:
            text.append(f"{FLAG_GLYPH} {hit.flag}\n", "bold")
        text.append_text(self._extract(hit))
        preview.update(text)

    def _extract(self, hit: CodedSegment) -> Text:
        """The quote (TR-12 form); with context, the lines around it too, the coded words in bold reverse."""
        project = self.project
        segment = project.get("segments", hit.segment_id)
        if segment is None:
            return Text(hit.text)
        try:
            record = project.text_record(segment["version_id"])
            source = project.source(hit.source)
            turns = (
                project.effective_turns(hit.source)
                if segment["version_id"] == source["version_id"]
                else record.turns
            )
            core = extract(record.text, turns, hit.start, hit.end, 0, record.linemap)
            if not self.context:
                return Text(core)
            around = extract(record.text, turns, hit.start, hit.end, self.context, record.linemap)
        except WorkbenchError:
            return Text(hit.text)
        text = Text(around, style="dim")
        at = around.find(core)
        if at >= 0:
            text.stylize("not dim bold reverse", at, at + len(core))
        return text

    # -- actions -------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the query box has focus, Enter, / and c belong to it; Esc leaves it."""
        typing = self.focused is self.query_input if self.is_mounted else False
        if action in ("jump", "focus_query", "toggle_context"):
            return not typing
        if action == "focus_results":
            return typing
        if action == "back":
            return not typing and self.selection is not None and self.selection.back is not None
        return True

    def action_jump(self) -> None:
        after_keys(self.hit_list, self._jump)  # Enter is a priority binding: j j Enter typed ahead

    def _jump(self) -> None:
        hit = self.hit_list.current
        if hit is None:
            self.notify("no segment under the cursor", severity="warning")
            return
        self.wb.open_transcript(hit.source, hit.start)

    def action_back(self) -> None:
        """Esc on the segments of a matrix cell: back to the matrix, on that cell."""
        after_keys(self.hit_list, self._back)

    def _back(self) -> None:
        if self.selection is not None and self.selection.back is not None:
            self.wb.action_view(self.selection.back)

    def action_focus_query(self) -> None:
        self.query_input.focus()

    def action_focus_results(self) -> None:
        self._chose_list = True
        self.hit_list.focus()

    def action_toggle_context(self) -> None:
        self.context = 0 if self.context else CONTEXT_LINES
        self.update_status()
        self.show_preview()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")
        self.call_after_refresh(self._relayout)

    def _relayout(self) -> None:
        self.query_one("#retrieval-columns", Static).update(self.hit_list.column_header())


_ONE_CELL_EACH = re.compile("[\u0020-\u007e\u00a0-\u02ff\u2010-\u2015]*")
"""Text whose every character takes one cell (Latin letters with their accents, precomposed, and
dashes): its width is its length, without measuring character by character."""


def _widest(values: set[str], default: int, cap: int) -> int:
    """Cells of the widest of `values`, at most `cap`; measured once per distinct value (2,000 hits
    have a handful of codes and coders), by length when every character is one cell wide (citations
    such as "Chloé, 3:12–14", thousands of them), and not at all once one reaches the cap."""
    widest = default if not values else 0
    simple = _ONE_CELL_EACH.fullmatch
    for value in values:
        widest = max(widest, len(value) if simple(value) else cell_len(value))
        if widest >= cap:
            return cap
    return widest
