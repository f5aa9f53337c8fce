# ruff: noqa: E501  (the fixture is Taguette's own SQL, kept one statement a line)
"""Taguette project databases (``.sqlite3``) in through the ``register_project_formats`` hook.

Taguette cannot run here, so the fixture is built in code from Taguette's published schema (the tables
of ``taguette/database/models.py`` at alembic revision ``db5e31a0233d``). Highlight offsets are what
Taguette's ``extract.py`` counts: UTF-8 bytes of the HTML's text nodes, tags not counted.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from tests.cli_inprocess import invoke
from tests.interop.coded import coded_texts
from tests.interop.test_qualcoder import build as build_qualcoder
from workbench.core.project import Project

SCHEMA = [
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
    "CREATE TABLE users (login VARCHAR(30) NOT NULL, created DATETIME NOT NULL, hashed_password VARCHAR(192), disabled BOOLEAN NOT NULL, password_set_date DATETIME, language VARCHAR(10), email VARCHAR(256), email_sent DATETIME, PRIMARY KEY (login))",
    "CREATE TABLE projects (id INTEGER NOT NULL, name VARCHAR(200) NOT NULL, description TEXT NOT NULL, created DATETIME NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE project_members (project_id INTEGER NOT NULL, user_login VARCHAR(30) NOT NULL, privileges VARCHAR(11) NOT NULL, PRIMARY KEY (project_id, user_login))",
    "CREATE TABLE documents (id INTEGER NOT NULL, name VARCHAR(200) NOT NULL, description TEXT NOT NULL, filename VARCHAR(200) NOT NULL, created DATETIME NOT NULL, project_id INTEGER NOT NULL, text_direction VARCHAR(13) NOT NULL, contents TEXT NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE commands (id INTEGER NOT NULL, date DATETIME NOT NULL, user_login VARCHAR(30) NOT NULL, project_id INTEGER NOT NULL, document_id INTEGER, payload TEXT NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE highlights (id INTEGER NOT NULL, document_id INTEGER NOT NULL, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, snippet TEXT NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE tags (id INTEGER NOT NULL, project_id INTEGER NOT NULL, path VARCHAR(200) NOT NULL, description TEXT NOT NULL, PRIMARY KEY (id), CONSTRAINT uq_tags_project_id UNIQUE (project_id, path))",
    "CREATE TABLE highlight_tags (highlight_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, PRIMARY KEY (highlight_id, tag_id))",
]
D = "2024-03-01 10:00:00.000000"
# Each document as its text nodes (what Taguette counts) and its HTML.
NODES1 = ["Anna: Busy, always busy.", "\n", "I felt ", "alone", " & tired. Café."]
HTML1 = "<p>Anna: Busy, always busy.</p>\n<p>I felt <em>alone</em> &amp; tired. Café.</p>"
TEXT1 = "Anna: Busy, always busy.\nI felt alone & tired. Café."
NODES2 = ["Ben: Nights were quiet and long."]
HTML2 = "<p>Ben: Nights were quiet and long.</p>"


def _bytes(nodes: list[str], words: str) -> tuple[int, int]:
    """Taguette's offsets of `words`: UTF-8 bytes into the concatenated text nodes."""
    raw = "".join(nodes)
    start = raw.index(words)
    return len(raw[:start].encode()), len(raw[: start + len(words)].encode())


def build(file: Path, revision: str = "db5e31a0233d", extra: list[str] | None = None) -> Path:
    db = sqlite3.connect(file)
    for statement in SCHEMA:
        db.execute(statement)
    db.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    db.execute("INSERT INTO users (login, created, disabled) VALUES ('ann', ?, 0)", (D,))
    db.execute("INSERT INTO projects VALUES (1, 'Ward study', 'Nurses on night shifts', ?)", (D,))
    db.execute(
        "INSERT INTO documents VALUES (1, 'anna.docx', 'first interview', 'anna.docx', ?, 1, 'LEFT_TO_RIGHT', ?)",
        (D, HTML1),
    )
    db.execute(
        "INSERT INTO documents VALUES (2, 'ben.txt', '', 'ben.txt', ?, 1, 'LEFT_TO_RIGHT', ?)", (D, HTML2)
    )
    db.execute("INSERT INTO tags VALUES (1, 1, 'feelings', 'emotions named')")
    db.execute("INSERT INTO tags VALUES (2, 1, 'feelings.negative.loneliness', 'feeling alone')")
    db.execute("INSERT INTO tags VALUES (3, 1, 'workload', '')")
    db.execute("INSERT INTO tags VALUES (4, 1, 'night', '')")
    highlights = [
        (1, 1, NODES1, "alone & tired. Café", [2]),
        (2, 1, NODES1, "Busy, always busy.", [3, 1]),
        (3, 2, NODES2, "Nights were quiet and long.", [4]),
    ]
    for hid, did, nodes, words, tags in highlights:
        start, end = _bytes(nodes, words)
        db.execute("INSERT INTO highlights VALUES (?,?,?,?,?)", (hid, did, start, end, words))
        for tag in tags:
            db.execute("INSERT INTO highlight_tags VALUES (?,?)", (hid, tag))
    payload = json.dumps({"type": "highlight_add", "highlight_id": 1, "start_offset": 0})
    db.execute("INSERT INTO commands VALUES (1, ?, 'ann', 1, 1, ?)", (D, payload))
    for statement in extra or []:
        db.execute(statement)
    db.commit()
    db.close()
    return file


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_taguette_project_imports_documents_tags_highlights_and_memos(tmp_path: Path) -> None:
    file = build(tmp_path / "wards.sqlite3")
    before = _digest(file)
    report = tmp_path / "fidelity.json"
    result = invoke("import", str(tmp_path / "p"), str(file), "--report", str(report))
    assert "imported" in result.out and "Taguette (schema revision db5e31a0233d)" in result.out
    assert _digest(file) == before  # read-only: byte-identical afterwards
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fidelity.json", "p", "wards.sqlite3"]
    with Project.open(tmp_path / "p", readonly=True) as project:
        assert project.title == "Ward study"
        texts = {s["filename"]: project.current_text(s["id"])[1].text for s in project.sources()}
        assert texts == {"anna.docx": TEXT1, "ben.txt": "Ben: Nights were quiet and long."}
        codes = {c["label"]: c for c in project.codes()}
        by_id = {c["id"]: c["label"] for c in project.codes()}
        assert set(codes) == {"feelings", "negative", "loneliness", "workload", "night"}
        assert by_id[codes["loneliness"]["parent_id"]] == "negative"
        assert by_id[codes["negative"]["parent_id"]] == "feelings"
        assert codes["feelings"].get("parent_id") is None
        assert codes["loneliness"]["definition"] == "feeling alone"
        assert coded_texts(project) == [
            ("anna.docx", "feelings", "taguette", "Busy, always busy."),
            ("anna.docx", "loneliness", "ann", "alone & tired. Café"),
            ("anna.docx", "workload", "taguette", "Busy, always busy."),
            ("ben.txt", "night", "taguette", "Nights were quiet and long."),
        ]
        memos = {m["title"]: m for m in project.store.all("memos").values()}
        assert {"Project description", "Description of anna.docx", "Description of tag feelings"} <= set(
            memos
        )
        assert memos["Description of anna.docx"]["body"] == "first interview"
    fidelity = json.loads(report.read_text(encoding="utf-8"))
    assert fidelity["file_format"] == "taguette"
    codings = fidelity["elements"]["codings"]
    assert (codings["found"], codings["imported"], codings["dropped"]) == (4, 4, 0)


def test_workbench_formats_lists_the_taguette_format() -> None:
    data = json.loads(invoke("formats", "--json").out)
    assert any(f["name"] == "taguette" and f["extensions"] == [".sqlite3"] for f in data["project_formats"])


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    file = build(tmp_path / "wards.sqlite3")
    before = _digest(file)
    result = invoke("import", str(tmp_path / "p"), str(file), "--dry-run", "--json")
    assert json.loads(result.out)["dry_run"] is True
    assert not (tmp_path / "p").exists() and _digest(file) == before


def test_offsets_past_the_end_and_untagged_highlights_are_left_out_and_listed(tmp_path: Path) -> None:
    extra = [
        "INSERT INTO highlights VALUES (9, 2, 4, 500, 'x')",
        "INSERT INTO highlight_tags VALUES (9, 3)",
        "INSERT INTO highlights VALUES (10, 2, 0, 3, 'Ben')",
    ]
    file = build(tmp_path / "wards.sqlite3", extra=extra)
    result = invoke("import", str(tmp_path / "p"), str(file))
    assert "dropped   coding 'highlight 9 on ben.txt' (9-3): its offsets 4-500 lie past the end" in result.out
    assert "(10): a highlight with no tag" in result.out
    with Project.open(tmp_path / "p", readonly=True) as project:
        assert len(coded_texts(project)) == 4


def _refused(tmp_path: Path, file: Path, expected: str) -> None:
    before = _digest(file)
    result = invoke("import", str(tmp_path / "p"), str(file), ok=False)
    assert result.code != 0 and result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.err
    assert not (tmp_path / "p").exists()
    assert _digest(file) == before


def test_a_newer_schema_revision_is_refused(tmp_path: Path) -> None:
    _refused(tmp_path, build(tmp_path / "new.sqlite3", revision="ffffffffffff"), "newer or unknown Taguette")


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "bad.sqlite3"
    file.write_bytes(b"this is not a database at all" * 100)
    _refused(tmp_path, file, "not an SQLite database")


def test_a_truncated_database_is_refused(tmp_path: Path) -> None:
    long = "x" * 20000
    file = build(tmp_path / "cut.sqlite3", extra=[f"INSERT INTO tags VALUES (9, 1, 'long', '{long}')"])
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])
    _refused(tmp_path, file, "damaged or truncated")


def test_a_qualcoder_database_is_refused(tmp_path: Path) -> None:
    folder = build_qualcoder(tmp_path / "w.qda")
    file = tmp_path / "data.sqlite3"
    file.write_bytes((folder / "data.qda").read_bytes())
    _refused(tmp_path, file, "this is a QualCoder database")


def test_qualcoder_refuses_a_taguette_database_and_taguette_claims_no_qda_folder(tmp_path: Path) -> None:
    folder = tmp_path / "t.qda"
    folder.mkdir()
    build(folder / "data.qda")
    result = invoke("import", str(tmp_path / "p"), str(folder), ok=False)
    assert "this is a Taguette project, not QualCoder" in result.err
    data = json.loads(invoke("formats", "--json").out)
    assert [f["name"] for f in data["project_formats"] if ".qda" in f["extensions"]] == ["qualcoder"]


def test_a_tag_path_written_with_slashes_nests_like_one_with_dots(tmp_path: Path) -> None:
    file = build(
        tmp_path / "wards.sqlite3", extra=["INSERT INTO tags VALUES (5, 1, 'workload/staffing', '')"]
    )
    invoke("import", str(tmp_path / "p"), str(file))
    with Project.open(tmp_path / "p", readonly=True) as project:
        codes = {c["label"]: c for c in project.codes()}
        by_id = {c["id"]: c["label"] for c in project.codes()}
        assert by_id[codes["staffing"]["parent_id"]] == "workload"
