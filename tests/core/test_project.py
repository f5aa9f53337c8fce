"""The Project service: operations, undo/redo, audit, queries."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, asdict, replace
from pathlib import Path

import pytest

from workbench.core.errors import BadInputError, NotFoundError, WorkbenchError
from workbench.core.integrity import check_project
from workbench.core.model import ImportedTranscript
from workbench.core.project import CodedSegment, Project

TEXT = (
    "Interviewer: How did you first meet your peer support worker?\n\n"
    "Participant: It was on the ward. She said she'd been there herself, and I thought (.) right, "
    "you actually get it. That changed everything for me, honestly.\n\n"
    "Interviewer: Changed it how?\n\n"
    "Participant: I stopped performing being okay. [laughs] I could just say it.\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "study", "Peer support", "gt", actor="ann")
    p.add_source(ImportedTranscript(TEXT), "alex.txt", participant_id="P01", pseudonym="Alex")
    yield p
    p.close()


def _span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def test_a_new_project_records_title_method_and_creator(project: Project) -> None:
    assert (project.title, project.method, project.meta["created_by"]) == ("Peer support", "gt", "ann")


def test_a_method_id_that_is_not_a_short_slug_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="short lower-case id"):
        Project.create(tmp_path / "x", "T", "Grounded Theory!")
    assert not (tmp_path / "x").exists()


def test_a_plugins_method_id_is_accepted_and_codes_default_to_the_plain_level(tmp_path: Path) -> None:
    with Project.create(tmp_path / "x", "T", "rta") as p:
        p.create_code("Holding hope")
        assert (p.method, p.codes()[0]["level"]) == ("rta", "code")


def test_importing_creates_participant_source_and_frozen_free_version(project: Project) -> None:
    (source,) = project.sources()
    assert source["participant_id"] == "P01"
    assert project.participants()[0]["pseudonym"] == "Alex"
    version = project.get("versions", source["version_id"])
    assert version is not None and version["frozen"] is False
    assert len(project.text_record(source["version_id"]).turns) == 4


def test_coding_creates_the_code_and_freezes_the_line_map(project: Project) -> None:
    start, end = _span("you actually get it")
    project.code("S1", start, end, "Feeling understood")
    (segment,) = project.coded_segments("Feeling understood")
    assert segment.text == "you actually get it"
    assert segment.pseudonym == "Alex"
    assert project.get("versions", "V1")["frozen"] is True  # type: ignore[index]


def test_coded_segments_are_ordinary_frozen_values(project: Project) -> None:
    start, end = _span("you actually get it")
    project.code("S1", start, end, "Feeling understood")
    (segment,) = project.coded_segments("Feeling understood")
    (again,) = project.coded_segments("Feeling understood")
    assert segment == again and hash(segment) == hash(again)
    assert asdict(segment)["text"] == "you actually get it"
    assert replace(segment, flag="x").flag == "x"
    with pytest.raises(FrozenInstanceError):
        segment.text = "changed"  # type: ignore[misc]
    assert not hasattr(CodedSegment, "__post_init__") and not hasattr(CodedSegment, "__slots__")
    assert CodedSegment(**asdict(segment)) == segment  # what the dataclass itself would have built


def test_citations_use_pseudonym_page_and_lines(project: Project) -> None:
    start, end = _span("I could just say it")
    project.code("S1", start, end, "Speaking freely")
    (segment,) = project.coded_segments("Speaking freely")
    assert segment.citation.startswith("Alex, 1:")


def test_coding_by_lines_excludes_the_speaker_label(project: Project) -> None:
    start, end = project.span_of_lines("S1", 3, 3)
    assert TEXT[start:end].startswith("It was on the ward")


def test_the_same_code_twice_on_one_span_by_one_coder_is_refused(project: Project) -> None:
    start, end = _span("right")
    project.code("S1", start, end, "Recognition")
    with pytest.raises(BadInputError, match="already applied"):
        project.code("S1", start, end, "Recognition")


def test_overlapping_and_nested_segments_are_allowed(project: Project) -> None:
    project.code("S1", *_span("you actually get it"), "Feeling understood")
    project.code("S1", *_span("actually"), "Emphasis")
    project.code("S1", *_span("get it. That changed"), "Turning point")
    assert len(project.rows("codings")) == 3


def test_a_span_outside_the_text_is_refused(project: Project) -> None:
    with pytest.raises(BadInputError, match="outside the text"):
        project.code("S1", 10, 10_000, "Hope")


def test_uncode_removes_the_coding_and_an_orphan_segment(project: Project) -> None:
    span = _span("right")
    project.code("S1", *span, "Recognition")
    assert project.uncode("S1", *span, "Recognition") == 1
    assert project.rows("codings") == [] and project.rows("segments") == []


def test_code_tree_counts_segments_and_participants(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    project.code("S1", *_span("you actually get it"), "Recognition")
    (row,) = project.code_tree()
    assert (row.label, row.segments, row.participants) == ("Recognition", 2, 1)


def test_undo_and_redo_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with Project.create(path, "T") as p:
        p.add_source(ImportedTranscript(TEXT), "a.txt")
        p.code("S1", *_span("right"), "Recognition")
    with Project.open(path) as p:
        assert "Recognition" in p.undo()
        assert p.rows("codings") == []
    with Project.open(path) as p:
        p.redo()
        assert len(p.rows("codings")) == 1
        p.undo()
        p.undo()
        assert p.sources() == []


def test_a_new_operation_clears_redo(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    project.undo()
    project.code("S1", *_span("you actually get it"), "Understood")
    with pytest.raises(WorkbenchError, match="nothing to redo"):
        project.redo()


def test_every_operation_is_audited_and_the_chain_verifies(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    project.undo()
    actions = [e["action"] for e in project.audit_events()]
    assert actions == ["project.create", "source.import", "coding.add", "undo"]
    assert project.verify_audit() == (4, None)


def test_audit_events_hold_no_transcript_words(project: Project) -> None:
    project.code("S1", *_span("you actually get it"), "Feeling understood", memo="She gets it")
    text = str(project.audit_events())
    assert "actually get it" not in text and "Feeling understood" not in text and "She gets it" not in text


def test_memo_links_resolve_ids_labels_and_refuse_unknowns(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    memo = project.write_memo("On recognition", "Seen as a peer", links=["S1", "Recognition", "P01"])
    assert project.get("memos", memo)["links"] == ["source:S1", "code:C1", "participant:P01"]  # type: ignore[index]
    with pytest.raises(NotFoundError):
        project.write_memo("x", "y", links=["code:C99"])


def test_editing_a_memo_keeps_the_old_body_as_a_revision(project: Project) -> None:
    memo = project.write_memo("Draft", "first thoughts")
    project.edit_memo(memo, "second thoughts")
    doc = project.get("memos", memo)
    assert doc is not None and doc["body"] == "second thoughts"
    assert doc["revisions"][0]["body"] == "first thoughts"


def test_merge_moves_codings_and_records_lineage(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    project.code("S1", *_span("you actually get it"), "Being understood")
    project.merge_codes(["Recognition", "Being understood"], "Feeling understood")
    (row,) = project.code_tree()
    assert (row.label, row.segments) == ("Feeling understood", 2)
    events = {e["event"] for e in project.lineage("Feeling understood")}
    assert {"merge", "merge-in"} <= events


def test_split_reassigns_named_codings(project: Project) -> None:
    first = project.code("S1", *_span("right"), "Recognition")
    project.code("S1", *_span("you actually get it"), "Recognition")
    project.split_code("Recognition", {first: "Instant recognition"})
    counts = {row.label: row.segments for row in project.code_tree()}
    assert counts == {"Recognition": 1, "Instant recognition": 1}


def test_rename_move_level_and_retire_are_undoable(project: Project) -> None:
    project.create_code("Hope")
    project.create_code("Change")
    project.rename_code("Hope", "Holding hope")
    project.move_code("Holding hope", "Change")
    project.set_code_level("Change", "focused")
    project.retire_code("Holding hope")
    assert [c.label for c in project.code_tree()] == ["Change"]
    for _ in range(4):
        project.undo()
    assert {c.label for c in project.code_tree()} == {"Hope", "Change"}


def test_a_code_cannot_move_under_its_own_child(project: Project) -> None:
    project.create_code("Parent")
    project.create_code("Child", parent="Parent")
    with pytest.raises(BadInputError, match="descendant"):
        project.move_code("Parent", "Child")


def test_a_snapshot_freezes_the_codebook_with_counts(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    snapshot = project.snapshot_codebook("after P01")
    doc = project.get("snapshots", snapshot)
    assert doc is not None and doc["codes"][0]["segments"] == 1


def test_check_passes_on_a_sound_project(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    assert check_project(project) == []


def test_check_reports_an_anchor_outside_its_text(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    project.store._data["segments"]["G1"] = {**project.store._data["segments"]["G1"], "end": 99_999}
    assert any("outside its text" in p for p in check_project(project))


def test_check_reports_an_altered_transcript(project: Project) -> None:
    doc = project.store._data["texts"]["V1"]
    project.store._data["texts"]["V1"] = {**doc, "text": doc["text"].replace("ward", "wing")}
    assert any("sha256" in p for p in check_project(project))


def test_writes_to_a_read_only_project_are_refused(project: Project) -> None:
    with (
        Project.open(project.path, readonly=True) as reader,
        pytest.raises(WorkbenchError, match="read-only"),
    ):
        reader.create_code("Hope")


def test_a_correction_makes_a_new_version_and_carries_anchors(project: Project) -> None:
    project.code("S1", *_span("I could just say it"), "Speaking freely")
    corrected = TEXT.replace("on the ward", "on Ashby ward")
    vid, flagged = project.correct_source("S1", ImportedTranscript(corrected))
    (segment,) = project.coded_segments("Speaking freely")
    assert (vid, flagged, segment.text, segment.flag) == ("V2", 0, "I could just say it", "")
    assert project.get("versions", "V2")["parent_id"] == "V1"  # type: ignore[index]
    assert project.get("texts", "V1")["text"] == TEXT  # type: ignore[index]


def test_a_correction_flags_anchors_whose_words_changed(project: Project) -> None:
    project.code("S1", *_span("you actually get it"), "Feeling understood")
    _vid, flagged = project.correct_source("S1", ImportedTranscript(TEXT.replace("actually", "really")))
    (segment,) = project.coded_segments("Feeling understood")
    assert flagged == 1
    assert segment.text == "you really get it" and "review" in segment.flag


def test_an_identical_correction_is_refused(project: Project) -> None:
    with pytest.raises(BadInputError, match="identical"):
        project.correct_source("S1", ImportedTranscript(TEXT))


def test_speaker_roles_can_be_remapped_without_touching_the_text(project: Project) -> None:
    project.set_speaker("S1", "Participant", role="other")
    assert project.speaker_roles("S1")["Participant"] == "other"
    assert {t.role for t in project.effective_turns("S1") if t.label == "Participant"} == {"other"}
    with pytest.raises(NotFoundError, match="no speaker"):
        project.set_speaker("S1", "Narrator", role="other")


def test_participant_attributes_and_pseudonym_update(project: Project) -> None:
    project.update_participant("P01", pseudonym="Sam", attributes={"age band": "30-39"})
    doc = project.get("participants", "P01")
    assert doc is not None and (doc["pseudonym"], doc["attributes"]) == ("Sam", {"age band": "30-39"})


def test_links_sets_and_clusters_reference_entities(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    project.create_code("Trust")
    link = project.create_link("Recognition", "Trust", "leads to", evidence=["G1"])
    group = project.create_set("double-coded", ["S1"])
    cluster = project.create_cluster(
        "Relational safety", ["Recognition", "Trust"], techniques=["abstraction"]
    )
    assert project.get("links", link)["evidence"] == ["segment:G1"]  # type: ignore[index]
    assert project.get("sets", group)["members"] == ["source:S1"]  # type: ignore[index]
    assert project.get("clusters", cluster)["children"] == ["code:C1", "code:C2"]  # type: ignore[index]
    assert check_project(project) == []


def test_link_evidence_must_be_a_segment(project: Project) -> None:
    project.create_code("A")
    project.create_code("B")
    with pytest.raises(BadInputError, match="evidence"):
        project.create_link("A", "B", "relates", evidence=["S1"])


def test_line_settings_repaginate_only_unfrozen_versions_unless_asked(project: Project) -> None:
    from workbench.core.text import LineSettings

    project.code("S1", *_span("right"), "Recognition")
    assert project.update_settings(line_settings=LineSettings(width=40)) == []
    assert project.update_settings(line_settings=LineSettings(width=40), repaginate=True) == ["V1"]
    assert project.text_record("V1").linemap.settings.width == 40


def test_an_unknown_citation_placeholder_is_refused(project: Project) -> None:
    with pytest.raises(BadInputError):
        project.update_settings(citation="{name} {page}")


def test_extracts_mark_interviewer_turns(project: Project) -> None:
    start = TEXT.index("Changed it how")
    end = TEXT.index("I stopped performing") + len("I stopped performing")
    project.code("S1", start, end, "Exchange")
    (segment,) = project.coded_segments("Exchange", extracts=True)
    assert segment.extract.startswith("I: Changed it how?")


def test_marking_a_transcript_coded_snapshots_the_codebook(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    snapshot = project.set_source_status("S1", "coded")
    doc = project.get("snapshots", snapshot or "")
    assert doc is not None and "Alex" in doc["label"] and doc["codes"][0]["label"] == "Recognition"
    project.undo()
    assert project.rows("snapshots") == [] and project.source("S1")["status"] == "in progress"


def test_a_merge_snapshots_the_codebook_before_it(project: Project) -> None:
    project.code("S1", *_span("right"), "Recognition")
    project.code("S1", *_span("you actually get it"), "Being understood")
    project.merge_codes(["Recognition", "Being understood"], "Feeling understood")
    (snapshot,) = project.rows("snapshots")
    assert {c["label"] for c in snapshot["codes"]} == {"Recognition", "Being understood"}


def test_changes_since_names_the_documents_an_operation_changed(project: Project) -> None:
    seen = project.change_count
    coding_id = project.code("S1", *_span("right"), "Relief")
    coding = project.get("codings", coding_id)
    changed = project.changes_since(seen)
    assert changed is not None and coding is not None
    assert ("codings", coding_id) in changed and ("segments", coding["segment_id"]) in changed
    assert project.changes_since(project.change_count) == []


def test_changes_since_gives_up_when_more_changed_than_it_remembers(project: Project) -> None:
    from workbench.core.project import RECENT_CHANGES

    seen = project.change_count
    project.change_count += RECENT_CHANGES + 1  # as if that many changes had been applied
    assert project.changes_since(seen) is None
    assert project.changes_since(project.change_count + 1) is None  # a count from the future


def test_a_codings_undo_summary_cites_the_passage_not_its_offsets(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p", "T", actor="ann") as project:
        project.add_source(
            ImportedTranscript("Interviewer: hello\nParticipant: it was the ward\n"),
            "a.txt",
            pseudonym="Alex",
        )
        start, end = project.span_of_lines("S1", 2, 2)
        project.code("S1", start, end, "Ward")
        assert project.can_undo() == "code Alex, 1:2 as 'Ward'"
        project.uncode("S1", start, end, "Ward")
        assert project.can_undo() == "remove 'Ward' from Alex, 1:2"
