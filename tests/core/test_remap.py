"""Anchors carried through a transcript correction (CORE-4)."""

from __future__ import annotations

from workbench.core.remap import Remapper, diff

OLD = "Participant: I felt safe with her.\nShe had been there too.\nIt was a relief.\n"


def _remap(old: str, new: str, phrase: str) -> tuple[str, bool]:
    start = old.index(phrase)
    new_start, new_end, changed = Remapper(diff(old, new)).map(start, start + len(phrase))
    return new[new_start:new_end], changed


def test_an_anchor_after_an_insertion_moves_with_its_text() -> None:
    new = OLD.replace("Participant:", "Participant (00:01:02):")
    assert _remap(OLD, new, "She had been there too") == ("She had been there too", False)


def test_an_anchor_before_a_deletion_stays_put() -> None:
    new = OLD.replace("It was a relief.\n", "")
    assert _remap(OLD, new, "I felt safe") == ("I felt safe", False)


def test_an_anchor_whose_own_words_changed_is_flagged() -> None:
    new = OLD.replace("been there", "bin there")
    text, changed = _remap(OLD, new, "She had been there too")
    assert changed is True
    assert text == "She had bin there too"


def test_an_anchor_whose_text_was_deleted_is_flagged_and_collapses() -> None:
    new = OLD.replace("She had been there too.\n", "")
    text, changed = _remap(OLD, new, "had been there")
    assert changed is True and text == ""


def test_an_insertion_at_an_anchor_edge_does_not_flag_it() -> None:
    new = OLD.replace("safe with her", "safe, really, with her")
    assert _remap(OLD, new, "I felt safe") == ("I felt safe", False)


def test_identical_texts_map_every_anchor_to_itself() -> None:
    remapper = Remapper(diff(OLD, OLD))
    assert remapper.map(5, 20) == (5, 20, False)
