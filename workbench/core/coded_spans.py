"""The coded segments every analysis matrix counts, kept current for an open project.

Rebuilding them from the tables is a fifth of a 400-code co-occurrence (50,000 codings), and counting
which segments overlap is most of the rest, so both are kept per open project and brought up to date
from its change log (`Project.changes_since`): after a coding, only the segment it touched and the
segments overlapping it are looked at again. The terminal workbench reads them ahead while the
researcher reads (`read_ahead`), so its matrix view shows a co-occurrence of 400 codes in about the
time it takes to copy the counts out.

What is kept, per universe (one per project, for one set of hidden participants and blind ICR layers):

* every segment with at least one visible coding (`CodedSpan`, with the codes applied to it);
* once a long-lived host has read ahead (`read_ahead`), kept too: for each such segment, the
  segments it overlaps (same transcript version, sharing a code point), the codes on it and on them,
  and ``pairs[A][B]``: the number of segments of code A that overlap a segment of B (or carry B
  themselves). That is cell (A, B) of the default co-occurrence (unit=overlap, segments, no
  rollup), so the matrix is read out rather than counted.

Everything here is read and changed under one lock: the matrix view builds in a worker thread while
the command line's table or another view may ask for the same project.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from heapq import heappop, heappush
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from workbench.core.project import Project

__all__ = ["CodedSpan", "coded_spans", "overlap_counts", "overlapping_members", "read_ahead"]


class CodedSpan:
    """One coded segment as the matrices see it: where it lies, whose it is, the codes applied."""

    __slots__ = ("codes", "end", "participant", "sid", "source", "start", "version")

    def __init__(self, sid: str, version: str, source: str, participant: str, start: int, end: int) -> None:
        self.sid, self.version, self.source, self.participant = sid, version, source, participant
        self.start, self.end = start, end
        self.codes: set[str] = set()


def coded_spans(project: Project, hidden: Mapping[str, str]) -> tuple[dict[str, CodedSpan], frozenset[str]]:
    """Every segment with at least one visible coding (a copy: the caller may be a worker thread
    while another builds), and the codes that have segments."""
    with _LOCK:
        universe = _current(project, hidden)
        if universe.present is None:
            universe.present = frozenset(c for s in universe.segments.values() for c in s.codes)
        return dict(universe.segments), universe.present


def overlap_counts(
    project: Project, hidden: Mapping[str, str], rows: Sequence[str]
) -> tuple[list[list[int]], list[CodedSpan]] | None:
    """Cell (i, j): the segments of code ``rows[i]`` that overlap a segment of ``rows[j]`` (the
    diagonal: the code's segments), read from the kept pair counts; and the segments they were
    counted from (for `overlapping_members`). None when no pair counts are kept for the project
    (nothing read ahead: once, counting afresh is cheaper than making them)."""
    with _LOCK:
        universe = _current(project, hidden)
        overlaps = universe.overlaps()
        if overlaps is None:
            return None
        pairs = overlaps.pairs
        out = []
        for a in rows:
            line = pairs.get(a)
            out.append([line.get(b, 0) for b in rows] if line else [0] * len(rows))
        return out, list(universe.segments.values())


def overlapping_members(spans: Iterable[CodedSpan], a: str, b: str) -> list[CodedSpan]:
    """The segments of code `a` (among `spans`) that overlap a segment of `b` or carry `b`: what
    cell (a, b) of the co-occurrence counts, found again for a drill-down."""
    of_a: list[CodedSpan] = []
    of_b: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        if a in s.codes:
            of_a.append(s)
        if b in s.codes:
            of_b[s.version].append((s.start, s.end))
    longest = {v: max(end - start for start, end in found) for v, found in of_b.items()}
    for found in of_b.values():
        found.sort()
    out = []
    for s in of_a:
        of_version = of_b.get(s.version, [])
        if b in s.codes:
            out.append(s)
            continue
        first = bisect_left(of_version, (s.start - longest.get(s.version, 0),))
        last = bisect_left(of_version, (s.end,))
        if any(end > s.start for _start, end in of_version[first:last]):
            out.append(s)
    return out


def read_ahead(project: Project, hidden: Mapping[str, str] | None = None) -> None:
    """Read the segments and their overlaps now and keep them current from here on (a long-lived
    host's read-ahead thread), so no co-occurrence asked for later counts them again."""
    with _LOCK:
        universe = _current(project, hidden or {})
        universe.keeps_overlaps = True
        universe.overlaps()


# -- the universe -------------------------------------------------------------------------------------
def _current(project: Project, hidden: Mapping[str, str]) -> _Universe:
    """The project's universe for these hidden participants, caught up (or made again). Under _LOCK."""
    blind = project.blind_layers()
    key = (frozenset(hidden), blind)
    universe = _UNIVERSES.get(project)
    if universe is None or universe.key != key or not universe.catch_up(project):
        kept = universe is not None and universe.keeps_overlaps
        universe = _UNIVERSES[project] = _Universe(project, hidden, blind)
        universe.keeps_overlaps = kept  # made again when next asked for, then kept as before
    return universe


class _Universe:
    __slots__ = (
        "blind",
        "count",
        "keeps_overlaps",
        "kept_overlaps",
        "key",
        "of_coding",
        "present",
        "segments",
        "where",
    )

    def __init__(self, project: Project, hidden: Mapping[str, str], blind: frozenset[str]) -> None:
        self.key = (frozenset(hidden), blind)
        self.blind = blind
        self.count = project.change_count
        sources = project.store.all("sources")
        self.where: dict[str, tuple[str, str] | None] = {}  # version -> (source, participant)
        for version in project.store.all("versions").values():
            source = sources.get(version["source_id"])
            participant = str(source.get("participant_id") or "") if source else ""
            self.where[version["id"]] = (
                None if source is None or participant in hidden else (source["id"], participant)
            )
        segments_table = project.store.all("segments")
        out: dict[str, CodedSpan] = {}
        of_coding: dict[str, str] = {}  # coding -> its segment, to follow a coding removed
        for coding in project.store.all("codings").values():
            sid = coding["segment_id"]
            of_coding[coding["id"]] = sid
            if blind and coding.get("layer") in blind:
                continue
            found = out.get(sid)
            if found is None:
                found = self._placed(sid, segments_table.get(sid))
                if found is None:
                    continue
                out[sid] = found
            found.codes.add(coding["code_id"])
        self.segments = out
        self.of_coding = of_coding
        self.present: frozenset[str] | None = None  # codes with segments, made when first asked
        self.keeps_overlaps = False  # set by a read-ahead: a long-lived host asks again and again
        self.kept_overlaps: _Overlaps | None = None  # then made when first asked, and kept current

    def overlaps(self) -> _Overlaps | None:
        """The kept overlaps (made now if they are to be kept), or None."""
        if self.kept_overlaps is None and self.keeps_overlaps:
            self.kept_overlaps = _Overlaps(self.segments.values())
        return self.kept_overlaps

    def catch_up(self, project: Project) -> bool:
        """Apply the changes since it was built; False when a transcript or its participant changed
        (where segments lie: made again) or there were too many to follow. (Who is hidden and which
        layers are blind are part of the universe's key.)"""
        changes = project.changes_since(self.count)
        if changes is None or any(table in _PLACES for table, _doc in changes):
            return False
        codings = project.store.all("codings")
        touched: set[str] = set()
        for table, doc_id in changes:
            if table == "segments":
                touched.add(doc_id)
                continue
            if table != "codings":
                continue
            coding = codings.get(doc_id)
            if coding is not None:
                self.of_coding[doc_id] = coding["segment_id"]
            sid = self.of_coding.get(doc_id)
            if sid is not None:
                touched.add(sid)
        for sid in sorted(touched):
            self._reread(project, sid, codings)
        if touched:
            self.present = None
        self.count = project.change_count
        return True

    def _reread(self, project: Project, sid: str, codings: Mapping[str, Mapping[str, Any]]) -> None:
        """The segment made again from its codings now (a new object: earlier matrices keep theirs)."""
        old = self.segments.pop(sid, None)
        found = self._placed(sid, project.store.all("segments").get(sid))
        if found is not None:
            found.codes = {
                str(coding["code_id"])
                for cid in project.index.codings_by_segment.get(sid, ())
                if (coding := codings.get(cid)) is not None and coding.get("layer") not in self.blind
            }
            if found.codes:
                self.segments[sid] = found
            else:
                found = None
        if self.kept_overlaps is not None:
            if old is not None:
                self.kept_overlaps.unlink(old)
            if found is not None:
                self.kept_overlaps.link(found)

    def _placed(self, sid: str, segment: Mapping[str, Any] | None) -> CodedSpan | None:
        """The segment, without codes yet, if it lies in a transcript shown (its participant not hidden)."""
        place = self.where.get(segment["version_id"]) if segment else None
        if segment is None or place is None:
            return None
        return CodedSpan(sid, segment["version_id"], *place, segment["start"], segment["end"])


class _Overlaps:
    """Which segments overlap which, the codes on and around each, and the pair counts they give.

    ``near[s]``: the segments overlapping s; ``around[s]``: the codes on s and on them;
    ``pairs[A][B]``: segments s with A on s and B around s. A change to one segment (`unlink` its
    old form, `link` its new) touches it and its neighbours only.
    """

    __slots__ = ("around", "codes", "longest", "near", "pairs", "spans")

    def __init__(self, segments: Iterable[CodedSpan]) -> None:
        self.spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)  # per version, sorted
        self.longest: dict[str, int] = defaultdict(int)  # per version: no span is longer
        self.codes: dict[str, frozenset[str]] = {}  # per segment, as counted in `pairs`
        self.near: dict[str, set[str]] = {}
        self.around: dict[str, set[str]] = {}
        for s in segments:
            self.spans[s.version].append((s.start, s.end, s.sid))
            own = self.codes[s.sid] = frozenset(s.codes)
            self.near[s.sid] = set()
            self.around[s.sid] = set(own)
            self.longest[s.version] = max(self.longest[s.version], s.end - s.start)
        for spans in self.spans.values():
            spans.sort()
            self._sweep(spans)
        self.pairs: dict[str, Counter[str]] = defaultdict(Counter)
        for sid, own in self.codes.items():
            around = self.around[sid]
            for a in own:
                self.pairs[a].update(around)

    def _sweep(self, spans: list[tuple[int, int, str]]) -> None:
        """Link every two spans of one version that share a code point, and give each the codes of
        the other (sorted by start, one pass; the spans still open are dropped from a heap of ends
        as they close). Works on the sets themselves: the bench project has ~450,000 such pairs."""
        near, around, codes = self.near, self.around, self.codes
        active: dict[str, tuple[set[str], set[str], frozenset[str]]] = {}
        ends: list[tuple[int, str]] = []
        for start, end, sid in spans:
            while ends and ends[0][0] <= start:
                del active[heappop(ends)[1]]
            mine, my_codes, own = near[sid], around[sid], codes[sid]
            for other, (theirs, their_codes, their_own) in active.items():  # other.start <= start < other.end
                theirs.add(sid)
                their_codes |= own
                mine.add(other)
                my_codes |= their_own
            active[sid] = (mine, my_codes, own)
            heappush(ends, (end, sid))

    def _count(self, sid: str, sign: int) -> None:
        """Add (+1) or take away (-1) what segment `sid` contributes to `pairs`."""
        around = self.around[sid]
        for a in self.codes[sid]:
            line = self.pairs[a]
            for b in around:
                line[b] += sign
                if not line[b]:
                    del line[b]

    def _around(self, sid: str) -> set[str]:
        codes = self.codes
        return set(codes[sid]).union(*[codes[t] for t in self.near[sid]])

    def link(self, s: CodedSpan) -> None:
        """A segment now carrying codes (new, or its codes changed after `unlink`)."""
        spans = self.spans[s.version]
        first = bisect_left(spans, (s.start - self.longest[s.version],))
        last = bisect_left(spans, (s.end,))
        near = {sid for start, end, sid in spans[first:last] if end > s.start and start < s.end}
        near.discard(s.sid)
        for t in near:
            self._count(t, -1)
        insort(spans, (s.start, s.end, s.sid))
        self.longest[s.version] = max(self.longest[s.version], s.end - s.start)
        own = self.codes[s.sid] = frozenset(s.codes)
        self.near[s.sid] = near
        for t in near:
            self.near[t].add(s.sid)
            self.around[t] |= own
        self.around[s.sid] = self._around(s.sid)
        for t in (*near, s.sid):
            self._count(t, +1)

    def unlink(self, s: CodedSpan) -> None:
        """A segment that no longer counts as it did (removed, or about to be linked again)."""
        if s.sid not in self.codes:
            return
        near = self.near[s.sid]
        for t in (*near, s.sid):
            self._count(t, -1)
        del self.codes[s.sid], self.near[s.sid], self.around[s.sid]
        for t in near:
            self.near[t].discard(s.sid)
            self.around[t] = self._around(t)
        spans = self.spans[s.version]
        del spans[bisect_left(spans, (s.start, s.end, s.sid))]
        for t in near:
            self._count(t, +1)


_PLACES = frozenset({"sources", "versions"})
"""The tables that say where a segment lies and whose it is; a change there makes the universe again."""
_UNIVERSES: WeakKeyDictionary[Project, _Universe] = WeakKeyDictionary()
_LOCK = threading.Lock()
