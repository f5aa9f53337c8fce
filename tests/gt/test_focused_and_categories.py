"""GT-6 promotion and GT-7 categories, properties and dimensional locations: the rules and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gt.conftest import answer_line, run_cli, table


@pytest.fixture
def coded(study: Path) -> Path:
    d = str(study)
    run_cli("gt", "code", d, "S1", "--lines", answer_line(2), "Testing trust")
    run_cli("gt", "code", d, "S2", "--lines", answer_line(2), "Waiting for judgement")
    run_cli("gt", "code", d, "S3", "--lines", answer_line(2), "Lending trust")
    return study


def test_promoting_one_code_in_place_keeps_its_segments_and_records_a_promotion(coded: Path) -> None:
    run_cli("gt", "promote", str(coded), "Lending trust")
    rows = table(run_cli, coded, "gt-lineage")
    assert [(r["Initial code"], r["→ Focused code"], r["Operation"]) for r in rows] == [
        ("Lending trust", "Lending trust", "promote")
    ]
    assert rows[0]["Segments"].endswith("(Clive, 1:7)")


def test_promoting_several_codes_needs_the_focused_codes_name(coded: Path) -> None:
    err = run_cli("gt", "promote", str(coded), "Testing trust", "Lending trust", ok=False)
    assert "name the focused code with --to" in err
    assert [c["level"] for c in json.loads(run_cli("codes", str(coded), "--json"))] == ["initial"] * 3


def test_a_focused_code_cannot_be_promoted_again(coded: Path) -> None:
    run_cli("gt", "promote", str(coded), "Lending trust")
    err = run_cli("gt", "promote", str(coded), "Lending trust", ok=False)
    assert "already at level focused" in err


def test_promoting_into_an_existing_focused_code_adds_to_its_lineage(coded: Path) -> None:
    run_cli("gt", "promote", str(coded), "Testing trust", "--to", "Building trust")
    run_cli("gt", "promote", str(coded), "Waiting for judgement", "--to", "Building trust")
    rows = table(run_cli, coded, "gt-lineage")
    assert sorted(r["Initial code"] for r in rows) == ["Testing trust", "Waiting for judgement"]
    assert {r["→ Focused code"] for r in rows} == {"Building trust"}


def test_a_property_needs_both_ends_of_its_dimension(coded: Path) -> None:
    run_cli("gt", "category", str(coded), "Developing trust", "--member", "Testing trust")
    err = run_cli(
        "gt", "property", str(coded), "Developing trust", "pace", "--low", "", "--high", "open", ok=False
    )
    assert "both ends" in err
    assert table(run_cli, coded, "gt-properties") == []


def test_properties_belong_to_categories_not_codes(coded: Path) -> None:
    err = run_cli(
        "gt", "property", str(coded), "Testing trust", "pace", "--low", "a", "--high", "b", ok=False
    )
    assert "not a category" in err


def test_ordinal_steps_name_positions_between_the_ends(coded: Path) -> None:
    d = str(coded)
    run_cli("gt", "category", d, "Developing trust", "--member", "Testing trust", "--member", "Lending trust")
    run_cli(
        "gt",
        "property",
        d,
        "Developing trust",
        "pace",
        "--low",
        "guarded",
        "--high",
        "open",
        "--step",
        "testing",
    )
    run_cli("gt", "locate", d, "Developing trust", "pace", "S3:lend trust", "--position", "testing")
    err = run_cli(
        "gt", "locate", d, "Developing trust", "pace", "S1:I tested", "--position", "sideways", ok=False
    )
    assert "not on the range guarded ↔ testing ↔ open" in err
    rows = table(run_cli, coded, "gt-dimensional-profile")
    assert [(r["Participant"], r["Position"], r["Dimension"]) for r in rows] == [
        ("Clive (P03)", "testing", "guarded [─────●─────] open")
    ]


def test_a_segment_is_located_once_per_property(coded: Path) -> None:
    d = str(coded)
    run_cli("gt", "category", d, "Developing trust", "--member", "Testing trust")
    run_cli("gt", "property", d, "Developing trust", "pace", "--low", "guarded", "--high", "open")
    run_cli("gt", "locate", d, "Developing trust", "pace", "S1:I tested", "--position", "low")
    err = run_cli(
        "gt", "locate", d, "Developing trust", "pace", "S1:I tested", "--position", "high", ok=False
    )
    assert "already located" in err


def test_marking_the_core_category_shows_in_the_hierarchy(coded: Path) -> None:
    run_cli("gt", "category", str(coded), "Developing trust", "--member", "Testing trust")
    run_cli("gt", "core", str(coded), "Developing trust")
    rows = table(run_cli, coded, "gt-categories")
    assert rows[0]["Category / code"] == "Developing trust" and rows[0]["Level"] == "core"


def test_paradigm_links_without_evidence_are_flagged_as_asserted(coded: Path) -> None:
    d = str(coded)
    run_cli("gt", "category", d, "Developing trust", "--member", "Testing trust")
    run_cli("gt", "category", d, "Caution", "--member", "Waiting for judgement")
    out = run_cli("gt", "paradigm", d, "Developing trust", "context", "Caution")
    assert "asserted, not grounded" in out
    rows = table(run_cli, coded, "gt-paradigm", "mode=1990")
    assert rows[0]["Context"] == "Caution (no evidence — asserted, not grounded)"
    assert "relation Caution —context→ Developing trust has no evidence" in run_cli("check", d)


def test_relations_accept_only_gt_relation_types(coded: Path) -> None:
    err = run_cli("gt", "relate", str(coded), "Testing trust", "likes", "Lending trust", ok=False)
    assert "invalid choice" in err
