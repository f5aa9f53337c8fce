"""Themes, phases, the journal, the map and the margin, through the plugin's modules on a real project."""

from __future__ import annotations

import pytest
from workbench import BadInputError, NotFoundError, Project

from workbench_rta import journal, phases, thematic_map
from workbench_rta.margin import themes_by_line
from workbench_rta.themes import ThemeChange, add_theme, change_theme, extracts, find_theme, themes

BELONGING = "From wariness to belonging"


def _belonging(study: Project) -> str:
    return add_theme(
        study,
        BELONGING,
        "safety comes from being recognised",
        codes=["Expecting judgement", "Being recognised"],
    )


def test_a_candidate_theme_keeps_its_concept_and_codes_as_links(study: Project) -> None:
    theme_id = _belonging(study)
    record = study.record(theme_id)
    assert record["kind"] == "rta.theme"
    assert record["data"]["status"] == "candidate"
    assert record["data"]["concept"] == "safety comes from being recognised"
    assert [ref.split(":")[0] for ref in record["links"]] == ["code", "code"]


def test_a_theme_without_a_central_organising_concept_is_refused(study: Project) -> None:
    with pytest.raises(BadInputError, match="central organising concept"):
        add_theme(study, "Groups", "  ", codes=["Being recognised"])
    assert themes(study) == []


def test_a_second_theme_with_the_same_name_is_refused(study: Project) -> None:
    _belonging(study)
    with pytest.raises(BadInputError, match="already exists"):
        add_theme(study, BELONGING.upper(), "another concept")


def test_a_theme_cannot_be_marked_defined_before_it_has_a_definition(study: Project) -> None:
    theme_id = _belonging(study)
    with pytest.raises(BadInputError, match="before marking it defined"):
        change_theme(study, theme_id, ThemeChange(status="defined"))
    defined = change_theme(
        study, theme_id, ThemeChange(definition="moving from fear to feeling at home", status="defined")
    )
    assert (defined.status, defined.glyph) == ("defined", "✓")


def test_renaming_a_theme_keeps_its_earlier_names(study: Project) -> None:
    theme_id = _belonging(study)
    renamed = change_theme(study, theme_id, ThemeChange(name="Finding a place"))
    assert (renamed.name, renamed.names) == ("Finding a place", (BELONGING,))
    assert find_theme(study, "finding a place").id == theme_id


def test_a_theme_cannot_sit_under_its_own_subtheme(study: Project) -> None:
    parent = _belonging(study)
    add_theme(study, "Judgement", "the imagined gaze of others", parent=BELONGING)
    with pytest.raises(BadInputError, match="its own subtheme"):
        change_theme(study, parent, ThemeChange(parent="Judgement"))
    assert [t.name for t in themes(study)] == [BELONGING, "Judgement"]


def test_a_theme_change_is_one_undoable_operation(study: Project) -> None:
    theme_id = _belonging(study)
    change_theme(study, theme_id, ThemeChange(status="reviewed", drop_codes=["Being recognised"]))
    study.undo()
    theme = find_theme(study, theme_id)
    assert theme.status == "candidate" and len(theme.codes) == 2


def test_an_unknown_code_or_theme_is_not_found(study: Project) -> None:
    with pytest.raises(NotFoundError, match="no active code 'Hope'"):
        add_theme(study, "Hope", "what keeps people coming", codes=["Hope"])
    with pytest.raises(NotFoundError, match="no theme 'Hope'"):
        find_theme(study, "Hope")


def test_extracts_come_with_their_citations(study: Project) -> None:
    theme = find_theme(study, _belonging(study))
    found = extracts(study, theme)
    assert [(e.code, e.citation) for e in found] == [
        ("Expecting judgement", "Alex, 1:3"),
        ("Being recognised", "Alex, 1:7"),
    ]
    assert found[0].text == "I sat at the back. I was sure they would judge me."


def test_moving_back_a_phase_is_recorded_and_becomes_current(study: Project) -> None:
    phases.enter_phase(study, "reviewing", "candidate themes ready")
    phases.enter_phase(study, "coding", "the review showed gaps in coding")
    assert phases.current_phase(study).id == "coding"
    statuses = {p.step.id: p.status for p in phases.progress(study)}
    assert statuses == {
        "familiarisation": "visited",
        "coding": "current",
        "generating": "not yet",
        "reviewing": "visited",
        "defining": "not yet",
        "writing": "not yet",
    }


def test_entering_the_current_phase_or_an_unknown_one_is_refused(study: Project) -> None:
    phases.enter_phase(study, "coding")
    with pytest.raises(BadInputError, match="already in phase"):
        phases.enter_phase(study, "coding")
    with pytest.raises(BadInputError, match="unknown phase 'analysis'"):
        phases.enter_phase(study, "analysis")


def test_a_journal_entry_is_a_reflexive_memo_titled_after_the_phase(study: Project) -> None:
    phases.enter_phase(study, "generating")
    memo_id = journal.write_entry(study, "My own wariness of groups colours this theme.")
    memo = study.get("memos", memo_id)
    assert memo is not None
    assert (memo["type"], memo["title"]) == ("reflexive", "Journal: 3. Generating initial themes")
    assert [m["id"] for m in journal.entries(study)] == [memo_id]


def test_a_familiarisation_note_is_linked_to_its_transcript(study: Project) -> None:
    memo = study.get("memos", journal.write_note(study, "S1", "fear first, then recognition"))
    assert memo is not None and (memo["type"], memo["links"]) == ("familiarisation", ["source:S1"])
    assert phases.progress(study)[0].evidence == "1 of 1 transcripts have a familiarisation note"


def test_the_map_draws_subthemes_relations_and_leaves_out_discarded_themes(study: Project) -> None:
    parent = _belonging(study)
    child = add_theme(study, "Judgement", "the imagined gaze of others", parent=BELONGING)
    change_theme(study, child, ThemeChange(relate=[("tension-with", BELONGING)]))
    add_theme(study, "Coffee", "a topic, not a theme")
    change_theme(study, "Coffee", ThemeChange(status="discarded"))
    dot = thematic_map.to_dot(study)
    assert f'"{parent}" -> "{child}";' in dot
    assert f'"{child}" -> "{parent}" [style=dashed, label="in tension with"];' in dot
    assert "Coffee" not in dot
    mermaid = thematic_map.to_mermaid(study, codes=True)
    assert mermaid.startswith("flowchart TD\n")
    assert f"  {parent} --> {child}" in mermaid
    assert '(["Being recognised"])' in mermaid


def test_the_margin_shows_each_coded_line_with_its_themes(study: Project) -> None:
    _belonging(study)
    add_theme(study, "Judgement", "the imagined gaze of others", codes=["Expecting judgement"])
    assert themes_by_line(study, "S1") == {
        3: f"? {BELONGING}; ? Judgement",
        7: f"? {BELONGING}",
    }
