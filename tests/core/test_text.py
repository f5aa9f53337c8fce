"""Behaviour of workbench.core.text: decoding (TR-1), turns (TR-6/7), LineMap (TR-9/10), citations (TR-11)."""

from __future__ import annotations

import ast
import hashlib
import io
import itertools
import json
import random
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import workbench.core.text
from workbench.core.errors import BadInputError
from workbench.core.model import Turn
from workbench.core.text import (
    CITATION_STYLES,
    DEFAULT_CITATION,
    DEFAULT_MAX_BYTES,
    DEFAULT_SPEAKER_PATTERNS,
    Decoded,
    LineMap,
    LineSettings,
    canonicalise,
    decode_transcript,
    detect_turns,
    extract,
    format_citation,
    guess_role,
    sha256_text,
    turn_label_span,
)

# The copy kept with the interop tests (provenance in its README), so a fresh clone runs these too.
VECTORS = Path(__file__).resolve().parents[1] / "interop" / "data" / "refi-qda" / "position-test-vectors.json"


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _numbered_lines(count: int) -> str:
    """Text of `count` short lines, so line ordinal n starts with "line n"."""
    return "\n".join(f"line {n}" for n in range(1, count + 1))


def _assert_covers_text(text: str, linemap: LineMap, width: int) -> None:
    """Every code point except LF is in exactly one line; lines fit the width and are in order."""
    owner = [0] * len(text)
    for line in linemap.lines:
        assert line.end - line.start <= width
        assert "\n" not in text[line.start : line.end]
        for i in range(line.start, line.end):
            owner[i] += 1
    for i, char in enumerate(text):
        assert owner[i] == (0 if char == "\n" else 1), (i, char)


def test_module_imports_only_the_standard_library_and_workbench_core() -> None:
    source = Path(workbench.core.text.__file__).read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    outside = {
        name
        for name in imported
        if name.split(".")[0] not in sys.stdlib_module_names and not name.startswith("workbench.core.")
    }
    assert outside == set()


# ---------------------------------------------------------------------------
# canonicalise and decode_transcript (TR-1)
# ---------------------------------------------------------------------------


def test_utf8_without_bom_is_decoded_as_utf8() -> None:
    decoded = decode_transcript("Interviewer: café?\n".encode(), "a.txt")
    assert decoded == Decoded(text="Interviewer: café?\n", encoding="utf-8", warnings=())


def test_utf8_bom_is_stripped_and_reported_as_utf8_sig() -> None:
    decoded = decode_transcript(b"\xef\xbb\xbfhello", "a.txt")
    assert (decoded.text, decoded.encoding) == ("hello", "utf-8-sig")


def test_utf16_le_with_bom_is_decoded() -> None:
    decoded = decode_transcript(b"\xff\xfe" + "naïve 😀".encode("utf-16-le"), "a.txt")
    assert (decoded.text, decoded.encoding) == ("naïve 😀", "utf-16")


def test_utf16_be_with_bom_is_decoded() -> None:
    decoded = decode_transcript(b"\xfe\xff" + "naïve 😀".encode("utf-16-be"), "a.txt")
    assert (decoded.text, decoded.encoding) == ("naïve 😀", "utf-16")


def test_invalid_utf8_falls_back_to_windows_1252_with_a_warning() -> None:
    decoded = decode_transcript(b"caf\xe9", "a.txt")
    assert decoded.text == "café"
    assert decoded.encoding == "cp1252"
    assert decoded.warnings == ("decoded as Windows-1252 (not valid UTF-8); check accented characters",)


def test_windows_1252_smart_quotes_and_dashes_decode_to_the_right_characters() -> None:
    assert decode_transcript(b"\x93yes\x94 \x96 it\x92s", "a.txt").text == "\u201cyes\u201d \u2013 it\u2019s"


def test_crlf_and_lone_cr_become_lf() -> None:
    assert decode_transcript(b"one\r\ntwo\rthree\n", "a.txt").text == "one\ntwo\nthree\n"


def test_decomposed_accent_is_composed_to_nfc() -> None:
    assert decode_transcript("cafe\u0301".encode(), "a.txt").text == "caf\u00e9"


def test_canonicalise_turns_form_feed_and_vertical_tab_into_newlines() -> None:
    assert canonicalise("page one\fpage two\vend") == "page one\npage two\nend"


def test_canonicalise_turns_unicode_line_separators_into_newlines() -> None:
    assert canonicalise("a\u2028b\u2029c\x85d") == "a\nb\nc\nd"


def test_canonicalise_strips_only_a_leading_bom() -> None:
    assert canonicalise("\ufeffa\ufeffb") == "a\ufeffb"


def test_canonicalise_is_idempotent() -> None:
    once = canonicalise("\ufeffx\r\ny\rcafe\u0301\f")
    assert canonicalise(once) == once


def test_tab_is_kept_in_canonical_text() -> None:
    assert decode_transcript(b"a\tb", "a.txt").text == "a\tb"


def test_file_over_the_limit_is_refused_with_its_size_in_mb() -> None:
    data = b"a" * int(25.3 * 1024 * 1024)
    with pytest.raises(BadInputError) as caught:
        decode_transcript(data, "big.txt")
    assert caught.value.message == "file is 25.3 MiB; the limit is 8 MiB"


def test_file_of_exactly_the_limit_is_accepted() -> None:
    assert decode_transcript(b"abcd", "a.txt", max_bytes=4).text == "abcd"


def test_file_over_a_small_limit_is_refused_in_bytes() -> None:
    with pytest.raises(BadInputError, match=r"file is 5 bytes; the limit is 4 bytes"):
        decode_transcript(b"abcde", "a.txt", max_bytes=4)


def test_default_limit_is_8_mib() -> None:
    assert DEFAULT_MAX_BYTES == 8 * 1024 * 1024


def test_empty_file_is_refused() -> None:
    with pytest.raises(BadInputError, match="empty"):
        decode_transcript(b"", "a.txt")


def test_whitespace_only_file_is_refused() -> None:
    with pytest.raises(BadInputError, match="only whitespace"):
        decode_transcript(b" \r\n\t\n ", "a.txt")


def test_bom_only_file_is_refused() -> None:
    with pytest.raises(BadInputError, match="only whitespace"):
        decode_transcript(b"\xef\xbb\xbf", "a.txt")


def test_nul_bytes_without_a_utf16_bom_are_refused_as_binary() -> None:
    with pytest.raises(BadInputError, match="NUL bytes"):
        decode_transcript("hello".encode("utf-16-le"), "a.txt")


def test_bytes_undefined_in_windows_1252_are_refused() -> None:
    with pytest.raises(BadInputError, match="neither UTF-8 nor Windows-1252"):
        decode_transcript(b"caf\xe9 \x81", "a.txt")


def test_text_that_is_mostly_control_characters_is_refused_as_binary() -> None:
    with pytest.raises(BadInputError, match="looks like a binary file"):
        decode_transcript(bytes(range(1, 32)) * 10, "a.txt")


def test_a_stray_control_character_is_refused_with_its_line_and_column() -> None:
    data = ("Interviewer: hello\n" + "a" * 40 + "\n  b\x1bc\n").encode()
    with pytest.raises(BadInputError, match=r"U\+001B \(ESC\) at line 3, column 4"):
        decode_transcript(data, "a.txt")


def test_a_c1_control_character_is_refused() -> None:
    with pytest.raises(BadInputError, match=r"U\+0090"):
        decode_transcript(("x" * 50 + "\u0090").encode(), "a.txt")


def test_trailing_ctrl_z_end_of_file_marker_is_removed_with_a_warning() -> None:
    decoded = decode_transcript(b"hello\r\n\x1a", "a.txt")
    assert decoded.text == "hello\n"
    assert any("Ctrl-Z" in warning for warning in decoded.warnings)


def test_docx_is_refused_naming_the_docx_importer() -> None:
    data = _zip_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    with pytest.raises(BadInputError, match=r"\.docx importer"):
        decode_transcript(data, "a.txt")


def test_odt_is_refused_naming_the_odt_importer() -> None:
    data = _zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    with pytest.raises(BadInputError, match=r"\.odt importer"):
        decode_transcript(data, "a.txt")


def test_other_zip_is_refused_as_an_archive() -> None:
    with pytest.raises(BadInputError, match="zip archive"):
        decode_transcript(_zip_bytes({"notes.txt": b"hello"}), "a.txt")


def test_pdf_is_refused_naming_the_pdf_importer() -> None:
    with pytest.raises(BadInputError, match="PDF importer"):
        decode_transcript(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a.txt")


def test_rtf_is_refused() -> None:
    with pytest.raises(BadInputError, match="RTF"):
        decode_transcript(b"{\\rtf1\\ansi hello}", "a.txt")


def test_utf16_with_bom_and_odd_length_is_refused_as_damaged() -> None:
    with pytest.raises(BadInputError, match="damaged"):
        decode_transcript(b"\xff\xfeh\x00i", "a.txt")


def test_utf8_bom_followed_by_invalid_utf8_is_refused() -> None:
    with pytest.raises(BadInputError, match="not valid UTF-8"):
        decode_transcript(b"\xef\xbb\xbfcaf\xe9", "a.txt")


def test_utf32_is_refused() -> None:
    with pytest.raises(BadInputError, match="UTF-32"):
        decode_transcript(b"\xff\xfe\x00\x00" + "hi".encode("utf-32-le"), "a.txt")


def test_refusal_names_the_file_and_has_a_one_line_message() -> None:
    with pytest.raises(BadInputError) as caught:
        decode_transcript(b"", "P03 interview.txt")
    assert caught.value.where == "P03 interview.txt"
    assert "\n" not in str(caught.value)


def test_sha256_text_is_the_hex_digest_of_the_utf8_bytes() -> None:
    assert sha256_text("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert sha256_text("café") == hashlib.sha256("café".encode()).hexdigest()


# ---------------------------------------------------------------------------
# Turn detection and roles (TR-6, TR-7)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "label", "role"),
    [
        ("Interviewer: How was it?", "Interviewer", "interviewer"),
        ("Int: How was it?", "Int", "interviewer"),
        ("I: How was it?", "I", "interviewer"),
        ("IV: How was it?", "IV", "interviewer"),
        ("Researcher: How was it?", "Researcher", "interviewer"),
        ("R: It was fine.", "R", "unknown"),
        ("Participant: It was fine.", "Participant", "participant"),
        ("P: It was fine.", "P", "participant"),
        ("P1: It was fine.", "P1", "participant"),
        ("P01: It was fine.", "P01", "participant"),
        ("Participant 3: It was fine.", "Participant 3", "participant"),
        ("Respondent: It was fine.", "Respondent", "participant"),
        ("Interviewee: It was fine.", "Interviewee", "participant"),
        ("Speaker 1: It was fine.", "Speaker 1", "unknown"),
        ("Alex: It was fine.", "Alex", "other"),
        ("Mary-Jane O'Neill: It was fine.", "Mary-Jane O'Neill", "other"),
        ("Élodie: C'était bien.", "Élodie", "other"),
        ("Alex (00:12:34): It was fine.", "Alex", "other"),
        ("INTERVIEWER: How was it?", "INTERVIEWER", "interviewer"),
    ],
)
def test_speaker_label_style_starts_a_turn(line: str, label: str, role: str) -> None:
    (turn,) = detect_turns(line)
    assert (turn.label, turn.role, turn.start, turn.end) == (label, role, 0, len(line))


def test_default_patterns_each_have_a_label_group() -> None:
    assert all("(?P<label>" in pattern for pattern in DEFAULT_SPEAKER_PATTERNS)


def test_turn_runs_to_the_next_label_line_excluding_trailing_blank_lines() -> None:
    text = "I: Question?\n\n\nP1: Answer.\n"
    first, second = detect_turns(text)
    assert text[first.start : first.end] == "I: Question?"
    assert text[second.start : second.end] == "P1: Answer."


def test_unlabelled_lines_continue_the_current_turn() -> None:
    text = "P1: I went in.\nand then I left.\n\nit was hard"
    (turn,) = detect_turns(text)
    assert text[turn.start : turn.end] == text


def test_turn_indices_run_from_zero_in_order() -> None:
    turns = detect_turns("I: a\nP1: b\nI: c\nP1: d")
    assert [t.index for t in turns] == [0, 1, 2, 3]


def test_text_before_the_first_label_becomes_an_unlabelled_unknown_turn() -> None:
    text = "\n  Interview 3, 12 May\n\nI: Hello.\n"
    first, second = detect_turns(text)
    assert (first.label, first.role) == ("", "unknown")
    assert text[first.start : first.end] == "  Interview 3, 12 May"
    assert second.label == "I"


def test_blank_text_before_the_first_label_is_not_a_turn() -> None:
    turns = detect_turns("\n\n  \nI: Hello.")
    assert [t.label for t in turns] == ["I"]


def test_text_without_labels_gives_one_turn_per_paragraph() -> None:
    text = "First para\nstill first.\n\n\nSecond para.  \n"
    turns = detect_turns(text)
    assert [text[t.start : t.end] for t in turns] == ["First para\nstill first.", "Second para."]
    assert all((t.label, t.role) == ("", "unknown") for t in turns)


def test_label_in_the_middle_of_a_line_does_not_start_a_turn() -> None:
    (turn,) = detect_turns("P1: She said Note: this matters.")
    assert turn.label == "P1"


def test_lowercase_word_and_colon_at_a_line_start_is_not_a_label() -> None:
    assert len(detect_turns("P1: I said\nwell: it was hard")) == 1


def test_capitalised_word_and_colon_at_a_line_start_counts_as_a_label() -> None:
    turns = detect_turns("P1: I said\nSo: it was hard")
    assert [t.label for t in turns] == ["P1", "So"]


def test_name_of_more_than_three_words_is_not_a_label() -> None:
    assert len(detect_turns("P1: I said\nOne Two Three Four: no")) == 1


def test_name_longer_than_40_characters_is_not_a_label() -> None:
    assert len(detect_turns("P1: I said\nAbcdefghijklmno Abcdefghijklmno Abcdefghijk: no")) == 1


def test_url_at_a_line_start_is_not_a_label() -> None:
    assert len(detect_turns("P1: see\nHttps://example.org")) == 1


def test_sentence_with_lowercase_words_before_a_colon_is_not_a_label() -> None:
    assert len(detect_turns("P1: I said\nI think: no")) == 1


def test_bracketed_timestamp_after_the_label_sets_the_turn_start_time() -> None:
    (turn,) = detect_turns("Interviewer: [00:12:34] Hello")
    assert turn.t_start == 754.0


def test_parenthesised_minutes_and_seconds_set_the_turn_start_time() -> None:
    (turn,) = detect_turns("P1: (12:34) Hello")
    assert turn.t_start == 754.0


def test_timestamp_inside_a_name_label_sets_the_turn_start_time() -> None:
    (turn,) = detect_turns("Alex Smith (01:02:03): Hello")
    assert (turn.label, turn.t_start) == ("Alex Smith", 3723.0)


def test_timestamp_before_the_label_sets_the_turn_start_time() -> None:
    (turn,) = detect_turns("[00:00:05.5] Int: Hello")
    assert (turn.label, turn.t_start) == ("Int", 5.5)


def test_impossible_timestamp_gives_no_time() -> None:
    (turn,) = detect_turns("P1: [00:75:00] Hello")
    assert turn.t_start is None


def test_time_of_day_in_speech_is_not_a_timestamp() -> None:
    (turn,) = detect_turns("P1: 10:30 was when I arrived")
    assert turn.t_start is None


def test_turn_end_time_is_left_unknown() -> None:
    turns = detect_turns("I: [00:00:01] a\nP1: [00:00:09] b")
    assert [t.t_end for t in turns] == [None, None]


def test_roles_mapping_overrides_the_guess_case_insensitively() -> None:
    turns = detect_turns("R: Question?\nAlex: Answer.", roles={" r ": "interviewer", "ALEX": "participant"})
    assert [t.role for t in turns] == ["interviewer", "participant"]


def test_roles_mapping_with_an_unknown_role_is_refused() -> None:
    with pytest.raises(BadInputError, match="role 'boss'"):
        detect_turns("R: x", roles={"R": "boss"})  # type: ignore[dict-item]


def test_custom_patterns_replace_the_defaults() -> None:
    text = "Q. What?\nA. This.\nAlex: not a label here"
    turns = detect_turns(text, patterns=[r"^(?P<label>[QA])\."])
    assert [t.label for t in turns] == ["Q", "A"]


def test_custom_pattern_without_a_label_group_is_refused() -> None:
    with pytest.raises(BadInputError, match="label"):
        detect_turns("x", patterns=[r"^\w+:"])


def test_invalid_custom_pattern_is_refused() -> None:
    with pytest.raises(BadInputError, match="not a valid regular expression"):
        detect_turns("x", patterns=[r"^(?P<label>[a-"])


@pytest.mark.parametrize(
    "label", ["Interviewer", "int", "I", "iv", "Researcher", "Moderator", "facilitator", "Interviewer 2"]
)
def test_interviewer_labels_are_guessed_as_interviewer(label: str) -> None:
    assert guess_role(label) == "interviewer"


@pytest.mark.parametrize(
    "label", ["Participant", "P", "p1", "P01", "Respondent", "Interviewee", "Participant 3", "P1:"]
)
def test_participant_labels_are_guessed_as_participant(label: str) -> None:
    assert guess_role(label) == "participant"


@pytest.mark.parametrize("label", ["R", "r", "Speaker 1", ""])
def test_ambiguous_or_missing_labels_are_guessed_as_unknown(label: str) -> None:
    assert guess_role(label) == "unknown"


@pytest.mark.parametrize("label", ["Alex", "Note", "Dr. Okafor", "Nurse"])
def test_other_labels_are_guessed_as_other(label: str) -> None:
    assert guess_role(label) == "other"


def test_turn_label_span_covers_the_label_and_its_colon() -> None:
    text = "I: a\n  Alex (00:12:34): Hello"
    second = detect_turns(text)[1]
    start, end = turn_label_span(text, second)
    assert text[start:end] == "Alex (00:12:34):"


def test_turn_label_span_includes_a_timestamp_before_the_label() -> None:
    text = "[00:00:05] Int: Hello"
    start, end = turn_label_span(text, detect_turns(text)[0])
    assert text[start:end] == "[00:00:05] Int:"


def test_turn_label_span_is_empty_for_an_unlabelled_turn() -> None:
    text = "Preamble\n\nI: Hello"
    first = detect_turns(text)[0]
    assert turn_label_span(text, first) == (first.start, first.start)


def test_turn_label_span_is_empty_when_the_label_is_not_in_the_text() -> None:
    text = "Hello there"
    turn = Turn(index=0, label="Roger Bingham", role="other", start=0, end=len(text))
    assert turn_label_span(text, turn) == (0, 0)


def test_turn_label_span_finds_a_literal_label_found_by_custom_patterns() -> None:
    text = "Q 1 : What?"
    turn = Turn(index=0, label="Q 1", role="other", start=0, end=len(text))
    assert turn_label_span(text, turn) == (0, 5)


# ---------------------------------------------------------------------------
# LineSettings and LineMap (TR-9, TR-10)
# ---------------------------------------------------------------------------


def _spans(text: str, width: int = 20, turns: tuple[Turn, ...] = ()) -> list[str]:
    linemap = LineMap.build(text, LineSettings(width=width), turns)
    return [text[line.start : line.end] for line in linemap.lines]


def test_line_within_the_width_is_one_line() -> None:
    assert _spans("short line") == ["short line"]


def test_wrap_breaks_after_the_last_space_that_fits_and_keeps_it_on_the_earlier_line() -> None:
    assert _spans("aaaa bbbb cccc dddd eeee ffff") == ["aaaa bbbb cccc dddd ", "eeee ffff"]


def test_wrapped_lines_of_a_paragraph_are_contiguous() -> None:
    text = "the quick brown fox jumps over the lazy dog " * 5
    lines = LineMap.build(text, LineSettings(width=20)).lines
    assert all(a.end == b.start for a, b in itertools.pairwise(lines))


def test_word_that_exactly_fills_the_width_is_cut_before_the_following_space() -> None:
    assert _spans("a" * 20 + " bb") == ["a" * 20, " bb"]


def test_word_longer_than_the_width_is_split_at_the_width() -> None:
    assert _spans("x" * 45) == ["x" * 20, "x" * 20, "x" * 5]


def test_hard_split_keeps_a_combining_mark_with_its_base() -> None:
    text = "a" * 19 + "q\u0301" + "b" * 10  # q + combining acute has no precomposed form
    assert _spans(text) == ["a" * 19, "q\u0301" + "b" * 10]


def test_no_break_space_is_not_a_wrap_point() -> None:
    assert _spans("aaaa bbbb\u00a0cccc dddd\u00a0eeee") == ["aaaa bbbb\u00a0cccc ", "dddd\u00a0eeee"]


def test_blank_lines_are_counted_as_lines() -> None:
    assert _spans("one\n\n\ntwo") == ["one", "", "", "two"]


def test_final_newline_does_not_add_a_line() -> None:
    assert _spans("one\ntwo\n") == ["one", "two"]


def test_empty_text_has_one_empty_line() -> None:
    linemap = LineMap.build("")
    assert [(line.start, line.end) for line in linemap.lines] == [(0, 0)]


def test_turn_start_in_the_middle_of_a_line_forces_a_break() -> None:
    text = "Hello there. General Kenobi."
    turns = (
        Turn(index=0, label="", role="unknown", start=0, end=12),
        Turn(index=1, label="", role="unknown", start=13, end=len(text)),
    )
    assert _spans(text, width=72, turns=turns) == ["Hello there. ", "General Kenobi."]


def test_turn_start_at_a_line_start_adds_no_line() -> None:
    text = "I: Question?\nP1: Answer."
    assert _spans(text, turns=detect_turns(text)) == ["I: Question?", "P1: Answer."]


def test_speaker_label_counts_towards_the_first_line_of_a_turn() -> None:
    text = "Interviewer: aaaa bbbb"
    assert _spans(text, turns=detect_turns(text)) == ["Interviewer: aaaa ", "bbbb"]


def test_turn_starting_outside_the_text_is_refused() -> None:
    with pytest.raises(BadInputError, match="outside the text"):
        LineMap.build("abc", turns=[Turn(index=0, label="", role="unknown", start=9, end=9)])


def test_pages_hold_page_lines_lines_each() -> None:
    linemap = LineMap.build(_numbered_lines(7), LineSettings(page_lines=3))
    assert [line.page for line in linemap.lines] == [1, 1, 1, 2, 2, 2, 3]


def test_restart_mode_numbers_each_page_from_one() -> None:
    linemap = LineMap.build(_numbered_lines(7), LineSettings(page_lines=3, mode="restart"))
    assert [line.number for line in linemap.lines] == [1, 2, 3, 1, 2, 3, 1]


def test_continuous_mode_numbers_equal_ordinals() -> None:
    linemap = LineMap.build(_numbered_lines(7), LineSettings(page_lines=3))
    assert [line.number for line in linemap.lines] == [line.ordinal for line in linemap.lines]


def test_len_is_the_number_of_lines() -> None:
    assert len(LineMap.build(_numbered_lines(12))) == 12


def test_build_is_deterministic() -> None:
    text = "I: hello there how are you\n\nP1: " + "fine thanks " * 30
    assert LineMap.build(text, LineSettings(width=25)) == LineMap.build(text, LineSettings(width=25))


def test_random_text_is_covered_exactly_once_within_the_width() -> None:
    rng = random.Random(20240521)
    alphabet = [
        "a",
        "b",
        "é",
        "😀",
        "q\u0301",
        " ",
        " ",
        " ",
        "\t",
        "\n",
        "\n\n",
        "\u00a0",
        "\u3000",
        "x" * 30,
    ]
    for _ in range(200):
        text = canonicalise("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))))
        width = rng.randint(20, 40)
        starts = sorted(rng.sample(range(len(text) + 1), k=min(3, len(text) + 1)))
        turns = tuple(Turn(index=i, label="", role="unknown", start=s, end=s) for i, s in enumerate(starts))
        linemap = LineMap.build(text, LineSettings(width=width, page_lines=7), turns)
        _assert_covers_text(text, linemap, width)


def test_building_a_60000_character_transcript_takes_well_under_50_ms() -> None:
    rng = random.Random(7)
    words = ["peer", "support", "was", "really", "helpful", "I", "felt", "naïve", "café", "and", "so", "on"]
    turns_text = []
    for i in range(400):
        label = "Interviewer: " if i % 2 == 0 else "P01: "
        turns_text.append(label + " ".join(rng.choice(words) for _ in range(rng.randint(5, 60))))
    text = "\n\n".join(turns_text)[:60_000]
    assert len(text) == 60_000
    turns = detect_turns(text)
    best = min(_timed(lambda: LineMap.build(text, turns=turns)) for _ in range(5))
    assert best < 0.05


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def test_to_json_and_from_json_round_trip_exactly() -> None:
    text = "I: hello there\n\nP1: " + "fine thanks, really " * 20
    linemap = LineMap.build(text, LineSettings(width=30, page_lines=4, mode="restart"), detect_turns(text))
    restored = LineMap.from_json(json.loads(json.dumps(linemap.to_json())))
    assert restored == linemap
    assert restored.to_json() == linemap.to_json()


def test_to_json_is_settings_text_length_and_start_end_pairs() -> None:
    assert LineMap.build("ab\ncd").to_json() == {
        "settings": {"width": 72, "page_lines": 40, "mode": "continuous"},
        "text_length": 5,
        "lines": [[0, 2], [3, 5]],
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines": [[0, 3], [2, 5]]}, "overlaps"),
        ({"lines": [[3, 5], [0, 2]]}, "overlaps"),
        ({"lines": [[0, 2], [0, 2]]}, "overlaps"),
        ({"lines": [[0, 2], [5, 3]]}, "invalid span"),
        ({"lines": [[0, 2], [3, 9]]}, "invalid span"),
        ({"lines": [[0, 2], [-3, 5]]}, "invalid span"),
        ({"lines": []}, "no lines"),
        ({"lines": [[0, True], [3, 5]]}, "whole numbers"),
        ({"lines": [[0, 2, 3]]}, "pair"),
        ({"lines": "0-2"}, "must be a list"),
        ({"lines": [[0, 80]], "text_length": 80}, "longer than the wrap width"),
        ({"text_length": "5"}, "whole number"),
        ({"settings": {"width": 5}}, "at least 20"),
        ({"settings": {"mode": "sometimes"}}, "continuous"),
        ({"settings": {"widht": 72}}, "unknown line setting"),
        ({"extra": 1}, "exactly"),
    ],
)
def test_corrupted_line_map_json_is_refused(change: dict[str, object], message: str) -> None:
    data: dict[str, object] = {**LineMap.build("ab\ncd").to_json(), **change}
    with pytest.raises(BadInputError, match=message):
        LineMap.from_json(data)


def test_line_map_json_missing_a_key_is_refused() -> None:
    data = LineMap.build("ab\ncd").to_json()
    del data["text_length"]
    with pytest.raises(BadInputError, match="exactly"):
        LineMap.from_json(data)


def test_line_settings_below_the_minimum_width_are_refused() -> None:
    with pytest.raises(BadInputError, match="at least 20"):
        LineSettings(width=19)


def test_line_settings_with_no_lines_per_page_are_refused() -> None:
    with pytest.raises(BadInputError, match="at least 1"):
        LineSettings(page_lines=0)


def test_line_settings_from_json_refuses_booleans_as_numbers() -> None:
    with pytest.raises(BadInputError, match="whole numbers"):
        LineSettings.from_json({"width": 72, "page_lines": True})


def test_line_settings_from_json_fills_missing_keys_with_defaults() -> None:
    assert LineSettings.from_json({"mode": "restart"}) == LineSettings(mode="restart")


def test_line_settings_round_trip_through_json() -> None:
    settings = LineSettings(width=60, page_lines=30, mode="restart")
    assert LineSettings.from_json(settings.to_json()) == settings


def test_line_at_the_first_character_of_a_wrapped_line_is_that_line() -> None:
    linemap = LineMap.build("aaaa bbbb cccc dddd eeee ffff", LineSettings(width=20))
    assert linemap.line_at(20).ordinal == 2


def test_line_at_the_last_character_before_a_wrap_is_the_earlier_line() -> None:
    linemap = LineMap.build("aaaa bbbb cccc dddd eeee ffff", LineSettings(width=20))
    assert linemap.line_at(19).ordinal == 1


def test_line_at_a_newline_is_the_line_it_ends() -> None:
    linemap = LineMap.build("ab\ncd")
    assert linemap.line_at(2).ordinal == 1


def test_line_at_a_blank_line_is_that_blank_line() -> None:
    linemap = LineMap.build("ab\n\ncd")
    assert linemap.line_at(3).ordinal == 2


def test_line_at_the_end_of_the_text_is_the_last_line() -> None:
    linemap = LineMap.build("ab\ncd\n")
    assert linemap.line_at(6).ordinal == 2


@pytest.mark.parametrize("offset", [-1, 7])
def test_line_at_an_offset_outside_the_text_is_refused(offset: int) -> None:
    with pytest.raises(BadInputError, match="outside the text"):
        LineMap.build("ab\ncd\n").line_at(offset)


def test_span_of_lines_runs_from_the_start_of_the_first_to_the_end_of_the_last() -> None:
    text = _numbered_lines(5)
    start, end = LineMap.build(text).span_of_lines(2, 3)
    assert text[start:end] == "line 2\nline 3"


@pytest.mark.parametrize(("first", "last"), [(3, 2), (0, 1), (1, 6), (6, 6)])
def test_span_of_lines_out_of_range_or_reversed_is_refused(first: int, last: int) -> None:
    with pytest.raises(BadInputError, match="not a range"):
        LineMap.build(_numbered_lines(5)).span_of_lines(first, last)


def test_lines_of_span_ending_with_a_newline_ends_on_the_line_that_newline_ends() -> None:
    text = _numbered_lines(3)
    first, last = LineMap.build(text).lines_of_span(0, text.index("line 3"))
    assert (first.ordinal, last.ordinal) == (1, 2)


def test_lines_of_an_empty_span_is_the_line_holding_it() -> None:
    first, last = LineMap.build(_numbered_lines(3)).lines_of_span(8, 8)
    assert (first.ordinal, last.ordinal) == (2, 2)


def test_lines_of_a_reversed_span_is_refused() -> None:
    with pytest.raises(BadInputError, match="not within the text"):
        LineMap.build(_numbered_lines(3)).lines_of_span(5, 4)


# ---------------------------------------------------------------------------
# Citations (TR-11)
# ---------------------------------------------------------------------------


def _cite(
    first: int,
    last: int,
    *,
    page_lines: int = 40,
    mode: str = "restart",
    count: int = 200,
    template: str = DEFAULT_CITATION,
) -> str:
    """Cite lines first..last (ordinals) of a text of numbered lines."""
    linemap = LineMap.build(
        _numbered_lines(count), LineSettings.from_json({"page_lines": page_lines, "mode": mode})
    )
    start, end = linemap.span_of_lines(first, last)
    return format_citation(linemap, start, end, "Alex", "P03", template)


def test_citation_within_one_page_gives_page_and_line_range() -> None:
    assert _cite(92, 95) == "Alex, 3:12–15"


def test_citation_of_a_single_line_gives_one_line_number() -> None:
    assert _cite(92, 92) == "Alex, 3:12"


def test_citation_across_a_page_break_names_both_pages() -> None:
    assert _cite(478, 483, page_lines=120, count=600) == "Alex, 4:118–5:3"


def test_citation_across_a_page_break_in_continuous_mode_uses_running_numbers() -> None:
    assert _cite(478, 483, page_lines=120, count=600, mode="continuous") == "Alex, 4:478–5:483"


def test_citation_of_a_span_ending_on_a_newline_does_not_include_the_next_line() -> None:
    text = _numbered_lines(5)
    linemap = LineMap.build(text)
    assert format_citation(linemap, 0, text.index("line 3"), "Alex") == "Alex, 1:1–2"


def test_citation_in_p_l_style() -> None:
    assert _cite(92, 95, template=CITATION_STYLES["p-l"]) == "Alex, p.3, l.12-15"


def test_citation_in_p_l_style_of_a_single_line_gives_one_line_number() -> None:
    assert _cite(92, 92, template=CITATION_STYLES["p-l"]) == "Alex, p.3, l.12"


def test_citation_in_p_l_style_across_a_page_break_gives_a_page_range() -> None:
    assert (
        _cite(478, 483, page_lines=120, count=600, template=CITATION_STYLES["p-l"]) == "Alex, p.4–5, l.118-3"
    )


def test_citation_in_lines_style_with_continuous_numbering() -> None:
    assert _cite(92, 95, mode="continuous", template=CITATION_STYLES["lines"]) == "Alex, 92–95"


def test_citation_without_a_page_is_refused_when_numbers_restart_each_page() -> None:
    with pytest.raises(BadInputError, match="restart"):
        _cite(92, 95, template=CITATION_STYLES["lines"])


def test_citation_in_id_page_line_style() -> None:
    assert _cite(92, 95, template=CITATION_STYLES["id-page-line"]) == "(P03, 3.12)"


def test_default_citation_style_is_page_line() -> None:
    assert CITATION_STYLES["page-line"] == DEFAULT_CITATION == "{pseudonym}, {page}:{line_start}–{line_end}"


def test_citation_template_with_an_unknown_placeholder_is_refused() -> None:
    with pytest.raises(BadInputError, match=r"unknown placeholder \{surname\}"):
        _cite(1, 2, template="{surname}, {page}")


def test_citation_template_with_attribute_access_is_refused() -> None:
    with pytest.raises(BadInputError, match="unknown placeholder"):
        _cite(1, 2, template="{pseudonym.__class__}, {page}")


def test_malformed_citation_template_is_refused() -> None:
    with pytest.raises(BadInputError, match="malformed"):
        _cite(1, 2, template="{pseudonym, {page}")


# ---------------------------------------------------------------------------
# Extracts (TR-12)
# ---------------------------------------------------------------------------

INTERVIEW = (
    "I: How did it feel?\n\nP1: It was (.) hard [laughs] at first.\nThen easier.\n\nI: Why?\n\nP1: Trust."
)


def test_extract_within_one_turn_is_verbatim() -> None:
    start = INTERVIEW.index("It was")
    end = INTERVIEW.index(" at first")
    assert extract(INTERVIEW, detect_turns(INTERVIEW), start, end) == "It was (.) hard [laughs]"


def test_extract_leaves_out_a_speaker_label_inside_the_span() -> None:
    start = INTERVIEW.index("P1: It")
    end = INTERVIEW.index(" hard")
    assert extract(INTERVIEW, detect_turns(INTERVIEW), start, end) == "It was (.)"


def test_extract_of_one_interviewer_turn_is_not_marked() -> None:
    start = INTERVIEW.index("How")
    end = INTERVIEW.index("?") + 1
    assert extract(INTERVIEW, detect_turns(INTERVIEW), start, end) == "How did it feel?"


def test_extract_across_turns_marks_interviewer_parts_and_drops_labels() -> None:
    start = INTERVIEW.index("Then")
    assert (
        extract(INTERVIEW, detect_turns(INTERVIEW), start, len(INTERVIEW)) == "Then easier.\nI: Why?\nTrust."
    )


def test_extract_of_an_interviewer_turn_touching_only_the_next_label_is_not_marked() -> None:
    start = INTERVIEW.index("Why")
    end = INTERVIEW.index("P1: Trust") + len("P1:")
    assert extract(INTERVIEW, detect_turns(INTERVIEW), start, end) == "Why?"


def test_extract_without_turns_is_verbatim() -> None:
    assert extract(INTERVIEW, (), 0, 12) == INTERVIEW[:12]


def test_extract_with_context_includes_whole_lines_before_and_after() -> None:
    text = _numbered_lines(6)
    linemap = LineMap.build(text)
    start = text.index("line 3")
    end = start + len("line 3")
    assert extract(text, (), start + 2, end - 1, context_lines=1, linemap=linemap) == "line 2\nline 3\nline 4"


def test_extract_context_stops_at_the_start_and_end_of_the_text() -> None:
    text = _numbered_lines(3)
    assert extract(text, (), 8, 9, context_lines=5, linemap=LineMap.build(text)) == text


def test_extract_with_context_but_no_line_map_is_refused() -> None:
    with pytest.raises(BadInputError, match="line map"):
        extract(INTERVIEW, (), 0, 5, context_lines=1)


def test_extract_of_a_span_outside_the_text_is_refused() -> None:
    with pytest.raises(BadInputError, match="not within the text"):
        extract("abc", (), 1, 9)


def test_extract_of_an_empty_span_is_empty() -> None:
    assert extract(INTERVIEW, detect_turns(INTERVIEW), 5, 5) == ""


# ---------------------------------------------------------------------------
# REFI-QDA position convention (code points from 0, CRLF counted as 1 after canonicalisation)
# ---------------------------------------------------------------------------


def _refi_vectors() -> dict[str, object]:
    if not VECTORS.is_file():
        pytest.skip(f"REFI-QDA test vectors not found at {VECTORS}")
    data: dict[str, object] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return data


def test_canonical_offsets_equal_refi_code_points_with_crlf_counted_as_one() -> None:
    data = _refi_vectors()
    text = decode_transcript(bytes.fromhex(str(data["plain_text_file_utf8_hex"])), "vectors").text
    vectors = data["vectors"]
    assert isinstance(vectors, list) and vectors
    for vector in vectors:
        start = text.index(vector["substring"])
        assert [start, start + len(vector["substring"])] == vector["codepoints_crlf_as_1"]


def test_canonical_offsets_plus_preceding_newlines_give_refi_crlf_as_two() -> None:
    data = _refi_vectors()
    text = decode_transcript(bytes.fromhex(str(data["plain_text_file_utf8_hex"])), "vectors").text
    vectors = data["vectors"]
    assert isinstance(vectors, list)
    for vector in vectors:
        start = text.index(vector["substring"])
        end = start + len(vector["substring"])
        shifted = [start + text.count("\n", 0, start), end + text.count("\n", 0, end)]
        assert shifted == vector["codepoints_crlf_as_2"]


def test_canonical_offsets_differ_from_utf16_units_after_an_emoji() -> None:
    data = _refi_vectors()
    text = decode_transcript(bytes.fromhex(str(data["plain_text_file_utf8_hex"])), "vectors").text
    vectors = data["vectors"]
    assert isinstance(vectors, list)
    by_substring = {vector["substring"]: vector for vector in vectors}
    start = text.index("café")
    assert start == by_substring["café"]["codepoints_crlf_as_1"][0]
    assert start != by_substring["café"]["utf16_crlf_as_1"][0]


@pytest.mark.parametrize("mode", ["continuous", "restart"])
def test_lines_of_span_are_the_lines_holding_its_first_and_last_character(mode: str) -> None:
    text = _numbered_lines(60)
    linemap = LineMap.build(text, LineSettings(width=72, page_lines=7, mode=mode))
    for start in range(0, len(text) + 1, 5):
        for end in {start, min(start + 1, len(text)), min(start + 37, len(text)), len(text)}:
            first, last = linemap.lines_of_span(start, end)
            assert first == linemap.line_at(start)
            assert last == linemap.line_at(max(start, end - 1))


def test_a_citation_template_keeps_literal_braces_conversions_and_format_specs() -> None:
    linemap = LineMap.build(_numbered_lines(30))
    start, end = linemap.span_of_lines(3, 4)
    template = "{{{pseudonym!r:>8}}} {page}:{line_start:03}-{line_end}"
    assert format_citation(linemap, start, end, "Alex", "P01", template) == "{  'Alex'} 1:003-4"
