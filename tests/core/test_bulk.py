"""Bulk import and archive restore: whole content as one checked, audited, undoable operation."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import WORKBENCH, tree_digest
from workbench import (
    BadInputError,
    Content,
    ContentCluster,
    ContentCode,
    ContentCoding,
    ContentLink,
    ContentMemo,
    ContentParticipant,
    ContentRecord,
    ContentSegment,
    ContentSet,
    ContentSource,
    ImportedTranscript,
    Project,
    dump_project,
    import_content,
    restore_archive,
)
from workbench.core.integrity import check_project

TEXT = (
    "Interviewer: How did the group start?\n\n"
    "Participant: Slowly. Nobody spoke for weeks, and then someone laughed and it was easier.\n"
)


def _span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def study(**changes: Any) -> Content:
    """A small study touching every kind of entity; `changes` replace whole fields of `Content`."""
    laughed = _span("someone laughed")
    content = Content(
        participants=(ContentParticipant("participant:kim", "Kim", {"age band": "30-39"}),),
        sources=(
            ContentSource(
                "source:one",
                "kim.txt",
                TEXT,
                "participant:kim",
                segments=(
                    ContentSegment(
                        *laughed,
                        (ContentCoding("code:ease", "ana", key="coding:first"),),
                        key="segment:laugh",
                    ),
                ),
            ),
        ),
        codes=(
            ContentCode("code:group", "Group life", definition="How the group works", level="focused"),
            ContentCode("code:ease", "Easing in", parent="code:group", kind="in-vivo"),
        ),
        memos=(ContentMemo("memo:m", "On easing", "Laughter opens the door.", links=("code:ease",)),),
        links=(ContentLink("link:l", "code:ease", "code:group", "part of", evidence=("coding:first",)),),
        sets=(ContentSet("set:s", "Early sessions", ("source:one",)),),
        clusters=(ContentCluster("cluster:c", "Belonging", ("code:group",), memo="memo:m"),),
        records=(ContentRecord("record:r", "gt.category", {"name": "Belonging"}, ("code:group",)),),
    )
    return dataclasses.replace(content, **changes)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    with Project.create(tmp_path / "p", "Groups", "gt", actor="ana") as p:
        p.create_code("Already here")
    return Project.open(tmp_path / "p", actor="ana")


def test_content_is_stored_with_new_ids_and_its_references_resolved(project: Project) -> None:
    report = import_content(project, study())
    ease, group = report.ids["code:ease"], report.ids["code:group"]
    assert (ease, group) == ("code:C3", "code:C2")
    assert [(c.label, c.depth, c.level) for c in project.code_tree() if c.label != "Already here"] == [
        ("Group life", 0, "focused"),
        ("Easing in", 1, "initial"),
    ]
    (segment,) = project.coded_segments("Easing in")
    assert (segment.text, segment.coder, segment.pseudonym) == ("someone laughed", "ana", "Kim")
    link = project.rows("links")[0]
    assert (link["origin"], link["target"], link["evidence"]) == (ease, group, [report.ids["coding:first"]])
    assert project.records("gt.category")[0]["links"] == [group]


def test_the_import_is_one_audited_operation(project: Project) -> None:
    before = len(project.audit_events())
    import_content(project, study(), summary="import groups.qdpx")
    events = project.audit_events()
    assert len(events) == before + 1 and events[-1]["action"] == "project.import"


def test_an_import_into_an_existing_project_is_undone_in_one_step(project: Project) -> None:
    import_content(project, study(), summary="import groups.qdpx")
    assert project.undo() == "import groups.qdpx"
    assert [c["label"] for c in project.codes()] == ["Already here"]
    assert project.sources() == [] and project.rows("codings") == [] and project.records() == []


def test_a_bad_record_refuses_the_whole_import_and_changes_nothing(project: Project, tmp_path: Path) -> None:
    bad = ContentRecord("record:bad", "Not A Kind", {"x": 1})
    project.close()
    before = tree_digest(tmp_path / "p")
    with Project.open(tmp_path / "p") as again, pytest.raises(BadInputError, match=r"plugin\.kind"):
        import_content(again, study(records=(bad,)))
    assert tree_digest(tmp_path / "p") == before


REFUSALS: list[tuple[str, dict[str, Any], str]] = [
    ("empty label", {"codes": (ContentCode("code:ease", "  "),)}, "label is empty"),
    ("label with a line break", {"codes": (ContentCode("code:ease", "a\nb"),)}, "line break"),
    ("unknown code kind", {"codes": (ContentCode("code:ease", "Easing in", kind="vivo"),)}, "unknown kind"),
    (
        "label the content has twice",
        {"codes": (ContentCode("code:ease", "Easing in"), ContentCode("code:group", "easing IN"))},
        "two codes",
    ),
    ("label the project has", {"codes": (ContentCode("code:ease", "Already here"),)}, "already exists"),
    (
        "code that is its own ancestor",
        {
            "codes": (
                ContentCode("code:ease", "A", parent="code:group"),
                ContentCode("code:group", "B", parent="code:ease"),
            )
        },
        "own ancestor",
    ),
    ("record kind", {"records": (ContentRecord("record:r", "category", {}),)}, "plugin.kind"),
    ("record data", {"records": (ContentRecord("record:r", "gt.x", {"n": float("nan")}),)}, "plain JSON"),
    (
        "anchor outside the text",
        {
            "sources": (
                ContentSource("source:one", "a.txt", TEXT, "participant:kim", (ContentSegment(5, 999),)),
            )
        },
        "outside the text",
    ),
    (
        "empty anchor",
        {
            "sources": (
                ContentSource("source:one", "a.txt", TEXT, "participant:kim", (ContentSegment(5, 5),)),
            )
        },
        "outside the text",
    ),
    ("missing reference", {"memos": (ContentMemo("memo:m", "T", links=("code:nowhere",)),)}, "does not hold"),
    ("key of the wrong kind", {"memos": (ContentMemo("code:m", "T"),)}, "must look like 'memo:"),
    (
        "evidence that is not a passage",
        {"links": (ContentLink("link:l", "code:ease", "code:group", "r", evidence=("code:ease",)),)},
        "segment or coding",
    ),
    (
        "unknown link direction",
        {"links": (ContentLink("link:l", "code:ease", "code:group", "r", "up"),)},
        "direction",
    ),
    (
        "cluster parent that is not a cluster",
        {"clusters": (ContentCluster("cluster:c", "C", parent="code:ease"),)},
        "must refer to a cluster",
    ),
    (
        "a coding given twice",
        {
            "sources": (
                ContentSource(
                    "source:one",
                    "a.txt",
                    TEXT,
                    "participant:kim",
                    (
                        ContentSegment(
                            0, 5, (ContentCoding("code:ease", "ana"), ContentCoding("code:ease", "ana"))
                        ),
                    ),
                ),
            )
        },
        "applied twice",
    ),
]


@pytest.mark.parametrize(("case", "changes", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_invalid_content_is_refused_with_one_line(
    project: Project, case: str, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(BadInputError, match=message) as caught:
        import_content(project, study(**changes), where="groups.qdpx")
    assert "\n" not in str(caught.value) and caught.value.where == "groups.qdpx"
    assert [c["label"] for c in project.codes()] == ["Already here"]


def test_preferred_ids_are_kept_when_free_and_later_ids_follow_them(project: Project) -> None:
    codes = (
        ContentCode("code:ease", "Easing in", preferred_id="C7"),
        ContentCode("code:group", "G", preferred_id="C1"),
    )
    report = import_content(project, study(codes=codes), keep_ids=True)
    assert (report.ids["code:ease"], report.ids["code:group"]) == ("code:C7", "code:C8")
    assert project.create_code("Next") == "C9"


def test_a_code_the_project_has_is_joined_when_reuse_is_asked(project: Project) -> None:
    codes = (ContentCode("code:group", "Group life"), ContentCode("code:ease", "already HERE"))
    report = import_content(project, study(codes=codes), reuse_codes=True)
    assert report.reused_codes == {"code:ease": "code:C1"} and report.counts["codes"] == 1
    assert [s.text for s in project.coded_segments("Already here")] == ["someone laughed"]


def test_segments_with_one_anchor_are_one_segment(project: Project) -> None:
    laughed = _span("someone laughed")
    segments = (
        ContentSegment(*laughed, (ContentCoding("code:ease", "ana", key="coding:first"),), key="segment:a"),
        ContentSegment(*laughed, (ContentCoding("code:group", "ana"),), key="segment:b"),
    )
    source = dataclasses.replace(study().sources[0], segments=segments)
    report = import_content(project, study(sources=(source,)))
    assert report.ids["segment:a"] == report.ids["segment:b"] and len(project.rows("segments")) == 1


def test_line_settings_are_adopted_only_when_asked(project: Project) -> None:
    import_content(project, study(line_settings={"width": 30}))
    assert project.meta["line_settings"]["width"] == 72
    project.undo()
    report = import_content(project, study(line_settings={"width": 30}), settings=True)
    assert project.meta["line_settings"]["width"] == 30
    source_id = report.ids["source:one"].partition(":")[2]
    assert project.current_text(source_id)[1].linemap.settings.width == 30


def test_workbench_check_is_clean_after_an_import(project: Project) -> None:
    import_content(project, study())
    project.close()
    checked = subprocess.run([WORKBENCH, "check", str(project.path)], capture_output=True, text=True)
    assert checked.returncode == 0 and "passes every integrity check" in checked.stdout, checked.stderr


def test_an_archive_dump_is_restored_with_the_same_ids(project: Project, tmp_path: Path) -> None:
    import_content(project, study())
    project.add_source(ImportedTranscript("Participant: later words.\n"), "later.txt")
    restore_archive(tmp_path / "copy", dump_project(project))
    with Project.open(tmp_path / "copy", readonly=True) as copy:
        for table in ("participants", "sources", "versions", "codes", "codings", "memos", "records"):
            assert sorted(copy.rows(table), key=lambda d: d["id"]) == sorted(
                project.rows(table), key=lambda d: d["id"]
            )
        assert check_project(copy) == []
    with Project.open(tmp_path / "copy") as copy:
        assert copy.create_code("Next") == "C4"


def test_a_dump_that_is_not_a_sound_project_is_refused_and_leaves_no_folder(
    project: Project, tmp_path: Path
) -> None:
    import_content(project, study())
    dump = dump_project(project)
    codings = [{**doc, "code_id": "C99"} for doc in dump.tables["codings"]]
    broken = dataclasses.replace(dump, tables={**dump.tables, "codings": codings})
    with pytest.raises(BadInputError, match="not hold a sound project"):
        restore_archive(tmp_path / "copy", broken)
    assert not (tmp_path / "copy").exists()


def test_a_dump_with_a_table_this_workbench_does_not_know_is_refused(
    project: Project, tmp_path: Path
) -> None:
    dump = dump_project(project)
    with pytest.raises(BadInputError, match="does not know: gadgets"):
        restore_archive(tmp_path / "copy", dataclasses.replace(dump, tables={**dump.tables, "gadgets": []}))
    assert not (tmp_path / "copy").exists()
