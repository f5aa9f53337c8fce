"""Issue 19, REFI-QDA: real files from other tools come in, and a fidelity report says what did and did not.

The fixture (`nvivo_mac`) is written as NVivo for Mac writes a project: near-empty plain text and the words
in a .docx, plus everything else a real project has. Every figure of the report is checked, and that all
the rest of the project came in.
"""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from wb_interop.project_import import import_file

from tests.cli.conftest import tree_digest
from tests.cli_inprocess import invoke
from tests.interop import nvivo_mac as nv
from tests.interop.conftest import docx_bytes
from workbench import BadInputError
from workbench.core.project import Project


def figures(report: dict[str, Any], element: str) -> tuple[int, int, int, int]:
    e = report["elements"][element]
    verb = "imported" if report["direction"] == "import" else "exported"
    return e["found"], e[verb], e["converted"], e["dropped"]


def items(report: dict[str, Any], element: str, action: str = "") -> dict[str, dict[str, str]]:
    """The element's items by id (only those with `action`, when given)."""
    return {i["id"]: i for i in report["elements"][element]["items"] if not action or i["action"] == action}


@pytest.fixture
def qdpx(tmp_path: Path) -> Path:
    return nv.write_qdpx(tmp_path / "nvivo-mac.qdpx")


@pytest.fixture
def imported(tmp_path: Path, qdpx: Path) -> tuple[dict[str, Any], Path]:
    return import_file(tmp_path / "study", qdpx), tmp_path / "study"


def _texts(project: Project) -> dict[str, str]:
    return {s["filename"]: project.current_text(s["id"])[1].text for s in project.sources()}


def _coded(project: Project) -> list[tuple[str, str, str]]:
    codes = {c["id"]: c["label"] for c in project.codes()}
    out = []
    for coding in project.rows("codings"):
        segment = project.get("segments", coding["segment_id"]) or {}
        text = project.text_record(segment["version_id"]).text[segment["start"] : segment["end"]]
        out.append((codes[coding["code_id"]], coding["coder"], text))
    return sorted(out)


# -- the report's figures ----------------------------------------------------------------------------------
def test_every_figure_of_the_report_for_a_project_written_like_nvivo_for_mac(
    imported: tuple[dict[str, Any], Path],
) -> None:
    report = imported[0]["fidelity"]
    assert {e: figures(report, e) for e in nv.EXPECTED} == nv.EXPECTED
    assert report["origin"] == nv.ORIGIN and report["new_project"] and not report["dry_run"]


def test_found_is_imported_plus_dropped_and_each_converted_or_dropped_element_is_named(
    imported: tuple[dict[str, Any], Path],
) -> None:
    report = imported[0]["fidelity"]
    for element, e in report["elements"].items():
        assert e["found"] == e["imported"] + e["dropped"], element
        assert len(e["items"]) == e["converted"] + e["dropped"], element
        for item in e["items"]:
            assert (
                item["id"] and item["name"] and item["reason"] and item["action"] in ("converted", "dropped")
            )


def test_the_sources_left_out_are_named_with_their_reasons(imported: tuple[dict[str, Any], Path]) -> None:
    report = imported[0]["fidelity"]
    dropped = {i["name"]: i["reason"] for i in items(report, "sources", "dropped").values()}
    assert set(dropped) == {"Scanned consent", "Blank transcript", "Old notes"}
    assert "PDF source" in dropped["Scanned consent"]
    assert (
        "has no text" in dropped["Blank transcript"]
        and "no rich-text document" in dropped["Blank transcript"]
    )
    assert "is RTF" in dropped["Old notes"]
    (rich,) = items(report, "sources", "converted").values()
    assert rich["name"] == "Interview Alex" and "rich-text document" in rich["reason"]
    assert rich["reason"].startswith("its plain text is empty")


def test_the_selection_outside_the_text_and_those_of_sources_left_out_are_named(
    imported: tuple[dict[str, Any], Path],
) -> None:
    report, _ = imported
    selections = items(report["fidelity"], "selections", "dropped")
    outside = selections["a0000003-0000-4000-8000-000000000003"]
    assert outside["name"] == "beyond" and "[5000, 5010) is outside" in outside["reason"]
    assert "123 characters" in outside["reason"]
    assert "Scanned consent" in selections["a0000005-0000-4000-8000-000000000005"]["reason"]
    assert "Blank transcript" in selections["a0000006-0000-4000-8000-000000000006"]["reason"]
    assert len(report["unplaced"]) == 1 and "[5000, 5010)" in report["unplaced"][0]
    codings = items(report["fidelity"], "codings", "dropped")
    assert codings["b0000003-0000-4000-8000-000000000003"]["reason"] == "its selection could not be placed"
    converted = items(report["fidelity"], "selections", "converted")
    assert "its description is kept as a note" in converted["a0000001-0000-4000-8000-000000000001"]["reason"]


def test_unlisted_archive_members_are_ignored_and_listed(imported: tuple[dict[str, Any], Path]) -> None:
    members = items(imported[0]["fidelity"], "members")
    assert set(members) == {"sources/.root", "Sources/ORPHAN.txt", f"Sources/{nv.S_PDF}.pdf"}
    assert "hidden file" in members["sources/.root"]["reason"]
    assert "does not refer to it" in members["Sources/ORPHAN.txt"]["reason"]
    assert "Scanned consent" in members[f"Sources/{nv.S_PDF}.pdf"]["reason"]


def test_users_variables_and_graphs_are_reported(imported: tuple[dict[str, Any], Path]) -> None:
    report = imported[0]["fidelity"]
    users = items(report, "users")
    assert users[nv.U_IDLE.lower()]["action"] == "dropped"
    assert users[nv.U_NONAME.lower()]["name"] == "user 00000002"
    variables = items(report, "variables")
    assert variables[nv.V_UNUSED.lower()]["reason"] == "no case or source has a value for it"
    sam = variables[f"{nv.V_AGE.lower()}@{nv.CASE_SAM.lower()}"]
    assert (sam["action"], sam["reason"]) == ("dropped", "'forty' is not a valid integer")
    source_value = variables[f"{nv.V_ROLE.lower()}@{nv.S_PLAIN.lower()}"]
    assert source_value["action"] == "converted" and "attribute of the participant" in source_value["reason"]
    (graph,) = items(report, "graphs").values()
    assert (
        "kept as the note 'Graph: Early model'" in graph["reason"]
        and "2 vertices and 1 edge" in graph["reason"]
    )


# -- everything else came in ------------------------------------------------------------------------------
def test_the_rich_text_gives_the_words_and_selections_land_on_them(
    imported: tuple[dict[str, Any], Path],
) -> None:
    with Project.open(imported[1], readonly=True) as project:
        texts = _texts(project)
        assert texts == {"Interview Alex.txt": nv.RICH_TEXT, "Focus group.txt": nv.PLAIN_TEXT}
        assert _coded(project) == sorted(
            [
                ("Joy", "Ana", "first meeting"),
                ("Joy", "user 00000002", "felt like home"),
                ("Hope", "Ana", nv.RICH_TEXT),  # coded the whole source
                ("Joy", "Ana", "laughed a lot"),
            ]
        )


def test_codes_without_selections_cases_variables_notes_sets_links_and_graphs_came_in(
    imported: tuple[dict[str, Any], Path],
) -> None:
    with Project.open(imported[1], readonly=True) as project:
        codes = {c["label"]: c for c in project.codes()}
        assert set(codes) == {"Joy", "Fear", "Themes", "Hope"}
        assert codes["Hope"]["parent_id"] == codes["Themes"]["id"] and codes["Joy"]["color"] == "#FF0000"
        people = {p["pseudonym"]: p["attributes"] for p in project.participants()}
        assert people["Alex"] == {"description": "Ward nurse", "Age": 34, "Role": "nurse"}
        assert people["Sam"] == {}
        assert {"Role": "teacher"} in people.values()
        alex = next(p["id"] for p in project.participants() if p["pseudonym"] == "Alex")
        rich = next(s for s in project.sources() if s["filename"] == "Interview Alex.txt")
        assert rich["participant_id"] == alex
        joy, fear = f"code:{codes['Joy']['id']}", f"code:{codes['Fear']['id']}"
        memos = {m["title"]: m for m in project.rows("memos")}
        assert memos["Memo on joy"]["links"] == [joy] and memos["Memo on joy"]["author"] == "Bo"
        assert memos["About the scan"]["links"] == []
        assert memos["Graph: Early model"]["links"] == [joy, fear]
        assert "- Joy -> Fear (tempers)" in memos["Graph: Early model"]["body"]
        assert memos["Note on a passage of Interview Alex"]["body"] == "Alex hesitates here."
        (group,) = project.rows("sets")
        assert group["members"] == [joy, f"source:{rich['id']}"]
        (link,) = project.rows("links")
        assert (link["origin"], link["target"], link["relation"]) == (joy, fear, "tempers")


def test_the_imported_project_passes_every_integrity_check(imported: tuple[dict[str, Any], Path]) -> None:
    from workbench.core.integrity import check_project

    with Project.open(imported[1], readonly=True) as project:
        assert check_project(project) == []


# -- the CLI: table, capped items, complete JSON, dry run ---------------------------------------------------
def test_the_cli_prints_the_table_and_caps_the_items_and_the_report_file_has_them_all(
    tmp_path: Path, qdpx: Path
) -> None:
    out = tmp_path / "fidelity.json"
    result = invoke("import", str(tmp_path / "study"), str(qdpx), "--report", str(out))
    lines = result.out.splitlines()
    assert lines[0].startswith(f"imported {qdpx} into new project")
    assert "fidelity report (written by NVivo for Mac 15.0.0):" in lines
    assert any(line.split() == ["sources", "5", "2", "1", "3"] for line in lines)
    assert any(line.split() == ["graphs", "1", "1", "1", "0"] for line in lines)
    report = json.loads(out.read_text(encoding="utf-8"))
    total = sum(len(e["items"]) for e in report["elements"].values())
    shown = [line for line in lines if line.lstrip().startswith(("dropped ", "converted "))]
    assert len(shown) == 20 and total > 20
    assert f"  ... and {total - 20} more (all of them in {out})" in lines
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert {e: figures(report, e) for e in nv.EXPECTED} == nv.EXPECTED
    json_out = json.loads(invoke("import", str(tmp_path / "again"), str(qdpx), "--json").out)
    assert json_out["fidelity"]["elements"] == report["elements"]


def test_a_dry_run_into_a_new_folder_creates_nothing_and_reports_the_same(tmp_path: Path, qdpx: Path) -> None:
    out = tmp_path / "dry.json"
    result = invoke("import", str(tmp_path / "study"), str(qdpx), "--dry-run", "--report", str(out))
    assert result.out.startswith(f"dry run: {qdpx} would be imported into new project")
    assert not (tmp_path / "study").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dry.json", "nvivo-mac.qdpx"]
    dry = json.loads(out.read_text(encoding="utf-8"))
    real = import_file(tmp_path / "study", qdpx)
    assert dry["dry_run"] and dry["elements"] == real["fidelity"]["elements"]


def test_a_dry_run_into_an_existing_project_leaves_it_byte_for_byte(tmp_path: Path, qdpx: Path) -> None:
    with Project.create(tmp_path / "existing", "Existing") as project:
        project.create_code("Joy")
    before = tree_digest(tmp_path / "existing")
    report = import_file(tmp_path / "existing", qdpx, dry_run=True)
    assert tree_digest(tmp_path / "existing") == before
    assert report["dry_run"] and report["counts"]["codes"] == 3  # "Joy" would join the project's own
    assert any("already exists" in note for note in report["notes"])
    assert import_file(tmp_path / "existing", qdpx)["counts"] == report["counts"]


def test_a_refused_import_writes_no_report_and_nothing_else(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("../escape.txt", b"x")
    out = tmp_path / "r.json"
    for extra in ((), ("--dry-run",)):
        result = invoke("import", str(tmp_path / "new"), str(bad), "--report", str(out), *extra, ok=False)
        assert result.code == 2 and len(result.err.strip().splitlines()) == 1 and "climbs out" in result.err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.qdpx"]


def test_a_report_that_cannot_be_written_is_refused_before_the_import(tmp_path: Path, qdpx: Path) -> None:
    result = invoke(
        "import", str(tmp_path / "study"), str(qdpx), "--report", str(tmp_path / "no" / "r.json"), ok=False
    )
    assert result.code == 2 and "folder for the report does not exist" in result.err
    assert not (tmp_path / "study").exists()


# -- variations of the rich text ----------------------------------------------------------------------------
def _variant(tmp_path: Path, **changes: bytes) -> Path:
    files = nv.members()
    for name, data in changes.items():
        files[name.replace("__", "/")] = data
    return nv.write_qdpx(tmp_path / "variant.qdpx", files)


def test_a_rich_text_document_with_a_dtd_is_refused_as_one_source_and_nothing_of_it_is_read(
    tmp_path: Path,
) -> None:
    hostile = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(nv.rich_docx())) as original, zipfile.ZipFile(hostile, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
            copy.writestr(info, data)
    path = _variant(tmp_path, **{f"Sources__{nv.S_RICH}.docx": hostile.getvalue()})
    report = import_file(tmp_path / "study", path)["fidelity"]
    dropped = items(report, "sources", "dropped")
    assert "DTD" in dropped[nv.S_RICH.lower()]["reason"]
    assert figures(report, "sources") == (5, 1, 0, 4)
    with Project.open(tmp_path / "study", readonly=True) as project:
        assert _texts(project) == {"Focus group.txt": nv.PLAIN_TEXT}


def test_plain_text_that_holds_none_of_the_selections_gives_way_to_the_rich_text(tmp_path: Path) -> None:
    path = _variant(tmp_path, **{f"Sources__{nv.S_RICH}.txt": b"[text held in the document]"})
    report = import_file(tmp_path / "study", path)["fidelity"]
    (rich,) = items(report, "sources", "converted").values()
    assert "holds none of its selections" in rich["reason"]
    with Project.open(tmp_path / "study", readonly=True) as project:
        assert _texts(project)["Interview Alex.txt"] == nv.RICH_TEXT


def test_with_words_in_the_plain_text_the_rich_text_is_listed_as_not_used(tmp_path: Path) -> None:
    """As NVivo for Windows writes it: the plain text has the words, the .docx only the formatting."""
    path = _variant(tmp_path, **{f"Sources__{nv.S_RICH}.txt": nv.RICH_TEXT.encode("utf-8")})
    report = import_file(tmp_path / "study", path)["fidelity"]
    assert figures(report, "sources") == (5, 2, 0, 3)
    docx = items(report, "members")[f"Sources/{nv.S_RICH}.docx"]
    assert "its plain text was imported instead" in docx["reason"]
    converted = items(report, "selections", "converted")
    assert "re-based" in converted["a0000002-0000-4000-8000-000000000002"]["reason"]
    with Project.open(tmp_path / "study", readonly=True) as project:
        assert ("Joy", "user 00000002", "felt like home") in _coded(project)


def test_an_odt_rich_text_document_is_read_too(tmp_path: Path) -> None:
    from odf import text
    from odf.opendocument import OpenDocumentText  # type: ignore[import-untyped]

    document = OpenDocumentText()
    for paragraph in nv.PARAGRAPHS:
        document.text.addElement(text.P(text=paragraph))
    out = io.BytesIO()
    document.save(out)
    files = nv.members()
    del files[f"Sources/{nv.S_RICH}.docx"]
    files[f"Sources/{nv.S_RICH}.odt"] = out.getvalue()
    files["project.qde"] = files["project.qde"].replace(
        f"{nv.S_RICH}.docx".encode(), f"{nv.S_RICH}.odt".encode()
    )
    report = import_file(tmp_path / "study", nv.write_qdpx(tmp_path / "odt.qdpx", files))
    assert figures(report["fidelity"], "selections") == nv.EXPECTED["selections"]
    with Project.open(tmp_path / "study", readonly=True) as project:
        assert _texts(project)["Interview Alex.txt"] == nv.RICH_TEXT


def test_paragraph_breaks_counted_as_two_are_detected_from_the_selections(tmp_path: Path) -> None:
    """Another writer counts CR LF between paragraphs: the selections' names decide, not a guess."""

    def build(document: Any) -> None:
        for paragraph in ("Interviewer: And then?", "Kim: Then we laughed about it.", "Kim: A lot."):
            document.add_paragraph(paragraph)

    flat = "Interviewer: And then?\r\nKim: Then we laughed about it.\r\nKim: A lot."
    start = flat.index("laughed about")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Some tool">
  <CodeBook><Codes><Code guid="{nv.C_JOY}" name="Joy" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="{nv.S_RICH}" name="Kim" richTextPath="internal://{nv.S_RICH}.docx">
    <PlainTextSelection guid="A0000001-0000-4000-8000-000000000001" name="laughed about"
        startPosition="{start}" endPosition="{start + 13}">
      <Coding guid="B0000001-0000-4000-8000-000000000001"><CodeRef targetGUID="{nv.C_JOY}"/></Coding>
    </PlainTextSelection>
    <PlainTextSelection guid="A0000002-0000-4000-8000-000000000002" name="A lot"
        startPosition="{flat.index("A lot")}" endPosition="{flat.index("A lot") + 5}">
      <Coding guid="B0000002-0000-4000-8000-000000000002"><CodeRef targetGUID="{nv.C_JOY}"/></Coding>
    </PlainTextSelection>
  </TextSource></Sources>
</Project>"""
    path = nv.write_qdpx(
        tmp_path / "crlf.qdpx", {"project.qde": qde.encode(), f"sources/{nv.S_RICH}.docx": docx_bytes(build)}
    )
    report = import_file(tmp_path / "study", path)["fidelity"]
    assert all("two" in i["reason"] for i in items(report, "selections").values())
    with Project.open(tmp_path / "study", readonly=True) as project:
        assert [t for _, _, t in _coded(project)] == ["A lot", "laughed about"]
        assert all(c == "unknown" for _, c, _ in _coded(project))
    assert all("coder 'unknown'" in i["reason"] for i in items(report, "codings").values())


# -- our own files and other formats ----------------------------------------------------------------------
def test_our_own_qdpx_comes_back_with_nothing_converted_or_dropped(coded: Project, tmp_path: Path) -> None:
    from wb_interop.refi_export import export_qdpx

    report = import_file(tmp_path / "copy", export_qdpx(coded, tmp_path / "own.qdpx"))["fidelity"]
    assert [i for e in report["elements"].values() for i in e["items"]] == []
    assert figures(report, "codes") == (2, 2, 0, 0) and figures(report, "records") == (1, 1, 0, 0)


def test_a_codebook_import_reports_codes_and_sets(tmp_path: Path) -> None:
    from tests.interop.test_refi_import import SAMPLES

    report = import_file(tmp_path / "cb", SAMPLES / "requal_atlas23.4_codebook.qdc")["fidelity"]
    assert report["file_format"] == "qdc"
    assert figures(report, "codes") == (1, 1, 0, 0) and figures(report, "sets") == (1, 1, 0, 0)


def test_an_archive_import_reports_every_table_as_imported(coded: Project, tmp_path: Path) -> None:
    from wb_interop.archive import export_archive

    archive = export_archive(coded, tmp_path / "a.zip")
    report = import_file(tmp_path / "restored", archive, dry_run=True)
    assert not (tmp_path / "restored").exists()
    elements = report["fidelity"]["elements"]
    assert elements["codes"] == {"found": 2, "imported": 2, "converted": 0, "dropped": 0, "items": []}


def test_a_broken_qde_is_still_refused_in_one_line(tmp_path: Path) -> None:
    path = nv.write_qdpx(tmp_path / "x.qdpx", {"project.qde": b"<Project", "sources/.root": b""})
    with pytest.raises(BadInputError, match="not well-formed"):
        import_file(tmp_path / "p", path)
    assert not (tmp_path / "p").exists()


# -- export qdpx: what REFI-QDA cannot hold, and where it went -------------------------------------------
def test_export_qdpx_writes_the_fidelity_report_of_what_went_where(coded: Project, tmp_path: Path) -> None:
    from tests.interop.conftest import TEXT
    from workbench import ImportedTranscript

    sid = coded.sources()[0]["id"]
    coded.correct_source(sid, ImportedTranscript(TEXT.replace("Honestly", "Frankly")))
    coded.update_participant("P01", attributes={"band": "30-39"})
    directory = coded.path
    coded.close()
    out, report_path = tmp_path / "study.qdpx", tmp_path / "export-report.json"
    result = invoke("export", str(directory), "qdpx", "-o", str(out), "--option", f"report={report_path}")
    assert f"wrote {report_path}" in result.out
    assert stat.S_IMODE(report_path.stat().st_mode) == 0o600
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["direction"] == "export" and report["file"] == str(out)
    assert figures(report, "versions") == (1, 0, 0, 1)
    assert "only the current one is exported" in next(iter(items(report, "versions").values()))["reason"]
    assert figures(report, "audit")[3] == 1 and "archive" in items(report, "audit")["audit"]["reason"]
    assert figures(report, "records")[2] == 1 and figures(report, "clusters") == (1, 1, 1, 0)
    (link,) = items(report, "links").values()
    assert "evidence" in link["reason"]
    assert figures(report, "variables") == (1, 1, 0, 0)
    assert {line["what"] for line in report["carried"]} >= {"memo types", "code levels and kinds"}
    with zipfile.ZipFile(out) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert 'name="band" typeOfVariable="Text"' in qde and "<TextValue>30-39</TextValue>" in qde
    with Project.open(directory, readonly=True) as project:
        manifest = [r["data"] for r in project.records() if r["kind"] == "export.manifest"][-1]
    assert [Path(f["path"]).name for f in manifest["files"]] == ["study.qdpx", "export-report.json"]


def test_typed_attributes_from_another_tool_are_exported_as_typed_variables(
    imported: tuple[dict[str, Any], Path], tmp_path: Path
) -> None:
    from wb_interop.refi_export import export_qdpx
    from wb_interop.validate import validate_qdpx

    with Project.open(imported[1], readonly=True) as project:
        out = export_qdpx(project, tmp_path / "again.qdpx")
    validate_qdpx(out)
    with zipfile.ZipFile(out) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert 'name="Age" typeOfVariable="Integer"' in qde and "<IntegerValue>34</IntegerValue>" in qde
    assert 'color="#FF0000"' in qde
    report = import_file(tmp_path / "back", out)
    with Project.open(tmp_path / "back", readonly=True) as project:
        people = {p["pseudonym"]: p["attributes"] for p in project.participants()}
        assert people["Alex"]["Age"] == 34
        assert project.code_by_label("Joy")["color"] == "#FF0000"
    assert [i for e in report["fidelity"]["elements"].values() for i in e["items"]] == []


# -- the guards still come first ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("member", "data", "message"),
    [
        ("../escape.txt", b"x", "climbs out"),
        (f"Sources/{nv.S_RICH}.docx", b"\0" * (20 * 1024 * 1024), "zip bomb"),
    ],
)
def test_an_unsafe_member_still_refuses_the_whole_archive_even_in_a_dry_run(
    tmp_path: Path, member: str, data: bytes, message: str
) -> None:
    files = {**nv.members(), member: data}
    path = nv.write_qdpx(tmp_path / "bad.qdpx", files)
    for dry_run in (True, False):
        with pytest.raises(BadInputError, match=message):
            import_file(tmp_path / "new", path, dry_run=dry_run)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.qdpx"]


def test_a_dry_run_refuses_what_the_import_would_refuse_and_writes_nothing(tmp_path: Path) -> None:
    from wb_interop import apply
    from wb_interop import incoming as inc

    with Project.create(tmp_path / "existing", "Existing") as project:
        project.create_code("Keep me")
    content = inc.Incoming(
        title="x",
        sources=[inc.Source("source:1", "a.txt", "Some words.\n", participant="participant:missing")],
    )
    before = tree_digest(tmp_path / "existing")
    with (
        Project.open(tmp_path / "existing", readonly=True) as project,
        pytest.raises(BadInputError, match="does not hold"),
    ):
        apply.write(
            project, apply.to_content(content), "import", keep_ids=False, undoable=True, check_only=True
        )
    assert tree_digest(tmp_path / "existing") == before


def test_the_report_holds_nothing_unsafe_from_a_hostile_file(tmp_path: Path) -> None:
    from tests.interop.test_hostile_imports import qdpx as hostile
    from workbench.core.untrusted import unsafe_strings

    path = hostile(tmp_path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("sources/\x1b]0;owned\x07.txt", b"x")  # a member name with an escape sequence
    report = import_file(tmp_path / "new", path)["fidelity"]
    assert len(items(report, "members")) == 1
    assert list(unsafe_strings(report)) == []


def test_export_qdpx_prints_the_table_and_items_after_what_it_wrote_and_json_has_the_report(
    coded: Project, tmp_path: Path
) -> None:
    directory = coded.path
    coded.close()
    out = tmp_path / "study.qdpx"
    lines = invoke("export", str(directory), "qdpx", "-o", str(out)).out.splitlines()
    assert lines[0] == f"wrote {out}"
    assert lines[1] == "fidelity report (what the .qdpx holds of the project):"
    assert lines[2].split() == ["element", "found", "exported", "converted", "dropped"]
    assert ["codings", "3", "3", "0", "0"] in [line.split() for line in lines]
    assert ["audit", "1", "0", "0", "1"] in [line.split() for line in lines]
    assert any(line.startswith("  dropped   audit event 'audit log (") for line in lines)
    assert any(line.startswith("  converted cluster 'Safety'") for line in lines)
    assert any(line.startswith("  carried   memo types:") for line in lines)
    data = json.loads(
        invoke("export", str(directory), "qdpx", "-o", str(tmp_path / "again.qdpx"), "--json").out
    )
    assert data["files"] == [str(tmp_path / "again.qdpx")]
    fidelity = data["fidelity"]
    assert fidelity["direction"] == "export" and fidelity["file_format"] == "qdpx"
    assert figures(fidelity, "clusters") == (1, 1, 1, 0) and figures(fidelity, "audit") == (1, 0, 0, 1)
    with Project.open(directory, readonly=True) as project:
        events = project.audit_length()
        assert events == len(project.audit_events())
    # counted when the file was written, before the export's manifest entry added one more event
    assert items(fidelity, "audit")["audit"]["name"] == f"audit log ({events - 1:,} events)"


def test_export_qdc_reports_the_codes_kept_and_every_kind_a_codebook_cannot_hold(
    coded: Project, tmp_path: Path
) -> None:
    coded.update_participant("P01", attributes={"band": "30-39"})
    directory = coded.path
    coded.close()
    out, report_path = tmp_path / "codes.qdc", tmp_path / "qdc-report.json"
    result = invoke("export", str(directory), "qdc", "-o", str(out), "--option", f"report={report_path}")
    lines = result.out.splitlines()
    assert lines[:3] == [
        f"wrote {out}",
        f"wrote {report_path}",
        "fidelity report (what the .qdc codebook holds of the project):",
    ]
    assert "  dropped   all 3 codings: a REFI-QDA codebook holds only codes and sets of codes" in lines
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["file_format"] == "qdc" and report["direction"] == "export"
    assert figures(report, "codes") == (2, 2, 0, 0)
    assert figures(report, "sources") == (1, 0, 0, 1) and figures(report, "codings") == (3, 0, 0, 3)
    assert figures(report, "selections") == (2, 0, 0, 2) and figures(report, "notes") == (2, 0, 0, 2)
    assert figures(report, "cases") == (1, 0, 0, 1) and figures(report, "variables") == (1, 0, 0, 1)
    assert figures(report, "links") == (1, 0, 0, 1) and figures(report, "records") == (1, 0, 0, 1)
    assert figures(report, "project") == (1, 0, 0, 1) and figures(report, "audit") == (1, 0, 0, 1)
    (whole,) = report["elements"]["codings"]["items"]
    assert whole == {
        "kind": "coding",
        "id": "*",
        "name": "all 3 codings",
        "action": "dropped",
        "reason": "a REFI-QDA codebook holds only codes and sets of codes",
        "count": 3,
    }
    # the set holds a code and a source: a set of the code; the cluster a code: the set 'Cluster: Safety'
    assert items(report, "sets", "converted") and figures(report, "sets") == (1, 1, 1, 0)
    assert figures(report, "clusters") == (1, 1, 1, 0)
    for figures_ in report["elements"].values():
        assert figures_["found"] == figures_["exported"] + figures_["dropped"]
    data = json.loads(invoke("export", str(directory), "qdc", "-o", str(tmp_path / "b.qdc"), "--json").out)
    assert data["fidelity"]["elements"]["codes"] == report["elements"]["codes"]


def test_a_codebook_fidelity_names_a_retired_code_and_its_lineage(coded: Project, tmp_path: Path) -> None:
    from wb_interop.refi_export import codebook_fidelity

    coded.create_code("Relief at last")
    coded.merge_codes(["Relief at last"], "Relief")
    report = codebook_fidelity(coded, tmp_path / "c.qdc").to_json()
    converted = items(report, "codes", "converted")
    assert any("status only in its description line" in i["reason"] for i in converted.values())
    assert any("lineage" in i["reason"] and "not exported" in i["reason"] for i in converted.values())
