"""CMP-4, CMP-8, CMP-13: mappings with relation, rationale and evidence; changes and deletions logged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.conftest import tree_digest
from tests.compare.conftest import Cli


def _mappings(cli: Cli, ws: Path, *extra: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(cli("compare", "mappings", str(ws), "--json", *extra)[1])
    return found


def _table(cli: Cli, ws: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(cli("table", str(ws), name, "--format", "csv")[1])))


def test_a_mapping_without_rationale_is_refused_and_changes_nothing(workspace: Path, cli: Cli) -> None:
    before = tree_digest(workspace)
    code, _out, err = cli(
        "compare", "map", str(workspace), "C24", "R49", "--relation", "equivalent", "--rationale", " "
    )
    assert code == 2 and "rationale" in err
    assert tree_digest(workspace) == before


def test_a_related_mapping_needs_a_free_label_and_shows_it(workspace: Path, cli: Cli) -> None:
    code, _o, err = cli(
        "compare", "map", str(workspace), "C25", "R51", "--relation", "related", "--rationale", "r"
    )
    assert code == 2 and "--label" in err
    cli(
        "compare",
        "map",
        str(workspace),
        "C25",
        "R51",
        "--relation",
        "related",
        "--label",
        "enables",
        "--rationale",
        "r",
    )
    assert _mappings(cli, workspace)[0]["symbol"] == "~ enables"


def test_an_unknown_relation_lists_the_choices(workspace: Path, cli: Cli) -> None:
    code, _o, err = cli(
        "compare", "map", str(workspace), "C24", "R49", "--relation", "similar", "--rationale", "r"
    )
    assert code == 2 and "equivalent, broader, narrower, overlap" in err


def test_the_rationale_is_a_memo_and_evidence_is_a_quote_from_each_side(workspace: Path, cli: Cli) -> None:
    cli(
        "compare",
        "map",
        str(workspace),
        "A:code:C24",
        "B:record:R49",
        "--relation",
        "equivalent",
        "--rationale",
        "being understood",
        "--evidence-a",
        "2",
        "--evidence-b",
        "1",
        "3",
        "--confidence",
        "high",
    )
    mapping = _mappings(cli, workspace)[0]
    assert mapping["rationale"] == "being understood" and str(mapping["rationale_memo"]).startswith("M")
    assert len(mapping["evidence_a"]) == 1 and len(mapping["evidence_b"]) == 2  # type: ignore[arg-type]
    shown = json.loads(cli("compare", "show", str(workspace), "A:code:C24", "--json")[1])
    assert mapping["evidence_a"] == [shown["quotes"][1]["ref"]]
    row = _table(cli, workspace, "cmp-concordance")[0]
    assert row["Confidence"] == "high" and row["Evidence B"].count("\n") == 1


def test_evidence_numbers_beyond_a_concepts_quotes_are_refused(workspace: Path, cli: Cli) -> None:
    code, _o, err = cli(
        "compare",
        "map",
        str(workspace),
        "C24",
        "R49",
        "--relation",
        "equivalent",
        "--rationale",
        "r",
        "--evidence-a",
        "99",
    )
    assert code == 2 and "there is no quote 99" in err


def test_mapping_a_gt_category_to_an_ipa_theme_prompts_about_method(workspace: Path, cli: Cli) -> None:
    out = cli("compare", "map", str(workspace), "C24", "R49", "--relation", "equivalent", "--rationale", "r")[
        1
    ]
    assert "A's concept is a process category (GT), B's is an experiential theme (IPA)" in out
    assert "content, not kind" in out and "≈ content" in out
    assert "content, not kind" in _mappings(cli, workspace)[0]["method_note"]  # type: ignore[operator]


def test_mapping_the_same_pair_again_changes_it_and_logs_the_change(workspace: Path, cli: Cli) -> None:
    cli("compare", "map", str(workspace), "C24", "R49", "--relation", "equivalent", "--rationale", "first")
    out = cli(
        "compare", "map", str(workspace), "C24", "R49", "--relation", "content", "--rationale", "second"
    )[1]
    assert out.startswith("changed")
    mappings = _mappings(cli, workspace)
    assert len(mappings) == 1 and mappings[0]["symbol"] == "≈" and mappings[0]["rationale"] == "second"
    audit = _table(cli, workspace, "cmp-audit")
    assert [(r["Event"], r["Relation"], r["Rationale / reason"]) for r in audit] == [
        ("create", "≡", "first"),
        ("change", "≈", "second"),
    ]


def test_unmapping_keeps_the_mapping_in_the_audit_trail_with_its_reason(workspace: Path, cli: Cli) -> None:
    cli("compare", "map", str(workspace), "C24", "R49", "--relation", "overlap", "--rationale", "first")
    mapping_id = _mappings(cli, workspace)[0]["id"]
    assert cli("compare", "unmap", str(workspace), str(mapping_id), "--reason", "on reflection, no")[0] == 0
    assert _mappings(cli, workspace) == []
    assert _mappings(cli, workspace, "--all")[0]["status"] == "deleted"
    audit = _table(cli, workspace, "cmp-audit")
    assert [(r["Event"], r["Rationale / reason"]) for r in audit][-1] == ("delete", "on reflection, no")


def test_unmapping_a_pair_that_is_not_mapped_is_not_found(workspace: Path, cli: Cli) -> None:
    code, _o, err = cli("compare", "unmap", str(workspace), "C24", "R49")
    assert code == 3 and "are not mapped" in err


def test_a_refutation_without_explanation_is_flagged_until_explained(workspace: Path, cli: Cli) -> None:
    out = cli(
        "compare", "map", str(workspace), "C25", "R52", "--relation", "refutes", "--rationale", "contradict"
    )[1]
    assert "needs a possible explanation" in out
    assert _table(cli, workspace, "cmp-refutations")[0]["Possible explanations"].startswith("⚠ required")
    assert "no possible explanation" in cli("check", str(workspace))[1]
    code, _o, err = cli("compare", "refute", str(workspace), "C25", "R52", "--explanation", "")
    assert code == 2 and "possible explanation" in err
    cli(
        "compare",
        "refute",
        str(workspace),
        "C25",
        "R52",
        "--explanation",
        "different settings",
        "--factor",
        "setting",
    )
    assert (
        _table(cli, workspace, "cmp-refutations")[0]["Possible explanations"]
        == "different settings [setting]"
    )


def test_only_refutes_mappings_take_an_explanation(workspace: Path, cli: Cli) -> None:
    cli("compare", "map", str(workspace), "C24", "R49", "--relation", "overlap", "--rationale", "r")
    code, _o, err = cli("compare", "refute", str(workspace), "C24", "R49", "--explanation", "x")
    assert code == 2 and "not ✕ refutes" in err


def test_concepts_mark_their_mappings_and_unmapped_ones_with_a_dot(workspace: Path, cli: Cli) -> None:
    cli("compare", "map", str(workspace), "C24", "R49", "--relation", "broader", "--rationale", "r")
    lines = cli("compare", "concepts", str(workspace))[1].splitlines()
    assert any(line.startswith("A:code:C24") and " ⊃ " in line for line in lines)
    assert any(line.startswith("B:record:R52") and " · " in line for line in lines)
