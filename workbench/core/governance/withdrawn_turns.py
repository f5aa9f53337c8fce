"""A withdrawn participant's turns taken out of a transcript they shared with others (GOV-12 focus groups).

A focus group (or any transcript with several mapped speakers) belongs to the other people in it too, so a
withdrawal cannot delete it. Instead every version of it is rewritten in place — earlier versions hold
the words as well, and withdrawal is the one act that may rewrite a version — so that:

* each turn whose speaker label is mapped to the participant (``workbench speakers --participant``) keeps
  its place and its number of tool lines: its first line becomes ``P02: [withdrawn]`` and its other lines
  are left empty (blank lines are lines, TR-9), so every other speaker's line numbers, pages and printed
  page:line citations stay exactly as they were;
* the speaker label becomes the participant's study id: a label is usually a name, and deciding which
  labels are not names would need a guess whose mistakes leak. If the study id is already another
  speaker's label, the label becomes ``[withdrawn]``. A label not written in the text (voice tags of a
  VTT import) is not written in either: the first line is just ``[withdrawn]``;
* offsets after a rewritten turn move by the exact length difference (`Rewrite.map_span`), so anchors on
  the others' words keep their text; anchors wholly inside a withdrawn turn have nothing left to point
  at, and anchors that only overlap one are clipped to the retained text (and flagged by the caller).

Turns of earlier versions are matched by label, compared as a person would (case, spacing and the colon
ignored), since the speaker mapping is kept per source. The rewritten line map is rebuilt with the
version's own settings and checked line for line against the old one before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.governance.scrub import WITHDRAWN
from workbench.core.model import Turn
from workbench.core.text import LineMap, label_key, turn_label_span


@dataclass(frozen=True)
class Edit:
    """One withdrawn turn: old span [old_start, old_end) became new span [new_start, new_end)."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int


@dataclass(frozen=True)
class Rewrite:
    """A version's text with the participant's turns withdrawn, and how its offsets move."""

    version_id: str
    text: str
    turns: tuple[Turn, ...]
    linemap: LineMap
    edits: tuple[Edit, ...]
    speech: tuple[str, ...]  # the withdrawn words, turn by turn (labels left out)
    labels: tuple[str, ...]  # the labels as written in the withdrawn turns
    new_label: str  # what those turns are labelled now

    def shift(self, offset: int) -> int:
        """New position of an old offset that lies outside every withdrawn span (or on its edge)."""
        delta = 0
        for edit in self.edits:
            if offset < edit.old_start:
                break
            if offset < edit.old_end:
                return edit.new_start if offset == edit.old_start else edit.new_end
            delta = edit.new_end - edit.old_end
        return offset + delta

    def map_span(self, start: int, end: int) -> tuple[int, int, bool] | None:
        """New [start, end) of an old anchor and whether it was clipped; None if nothing of it remains.

        An anchor that overlaps a withdrawn turn keeps only the retained text: an end inside the turn
        moves back to where the turn began, a start inside it moves on past it, and whitespace left at
        either clipped end is trimmed. One that spans a whole withdrawn turn keeps both its ends (the
        ``[withdrawn]`` line then sits inside it) and is reported as clipped too.
        """
        touched = [e for e in self.edits if e.old_start < end and e.old_end > start]
        if not touched:
            return self.shift(start), self.shift(end), False
        new_start = self._forward(self._after(start)) if self._inside(start) else self.shift(start)
        new_end = self._backward(self._before(end - 1)) if self._inside(end - 1) else self.shift(end)
        if new_end <= new_start:
            return None
        return new_start, new_end, True

    def placeholder(self, offset: int) -> tuple[int, int]:
        """The new span of the withdrawn turn holding old `offset` (for anchors that must point somewhere)."""
        for edit in self.edits:
            if edit.old_start <= offset < edit.old_end:
                return edit.new_start, edit.new_end
        point = self.shift(offset)
        return point, point

    def _inside(self, offset: int) -> bool:
        return any(e.old_start <= offset < e.old_end for e in self.edits)

    def _after(self, offset: int) -> int:
        return next(e.new_end for e in self.edits if e.old_start <= offset < e.old_end)

    def _before(self, offset: int) -> int:
        return next(e.new_start for e in self.edits if e.old_start <= offset < e.old_end)

    def _forward(self, position: int) -> int:
        """Skip whitespace (and any withdrawn turn reached that way) from a clipped start."""
        text = self.text
        while True:
            while position < len(text) and text[position].isspace():
                position += 1
            edit = next((e for e in self.edits if e.new_start <= position < e.new_end), None)
            if edit is None:
                return position
            position = edit.new_end

    def _backward(self, position: int) -> int:
        """Skip whitespace (and any withdrawn turn reached that way) back from a clipped end."""
        text = self.text
        while True:
            while position > 0 and text[position - 1].isspace():
                position -= 1
            edit = next((e for e in self.edits if e.new_start < position <= e.new_end), None)
            if edit is None:
                return position
            position = edit.new_start


def rewrite(
    version_id: str, doc: Mapping[str, Any], labels: set[str], study_id: str, taken: set[str]
) -> Rewrite | None:
    """The version (its stored text document) with the turns labelled `labels` withdrawn; None if none.

    `labels` are `label_key`s; `taken` the label keys of the source's other speakers.
    """
    text: str = doc["text"]
    turns = tuple(Turn(**t) for t in doc["turns"])
    linemap = LineMap.from_json(doc["linemap"])
    new_label = WITHDRAWN if label_key(study_id) in taken else study_id
    withdrawn = [t for t in turns if t.label and label_key(t.label) in labels and t.end > t.start]
    if not withdrawn:
        return None
    for blank in ("", WITHDRAWN):  # empty continuation lines unless that would merge a line away
        result = _rewrite(version_id, text, turns, linemap, withdrawn, new_label, blank)
        if result is not None:
            return result
    raise WorkbenchError(
        f"the withdrawn turns of version {version_id} cannot be replaced without moving other speakers' "
        "line numbers; nothing was changed",
        version_id,
    )


def _rewrite(
    version_id: str,
    text: str,
    turns: Sequence[Turn],
    linemap: LineMap,
    withdrawn: Sequence[Turn],
    new_label: str,
    blank: str,
) -> Rewrite | None:
    width = linemap.settings.width
    pieces: list[str] = []
    edits: list[Edit] = []
    speech: list[str] = []
    labels: list[str] = []
    cursor = 0
    delta = 0
    for turn in withdrawn:
        lines = [line for line in linemap.lines if turn.start <= line.start < turn.end]
        if not lines or turn.start < cursor:
            continue
        old_end = lines[-1].end
        label_end = turn_label_span(text, turn)[1]
        written = label_end > turn.start
        first = f"{new_label}: {WITHDRAWN}" if written and new_label != WITHDRAWN else WITHDRAWN
        if len(first) > width:
            first = WITHDRAWN
        replacement = "\n".join([first, *([blank] * (len(lines) - 1))])
        pieces += [text[cursor : turn.start], replacement]
        new_start = turn.start + delta
        edits.append(Edit(turn.start, old_end, new_start, new_start + len(replacement)))
        speech.append(text[label_end if written else turn.start : turn.end])
        labels.append(turn.label)
        delta += len(replacement) - (old_end - turn.start)
        cursor = old_end
    pieces.append(text[cursor:])
    new_text = "".join(pieces)
    result = Rewrite(version_id, new_text, (), linemap, tuple(edits), tuple(speech), tuple(labels), new_label)
    new_turns: list[Turn] = []
    by_start = {e.old_start: e for e in edits}
    for turn in turns:
        edit = by_start.get(turn.start)
        if edit is None:
            new_turns.append(replace(turn, start=result.shift(turn.start), end=result.shift(turn.end)))
        else:
            spoken = new_text[edit.new_start : edit.new_end].rstrip()  # as `detect_turns` would end it
            new_turns.append(
                replace(turn, label=new_label, start=edit.new_start, end=edit.new_start + len(spoken))
            )
    new_map = LineMap.build(new_text, linemap.settings, new_turns)
    if not _same_lines(linemap, new_map, result):
        return None
    return replace(result, turns=tuple(new_turns), linemap=new_map)


def _same_lines(old: LineMap, new: LineMap, result: Rewrite) -> bool:
    """Every line keeps its number and page, and every line outside a withdrawn turn its exact text."""
    if len(old.lines) != len(new.lines):
        return False
    for before, after in zip(old.lines, new.lines, strict=True):
        if any(e.old_start <= before.start < e.old_end for e in result.edits):
            continue
        if (result.shift(before.start), result.shift(before.end)) != (after.start, after.end):
            return False
    return True
