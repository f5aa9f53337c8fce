"""Selection positions from other programs (EXP-4): the shared test vectors, detection and refusal."""

from __future__ import annotations

import json

import pytest
from wb_interop.offsets import CODEPOINTS, CODEPOINTS_CRLF1, UTF16, SourceText, Span

from tests.interop.conftest import REFI

VECTORS = json.loads((REFI / "position-test-vectors.json").read_text(encoding="utf-8"))
RAW = bytes.fromhex(VECTORS["plain_text_file_utf8_hex"]).decode("utf-8")
COLUMNS = {
    "codepoints_crlf_as_2": CODEPOINTS,
    "codepoints_crlf_as_1": CODEPOINTS_CRLF1,
    "utf16_crlf_as_2 (NVivo Windows 12.6 observed)": UTF16,
}


@pytest.mark.parametrize("column", list(COLUMNS))
@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["substring"])
def test_each_convention_places_the_vector_on_its_substring(vector: dict, column: str) -> None:
    text = SourceText(RAW)
    start, end = vector[column]
    placed = text.place(Span(start, end), COLUMNS[column])
    assert placed is not None
    assert text.text[placed[0] : placed[1]] == vector["substring"]


@pytest.mark.parametrize("column", list(COLUMNS))
def test_the_convention_is_detected_from_selection_names(column: str) -> None:
    text = SourceText(RAW)
    spans = [Span(*v[column], name=v["substring"]) for v in VECTORS["vectors"]]
    assert text.detect(spans) == COLUMNS[column]


def test_the_writer_breaks_a_tie_when_the_selections_carry_no_names() -> None:
    text = SourceText("one\r\ntwo three\r\n")
    assert text.detect([Span(5, 8)], preferred=CODEPOINTS_CRLF1) in (CODEPOINTS, CODEPOINTS_CRLF1)
    assert text.place(Span(4, 7), CODEPOINTS_CRLF1) == (4, 7)


def test_a_position_inside_a_surrogate_pair_cannot_be_placed() -> None:
    text = SourceText("a😀b")
    assert text.place(Span(2, 3), UTF16) is None
    assert text.place(Span(1, 3), UTF16) == (1, 2)


def test_a_selection_beyond_the_text_cannot_be_placed() -> None:
    assert SourceText("short").place(Span(2, 99), CODEPOINTS) is None
