"""qc (qualitative-coding) projects in through the ``register_project_formats`` hook.

The fixtures in ``tests/interop/data/qc`` were made by the real qc (``make_fixture.py`` there says how):
``qc-1.7.8`` by qc 1.7.8's command line (SQLite database), ``qc-0.2.3`` by qc 0.2.3 (per-coder code
files), and ``expected.json`` is qc's own account of the 1.7.8 project's codings (its coded lines and
the character positions its REFI-QDA exporter gives them). Tests copy a fixture and change the copy.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.cli_inprocess import invoke
from tests.interop.coded import codings
from tests.interop.test_public_api_only import host_imports
from tests.interop.test_taguette import build as build_taguette
from workbench.core.project import Project

FIXTURES = Path(__file__).resolve().parent / "data" / "qc"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
DATABASE = "qualitative_coding.sqlite3"


def qc_project(tmp_path: Path, which: str = "qc-1.7.8") -> Path:
    """A copy of a fixture project; returns its settings.yaml."""
    folder = tmp_path / "study"
    shutil.copytree(FIXTURES / which, folder)
    return folder / "settings.yaml"


def sql(settings: Path, *statements: str) -> None:
    db = sqlite3.connect(settings.parent / DATABASE)
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


def set_setting(settings: Path, key: str, value: str) -> None:
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", text), encoding="utf-8")


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def imported(tmp_path: Path, settings: Path, *more: str) -> str:
    return invoke("import", str(tmp_path / "p"), str(settings), *more).out


def texts(project: Project) -> dict[str, str]:
    return {s["filename"]: project.current_text(s["id"])[1].text for s in project.sources()}


def fidelity(tmp_path: Path, settings: Path) -> dict[str, Any]:
    """The fidelity report's elements for an import of `settings`."""
    report = tmp_path / "fidelity.json"
    invoke("import", str(tmp_path / "p"), str(settings), "--report", str(report))
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))["elements"]
    return data


def refused(tmp_path: Path, settings: Path, *expected: str) -> None:
    """The import fails with one line naming each of `expected`, writes nothing and changes nothing."""
    before = digests(settings.parent)
    result = invoke("import", str(tmp_path / "p"), str(settings), ok=False)
    assert result.code != 0 and result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and all(e in lines[0] for e in expected), result.err
    assert not (tmp_path / "p").exists()
    assert digests(settings.parent) == before


# --- what comes in ----------------------------------------------------------------------------------


def test_the_corpus_texts_become_sources_named_by_their_corpus_paths(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    imported(tmp_path, settings)
    corpus = settings.parent / "corpus"
    with Project.open(tmp_path / "p", readonly=True) as project:
        assert texts(project) == {
            "p01.txt": (corpus / "p01.txt").read_text(encoding="utf-8"),
            "followup/p02.txt": (corpus / "followup" / "p02.txt").read_bytes().decode().replace("\r\n", "\n"),
        }
        assert sorted(p["pseudonym"] for p in project.participants()) == ["p01", "p02"]


def test_the_yaml_codebook_becomes_a_code_tree(tmp_path: Path) -> None:
    imported(tmp_path, qc_project(tmp_path))
    with Project.open(tmp_path / "p", readonly=True) as project:
        label = {c["id"]: c["label"] for c in project.codes()}
        parents = {c["label"]: label.get(c.get("parent_id") or "") for c in project.codes()}
    assert parents == {
        "feelings": None,
        "relief": "feelings",
        "worry": "feelings",
        "night_worry": "worry",
        "handover": None,
        "workload": None,
        "staffing": "workload",
    }


def test_each_coded_line_is_one_coding_per_coder_at_qc_s_own_line_positions(tmp_path: Path) -> None:
    imported(tmp_path, qc_project(tmp_path))
    with Project.open(tmp_path / "p", readonly=True) as project:
        text = texts(project)
        got = codings(project)
    expected = []
    for e in EXPECTED:  # qc's REFI-QDA positions include the line break; a segment ends before it
        line = text[e["document"]][e["start"] : e["end_with_line_break"]].removesuffix("\n")
        start = e["start"]
        expected.append((e["document"], e["code"], e["coder"], start, start + len(line), line))
    assert got == sorted(expected)
    assert (
        "p01.txt",
        "relief",
        "kit",
        55,
        126,
        "Alex: Honestly, I was relieved. The café downstairs became my refuge ☕.",
    ) in got
    assert ("followup/p02.txt", "workload", "rowan", 89, 123, "Sam: Still, the workload is heavy.") in got


def test_memos_come_in_with_their_title_author_and_time(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    imported(tmp_path, settings)
    stamps = {
        f.name.split("_")[1].removesuffix(".md"): re.sub(
            r"^(\d{4}-\d\d-\d\d)-(\d\d)-(\d\d)_.*", r"\1T\2:\3:00", f.name
        )
        for f in (settings.parent / "memos").iterdir()
    }
    with Project.open(tmp_path / "p", readonly=True) as project:
        memos = {m["author"]: m for m in project.store.all("memos").values()}
    assert memos["rowan"]["title"] == "first impressions"
    assert memos["rowan"]["body"].endswith("Relief and worry sit side by side in p01.\n")
    assert memos["kit"]["title"].startswith("Memo by kit on ")
    assert memos["kit"]["body"] == "Handover keeps coming up; ask about it in follow-ups.\n"
    assert {author: m["created_at"] for author, m in memos.items()} == stamps


def test_the_fidelity_report_counts_what_the_project_holds(tmp_path: Path) -> None:
    elements = fidelity(tmp_path, qc_project(tmp_path))
    counts = {k: (v["found"], v["imported"], v["dropped"]) for k, v in elements.items() if v["found"]}
    assert counts == {
        "project": (1, 1, 0),
        "sources": (2, 2, 0),
        "codings": (9, 9, 0),
        "codes": (7, 7, 0),
        "notes": (2, 2, 0),
        "users": (2, 2, 0),
    }


def test_the_report_names_the_qc_release_and_layout(tmp_path: Path) -> None:
    out = imported(tmp_path, qc_project(tmp_path))
    assert "written by qc 1.7.8 (database qualitative_coding.sqlite3)" in out


def test_the_import_leaves_the_qc_project_byte_identical(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    before = digests(settings.parent)
    imported(tmp_path, settings)
    assert digests(settings.parent) == before
    assert sorted(p.name for p in settings.parent.iterdir()) == sorted(
        p.name for p in (FIXTURES / "qc-1.7.8").iterdir()
    )


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    before = digests(settings.parent)
    result = invoke("import", str(tmp_path / "p"), str(settings), "--dry-run", "--json")
    assert json.loads(result.out)["dry_run"] is True
    assert not (tmp_path / "p").exists() and digests(settings.parent) == before


def test_workbench_formats_lists_the_qc_format() -> None:
    data = json.loads(invoke("formats", "--json").out)
    assert any(
        f["name"] == "qc" and f["extensions"] == [".yaml", ".yml"] and f["markers"] == ["settings.yaml"]
        for f in data["project_formats"]
    )
    assert "a folder holding settings.yaml (qc)" in data["project_imports"]
    assert "FOLDER/settings.yaml" in invoke("formats").out


def test_a_project_of_the_older_code_file_layout_imports_codings_per_coder(tmp_path: Path) -> None:
    out = imported(tmp_path, qc_project(tmp_path, "qc-0.2.3"))
    assert "written by qc before 1.0 (per-coder code files)" in out
    with Project.open(tmp_path / "p", readonly=True) as project:
        got = [(s, c, who, text) for s, c, who, _, _, text in codings(project)]
        parents = {c["label"]: c.get("parent_id") for c in project.codes()}
    relieved = "Alex: Honestly, I was relieved. The café downstairs became my refuge ☕."
    worried = "Alex: But the nights worried me; nobody explained the handover."
    assert got == [
        ("p01.txt", "handover", "rowan", worried),
        ("p01.txt", "night_worry", "rowan", worried),
        ("p01.txt", "relief", "kit", relieved),
        ("p01.txt", "relief", "rowan", relieved),
        ("p01.txt", "workload", "rowan", "Alex: Later it was just busy, always busy."),
        ("p01.txt", "worry", "kit", worried),
    ]
    assert parents["night_worry"] is not None


def test_the_settings_folder_names_the_new_project(tmp_path: Path) -> None:
    imported(tmp_path, qc_project(tmp_path))
    with Project.open(tmp_path / "p", readonly=True) as project:
        assert project.title == "study"


# --- the project folder -------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["qc-1.7.8", "qc-0.2.3"])
def test_the_project_folder_imports_as_its_settings_file_does(tmp_path: Path, which: str) -> None:
    settings = qc_project(tmp_path, which)
    before = digests(settings.parent)
    by_folder = json.loads(invoke("import", str(tmp_path / "p"), f"{settings.parent}/", "--json").out)
    assert by_folder["kind"] == "qc" and by_folder["fidelity"]["origin"].startswith("qc ")
    with Project.open(tmp_path / "p", readonly=True) as project:
        from_folder = (project.title, texts(project), codings(project))
    invoke("import", str(tmp_path / "q"), str(settings))
    with Project.open(tmp_path / "q", readonly=True) as project:
        assert from_folder == ("study", texts(project), codings(project))
    assert digests(settings.parent) == before


def test_a_folder_no_format_claims_is_refused_naming_the_folders_understood(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "readme.txt").write_text("Not a project.\n", encoding="utf-8")
    result = invoke("import", str(tmp_path / "p"), str(folder), ok=False)
    lines = result.err.strip().splitlines()
    assert result.code != 0 and result.out == "" and len(lines) == 1, result.err
    assert "a folder that no project format reads; folders understood:" in lines[0]
    assert "one holding data.qda (qualcoder)" in lines[0] and "one holding settings.yaml (qc)" in lines[0]
    assert not (tmp_path / "p").exists()


def test_qc_s_database_named_directly_is_refused_with_what_to_import_instead(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    refused(
        tmp_path,
        settings.parent / DATABASE,
        "this looks like a qc (qualitative-coding) database, not a Taguette project: import the qc "
        "project's settings.yaml or its folder",
    )


# --- partial imports: what is left out is listed -----------------------------------------------------


def test_a_line_past_the_end_of_its_text_is_left_out_and_listed(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    sql(
        settings,
        "UPDATE coded_line SET line = 40 WHERE coder_id = 'rowan' AND code_id = 'workload' AND line = 7",
    )
    out = imported(tmp_path, settings)
    assert (
        "dropped   coding 'workload by rowan on p01.txt line 41' (2): its line 41 lies past the end of the "
        "text (8 lines)" in out
    )
    with Project.open(tmp_path / "p", readonly=True) as project:
        assert len(codings(project)) == 8


def test_a_line_past_the_end_in_an_older_code_file_is_left_out_and_listed(tmp_path: Path) -> None:
    settings = qc_project(tmp_path, "qc-0.2.3")
    codes = settings.parent / "codes" / "p01.txt.kit.codes"
    codes.write_text(codes.read_text(encoding="utf-8") + "\n" * 11 + "extra\n", encoding="utf-8")
    out = imported(tmp_path, settings)
    assert "(p01.txt.kit.codes:20:extra): its line 20 lies past the end of the text (8 lines)" in out


def test_a_coded_blank_line_is_left_out_and_listed(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    sql(
        settings,
        "INSERT INTO coded_line (id, line, coder_id, code_id) VALUES (10, 1, 'kit', 'worry')",
        "INSERT INTO coded_line_location_association VALUES (10, 1)",
    )
    out = imported(tmp_path, settings)
    assert "(10): its line 2 is blank: there is no text to code" in out


def test_a_coded_line_in_no_document_is_left_out_and_listed(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    sql(settings, "INSERT INTO coded_line (id, line, coder_id, code_id) VALUES (10, 2, 'kit', 'worry')")
    out = imported(tmp_path, settings)
    assert "(10): it is attached to no document" in out


def test_a_missing_corpus_file_leaves_out_its_source_and_its_codings(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / "corpus" / "followup" / "p02.txt").unlink()
    elements = fidelity(tmp_path, settings)
    dropped = {(i["kind"], i["id"], i["reason"]) for i in elements["sources"]["items"]}
    assert dropped == {("source", "followup/p02.txt", "its file is missing from corpus/")}
    assert (elements["codings"]["found"], elements["codings"]["dropped"]) == (9, 3)


def test_a_corpus_file_qc_never_registered_is_listed_as_left_out(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / "corpus" / "draft.txt").write_text("Not imported into qc.\n", encoding="utf-8")
    out = imported(tmp_path, settings)
    assert (
        "dropped   source 'draft.txt' (draft.txt): in the corpus folder but not part of the qc project" in out
    )
    with Project.open(tmp_path / "p", readonly=True) as project:
        assert sorted(texts(project)) == ["followup/p02.txt", "p01.txt"]


def test_a_text_changed_since_qc_registered_it_comes_in_flagged(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    text = settings.parent / "corpus" / "p01.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("always busy", "so busy"), encoding="utf-8")
    out = imported(tmp_path, settings)
    assert "converted source 'p01.txt' (p01.txt): changed since qc registered it" in out
    with Project.open(tmp_path / "p", readonly=True) as project:
        p01 = next(s for s in project.sources() if s["filename"] == "p01.txt")
        version = project.current_text(p01["id"])[0]
        flags = {g["flag"] for g in project.store.all("segments").values() if g["version_id"] == version}
    assert len(flags) == 1 and "changed since qc registered it" in flags.pop()


def test_a_code_used_but_missing_from_the_codebook_is_added_at_the_top(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / "codebook.yaml").write_text("- feelings:\n  - relief\n", encoding="utf-8")
    out = imported(tmp_path, settings)
    assert (
        "converted code 'workload' (workload): used in codings but not in the codebook; added at the top"
        in out
    )
    with Project.open(tmp_path / "p", readonly=True) as project:
        assert {c["label"]: c.get("parent_id") for c in project.codes()}["workload"] is None


def test_a_code_in_two_places_of_the_codebook_comes_in_once_at_its_first(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    book = settings.parent / "codebook.yaml"
    book.write_text(book.read_text(encoding="utf-8") + "- extra:\n  - relief\n", encoding="utf-8")
    out = imported(tmp_path, settings)
    assert "converted code 'relief' (relief): in the codebook again (under extra); kept once" in out
    with Project.open(tmp_path / "p", readonly=True) as project:
        labels = [c["label"] for c in project.codes()]
    assert labels.count("relief") == 1


def test_a_code_only_in_qc_s_code_table_is_listed_as_left_out(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    sql(settings, "INSERT INTO code VALUES ('renamed_away')")
    out = imported(tmp_path, settings)
    assert (
        "dropped   code 'renamed_away' (renamed_away): in qc's code table, but neither in the codebook" in out
    )


def test_a_newer_1x_release_with_known_tables_imports_with_a_note(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    set_setting(settings, "qc_version", "1.9.0")
    result = json.loads(invoke("import", str(tmp_path / "p"), str(settings), "--json").out)
    assert any("qc_version 1.9.0 is newer than 1.7.8" in note for note in result["notes"])


# --- refusals: one line, nothing written ---------------------------------------------------------------


def test_a_newer_qc_major_version_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    set_setting(settings, "qc_version", "2.0.0")
    refused(tmp_path, settings, "written by a newer qc (qc_version 2.0.0)")


def test_a_newer_schema_with_unknown_tables_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    set_setting(settings, "qc_version", "1.9.0")
    sql(settings, "CREATE TABLE memo (id INTEGER PRIMARY KEY, body TEXT)")
    refused(
        tmp_path,
        settings,
        "written by a newer qc (qc_version 1.9.0, with tables this reader does not know: memo)",
    )


def test_an_unknown_version_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    set_setting(settings, "qc_version", "tomorrow")
    refused(tmp_path, settings, "unknown qc version 'tomorrow'")


def test_a_database_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / DATABASE).write_bytes(b"this is not a database at all" * 100)
    refused(tmp_path, settings, "not an SQLite database")


def test_a_truncated_database_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    database = settings.parent / DATABASE
    database.write_bytes(database.read_bytes()[: 4096 * 6])
    refused(tmp_path, settings, "damaged or truncated")


def test_a_missing_database_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / DATABASE).unlink()
    refused(tmp_path, settings, "no database qualitative_coding.sqlite3 (setting 'database')")


def test_a_taguette_database_in_place_of_qc_s_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / DATABASE).unlink()
    build_taguette(settings.parent / DATABASE)
    refused(tmp_path, settings, "this is a Taguette database, not a qc project's")


def test_another_program_s_yaml_file_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "mkdocs.yml"
    other.write_text("site_name: Ward study\nnav:\n  - Home: index.md\n", encoding="utf-8")
    refused(tmp_path, other, "not a qc (qualitative-coding) settings file: no 'corpus_dir' setting")


def test_a_settings_file_of_binary_garbage_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    settings.write_bytes(b"\x00\xff\x10garbage" * 50)
    refused(tmp_path, settings, "not a qc settings file: binary data")


def test_a_truncated_settings_file_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    settings.write_text('codebook: codebook.yaml\ncorpus_dir: "corp', encoding="utf-8")
    refused(
        tmp_path,
        settings,
        "not a qc settings file this reader can read: line 2, column 18: while scanning a quoted scalar: "
        "found unexpected end of stream",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("codebook: [codebook.yaml\n", "while parsing a flow sequence"),
        (
            "corpus_dir: corpus\n\tcodebook: x\n",
            "line 2, column 1: ",
        ),  # a tab (libyaml and PyYAML word it apart)
        (
            "corpus_dir: corpus\ncorpus_dir: texts\ncodebook: c\n",
            "line 2, column 1: the key 'corpus_dir' appears twice",
        ),
        ("corpus_dir: corpus\n---\ncodebook: c\n", "expected a single document in the stream"),
        ("corpus_dir: !!python/name:os.system corpus\n", "a tag (tag:yaml.org,2002:python/name:os.system)"),
        ("corpus_dir: \x07\n", "unacceptable character #x0007"),
    ],
)
def test_a_settings_file_that_is_not_sound_yaml_is_refused_in_one_line(
    tmp_path: Path, text: str, message: str
) -> None:
    settings = qc_project(tmp_path)
    settings.write_text(text, encoding="utf-8")
    refused(tmp_path, settings, "settings.yaml: not a qc settings file this reader can read: ", message)


def test_settings_that_are_not_a_mapping_are_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    settings.write_text("- corpus_dir\n- codebook\n", encoding="utf-8")
    refused(tmp_path, settings, "not a qc settings file (qc's settings are a YAML mapping)")


def test_a_codebook_with_an_anchor_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / "codebook.yaml").write_text("- feelings: &f\n  - relief\n", encoding="utf-8")
    refused(
        tmp_path,
        settings,
        "not a qc codebook this reader can read: line 1, column 13: an anchor (&f), which qc never writes",
    )


def test_a_billion_laughs_codebook_is_refused_at_its_first_anchor(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    lines = ["- &a0 lol"] + [f"- &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    (settings.parent / "codebook.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(
        tmp_path,
        settings,
        "codebook.yaml: not a qc codebook this reader can read: line 1, column 3: an anchor (&a0)",
    )


def test_an_alias_without_its_anchor_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / "codebook.yaml").write_text("- relief\n- *worry\n", encoding="utf-8")
    refused(tmp_path, settings, "line 2, column 3: an alias (*worry), which qc never writes")


def test_settings_with_an_alias_are_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    settings.write_text(
        settings.read_text(encoding="utf-8") + "other: &x corpus\nsame: *x\n", encoding="utf-8"
    )
    refused(
        tmp_path,
        settings,
        "not a qc settings file this reader can read: line ",
        "an anchor (&x), which qc never",
    )


@pytest.mark.parametrize(
    ("depth", "message"),
    [
        (150, "line 1, column 101: nested more than 100 levels deep"),
        (50_000, "nest"),
    ],  # libyaml stops at 1000
)
def test_a_codebook_nested_too_deep_is_refused(tmp_path: Path, depth: int, message: str) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / "codebook.yaml").write_text("[" * depth + "]" * depth + "\n", encoding="utf-8")
    refused(tmp_path, settings, "not a qc codebook this reader can read: line 1, ", message)


def test_a_codebook_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / "codebook.yaml").write_text("- code\n" * 200_000, encoding="utf-8")
    refused(tmp_path, settings, "the codebook cannot be read: it is 1,400,000 bytes; the limit is 1,048,576")


def test_a_settings_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    settings.write_text("# padding\n" * 120_000, encoding="utf-8")
    refused(tmp_path, settings, "the file is 1,200,000 bytes; the limit is 1,048,576")


def test_a_codebook_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / "codebook.yaml").write_text("feelings: relief\n", encoding="utf-8")
    refused(tmp_path, settings, "not a qc codebook: qc's codebook is a YAML list of codes")


# --- the plugin and its YAML reader -------------------------------------------------------------------


def test_the_plugin_imports_only_the_public_api() -> None:
    import wb_qc

    folder = Path(wb_qc.__file__).resolve().parent
    assert {name for path in folder.rglob("*.py") for name in host_imports(path)} == {"workbench"}


def test_pyyaml_s_folded_long_values_are_read_as_qc_wrote_them() -> None:
    from wb_qc.reader import load_yaml

    settings = load_yaml((FIXTURES / "qc-1.7.8" / "settings.yaml").read_text(encoding="utf-8"))
    assert settings["editors"]["vim_with_linenums"]["code_command"] == (
        'vim "{codes_file_path}" -c :set nu -c :set scrollbind '
        "-c :83vsplit|view {corpus_file_path}|set scrollbind"
    )


def test_a_hand_written_codebook_is_read_with_every_name_as_text() -> None:
    from wb_qc.reader import load_yaml

    text = (
        "\ufeff# codes\n- fruits:   # trees\n    - apples\n    - 'pears': [bosc, \"d'anjou\"]\n-   veg\n"
        "- 2020\n- yes\n- 2024-05-01\n- 1.5\n- empty:\n- ~\n"
    )
    assert load_yaml(text) == [
        {"fruits": ["apples", {"pears": ["bosc", "d'anjou"]}]},
        "veg",
        "2020",
        "yes",
        "2024-05-01",
        "1.5",
        {"empty": None},
        None,
    ]


def test_codes_whose_names_look_like_numbers_or_booleans_keep_their_names(tmp_path: Path) -> None:
    settings = qc_project(tmp_path)
    (settings.parent / "codebook.yaml").write_text("- 2020:\n  - yes\n- relief\n", encoding="utf-8")
    sql(settings, "UPDATE coded_line SET code_id = 'yes' WHERE code_id = 'workload'")
    imported(tmp_path, settings)
    with Project.open(tmp_path / "p", readonly=True) as project:
        label = {c["id"]: c["label"] for c in project.codes()}
        parents = {c["label"]: label.get(c.get("parent_id") or "") for c in project.codes()}
    assert parents["yes"] == "2020" and parents["2020"] is None


def test_the_plugin_reads_yaml_with_pyyaml_s_safe_loader() -> None:
    import yaml
    from wb_qc import reader

    assert not (Path(reader.__file__).parent / "yamlish.py").exists()
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it
    assert issubclass(reader._TextLoader, base)
