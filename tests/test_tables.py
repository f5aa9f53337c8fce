"""Every registered table can be read in the terminal and handed in as CSV, Markdown, JSON or Word."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pytest

from workbench.core.errors import BadInputError
from workbench.registry import TableData
from workbench.tables import (
    STYLE_HEADER,
    STYLE_TEXT,
    format_for,
    render,
    render_markdown,
    table_bytes,
    write_table,
)

TABLE = TableData(
    columns=("Code", "Participants", "Extract"),
    rows=(("Sharing | lived experience", "3", "line one\nline two"), ("Being believed", "2", "")),
    title="Codebook",
)


def test_text_pads_columns_and_flattens_line_breaks() -> None:
    lines = render(TABLE, "text").splitlines()
    assert lines[0] == "Codebook"
    assert lines[2].startswith("Sharing | lived experience  3")
    assert "line one / line two" in lines[2]


def test_csv_keeps_every_cell_exactly() -> None:
    rows = list(csv.reader(io.StringIO(render(TABLE, "csv"))))
    assert rows[0] == list(TABLE.columns)
    assert rows[1] == list(TABLE.rows[0])


def test_json_is_one_object_per_row_keyed_by_column() -> None:
    assert json.loads(render(TABLE, "json"))[1] == {
        "Code": "Being believed",
        "Participants": "2",
        "Extract": "",
    }


def test_markdown_escapes_pipes_and_keeps_line_breaks() -> None:
    lines = render_markdown(TABLE).splitlines()
    assert lines[0] == "## Codebook"
    assert lines[2] == "| Code | Participants | Extract |"
    assert lines[4] == "| Sharing \\| lived experience | 3 | line one<br>line two |"


def test_tsv_separates_cells_with_tabs_and_quotes_line_breaks() -> None:
    rows = list(csv.reader(io.StringIO(render(TABLE, "tsv")), delimiter="\t"))
    assert rows[0] == list(TABLE.columns)
    assert rows[1] == list(TABLE.rows[0])


def test_csv_can_start_with_a_byte_order_mark_for_excel() -> None:
    assert table_bytes(TABLE, "csv", bom=True).startswith(b"\xef\xbb\xbfCode,")
    assert table_bytes(TABLE, "csv").startswith(b"Code,")


def test_xlsx_holds_every_cell_as_text_under_a_bold_header(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    formula = TableData(("A",), (("=1+1",),), "Sheet: one/two")
    path = write_table(formula, tmp_path / "t.xlsx")
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet.title == "Sheet onetwo"
    assert sheet["A1"].value == "A" and sheet["A1"].font.bold
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"


def test_docx_cells_use_named_styles_the_student_can_restyle(tmp_path: Path) -> None:
    from docx import Document

    table = Document(str(write_table(TABLE, tmp_path / "t.docx"))).tables[0]
    assert table.rows[0].cells[0].paragraphs[0].style.name == STYLE_HEADER
    assert table.rows[1].cells[0].paragraphs[0].style.name == STYLE_TEXT


def test_docx_holds_the_table_with_a_bold_header(tmp_path: Path) -> None:
    from docx import Document

    path = write_table(TABLE, tmp_path / "codebook.docx")
    table = Document(str(path)).tables[0]
    assert [c.text for c in table.rows[0].cells] == list(TABLE.columns)
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[2].text == "line one\nline two"
    assert len(table.rows) == 3


def test_written_files_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = write_table(TABLE, tmp_path / "t.md")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_format_comes_from_the_extension_unless_given() -> None:
    assert format_for(Path("x.csv"), None) == "csv"
    assert format_for(Path("x.csv"), "md") == "md"
    assert format_for(None, None) == "text"
    assert format_for(Path("x.tsv"), None) == "tsv"
    assert format_for(Path("x.xlsx"), None) == "xlsx"


def test_an_unknown_extension_is_refused_with_the_choices() -> None:
    with pytest.raises(BadInputError, match="cannot tell the format"):
        format_for(Path("x.pdf"), None)


def test_docx_cannot_be_printed_to_the_terminal() -> None:
    with pytest.raises(BadInputError, match="--output"):
        render(TABLE, "docx")
