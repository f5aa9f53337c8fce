"""Word frequencies: which words the participants use most, overall or per participant, source or code.

Counted over speech only (speaker labels are structure) in the current version of each transcript,
with the same words (`query.TOKEN`), the same case folding and the same stemmer as search, so Enter
on a word in the frequency view finds exactly the occurrences it counted. Stop words come from a
maintained list (`language.stop_words`); `--stem` groups inflections under the form used most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.ids import natural_key
from workbench.core.language import language_of, stemmer, stop_words
from workbench.core.search.corpus import SearchOptions, _speaker_filter, documents
from workbench.core.search.query import TOKEN
from workbench.core.text import label_key

if TYPE_CHECKING:
    from workbench.core.project import Project

__all__ = ["BY", "WordCount", "word_frequencies"]

BY = ("participant", "source", "code")
NOTATION = re.compile(r"\[[^\]\n]{0,80}\]")
"""Square-bracketed transcription notation ([laughs], [inaudible]) and redaction marks ([NAME-2]):
the transcriber's or the redactor's words, not the speaker's, so they are not counted."""


@dataclass(frozen=True)
class WordCount:
    word: str
    count: int
    sources: int
    participants: int
    unit: str = ""
    """The participant, source or code label the row counts within (with `by`), else ""."""

    def to_json(self, by: str | None) -> dict[str, Any]:
        row: dict[str, Any] = {} if by is None else {by: self.unit}
        row.update(word=self.word, count=self.count, sources=self.sources, participants=self.participants)
        return row


@dataclass
class _Tally:
    count: int = 0
    sources: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)
    forms: Counter[str] = field(default_factory=Counter)


def _coded_spans(project: Project, label: str) -> dict[str, list[tuple[int, int]]]:
    """Version id → the code's segments merged into disjoint spans (overlaps counted once)."""
    code = project.find_code(label, active_only=False)
    if code is None:
        raise NotFoundError(f"no code {label!r} (see `workbench codes`)", "--code")
    hidden = project.blind_layers()
    spans: dict[str, list[tuple[int, int]]] = {}
    for cid in project.index.codings_by_code.get(code["id"], ()):
        coding = project.store.get("codings", cid)
        segment = project.store.get("segments", coding["segment_id"]) if coding else None
        if coding is None or segment is None or coding.get("layer") in hidden:
            continue
        spans.setdefault(segment["version_id"], []).append((segment["start"], segment["end"]))
    for vid, found in spans.items():
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        spans[vid] = merged
    return spans


def word_frequencies(
    project: Project,
    *,
    top: int | None = 50,
    by: str | None = None,
    stopwords: str = "",
    min_length: int = 1,
    stem: bool = False,
    options: SearchOptions | None = None,
    codes: Sequence[str] = (),
) -> list[WordCount]:
    """Rows by count (then word); with `by`, the top rows of each participant, source or code."""
    if by is not None and by not in BY:
        raise BadInputError(f"unknown --by {by!r}; use one of {', '.join(BY)}", "--by")
    if top is not None and top < 1:
        raise BadInputError("--top needs a number of words, 1 or more", "--top")
    if min_length < 1:
        raise BadInputError("--min-length needs a number of letters, 1 or more", "--min-length")
    options = options or SearchOptions()
    language = language_of(project.meta)
    stops = stop_words(stopwords, language)
    stemmed = stemmer(language) if stem else None
    docs, _notes = documents(project, options)
    roles, labels = (
        _speaker_filter(docs, options.speakers) if options.speakers else (frozenset(), frozenset())
    )
    wanted = set(options.participants)
    if by == "code":
        labels_to_count = list(codes) or [c["label"] for c in project.codes() if c.get("status") == "active"]
        coded = {label: _coded_spans(project, label) for label in labels_to_count}
    else:
        coded = {label: _coded_spans(project, label) for label in codes} if codes else {}
    tallies: dict[str, dict[str, _Tally]] = {}

    def count(unit: str, words: Iterable[str], source: str, participant: str) -> None:
        table = tallies.setdefault(unit, {})
        for surface in words:
            word = surface.casefold()
            if len(word) < min_length or word in stops or word.isdigit():
                continue
            key = stemmed(word) if stemmed else word
            tally = table.get(key)
            if tally is None:
                tally = table[key] = _Tally()
            tally.count += 1
            tally.sources.add(source)
            tally.participants.add(participant)
            tally.forms[word] += 1

    for doc in docs:
        regions = doc.regions
        if options.speakers:
            regions = [r for r in regions if r.role in roles or (r.label and label_key(r.label) in labels)]
        for region in regions:
            pid = doc.participant_of(region)
            if wanted and pid not in wanted:
                continue
            pieces = _pieces(doc.text, region.start, region.end, doc.version_id, coded, by)
            for unit, start, end in pieces:
                if by == "participant":
                    unit = pid
                elif by == "source":
                    unit = doc.source["id"]
                count(unit, _spoken_words(doc.text, start, end), doc.source["id"], pid)

    rows: list[WordCount] = []
    for unit in sorted(tallies, key=natural_key):
        ranked = sorted(
            tallies[unit].items(), key=lambda kv: (-kv[1].count, kv[1].forms.most_common(1)[0][0])
        )
        for _key, tally in ranked[:top] if top is not None else ranked:
            word = min(tally.forms.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            rows.append(WordCount(word, tally.count, len(tally.sources), len(tally.participants), unit))
    return rows


def _spoken_words(text: str, start: int, end: int) -> list[str]:
    words: list[str] = []
    position = start
    for mark in NOTATION.finditer(text, start, end):
        words += TOKEN.findall(text, position, mark.start())
        position = mark.end()
    words += TOKEN.findall(text, position, end)
    return words


def _pieces(
    text: str,
    start: int,
    end: int,
    version_id: str,
    coded: Mapping[str, Mapping[str, list[tuple[int, int]]]],
    by: str | None,
) -> list[tuple[str, int, int]]:
    """(unit, start, end) parts of a speech region to count: all of it, or what lies in coded segments."""
    if not coded:
        return [("", start, end)]
    out: list[tuple[str, int, int]] = []
    for label, spans in coded.items():
        for s, e in spans.get(version_id, ()):
            if s < end and e > start:
                out.append((label if by == "code" else "", max(s, start), min(e, end)))
    if by != "code":  # codes as a filter: count text in any of them once
        merged: list[tuple[str, int, int]] = []
        for unit, s, e in sorted(out, key=lambda p: p[1]):
            if merged and s <= merged[-1][2]:
                merged[-1] = (unit, merged[-1][1], max(merged[-1][2], e))
            else:
                merged.append((unit, s, e))
        return merged
    return out
