"""The matrix view (app mode "matrix", key 9): which codes go together, and who said what, as grids.

Three tables of `workbench.core.matrix`, chosen with `t`: the code co-occurrence (codes x codes: the
segments of the row code that co-occur with the column code), codes by case (codes x participants)
and codes by attribute (codes x the values of a participant attribute). The
options line under the title takes the table's options as words, as the CLI's `workbench table`
does (see `OPTIONS`): `unit=turn measure=participants rollup codes="Holding hope,Trust"`; Enter
builds the table again and keeps the keys, so type-ahead never runs a command (the search view's
pattern); Down or Esc goes back to the cells.

The cells are exactly what `displayed` gives, the disclosure control included: in codes by case and
by attribute a cell of fewer than K participants (the project's small-cell threshold, `workbench
settings --small-cell`, 3 unless set) shows `<K`, and with percentages a second cell of the row or
column, which would let it be worked out from the 100%, `x`; the notes under the grid say so. Such a
cell's segments are never listed.

The arrow keys (or h j k l) move over the cells, PgUp/PgDn by a screenful, Home/End to the first and
last column, ctrl+Home/ctrl+End (g, G) to the first and last row; the code column and the heading row
stay put. Headings are cut short; the status line names the cell in full with its counts ("Holding
hope × Trust: 4 segments, 3 participants"), and in screen-reader mode the message line says it too
while the terminal cursor sits on the cell. Enter lists the segments behind the cell in the Segments
view (4), each cited, with the title "Holding hope ∩ Trust: 4 segments"; Esc there comes back to the
same cell.

A 400-code co-occurrence takes about half a second to count, so every table is built in a worker
thread while the status line says so (and, past a moment, the message line); Esc cancels it (the grid
keeps what it showed). Participants a method plugin hides now (IPA bracketing) are left out
(`WorkbenchApp.case_access`). The grid draws only the cells on screen (`widgets/matrix_grid.py`).

Keys (ids for user keymaps):

==========  =================  ============================================================
key         id                 action
==========  =================  ============================================================
enter       matrix.open        list the segments behind the cell (Segments view; Esc returns)
t           matrix.table       choose the table: co-occurrence, codes by case, by attribute
o           matrix.options     edit the options line (Enter applies it)
escape      matrix.cancel      stop building the table
escape,down matrix.grid        leave the options line for the cells
arrows      matrix.up ...      move over the cells (h j k l too)
==========  =================  ============================================================
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Input, Static

from workbench.core import matrix as matrices
from workbench.core.errors import BadInputError, WorkbenchError
from workbench.tui.base import WorkbenchScreen
from workbench.tui.segment_selection import SegmentSelection
from workbench.tui.typeahead import after_keys
from workbench.tui.widgets.find_line import QueryLine
from workbench.tui.widgets.footer import KeyFooter
from workbench.tui.widgets.matrix_grid import GridData, MatrixGrid, fit, prepare
from workbench.tui.widgets.prompt import ChoiceModal

if TYPE_CHECKING:
    from workbench.core.project import Project

__all__ = ["OPTIONS", "TABLES", "MatrixScreen", "MatrixSettings", "parse_options"]

COMPUTING_NOTICE_S = 0.5
"""A build still running after this long is said on the message line too. Above the 0.3 s a 400-code
co-occurrence takes: the notice's toast, drawn while the table is counted, slowed the count itself."""


@dataclass(frozen=True)
class Table:
    """One of the three tables: its name (as `workbench table` spells it), title and options."""

    name: str
    title: str
    about: str
    options: tuple[str, ...]
    measures: tuple[str, ...]


TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            "cooccurrence",
            "Co-occurrence",
            "codes × codes: the segments of the row code that co-occur with the column code",
            ("codes", "unit", "measure", "rollup"),
            ("segments", "participants"),
        ),
        Table(
            "code-by-case",
            "Codes by case",
            "codes × participants: each code's segments per participant",
            ("codes", "measure", "label", "rollup"),
            ("segments", "words", "participants", "presence"),
        ),
        Table(
            "crosstab",
            "Codes by attribute",
            "codes × the values of a participant attribute (attr=KEY)",
            ("attr", "codes", "measure", "percent", "rollup"),
            ("segments", "participants", "words"),
        ),
    )
}
CHOICES: dict[str, tuple[str, ...]] = {
    "unit": matrices.UNITS,
    "label": ("id", "pseudonym"),
    "percent": ("none", "row", "column"),
}
OPTIONS: dict[str, str] = {
    "codes": 'codes=A,B (or code="A label" once per code): only these rows, in this order',
    "unit": "unit=overlap|turn|source: what co-occurring means",
    "measure": "measure=…: what a cell counts",
    "label": "label=id|pseudonym: the column headings",
    "attr": "attr=KEY: the participant attribute",
    "percent": "percent=none|row|column",
    "rollup": "rollup: a code counts its subcodes' segments too",
}
"""What each option word means (said when the options line holds something else)."""


# -- the options line -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MatrixSettings:
    """Which table, and what the options line says."""

    table: str = "cooccurrence"
    codes: tuple[str, ...] = ()
    unit: str = "overlap"
    measure: str = "segments"
    label: str = "id"
    attr: str = ""
    percent: str = "none"
    rollup: bool = False

    def describe(self) -> str:
        """The options in effect, short (the title line)."""
        words = [self.measure]
        if self.table == "cooccurrence":
            words.append(f"unit {self.unit}")
        if self.table == "code-by-case" and self.label != "id":
            words.append("pseudonyms")
        if self.table == "crosstab":
            words.insert(0, f"by {self.attr}")
            if self.percent != "none":
                words.append(f"{self.percent} %")
        if self.rollup:
            words.append("rollup")
        if self.codes:
            words.append(f"{len(self.codes)} code{'s' * (len(self.codes) != 1)} chosen")
        return " · ".join(words)


def placeholder(table: str) -> str:
    spec = TABLES[table]
    words = []
    for name in spec.options:
        if name == "measure":
            words.append("measure=" + "|".join(spec.measures))
        elif name in CHOICES:
            words.append(f"{name}=" + "|".join(CHOICES[name]))
        elif name == "rollup":
            words.append("rollup")
        else:
            words.append(f"{name}=…")
    return "options: " + " ".join(words) + "  (Enter applies)"


def _yes(name: str, value: str) -> bool:
    value = value.strip().lower()
    if value not in ("yes", "no", "on", "off", "true", "false"):
        raise BadInputError(f"{name}= is yes or no (not {value!r})", "options")
    return value in ("yes", "on", "true")


def parse_options(table: str, text: str) -> MatrixSettings:
    """Read the options line for `table` (see `OPTIONS`); BadInputError says what it cannot read."""
    spec = TABLES[table]
    try:
        tokens = shlex.split(text)
    except ValueError:
        raise BadInputError("unbalanced quote in the options", "options") from None
    values: dict[str, Any] = {"table": table}
    codes: list[str] = []
    takes = ", ".join(OPTIONS[name] for name in spec.options)
    for token in tokens:
        name, has_value, value = token.partition("=")
        name = name.strip().lower()
        if name == "code":
            name, value = "codes", value.replace(",", "\0")  # one label, commas and all
        if name == "suppress":
            raise BadInputError(
                "the matrix view always hides small cells; an unsuppressed table is written from the "
                f"command line (`workbench table DIR {table} --option suppress=off`), and audited",
                "options",
            )
        if name not in OPTIONS:
            raise BadInputError(f"unknown option {token!r}; {spec.title} takes {takes}", "options")
        if name not in spec.options:
            owners = [t.title for t in TABLES.values() if name in t.options]
            raise BadInputError(
                f"{name}= is for {' and '.join(owners)}, not {spec.title}, which takes {takes}", "options"
            )
        if name == "rollup":
            values["rollup"] = _yes("rollup", value) if has_value else True
            continue
        if not has_value or not value.strip():
            raise BadInputError(f"{name}= needs a value: {OPTIONS[name]}", "options")
        value = value.strip()
        if name == "codes":
            codes.extend(part.strip().replace("\0", ",") for part in value.split(",") if part.strip())
            continue
        allowed = spec.measures if name == "measure" else CHOICES.get(name)
        if allowed is not None and value not in allowed:
            raise BadInputError(f"{name}={value!r} is not one of {', '.join(allowed)}", "options")
        values[name] = value
    values["codes"] = tuple(codes)
    if table == "crosstab" and not values.get("attr"):
        raise BadInputError("Codes by attribute needs attr=KEY (a participant attribute)", "options")
    return MatrixSettings(**values)


def said(error: WorkbenchError) -> str:
    """An error as the view says it: the CLI's `--option unit` becomes `unit`."""
    where = (error.where or "").removeprefix("--option").strip().lstrip("-")
    return f"{where}: {error.message}" if where and where != "options" else error.message


def attributes(project: Project) -> list[str]:
    """The participant attribute keys the study has, sorted."""
    return sorted({key for p in project.participants() for key in (p.get("attributes") or {})})


# -- building ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Built:
    """A table as the grid shows it, with what it was built from."""

    settings: MatrixSettings
    matrix: matrices.Matrix
    shown: matrices.Shown
    grid: GridData
    small_cell: int
    state: tuple[object, ...]


def build(
    project: Project, settings: MatrixSettings, hidden: Mapping[str, str], small_cell: int
) -> tuple[matrices.Matrix, matrices.Shown, GridData]:
    """Count the table, turn it into the texts shown (with disclosure control), lay the grid out.
    Reads the project only: run in the worker thread."""
    codes = settings.codes or None
    if settings.table == "cooccurrence":
        matrix = matrices.cooccurrence(
            project,
            codes=codes,
            unit=settings.unit,
            measure=settings.measure,
            rollup=settings.rollup,
            hidden=hidden,
        )
        corner = "Code"
    elif settings.table == "code-by-case":
        matrix = matrices.code_by_case(
            project,
            codes=codes,
            measure=settings.measure,
            label=settings.label,
            rollup=settings.rollup,
            hidden=hidden,
        )
        corner = "Code × case"
    else:
        matrix = matrices.crosstab(
            project,
            attr=settings.attr,
            codes=codes,
            measure=settings.measure,
            rollup=settings.rollup,
            hidden=hidden,
        )
        corner = f"Code × {settings.attr}"
    shown = matrices.displayed(matrix, small_cell=small_cell, percent=settings.percent)
    return matrix, shown, prepare(corner, shown.columns[1:], shown.rows)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


# -- the screen -------------------------------------------------------------------------------------------
class MatrixScreen(WorkbenchScreen):
    """Mode "matrix": the table's title, its options line, the cell's status line, the grid, notes."""

    HELP_NAME = "Matrix"
    HELP_INTRO = """
Which codes go together, and who said what: t chooses the table (co-occurrence of codes, codes by case,
codes by a participant attribute). The arrow keys move over the cells (h j k l too), PgUp and PgDn by a
screenful, Home and End to the first and last column, g and G to the first and last row; the code column
and the headings stay in place, and the status line names the cell in full with its counts. Enter lists
the segments behind the cell in the Segments view, each cited; Esc there comes back to the cell. o edits
the options line: unit=overlap, turn or source (co-occurrence), measure=segments, participants, words or
presence, label=pseudonym (codes by case), attr=KEY and percent=row or column (by attribute), rollup (a
code counts its subcodes), codes=A,B (only these rows); Enter applies them and Down or Esc comes back to
the cells. Cells of fewer than K participants show <K, and cells that would give them away x: their
segments are never listed. A large table takes a moment to build; Esc cancels it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_cell", "Segments", id="matrix.open", priority=True,
                tooltip="List the segments behind this cell, cited, in the Segments view (Esc comes back)"),
        Binding("t", "choose_table", "Table", id="matrix.table",
                tooltip="Choose the table: co-occurrence of codes, codes by case, codes by attribute"),
        Binding("o", "focus_options", "Options", id="matrix.options",
                tooltip="Edit the options line (unit=, measure=, label=, attr=, percent=, rollup, codes=)"),
        # Esc stops a build first; otherwise it leaves the options line for the cells.
        Binding("escape", "cancel_job", "Cancel", id="matrix.cancel",
                tooltip="Stop building the table (the grid keeps what it showed)"),
        Binding("escape,down", "focus_grid", "Cells", id="matrix.grid",
                tooltip="Leave the options line for the cells"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    MatrixScreen #matrix-title { height: 1; padding: 0 1; color: $text-muted; }
    MatrixScreen #matrix-options { height: 1; border: none; padding: 0 1; }
    MatrixScreen #matrix-status { height: 1; padding: 0 1; text-style: bold; }
    MatrixScreen #matrix-grid { height: 1fr; }
    MatrixScreen #matrix-notes { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    MatrixScreen #matrix-notes.-empty { display: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.table = "cooccurrence"
        self.options_text: dict[str, str] = {}  # table -> its options line, kept while another is shown
        self.built: Built | None = None
        self.error: str | None = None
        self.job: str | None = None  # what the worker thread is building, if anything
        self._generation = 0  # bumped by each build and each cancel: an older build's result is dropped
        self._job_generation = -1
        self._started = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="matrix-title")
        yield QueryLine(placeholder=placeholder(self.table), id="matrix-options")
        yield Static(id="matrix-status")
        yield MatrixGrid(id="matrix-grid")
        yield Static(id="matrix-notes", classes="-empty")
        yield KeyFooter()

    @property
    def grid(self) -> MatrixGrid:
        return self.query_one(MatrixGrid)

    @property
    def options_input(self) -> Input:
        return self.query_one("#matrix-options", Input)

    @property
    def typing(self) -> bool:
        return self.is_mounted and self.focused is self.options_input

    @property
    def running(self) -> bool:
        return self.job is not None and self._job_generation == self._generation

    # -- refreshing ----------------------------------------------------------------------------------------
    def refresh_from_project(self) -> None:
        """First visit: build the co-occurrence table. Later: build the table shown again if the
        project (or who is hidden) changed since, keeping the cursor on the same row and column.
        Built ahead of its first visit (`PREPARED_VIEWS`), it counts nothing until it is shown."""
        if not self.is_current:
            return
        if not self._started:
            self._started = True
            self.grid.focus()
            self._show_title()
            self.rebuild(quiet=True)
            return
        if self.job is not None:
            return
        if self.built is not None and self.built.state != self._state(self.built.settings):
            self.rebuild(quiet=True)

    def _state(self, settings: MatrixSettings) -> tuple[object, ...]:
        hidden = tuple(sorted(self.wb.case_access().hidden))
        return (settings, *self.project_state, hidden, self._small_cell())

    def _small_cell(self) -> int:
        try:
            return max(int(self.project.meta.get("small_cell") or matrices.DEFAULT_SMALL_CELL), 1)
        except (TypeError, ValueError):
            return matrices.DEFAULT_SMALL_CELL

    # -- building ------------------------------------------------------------------------------------------
    def rebuild(self, line: str | None = None, *, quiet: bool = False) -> None:
        """Build the table with the options line's settings (or `line`'s), in a worker thread."""
        line = self.options_input.value if line is None else line
        try:
            settings = parse_options(self.table, line)
        except WorkbenchError as exc:
            self._failed(said(exc))
            return
        app = self.wb
        if self.job is not None or app.busy:
            what = f"building the {self.job}" if self.job else app.busy
            self.notify(f"wait: {what} is still running (Esc cancels it)", severity="warning")
            return
        project = self.project
        hidden = dict(app.case_access().hidden)
        small_cell = self._small_cell()
        state = self._state(settings)
        self._generation += 1
        generation = self._job_generation = self._generation
        title = TABLES[self.table].title
        self.job = title.lower()
        app.busy = f"building the {self.job} table"
        app.set_progress(app.busy)
        self.error = None
        self.update_status()
        self.set_timer(COMPUTING_NOTICE_S, lambda: self._say_computing(generation))

        def work() -> None:
            try:
                value: Any = build(project, settings, hidden, small_cell)
                error: WorkbenchError | None = None
            except WorkbenchError as exc:
                value, error = None, exc
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile: nobody to tell
                app.call_from_thread(
                    self._built, generation, settings, small_cell, state, value, error, quiet
                )

        self.run_worker(work, thread=True, name="matrix", group="matrix", exit_on_error=True)

    def _say_computing(self, generation: int) -> None:
        if self.running and generation == self._generation:
            self.notify(f"computing the {self.job} table… (Esc cancels)")

    def _built(
        self,
        generation: int,
        settings: MatrixSettings,
        small_cell: int,
        state: tuple[object, ...],
        value: tuple[matrices.Matrix, matrices.Shown, GridData] | None,
        error: WorkbenchError | None,
        quiet: bool,
    ) -> None:
        app = self.wb
        self.job = None
        app.busy = None
        app.sub_title = app.project.title
        if generation != self._generation:  # cancelled: the grid keeps what it showed
            self.update_status()
            return
        if error is not None or value is None:
            self._failed(said(error) if error else "the table could not be built")
            return
        matrix, shown, grid = value
        cursor = self._same_place(matrix, settings)
        self.built = Built(settings, matrix, shown, grid, small_cell, state)
        self.error = None
        self.grid.set_data(grid, cursor)
        notes = self.query_one("#matrix-notes", Static)
        notes.update(Text("\n".join(shown.notes)))
        notes.set_class(not shown.notes, "-empty")
        self._show_title()
        self.update_status()
        if not quiet:
            rows, columns = grid.size
            hidden = (
                f" · {_plural(len(shown.suppressed), 'cell')} not shown (see the notes)"
                if shown.suppressed
                else ""
            )
            self.notify(f"{TABLES[settings.table].title}: {rows} × {columns} ({settings.describe()}){hidden}")
        app.flush_repaints(self)

    def _same_place(self, matrix: matrices.Matrix, settings: MatrixSettings) -> tuple[int, int]:
        """Where the cursor goes in a new build: the same row code and column heading, if still there."""
        old, place = self.built, self.grid.cursor
        if old is None or place is None:
            return (0, 0)
        row, column = place
        rows = {code: i for i, code in enumerate(matrix.row_codes)}
        new_row = rows.get(old.matrix.row_codes[row], row) if row < len(old.matrix.row_codes) else row
        if old.settings.table != settings.table:
            return (new_row, 0)
        heading = old.matrix.columns[column] if column < len(old.matrix.columns) else None
        new_column = matrix.columns.index(heading) if heading in matrix.columns else column
        return (new_row, new_column)

    def _failed(self, message: str) -> None:
        self.error = message
        self.notify(message, severity="error")
        self.update_status()

    def action_cancel_job(self) -> None:
        """Esc while a table is built: drop its result when it comes (a thread cannot be stopped)."""
        if not self.running:
            return
        self._generation += 1
        if self.built is None:
            self.notify("cancelled: o then Enter builds the table", severity="warning")
        else:
            self.notify("cancelled: the grid shows the table it showed before", severity="warning")
        self.update_status()

    # -- what is said --------------------------------------------------------------------------------------
    def _show_title(self) -> None:
        spec = TABLES[self.table]
        built = self.built
        if built is not None and built.settings.table == self.table:
            rows, columns = built.grid.size
            what = "codes" if self.table == "cooccurrence" else "columns"
            size = f"{_plural(rows, 'code')} × {columns} {what}" if rows else "no coded segments"
            text = f"{spec.title} (t) · {size} · {built.settings.describe()}"
        else:
            text = f"{spec.title} (t) · {spec.about}"
        self.query_one("#matrix-title", Static).update(Text(text, no_wrap=True, overflow="ellipsis"))

    def update_status(self) -> None:
        if self.running:
            text = f"⧗ {self.wb.busy or 'building the table'}… (Esc cancels)"
        elif self.error:
            text = f"✕ {self.error}"
        elif self.built is None:
            text = "o: options, then Enter builds the table"
        else:
            status = self.query_one("#matrix-status", Static)
            width = (status.content_region.width or self.app.size.width - 2) if status.is_mounted else None
            text = self.cell_words(width) or "no coded segments to count yet: code some passages first"
        self.query_one("#matrix-status", Static).update(Text(text, no_wrap=True, overflow="ellipsis"))

    def _names(self, built: Built, row: int, column: int) -> tuple[str, str]:
        """The cell's row code and column heading, in full (a crosstab's as `attr=value`)."""
        matrix = built.matrix
        if matrix.kind == "crosstab":
            heading = f"{built.settings.attr}={matrix.columns[column]}"
        else:
            heading = matrix.columns[column]
        return matrix.rows[row], heading

    def _cell_name(self, built: Built, row: int, column: int, sign: str) -> str:
        label, heading = self._names(built, row, column)
        return f"{label} {sign} {heading}"

    def _counts(self, built: Built, row: int, column: int) -> str:
        """What the cell counts, in words: never more than the grid shows of a suppressed cell."""
        matrix, k = built.matrix, built.small_cell
        text = built.shown.rows[row][column + 1]
        if (row, column) in built.shown.suppressed or text == "x":
            if text.startswith("<"):
                return f"fewer than {k} participants (suppressed: {text})"
            return f"withheld (x), so that the <{k} cells cannot be worked out"
        cell = matrix.cells[row][column]
        segments, people = len(cell.segments), len(cell.participants)
        counts = f"{_plural(segments, 'segment')}, {_plural(people, 'participant')}"
        if matrix.measure == "participants":
            counts = f"{_plural(people, 'participant')}, {_plural(segments, 'segment')}"
        elif matrix.measure == "words":
            counts = f"{_plural(cell.value, 'word')} in {counts}"
        elif matrix.measure == "presence":
            counts = f"coded ({counts})" if cell.value else "not coded"
        if built.settings.percent != "none":
            counts = f"{text} of the {built.settings.percent} · {counts}"
        return counts

    def cell_words(self, width: int | None = None) -> str:
        """The cursor cell in words: its row and column, what it counts, where it is ("Holding hope ×
        Trust: 4 segments, 3 participants · row 3/40, column 7/40"). Within `width` cells the position
        goes first, then the names are shortened (each keeps its start): the counts always show."""
        built, place = self.built, self.grid.cursor
        if built is None or place is None:
            return ""
        row, column = place
        label, heading = self._names(built, row, column)
        counts = f": {self._counts(built, row, column)}"
        where = (
            f" · row {row + 1}/{len(built.matrix.rows)}, column {column + 1}/{len(built.shown.columns) - 1}"
        )
        text = f"{label} × {heading}{counts}{where}"
        if width is None or cell_len(text) <= width:
            return text
        if cell_len(text) - cell_len(where) <= width:
            return text.removesuffix(where)  # the names before the position
        room = max(width - cell_len(counts) - 3, 16)
        heading_room = min(cell_len(heading), max(room // 2, room - cell_len(label)))
        label = fit(label, max(room - heading_room, 8)).rstrip()
        return f"{label} × {fit(heading, max(heading_room, 8)).rstrip()}{counts}"

    @on(MatrixGrid.Moved)
    def _moved(self) -> None:
        self.update_status()
        if getattr(self.app, "screen_reader", False) and self.built is not None and self.is_current:
            words = self.cell_words()
            if words:
                self.notify(words)  # said: the terminal cursor is on the cell, the names are here
        self.wb.flush_repaints(self)  # the status line in the frame that moves the cursor

    # -- the drill-down --------------------------------------------------------------------------------------
    def action_open_cell(self) -> None:
        after_keys(self.grid, self._open_cell)  # Enter is a priority binding: arrows typed ahead come first

    @on(MatrixGrid.Selected)
    def _clicked(self) -> None:
        self._open_cell()

    def _open_cell(self) -> None:
        built, place = self.built, self.grid.cursor
        if built is None or place is None:
            self.notify("no cell under the cursor: build a table first", severity="warning")
            return
        row, column = place
        matrix, shown, k = built.matrix, built.shown, built.small_cell
        text = shown.rows[row][column + 1]
        if (row, column) in shown.suppressed or text == "x":
            if text.startswith("<"):
                self.notify(f"this cell is suppressed (fewer than {k} participants)", severity="warning")
            else:
                self.notify(
                    f"this cell is withheld (x): with the percentages adding up to 100% it would give "
                    f"away a cell of fewer than {k} participants",
                    severity="warning",
                )
            return
        segments = frozenset(matrix.cells[row][column].segments)
        if not segments:
            self.notify(f"no segments behind this cell ({self._cell_name(built, row, column, '×')})")
            return
        sign = "∩" if matrix.kind == "cooccurrence" else "×"
        drill = matrix.drill_codes[row] if row < len(matrix.drill_codes) else (matrix.row_codes[row],)
        self.wb.retrieval_selection = SegmentSelection(
            self._cell_name(built, row, column, sign), tuple(drill), segments, back="matrix"
        )
        self.wb.action_view("retrieval")

    # -- the table and its options -----------------------------------------------------------------------
    def action_choose_table(self) -> None:
        choices = [(t.name, f"{t.title} — {t.about}") for t in TABLES.values()]
        self.app.push_screen(ChoiceModal("Which table?", choices), self._table_chosen)

    def _table_chosen(self, table: str | None) -> None:
        if table is None or table not in TABLES or table == self.table:
            return
        self.options_text[self.table] = self.options_input.value
        self.table = table
        line = self.options_text.get(table)
        if line is None:
            line = ""
            if table == "crosstab":
                known = attributes(self.project)
                line = f"attr={shlex.quote(known[0])}" if known else ""
        options = self.options_input
        options.value = line
        options.placeholder = placeholder(table)
        self._show_title()
        self.rebuild()

    def action_focus_options(self) -> None:
        self.set_focus(self.options_input)

    def action_focus_grid(self) -> None:
        self.set_focus(self.grid)

    @on(Input.Submitted, "#matrix-options")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the options line: build again and stay in the line (type-ahead is never a command)."""
        self.rebuild(event.value)  # the line as Enter found it (QueryLine): later keys are the next edit

    # -- actions ---------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter is the grid's only on the grid; Esc stops a build, else leaves the options line."""
        if not self.is_mounted:
            return True
        if action == "open_cell":
            return self.focused is self.grid
        if action == "cancel_job":
            return self.running
        if action == "focus_grid":
            return self.typing
        return True
