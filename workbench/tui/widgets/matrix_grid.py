"""MatrixGrid: a table of any size (400 codes x 400 codes) moved over cell by cell, drawn line by line.

The matrix view (screens/matrix.py) shows what `workbench.core.matrix.displayed` gives: a code label
per row, then one short text per cell (`12`, `<3`, `x`, `✓`, `40%`). Textual's `DataTable` measures
and styles every cell when rows are added — 160,000 of them for the bench study's co-occurrence — so
this is a Line-API `ScrollView` (the retrieval list's approach, STYLE.md): `render_line` formats only
the cells on screen, from the column offsets worked out once per matrix (`prepare`, run in the
matrix view's worker thread).

The heading row (line 0) and the code column (left) stay put while the cells scroll under them both
ways. Headings are cut to `HEADING_WIDTH` cells (400 code labels would not fit); the view's status
line names the cell in full. The cursor cell is drawn in the cursor colours and bold, its row label
starts with `▶` and its column heading is underlined, so it is found without colour; the terminal
cursor sits on it (`cursor_cell`, screen-reader mode).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.core.untrusted import shown
from workbench.tui.widgets.scrolling import set_scroll_range

__all__ = ["HEADING_WIDTH", "LABEL_WIDTH", "GridData", "MatrixGrid", "fit", "prepare"]

HEADING_WIDTH = 9
"""Cells of a column heading at most (a column is wider only if its numbers are)."""
LABEL_WIDTH = 24
"""Cells of the code column at most (at 80 columns that leaves room for five or six cells)."""
CURSOR_GLYPH = "▶"


def fit(value: str, width: int) -> str:
    """`value` on one line in exactly `width` cells: whitespace collapsed, cut with an ellipsis."""
    value = " ".join(value.split())
    if width <= 0:
        return ""
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


@dataclass(frozen=True)
class GridData:
    """What the grid draws: headings, row labels and cell texts, with every column's width and offset.

    Labels and headings are stored as drawn (unsafe characters already spelled out as escapes, see
    `core.untrusted.shown`), so their widths are the widths on screen.
    """

    corner: str
    columns: tuple[str, ...]
    """Column headings, in full (the status line says them; the heading row cuts them)."""
    rows: tuple[str, ...]
    """Row labels, in full."""
    cells: Sequence[Sequence[str]]
    """cells[row][column]: the text shown."""
    widths: tuple[int, ...]
    starts: tuple[int, ...]
    """Where each column begins in the scrolled part (a column is one space, then its width)."""
    label_width: int

    @property
    def data_width(self) -> int:
        return (self.starts[-1] + 1 + self.widths[-1]) if self.widths else 0

    @property
    def size(self) -> tuple[int, int]:
        """(rows, columns) of cells."""
        return len(self.rows), len(self.columns)


EMPTY_GRID = GridData("", (), (), (), (), (), 4)


def prepare(corner: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> GridData:
    """Lay out a table whose `rows` each hold the row label then one text per column of `columns`
    (`displayed(...).rows` as it is). Reads every cell once (~20 ms for 160,000): run it off the UI
    thread."""
    headings = tuple(shown(str(c), lines=False) for c in columns)
    labels = tuple(shown(str(row[0]), lines=False) for row in rows)
    cells = [row[1:] for row in rows]
    by_column = list(zip(*cells, strict=True)) if cells else [()] * len(headings)
    widths = [
        max(min(cell_len(heading), HEADING_WIDTH), max(map(len, texts), default=1), 1)  # numbers, ✓
        for heading, texts in zip(headings, by_column, strict=True)
    ]
    starts: list[int] = []
    x = 0
    for width in widths:
        starts.append(x)
        x += 1 + width
    label_width = max(min(max((cell_len(label) for label in labels), default=4), LABEL_WIDTH), 6)
    label_width = max(label_width, min(cell_len(corner), LABEL_WIDTH))
    return GridData(corner, headings, labels, cells, tuple(widths), tuple(starts), label_width + 1)


class MatrixGrid(ScrollView, can_focus=True):
    """Cells under sticky headings, moved over with the arrow keys; scrolls both ways to the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1, 0)", "Cell above", id="matrix.up", show=False),
        Binding("down,j", "move(1, 0)", "Cell below", id="matrix.down", show=False),
        Binding("left,h", "move(0, -1)", "Cell to the left", id="matrix.left", show=False),
        Binding("right,l", "move(0, 1)", "Cell to the right", id="matrix.right", show=False),
        Binding("pageup", "page(-1)", "Page up", id="matrix.page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="matrix.page_down", show=False),
        Binding("home", "row_edge(-1)", "First column", id="matrix.first_column", show=False),
        Binding("end", "row_edge(1)", "Last column", id="matrix.last_column", show=False),
        Binding("ctrl+home,g", "column_edge(-1)", "First row", id="matrix.first_row", show=False),
        Binding("ctrl+end,G", "column_edge(1)", "Last row", id="matrix.last_row", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "matrix-grid--cursor",
        "matrix-grid--heading",
        "matrix-grid--current",
        "matrix-grid--label",
    }
    DEFAULT_CSS = """
    MatrixGrid { overflow-x: auto; overflow-y: auto; scrollbar-size: 1 1; }
    MatrixGrid > .matrix-grid--cursor {
        background: $block-cursor-blurred-background; color: $block-cursor-blurred-foreground;
        text-style: bold;
    }
    MatrixGrid:focus > .matrix-grid--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    MatrixGrid > .matrix-grid--heading { text-style: bold; color: $text-accent; }
    MatrixGrid > .matrix-grid--label { color: $text-accent; }
    MatrixGrid > .matrix-grid--current { text-style: bold underline; }
    """

    class Moved(Message):
        """The cursor is on another cell (or the grid has new data)."""

    class Selected(Message):
        """The cell under the cursor was clicked (the mouse's Enter)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data = EMPTY_GRID
        self.row = 0
        self.column = 0

    # -- data ------------------------------------------------------------------------------------------
    def set_data(self, data: GridData, cursor: tuple[int, int] = (0, 0)) -> None:
        """Show `data`, the cursor on `cursor` (kept inside the table)."""
        self.data = data
        rows, columns = data.size
        self.row = max(0, min(cursor[0], rows - 1))
        self.column = max(0, min(cursor[1], columns - 1))
        set_scroll_range(self, Size(data.label_width + 1 + data.data_width, rows + 1))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Moved())

    @property
    def cursor(self) -> tuple[int, int] | None:
        """(row, column) of the cursor cell, or None in an empty table."""
        rows, columns = self.data.size
        return (self.row, self.column) if rows and columns else None

    def cursor_cell(self) -> tuple[int, int]:
        """(x, y) of the cursor cell's text within the grid, for the terminal cursor (screen_reader.py)."""
        data = self.data
        if not data.widths:
            return 0, 0
        x = data.label_width + 1 + data.starts[self.column] + 1 - int(self.scroll_offset.x)
        return max(x, 0), 1 + self.row - int(self.scroll_offset.y)

    @property
    def _data_view(self) -> int:
        """Cells of the scrolled part on screen (the width less the code column and its rule)."""
        width = self.scrollable_content_region.width or self.size.width
        return max(width - self.data.label_width - 1, 1)

    # -- drawing -----------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        data = self.data
        base = self.rich_style
        if not data.rows or width <= 0:
            return Strip.blank(width, base)
        if y == 0:
            label, cells = self._heading_line()
        else:
            row = int(self.scroll_offset.y) + y - 1
            if row >= len(data.rows):
                return Strip.blank(width, base)
            label, cells = self._row_line(row)
        rule = " " if getattr(self.app, "screen_reader", False) else "│"
        left = Strip([*label, Segment(rule, base)])
        right = self._visible(cells, base)
        return Strip.join([left, right]).crop_extend(0, width, base)

    def _heading_line(self) -> tuple[list[Segment], list[Segment]]:
        data = self.data
        heading = self.rich_style + self.get_component_rich_style("matrix-grid--heading")
        current = heading + self.get_component_rich_style("matrix-grid--current")
        label = [Segment(fit(data.corner, data.label_width), heading)]
        cells: list[Segment] = []
        for column in self._columns_on_screen():
            text = fit(data.columns[column], data.widths[column])
            text = " " * (data.widths[column] - cell_len(text.rstrip())) + text.rstrip()  # right, as numbers
            cells.append(Segment(" ", heading))
            cells.append(Segment(text, current if column == self.column else heading))
        return label, cells

    def _row_line(self, row: int) -> tuple[list[Segment], list[Segment]]:
        data = self.data
        base = self.rich_style
        on_row = row == self.row
        style = base + self.get_component_rich_style("matrix-grid--label")
        if on_row:
            style += self.get_component_rich_style("matrix-grid--current")
        marker = CURSOR_GLYPH if on_row else " "
        label = [Segment(marker + fit(data.rows[row], data.label_width - 1), style)]
        cursor: Style = base + self.get_component_rich_style("matrix-grid--cursor")
        line = data.cells[row]
        cells: list[Segment] = []
        for column in self._columns_on_screen():
            text = line[column].rjust(data.widths[column])
            cells.append(Segment(" ", base))
            cells.append(Segment(text, cursor if on_row and column == self.column else base))
        return label, cells

    def _columns_on_screen(self) -> range:
        data = self.data
        if not data.starts:
            return range(0)
        left = int(self.scroll_offset.x)
        first = max(bisect_right(data.starts, left) - 1, 0)
        last = bisect_right(data.starts, left + self._data_view)
        return range(first, min(last, len(data.starts)))

    def _visible(self, cells: list[Segment], style: Style) -> Strip:
        """The cells' segments, cut to the part scrolled into view."""
        data = self.data
        view = self._data_view
        columns = self._columns_on_screen()
        if not columns:
            return Strip.blank(view, style)
        offset = int(self.scroll_offset.x) - data.starts[columns.start]
        return Strip(cells).crop(offset, offset + view).extend_cell_length(view, style)

    def on_resize(self, event: events.Resize) -> None:
        self._scroll_to_cursor()

    # -- cursor ------------------------------------------------------------------------------------------
    def move_to(self, row: int, column: int) -> None:
        rows, columns = self.data.size
        if not rows or not columns:
            return
        row, column = max(0, min(row, rows - 1)), max(0, min(column, columns - 1))
        if (row, column) == (self.row, self.column):
            return
        self.row, self.column = row, column
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Moved())

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height - 1  # under the heading row
        data = self.data
        if height <= 0 or not data.widths:
            return
        x, y = int(self.scroll_offset.x), int(self.scroll_offset.y)
        if self.row < y:
            y = self.row
        elif self.row >= y + height:
            y = self.row - height + 1
        start = data.starts[self.column]
        end = start + 1 + data.widths[self.column]
        view = self._data_view
        if start < x:
            x = start
        elif end > x + view:  # the cursor column at the right edge, the first one shown whole
            first = bisect_left(data.starts, end - view)
            x = min(data.starts[first] if first < len(data.starts) else start, start)
        if (x, y) != (int(self.scroll_offset.x), int(self.scroll_offset.y)):
            self.scroll_to(x, y, animate=False, immediate=True)

    def action_move(self, rows: int, columns: int) -> None:
        self.move_to(self.row + rows, self.column + columns)

    def action_page(self, step: int) -> None:
        self.move_to(self.row + step * max(self.scrollable_content_region.height - 2, 1), self.column)

    def action_row_edge(self, step: int) -> None:
        self.move_to(self.row, 0 if step < 0 else len(self.data.columns) - 1)

    def action_column_edge(self, step: int) -> None:
        self.move_to(0 if step < 0 else len(self.data.rows) - 1, self.column)

    def on_click(self, event: events.Click) -> None:
        data = self.data
        row = int(self.scroll_offset.y) + event.y - 1
        x = event.x - data.label_width - 1 + int(self.scroll_offset.x)
        if event.y < 1 or not 0 <= row < len(data.rows) or x < 0 or not data.starts:
            return
        column = bisect_right(data.starts, x) - 1
        if (row, column) == (self.row, self.column):
            self.post_message(self.Selected())
        else:
            self.move_to(row, column)
