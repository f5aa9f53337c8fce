"""Analysis matrices: code co-occurrence, code x case, code x attribute (crosstab), with disclosure control.

"Which codes go together?" and "who said what?" as grids. Every cell keeps the segments behind it, so
the terminal workbench can open exactly those passages (the drill-down), and the participants behind
it, so small cells can be suppressed: interview samples are small and a cell of one is a person.

Counting rules (the tests check each against hand-built codings):

* A *segment of code A* is a coded span (one segment id), counted once however many coders applied A
  to it; codings in open blind ICR layers are left out, as everywhere else; with ``rollup`` a code's
  descendants count as the code.
* Co-occurrence cell (A, B) is the number of segments of A that co-occur with at least one segment of B:
  ``overlap`` — share at least one code point in the same transcript version (adjacent spans do not);
  ``turn`` — touch the same speaker turn; ``source`` — lie in the same transcript. The diagonal is A's
  segment count (every segment co-occurs with itself). The matrix need not be symmetric.
* Code x case and crosstab count a code's segments (or the participants, or the coded words, overlaps
  counted once) per participant or per value of a participant attribute.

Sort-and-sweep over each version's spans finds the overlaps, so 400 codes cost one pass over the
segments, not 160,000 pair comparisons.
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from heapq import heappop, heappush
from operator import itemgetter
from typing import TYPE_CHECKING, Any, overload

from workbench.core import heap
from workbench.core.coded_spans import CodedSpan, coded_spans, overlap_counts, overlapping_members
from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.ids import natural_key
from workbench.core.search.query import TOKEN

if TYPE_CHECKING:
    from workbench.core.project import Project

__all__ = [
    "DEFAULT_SMALL_CELL",
    "Cell",
    "Matrix",
    "code_by_case",
    "cooccurrence",
    "crosstab",
    "displayed",
]

DEFAULT_SMALL_CELL = 3
UNITS = ("overlap", "turn", "source")
NOT_SET = "(not set)"


class Cell:
    """One cell: its count, the participants behind it and the segments to open on Enter.

    The participants and segment ids are worked out when asked for (suppression, a drill-down): a
    co-occurrence matrix of 400 codes has ~100,000 non-empty cells and shows a screenful of them.
    """

    __slots__ = ("_find", "_members", "_participants", "value")

    def __init__(
        self,
        value: int,
        members: Sequence[CodedSpan] = (),
        find: Callable[[], Sequence[CodedSpan]] | None = None,
    ) -> None:
        self.value = value
        self._members = members
        self._find = find
        self._participants: frozenset[str] | None = None

    def members(self) -> Sequence[CodedSpan]:
        if self._find is not None:
            self._members, self._find = self._find(), None
        return self._members

    @property
    def participants(self) -> frozenset[str]:
        if self._participants is None:
            self._participants = frozenset(s.participant for s in self.members() if s.participant)
        return self._participants

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(sorted({s.sid for s in self.members()}, key=natural_key))

    def __repr__(self) -> str:
        return f"Cell({self.value})"


@dataclass(frozen=True)
class Matrix:
    kind: str
    measure: str
    rows: tuple[str, ...]
    """Row code labels (in codebook order)."""
    row_codes: tuple[str, ...]
    """Row code ids."""
    columns: tuple[str, ...]
    """Column headings: code labels, participant ids or pseudonyms, or attribute values."""
    cells: Sequence[Sequence[Cell]]
    drill_codes: tuple[tuple[str, ...], ...] = ()
    """Per row, the codes whose segments a drill-down lists (the row's code, with rollup its subtree)."""

    def values(self) -> list[list[int]]:
        """Every cell's count (without making the cells of a lazy grid)."""
        if isinstance(self.cells, _LazyGrid):
            return [list(line) for line in self.cells.counts]
        return [[c.value for c in line] for line in self.cells]


class _LazyGrid(Sequence[Sequence[Cell]]):
    """Rows of cells made when first read: a 400-code co-occurrence has ~100,000 non-empty cells, and
    a screen shows a few dozen of them (making them all took a quarter of the build)."""

    def __init__(self, counts: list[list[int]], make: Callable[[int, int, int], Cell]) -> None:
        self.counts = counts
        self._make = make
        self._rows: dict[int, tuple[Cell, ...]] = {}

    def __len__(self) -> int:
        return len(self.counts)

    @overload
    def __getitem__(self, index: int) -> Sequence[Cell]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Sequence[Cell]]: ...
    def __getitem__(self, index: int | slice) -> Sequence[Cell] | Sequence[Sequence[Cell]]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self.counts))[index]]
        if index < 0:
            index += len(self.counts)
        row = self._rows.get(index)
        if row is None:
            make = self._make
            row = self._rows[index] = tuple(
                [make(index, b, value) if value else EMPTY for b, value in enumerate(self.counts[index])]
            )
        return row


EMPTY = Cell(0)


def _row_codes(
    project: Project, codes: Sequence[str] | None, present: AbstractSet[str]
) -> list[dict[str, Any]]:
    """The chosen codes (labels or ids, in the order given), else every active code with segments, in
    codebook order."""
    if codes:
        chosen = []
        for name in codes:
            code = project.find_code(name, active_only=False)
            if code is None:
                raise NotFoundError(f"no code {name!r} in codes= (see `workbench codes`)", "--option codes")
            chosen.append(code)
        return chosen
    by_id = {c["id"]: c for c in project.codes()}
    tree = [by_id[c.id] for c in project.code_tree() if c.id in by_id]
    return [c for c in tree if c.get("status") == "active" and c["id"] in present]


def _rows(
    project: Project, present: AbstractSet[str], codes: Sequence[str] | None, rollup: bool
) -> tuple[list[dict[str, Any]], list[frozenset[str]]]:
    """The row codes and, per row, the codes counted as it (itself, or with rollup its subtree);
    by default only rows with segments (with rollup: in their subtree)."""
    rows = _row_codes(project, codes, present if not rollup else {c["id"] for c in project.codes()})
    subtrees = _subtrees(project, rows, rollup)
    if not codes and rollup:
        keep = [i for i, tree in enumerate(subtrees) if tree & present]
        rows, subtrees = [rows[i] for i in keep], [subtrees[i] for i in keep]
    return rows, subtrees


def _subtrees(project: Project, rows: Sequence[Mapping[str, Any]], rollup: bool) -> list[frozenset[str]]:
    if not rollup:
        return [frozenset({r["id"]}) for r in rows]
    children: dict[str | None, list[str]] = defaultdict(list)
    for code in project.codes():
        children[code.get("parent_id")].append(code["id"])
    out = []
    for row in rows:
        seen: set[str] = set()
        stack = [row["id"]]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(children.get(current, ()))
        out.append(frozenset(seen))
    return out


def _check_choice(name: str, value: str, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise BadInputError(f"{name}={value!r} is not one of {', '.join(allowed)}", f"--option {name}")


def _members(segments: Iterable[CodedSpan], subtrees: Sequence[frozenset[str]]) -> list[list[CodedSpan]]:
    """Per row, its segments (those carrying any code of the row's subtree)."""
    row_of, relevant = _rows_of(segments, subtrees)
    rows: list[list[CodedSpan]] = [[] for _ in subtrees]
    for segment in relevant:
        for index in row_of[segment.sid]:
            rows[index].append(segment)
    return rows


def _rows_of(
    segments: Iterable[CodedSpan], subtrees: Sequence[frozenset[str]]
) -> tuple[dict[str, set[int]], list[CodedSpan]]:
    """Per segment carrying a row's code, the rows it counts in; and those segments, in order."""
    of_code: dict[str, list[int]] = defaultdict(list)
    for index, tree in enumerate(subtrees):
        for code in tree:
            of_code[code].append(index)
    row_of: dict[str, set[int]] = {}
    relevant: list[CodedSpan] = []
    if all(len(found) == 1 for found in of_code.values()):  # no rollup: one row per code (~30% faster)
        single = {code: found[0] for code, found in of_code.items()}
        for segment in segments:
            rows = {single[code] for code in segment.codes if code in single}
            if rows:
                row_of[segment.sid] = rows
                relevant.append(segment)
        return row_of, relevant
    for segment in segments:
        rows = {i for code in segment.codes for i in of_code.get(code, ())}
        if rows:
            row_of[segment.sid] = rows
            relevant.append(segment)
    return row_of, relevant


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building a matrix allocates ~100,000 small acyclic objects; the cycle collector, run over and
    over as they appear, took half the time (400 codes: 0.7 s -> 0.35 s). Reference counting still
    frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Re-enabling alone runs a collection over everything just made (~75 ms): freeze moves
            # it all to the permanent generation and resets the counts. Without a host's frozen data
            # (the CLI), unfreeze hands it back to the oldest generation, examined only when it has
            # grown by a quarter. A host that froze its long-lived data (the terminal workbench: see
            # `workbench.core.heap`) keeps it frozen: unfreezing would hand its whole study to the
            # next full collection (~0.1 s, at any keystroke); the matrix joins it there, still freed
            # by reference counting.
            gc.freeze()
            gc.enable()
            if not heap.host_freezes():
                gc.unfreeze()


def cooccurrence(
    project: Project,
    *,
    codes: Sequence[str] | None = None,
    unit: str = "overlap",
    measure: str = "segments",
    rollup: bool = False,
    hidden: Mapping[str, str] | None = None,
) -> Matrix:
    _check_choice("unit", unit, UNITS)
    _check_choice("measure", measure, ("segments", "participants"))
    with _collector_paused():
        return _cooccurrence(
            project, codes=codes, unit=unit, measure=measure, rollup=rollup, hidden=hidden or {}
        )


def _cooccurrence(
    project: Project,
    *,
    codes: Sequence[str] | None,
    unit: str,
    measure: str,
    rollup: bool,
    hidden: Mapping[str, str],
) -> Matrix:
    segments, present = coded_spans(project, hidden)
    rows, subtrees = _rows(project, present, codes, rollup)
    kept = None
    if unit == "overlap" and measure == "segments" and not rollup:
        kept = _read_out(project, hidden, [r["id"] for r in rows])
    cells = kept if kept is not None else _counted_now(project, segments, subtrees, unit, measure)
    labels = tuple(r["label"] for r in rows)
    return Matrix(
        "cooccurrence",
        measure,
        labels,
        tuple(r["id"] for r in rows),
        labels,
        cells,
        tuple(tuple(sorted(t)) for t in subtrees),
    )


def _read_out(project: Project, hidden: Mapping[str, str], ids: Sequence[str]) -> _LazyGrid | None:
    """The default co-occurrence, read from the pair counts `workbench.core.coded_spans` keeps for a
    project read ahead; None when it keeps none."""
    kept = overlap_counts(project, hidden, ids)
    if kept is None:
        return None
    values, spans = kept

    def make(a: int, b: int, value: int) -> Cell:
        return Cell(value, find=partial(overlapping_members, spans, ids[a], ids[b]))

    return _LazyGrid(values, make)


def _counted_now(
    project: Project,
    segments: Mapping[str, CodedSpan],
    subtrees: Sequence[frozenset[str]],
    unit: str,
    measure: str,
) -> Sequence[Sequence[Cell]]:
    """Count a co-occurrence from the segments: with rollup, by turn or source, or by participants."""
    n = len(subtrees)
    row_of, relevant = _rows_of(segments.values(), subtrees)
    marked: Mapping[str, AbstractSet[int]]
    if unit == "overlap":
        marked = _overlaps(relevant, row_of)  # nearly every segment's are its own: none to share
    else:
        # One set per turn or transcript, shared by its segments (not copied 45,000 times).
        of_groups: dict[str, list[frozenset[int]]] = defaultdict(list)
        for group in _groups(project, relevant, unit):
            together = frozenset().union(*(row_of[s.sid] for s in group))
            for s in group:
                of_groups[s.sid].append(together)
        marked = {
            sid: found[0] if len(found) == 1 else frozenset().union(*found)
            for sid, found in of_groups.items()
        }
    if measure == "participants":
        counts: dict[tuple[int, int], list[CodedSpan]] = defaultdict(list)
        for s in relevant:
            for a in row_of[s.sid]:
                for b in marked[s.sid]:
                    counts[a, b].append(s)
        return tuple(
            tuple(_cell(counts[a, b], measure) if (a, b) in counts else EMPTY for b in range(n))
            for a in range(n)
        )
    return _counted(relevant, row_of, marked, n, shared=unit != "overlap")


def _counted(
    relevant: Sequence[CodedSpan],
    row_of: Mapping[str, set[int]],
    marked: Mapping[str, AbstractSet[int]],
    n: int,
    *,
    shared: bool,
) -> _LazyGrid:
    """Segment counts without a member list per cell; a cell finds its segments only when asked (a
    drill-down). With `shared` co-occurring rows (one set per turn or transcript), segments with the
    same rows and co-occurring rows are counted together: with unit=source on a dense study this is
    15 million list appends fewer."""
    values = [[0] * n for _ in range(n)]
    if shared:
        signatures: Counter[tuple[frozenset[int], AbstractSet[int]]] = Counter(
            (frozenset(row_of[s.sid]), marked[s.sid]) for s in relevant
        )
        for (rows, co), count in signatures.items():
            for a in rows:
                line = values[a]
                for b in co:
                    line[b] += count
    else:
        for s in relevant:
            co = marked[s.sid]
            for a in row_of[s.sid]:
                line = values[a]
                for b in co:
                    line[b] += 1

    def make(a: int, b: int, value: int) -> Cell:
        return Cell(value, find=partial(_members_of, relevant, row_of, marked, a, b))

    return _LazyGrid(values, make)


def _members_of(
    relevant: Sequence[CodedSpan],
    row_of: Mapping[str, set[int]],
    marked: Mapping[str, AbstractSet[int]],
    a: int,
    b: int,
) -> list[CodedSpan]:
    return [s for s in relevant if a in row_of[s.sid] and b in marked[s.sid]]


def _groups(project: Project, segments: Sequence[CodedSpan], unit: str) -> Iterable[list[CodedSpan]]:
    """Segments that co-occur: per turn of a version (unit=turn), or per source."""
    by: dict[tuple[str, ...], list[CodedSpan]] = defaultdict(list)
    if unit == "source":
        for s in segments:
            by[(s.source,)].append(s)
        return by.values()
    starts: dict[str, list[int]] = {}
    for s in segments:
        if s.version not in starts:
            turns = project.text_record(s.version).turns
            starts[s.version] = [t.start for t in turns]
        turn_starts = starts[s.version]
        first = max(0, bisect_right(turn_starts, s.start) - 1)
        last = max(0, bisect_right(turn_starts, max(s.start, s.end - 1)) - 1)
        for turn in range(first, last + 1):
            by[(s.version, str(turn))].append(s)
    return by.values()


def _overlaps(relevant: Sequence[CodedSpan], row_of: Mapping[str, set[int]]) -> dict[str, set[int]]:
    """Per segment, its rows and the rows of every segment it overlaps (same version)."""
    marked: dict[str, set[int]] = {}
    spans: dict[str, list[tuple[int, int, set[int], set[int]]]] = defaultdict(list)
    for s in relevant:
        rows = row_of[s.sid]
        spans[s.version].append((s.start, s.end, rows, marked.setdefault(s.sid, set(rows))))
    for version_spans in spans.values():
        _sweep(version_spans)
    return marked


def _sweep(spans: list[tuple[int, int, set[int], set[int]]]) -> None:
    """Mark each span (start, end, its rows, its marks) with the rows of every span it overlaps
    (sorted by start, one pass; the spans still open are dropped from a heap of ends as they close).
    Works on the sets themselves, not on look-ups by id: the bench project has ~450,000 overlapping
    pairs."""
    spans.sort(key=itemgetter(0, 1))
    active: dict[int, tuple[set[int], set[int]]] = {}
    ends: list[tuple[int, int]] = []
    for number, (start, end, rows, mine) in enumerate(spans):
        while ends and ends[0][0] <= start:
            del active[heappop(ends)[1]]
        for other_rows, other_marks in active.values():  # other.start <= start < other.end
            other_marks |= rows
            mine |= other_rows
        active[number] = (rows, mine)
        heappush(ends, (end, number))


def _cell(members: Sequence[CodedSpan], measure: str, words: int | None = None) -> Cell:
    """`members` are distinct segments (each is added to a cell once)."""
    cell = Cell(len(members), members)
    if measure == "participants":
        cell.value = len(cell.participants)
    elif measure == "words":
        cell.value = words or 0
    return cell


def _words(project: Project, members: Sequence[CodedSpan]) -> int:
    """Words in the union of the segments' spans (a word in two overlapping segments counts once)."""
    by_version: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in members:
        by_version[s.version].append((s.start, s.end))
    total = 0
    for version, spans in by_version.items():
        text = project.text_record(version).text
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        total += sum(len(TOKEN.findall(text, start, end)) for start, end in merged)
    return total


def _by_column(*args: Any, **kwargs: Any) -> Matrix:
    with _collector_paused():
        return _by_column_now(*args, **kwargs)


def _by_column_now(
    project: Project,
    column_of: Mapping[str, str],
    columns: Sequence[str],
    *,
    codes: Sequence[str] | None,
    measure: str,
    rollup: bool,
    hidden: Mapping[str, str],
    kind: str,
    headings: Sequence[str] | None = None,
) -> Matrix:
    segments, present = coded_spans(project, hidden)
    rows, subtrees = _rows(project, present, codes, rollup)
    index = {c: i for i, c in enumerate(columns)}
    grid: dict[tuple[int, int], list[CodedSpan]] = defaultdict(list)
    for row, members in enumerate(_members(segments.values(), subtrees)):
        for s in members:
            column = column_of.get(s.participant)
            if column is not None and column in index:
                grid[row, index[column]].append(s)

    def cell(row: int, column: int) -> Cell:
        members = grid.get((row, column))
        if not members:
            return EMPTY
        return _cell(members, measure, _words(project, members) if measure == "words" else None)

    cells = tuple(tuple(cell(r, c) for c in range(len(columns))) for r in range(len(rows)))
    return Matrix(
        kind,
        measure,
        tuple(r["label"] for r in rows),
        tuple(r["id"] for r in rows),
        tuple(headings or columns),
        cells,
        tuple(tuple(sorted(t)) for t in subtrees),
    )


def code_by_case(
    project: Project,
    *,
    codes: Sequence[str] | None = None,
    measure: str = "segments",
    label: str = "id",
    rollup: bool = False,
    hidden: Mapping[str, str] | None = None,
) -> Matrix:
    _check_choice("measure", measure, ("segments", "words", "participants", "presence"))
    _check_choice("label", label, ("id", "pseudonym"))
    hidden = hidden or {}
    people = sorted(
        (p for p in project.participants() if p["id"] not in hidden and p.get("status") != "withdrawn"),
        key=lambda p: natural_key(p["id"]),
    )
    ids = [p["id"] for p in people]
    headings = [str(p.get("pseudonym") or p["id"]) if label == "pseudonym" else p["id"] for p in people]
    matrix = _by_column(
        project,
        {i: i for i in ids},
        ids,
        codes=codes,
        measure="segments" if measure == "presence" else measure,
        rollup=rollup,
        hidden=hidden,
        kind="code-by-case",
        headings=headings,
    )
    return matrix if measure != "presence" else Matrix(**{**matrix.__dict__, "measure": "presence"})


def crosstab(
    project: Project,
    *,
    attr: str,
    codes: Sequence[str] | None = None,
    measure: str = "segments",
    rollup: bool = False,
    hidden: Mapping[str, str] | None = None,
) -> Matrix:
    _check_choice("measure", measure, ("segments", "participants", "words"))
    hidden = hidden or {}
    people = [p for p in project.participants() if p["id"] not in hidden and p.get("status") != "withdrawn"]
    known = {k for p in project.participants() for k in (p.get("attributes") or {})}
    if not attr.strip():
        raise BadInputError("crosstab needs attr=KEY (a participant attribute)", "--option attr")
    if attr not in known:
        raise NotFoundError(
            f"no participant attribute {attr!r}; attributes: {', '.join(sorted(known)) or 'none'}",
            "--option attr",
        )
    column_of = {p["id"]: str((p.get("attributes") or {}).get(attr) or NOT_SET) for p in people}
    values = sorted(set(column_of.values()) - {NOT_SET}, key=natural_key)
    if NOT_SET in column_of.values():
        values.append(NOT_SET)
    return _by_column(
        project,
        column_of,
        values,
        codes=codes,
        measure=measure,
        rollup=rollup,
        hidden=hidden,
        kind="crosstab",
    )


# -- what is shown: disclosure control --------------------------------------------------------------------
@dataclass(frozen=True)
class Shown:
    """A matrix as printed: cell texts, notes and footnotes."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]
    """Everything a reader must know: the small-cell legend, then the footnotes."""
    footnotes: tuple[str, ...]
    """What a written table adds as footnote rows (the cells withheld as complements)."""
    suppressed: frozenset[tuple[int, int]]
    """(row, column) of every cell not shown (small, or complementary)."""


def displayed(
    matrix: Matrix, *, small_cell: int = DEFAULT_SMALL_CELL, suppress: bool = True, percent: str = "none"
) -> Shown:
    """The cells as text. In code x case and crosstab, a cell of 1 to K-1 distinct participants shows
    as ``<K``. With percentages a row (percent=row) or column (percent=column) adds up to 100%, which
    would give a lone small cell away: a second cell of that line is withheld too (``x``)."""
    _check_choice("percent", percent, ("none", "row", "column"))
    if small_cell < 1:
        raise BadInputError("the small-cell threshold K must be 1 or more", "--small-cell")
    if percent != "none" and matrix.kind != "crosstab":
        raise BadInputError("percent= is for the crosstab table", "--option percent")
    controlled = suppress and matrix.kind in ("code-by-case", "crosstab") and small_cell > 1
    n_rows, n_cols = len(matrix.rows), len(matrix.columns)
    values = matrix.values()
    primary = (
        {
            (r, c)
            for r, line in enumerate(matrix.cells)
            for c, cell in enumerate(line)
            if cell.value and 1 <= len(cell.participants) < small_cell
        }
        if controlled
        else set()
    )
    hidden = set(primary)
    if controlled and percent != "none":
        _complementary(values, hidden, n_rows, n_cols, by_rows=percent == "row")
    row_totals = [sum(line) for line in values]
    col_totals = [sum(values[r][c] for r in range(n_rows)) for c in range(n_cols)]

    def text(r: int, c: int) -> str:
        if (r, c) in primary:
            return f"<{small_cell}"
        if (r, c) in hidden:
            return "x"
        value = values[r][c]
        if matrix.measure == "presence":
            return "✓" if value else ""
        if percent == "row":
            return _percent(value, row_totals[r])
        if percent == "column":
            return _percent(value, col_totals[c])
        return str(value)

    plain = percent == "none" and matrix.measure != "presence"
    withheld_rows = {r for r, _c in hidden}

    def line(r: int) -> Iterable[str]:
        if plain and r not in withheld_rows:
            return map(str, values[r])  # a 400-code co-occurrence: 160,000 numbers, 5x faster
        return (text(r, c) for c in range(n_cols))

    rows = tuple((matrix.rows[r], *line(r)) for r in range(n_rows))
    notes: list[str] = []
    if primary:
        notes.append(f"<{small_cell}: fewer than {small_cell} participants, not shown (small-cell rule)")
    footnotes: list[str] = []
    if hidden - primary:
        footnotes.append(
            f"x: withheld too, so that the <{small_cell} cells cannot be worked out from the "
            f"{percent} percentages adding up to 100%"
        )
    return Shown(("Code", *matrix.columns), rows, (*notes, *footnotes), tuple(footnotes), frozenset(hidden))


def _percent(value: int, total: int) -> str:
    return f"{100 * value / total:.0f}%" if total else "0%"


def _complementary(
    values: list[list[int]], hidden: set[tuple[int, int]], n_rows: int, n_cols: int, *, by_rows: bool
) -> None:
    """A line (row or column) with exactly one withheld cell withholds its smallest other non-zero
    cell as well; one pass suffices, as only lines of one direction add up to 100%."""
    lines = (
        [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
        if by_rows
        else [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    )
    for line in lines:
        withheld = [p for p in line if p in hidden]
        others = [p for p in line if p not in hidden and values[p[0]][p[1]] > 0]
        if len(withheld) == 1 and others:
            hidden.add(min(others, key=lambda p: (values[p[0]][p[1]], p)))
