"""SidePane: the transcript's side pane (codes here, plugin margins, legend) as one Line-API widget.

It replaced three auto-height `Static`s in a scroll container. Those were re-wrapped on every layout
pass — and the legend of a 1,000-coding transcript has hundreds of rows — so each keystroke that
moved the cursor and each coding paid for wrapping text nobody had scrolled to. Here each section is
a list of one-line `Content`s (no wrapping: a row longer than the pane is cut with "…"), and only
the rows on screen are rendered.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["SidePane"]


class SidePane(ScrollView, can_focus=True):
    """Named sections of lines, shown in the order they were first set, a blank row between them.

    Focusable (tab), so a keyboard user scrolls it with the arrow and page keys like any scroll view.
    """

    def __init__(self, sections: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._order = sections
        self._sections: dict[str, list[Content]] = {name: [] for name in sections}
        self._rows: list[Content] = []

    def set_section(self, name: str, content: Content) -> None:
        """Replace one section with `content` (split at line breaks); an empty content hides it."""
        lines = content.split("\n") if content.plain else []
        if lines == self._sections[name]:
            return
        self._sections[name] = lines
        rows: list[Content] = []
        for section in self._order:
            if self._sections[section]:
                if rows:
                    rows.append(Content(""))
                rows.extend(self._sections[section])
        self._rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        self.refresh()

    def section_text(self, name: str) -> str:
        """The plain text of one section (what tests and screen readers look at)."""
        return "\n".join(line.plain for line in self._sections[name])

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width = self.size.width
        style = self.rich_style
        if not 0 <= row < len(self._rows):
            return Strip([Segment(" " * width, style)], width)
        line = self._rows[row].truncate(width, ellipsis=True)
        segments = line.render_segments(self.visual_style)
        return Strip(segments, line.cell_length).extend_cell_length(width, style).crop(0, width)
