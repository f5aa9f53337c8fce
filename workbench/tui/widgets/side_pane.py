"""SidePane: the transcript's side pane (codes here, plugin margins, legend) as one Line-API widget.

It replaced three auto-height `Static`s in a scroll container. Those were re-wrapped on every layout
pass — and the legend of a 1,000-coding transcript has hundreds of rows — so each keystroke that
moved the cursor and each coding paid for wrapping text nobody had scrolled to. Here each section is
a sequence of one-line `Content`s (no wrapping: a row longer than the pane is cut with "…"), and only
the rows on screen are rendered. A section may be given as `LazyRows`, whose rows are made when
first drawn: the legend changes with every coding and is mostly scrolled out of view.

TextPane is the same pane holding one wrapped text (the retrieval preview, the codebook's detail).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar, overload

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.tui.widgets.scrolling import set_scroll_range

__all__ = ["LazyRows", "SidePane", "TextPane"]

T = TypeVar("T")


class LazyRows(Sequence[Content], Generic[T]):
    """Rows built from `items` by `build` when first asked for (each at most once)."""

    def __init__(self, items: Sequence[T], build: Callable[[T], Content]) -> None:
        self._items = items
        self._build = build
        self._built: dict[int, Content] = {}

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Content: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Content]: ...
    def __getitem__(self, index: int | slice) -> Content | Sequence[Content]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        row = self._built.get(index)
        if row is None:
            row = self._built[index] = self._build(self._items[index])
        return row


class SidePane(ScrollView, can_focus=True):
    """Named sections of lines, shown in the order they were first set, a blank row between them.

    Focusable (tab), so a keyboard user scrolls it with the arrow and page keys like any scroll view.
    Rows are cut to the pane's width, so it never scrolls sideways (nor loses a row to a bar for it).
    """

    DEFAULT_CSS = "SidePane { overflow-x: hidden; }"

    def __init__(self, sections: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._order = sections
        self._sections: dict[str, Sequence[Content]] = {name: [] for name in sections}
        self._shown: list[Sequence[Content]] = []  # the non-empty sections, in order
        self._starts: list[int] = []  # the pane row where each shown section begins

    def set_section(self, name: str, content: Content) -> None:
        """Replace one section with `content` (split at line breaks); an empty content hides it."""
        lines = content.split("\n") if content.plain else []
        if lines == self._sections[name]:
            return
        self.set_rows(name, lines)

    def set_rows(self, name: str, rows: Sequence[Content]) -> None:
        """Replace one section with `rows`, one line each (no rows hides it)."""
        self._sections[name] = rows
        self._shown = [self._sections[s] for s in self._order if len(self._sections[s])]
        self._starts = []
        total = 0
        for section in self._shown:
            self._starts.append(total + (1 if total else 0))  # a blank row between sections
            total = self._starts[-1] + len(section)
        set_scroll_range(self, Size(self.size.width, total))  # the pane's height is fixed
        self.refresh()

    def section_text(self, name: str) -> str:
        """The plain text of one section (what tests and screen readers look at)."""
        return "\n".join(line.plain for line in self._sections[name])

    def _row(self, row: int) -> Content | None:
        index = bisect_right(self._starts, row) - 1
        if index < 0:
            return None
        offset = row - self._starts[index]
        section = self._shown[index]
        return section[offset] if offset < len(section) else None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        content = self._row(y + self.scroll_offset.y)
        if content is None:
            return Strip([Segment(" " * width, style)], width)
        line = content.truncate(width, ellipsis=True)
        segments = line.render_segments(self.visual_style)
        return Strip(segments, line.cell_length).extend_cell_length(width, style).crop(0, width)


class TextPane(SidePane):
    """Wrapped text in a pane of fixed size (retrieval preview, codebook detail), drawn line by line.

    Replaces a `Static` in a scroll container, whose every update asked for two layout passes of the
    whole screen (the text's new height, then the container's new scroll range), each a frame of its
    own after the one that showed the change. Here the text is wrapped to the pane's width, leaving
    room for a scroll bar, and replacing it only changes the scroll range (see `SidePane.set_rows`).
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(("text",), id=id)
        self._content = Content("")
        self._wrapped_at = -1  # the width the rows were wrapped to; -1: not yet

    @property
    def text(self) -> str:
        """The plain text shown (unwrapped)."""
        return self._content.plain

    def update(self, text: Text | str) -> None:
        """Show `text` from its first line; the same text again changes nothing (nor the scrolling)."""
        content = Content.from_rich_text(text) if isinstance(text, Text) else Content(text)
        if content.plain == self._content.plain and content.spans == self._content.spans:
            return
        self._content = content
        self._wrapped_at = -1
        self._wrap()
        self.scroll_to(y=0, animate=False)

    def _wrap(self) -> None:
        if not self.size.width:
            return  # not laid out yet: wrapped on its first resize
        width = max(self.size.width - self.styles.scrollbar_size_vertical, 1)
        if width == self._wrapped_at:
            return
        self._wrapped_at = width
        self.set_rows("text", self._content.wrap(width) if self._content.plain else [])

    def on_resize(self, event: events.Resize) -> None:
        self._wrap()
