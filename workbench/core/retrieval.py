"""Boolean code queries: "all segments for a code (or boolean combination)" (METHODS 1.3, GT-4a).

Constant comparison asks questions such as *where does hope appear without trust?* The answer is a
set of coded segments, so a query is evaluated at segment level:

* ``A``            — every segment coded A.
* ``A OR B``       — the segments of A and the segments of B.
* ``A AND B``      — the segments of A that overlap a segment of B, and the segments of B that overlap
                     a segment of A. "Overlap" means sharing at least one code point in the same
                     transcript version (CORE-2 allows overlapping and nested segments, so exact
                     equality would miss most co-occurrences).
* ``A AND NOT B``  — the segments of A that overlap no segment of B.

Only codes named positively produce hits; a ``NOT`` term only filters. A query whose result would be
"everything not coded X" (``NOT A``, ``A OR NOT B``) has no codes to show, so it is refused with the
reason rather than answered with nothing.

Grammar (keywords case-insensitive)::

    query  := or
    or     := and ("OR" and)*
    and    := unary ("AND" unary)*
    unary  := "NOT" unary | "(" or ")" | code
    code   := '"' chars '"' | word+

A code is a label or an id (``C12``). Labels with spaces, parentheses, quotes or a keyword in them
are quoted (``"Holding hope"``, with ``\\"`` for a quote inside); as a convenience, bare words in a
row are read as one label (``Holding hope AND trust`` is ``"Holding hope" AND "trust"``).

Parse errors raise `QueryError` (a `BadInputError`) carrying the 0-based `position`; the message
names the 1-based column, which is what a person counts. The module is pure core (no Textual), so
`workbench segments --query` can call `retrieve` as the TUI does.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.ids import natural_key

if TYPE_CHECKING:
    from workbench.core.project import CodedSegment, Project

__all__ = [
    "And",
    "Code",
    "Node",
    "Not",
    "Or",
    "QueryError",
    "code_terms",
    "parse",
    "quote_label",
    "retrieve",
]

KEYWORDS = frozenset({"AND", "OR", "NOT"})
_SPECIAL = frozenset('()"')


class QueryError(BadInputError):
    """A query that cannot be parsed or evaluated; `position` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (column {position + 1})", "query")
        self.position = position


# -- syntax tree -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Code:
    """A code named in the query, as typed (label or id), and where it starts."""

    name: str
    position: int = 0


@dataclass(frozen=True)
class Not:
    operand: Node
    position: int = 0


@dataclass(frozen=True)
class And:
    left: Node
    right: Node
    position: int = 0


@dataclass(frozen=True)
class Or:
    left: Node
    right: Node
    position: int = 0


Node = Code | Not | And | Or


# -- tokens ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "quoted", "and", "or", "not", "(", ")", "end"
    text: str
    position: int


def _tokenise(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char, i))
            i += 1
        elif char == '"':
            start, i = i, i + 1
            chars: list[str] = []
            while i < n and query[i] != '"':
                if query[i] == "\\" and i + 1 < n and query[i + 1] in '"\\':
                    i += 1
                chars.append(query[i])
                i += 1
            if i >= n:
                raise QueryError("unclosed quote", start)
            i += 1
            label = " ".join("".join(chars).split())
            if not label:
                raise QueryError("empty code label in quotes", start)
            tokens.append(_Token("quoted", label, start))
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
                i += 1
            word = query[start:i]
            kind = word.lower() if word.upper() in KEYWORDS else "word"
            tokens.append(_Token(kind, word, start))
    tokens.append(_Token("end", "", len(query)))
    return tokens


# -- parser ----------------------------------------------------------------------------------------------
class _Parser:
    """Recursive descent over the grammar in the module docstring; NOT binds tighter than AND than OR."""

    def __init__(self, query: str) -> None:
        self.tokens = _tokenise(query)
        self.i = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise QueryError("the query is empty: name a code", 0)
        node = self.parse_or()
        token = self.token
        if token.kind == ")":
            raise QueryError("unmatched ')'", token.position)
        if token.kind != "end":  # e.g. `"A" "B"`: two codes with nothing between them
            raise QueryError(f"expected AND or OR before {token.text!r}", token.position)
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.token.kind == "or":
            op = self.take()
            node = Or(node, self.parse_and(), op.position)
        return node

    def parse_and(self) -> Node:
        node = self.parse_unary()
        while self.token.kind == "and":
            op = self.take()
            node = And(node, self.parse_unary(), op.position)
        return node

    def parse_unary(self) -> Node:
        token = self.token
        if token.kind == "not":
            self.take()
            return Not(self.parse_unary(), token.position)
        if token.kind == "(":
            self.take()
            node = self.parse_or()
            if self.token.kind != ")":
                raise QueryError("'(' is never closed", token.position)
            self.take()
            return node
        if token.kind == "quoted":
            self.take()
            return Code(token.text, token.position)
        if token.kind == "word":
            words = [self.take().text]
            while self.token.kind == "word":
                words.append(self.take().text)
            return Code(" ".join(words), token.position)
        what = "the end of the query" if token.kind == "end" else repr(token.text)
        raise QueryError(f"expected a code, NOT or '(' but found {what}", token.position)


def parse(query: str) -> Node:
    """The syntax tree of `query`; raises `QueryError` with the position of the first problem."""
    return _Parser(query).parse()


def code_terms(node: Node) -> list[Code]:
    """Every code named in the query, in order (positive and negated), for resolving and highlighting."""
    if isinstance(node, Code):
        return [node]
    if isinstance(node, Not):
        return code_terms(node.operand)
    return [*code_terms(node.left), *code_terms(node.right)]


def quote_label(label: str) -> str:
    """`label` as a query term that always parses back to exactly `label` (the codebook's Enter)."""
    escaped = label.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


# -- evaluation ------------------------------------------------------------------------------------------
Hits = dict[str, "CodedSegment"]  # coding id -> hit


class _Spans:
    """The spans of a set of hits, per transcript version, for "does [s, e) overlap any?" in O(log n)."""

    def __init__(self, hits: Iterable[CodedSegment], version_of: Callable[[CodedSegment], str]) -> None:
        by_version: dict[str, list[tuple[int, int]]] = {}
        for hit in hits:
            by_version.setdefault(version_of(hit), []).append((hit.start, hit.end))
        self.version_of = version_of
        self.starts: dict[str, list[int]] = {}
        self.max_end: dict[str, list[int]] = {}  # running maximum of ends, in start order
        for version, spans in by_version.items():
            spans.sort()
            running, ends = -1, []
            for _start, end in spans:
                running = max(running, end)
                ends.append(running)
            self.starts[version] = [start for start, _end in spans]
            self.max_end[version] = ends

    def overlaps(self, hit: CodedSegment) -> bool:
        version = self.version_of(hit)
        starts = self.starts.get(version)
        if not starts:
            return False
        # Of the spans starting before our end, one overlaps iff the furthest of their ends is past our start.
        count = bisect.bisect_left(starts, hit.end)
        return count > 0 and self.max_end[version][count - 1] > hit.start


@dataclass(frozen=True)
class _Result:
    """A subquery's value: hits to show, or (negated) hits whose overlap excludes a segment."""

    hits: Hits
    negated: bool = False


class _Evaluator:
    def __init__(self, project: Project, extracts: bool, context_lines: int) -> None:
        self.project = project
        self.extracts = extracts
        self.context_lines = context_lines
        self.cache: dict[str, Hits] = {}
        self.versions: dict[str, str] = {}  # segment id -> transcript version, looked up only for AND/NOT

    def version_of(self, hit: CodedSegment) -> str:
        version = self.versions.get(hit.segment_id)
        if version is None:
            doc = self.project.get("segments", hit.segment_id)
            version = self.versions[hit.segment_id] = str(doc["version_id"]) if doc else ""
        return version

    def code_hits(self, term: Code) -> Hits:
        code = self.project.find_code(term.name) or self.project.find_code(term.name, active_only=False)
        if code is None:
            raise NotFoundError(
                f"no code {term.name!r} (column {term.position + 1}); quote labels with spaces "
                "and join codes with AND, OR, NOT",
                "query",
            )
        code_id = str(code["id"])
        if code_id not in self.cache:
            segments = self.project.coded_segments(
                code_id, extracts=self.extracts, context_lines=self.context_lines
            )
            self.cache[code_id] = {segment.coding_id: segment for segment in segments}
        return self.cache[code_id]

    def evaluate(self, node: Node) -> _Result:
        if isinstance(node, Code):
            return _Result(self.code_hits(node))
        if isinstance(node, Not):
            inner = self.evaluate(node.operand)
            return _Result(inner.hits, negated=not inner.negated)
        left, right = self.evaluate(node.left), self.evaluate(node.right)
        if isinstance(node, Or):
            if left.negated or right.negated:
                raise QueryError(
                    "OR with a NOT term would mean every segment not coded so; use AND NOT", node.position
                )
            return _Result({**left.hits, **right.hits})
        if left.negated and right.negated:  # NOT A AND NOT B = NOT (A OR B)
            return _Result({**left.hits, **right.hits}, negated=True)
        if left.negated or right.negated:
            keep, drop = (right, left) if left.negated else (left, right)
            spans = _Spans(drop.hits.values(), self.version_of)
            return _Result({k: h for k, h in keep.hits.items() if not spans.overlaps(h)})
        left_spans = _Spans(left.hits.values(), self.version_of)
        right_spans = _Spans(right.hits.values(), self.version_of)
        both = {k: h for k, h in left.hits.items() if right_spans.overlaps(h)}
        both.update((k, h) for k, h in right.hits.items() if left_spans.overlaps(h))
        return _Result(both)


def sort_key(segment: CodedSegment) -> tuple[object, ...]:
    """Participant, source, position (P2 before P10), then code: the order retrieval lists hits in."""
    return (
        natural_key(segment.participant),
        natural_key(segment.source),
        segment.start,
        segment.end,
        segment.code.casefold(),
        natural_key(segment.coding_id),
    )


def retrieve(
    project: Project, query: str, *, extracts: bool = False, context_lines: int = 0
) -> list[CodedSegment]:
    """The coded segments `query` selects, one per coding, sorted by participant, source and start.

    Codes are looked up as `Project.find_code` does (id, exact label, then case-insensitive), active
    codes first, so a merged or retired code can still be retrieved by its id or unique label.
    `extracts`/`context_lines` are passed to `Project.coded_segments` (the TR-12 quote form).
    Raises `QueryError` for syntax and `NotFoundError` for a code that does not exist.
    """
    node = parse(query)
    result = _Evaluator(project, extracts, context_lines).evaluate(node)
    if result.negated:
        raise QueryError("name at least one code without NOT (NOT alone would be every other segment)", 0)
    hits = list(result.hits.values())
    if isinstance(node, Code):  # one code: `coded_segments` has sorted them already (the common case)
        return hits
    return sorted(hits, key=sort_key)


def participants_of(segments: Sequence[CodedSegment]) -> list[tuple[str, str, int]]:
    """(participant id, pseudonym, number of hits) in the order of `segments`: the retrieval groups."""
    groups: dict[str, tuple[str, int]] = {}
    for segment in segments:
        pseudonym, count = groups.get(segment.participant, (segment.pseudonym, 0))
        groups[segment.participant] = (pseudonym, count + 1)
    return [(pid, pseudonym, count) for pid, (pseudonym, count) in groups.items()]
