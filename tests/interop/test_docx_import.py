"""Word transcripts (TR-2): paragraphs, Speaker|Text tables, bold labels, tracked changes, comments."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from wb_interop.docx_import import load_docx

from tests.interop.conftest import docx_bytes
from workbench import BadInputError, TranscriberNote

WHERE = Path("interview.docx")


def test_paragraphs_are_read_in_order_with_speaker_labels_as_turns() -> None:
    def build(d: Any) -> None:
        d.add_paragraph("Interviewer: How did it start?")
        d.add_paragraph("P01: It started (.) slowly. [laughs]")
        d.add_paragraph("And then it sped up.")

    imported = load_docx(WHERE, docx_bytes(build))
    assert imported.text == (
        "Interviewer: How did it start?\n\nP01: It started (.) slowly. [laughs]\n\nAnd then it sped up.\n"
    )
    assert [(t.label, t.role) for t in imported.turns] == [
        ("Interviewer", "interviewer"),
        ("P01", "participant"),
    ]
    assert imported.text[imported.turns[1].start : imported.turns[1].end].endswith("sped up.")


def test_a_two_column_speaker_text_table_becomes_one_turn_per_row() -> None:
    def build(d: Any) -> None:
        table = d.add_table(rows=3, cols=2)
        for row, (who, said) in zip(
            table.rows, [("Speaker", "Text"), ("Int", "Tell me more."), ("Sam", "Well…")], strict=True
        ):
            row.cells[0].text, row.cells[1].text = who, said

    imported = load_docx(WHERE, docx_bytes(build))
    assert imported.text == "Int: Tell me more.\n\nSam: Well…\n"
    assert [t.label for t in imported.turns] == ["Int", "Sam"]


def test_a_bold_label_marks_a_speaker_the_plain_text_patterns_would_miss() -> None:
    def build(d: Any) -> None:
        paragraph = d.add_paragraph()
        paragraph.add_run("dr okafor:").bold = True
        paragraph.add_run(" so what happened next?")
        d.add_paragraph("nothing much happened")

    imported = load_docx(WHERE, docx_bytes(build))
    assert imported.turns[0].label == "dr okafor"
    assert imported.text.startswith("dr okafor: so what happened next?")


def test_tracked_changes_are_refused_with_a_clear_message() -> None:
    def build(d: Any) -> None:
        from docx.oxml import parse_xml

        paragraph = d.add_paragraph("Interviewer: hello")
        paragraph._p.append(
            parse_xml(
                '<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="1" '
                'w:author="T" w:date="2024-01-01T00:00:00Z"><w:r><w:t>added</w:t></w:r></w:ins>'
            )
        )

    with pytest.raises(BadInputError, match=r"tracked changes.*Accept All"):
        load_docx(WHERE, docx_bytes(build))


def test_comments_are_kept_as_transcriber_notes_not_as_text() -> None:
    def build(d: Any) -> None:
        paragraph = d.add_paragraph("Participant: I was at [inaudible 00:12:34] then.")
        d.add_comment(paragraph.runs, text="Audio unclear here", author="Transcriber")

    imported = load_docx(WHERE, docx_bytes(build))
    assert "Audio unclear" not in imported.text
    assert imported.notes == (
        TranscriberNote(
            "Audio unclear here", "Transcriber", "Participant: I was at [inaudible 00:12:34] then."
        ),
    )


def test_a_document_part_with_a_dtd_is_refused() -> None:
    data = docx_bytes(lambda d: d.add_paragraph("Interviewer: hi"))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "word/document.xml":
                body = body.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
            target.writestr(info, body)
    with pytest.raises(BadInputError, match="DTD"):
        load_docx(WHERE, out.getvalue())


def test_a_damaged_file_is_one_clear_error() -> None:
    with pytest.raises(BadInputError, match="zip"):
        load_docx(WHERE, b"PK\x03\x04 not really a zip")
