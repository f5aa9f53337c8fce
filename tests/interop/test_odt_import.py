"""OpenDocument transcripts (TR-3): paragraphs and tables in order, annotations as transcriber notes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from wb_interop.odt_import import load_odt

from workbench import BadInputError


def _odt(paragraphs: list[str], *, note: str = "", table: list[tuple[str, str]] | None = None) -> bytes:
    from odf import dc, office, text  # type: ignore[import-untyped]
    from odf import table as odf_table
    from odf.opendocument import OpenDocumentText  # type: ignore[import-untyped]

    document = OpenDocumentText()
    for number, words in enumerate(paragraphs):
        paragraph = text.P(text=words)
        if note and number == 0:
            annotation = office.Annotation()
            annotation.addElement(dc.Creator(text="Transcriber"))
            annotation.addElement(text.P(text=note))
            paragraph.addElement(annotation)
        document.text.addElement(paragraph)
    if table:
        grid = odf_table.Table(name="T")
        for who, said in table:
            row = odf_table.TableRow()
            for value in (who, said):
                cell = odf_table.TableCell()
                cell.addElement(text.P(text=value))
                row.addElement(cell)
            grid.addElement(row)
        document.text.addElement(grid)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_paragraphs_become_turns_at_speaker_labels() -> None:
    imported = load_odt(Path("a.odt"), _odt(["Interviewer: Hello?", "Participant: Hi (2) yes."]))
    assert imported.text == "Interviewer: Hello?\n\nParticipant: Hi (2) yes.\n"
    assert [t.role for t in imported.turns] == ["interviewer", "participant"]


def test_annotations_are_transcriber_notes_and_not_text() -> None:
    imported = load_odt(Path("a.odt"), _odt(["Participant: the ward, you know"], note="check name"))
    assert "check name" not in imported.text
    assert [note.text for note in imported.notes] == ["check name"]


def test_a_speaker_text_table_gives_one_turn_per_row() -> None:
    imported = load_odt(Path("a.odt"), _odt([], table=[("Int", "Why?"), ("Ola", "Because.")]))
    assert imported.text == "Int: Why?\n\nOla: Because.\n"
    assert [t.label for t in imported.turns] == ["Int", "Ola"]


def test_an_empty_document_is_refused() -> None:
    with pytest.raises(BadInputError, match="no transcript text"):
        load_odt(Path("a.odt"), _odt([]))
