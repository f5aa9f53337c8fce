# ruff: noqa: E501  (the fixture is QualCoder's own SQL, kept one statement a line)
"""QualCoder project folders in through the ``register_project_formats`` hook (issue 19).

QualCoder cannot run here, so the fixture is built in code from QualCoder's published schema (the
``CREATE TABLE`` statements of its ``__main__.py``, database version ``v11`` in table ``project``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli_inprocess import invoke
from tests.interop.coded import coded_texts
from workbench.core.project import Project

SCHEMA = [
    "CREATE TABLE project (databaseversion text, date text, memo text,about text, bookmarkfile integer, "
    "bookmarkpos integer, codername text)",
    "CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo text, "
    "owner text, date text, av_text_id integer, risid integer, unique(name))",
    "CREATE TABLE code_image (imid integer primary key,id integer,x1 integer, y1 integer, width integer, "
    "height integer, cid integer, memo text, date text, owner text, important integer)",
    "CREATE TABLE code_av (avid integer primary key,id integer,pos0 integer, pos1 integer, cid integer, "
    "memo text, date text, owner text, important integer)",
    "CREATE TABLE annotation (anid integer primary key, fid integer,pos0 integer, pos1 integer, memo text, "
    "owner text, date text, unique(fid,pos0,pos1,owner))",
    "CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text, caseOrFile text, "
    "valuetype text)",
    "CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text, id integer, "
    "date text, owner text, unique(name,attr_type,id))",
    "CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer, pos1 integer, "
    "owner text, date text, memo text)",
    "CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text,date text, "
    "constraint ucm unique(name))",
    "CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text, "
    "supercatid integer, unique(name))",
    "CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer,seltext text, pos0 integer, "
    "pos1 integer, owner text, date text, memo text, avid integer, important integer, "
    "unique(cid,fid,pos0,pos1, owner))",
    "CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer, owner text,"
    "date text, color text, unique(name))",
    "CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text, "
    "unique(name))",
]
D = "2024-03-01 10:00:00"
TEXT1 = "Interviewer: How was the ward?\nAnna: Busy, always busy. I felt alone."
TEXT2 = "Interviewer: Tell me about nights.\nBen: Nights were quiet and long."


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def build(folder: Path, version: str = "v11", extra: list[str] | None = None) -> Path:
    """A QualCoder project folder: data.qda with the real schema, and documents/."""
    folder.mkdir()
    (folder / "documents").mkdir()
    db = sqlite3.connect(folder / "data.qda")
    for statement in SCHEMA:
        db.execute(statement)
    db.execute(
        "INSERT INTO project VALUES(?,?,?,?,?,?,?)",
        (version, D, "Study of wards", "QualCoder 3.5", 0, 0, "ann"),
    )
    db.execute(
        "INSERT INTO source (id, name, fulltext, memo, owner, date) VALUES (1, 'anna.txt', ?, 'first', 'ann', ?)",
        (TEXT1, D),
    )
    db.execute(
        "INSERT INTO source (id, name, fulltext, memo, owner, date) VALUES (2, 'ben.txt', ?, '', 'ann', ?)",
        (TEXT2, D),
    )
    db.execute(
        "INSERT INTO source (id, name, fulltext, mediapath, owner, date) VALUES (3, 'photo.jpg', NULL, '/images/photo.jpg', 'ann', ?)",
        (D,),
    )
    db.execute("INSERT INTO code_cat VALUES (1, 'Feelings', 'ann', ?, 'emotions named', NULL)", (D,))
    db.execute("INSERT INTO code_cat VALUES (2, 'Negative', 'ann', ?, '', 1)", (D,))
    db.execute("INSERT INTO code_name VALUES (1, 'Loneliness', 'feeling alone', 2, 'ann', ?, '#fff')", (D,))
    db.execute("INSERT INTO code_name VALUES (2, 'Workload', '', NULL, 'ann', ?, '#fff')", (D,))
    db.execute("INSERT INTO code_name VALUES (3, 'Night', '', 1, 'ann', ?, '#fff')", (D,))
    codings = [
        (1, 1, 1, "I felt alone.", "ann", "lonely here"),
        (2, 1, 1, "I felt alone.", "bob", ""),
        (3, 2, 1, "Busy, always busy.", "ann", ""),
        (4, 3, 2, "Nights were quiet and long.", "bob", ""),
    ]
    for ctid, cid, fid, seltext, owner, memo in codings:
        text = TEXT1 if fid == 1 else TEXT2
        pos0, pos1 = _span(text, seltext)
        db.execute(
            "INSERT INTO code_text (ctid, cid, fid, seltext, pos0, pos1, owner, date, memo) VALUES (?,?,?,?,?,?,?,?,?)",
            (ctid, cid, fid, seltext, pos0, pos1, owner, D, memo),
        )
    db.execute(
        "INSERT INTO code_image (imid, id, x1, y1, width, height, cid, owner, date) VALUES (1, 3, 0, 0, 5, 5, 2, 'ann', ?)",
        (D,),
    )
    db.execute("INSERT INTO cases VALUES (1, 'Anna', 'nurse, day shifts', 'ann', ?)", (D,))
    db.execute(
        "INSERT INTO case_text (caseid, fid, pos0, pos1, owner, date) VALUES (1, 1, 0, ?, 'ann', ?)",
        (len(TEXT1), D),
    )
    db.execute("INSERT INTO attribute_type VALUES ('Age band', ?, 'ann', '', 'case', 'character')", (D,))
    db.execute("INSERT INTO attribute_type VALUES ('Years', ?, 'ann', '', 'case', 'numeric')", (D,))
    db.execute("INSERT INTO attribute VALUES (1, 'Age band', 'case', '30-39', 1, ?, 'ann')", (D,))
    db.execute("INSERT INTO attribute VALUES (2, 'Years', 'case', '7', 1, ?, 'ann')", (D,))
    db.execute(
        "INSERT INTO journal VALUES (1, 'Reflexive journal', 'I worked nights myself.', ?, 'ann')", (D,)
    )
    start, end = _span(TEXT2, "quiet")
    db.execute("INSERT INTO annotation VALUES (1, 2, ?, ?, 'note the silence', 'bob', ?)", (start, end, D))
    for statement in extra or []:
        db.execute(statement)
    db.commit()
    db.close()
    return folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_qualcoder_project_imports_sources_codes_codings_cases_and_memos(tmp_path: Path) -> None:
    folder = build(tmp_path / "wards.qda")
    before = _digest(folder / "data.qda")
    report = tmp_path / "fidelity.json"
    result = invoke("import", str(tmp_path / "p"), str(folder), "--report", str(report))
    assert "imported" in result.out and "QualCoder 3.5 (database v11)" in result.out
    assert _digest(folder / "data.qda") == before  # read-only: byte-identical afterwards
    assert sorted(p.name for p in folder.iterdir()) == ["data.qda", "documents"]  # no journal/-shm left
    with Project.open(tmp_path / "p", readonly=True) as project:
        assert project.title == "wards"
        assert sorted(s["filename"] for s in project.sources()) == ["anna.txt", "ben.txt"]
        codes = {c["label"]: c for c in project.codes()}
        by_id = {c["id"]: c["label"] for c in project.codes()}
        assert set(codes) == {"Feelings", "Negative", "Loneliness", "Workload", "Night"}
        assert by_id[codes["Loneliness"]["parent_id"]] == "Negative"
        assert by_id[codes["Negative"]["parent_id"]] == "Feelings"
        assert by_id[codes["Night"]["parent_id"]] == "Feelings"
        assert codes["Workload"].get("parent_id") is None
        assert codes["Loneliness"]["definition"] == "feeling alone"
        assert coded_texts(project) == [
            ("anna.txt", "Loneliness", "ann", "I felt alone."),
            ("anna.txt", "Loneliness", "bob", "I felt alone."),
            ("anna.txt", "Workload", "ann", "Busy, always busy."),
            ("ben.txt", "Night", "bob", "Nights were quiet and long."),
        ]
        people = {p["pseudonym"]: p for p in project.participants()}
        assert people["Anna"]["attributes"] == {"Age band": "30-39", "Years": 7}
        anna = next(s for s in project.sources() if s["filename"] == "anna.txt")
        assert anna["participant_id"] == people["Anna"]["id"]
        assert "ben" in people  # a source in no case gets a participant of its own
        memos = {m["title"]: m for m in project.store.all("memos").values()}
        assert memos["Reflexive journal"]["type"] == "journal"
        assert {"Project memo", "Memo on anna.txt", "Memo on case Anna", "Annotation on ben.txt"} <= set(
            memos
        )
    fidelity = json.loads(report.read_text(encoding="utf-8"))
    assert fidelity["file_format"] == "qualcoder"
    dropped = {
        (i["kind"], i["id"])
        for e in fidelity["elements"].values()
        for i in e["items"]
        if i["action"] == "dropped"
    }
    assert dropped == {("source", "3"), ("coding", "code_image-1")}
    codings = fidelity["elements"]["codings"]
    assert (codings["found"], codings["imported"], codings["dropped"]) == (5, 4, 1)


def test_workbench_formats_lists_the_qualcoder_format() -> None:
    out = invoke("formats", "--json").out
    data = json.loads(out)
    assert any(f["name"] == "qualcoder" and f["extensions"] == [".qda"] for f in data["project_formats"])
    assert ".qda (qualcoder)" in data["project_imports"]
    assert "a folder holding data.qda (qualcoder)" in data["project_imports"]


def test_a_qualcoder_folder_without_the_qda_name_imports_by_its_data_qda(tmp_path: Path) -> None:
    folder = build(tmp_path / "wards.qda")
    plain = folder.rename(tmp_path / "wards")  # unpacked or renamed without its .qda
    result = json.loads(invoke("import", str(tmp_path / "p"), str(plain), "--json").out)
    assert result["kind"] == "qualcoder"
    with Project.open(tmp_path / "p", readonly=True) as project:
        assert project.title == "wards" and len(project.sources()) == 2


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    folder = build(tmp_path / "wards.qda")
    result = invoke("import", str(tmp_path / "p"), str(folder), "--dry-run", "--json")
    assert json.loads(result.out)["dry_run"] is True
    assert not (tmp_path / "p").exists()


def test_offsets_past_the_end_are_left_out_and_listed(tmp_path: Path) -> None:
    bad = f"INSERT INTO code_text (ctid, cid, fid, seltext, pos0, pos1, owner, date) VALUES (9, 2, 2, 'x', 10, {len(TEXT2) + 5}, 'ann', '{D}')"
    folder = build(tmp_path / "wards.qda", extra=[bad])
    result = invoke("import", str(tmp_path / "p"), str(folder))
    assert (
        f"dropped   coding 'code 2 on ben.txt' (9): its offsets 10-{len(TEXT2) + 5} lie past the end"
        in result.out
    )
    with Project.open(tmp_path / "p", readonly=True) as project:
        assert len(coded_texts(project)) == 4


def _refused(tmp_path: Path, file: Path, expected: str) -> None:
    before = _digest(file / "data.qda" if file.is_dir() else file)
    result = invoke("import", str(tmp_path / "p"), str(file), ok=False)
    assert result.code != 0 and result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.err
    assert not (tmp_path / "p").exists()
    assert _digest(file / "data.qda" if file.is_dir() else file) == before


def test_a_newer_schema_version_is_refused(tmp_path: Path) -> None:
    _refused(
        tmp_path, build(tmp_path / "new.qda", version="v99"), "written by a newer QualCoder (database v99)"
    )


def test_a_corrupt_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "bad.qda"
    folder.mkdir()
    (folder / "data.qda").write_bytes(b"this is not a database at all" * 100)
    _refused(tmp_path, folder, "not an SQLite database")


def test_a_truncated_database_is_refused(tmp_path: Path) -> None:
    folder = build(
        tmp_path / "cut.qda", extra=[f"INSERT INTO journal VALUES (2, 'long', '{'x' * 20000}', '{D}', 'ann')"]
    )
    data = (folder / "data.qda").read_bytes()
    (folder / "data.qda").write_bytes(data[: len(data) // 2])
    _refused(tmp_path, folder, "damaged or truncated")


def test_another_tools_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "tag.qda"
    folder.mkdir()
    db = sqlite3.connect(folder / "data.qda")
    db.execute("CREATE TABLE documents (id integer primary key, contents text)")
    db.execute("CREATE TABLE highlights (id integer primary key, start_offset integer, end_offset integer)")
    db.execute("CREATE TABLE tags (id integer primary key, path text)")
    db.commit()
    db.close()
    _refused(tmp_path, folder, "this is a Taguette project, not QualCoder")


def test_a_folder_without_data_qda_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "empty.qda"
    folder.mkdir()
    result = invoke("import", str(tmp_path / "p"), str(folder), ok=False)
    assert "no data.qda" in result.err and not (tmp_path / "p").exists()


@pytest.mark.parametrize("suffix", [".db"])
def test_an_sqlite_file_no_format_claims_is_refused_in_one_line(tmp_path: Path, suffix: str) -> None:
    file = tmp_path / f"x{suffix}"
    sqlite3.connect(file).execute("CREATE TABLE t (a)").connection.commit()
    result = invoke("import", str(tmp_path / "p"), str(file), ok=False)
    assert "an SQLite database that no project format reads" in result.err
