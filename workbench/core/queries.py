"""Retrieval and counts over a project, backed by indexes kept current by the store.

A linear scan over 50,000 codings costs tens of milliseconds; the indexes make
"all segments of code X" proportional to the answer instead. They are built
once at open and then updated from the store's change notifications.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]


class Index:
    """Inverted maps over segments and codings; updated per mutation."""

    def __init__(self, participant_of_segment: Callable[[str], str | None] = lambda _segment: None) -> None:
        # Per-code tallies make the codebook's counts proportional to the number of codes, not codings.
        self._participant_of_segment = participant_of_segment
        self.code_segments: dict[str, Counter[str]] = defaultdict(Counter)
        self.code_participants: dict[str, Counter[str]] = defaultdict(Counter)
        self._coding_participant: dict[str, str | None] = {}
        self.codings_by_code: dict[str, set[str]] = defaultdict(set)
        self.codings_by_segment: dict[str, set[str]] = defaultdict(set)
        self.segment_by_anchor: dict[tuple[str, int, int], str] = {}
        self.segments_by_version: dict[str, set[str]] = defaultdict(set)
        self.sources_by_participant: dict[str, set[str]] = defaultdict(set)
        self.codes_by_label: dict[str, set[str]] = defaultdict(set)  # casefolded label -> code ids

    def build(self, tables: dict[str, dict[str, Doc]]) -> None:
        """Bulk build at open: the same maps `update` keeps, in straight loops (50,000 codings in ~0.1 s).

        The collector is paused meanwhile: it would rescan the many small sets being created.
        """
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._build(tables)
        finally:
            if enabled:
                gc.enable()

    def _build(self, tables: dict[str, dict[str, Doc]]) -> None:
        """The maps `update` keeps, in straight loops with the maps bound to locals (the hottest code
        of opening a study). Per-code tallies are counted into plain dicts, then made Counters."""
        for name in ("sources", "codes"):
            for doc_id, doc in tables.get(name, {}).items():
                self.update(name, doc_id, None, doc)
        sources = tables.get("sources", {})
        participant_of_version = {
            vid: (sources.get(v.get("source_id", "")) or {}).get("participant_id")
            for vid, v in tables.get("versions", {}).items()
        }
        by_anchor, by_version = self.segment_by_anchor, self.segments_by_version
        participant_of_segment: dict[str, str | None] = {}
        for gid, seg in tables.get("segments", {}).items():
            vid = seg["version_id"]
            by_anchor[(vid, seg["start"], seg["end"])] = gid
            by_version[vid].add(gid)
            participant_of_segment[gid] = participant_of_version.get(vid)
        by_code, by_segment = self.codings_by_code, self.codings_by_segment
        segment_tally: defaultdict[str, dict[str, int]] = defaultdict(dict)
        participant_tally: defaultdict[str, dict[str, int]] = defaultdict(dict)
        coding_participant = self._coding_participant
        for kid, coding in tables.get("codings", {}).items():
            code_id, segment_id = coding["code_id"], coding["segment_id"]
            by_code[code_id].add(kid)
            by_segment[segment_id].add(kid)
            tally = segment_tally[code_id]
            tally[segment_id] = tally.get(segment_id, 0) + 1
            pid = coding_participant[kid] = participant_of_segment.get(segment_id)
            if pid:
                tally = participant_tally[code_id]
                tally[pid] = tally.get(pid, 0) + 1
        for code_id, counts in segment_tally.items():
            self.code_segments[code_id] = Counter(counts)
        for code_id, counts in participant_tally.items():
            self.code_participants[code_id] = Counter(counts)

    def update(self, table: str, doc_id: str, before: Doc | None, after: Doc | None) -> None:
        if table == "codings":
            if before is not None:
                self.codings_by_code[before["code_id"]].discard(doc_id)
                self.codings_by_segment[before["segment_id"]].discard(doc_id)
                _decrement(self.code_segments[before["code_id"]], before["segment_id"])
                pid = self._coding_participant.pop(doc_id, None)
                if pid:
                    _decrement(self.code_participants[before["code_id"]], pid)
            if after is not None:
                self.codings_by_code[after["code_id"]].add(doc_id)
                self.codings_by_segment[after["segment_id"]].add(doc_id)
                self.code_segments[after["code_id"]][after["segment_id"]] += 1
                pid = self._participant_of_segment(after["segment_id"])
                self._coding_participant[doc_id] = pid
                if pid:
                    self.code_participants[after["code_id"]][pid] += 1
        elif table == "segments":
            if before is not None:
                self.segment_by_anchor.pop((before["version_id"], before["start"], before["end"]), None)
                self.segments_by_version[before["version_id"]].discard(doc_id)
            if after is not None:
                self.segment_by_anchor[(after["version_id"], after["start"], after["end"])] = doc_id
                self.segments_by_version[after["version_id"]].add(doc_id)
        elif table == "codes":
            if before is not None:
                self.codes_by_label[before["label"].casefold()].discard(doc_id)
            if after is not None:
                self.codes_by_label[after["label"].casefold()].add(doc_id)
        elif table == "sources":
            if before is not None and before.get("participant_id"):
                self.sources_by_participant[before["participant_id"]].discard(doc_id)
            if after is not None and after.get("participant_id"):
                self.sources_by_participant[after["participant_id"]].add(doc_id)


def _decrement(counter: Counter[str], key: str) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]
