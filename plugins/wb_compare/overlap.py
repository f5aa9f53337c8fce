"""The participant-overlap guard (CMP-14).

Two studies of one field may have recruited the same people; agreement between them is then not
independent confirmation. The guard raises "possible participant overlap — do not count as independent
confirmation" when

* the two studies hold an identical transcript (the same sha256 of a transcript version), or
* they use the same participant study IDs (P01 ...), which matters when the studies drew IDs from one
  register, and is worth a look even when they did not, or
* the researcher declares an overlap (for example the same services in the same years).

The researcher can dismiss the flag with a reason (kept in a ``cmp.overlap`` record and the workspace
audit log) or declare it. Pseudonyms are never read here: matching people across studies by pseudonym
is exactly what the tool must not do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project

    from .workspace import Comparison

KIND = "cmp.overlap"
WARNING = "possible participant overlap — do not count as independent confirmation"


@dataclass(frozen=True)
class Overlap:
    shared_transcripts: tuple[tuple[str, str], ...]  # (A source, B source) with identical text
    shared_ids: tuple[str, ...]
    decision: str  # "", "declared" or "dismissed"
    reason: str

    @property
    def evidence(self) -> bool:
        return bool(self.shared_transcripts or self.shared_ids)

    @property
    def flagged(self) -> bool:
        return self.decision == "declared" or (self.evidence and self.decision != "dismissed")

    def describe(self) -> str:
        parts = []
        if self.shared_transcripts:
            pairs = ", ".join(f"A {a} = B {b}" for a, b in self.shared_transcripts)
            parts.append(f"identical transcripts ({pairs})")
        if self.shared_ids:
            parts.append(f"the same participant study IDs ({', '.join(self.shared_ids)})")
        if self.decision == "declared":
            parts.append(f"declared by the researcher: {self.reason}")
        if self.decision == "dismissed":
            parts.append(f"dismissed by the researcher: {self.reason}")
        head = WARNING if self.flagged else "no participant overlap flagged"
        return f"{head}: {'; '.join(parts)}" if parts else head


def _hashes(project: Project) -> dict[str, str]:
    """sha256 of every transcript version -> its source id."""
    return {str(v["sha256"]): str(v["source_id"]) for v in project.rows("versions") if v.get("sha256")}


def detect(comparison: Comparison) -> Overlap:
    a, b = comparison.sources["A"], comparison.sources["B"]
    hashes_a, hashes_b = _hashes(a), _hashes(b)
    shared = tuple(sorted((hashes_a[h], hashes_b[h]) for h in set(hashes_a) & set(hashes_b)))
    ids = tuple(sorted({p["id"] for p in a.participants()} & {p["id"] for p in b.participants()}))
    decisions = comparison.workspace.records(KIND)
    last = decisions[-1]["data"] if decisions else {}
    return Overlap(shared, ids, str(last.get("decision", "")), str(last.get("reason", "")))


def decide(comparison: Comparison, decision: str, reason: str) -> Overlap:
    """Record the researcher's decision on the flag ("declared" or "dismissed"), with a required reason."""
    if decision not in ("declared", "dismissed"):
        raise BadInputError("decide 'declared' or 'dismissed'", "--declare/--dismiss")
    if not reason.strip():
        raise BadInputError("say why (a reason is required)", "--reason")
    comparison.workspace.add_record(
        KIND, {"decision": decision, "reason": reason.strip()}, summary=f"participant overlap {decision}"
    )
    return detect(comparison)
