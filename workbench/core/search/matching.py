"""Finding a query's hits in one transcript: exact code-point spans inside speaker turns.

Why no index: on the bench project (60 transcripts of 9,000 words) one compiled pattern per term,
run over each whole text, finds a word in a few tens of milliseconds, and an index would be a second
copy of the words that withdrawal and redaction would have to find and purge. What is cached is
derived from an immutable transcript version only (its speech regions, its lower-cased or folded
copy), keyed by the version's text record, so it can never outlive the text it came from.

A hit never covers a speaker label ("Alex:") and never spans two turns: the label is structure, not
speech, and a turn is the unit a clause must co-occur in.
"""

from __future__ import annotations

import re
import time
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from workbench.core.errors import BadInputError
from workbench.core.language import DEFAULT_LANGUAGE, stemmer
from workbench.core.model import Turn
from workbench.core.retrieval import QueryError
from workbench.core.search.fold import Folded, fold_char
from workbench.core.search.fold import fold as _fold
from workbench.core.search.query import TOKEN, Query, Term, parse
from workbench.core.text import turn_label_span

__all__ = ["Matcher", "Region", "SearchTimeout", "regions_of"]

Span = tuple[int, int]
_APOSTROPHES = "['’ʼ]"
_START = r"(?<!\w)(?<!\w['’ʼ])"
_END = r"(?!\w|['’ʼ]\w)"
_REST_OF_WORD = r"\w*(?:['’ʼ]\w+)*"
DEFAULT_TIMEOUT = 2.0


class SearchTimeout(BadInputError):
    """A regular expression that ran away (catastrophic backtracking): cut off, not waited for."""


@dataclass(frozen=True)
class Region:
    """The speech of one turn: [start, end) after its label; `turn` is the turn's index (0-based)."""

    start: int
    end: int
    turn: int
    label: str
    role: str


def regions_of(text: str, turns: Sequence[Turn]) -> list[Region]:
    """Each turn's speech span (label left out), in text order; the whole text if there are no turns."""
    if not turns:
        return [Region(0, len(text), 0, "", "unknown")] if text else []
    regions: list[Region] = []
    for turn in sorted(turns, key=lambda t: t.start):
        start = max(turn.start, turn_label_span(text, turn)[1])
        if start < turn.end:
            regions.append(Region(start, turn.end, turn.index, turn.label, turn.role))
    return regions


@dataclass
class _Haystack:
    """What a pattern runs over for one text: itself, its folded copy, or a lower-cased copy."""

    text: str
    folded: Folded | None = None
    lowered: str | None = None
    """`text.lower()` where that keeps every offset (almost always): patterns without IGNORECASE and
    without a leading look-behind let `re` scan for the literal first, five to ten times faster."""

    def span(self, start: int, end: int, original: str) -> Span:
        if self.folded is None:
            return start, end
        start, end = self.folded.span(start, end)
        while end < len(original) and unicodedata.combining(original[end]):
            end += 1
        return start, end


@dataclass
class Matcher:
    """A parsed query (or one regular expression) ready to run over transcripts.

    `vocabulary` is asked for only with `stem`: the corpus's words, from which each query word's
    inflections are taken (so "support" finds "supported" and "supporting" but not "supper").
    """

    query: str
    regex: bool = False
    stem: bool = False
    ignore_accents: bool = False
    near: int | None = None
    language: str = DEFAULT_LANGUAGE
    vocabulary: Callable[[], Iterable[str]] | None = None
    timeout: float = DEFAULT_TIMEOUT
    parsed: Query | None = field(init=False, default=None)
    _patterns: dict[Term, tuple[re.Pattern[str], re.Pattern[str]]] = field(init=False, default_factory=dict)
    _regex: object = field(init=False, default=None)
    _deadline: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        if self.near is not None and self.near < 1:
            raise BadInputError("--near needs a number of words, 1 or more", "--near")
        if self.regex:
            if self.stem or self.near is not None:
                raise BadInputError("--regex cannot be combined with --stem or --near", "--regex")
            self._regex = self._compile_regex()
            return
        self.parsed = parse(self.query)
        forms = self._inflections() if self.stem else {}
        for term in self.parsed.terms():
            body = self._term_body(term, forms)
            fast = re.compile(self._term_body(term, forms, lower=True) + ("" if term.prefix else _END))
            self._patterns[term] = (fast, re.compile(_START + body + ("" if term.prefix else _END), re.I))

    # -- compiling ---------------------------------------------------------------------------------------
    def _compile_regex(self) -> object:
        import regex

        pattern = unicodedata.normalize("NFC", self.query)
        if not pattern.strip():
            raise QueryError("the regular expression is empty", 0)
        if self.ignore_accents:
            pattern = "".join(fold_char(c) for c in pattern)
        try:
            return regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)
        except regex.error as exc:
            position = getattr(exc, "pos", None)
            message = str(getattr(exc, "msg", None) or exc).split(" at position")[0]
            raise QueryError(
                f"invalid regular expression: {message}", position if isinstance(position, int) else 0
            ) from None

    def _fold(self, word: str) -> str:
        return "".join(fold_char(c) for c in word) if self.ignore_accents else word

    def _word(self, word: str, lower: bool = False) -> str:
        folded = self._fold(word).lower() if lower else self._fold(word)
        return _APOSTROPHES.join(re.escape(part) for part in re.split(_APOSTROPHES, folded))

    def _inflections(self) -> dict[str, list[str]]:
        """Stem → the corpus's words with that stem (longest first, so the alternation takes whole words)."""
        stem = stemmer(self.language)
        wanted = {
            stem(w.casefold())
            for t in (self.parsed.terms() if self.parsed else ())
            for w in (t.words[:-1] if t.prefix else t.words)
        }
        found: dict[str, set[str]] = {s: set() for s in wanted}
        for word in self.vocabulary() if self.vocabulary else ():
            key = stem(word)
            if key in found:
                found[key].add(word)
        return {k: sorted(v, key=lambda w: (-len(w), w)) for k, v in found.items()}

    def _term_body(self, term: Term, forms: dict[str, list[str]], *, lower: bool = False) -> str:
        stem = stemmer(self.language) if self.stem else None
        parts: list[str] = []
        for position, word in enumerate(term.words):
            last = position == len(term.words) - 1
            if last and term.prefix:
                parts.append(self._word(word, lower) + _REST_OF_WORD)
                continue
            alternatives = [word]
            if stem is not None:
                alternatives += forms.get(stem(word.casefold()), [])
            unique = dict.fromkeys(self._word(w, lower) for w in alternatives)
            parts.append(next(iter(unique)) if len(unique) == 1 else f"(?:{'|'.join(unique)})")
        return r"\W+".join(parts)

    # -- running ---------------------------------------------------------------------------------------
    def haystack(self, text: str) -> _Haystack:
        return _haystack(text, fold=self.ignore_accents)

    def start(self) -> None:
        """Start the clock for one search (a regular expression's time limit spans the whole corpus)."""
        self._deadline = time.monotonic() + self.timeout

    def spans(
        self, text: str, regions: Sequence[Region], haystack: _Haystack | None = None
    ) -> list[tuple[int, int, int]]:
        """Hits in `text` as (start, end, region index), in text order, overlapping hits merged."""
        if not regions:
            return []
        hay = haystack or self.haystack(text)
        starts = [r.start for r in regions]
        if self._regex is not None:
            return self._regex_spans(text, hay, regions, starts)
        assert self.parsed is not None
        found: dict[Term, list[tuple[int, int, int]]] = {}
        for term, (fast, slow) in self._patterns.items():
            hits: list[tuple[int, int, int]] = []
            matches = slow.finditer(hay.text) if hay.lowered is None else _word_starts(fast, hay.lowered)
            for match in matches:
                start, end = hay.span(match.start(), match.end(), text)
                index = bisect_right(starts, start) - 1
                if index >= 0 and end <= regions[index].end:
                    hits.append((start, end, index))
            found[term] = hits
        excluded = {i for c in self.parsed.negative for t in c.terms for _s, _e, i in found[t]}
        clauses = self.parsed.positive
        per_region: dict[int, list[set[tuple[int, int, int]]]] = {}
        for number, clause in enumerate(clauses):
            for term in clause.terms:
                for hit in found[term]:
                    if hit[2] not in excluded:
                        per_region.setdefault(hit[2], [set() for _ in clauses])[number].add(hit)
        out: list[tuple[int, int, int]] = []
        for index, groups in per_region.items():
            if not all(groups):
                continue
            if self.near is not None and len(groups) > 1:
                out.extend(self._near(hay.text, regions[index], groups, index))
            else:
                out.extend(hit for group in groups for hit in group)
        return _merged(out)

    def _near(
        self, text: str, region: Region, groups: list[set[tuple[int, int, int]]], index: int
    ) -> list[tuple[int, int, int]]:
        """Windows in which one hit of every clause lies within `near` words (first to last word)."""
        assert self.near is not None
        # Word positions only between the first and last hit: distances are all that is asked.
        first = min(start for group in groups for start, _e, _i in group)
        last = max(end for group in groups for _s, end, _i in group)
        words = [m.start() for m in TOKEN.finditer(text, first, last)]

        def word_at(offset: int) -> int:
            return max(0, bisect_right(words, offset) - 1)

        occurrences = sorted(
            (start, end, word_at(start), word_at(end - 1), number)
            for number, group in enumerate(groups)
            for start, end, _i in group
        )
        windows: list[tuple[int, int, int]] = []
        for i, (start, _end, first_word, _last, _n) in enumerate(occurrences):
            covered: set[int] = set()
            last_end, last_word = start, first_word
            for other in occurrences[i:]:
                if other[2] - first_word > self.near:
                    break
                covered.add(other[4])
                last_end, last_word = max(last_end, other[1]), max(last_word, other[3])
                if len(covered) == len(groups):
                    if last_word - first_word <= self.near:
                        windows.append((start, last_end, index))
                    break
        return windows

    def _regex_spans(
        self, text: str, hay: _Haystack, regions: Sequence[Region], starts: list[int]
    ) -> list[tuple[int, int, int]]:
        remaining = self._deadline - time.monotonic() if self._deadline else self.timeout
        out: list[tuple[int, int, int]] = []
        try:
            for match in self._regex.finditer(hay.text, timeout=max(0.001, remaining)):  # type: ignore[attr-defined]
                if match.end() == match.start():
                    continue
                start, end = hay.span(match.start(), match.end(), text)
                index = bisect_right(starts, start) - 1
                if index < 0 or start >= regions[index].end:
                    continue  # in a speaker label or between turns
                end = min(end, regions[index].end)
                if end > start:
                    out.append((start, end, index))
        except TimeoutError:
            raise SearchTimeout(
                f"the regular expression took longer than {self.timeout:g} s and was stopped; "
                "simplify it (nested repeats such as (a+)+ make it run away)",
                "--regex",
            ) from None
        return _merged(out)


def _merged(hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for start, end, index in sorted(hits):
        if out and start < out[-1][1] and index == out[-1][2]:
            previous = out[-1]
            out[-1] = (previous[0], max(previous[1], end), index)
        else:
            out.append((start, end, index))
    return out


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _word_starts(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches that start a word (what `_START` asks of the slow pattern), checked per match; after
    a match that does not, the search goes on from its next character, not its end."""
    position = 0
    search = pattern.search
    while (match := search(text, position)) is not None:
        start = match.start()
        before = text[start - 1] if start else ""
        if before and (
            _is_word_char(before) or (before in "'’ʼ" and start > 1 and _is_word_char(text[start - 2]))
        ):
            position = start + 1
            continue
        yield match
        position = match.end()


_HAYSTACKS: dict[tuple[int, bool], tuple[str, _Haystack]] = {}


def _haystack(text: str, *, fold: bool) -> _Haystack:
    """Folding and lower-casing cost a pass over the text: keep them per transcript text (by identity;
    versions are immutable, and the text object is held so its id cannot be reused)."""
    key = (id(text), fold)
    cached = _HAYSTACKS.get(key)
    if cached is not None and cached[0] is text:
        return cached[1]
    if len(_HAYSTACKS) > 512:
        _HAYSTACKS.clear()
    folded = _fold(text) if fold else None
    searched = folded.text if folded else text
    lowered = searched.lower()
    hay = _Haystack(searched, folded, lowered if len(lowered) == len(searched) else None)
    _HAYSTACKS[key] = (text, hay)
    return hay
