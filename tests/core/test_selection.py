"""Selection units (CORE-3): the spans a researcher gets from one cursor offset."""

from __future__ import annotations

import pytest

from workbench.core.selection import (
    UNITS,
    extend,
    in_vivo_label,
    line_span,
    next_word_start,
    paragraph_span,
    prev_word_start,
    sentence_span,
    trim,
    turn_at,
    turn_span,
    word_span,
)
from workbench.core.text import LineMap, LineSettings, detect_turns

TEXT = (
    "Interviewer: How did you first meet your peer support worker?\n\n"
    "Participant: It was on the ward. She said she'd been there herself, and I thought (.) right, "
    "you actually get it. That changed everything for me, honestly. I stopped performing being okay.\n\n"
    "Interviewer: Changed it how?\n\n"
    "Participant: I could just say it. [laughs] No translating. Hope came later, slowly, like a "
    "tide you only notice when your feet are wet.\n"
)
TURNS = detect_turns(TEXT)
LINEMAP = LineMap.build(TEXT, LineSettings(), TURNS)


def at(fragment: str, within: int = 0) -> int:
    """Offset of `fragment` in TEXT (plus `within` characters)."""
    return TEXT.index(fragment) + within


def words(span: tuple[int, int], text: str = TEXT) -> str:
    return text[span[0] : span[1]]


def test_unit_names_are_the_six_recorded_on_codings() -> None:
    assert UNITS == ("character", "word", "line", "sentence", "turn", "paragraph")


# -- words -------------------------------------------------------------------------------------------


def test_word_span_takes_the_whole_word_under_the_cursor() -> None:
    assert words(word_span(TEXT, at("ward", 2))) == "ward"


def test_word_span_keeps_apostrophes_and_hyphens_inside_words() -> None:
    assert words(word_span(TEXT, at("she'd", 4))) == "she'd"
    text = "a peer-support worker, don’t you think"
    assert words(word_span(text, text.index("support")), text) == "peer-support"
    assert words(word_span(text, text.index("’")), text) == "don’t"


def test_word_span_on_whitespace_takes_the_next_word() -> None:
    assert words(word_span(TEXT, at(" the ward"))) == "the"


def test_word_span_on_trailing_punctuation_takes_the_word_it_closes() -> None:
    assert words(word_span(TEXT, at("ward.", 4))) == "ward"


def test_word_span_after_the_last_word_takes_the_last_word() -> None:
    text = "just this.  "
    assert words(word_span(text, len(text) - 1), text) == "this"


def test_word_span_of_text_without_words_is_empty() -> None:
    assert word_span("", 0) == (0, 0)
    assert word_span("... !", 2) == (2, 2)


def test_next_and_previous_word_starts_move_like_w_and_b() -> None:
    text = "one two, three"
    assert next_word_start(text, 0) == text.index("two")
    assert next_word_start(text, 1) == text.index("two")
    assert next_word_start(text, text.index(",")) == text.index("three")
    assert next_word_start(text, text.index("three")) == text.index("three")  # no word after
    assert prev_word_start(text, text.index("three") + 2) == text.index("three")
    assert prev_word_start(text, text.index("three")) == text.index("two")
    assert prev_word_start(text, 0) == 0


def test_previous_word_is_found_far_back() -> None:
    text = "alpha" + " " * 5000 + "omega"
    assert prev_word_start(text, text.index("omega")) == 0


# -- lines -------------------------------------------------------------------------------------------


def test_line_span_excludes_the_speaker_label_and_edge_spaces() -> None:
    span = line_span(LINEMAP, at("ward"), TEXT, TURNS)
    line = LINEMAP.line_at(at("ward"))
    assert words(span) == TEXT[line.start : line.end].removeprefix("Participant: ").strip()
    assert not words(span).startswith("Participant")


def test_line_span_of_a_continuation_line_is_the_whole_line_trimmed() -> None:
    offset = at("you actually")
    line = LINEMAP.line_at(offset)
    assert words(line_span(LINEMAP, offset, TEXT, TURNS)) == TEXT[line.start : line.end].strip()


def test_line_span_of_a_blank_line_is_empty() -> None:
    blank = LINEMAP.lines[1]
    start, end = line_span(LINEMAP, blank.start, TEXT, TURNS)
    assert start == end


# -- sentences ---------------------------------------------------------------------------------------


def test_sentence_span_ends_at_a_full_stop_and_leaves_the_label_out() -> None:
    assert words(sentence_span(TEXT, at("ward"), TURNS)) == "It was on the ward."
    assert words(sentence_span(TEXT, at("Participant: It"), TURNS)) == "It was on the ward."


def test_sentence_span_does_not_break_at_pause_notation() -> None:
    assert (
        words(sentence_span(TEXT, at("right,"), TURNS))
        == "She said she'd been there herself, and I thought (.) right, you actually get it."
    )


def test_sentence_span_ends_at_a_question_mark_inside_the_turn() -> None:
    assert words(sentence_span(TEXT, at("Changed it"), TURNS)) == "Changed it how?"


def test_sentence_span_ignores_abbreviations_and_trailing_off_ellipses() -> None:
    text = "P: I saw Dr. Okafor, e.g. on Mondays... you know. Then it stopped."
    turns = detect_turns(text)
    assert words(sentence_span(text, text.index("Mondays"), turns), text) == (
        "I saw Dr. Okafor, e.g. on Mondays... you know."
    )
    assert words(sentence_span(text, text.index("stopped"), turns), text) == "Then it stopped."


def test_sentence_span_stays_inside_its_paragraph() -> None:
    text = "A first thought without a stop\n\nA second paragraph."
    assert words(sentence_span(text, 3), text) == "A first thought without a stop"


# -- turns -------------------------------------------------------------------------------------------


def test_turn_span_is_the_speakers_words_without_the_label() -> None:
    span = turn_span(TURNS, at("honestly"), TEXT)
    assert words(span).startswith("It was on the ward.")
    assert words(span).endswith("being okay.")


def test_turn_span_between_turns_takes_the_next_turn() -> None:
    blank = at("okay.\n\n", 6)
    assert words(turn_span(TURNS, blank, TEXT)) == "Changed it how?"


def test_turn_span_without_turns_is_empty() -> None:
    assert turn_span((), 5, TEXT) == (5, 5)


def test_turn_at_after_the_last_turn_is_the_last_turn() -> None:
    last = turn_at(TURNS, len(TEXT))
    assert last is TURNS[-1]
    assert turn_at((), 0) is None


# -- paragraphs --------------------------------------------------------------------------------------


def test_paragraph_span_is_the_blank_line_delimited_block_without_the_label() -> None:
    text = "Participant: First part of the answer\ncontinues here.\n\nSecond paragraph, same speaker.\n"
    turns = detect_turns(text)
    assert words(paragraph_span(text, text.index("continues"), turns), text) == (
        "First part of the answer\ncontinues here."
    )
    assert words(paragraph_span(text, text.index("Second"), turns), text) == "Second paragraph, same speaker."


def test_paragraph_span_on_a_blank_line_takes_the_next_paragraph() -> None:
    text = "one\n\n\ntwo\n"
    assert words(paragraph_span(text, 4), text) == "two"
    assert words(paragraph_span(text, len(text) - 1), text) == "two"


def test_paragraph_span_is_cut_at_a_new_speaker_without_a_blank_line() -> None:
    text = "Interviewer: And then?\nParticipant: Then I went home.\n"
    turns = detect_turns(text)
    assert words(paragraph_span(text, text.index("went"), turns), text) == "Then I went home."
    assert words(paragraph_span(text, text.index("then?"), turns), text) == "And then?"


def test_paragraph_span_of_blank_text_is_empty() -> None:
    assert paragraph_span("", 0) == (0, 0)
    assert paragraph_span("  \n ", 1) == (0, 0)


# -- extend, trim, in vivo ---------------------------------------------------------------------------


def test_extend_is_the_union_and_never_shrinks() -> None:
    assert extend((10, 20), (15, 30)) == (10, 30)
    assert extend((10, 20), (0, 5)) == (0, 20)
    assert extend((10, 20), (12, 14)) == (10, 20)


def test_extend_by_an_empty_unit_keeps_the_selection() -> None:
    assert extend((10, 20), (30, 30)) == (10, 20)
    assert extend((0, 0), (3, 9)) == (3, 9)


def test_trim_drops_surrounding_whitespace_only() -> None:
    text = "  a b  "
    assert trim(text, (0, len(text))) == (2, 5)
    assert trim(text, (0, 2)) == (0, 0)


@pytest.mark.parametrize(
    ("selected", "label"),
    [
        ("you actually get it", "“you actually get it”"),
        ("  you\n actually   get it, ", "“you actually get it”"),
        ("", ""),
        (" ,; ", ""),
    ],
)
def test_in_vivo_label_quotes_the_words_verbatim(selected: str, label: str) -> None:
    assert in_vivo_label(selected) == label


def test_in_vivo_label_is_cut_at_a_word_boundary_within_the_limit() -> None:
    label = in_vivo_label("like a tide you only notice when your feet are wet and the sea is cold " * 2)
    assert len(label) <= 60
    assert label.startswith("“like a tide") and label.endswith("…”")
    assert " …" not in label
