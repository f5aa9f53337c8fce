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


def _texts(concepts: list[Concept]) -> tuple[list[str], list[str], list[str]]:
    labels = [_norm(c.label) for c in concepts]
    definitions = [_norm(c.definition, words=True) for c in concepts]
    quotes = [_norm(" ".join(q.text for q in c.quotes[:QUOTES_USED]), words=True) for c in concepts]
    return labels, definitions, quotes


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


def suggest(
    comparison: Comparison, *, limit: int = 20, concept: str | None = None, minimum: float = 40.0
) -> list[Suggestion]:
    """The best-scoring unmapped pairs of shown concepts, best first (ties by A then B order).

    `concept` restricts the candidates to one concept's counterparts (A:... or B:...).
    """
    a_list = comparison.inventory("A").shown()
    b_list = comparison.inventory("B").shown()
    if concept is not None:
        chosen = comparison.concept(concept)
        if chosen.side == "A":
            a_list = [chosen]
        else:
            b_list = [chosen]
    mapped = {(m.a, m.b) for m in all_mappings(comparison.workspace)}
    a_texts = _texts(a_list)
    b_texts = _texts(b_list)
    w_label, w_def, w_quotes = WEIGHTS["label"], WEIGHTS["definition"], WEIGHTS["quotes"]
    ranked: list[tuple[float, int, int, float, float | None, float | None]] = []
    for i in range(len(a_list)):
        labels, definitions, quotes = (_scores(a_texts[k][i], b_texts[k]) for k in range(3))
        has_def, has_quotes = bool(a_texts[1][i]), bool(a_texts[2][i])
        for j in range(len(b_list)):
            label = labels[j]
            total, weight = w_label * label, w_label
            definition = definitions[j] if has_def and b_texts[1][j] else None
            if definition is not None:
                total += w_def * definition
                weight += w_def
            quote = quotes[j] if has_quotes and b_texts[2][j] else None
            if quote is not None:
                total += w_quotes * quote
                weight += w_quotes
            score = total / weight
            if score >= minimum:
                ranked.append((score, i, j, label, definition, quote))
    best = heapq.nsmallest(
        max(limit, 0) + len(mapped),
        ranked,
        key=lambda item: (-item[0], item[1], item[2]),
    )
    out = []
    for score, i, j, label, definition, quote in best:
        a, b = a_list[i], b_list[j]
        if (a.id, b.id) in mapped:
            continue
        out.append(Suggestion(a.id, b.id, a.label, b.label, score, label, definition, quote))
    return out[: max(limit, 0)]
