"""Compare the two coders of a round (ICR-6, ICR-9): agreement per code and overall, and the disagreements.

Pre-segmented rules: a coder "applied code k to unit u" when one of their round codings of k overlaps
u. Each code gives two presence vectors over the sampled units, scored with `metrics.binary_agreement`;
the overall row pools every (unit, code) decision, as MAXQDA and NVivo pool nodes.

Free unitisation: per code, NVivo-style character agreement over the sampled sources (characters pooled
over sources, i.e. weighted by source size) and MAXQDA-style segment matching at the round's threshold.

A disagreement is one (unit, code) on which the coders differ, or for free rules one group of unmatched
segments of a code that overlap each other. Its type (ICR-6):

* ``code mismatch`` — the other coder coded the same stretch, but with another code;
* ``boundary mismatch`` — the other coder used the same code on an overlapping or neighbouring stretch;
* ``one-only`` — the other coder left that stretch uncoded.

Each disagreement carries the spans each coder's view would put in the consensus layer, which is what
adjudication (`adjudication`) chooses between.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.core.icr import metrics
from workbench.core.icr.rounds import LayerCoding, Round, Unit, layer_codings

if TYPE_CHECKING:
    from workbench.core.project import Project

Proposal = tuple[int, int, str]  # start, end, code id


@dataclass(frozen=True)
class CodeAgreement:
    code_id: str
    label: str
    unit: metrics.UnitAgreement | None = None
    characters: metrics.CharacterAgreement | None = None
    overlap: metrics.OverlapResult | None = None


@dataclass(frozen=True)
class Disagreement:
    key: str
    source: str
    version: str
    start: int
    end: int
    code_id: str
    label: str
    a: str
    b: str
    type: str
    a_view: tuple[Proposal, ...]
    b_view: tuple[Proposal, ...]


@dataclass(frozen=True)
class Comparison:
    round: Round
    codes: tuple[CodeAgreement, ...]
    overall: CodeAgreement
    disagreements: tuple[Disagreement, ...]
    agreements: tuple[tuple[str, str, int, int, str], ...]  # source, version, start, end, code id


def _labels(project: Project, ids: set[str]) -> dict[str, str]:
    return {cid: str((project.get("codes", cid) or {}).get("label", cid)) for cid in ids}


def compare(project: Project, r: Round) -> Comparison:
    codings = layer_codings(project, r)
    if r.rule == "free":
        return _compare_free(project, r, codings)
    return _compare_units(project, r, codings)


def _present(r: Round, codings: list[LayerCoding]) -> dict[tuple[int, str], set[str]]:
    """(unit index, coder) → code ids whose codings overlap that unit."""
    by_source: dict[str, list[tuple[int, Unit]]] = defaultdict(list)
    for index, unit in enumerate(r.units):
        by_source[unit.source].append((index, unit))
    present: dict[tuple[int, str], set[str]] = defaultdict(set)
    for c in codings:
        for index, unit in by_source.get(c.source, ()):
            if c.version == unit.version and c.start < unit.end and unit.start < c.end:
                present[(index, c.coder)].add(c.code_id)
    return present


def _compare_units(project: Project, r: Round, codings: list[LayerCoding]) -> Comparison:
    coder_a, coder_b = r.coders
    present = _present(r, codings)
    used = {c.code_id for c in codings}
    labels = _labels(project, used)
    order = sorted(used, key=lambda cid: labels[cid].casefold())
    rows: list[CodeAgreement] = []
    pooled_a: list[bool] = []
    pooled_b: list[bool] = []
    for cid in order:
        a = [cid in present[(i, coder_a)] for i in range(len(r.units))]
        b = [cid in present[(i, coder_b)] for i in range(len(r.units))]
        pooled_a += a
        pooled_b += b
        rows.append(CodeAgreement(cid, labels[cid], unit=metrics.binary_agreement(a, b)))
    overall = CodeAgreement("", "(overall)", unit=metrics.binary_agreement(pooled_a, pooled_b))
    disagreements: list[Disagreement] = []
    agreements: list[tuple[str, str, int, int, str]] = []
    for i, unit in enumerate(r.units):
        mine, theirs = present[(i, coder_a)], present[(i, coder_b)]
        for cid in sorted(mine & theirs, key=lambda c: labels[c].casefold()):
            agreements.append((unit.source, unit.version, unit.start, unit.end, cid))
        for cid in sorted(mine ^ theirs, key=lambda c: labels[c].casefold()):
            lacking = theirs if cid in mine else mine
            lacking_coder = coder_b if cid in mine else coder_a
            neighbours = [
                j for j in (i - 1, i + 1) if 0 <= j < len(r.units) and r.units[j].source == unit.source
            ]
            if lacking:
                kind = "code mismatch"
            elif any(cid in present[(j, lacking_coder)] for j in neighbours):
                kind = "boundary mismatch"
            else:
                kind = "one-only"
            view: tuple[Proposal, ...] = ((unit.start, unit.end, cid),)
            disagreements.append(
                Disagreement(
                    key=f"{unit.source}:{unit.start}-{unit.end}:{cid}",
                    source=unit.source,
                    version=unit.version,
                    start=unit.start,
                    end=unit.end,
                    code_id=cid,
                    label=labels[cid],
                    a=labels[cid] if cid in mine else _others(mine, labels),
                    b=labels[cid] if cid in theirs else _others(theirs, labels),
                    type=kind,
                    a_view=view if cid in mine else (),
                    b_view=view if cid in theirs else (),
                )
            )
    return Comparison(r, tuple(rows), overall, tuple(disagreements), tuple(agreements))


def _others(codes: set[str], labels: dict[str, str]) -> str:
    return "— (" + ", ".join(sorted(labels.get(c, c) for c in codes)) + ")" if codes else "—"


def _compare_free(project: Project, r: Round, codings: list[LayerCoding]) -> Comparison:
    coder_a, coder_b = r.coders
    used = {c.code_id for c in codings}
    labels = _labels(project, used)
    versions = r.versions(project)
    lengths = {s: len(project.text_record(v).text) for s, v in versions.items()}
    rows: list[CodeAgreement] = []
    totals = [0, 0, 0, 0]
    seg_a = [metrics.Segment(c.source, c.start, c.end, c.code_id) for c in codings if c.coder == coder_a]
    seg_b = [metrics.Segment(c.source, c.start, c.end, c.code_id) for c in codings if c.coder == coder_b]
    for cid in sorted(used, key=lambda c: labels[c].casefold()):
        both = a_only = b_only = length = 0
        for source, size in lengths.items():
            counts = metrics.character_counts(
                size,
                [
                    (c.start, c.end)
                    for c in codings
                    if c.coder == coder_a and c.code_id == cid and c.source == source
                ],
                [
                    (c.start, c.end)
                    for c in codings
                    if c.coder == coder_b and c.code_id == cid and c.source == source
                ],
            )
            both, a_only, b_only, length = (
                both + counts.both,
                a_only + counts.a_only,
                b_only + counts.b_only,
                length + size,
            )
        chars = metrics.character_agreement(length, both, a_only, b_only)
        for index, value in enumerate((both, a_only, b_only, length)):
            totals[index] += value
        overlap = metrics.overlap_matching(
            [s for s in seg_a if s.code == cid],
            [s for s in seg_b if s.code == cid],
            r.threshold,
            categories=max(len(used), 2),
        )
        rows.append(CodeAgreement(cid, labels[cid], characters=chars, overlap=overlap))
    overall_overlap = metrics.overlap_matching(seg_a, seg_b, r.threshold, categories=max(len(used), 2))
    overall = CodeAgreement(
        "",
        "(overall)",
        characters=metrics.character_agreement(totals[3], totals[0], totals[1], totals[2]),
        overlap=overall_overlap,
    )
    disagreements: list[Disagreement] = []
    agreements = [
        (x.source, versions[x.source], max(x.start, y.start), min(x.end, y.end), x.code)
        for x, y in overall_overlap.matched
    ]
    unmatched = [(coder_a, s) for s in overall_overlap.a_only] + [
        (coder_b, s) for s in overall_overlap.b_only
    ]
    groups = _overlap_groups(unmatched)
    for group in groups:
        first = min(s.start for _c, s in group)
        last = max(s.end for _c, s in group)
        seg = group[0][1]
        a_view = tuple((s.start, s.end, s.code) for c, s in group if c == coder_a)
        b_view = tuple((s.start, s.end, s.code) for c, s in group if c == coder_b)
        if a_view and b_view:
            kind = "boundary mismatch"
        else:
            own = coder_a if a_view else coder_b
            other = [s for s in (seg_b if own == coder_a else seg_a) if s.source == seg.source]
            kind = (
                "code mismatch"
                if any(s.code != seg.code and s.start < last and first < s.end for s in other)
                else "one-only"
            )
        disagreements.append(
            Disagreement(
                key=f"{seg.source}:{first}-{last}:{seg.code}",
                source=seg.source,
                version=versions[seg.source],
                start=first,
                end=last,
                code_id=seg.code,
                label=labels[seg.code],
                a=labels[seg.code] if a_view else "—",
                b=labels[seg.code] if b_view else "—",
                type=kind,
                a_view=a_view,
                b_view=b_view,
            )
        )
    disagreements.sort(key=lambda d: (d.source, d.start, d.end, d.label))
    return Comparison(r, tuple(rows), overall, tuple(disagreements), tuple(agreements))


def _overlap_groups(items: list[tuple[str, metrics.Segment]]) -> list[list[tuple[str, metrics.Segment]]]:
    """Unmatched segments of one code in one source that overlap each other, grouped (transitively)."""
    ordered = sorted(items, key=lambda item: (item[1].source, item[1].code, item[1].start, item[1].end))
    groups: list[list[tuple[str, metrics.Segment]]] = []
    for item in ordered:
        seg = item[1]
        last = groups[-1] if groups else None
        if (
            last
            and last[0][1].source == seg.source
            and last[0][1].code == seg.code
            and seg.start < max(s.end for _c, s in last)
        ):
            last.append(item)
        else:
            groups.append([item])
    return groups
