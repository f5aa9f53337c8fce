"""CMP-3 and CMP-2: each study's concepts at selectable levels, and the study characteristics."""

from __future__ import annotations

import json
from pathlib import Path

from tests.compare.conftest import Cli


def _concepts(cli: Cli, ws: Path, study: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(
        cli("compare", "concepts", str(ws), "--study", study, "--json")[1]
    )
    return found


def test_gt_concepts_default_to_categories_and_focused_codes_under_them(workspace: Path, cli: Cli) -> None:
    concepts = _concepts(cli, workspace, "A")
    assert {c["level"] for c in concepts} == {"category", "focused"}
    by_label = {c["label"]: c for c in concepts}
    assert by_label["Sharing lived experience"]["parent"] == by_label["The process of disclosure"]["id"]


def test_a_gt_category_counts_participants_and_quotes_from_its_member_codes(
    workspace: Path, cli: Cli
) -> None:
    shown = json.loads(cli("compare", "show", str(workspace), "The product of disclosure", "--json")[1])
    assert shown["id"] == "A:code:C24" and shown["participants"] == 4
    assert shown["definition"].startswith("What disclosure makes possible")
    assert "Properties: strength" in shown["definition"]
    assert len(shown["quotes"]) == 5
    assert [q["citation"].split(",")[0] for q in shown["quotes"][:4]] == ["Alex", "Jas", "Clive", "Carys"]


def test_ipa_concepts_default_to_gets_and_sub_themes_with_their_chosen_extracts(
    workspace: Path, cli: Cli
) -> None:
    concepts = _concepts(cli, workspace, "B")
    assert [c["label"] for c in concepts] == [
        "Safety through shared experience",
        "Being known from the inside",
        "Hope through another's recovery",
        "Fragility of the connection",
    ]
    get = concepts[0]
    assert get["level"] == "get" and get["participants"] == 3 and get["kind"] == "experiential"
    assert get["quotes"][0]["citation"] == "Helen, 2:41–42"  # type: ignore[index]
    assert get["quotes"][0]["text"] == "I could put it down in front of someone and they wouldn't drop it"  # type: ignore[index]
    assert "first time the word applies" in str(get["definition"])


def test_choosing_levels_shows_pets_and_is_kept_by_the_workspace(workspace: Path, cli: Cli) -> None:
    out = cli("compare", "levels", str(workspace), "--study", "B", "--set", "get,pet")[1]
    assert "showing get, pet" in out
    levels = {c["level"] for c in _concepts(cli, workspace, "B")}
    assert levels == {"get", "pet"}
    pet = json.loads(cli("compare", "show", str(workspace), "Meeting on level ground", "--json")[1])
    assert pet["participants"] == 1 and "professionals 'up there'" in pet["definition"]
    cli("compare", "levels", str(workspace), "--study", "B", "--set", "")
    assert {c["level"] for c in _concepts(cli, workspace, "B")} == {"get", "get-subtheme"}


def test_a_level_the_study_does_not_have_is_refused(workspace: Path, cli: Cli) -> None:
    code, _o, err = cli("compare", "levels", str(workspace), "--study", "A", "--set", "core")
    assert code == 2 and "levels present: category, focused, initial" in err


def test_concept_ids_are_stable_across_reopenings(workspace: Path, cli: Cli) -> None:
    first = [c["id"] for c in _concepts(cli, workspace, "A")]
    assert first == [c["id"] for c in _concepts(cli, workspace, "A")]
    assert all(str(i).startswith("A:code:C") for i in first)


def test_study_characteristics_are_derived_and_can_be_set_per_study(workspace: Path, cli: Cli) -> None:
    cli(
        "compare",
        "characteristics",
        str(workspace),
        "--study",
        "B",
        "--set",
        "planned=6–8",
        "--set",
        "stance=phenomenological, idiographic",
    )
    rows = {
        r["Characteristic"]: r
        for r in json.loads(cli("compare", "characteristics", str(workspace), "--json")[1])
    }
    assert rows["N analysed (planned)"]["Study B"] == "3 (6–8)"
    assert rows["Epistemological stance"]["Study B"] == "phenomenological, idiographic"
    assert rows["Aim / research question"]["Study A"].startswith("How do service users experience")
    assert rows["Output structure"]["Study B"] == "3 × GET, 1 × GET sub-theme"


def test_an_unknown_characteristic_is_refused(workspace: Path, cli: Cli) -> None:
    code, _o, err = cli("compare", "characteristics", str(workspace), "--study", "A", "--set", "colour=blue")
    assert code == 2 and "unknown field colour" in err
