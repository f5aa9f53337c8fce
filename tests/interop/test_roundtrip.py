"""Our project -> .qdpx -> new project gives the same codes, codings (same text), memos, links and more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wb_interop.project_import import import_file
from wb_interop.refi_export import export_qdpx

from workbench.core.integrity import check_project
from workbench.core.project import Project


def _codings(project: Project) -> list[tuple[str, str, str]]:
    out = []
    for coding in project.rows("codings"):
        segment = project.get("segments", coding["segment_id"]) or {}
        text = project.text_record(segment["version_id"]).text[segment["start"] : segment["end"]]
        out.append((project.get("codes", coding["code_id"])["label"], coding["coder"], text))  # type: ignore[index]
    return sorted(out)


@pytest.fixture
def pair(coded: Project, tmp_path: Path) -> tuple[Project, Any]:
    out = export_qdpx(coded, tmp_path / "study.qdpx")
    import_file(tmp_path / "copy", out)
    with Project.open(tmp_path / "copy", readonly=True) as copy:
        yield coded, copy


def test_codes_come_back_with_hierarchy_definitions_levels_and_kinds(pair: tuple[Project, Project]) -> None:
    original, copy = pair
    fields = ("id", "label", "definition", "level", "kind", "parent_id", "status")
    assert [{k: c[k] for k in fields} for c in copy.codes()] == [
        {k: c[k] for k in fields} for c in original.codes()
    ]


def test_codings_come_back_on_the_same_text_with_their_coders(pair: tuple[Project, Project]) -> None:
    original, copy = pair
    assert _codings(copy) == _codings(original)


def test_memos_come_back_with_types_and_links(pair: tuple[Project, Project]) -> None:
    original, copy = pair
    fields = ("title", "body", "type", "links")
    assert [{k: m[k] for k in fields} for m in copy.rows("memos")] == [
        {k: m[k] for k in fields} for m in original.rows("memos")
    ]


def test_links_sets_clusters_and_plugin_records_come_back(pair: tuple[Project, Project]) -> None:
    original, copy = pair
    for table, fields in (
        ("links", ("origin", "target", "relation", "direction", "evidence")),
        ("sets", ("name", "members")),
        ("clusters", ("name", "children", "techniques")),
        ("records", ("kind", "data", "links")),
    ):
        assert [{k: d[k] for k in fields} for d in copy.rows(table)] == [
            {k: d[k] for k in fields} for d in original.rows(table)
        ], table


def test_the_copy_passes_every_integrity_check(pair: tuple[Project, Project]) -> None:
    assert check_project(pair[1]) == []


def test_participants_and_speaker_turns_come_back(pair: tuple[Project, Project]) -> None:
    original, copy = pair
    assert copy.participants() == original.participants()
    assert copy.current_text("S1")[1].turns == original.current_text("S1")[1].turns


def test_importing_into_an_existing_project_is_one_undoable_step(coded: Project, tmp_path: Path) -> None:
    out = export_qdpx(coded, tmp_path / "study.qdpx")
    with Project.create(tmp_path / "other", "Other") as project:
        project.create_code("Unrelated")
    import_file(tmp_path / "other", out)
    with Project.open(tmp_path / "other") as project:
        assert len(project.rows("codings")) == 3
        assert project.undo() == "import study.qdpx"
        assert project.rows("codings") == [] and [c["label"] for c in project.codes()] == ["Unrelated"]
