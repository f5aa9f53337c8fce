"""The text-search query language: words, "exact phrases", OR, -word, prefix*.

Researchers type queries the way they type them into a web search box, so the grammar follows that
habit rather than a boolean calculus:

* ``hope trust``          — a turn where both words occur (every clause must occur in the same turn);
* ``"peer support"``      — the words in this order, separated only by spaces or punctuation (curly
                            quotes “…” work too, as a word processor types them);
* ``worker OR supporter`` — either; ``OR`` (upper case, so the word "or" can still be searched for)
                            joins alternatives within one clause and binds tighter than the implicit
                            AND: ``stigma "peer worker" OR "peer supporter"`` is stigma AND (one of
                            the two phrases);
* ``-manager``            — no turn containing it is found (an exclusion is one term, never part of
                            an OR);
* ``support*``            — any word starting with "support" ("supported", "supportive").

Words are what `TOKEN` matches: letters and digits with inner apostrophes ("don't" = "don’t"); a
hyphen separates words, so ``support`` also finds "peer-support", and a bare ``peer-support`` is the
phrase ``"peer support"``. Parse errors are `QueryError` with the 1-based column, as the boolean code
query (`workbench.core.retrieval`) reports them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from workbench.core.retrieval import QueryError

__all__ = ["TOKEN", "Clause", "Query", "Term", "parse"]

TOKEN: Final = re.compile(r"\w+(?:['’ʼ]\w+)*")
"""One word of a transcript, as searched, counted and stemmed."""

OPEN_QUOTES: Final = frozenset('"“„«')
CLOSE_QUOTES: Final = {'"': '"', "“": "”", "„": "“", "«": "»"}


@dataclass(frozen=True)
class Term:
    """Words to find in sequence (one word, or a phrase); `prefix`: the last word may go on."""

    words: tuple[str, ...]
    prefix: bool = False
    phrase: bool = False
    position: int = 0

    def __str__(self) -> str:
        text = " ".join(self.words) + ("*" if self.prefix else "")
        return f'"{text}"' if self.phrase else text


@dataclass(frozen=True)
class Clause:
    """Alternatives of which one must occur in the turn; a `negative` clause must not occur at all."""

    terms: tuple[Term, ...]
    negative: bool = False


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...]

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negative)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negative)

    def terms(self) -> tuple[Term, ...]:
        return tuple(t for c in self.clauses for t in c.terms)


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase" or "or"
    text: str
    position: int
    negative: bool = False


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        negative = ch == "-" and i + 1 < n and not query[i + 1].isspace()
        if ch == "-" and not negative:
            raise QueryError("a '-' must be followed by the word or phrase to exclude", start)
        if negative:
            i += 1
        if query[i] in OPEN_QUOTES:
            close = CLOSE_QUOTES[query[i]]
            end = next((j for j in range(i + 1, n) if query[j] in (close, '"', "”")), -1)
            if end == -1:
                raise QueryError("unbalanced quote: a phrase needs its closing quote", i)
            tokens.append(_Token("phrase", query[i + 1 : end], start, negative))
            i = end + 1
            continue
        end = i
        while end < n and not query[end].isspace() and query[end] not in OPEN_QUOTES:
            end += 1
        word = query[i:end]
        if word == "OR" and not negative:
            tokens.append(_Token("or", word, start))
        else:
            tokens.append(_Token("word", word, start, negative))
        i = end
    return tokens


def _term(token: _Token) -> Term:
    text = token.text
    prefix = text.endswith("*")
    if prefix:
        text = text.rstrip("*")
    if "*" in text:
        raise QueryError("'*' may only end a word (support*)", token.position)
    words = tuple(TOKEN.findall(text))
    if not words:
        what = "an empty phrase" if token.kind == "phrase" else f"nothing to search for in {token.text!r}"
        raise QueryError(what, token.position)
    if prefix and not re.search(r"\w$", text):
        raise QueryError("'*' must follow a letter or digit", token.position)
    return Term(words, prefix, token.kind == "phrase" or len(words) > 1, token.position)


def parse(query: str) -> Query:
    """Read a query (NFC, as the transcripts are stored); raises `QueryError` naming the column."""
    query = unicodedata.normalize("NFC", query)
    if not query.strip():
        raise QueryError("the query is empty: type a word or phrase to search for", 0)
    clauses: list[Clause] = []
    pending: list[Term] = []
    expect_alternative = last_negative = False
    for token in _tokens(query):
        if token.kind == "or":
            if last_negative:
                raise QueryError("an excluded term (-word) cannot be part of an OR", token.position)
            if not pending or expect_alternative:
                raise QueryError("OR needs a word or phrase on each side", token.position)
            expect_alternative = True
            continue
        last_negative = token.negative
        term = _term(token)
        if expect_alternative:
            if token.negative:
                raise QueryError("an excluded term (-word) cannot be part of an OR", token.position)
            pending.append(term)
            expect_alternative = False
            continue
        if pending:
            clauses.append(Clause(tuple(pending)))
            pending = []
        if token.negative:
            clauses.append(Clause((term,), negative=True))
        else:
            pending.append(term)
    if expect_alternative:
        raise QueryError("OR needs a word or phrase on each side", len(query.rstrip()) - 2)
    if pending:
        clauses.append(Clause(tuple(pending)))
    parsed = Query(tuple(clauses))
    if not parsed.positive:
        raise QueryError("only exclusions: add a word or phrase to find", 0)
    return parsed
