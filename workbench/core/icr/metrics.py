"""Agreement coefficients (METHODS.md 5.3, ICR-9/ICR-10), as pure functions over plain sequences.

Nothing here knows about projects: the round and report modules turn codings into the unit vectors and
spans these functions take, so every coefficient can be checked against published worked examples (the
ICR-10 test vectors) without a project at all.

Conventions:

* Unit-based coefficients take one value per unit per coder (two equal-length sequences for the
  two-coder statistics; a units × coders matrix with ``None`` for a missing value for Krippendorff's α).
* A coefficient that is undefined (expected agreement of 1, i.e. both coders used one category only, or
  no pairable values) is ``None``, never a made-up 0 or 1: a report prints it as "n/a" and says why.
* NVivo-style agreement counts *characters* of one source for one code; MAXQDA-style agreement matches
  *segments* whose overlap reaches a threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from workbench.core.errors import BadInputError

Value = Hashable


def _pair(a: Sequence[Value], b: Sequence[Value]) -> int:
    if len(a) != len(b):
        raise BadInputError(f"the coders rated different numbers of units ({len(a)} and {len(b)})", "units")
    return len(a)


def percent_agreement(a: Sequence[Value], b: Sequence[Value]) -> float | None:
    """P_o: the share of units on which the two coders gave the same value."""
    n = _pair(a, b)
    if n == 0:
        return None
    return sum(x == y for x, y in zip(a, b, strict=True)) / n


def cohen_expected(a: Sequence[Value], b: Sequence[Value]) -> float | None:
    """Cohen's chance agreement P_e = Σ_k p_A(k)·p_B(k), from each coder's own marginals."""
    n = _pair(a, b)
    if n == 0:
        return None
    count_a, count_b = Counter(a), Counter(b)
    return sum(count_a[k] * count_b[k] for k in count_a) / (n * n)


def _corrected(observed: float | None, expected: float | None) -> float | None:
    if observed is None or expected is None or expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def cohen_kappa(a: Sequence[Value], b: Sequence[Value]) -> float | None:
    """Cohen's κ = (P_o − P_e) / (1 − P_e)."""
    return _corrected(percent_agreement(a, b), cohen_expected(a, b))


def scott_pi(a: Sequence[Value], b: Sequence[Value]) -> float | None:
    """Scott's π: chance agreement from the two coders' pooled marginals."""
    n = _pair(a, b)
    if n == 0:
        return None
    pooled = Counter(a) + Counter(b)
    expected = sum(count * count for count in pooled.values()) / (4 * n * n)
    return _corrected(percent_agreement(a, b), expected)


def brennan_prediger(a: Sequence[Value], b: Sequence[Value], categories: int) -> float | None:
    """Brennan–Prediger (free-marginal) κ: chance agreement is 1/q for q categories (MAXQDA's choice)."""
    if categories < 2:
        raise BadInputError("Brennan-Prediger kappa needs at least two categories", "categories")
    return _corrected(percent_agreement(a, b), 1.0 / categories)


def krippendorff_alpha_nominal(units: Sequence[Sequence[Value | None]]) -> float | None:
    """Krippendorff's α for nominal data: 1 − D_o/D_e from the coincidence matrix.

    `units` holds, per unit, the value each coder gave (``None`` when a coder did not rate that unit).
    Units with fewer than two values cannot be paired and are left out, as Krippendorff prescribes.
    """
    coincidences: dict[tuple[Value, Value], float] = {}
    for row in units:
        values = [v for v in row if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, first in enumerate(values):
            for j, second in enumerate(values):
                if i != j:
                    pair = (first, second)
                    coincidences[pair] = coincidences.get(pair, 0.0) + 1.0 / (m - 1)
    n = sum(coincidences.values())
    if n <= 1:
        return None
    marginals: dict[Value, float] = {}
    for (first, _second), weight in coincidences.items():
        marginals[first] = marginals.get(first, 0.0) + weight
    observed = sum(w for (c, k), w in coincidences.items() if c != k) / n
    expected = sum(marginals[c] * marginals[k] for c in marginals for k in marginals if c != k) / (
        n * (n - 1)
    )
    if expected == 0:
        return None
    return 1.0 - observed / expected


def alpha_two_coders(a: Sequence[Value], b: Sequence[Value]) -> float | None:
    """Krippendorff's α for two coders with no missing values."""
    _pair(a, b)
    return krippendorff_alpha_nominal([[x, y] for x, y in zip(a, b, strict=True)])


@dataclass(frozen=True)
class UnitAgreement:
    """Every two-coder unit statistic the ICR report shows for one code (or pooled over codes)."""

    n: int
    prevalence_a: float | None
    prevalence_b: float | None
    observed: float | None
    expected: float | None
    cohen_kappa: float | None
    scott_pi: float | None
    brennan_prediger: float | None
    alpha: float | None


def binary_agreement(a: Sequence[bool], b: Sequence[bool]) -> UnitAgreement:
    """Presence/absence of one code on pre-segmented units, as two coders saw it (q = 2)."""
    n = _pair(a, b)
    return UnitAgreement(
        n=n,
        prevalence_a=sum(a) / n if n else None,
        prevalence_b=sum(b) / n if n else None,
        observed=percent_agreement(a, b),
        expected=cohen_expected(a, b),
        cohen_kappa=cohen_kappa(a, b),
        scott_pi=scott_pi(a, b),
        brennan_prediger=brennan_prediger(a, b, 2) if n else None,
        alpha=alpha_two_coders(a, b),
    )


# -- NVivo-style character agreement ----------------------------------------------------------------------


Span = tuple[int, int]


@dataclass(frozen=True)
class CharacterAgreement:
    """NVivo's Coding Comparison for one code in one source: characters coded by both, one, or neither."""

    length: int
    both: int
    a_only: int
    b_only: int
    neither: int
    agreement: float | None
    kappa: float | None


def _covered(spans: Sequence[Span], length: int) -> list[bool]:
    covered = [False] * length
    for start, end in spans:
        if not 0 <= start <= end <= length:
            raise BadInputError(f"span {start}:{end} is outside the source (0:{length})", "spans")
        for i in range(start, end):
            covered[i] = True
    return covered


def character_counts(length: int, a_spans: Sequence[Span], b_spans: Sequence[Span]) -> CharacterAgreement:
    """Count characters of a `length`-character source by who coded them, then score them."""
    a, b = _covered(a_spans, length), _covered(b_spans, length)
    both = sum(x and y for x, y in zip(a, b, strict=True))
    a_only = sum(x and not y for x, y in zip(a, b, strict=True))
    b_only = sum(y and not x for x, y in zip(a, b, strict=True))
    return character_agreement(length, both, a_only, b_only)


def character_agreement(length: int, both: int, a_only: int, b_only: int) -> CharacterAgreement:
    """Agreement = (both + neither)/N; κ with EF1 = A_coded·B_coded/N and EF2 = A_not·B_not/N (NVivo)."""
    neither = length - both - a_only - b_only
    if min(both, a_only, b_only, neither) < 0:
        raise BadInputError("character counts exceed the source length", "length")
    if length == 0:
        return CharacterAgreement(0, 0, 0, 0, 0, None, None)
    a_coded, b_coded = both + a_only, both + b_only
    chance = (a_coded * b_coded + (length - a_coded) * (length - b_coded)) / length
    agree = both + neither
    kappa = None if chance >= length else (agree - chance) / (length - chance)
    return CharacterAgreement(length, both, a_only, b_only, neither, agree / length, kappa)


# -- MAXQDA-style segment overlap -------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One coder's coded segment: a span of a source and the code applied to it."""

    source: str
    start: int
    end: int
    code: str


@dataclass(frozen=True)
class OverlapResult:
    """Segment matching at a minimum overlap rate: pairs matched, and each coder's unmatched segments."""

    threshold: float
    matched: tuple[tuple[Segment, Segment], ...]
    a_only: tuple[Segment, ...]
    b_only: tuple[Segment, ...]
    categories: int
    agreement: float | None
    kappa: float | None


def overlap_rate(first: Segment, second: Segment) -> float:
    """Shared characters over the characters either segment covers (0 when in different sources)."""
    if first.source != second.source:
        return 0.0
    shared = min(first.end, second.end) - max(first.start, second.start)
    union = max(first.end, second.end) - min(first.start, second.start)
    return max(shared, 0) / union if union > 0 else 0.0


def overlap_matching(
    a: Sequence[Segment], b: Sequence[Segment], threshold: float = 0.9, categories: int | None = None
) -> OverlapResult:
    """Pair each segment of A with at most one segment of B carrying the same code, best overlap first.

    A pair counts when its overlap rate reaches `threshold` (MAXQDA's minimum overlap; 90 % is a common
    setting). The "coded by neither" cell is undefined at segment level, so agreement is
    matched / (matched + A only + B only) and the chance-corrected figure uses Brennan–Prediger's
    1/q with q = `categories` (default: the number of codes either coder used, at least 2).
    """
    if not 0.0 < threshold <= 1.0:
        raise BadInputError(
            f"overlap threshold must be above 0 and at most 1, not {threshold}", "--threshold"
        )
    candidates = sorted(
        (
            (overlap_rate(x, y), i, j)
            for i, x in enumerate(a)
            for j, y in enumerate(b)
            if x.code == y.code and overlap_rate(x, y) >= threshold
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _rate, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    pairs.sort()
    a_only = tuple(x for i, x in enumerate(a) if i not in used_a)
    b_only = tuple(y for j, y in enumerate(b) if j not in used_b)
    total = len(pairs) + len(a_only) + len(b_only)
    q = categories if categories is not None else max(len({s.code for s in (*a, *b)}), 2)
    agreement = len(pairs) / total if total else None
    kappa = _corrected(agreement, 1.0 / q) if q >= 2 else None
    return OverlapResult(
        threshold,
        tuple((a[i], b[j]) for i, j in pairs),
        a_only,
        b_only,
        q,
        agreement,
        kappa,
    )


def interpret_alpha(alpha: float | None) -> str:
    """Krippendorff's conventional reading, always with the caveat of METHODS.md 5.1 in the report."""
    if alpha is None:
        return "undefined"
    if alpha >= 0.800:
        return "reliable (α ≥ .800)"
    if alpha >= 0.667:
        return "tentative (.667 ≤ α < .800)"
    return "below tentative (α < .667)"


def fmt(value: float | None, digits: int = 3) -> str:
    """A coefficient as reports print it: three decimals, or "n/a" when undefined."""
    return "n/a" if value is None else f"{value:.{digits}f}"
