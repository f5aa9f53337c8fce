"""REFI-QDA import (EXP-4): what real tools write is accepted, offsets are converted and reported."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from wb_interop.project_import import import_file
from wb_interop.refi_import import read_qdc, read_qdpx

from tests.interop.conftest import REFI
from workbench.core.project import Project

SAMPLES = REFI / "samples" / "permissive"
U1 = "088B08AC-D5CD-4ADB-8B71-B4F3459C177F"
CODE = "1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294"
SRC = "69A4332D-5B31-4915-B520-000000000001"


def _qdpx(qde: str, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _project(origin: str, start: int, end: int, name: str = "", guid_case: str = "upper") -> str:
    source, code = (SRC, CODE) if guid_case == "upper" else (SRC.lower(), CODE.lower())
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Other tool" origin="{origin}">
  <Users><User guid="{U1}" name="Coder One"/></Users>
  <CodeBook><Codes><Code guid="{CODE}" name="Joy" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{SRC}" name="Interview 1" plainTextPath="internal://{source}.txt">
      <PlainTextSelection guid="AAAAAAAA-0000-0000-0000-000000000001" name="{name}"
          startPosition="{start}" endPosition="{end}" creatingUser="{U1}">
        <Coding guid="AAAAAAAA-0000-0000-0000-000000000002" creatingUser="{U1}">
          <CodeRef targetGUID="{code}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""


TEXT = "Line one 😀 café\r\nSecond line: naïve 👍🏽 end\r\n"


def test_the_atlas_sample_with_nested_codes_imports(tmp_path: Path) -> None:
    data = (SAMPLES / "ponte_atlas23_target-atlas-project.qdpx").read_bytes()
    incoming = read_qdpx(Path("t.qdpx"), data)
    names = {c.label: c.parent for c in incoming.codes}
    assert set(names) == {"Commits", "2022-05-10T02:05:59Z 19e4dce", "2022-02-11T10:39:25Z cdbfd92"}
    assert names["2022-05-10T02:05:59Z 19e4dce"] == "code:a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"


def test_the_blank_atlas_sample_imports_as_an_empty_project(tmp_path: Path) -> None:
    report = import_file(tmp_path / "blank", SAMPLES / "ponte_atlas23_blank-atlas-project.qdpx")
    assert report["new"] and report["counts"]["codes"] == 0
    with Project.open(tmp_path / "blank", readonly=True) as project:
        assert project.title == "blank-atlas-project"


def test_the_atlas_codebook_with_a_0_4_schema_location_imports_codes_and_sets(tmp_path: Path) -> None:
    report = import_file(tmp_path / "cb", SAMPLES / "requal_atlas23.4_codebook.qdc")
    assert report["counts"]["codes"] == 1 and report["counts"]["sets"] == 1
    with Project.open(tmp_path / "cb", readonly=True) as project:
        code = project.code_by_label("code1")
        assert code["definition"] == "description"
        assert project.rows("sets")[0]["members"] == [f"code:{code['id']}"]


def test_nvivo_utf16_positions_with_a_bom_and_crlf_in_capital_sources_are_converted(tmp_path: Path) -> None:
    qde = _project("NVivo for Windows 12.6", 31, 36)
    data = _qdpx(qde, {f"Sources/{SRC}.txt": b"\xef\xbb\xbf" + TEXT.encode("utf-8")})
    incoming = read_qdpx(Path("n.qdpx"), data)
    source = incoming.sources[0]
    segment = source.segments[0]
    assert source.text[segment.start : segment.end] == "naïve"
    assert any("UTF-16" in note for note in incoming.notes)


def test_atlas_positions_counting_crlf_as_one_are_converted(tmp_path: Path) -> None:
    qde = _project("ATLAS.ti for Windows 23.2", 16, 22, name="Second")
    incoming = read_qdpx(Path("a.qdpx"), _qdpx(qde, {f"sources/{SRC}.txt": TEXT.encode()}))
    source = incoming.sources[0]
    assert source.text[source.segments[0].start : source.segments[0].end] == "Second"
    assert "\r" not in source.text


def test_lower_case_guids_in_references_match_upper_case_definitions(tmp_path: Path) -> None:
    qde = _project("MAXQDA 24", 0, 4, guid_case="lower")
    incoming = read_qdpx(Path("m.qdpx"), _qdpx(qde, {f"sources/{SRC}.txt": b"Line one"}))
    assert len(incoming.sources[0].segments[0].codings) == 1


def test_a_selection_that_cannot_be_placed_is_listed_not_shifted(tmp_path: Path) -> None:
    qde = _project("MAXQDA 24", 5, 500)
    report_dir = tmp_path / "p"
    qdpx = tmp_path / "bad.qdpx"
    qdpx.write_bytes(_qdpx(qde, {f"sources/{SRC}.txt": b"Line one two three"}))
    report = import_file(report_dir, qdpx)
    assert report["counts"]["codings"] == 0 and len(report["unplaced"]) == 1
    assert "[5, 500)" in report["unplaced"][0]


def test_a_codebook_with_duplicate_names_under_two_parents_gets_unique_labels() -> None:
    qdc = b"""<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
    <Code guid="00000000-0000-0000-0000-00000000000a" name="A" isCodable="true">
      <Code guid="00000000-0000-0000-0000-00000000000c" name="Other" isCodable="true"/></Code>
    <Code guid="00000000-0000-0000-0000-00000000000b" name="B" isCodable="true">
      <Code guid="00000000-0000-0000-0000-00000000000d" name="Other" isCodable="true"/></Code>
    </Codes></CodeBook>"""
    incoming = read_qdc(Path("x.qdc"), qdc)
    assert [c.label for c in incoming.codes] == ["A", "Other", "B", "Other (B)"]


def test_importing_a_codebook_into_an_existing_project_reuses_codes_it_has(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p", "Existing") as project:
        project.create_code("code1")
    report = import_file(tmp_path / "p", SAMPLES / "requal_atlas23.4_codebook.qdc")
    assert report["counts"]["codes"] == 0
    assert any("already exists" in note for note in report["notes"])


@pytest.mark.parametrize("ext", [".qdpx", ".qdc"])
def test_a_file_that_is_not_refi_qda_is_refused(tmp_path: Path, ext: str) -> None:
    from workbench import BadInputError

    bad = tmp_path / f"x{ext}"
    bad.write_bytes(b"hello")
    with pytest.raises(BadInputError):
        import_file(tmp_path / "p", bad)
    assert not (tmp_path / "p").exists()
