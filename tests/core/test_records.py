"""Plugin records: a method plugin's own objects get ids, undo, audit and checked links like core ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.integrity import check_project
from workbench.core.project import Project


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    with Project.create(tmp_path / "p", "Records", "gt", actor="ana") as p:
        p.create_code("Keeping going")
    return Project.open(tmp_path / "p", actor="ana")


def test_a_record_is_stored_with_its_kind_data_and_links(project: Project) -> None:
    rid = project.add_record("gt.category", {"name": "Disclosure", "properties": []}, links=["Keeping going"])
    record = project.record(rid)
    assert (record["kind"], record["data"]["name"], record["links"]) == (
        "gt.category",
        "Disclosure",
        ["code:C1"],
    )


def test_records_survive_reopening(project: Project, tmp_path: Path) -> None:
    rid = project.add_record("gt.category", {"name": "Disclosure"})
    project.close()
    with Project.open(tmp_path / "p") as again:
        assert again.record(rid)["data"] == {"name": "Disclosure"}


def test_records_are_listed_by_kind_in_creation_order(project: Project) -> None:
    for n in range(11):
        project.add_record("gt.sampling", {"n": n})
    project.add_record("gt.category", {"name": "x"})
    assert [r["data"]["n"] for r in project.records("gt.sampling")] == list(range(11))


def test_adding_a_record_is_undoable_and_audited(project: Project) -> None:
    rid = project.add_record("gt.category", {"name": "Disclosure"})
    assert project.audit_events()[-1]["action"] == "gt.category.create"
    project.undo()
    assert project.records() == []
    project.redo()
    assert project.record(rid)["data"]["name"] == "Disclosure"


def test_updating_a_record_replaces_its_data_and_is_undoable(project: Project) -> None:
    rid = project.add_record("gt.category", {"name": "Disclosure"})
    project.update_record(rid, {"name": "Calibrated disclosure"})
    assert project.record(rid)["data"]["name"] == "Calibrated disclosure"
    project.undo()
    assert project.record(rid)["data"]["name"] == "Disclosure"


def test_deleting_a_record_is_undoable(project: Project) -> None:
    rid = project.add_record("gt.category", {"name": "Disclosure"})
    project.delete_record(rid)
    with pytest.raises(NotFoundError):
        project.record(rid)
    project.undo()
    assert project.record(rid)["kind"] == "gt.category"


def test_the_audit_log_keeps_a_digest_not_the_words(project: Project) -> None:
    project.add_record("gt.memo-note", {"text": "Alex said he nearly gave up"})
    assert "Alex" not in str(project.audit_events()[-1])


@pytest.mark.parametrize("kind", ["category", "GT.category", "gt.", ".x", "gt category"])
def test_a_kind_without_a_namespace_is_refused(project: Project, kind: str) -> None:
    with pytest.raises(BadInputError, match=r"plugin\.kind"):
        project.add_record(kind, {})


def test_data_that_is_not_plain_json_is_refused(project: Project) -> None:
    with pytest.raises(BadInputError, match="not plain JSON"):
        project.add_record("gt.category", {"when": object()})
    assert project.records() == []


def test_a_link_to_a_missing_entity_is_refused(project: Project) -> None:
    with pytest.raises(NotFoundError):
        project.add_record("gt.category", {}, links=["code:C99"])


def test_check_passes_with_records_and_memos_can_link_to_them(project: Project) -> None:
    rid = project.add_record("gt.category", {"name": "Disclosure"}, links=["C1"])
    project.write_memo("On disclosure", "body", links=[rid])
    assert check_project(project) == []


def test_a_record_linked_to_a_source_freezes_its_line_map(tmp_path: Path) -> None:
    from workbench.core.model import ImportedTranscript

    with Project.create(tmp_path / "q", "Freeze", "ipa", actor="ana") as p:
        sid = p.add_source(ImportedTranscript("Participant: it was like coming home.\n"), "a.txt")
        vid = p.source(sid)["version_id"]
        assert not p.get("versions", vid)["frozen"]  # type: ignore[index]
        p.add_record("ipa.note", {"type": "D", "start": 0, "end": 5}, links=[f"source:{sid}"])
        assert p.get("versions", vid)["frozen"]  # type: ignore[index]


def test_a_memo_anchored_to_uncoded_words_creates_their_segment_and_undo_removes_both(tmp_path: Path) -> None:
    from workbench.core.model import ImportedTranscript

    with Project.create(tmp_path / "m", "Memo", "gt", actor="ana") as p:
        sid = p.add_source(ImportedTranscript("Participant: it was like coming home.\n"), "a.txt")
        memo = p.write_memo("Home", "why home?", anchor=(sid, 13, 36))
        (link,) = p.get("memos", memo)["links"]  # type: ignore[index]
        segment = p.get("segments", link.removeprefix("segment:"))
        assert segment is not None and (segment["start"], segment["end"]) == (13, 36)
        p.undo()
        assert p.rows("memos") == [] and p.rows("segments") == []
