"""The ICR artefacts of METHODS.md 5.4 as plain rows: the report, the disagreement log, the codebook changes.

Every report row states the unit rule, N, the overlap rule (free unitisation), the frozen codebook
snapshot and the coder ids (ICR-9). Under the ``dialogic`` policy (ICR-0) coefficients are withheld
unless asked for, because the team agreed to discuss differences rather than score them; the
interpretation caveat of METHODS.md 5.1 travels with every overall row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.core.icr import metrics
from workbench.core.icr.adjudication import decisions
from workbench.core.icr.compare import CodeAgreement, Comparison, compare
from workbench.core.icr.rounds import Round, get_round, policy, require_closed, rounds
from workbench.core.text import format_citation

if TYPE_CHECKING:
    from workbench.core.project import Project

REPORT_COLUMNS = (
    "round",
    "date",
    "codebook snapshot",
    "unit rule",
    "sources (n, % of corpus)",
    "code",
    "N units",
    "prevalence A/B",
    "P_o",
    "κ / κ_BP",
    "α",
    "notes",
)
DISAGREEMENT_COLUMNS = ("#", "segment (pseudonym, page:line)", "code", "A", "B", "type", "resolution", "memo")
CHANGE_COLUMNS = ("round", "disagreement", "decision", "code change", "by", "when")
CAVEAT = (
    "agreement is a device for discussion, not proof of a valid analysis (O'Connor & Joffe 2020; "
    "Braun & Clarke)"
)


def selected_rounds(project: Project, ref: str | None) -> list[Round]:
    if ref:
        r = get_round(project, ref)
        require_closed(r)
        return [r]
    return [r for r in rounds(project) if r.status == "closed"]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def report_rows(
    project: Project, ref: str | None = None, *, coefficients: bool | None = None
) -> list[dict[str, Any]]:
    """One row per code per closed round, then the round's overall row."""
    show = policy(project) != "dialogic" if coefficients is None else coefficients
    out: list[dict[str, Any]] = []
    for r in selected_rounds(project, ref):
        comparison = compare(project, r)
        snapshot = project.get("snapshots", r.snapshot) or {}
        base = {
            "round": r.name,
            "date": (r.closed_at or r.created_at)[:10],
            "codebook snapshot": f"{r.snapshot} ({snapshot.get('label', '')})",
            "unit rule": r.rule if r.rule != "free" else f"free, overlap ≥ {r.threshold:.0%}",
            "sources (n, % of corpus)": (
                f"{len(r.sources)} ({', '.join(r.sources)}), {r.sample.get('share', 0):.0f}%"
            ),
        }
        for row in comparison.codes:
            out.append({**base, **_cells(row, r, show, overall=False)})
        overall = _cells(comparison.overall, r, show, overall=True)
        overall["notes"] = "; ".join(
            part
            for part in (
                overall["notes"],
                f"coders A={r.coders[0]}, B={r.coders[1]}",
                f"policy {policy(project)}",
                CAVEAT,
            )
            if part
        )
        out.append({**base, **overall})
    return out


def _cells(row: CodeAgreement, r: Round, show: bool, *, overall: bool) -> dict[str, Any]:
    hidden = "—"
    if row.unit is not None:
        u = row.unit
        notes: list[str] = [f"Scott π {metrics.fmt(u.scott_pi)}"]
        if overall:
            notes = [f"pooled over codes × {len(r.units)} units", f"α {metrics.interpret_alpha(u.alpha)}"]
        return {
            "code": row.label,
            "N units": str(u.n),
            "prevalence A/B": f"{_pct(u.prevalence_a)}/{_pct(u.prevalence_b)}",
            "P_o": metrics.fmt(u.observed) if show else hidden,
            "κ / κ_BP": f"{metrics.fmt(u.cohen_kappa)} / {metrics.fmt(u.brennan_prediger)}"
            if show
            else hidden,
            "α": metrics.fmt(u.alpha) if show else hidden,
            "notes": "; ".join(notes) if show else "coefficients withheld (dialogic policy)",
            "metrics": {
                "n": u.n,
                "prevalence_a": u.prevalence_a,
                "prevalence_b": u.prevalence_b,
                "observed": u.observed,
                "expected": u.expected,
                "cohen_kappa": u.cohen_kappa,
                "scott_pi": u.scott_pi,
                "brennan_prediger": u.brennan_prediger,
                "alpha": u.alpha,
            }
            if show
            else {},
        }
    chars, overlap = row.characters, row.overlap
    assert chars is not None and overlap is not None
    a_coded, b_coded = chars.both + chars.a_only, chars.both + chars.b_only
    chars_notes = (
        f"NVivo-style characters: both {chars.both}, A only {chars.a_only}, B only {chars.b_only}, "
        f"neither {chars.neither}; MAXQDA-style segments at ≥{overlap.threshold:.0%} overlap: "
        f"{len(overlap.matched)} matched, {len(overlap.a_only)} A only, {len(overlap.b_only)} B only "
        f"(P_o {metrics.fmt(overlap.agreement)}, κ_BP with q={overlap.categories})"
    )
    return {
        "code": row.label,
        "N units": f"{chars.length} chars",
        "prevalence A/B": f"{_pct(a_coded / chars.length if chars.length else None)}/"
        f"{_pct(b_coded / chars.length if chars.length else None)}",
        "P_o": metrics.fmt(chars.agreement) if show else hidden,
        "κ / κ_BP": f"{metrics.fmt(chars.kappa)} / {metrics.fmt(overlap.kappa)}" if show else hidden,
        "α": "n/a",
        "notes": chars_notes if show else "coefficients withheld (dialogic policy)",
        "metrics": {
            "characters": chars.length,
            "both": chars.both,
            "a_only": chars.a_only,
            "b_only": chars.b_only,
            "neither": chars.neither,
            "character_agreement": chars.agreement,
            "character_kappa": chars.kappa,
            "segments_matched": len(overlap.matched),
            "segments_a_only": len(overlap.a_only),
            "segments_b_only": len(overlap.b_only),
            "segment_agreement": overlap.agreement,
            "segment_kappa_bp": overlap.kappa,
        }
        if show
        else {},
    }


@dataclass(frozen=True)
class DisagreementRow:
    number: int
    key: str
    citation: str
    code: str
    a: str
    b: str
    type: str
    resolution: str
    memo: str
    round: str


def disagreement_rows(project: Project, ref: str | None = None) -> list[DisagreementRow]:
    out: list[DisagreementRow] = []
    template = project.citation_template()
    for r in selected_rounds(project, ref):
        comparison: Comparison = compare(project, r)
        decided = {d.key: d for d in decisions(project, r.id)}
        for number, item in enumerate(comparison.disagreements, start=1):
            source = project.source(item.source)
            participant = project.participant_of(source) or {}
            pseudonym = participant.get("pseudonym") or source["title"]
            linemap = project.text_record(item.version).linemap
            citation = format_citation(
                linemap, item.start, item.end, pseudonym, participant.get("id", ""), template
            )
            decision = decided.get(item.key)
            memo = ""
            if decision and decision.memo:
                memo = " ".join(str((project.get("memos", decision.memo) or {}).get("body", "")).split())
            resolution = f"{decision.choice} ({decision.decided_by})" if decision else "open"
            out.append(
                DisagreementRow(
                    number,
                    item.key,
                    citation,
                    item.label,
                    item.a,
                    item.b,
                    item.type,
                    resolution,
                    memo,
                    r.name,
                )
            )
    return out


def codebook_change_rows(project: Project) -> list[dict[str, str]]:
    """Codes created by adjudication, linked to the disagreement that prompted them (5.4 item 3)."""
    names = {r.id: r.name for r in rounds(project)}
    out = []
    for d in decisions(project):
        if not d.created_code:
            continue
        label = (project.get("codes", d.created_code) or {}).get("label", d.created_code)
        out.append(
            {
                "round": names.get(d.round, d.round),
                "disagreement": d.key,
                "decision": f"{d.id} ({d.choice})",
                "code change": f"created {label!r} ({d.created_code})",
                "by": d.decided_by,
                "when": d.time,
            }
        )
    return out
