"""What the plugin registers: vocabularies, workflow, validators, the notes margin, tables."""

from __future__ import annotations

from pathlib import Path

from wb_ipa.margin import margin_notes

from tests.ipa.conftest import Wb, lines
from workbench.core.project import Project
from workbench.plugins import PluginHost


def test_vocabularies_name_levels_note_types_and_memo_types(wb_host: PluginHost) -> None:
    levels = wb_host.vocabularies(kind="code-levels", method="ipa")[0].terms
    assert [t.id for t in levels] == ["experiential-statement", "pet", "pet-subtheme", "get", "get-subtheme"]
    assert "Emergent theme" in levels[0].description
    notes = wb_host.vocabularies(kind="note-types", method="ipa")[0].terms
    assert [t.glyph for t in notes] == ["D", "L", "C", "F"]
    memos = {t.id for t in wb_host.vocabularies(kind="memo-types", method="ipa")[0].terms}
    assert {"reflexive", "reading-log", "clustering-rationale", "cross-case"} <= memos


def test_workflow_follows_the_case_status_machine(wb_host: PluginHost) -> None:
    workflow = next(w for w in wb_host.workflows() if w.method == "ipa")
    steps = [s.id for s in workflow.steps]
    assert steps[:5] == ["reading", "noting", "statements", "clustering", "pets-complete"]


def test_no_saturation_table_is_offered(wb_host: PluginHost) -> None:
    names = [t.name for t in wb_host.tables() if t.plugin == "ipa"]
    assert "ipa-recurrence" in names and not any("saturation" in n for n in names)


def test_validator_flags_statements_without_notes(study: Path, wb: Wb, wb_host: PluginHost) -> None:
    wb("ipa", "start", str(study), "P01")
    wb("ipa", "statement", str(study), "S1", "--lines", lines(study, "S1", "I can see a future"), "Hope")
    with Project.open(study, readonly=True) as project:
        found = [f for f in wb_host.run_validators(project) if f.validator == "ipa-statement-notes"]
    assert len(found) == 1 and "'Hope'" in found[0].message


def test_margin_shows_notes_by_line_with_letter_prefixes(study: Path, wb: Wb) -> None:
    d = str(study)
    wb("ipa", "start", d, "P01")
    where = lines(study, "S1", "Like breathing out")
    wb("ipa", "note", d, "S1", "--lines", where, "--type", "D", "--text", "relief")
    wb("ipa", "note", d, "S1", "--lines", where, "--type", "C", "--text", "breath")
    with Project.open(study, readonly=True) as project:
        assert margin_notes(project, "S1") == {int(where.split("-")[0]): "D: relief | C: breath"}
