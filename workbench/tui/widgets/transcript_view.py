"""TranscriptView: a transcript as numbered tool lines with coding bars, a cursor and a selection.

Built on Textual's Line API (`ScrollView.render_line` returning `Strip`s), like Textual's `Log` and
Toolong's log view: nothing is mounted per line, so a two-hour interview costs the same widget tree
as a two-line one, and a keystroke repaints only the rows it changed. Each row is

    ``  12 FH│It was on the ward. She said she'd been there herself, and``

- a gutter with the tool line number from the frozen LineMap (TR-9), right-aligned and never scrolled
  away horizontally, because page:line is the citation key (METHODS.md 9);
- a margin with one marker character per code applied to the line (a letter, never colour alone, so
  the view works on monochrome terminals); the screen shows the legend. When the screen draws several
  coders' layers at once (ICR-2) each `CodedSpan` carries its layer's one-letter tag (the coder's
  initial, ``=`` for consensus) and the margin shows one two-letter entry per layer and code, tag
  first — ``aF bF`` — so who coded what is readable without colour;
- the line's text, speaker label in bold, coded characters underlined, the selection reversed and the
  cursor reversed (or, inside the selection or a find hit, un-reversed and underlined);
- the hits of a find (`/`, `set_find_hits`) reversed *and* underlined (and tinted where there is
  colour): a cue of its own that needs no colour, unlike a plain selection's reverse.

A rule row (``──── page 3 ────``) precedes each page. Rendered rows are kept in an LRU cache keyed by
row plus the cursor and selection state on that row, and the cache is dropped only when the document,
the codings or the styles change. Coding markers are computed once per `set_codings` (linear in the
codings of this version), never per `render_line`.

The view knows nothing about projects: the screen gives it text, LineMap, turns and `CodedSpan`s, and
reacts to its `CursorMoved` and `SelectionChanged` messages.
"""

from __future__ import annotations

import string
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.core import selection as units
from workbench.core.ids import natural_key
from workbench.core.model import Turn
from workbench.core.selection import Span
from workbench.core.text import Line, LineMap, turn_label_span

__all__ = ["MARKER_ALPHABET", "OVERFLOW_MARKER", "CodedSpan", "TranscriptView", "assign_markers"]

MARKER_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits
"""Characters used as code markers in the margin: 62 codes per transcript get a unique one."""
OVERFLOW_MARKER = "*"
"""Marker shared by codes beyond the 62nd in one transcript (the legend lists them all)."""
MAX_MARGIN = 3
"""Most markers shown on one line; more show as the first two and "+" (the side pane lists all)."""
_CACHE_ROWS = 2048


@dataclass(frozen=True, slots=True)
class CodedSpan:
    """One coding as the view draws it: where, which code, and the records it came from."""

    start: int
    end: int
    code_id: str
    label: str
    segment_id: str
    coding_id: str
    layer: str = ""
    """The layer's margin tag when several layers are drawn (the coder's initial); "" when one is."""


_drawn = attrgetter("start", "end", "coding_id", "code_id", "label", "layer")
"""What a coding's drawing depends on, as a tuple (compared in C when the codings change)."""


def _sorted_codings(codings: Iterable[CodedSpan]) -> tuple[CodedSpan, ...]:
    """Text order: by start, the longer first, then by code (creation order)."""
    return tuple(sorted(codings, key=lambda c: (c.start, -c.end, natural_key(c.code_id))))


def _marker_order(codings: Iterable[CodedSpan]) -> tuple[tuple[str, str], ...]:
    """The (code id, label) pairs drawn, in code creation order: what the markers are assigned from."""
    return tuple(sorted({(c.code_id, c.label) for c in codings}, key=lambda pair: natural_key(pair[0])))


def assign_markers(codes: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Code id -> one margin character, preferring letters of the label ("Feeling understood" -> F).

    Codes are taken in the order given (the view uses creation order, so an older code keeps its
    letter when a new one appears). Each gets the first of: its label's initials in upper case, any
    other letter or digit of the label, any free character of `MARKER_ALPHABET`; past 62 codes,
    `OVERFLOW_MARKER`.
    """
    taken: set[str] = set()
    out: dict[str, str] = {}
    for code_id, label in codes:
        if code_id in out:
            continue
        words = [w for w in label.split() if w]
        initials = [w[i] for w in words for i in range(len(w)) if w[i].isalnum()][:1]
        initials += [next((c for c in w if c.isalnum()), "") for w in words[1:]]
        letters = [c for c in label if c.isalnum()]
        candidates = [c.upper() for c in initials if c] + [c.upper() for c in letters] + letters
        choice = next((c for c in candidates if c in MARKER_ALPHABET and c not in taken), None)
        if choice is None:
            choice = next((c for c in MARKER_ALPHABET if c not in taken), OVERFLOW_MARKER)
        if choice != OVERFLOW_MARKER:
            taken.add(choice)
        out[code_id] = choice
    return out


class TranscriptView(ScrollView, can_focus=True, inherit_bindings=False):
    """The Line-API transcript: see the module docstring for what each row shows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="transcript.down",
                tooltip="Cursor to the next line"),
        Binding("up,k", "cursor_up", "Up", show=False, id="transcript.up",
                tooltip="Cursor to the previous line"),
        Binding("right,l", "cursor_right", "Right", show=False, id="transcript.right",
                tooltip="Cursor one character right"),
        Binding("left,h", "cursor_left", "Left", show=False, id="transcript.left",
                tooltip="Cursor one character left"),
        Binding("w", "word_next", "Next word", show=False, id="transcript.word_next",
                tooltip="Cursor to the start of the next word"),
        Binding("b", "word_prev", "Previous word", show=False, id="transcript.word_prev",
                tooltip="Cursor to the start of this or the previous word"),
        Binding("pagedown", "page_down", "Page down", show=False, id="transcript.page_down",
                tooltip="Cursor one screen down"),
        Binding("pageup", "page_up", "Page up", show=False, id="transcript.page_up",
                tooltip="Cursor one screen up"),
        Binding("g,home", "top", "Top", show=False, id="transcript.top",
                tooltip="Cursor to the first line"),
        Binding("G,end", "bottom", "Bottom", show=False, id="transcript.bottom",
                tooltip="Cursor to the last line"),
        Binding("right_square_bracket", "turn_next", "Next turn", show=False, id="transcript.turn_next",
                tooltip="Cursor to the words of the next speaker turn"),
        Binding("left_square_bracket", "turn_prev", "Previous turn", show=False,
                id="transcript.turn_prev", tooltip="Cursor to the words of this or the previous turn"),
        Binding("space", "toggle_select", "Select", id="transcript.select",
                tooltip="Start a selection at the cursor (movement extends it); again to fix it"),
        Binding("escape", "clear_selection", "Clear the selection", show=False, id="transcript.clear",
                tooltip="Clear the selection"),
        Binding("W", "select_unit('word')", "Select word (again: extend)", show=False,
                id="transcript.select_word",
                tooltip="Select the word at the cursor, or extend the selection by it"),
        Binding("L", "select_unit('line')", "Select line (again: extend)", show=False,
                id="transcript.select_line",
                tooltip="Select the tool line at the cursor, or extend the selection by it"),
        Binding("S", "select_unit('sentence')", "Select sentence (again: extend)", show=False,
                id="transcript.select_sentence",
                tooltip="Select the sentence at the cursor, or extend the selection by it"),
        Binding("T", "select_unit('turn')", "Select turn (again: extend)", show=False,
                id="transcript.select_turn",
                tooltip="Select the speaker turn at the cursor (without its label), or extend by it"),
        Binding("P", "select_unit('paragraph')", "Select paragraph (again: extend)", show=False,
                id="transcript.select_paragraph",
                tooltip="Select the paragraph at the cursor, or extend the selection by it"),
    ]  # fmt: skip

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript-view--gutter",
        "transcript-view--gutter-cursor",
        "transcript-view--margin",
        "transcript-view--label",
        "transcript-view--coded",
        "transcript-view--selection",
        "transcript-view--cursor",
        "transcript-view--page",
        "transcript-view--hit",
    }

    DEFAULT_CSS = """
    TranscriptView {
        background: $surface;
        overflow-x: auto;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 0;
    }
    TranscriptView > .transcript-view--gutter { color: $text-muted; }
    TranscriptView > .transcript-view--gutter-cursor { text-style: reverse bold; }
    TranscriptView > .transcript-view--margin { color: $accent; text-style: bold; }
    TranscriptView > .transcript-view--label { text-style: bold; }
    TranscriptView > .transcript-view--coded { text-style: underline; }
    TranscriptView > .transcript-view--selection { text-style: reverse; }
    TranscriptView > .transcript-view--cursor { text-style: reverse bold; }
    TranscriptView > .transcript-view--page { color: $text-muted; }
    TranscriptView > .transcript-view--hit { text-style: reverse underline; color: $warning; }
    """

    class CursorMoved(Message):
        """The cursor moved to `offset` (a code point of the canonical text)."""

        def __init__(self, view: TranscriptView, offset: int) -> None:
            super().__init__()
            self.view = view
            self.offset = offset

        @property
        def control(self) -> TranscriptView:
            return self.view

    class SelectionChanged(Message):
        """The selection is now `span` (None when cleared), made with `unit` (a `selection.UNITS` name)."""

        def __init__(self, view: TranscriptView, span: Span | None, unit: str) -> None:
            super().__init__()
            self.view = view
            self.span = span
            self.unit = unit

        @property
        def control(self) -> TranscriptView:
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = ""
        self.linemap: LineMap | None = None
        self.turns: tuple[Turn, ...] = ()
        self.codings: tuple[CodedSpan, ...] = ()
        self.markers: dict[str, str] = {}
        self.cursor = 0
        self.selection: Span | None = None
        self.unit = "character"
        self.select_anchor: int | None = None  # set while a space-started selection follows the cursor
        self._goal_column: int | None = None
        self._lines: tuple[Line, ...] = ()
        self._line_starts: list[int] = []
        self._speech: list[int] = []  # where each turn's words begin (after its label)
        self._rows: list[int] = []  # line index, or -page for the rule before that page
        self._line_rows: list[int] = []
        self._labels: dict[int, Span] = {}  # line index -> label span relative to the line
        self._line_codings: list[list[CodedSpan]] = []  # line index -> the codings on it
        self._line_info: dict[int, tuple[tuple[str, ...], list[Span]]] = {}  # line -> (margin entries, coded)
        self._tagged = False  # some coding carries a layer tag: margin entries are tag + marker
        self._rank: dict[str, int] = {}  # code id -> position in marker order
        self._marker_order: tuple[tuple[str, str], ...] = ()
        self._margin = 1
        self._gutter = 1
        self._content_width = 0
        self._cache: LRUCache[tuple[int, int, int, int], tuple[Strip, Strip]] = LRUCache(_CACHE_ROWS)
        self._base_style: Style | None = None
        self.find_hits: tuple[Span, ...] = ()  # a find's hits, in text order (drawn reversed + underlined)
        self._hit_starts: list[int] = []

    # -- data in ----------------------------------------------------------------------------------------
    def set_document(self, text: str, linemap: LineMap, turns: Sequence[Turn]) -> None:
        """Show a transcript version; the cursor goes to its first character and the selection is cleared."""
        self.text = text
        self.linemap = linemap
        self.turns = tuple(sorted(turns, key=lambda t: t.start))
        self._lines = linemap.lines
        self._line_starts = [line.start for line in self._lines]
        rows: list[int] = []
        line_rows: list[int] = []
        page = 0
        for index, line in enumerate(self._lines):
            if line.page != page:
                page = line.page
                rows.append(-page)
            line_rows.append(len(rows))
            rows.append(index)
        self._rows = rows
        self._line_rows = line_rows
        self._speech = [units.turn_span(self.turns, turn.start, text)[0] for turn in self.turns]
        self._labels = {}
        for turn in self.turns:
            start, end = turn_label_span(text, turn)
            if end > start:
                index = self._line_index(start)
                line = self._lines[index]
                self._labels[index] = (start - line.start, min(end, line.end) - line.start)
        self._gutter = len(str(max(line.number for line in self._lines)))
        widest = max((cell_len(self._line_text(line)) for line in self._lines), default=0)
        self._content_width = max(widest, linemap.settings.width) + 1
        self.cursor = self._lines[0].start
        self.selection = None
        self.select_anchor = None
        self.unit = "character"
        self._goal_column = None
        self.find_hits, self._hit_starts = (), []  # offsets into another text: gone with it
        self.set_codings(())
        self.scroll_to(0, 0, animate=False, force=True)
        self._announce(self.CursorMoved(self, self.cursor))
        self._announce(self.SelectionChanged(self, None, self.unit))

    def set_codings(self, codings: Sequence[CodedSpan]) -> None:
        """Replace the codings drawn, indexing them by line once (linear in the codings).

        A line's markers and underlined ranges are derived from this index the first time the line
        is drawn after the change, so a coding in a 1,000-coding transcript costs one pass over
        the codings plus the rows on screen, never a pass over every line per keystroke.
        """
        previous = self.codings
        self.codings = _sorted_codings(codings)
        order = _marker_order(self.codings)
        same_markers = order == self._marker_order  # usually: most codings reuse codes already here
        if not same_markers:
            self._marker_order = order
            self.markers = assign_markers(order)
            self._rank = {code_id: n for n, (code_id, _label) in enumerate(order)}
        line_codings: list[list[CodedSpan]] = [[] for _ in self._lines]
        widest = 1
        for coding in self.codings:
            for index in self._lines_spanned(coding.start, coding.end):
                members = line_codings[index]
                members.append(coding)
                if len(members) > widest:
                    widest = len({(m.layer, m.code_id) for m in members})
        self._line_codings = line_codings
        tag_width = max((len(c.layer) for c in self.codings), default=0)
        entries = max(1, min(MAX_MARGIN, widest))
        # tagged: entries of tag + marker, a space between them; untagged: one character per code
        margin = entries * (tag_width + 2) - 1 if tag_width else entries
        if same_markers and (margin, tag_width > 0) == (self._margin, self._tagged):
            # A coding added or removed: only the lines it spans are drawn again (the common case).
            changed = set(map(_drawn, previous)).symmetric_difference(map(_drawn, self.codings))
            self._refresh_lines_of((start, end) for start, end, *_rest in changed)
            return
        self._tagged = tag_width > 0
        self._margin = margin
        self._line_info.clear()
        self._refresh_all()

    def change_codings(self, removed: Sequence[CodedSpan], added: Sequence[CodedSpan]) -> bool:
        """Take `removed` out and put `added` in, touching only the lines they span.

        What coding, uncoding and their undo do: proportional to the change, not to the codings here.
        Returns False, changing nothing, when the change needs everything laid out again (a code new
        to this transcript or gone from it changes the markers; a line with more codes than the
        margin has room for widens it): then call `set_codings`.
        """
        gone = {id(c) for c in removed}
        kept = [c for c in self.codings if id(c) not in gone]
        if len(kept) != len(self.codings) - len(gone):
            return False  # not all of `removed` are drawn here
        codings = _sorted_codings([*kept, *added])
        if _marker_order(codings) != self._marker_order:
            return False
        if self._tagged or any(c.layer for c in added):
            return False  # several layers drawn, each tagged: lay the margin out again
        line_codings = self._line_codings
        touched: set[int] = set()
        for coding in removed:
            for index in self._lines_spanned(coding.start, coding.end):
                line_codings[index] = [m for m in line_codings[index] if m is not coding]
                touched.add(index)
        for coding in added:
            for index in self._lines_spanned(coding.start, coding.end):
                touched.add(index)
                line_codings[index].append(coding)
        room = self._margin  # untagged: one character per code on a line
        if room < MAX_MARGIN and any(len({m.code_id for m in line_codings[i]}) > room for i in touched):
            self.set_codings(codings)  # the margin must widen: lay every line out again
            return True
        self.codings = codings
        self._refresh_lines_of((c.start, c.end) for c in (*removed, *added))
        return True

    def set_find_hits(self, hits: Sequence[Span]) -> None:
        """Draw `hits` (spans of this text) as a find's hits, replacing any earlier ones; () clears."""
        old = self.find_hits
        self.find_hits = tuple(sorted((s, e) for s, e in hits if e > s))
        self._hit_starts = [start for start, _end in self.find_hits]
        if len(old) + len(self.find_hits) > 200:
            self._cache.clear()
            self.refresh()
        else:
            self._refresh_lines_of([*old, *self.find_hits])

    def _hits_on(self, line: Line) -> list[Span]:
        """The find hits on `line`, relative to its start (cut to the line)."""
        if not self.find_hits:
            return []
        first = max(bisect_right(self._hit_starts, line.start) - 1, 0)
        out: list[Span] = []
        for start, end in self.find_hits[first:]:
            if start >= line.end:
                break
            if end > line.start:
                out.append((max(start, line.start) - line.start, min(end, line.end) - line.start))
        return out

    def _lines_spanned(self, start: int, end: int) -> range:
        """Indexes of the lines a span touches (none for an empty span)."""
        if end <= start or not self._line_starts:
            return range(0)
        first = self._line_index(start)
        return range(first, max(self._line_index(end - 1), first) + 1)

    def _refresh_lines_of(self, spans: Iterable[tuple[int, int]]) -> None:
        """Forget what was drawn for the lines these spans cover (an empty span: its line), and draw
        those rows again."""
        lines: set[int] = set()
        for start, end in spans:
            lines.update(self._lines_spanned(start, max(end, start + 1)))
        if not lines:
            return
        rows = {self._line_rows[index] for index in lines}
        for index in lines:
            self._line_info.pop(index, None)
        for key in [key for key in self._cache.keys() if key[0] in rows]:  # noqa: SIM118 - no __iter__
            self._cache.discard(key)
        self.refresh()

    def _coding_info(self, index: int) -> tuple[tuple[str, ...], list[Span]]:
        """Margin entries (a marker per code in code order; with layer tags, tag + marker per layer and
        code, by tag) and merged coded ranges of line `index`, computed on first use."""
        info = self._line_info.get(index)
        if info is None:
            line = self._lines[index]
            members = self._line_codings[index] if self._line_codings else []
            pairs = sorted({(c.layer, c.code_id) for c in members}, key=lambda p: (p[0], self._rank[p[1]]))
            markers = tuple(f"{layer}{self.markers[code_id]}" for layer, code_id in pairs)
            coded = _merge(
                (max(c.start, line.start) - line.start, min(c.end, line.end) - line.start) for c in members
            )
            info = self._line_info[index] = (markers, coded)
        return info

    def _refresh_all(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.prefix_width + self._content_width, len(self._rows))
        self.refresh()

    def notify_style_update(self) -> None:
        """A theme or CSS change: cached rows carry old styles."""
        super().notify_style_update()
        self._cache.clear()
        self._base_style = None

    @property
    def base_style(self) -> Style:
        """The widget's own Rich style, cached: `rich_style` walks the ancestors on every call."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    @property
    def _plain(self) -> bool:
        return bool(getattr(self.app, "screen_reader", False))

    # -- queries the screen uses -----------------------------------------------------------------------
    @property
    def prefix_width(self) -> int:
        """Cells before the text: line number, a space, the markers, the separator bar."""
        return self._gutter + 1 + self._margin + 1

    @property
    def cursor_line(self) -> Line:
        """The tool line the cursor is on."""
        return self._lines[self._line_index(self.cursor)]

    def line_of(self, offset: int) -> Line:
        """The tool line holding `offset`."""
        return self._lines[self._line_index(offset)]

    def cursor_cell(self) -> tuple[int, int]:
        """(x, y) of the cursor's cell within this widget's region, for the terminal's cursor.

        A screen reader follows the terminal cursor: it is put here (screen_reader.py) so what the
        reader says is the word under the cursor, not whatever Textual last drew.
        """
        line = self.cursor_line
        column = cell_len(self._line_text(line)[: self.cursor - line.start])
        x = self.prefix_width + column - int(self.scroll_offset.x)
        y = self._cursor_row() - int(self.scroll_offset.y)
        return x, y

    def row_of_line(self, index: int) -> int:
        """The row (page rules count) where line `index` (0-based) is drawn."""
        return self._line_rows[index]

    def codings_at(self, offset: int) -> list[CodedSpan]:
        """Codings whose span holds `offset`, innermost (shortest) first."""
        if not self._line_codings:
            return []
        members = self._line_codings[self._line_index(offset)]
        found = [c for c in members if c.start <= offset < c.end]
        return sorted(found, key=lambda c: (c.end - c.start, natural_key(c.code_id)))

    def codings_in(self, span: Span) -> list[CodedSpan]:
        """Codings overlapping `span`, in text order."""
        start, end = span
        if not self._line_codings or end <= start:
            return []
        seen: dict[int, CodedSpan] = {}
        for index in self._lines_spanned(start, end):
            seen.update((id(c), c) for c in self._line_codings[index] if c.start < end and start < c.end)
        return list(_sorted_codings(seen.values()))

    def visible_lines(self) -> tuple[int, int]:
        """0-based indexes of the first and last line on screen."""
        if not self._rows:
            return (0, -1)
        top = int(self.scroll_offset.y)
        bottom = min(len(self._rows) - 1, top + max(self.scrollable_content_region.height, 1) - 1)
        lines = [r for r in self._rows[top : bottom + 1] if r >= 0]
        return (lines[0], lines[-1]) if lines else (0, -1)

    def unit_span(self, unit: str, offset: int) -> Span:
        """The span of `unit` (one of `selection.UNITS` except "character") at `offset`."""
        if self.linemap is None:
            return (offset, offset)
        if unit == "word":
            return units.word_span(self.text, offset)
        if unit == "line":
            return units.line_span(self.linemap, offset, self.text, self.turns)
        if unit == "sentence":
            return units.sentence_span(self.text, offset, self.turns)
        if unit == "turn":
            return units.turn_span(self.turns, offset, self.text)
        if unit == "paragraph":
            return units.paragraph_span(self.text, offset, self.turns)
        raise ValueError(f"unknown selection unit {unit!r}")

    # -- state changes ---------------------------------------------------------------------------------
    def _announce(self, message: Message) -> None:
        """Post a change straight to the screen, ahead of this widget's own repaint request.

        The screen (the one listener) then updates its panes before the frame that draws the moved
        cursor is painted, so a keystroke costs one frame, not two (bubbling through the parent
        delivered it after that frame, and the panes landed in a second one, ~30 ms later).
        """
        if self.is_attached:
            self.screen.post_message(message)
        else:
            self.post_message(message)

    def move_to(self, offset: int, *, keep_goal: bool = False) -> None:
        """Put the cursor at `offset` (clamped to a character of a line), scroll it into view."""
        if not self._lines:
            return
        offset = self._valid_offset(offset)
        old_row = self._cursor_row()
        old_selection = self.selection
        self.cursor = offset
        if not keep_goal:
            self._goal_column = None
        if self.select_anchor is not None:
            lo, hi = min(self.select_anchor, offset), max(self.select_anchor, offset)
            self.selection = (lo, min(hi + 1, len(self.text)))
            self.unit = "character"
        self._repaint_changes(old_row, old_selection)
        self.scroll_cursor_into_view()
        self._announce(self.CursorMoved(self, offset))
        if self.selection != old_selection:
            self._announce(self.SelectionChanged(self, self.selection, self.unit))

    def set_selection(self, span: Span | None, unit: str = "character") -> None:
        """Select `span` (or clear with None) as made by `unit`; a following selection is stopped."""
        old_selection = self.selection
        self.select_anchor = None
        self.selection = span if span is None or span[0] < span[1] else None
        self.unit = unit if self.selection is not None else "character"
        self._repaint_changes(self._cursor_row(), old_selection)
        self._announce(self.SelectionChanged(self, self.selection, self.unit))

    def clear_selection(self) -> None:
        """Drop the selection (after it was coded, or on Esc)."""
        self.set_selection(None)

    def _valid_offset(self, offset: int) -> int:
        offset = max(0, min(offset, len(self.text)))
        line = self._lines[self._line_index(offset)]
        return max(line.start, min(offset, self._last_column_offset(line)))

    @staticmethod
    def _last_column_offset(line: Line) -> int:
        return max(line.start, line.end - 1)

    def _line_index(self, offset: int) -> int:
        return max(bisect_right(self._line_starts, offset) - 1, 0)

    def _cursor_row(self) -> int:
        return self._line_rows[self._line_index(self.cursor)] if self._lines else 0

    def _selection_rows(self, span: Span | None) -> range:
        if span is None or not self._lines:
            return range(0)
        first = self._line_rows[self._line_index(span[0])]
        last = self._line_rows[self._line_index(max(span[0], span[1] - 1))]
        return range(first, last + 1)

    def _repaint_changes(self, old_row: int, old_selection: Span | None) -> None:
        """Repaint only the rows whose cursor or selection state changed."""
        rows = {old_row, self._cursor_row()}
        if old_selection != self.selection:
            for changed in (self._selection_rows(old_selection), self._selection_rows(self.selection)):
                if len(changed) > 200:
                    self.refresh()
                    return
                rows.update(changed)
        for row in rows:
            self.refresh_line(row)

    def scroll_cursor_into_view(self) -> None:
        """Scroll to show the cursor: vertically the least needed, sideways with a quarter width of context.

        The gutter and margin never scroll sideways, so line numbers stay in view.
        """
        region = self.scrollable_content_region
        if region.height <= 0 or region.width <= 0:
            self.call_after_refresh(self.scroll_cursor_into_view)
            return
        row = self._cursor_row()
        y = int(self.scroll_offset.y)
        if row < y:
            y = row - 1 if row > 0 and self._rows[row - 1] < 0 else row
        elif row >= y + region.height:
            y = row - region.height + 1
        line = self.cursor_line
        column = cell_len(self._line_text(line)[: self.cursor - line.start])
        text_width = max(1, region.width - self.prefix_width)
        x = int(self.scroll_offset.x)
        context = text_width // 4  # show some words beyond the cursor, not just its cell
        if column < x:
            x = max(0, column - context)
        elif column >= x + text_width:
            x = column - text_width + 1 + context
        if (x, y) != (int(self.scroll_offset.x), int(self.scroll_offset.y)):
            self.scroll_to(x, y, animate=False, force=True)

    # -- actions ---------------------------------------------------------------------------------------
    def _move_lines(self, delta: int) -> None:
        if not self._lines:
            return
        line = self.cursor_line
        if self._goal_column is None:
            self._goal_column = self.cursor - line.start
        index = max(0, min(len(self._lines) - 1, line.ordinal - 1 + delta))
        target = self._lines[index]
        self.move_to(min(target.start + self._goal_column, self._last_column_offset(target)), keep_goal=True)

    def action_cursor_down(self) -> None:
        self._move_lines(1)

    def action_cursor_up(self) -> None:
        self._move_lines(-1)

    def action_page_down(self) -> None:
        self._move_lines(max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._move_lines(-max(1, self.scrollable_content_region.height - 1))

    def action_cursor_right(self) -> None:
        line = self.cursor_line
        if self.cursor < self._last_column_offset(line):
            self.move_to(self.cursor + 1)
        elif line.ordinal < len(self._lines):
            self.move_to(self._lines[line.ordinal].start)

    def action_cursor_left(self) -> None:
        line = self.cursor_line
        if self.cursor > line.start:
            self.move_to(self.cursor - 1)
        elif line.ordinal > 1:
            self.move_to(self._last_column_offset(self._lines[line.ordinal - 2]))

    def action_word_next(self) -> None:
        self.move_to(units.next_word_start(self.text, self.cursor))

    def action_word_prev(self) -> None:
        self.move_to(units.prev_word_start(self.text, self.cursor))

    def action_top(self) -> None:
        if self._lines:
            self.move_to(self._lines[0].start)

    def action_bottom(self) -> None:
        if self._lines:
            self.move_to(self._lines[-1].start)

    def action_turn_next(self) -> None:
        """`]`: the first words of the next speaker turn."""
        following = [i for i, turn in enumerate(self.turns) if turn.start > self.cursor]
        if following:
            self.move_to(self._speech[following[0]])
        else:
            self.app.bell()

    def action_turn_prev(self) -> None:
        """`[`: the first words of this turn when the cursor is past them, else of the previous turn."""
        preceding = [start for start in self._speech if start < self.cursor]
        if preceding:
            self.move_to(preceding[-1])
        else:
            self.app.bell()

    def action_toggle_select(self) -> None:
        """Space: start a selection that follows the cursor; pressed again, fix it where it is."""
        if self.select_anchor is None:
            old_selection = self.selection
            self.select_anchor = self.cursor
            self.selection = (self.cursor, min(self.cursor + 1, len(self.text)))
            self.unit = "character"
            self._repaint_changes(self._cursor_row(), old_selection)
            self._announce(self.SelectionChanged(self, self.selection, self.unit))
        else:
            self.select_anchor = None

    def action_clear_selection(self) -> None:
        if self.selection is None and self.select_anchor is None:
            return
        self.clear_selection()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc belongs to the selection only while there is one; else it reaches the screen (which
        clears a find's hits with it)."""
        if action == "clear_selection":
            return self.selection is not None or self.select_anchor is not None
        return True

    def action_select_unit(self, unit: str) -> None:
        """Select the unit at the cursor; with a selection, extend it by that unit.

        When the unit at the cursor is already inside the selection, the next unit after the
        selection is added and the cursor moves there, so pressing `L` three times selects three
        lines and `S` `S` two sentences (METHODS.md 9: "extend selection by lines").
        """
        span = self.unit_span(unit, self.cursor)
        current = self.selection
        if current is not None and current[0] <= span[0] and span[1] <= current[1]:
            following = self._next_unit_after(unit, current[1])
            if following is None:
                self.app.bell()
                return
            span = following
        if span[0] >= span[1]:
            self.app.bell()
            return
        if current is None:
            self.set_selection(span, unit)
        else:
            self.set_selection(units.extend(current, span), unit if self.unit == unit else "character")
        if span[0] > self.cursor or not span[0] <= self.cursor < span[1]:
            self.move_to(span[0])

    def _next_unit_after(self, unit: str, offset: int) -> Span | None:
        position = offset
        while position < len(self.text) and self.text[position].isspace():
            position += 1
        if position >= len(self.text):
            return None
        span = self.unit_span(unit, position)
        return span if span[1] > offset else None

    # -- mouse (never required) ------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        row = event.y + int(self.scroll_offset.y)
        if not 0 <= row < len(self._rows) or self._rows[row] < 0:
            return
        line = self._lines[self._rows[row]]
        target_cell = event.x - self.prefix_width + int(self.scroll_offset.x)
        text = self._line_text(line)
        cells = 0
        column = 0
        while column < len(text) and cells + cell_len(text[column]) <= target_cell:
            cells += cell_len(text[column])
            column += 1
        self.focus()
        self.move_to(line.start + column)

    # -- rendering -------------------------------------------------------------------------------------
    def _line_text(self, line: Line) -> str:
        return self.text[line.start : line.end].replace("\t", " ")

    def render_line(self, y: int) -> Strip:
        """One screen row: the cached prefix and text strips, the text cropped to the horizontal scroll."""
        scroll_x, scroll_y = self.scroll_offset
        row = int(scroll_y) + y
        width = self.size.width
        style = self.base_style
        if not 0 <= row < len(self._rows):
            return Strip.blank(width, style)
        prefix, body = self._row_strips(row)
        text_width = max(0, width - prefix.cell_length)
        body = body.crop_extend(int(scroll_x), int(scroll_x) + text_width, style)
        return Strip.join([prefix, body]).crop(0, width)

    def _row_strips(self, row: int) -> tuple[Strip, Strip]:
        index = self._rows[row]
        if index < 0:
            key = (row, -1, -1, -1)
        else:
            line = self._lines[index]
            column = self.cursor - line.start if self._line_index(self.cursor) == index else -1
            lo, hi = -1, -1
            if (
                self.selection is not None
                and self.selection[0] <= line.end
                and line.start < self.selection[1]
            ):
                lo = max(self.selection[0], line.start) - line.start
                hi = min(self.selection[1], line.end + 1) - line.start
            key = (row, column, lo, hi)
        cached = self._cache.get(key)
        if cached is None:
            cached = (
                self._build_page_rule(-index)
                if index < 0
                else self._build_line(index, key[1], key[2], key[3])
            )
            self._cache.set(key, cached)
        return cached

    def _build_page_rule(self, page: int) -> tuple[Strip, Strip]:
        rule_style = self.get_component_rich_style("transcript-view--page")
        if self._plain:  # screen-reader mode: words, not box drawing a reader would spell out
            body = f"page {page}"
        else:
            label = f"──── page {page} "
            body = label + "─" * max(4, self._content_width - 1 - len(label))
        return Strip([Segment(" " * self.prefix_width, self.base_style)]), Strip([Segment(body, rule_style)])

    def _build_line(self, index: int, column: int, lo: int, hi: int) -> tuple[Strip, Strip]:
        line = self._lines[index]
        get = self.get_component_rich_style
        is_cursor_line = column >= 0
        gutter_style = get("transcript-view--gutter-cursor" if is_cursor_line else "transcript-view--gutter")
        entries, coded = self._coding_info(index)
        if len(entries) > MAX_MARGIN:
            entries = (*entries[: MAX_MARGIN - 1], "+")
        markers = (" " if self._tagged else "").join(entries)
        prefix = Strip(
            [
                Segment(f"{line.number:>{self._gutter}}", gutter_style),
                Segment(" ", self.base_style),
                Segment(markers.ljust(self._margin)[: self._margin], get("transcript-view--margin")),
                Segment(" " if self._plain else "│", get("transcript-view--gutter")),
            ]
        )
        raw = self._line_text(line)
        body = Text(raw, style=self.base_style, no_wrap=True, end="")
        label = self._labels.get(index)
        if label is not None:
            body.stylize(get("transcript-view--label"), *label)
        if coded:
            coded_style = get("transcript-view--coded")
            for start, end in coded:
                body.stylize(coded_style, start, end)
        hits = self._hits_on(line)
        if hits:
            hit_style = get("transcript-view--hit")
            for start, end in hits:
                body.stylize(hit_style, start, end)
        selection_style = get("transcript-view--selection")
        if lo >= 0:
            body.stylize(selection_style, lo, min(hi, len(raw)))
            if not raw and hi > lo and column < 0:
                body.append(" ", selection_style)
        if is_cursor_line:
            in_selection = lo <= column < hi or any(start <= column < end for start, end in hits)
            cursor_style = (
                Style(reverse=False, bold=True, underline=True)
                if in_selection
                else get("transcript-view--cursor")
            )
            if column >= len(raw):
                body.append(" ", cursor_style)
            else:
                body.stylize(cursor_style, column, column + 1)
        # Rich renders unspanned text without its base style; a style-less segment would break
        # Textual's monochrome (NO_COLOR) filter, so give every segment one.
        base = self.base_style
        segments = [
            segment if segment.style is not None else Segment(segment.text, base)
            for segment in body.render(self.app.console)
            if segment.text
        ]
        return prefix, Strip(segments, body.cell_len)


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Union of spans, as sorted disjoint spans (for underlining coded text once)."""
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
