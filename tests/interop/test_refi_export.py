"""REFI-QDA export (EXP-4): what goes where, and every file validates against the vendored schemas."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from wb_interop.refi_export import PAYLOAD_MARKER, export_qdc, export_qdpx
from wb_interop.validate import codebook_schema, project_schema

from tests.interop.conftest import TEXT
from workbench import BadInputError
from workbench.core.project import Project

NS = {"q": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def test_the_exported_project_validates_against_the_project_schema(coded: Project, tmp_path: Path) -> None:
    out = export_qdpx(coded, tmp_path / "study.qdpx")
    project_schema().validate(_qde(out).decode("utf-8"))


def test_the_exported_codebook_validates_against_the_codebook_schema(coded: Project, tmp_path: Path) -> None:
    out = export_qdc(coded, tmp_path / "codes.qdc")
    codebook_schema().validate(out.read_text(encoding="utf-8"))


def test_sources_are_utf8_plain_text_in_the_sources_folder(coded: Project, tmp_path: Path) -> None:
    out = export_qdpx(coded, tmp_path / "study.qdpx")
    with zipfile.ZipFile(out) as archive:
        texts = [n for n in archive.namelist() if n.startswith("sources/")]
        assert len(texts) == 1 and archive.read(texts[0]).decode("utf-8") == TEXT


def test_selections_count_code_points_and_codings_name_their_coder(coded: Project, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(_qde(export_qdpx(coded, tmp_path / "s.qdpx")))
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    words = "something in me unclenched 😀 at the café"
    selection = next(
        s
        for s in root.iterfind(".//q:PlainTextSelection", NS)
        if int(s.get("startPosition", -1)) == TEXT.index(words)
    )
    assert int(selection.get("endPosition", -1)) == TEXT.index(words) + len(words)
    assert sorted(users[c.get("creatingUser")] for c in selection.iterfind("q:Coding", NS)) == [
        "alice",
        "bob",
    ]


def test_codes_keep_hierarchy_and_carry_level_in_the_description(coded: Project, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(_qde(export_qdpx(coded, tmp_path / "s.qdpx")))
    relief = next(c for c in root.iterfind(".//q:Code", NS) if c.get("name") == "Relief")
    assert [c.get("name") for c in relief.iterfind("q:Code", NS)] == ["Unclenching"]
    description = relief.findtext("q:Description", namespaces=NS) or ""
    assert description.startswith("Feeling let off the hook") and "level focused" in description


def test_memos_are_notes_and_links_keep_direction(coded: Project, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(_qde(export_qdpx(coded, tmp_path / "s.qdpx")))
    assert sorted(n.get("name") for n in root.iterfind("q:Notes/q:Note", NS)) == ["Free memo", "On relief"]
    link = root.find("q:Links/q:Link", NS)
    assert link is not None and link.get("direction") == "OneWay" and link.get("name") == "is a kind of"
    assert PAYLOAD_MARKER in (root.findtext("q:Description", namespaces=NS) or "")


def test_exporting_twice_gives_the_same_guids(coded: Project, tmp_path: Path) -> None:
    assert _qde(export_qdpx(coded, tmp_path / "a.qdpx")) == _qde(export_qdpx(coded, tmp_path / "b.qdpx"))


def test_a_codebook_without_codes_is_refused(tmp_path: Path) -> None:
    with (
        Project.create(tmp_path / "empty", "Empty") as project,
        pytest.raises(BadInputError, match="no codes"),
    ):
        export_qdc(project, tmp_path / "x.qdc")


def test_a_document_the_schema_refuses_is_reported_with_the_first_problem() -> None:
    from wb_interop.validate import validate_qdc

    with pytest.raises(BadInputError, match="does not validate against Codebook"):
        validate_qdc(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "x.qdc")
