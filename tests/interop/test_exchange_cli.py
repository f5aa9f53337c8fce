"""The CLI contract of issue 7: add by content, formats, tables, one export command, import, manifests."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.cli.conftest import Run, tree_digest
from tests.interop.test_vtt_srt_import import TEAMS


@pytest.fixture
def coded_study(run: Run, study: Path) -> Path:
    run("code", str(study), "S1", "--lines", "4", "Reluctance")
    run("memo", str(study), "--title", "Why", "--body", "reluctance first", "--link", "segment:G1")
    return study


def test_add_picks_the_importer_by_content_when_the_extension_says_otherwise(
    run: Run, study: Path, tmp_path: Path
) -> None:
    renamed = tmp_path / "teams-download.txt"
    renamed.write_text(TEAMS, encoding="utf-8")
    out = json.loads(run("add", str(study), str(renamed), "--json").stdout)
    assert out[0]["importer"] == "vtt"
    assert out[0]["speakers"] == {"Jo Interviewer": "other", "Sam Okafor": "other"}


def test_add_keeps_word_comments_as_transcriber_note_memos(run: Run, study: Path, tmp_path: Path) -> None:
    from tests.interop.conftest import docx_bytes

    def build(d: object) -> None:
        paragraph = d.add_paragraph("Participant: I said [redacted] to them.")  # type: ignore[attr-defined]
        d.add_comment(paragraph.runs, text="name removed", author="T")  # type: ignore[attr-defined]

    path = tmp_path / "p02.docx"
    path.write_bytes(docx_bytes(build))
    added = json.loads(run("add", str(study), str(path), "--json").stdout)[0]
    memos = json.loads(run("show", str(study), "memos", "--json").stdout)
    note = next(m for m in memos if m["id"] == added["transcriber_notes"][0])
    assert note["type"] == "transcriber-note" and "name removed" in note["body"]
    assert note["links"] == [f"source:{added['id']}"]


def test_formats_lists_every_importer_and_exporter(run: Run) -> None:
    data = json.loads(run("formats", "--json").stdout)
    extensions = {e for row in data["importers"] for e in row["extensions"]}
    assert {".txt", ".docx", ".odt", ".vtt", ".srt"} <= extensions
    assert {"qdpx", "qdc", "archive"} <= {row["name"] for row in data["exporters"]}
    assert "xlsx" in data["table_formats"]


def test_tables_lists_the_core_tables(run: Run, study: Path) -> None:
    names = {row["name"] for row in json.loads(run("tables", str(study), "--json").stdout)}
    assert {"codebook", "coded-segments"} <= names


@pytest.mark.parametrize("fmt", ["csv", "tsv", "md", "xlsx", "docx", "json"])
def test_export_writes_a_table_in_each_format(run: Run, coded_study: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"codebook.{fmt}"
    run("export", str(coded_study), "codebook", "--format", fmt, "-o", str(out))
    data = out.read_bytes()
    if fmt in ("xlsx", "docx"):
        assert zipfile.is_zipfile(out)
    else:
        assert b"Reluctance" in data


def test_export_csv_with_bom_for_excel(run: Run, coded_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "segments.csv"
    run("export", str(coded_study), "coded-segments", "--option", "code=Reluctance", "--bom", "-o", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbfParticipant,")


def test_every_export_leaves_a_manifest_entry(run: Run, coded_study: Path, tmp_path: Path) -> None:
    run(
        "export",
        str(coded_study),
        "coded-segments",
        "--option",
        "code=Reluctance",
        "-o",
        str(tmp_path / "s.md"),
    )
    run("export", str(coded_study), "qdc", "-o", str(tmp_path / "c.qdc"))
    records = json.loads(run("show", str(coded_study), "records", "--json").stdout)
    entries = [r["data"] for r in records if r["kind"] == "export.manifest"]
    assert [(e["what"], e["contains_raw_text"]) for e in entries] == [
        ("coded-segments", True),
        ("qdc", False),
    ]
    assert all(e["who"] and e["when"] and len(e["files"][0]["sha256"]) == 64 for e in entries)


def test_export_and_import_qdpx_through_the_cli(run: Run, coded_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    run("export", str(coded_study), "qdpx", "-o", str(out))
    result = run("import", str(tmp_path / "copy"), str(out), "--json")
    assert json.loads(result.stdout)["counts"]["codings"] == 1
    assert result.stderr == ""
    assert "Reluctance" in run("codes", str(tmp_path / "copy")).stdout


def test_a_refused_import_is_one_line_and_changes_nothing(
    run: Run, coded_study: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("../escape.txt", b"x")
    before = tree_digest(coded_study)
    result = run("import", str(coded_study), str(bad), ok=False)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "climbs out" in result.stderr
    assert tree_digest(coded_study) == before


@pytest.mark.parametrize("name", ["annotated.html", "annotated.docx"])
def test_the_annotated_transcript_prints_the_tool_line_numbers(
    run: Run, coded_study: Path, tmp_path: Path, name: str
) -> None:
    out = tmp_path / name
    run(
        "export",
        str(coded_study),
        "annotated-transcript",
        "--option",
        "source=S1",
        "--option",
        "columns=3",
        "-o",
        str(out),
    )
    if name.endswith(".html"):
        page = out.read_text(encoding="utf-8")
        assert '<td class="line">4</td>' in page and "Reluctance" in page and "reluctance first" in page
    else:
        from docx import Document

        table = Document(str(out)).tables[0]
        assert [c.text for c in table.rows[0].cells] == ["Line", "Transcript", "Codes", "Notes"]
        assert table.rows[4].cells[0].text == "4" and "Reluctance" in table.rows[4].cells[2].text
        assert table.rows[4].cells[1].paragraphs[0].style.name == "WB Transcript"


@pytest.mark.parametrize(("name", "marker"), [("model.dot", "digraph"), ("model.mmd", "flowchart LR")])
def test_diagrams_are_written_as_dot_and_mermaid(
    run: Run, study: Path, tmp_path: Path, name: str, marker: str
) -> None:
    run("codebook", str(study), "create", "Parent")
    run("codebook", str(study), "create", "Child", "--parent", "Parent")
    run("link", str(study), "Child", "S1", "--relation", "grounded in")
    out = tmp_path / name
    run("export", str(study), "diagram", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.startswith(marker) and "grounded in" in text and "Child" in text


def test_export_of_an_unknown_name_lists_the_choices(run: Run, study: Path, tmp_path: Path) -> None:
    result = run("export", str(study), "nope", "-o", str(tmp_path / "x"), ok=False)
    assert result.returncode == 3 and "qdpx" in result.stderr and "codebook" in result.stderr
