"""Candidate mappings ranked by similarity of labels, definitions and quotes (rapidfuzz).

Suggestions are computed, shown and forgotten: nothing here writes to the workspace. A suggestion
becomes a mapping only when the researcher maps the pair with a relation and a rationale.

The score (0–100) is a weighted mean of three `token_set_ratio` similarities — label 0.5, definition
0.3, quotes 0.2 — over the parts both concepts have (a concept without a definition is judged on the
rest). Texts are normalised once (lower case, punctuation removed); definitions and the first two quotes are
reduced to their first 30 distinct words in sorted order (`token_set_ratio` compares word sets anyway),
which keeps a 400 × 400 comparison within the two-second budget. Pairs already mapped are left out.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .mappings import all_mappings

if TYPE_CHECKING:
    from .inventory import Concept
    from .workspace import Comparison

WEIGHTS = {"label": 0.5, "definition": 0.3, "quotes": 0.2}
MAX_WORDS = 30
QUOTES_USED = 2


@dataclass(frozen=True)
class Suggestion:
    a: str
    b: str
    a_label: str
    b_label: str
    score: float
    label: float
    definition: float | None
    quotes: float | None

    def to_json(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "a_label": self.a_label,
            "b_label": self.b_label,
            "score": round(self.score, 1),
            "label": round(self.label, 1),
            "definition": None if self.definition is None else round(self.definition, 1),
            "quotes": None if self.quotes is None else round(self.quotes, 1),
        }


def _norm(text: str, *, words: bool = False) -> str:
    from rapidfuzz import utils

    clean = utils.default_process(text)
    if not words:
        return clean
    return " ".join(sorted(set(clean.split()))[:MAX_WORDS])


def _scores(query: str, choices: list[str]) -> list[float]:
    from rapidfuzz import fuzz, process

    out = [0.0] * len(choices)
    if not query:
        return out
    for _choice, score, index in process.extract(
        query, choices, scorer=fuzz.token_set_ratio, processor=None, limit=None, score_cutoff=1
    ):
        out[index] = float(score)
    return out


class _Side:
    """One study's candidate concepts with their texts normalised once; quotes normalised on demand."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = concepts
        self.labels = [_norm(c.label) for c in concepts]
        self.definitions = [_norm(c.definition, words=True) for c in concepts]
        self._quotes: dict[int, str] = {}

    def quotes(self, index: int) -> str:
        found = self._quotes.get(index)
        if found is None:
            texts = (q.text for q in self.concepts[index].first_quotes(QUOTES_USED))
            found = self._quotes[index] = _norm(" ".join(texts), words=True)
        return found


def suggest(
    comparison: Comparison, *, limit: int = 20, concept: str | None = None, minimum: float = 40.0
) -> list[Suggestion]:
    """The best-scoring unmapped pairs of shown concepts, best first (ties by A then B order).

    `concept` restricts the candidates to one concept's counterparts (A:... or B:...).

    Exact, but lazy: labels are compared for every pair first. Each pair's score is then bounded —
    at least its label's share with definition and quotes scoring 0, at most with both scoring 100 —
    and only pairs whose upper bound reaches the `limit`-th best lower bound (and `minimum`) have their
    definitions and quotes compared. So quotes are read only for concepts that can still make the list,
    and the result is the same as scoring every pair in full.
    """
    from rapidfuzz import fuzz

    a_list = comparison.inventory("A").shown()
    b_list = comparison.inventory("B").shown()
    if concept is not None:
        chosen = comparison.concept(concept)
        if chosen.side == "A":
            a_list = [chosen]
        else:
            b_list = [chosen]
    limit = max(limit, 0)
    if not limit or not a_list or not b_list:
        return []
    mapped = {(m.a, m.b) for m in all_mappings(comparison.workspace)}
    a_side, b_side = _Side(a_list), _Side(b_list)
    w_label, w_def, w_quotes = WEIGHTS["label"], WEIGHTS["definition"], WEIGHTS["quotes"]
    # (upper bound, lower bound, i, j, label score, definition compared?) for every unmapped pair
    bounded: list[tuple[float, float, int, int, float, bool]] = []
    for i, a in enumerate(a_list):
        labels = _scores(a_side.labels[i], b_side.labels)
        for j, b in enumerate(b_list):
            if (a.id, b.id) in mapped:
                continue
            both_defs = bool(a_side.definitions[i] and b_side.definitions[j])
            known, weight = w_label * labels[j], w_label + (w_def if both_defs else 0.0)
            best_def = w_def * 100 if both_defs else 0.0
            lower = known / (weight + w_quotes)  # quotes present but unlike, definitions unlike
            upper = max(
                (known + best_def) / weight, (known + best_def + w_quotes * 100) / (weight + w_quotes)
            )
            bounded.append((upper, lower, i, j, labels[j], both_defs))
    lowers = heapq.nlargest(limit, (item[1] for item in bounded))
    threshold = max(minimum, lowers[-1] if len(lowers) == limit else minimum) - 1e-9
    ranked: list[tuple[float, int, int, float, float | None, float | None]] = []
    for upper, _lower, i, j, label, both_defs in bounded:
        if upper < threshold:
            continue
        total, weight = w_label * label, w_label
        definition = None
        if both_defs:
            definition = float(
                fuzz.token_set_ratio(
                    a_side.definitions[i], b_side.definitions[j], processor=None, score_cutoff=1
                )
            )
            total += w_def * definition
            weight += w_def
        quote = None
        a_quotes = a_side.quotes(i)
        b_quotes = b_side.quotes(j) if a_quotes else ""
        if a_quotes and b_quotes:
            quote = float(fuzz.token_set_ratio(a_quotes, b_quotes, processor=None, score_cutoff=1))
            total += w_quotes * quote
            weight += w_quotes
        score = total / weight
        if score >= minimum:
            ranked.append((score, i, j, label, definition, quote))
    best = heapq.nsmallest(limit, ranked, key=lambda item: (-item[0], item[1], item[2]))
    return [
        Suggestion(
            a_list[i].id, b_list[j].id, a_list[i].label, b_list[j].label, score, label, definition, quote
        )
        for score, i, j, label, definition, quote in best
    ]
