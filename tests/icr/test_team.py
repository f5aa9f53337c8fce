"""Team features beyond the E2E scenario: free-unit rounds, merge (ICR-8), layers margin, the
adjudication screen, COREQ (GOV-14) and the small-cell check (GOV-5)."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.app import App
from wb_team.margin import layers_by_line
from wb_team.screens import AdjudicationScreen

from tests.icr.conftest import cli, cli_json
from workbench.core.project import Project


def test_a_free_unit_round_reports_character_and_overlap_agreement(study: Path) -> None:
    d = str(study)
    cli(
        "icr",
        "round",
        d,
        "f",
        "--coders",
        "ann,bob",
        "--unit",
        "free",
        "--sources",
        "S1",
        "--threshold",
        "0.8",
    )
    cli("icr", "code", d, "f", "S1", "Hope", "--chars", "40:80", "--coder", "ann")
    cli("icr", "code", d, "f", "S1", "Hope", "--chars", "42:80", "--coder", "bob")
    cli("icr", "code", d, "f", "S1", "Hope", "--chars", "100:120", "--coder", "ann")
    cli("icr", "close", d, "f")
    row = next(r for r in cli_json("icr", "report", d, "--round", "f") if r["code"] == "Hope")
    metrics = row["metrics"]
    assert (metrics["both"], metrics["a_only"], metrics["b_only"]) == (38, 22, 0)
    assert (metrics["segments_matched"], metrics["segments_a_only"]) == (1, 1)
    log = cli_json("icr", "disagreements", d, "--round", "f")
    assert [(x["type"], x["a"], x["b"]) for x in log] == [("one-only", "Hope", "—")]


def test_merging_a_coders_copy_adds_their_codings_and_lists_conflicts(study: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(study, copy)
    (copy / "writer.lock").unlink(missing_ok=True)
    with Project.open(copy, actor="bob") as other:
        other.code("S1", 40, 80, "Hope")
        other.code("S2", 40, 80, "Resilience")
        other.redefine_code("Hope", "their definition")
        other.write_memo("Bob's memo", "hope is relational", links=["Hope"])
    result = cli_json("icr", "merge", str(study), str(copy))
    assert (result["codings_added"], result["codes_added"], result["memos_added"]) == (2, 1, 1)
    assert any("definitions differ" in c for c in result["conflicts"])
    coders = {c["id"]: c for c in cli_json("coders", str(study))}
    assert coders["bob"]["codings"] == 2 and coders["bob"]["memos"] == 1


def test_a_copy_with_a_different_transcript_is_a_conflict_not_a_merge(study: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    cli("new", str(other), "--title", "x")
    text = tmp_path / "changed.txt"
    text.write_text("Interviewer: hi\n\nParticipant: different words entirely\n", encoding="utf-8")
    cli("add", str(other), str(text))
    result = cli_json("icr", "merge", str(study), str(other))
    assert result["sources_matched"] == 0 and "different sha256" in result["conflicts"][0]


def test_the_layers_margin_shows_initials_and_hides_open_rounds(study: Path) -> None:
    cli("coders", str(study), "--set", "ann", "--initials", "A")
    cli("code", str(study), "S1", "--lines", "3", "Hope", "--coder", "ann")
    cli("icr", "round", str(study), "r", "--coders", "ann,bob", "--sources", "S1")
    cli("icr", "code", str(study), "r", "S1", "Testing trust", "--unit", "1", "--coder", "bob")
    with Project.open(study, readonly=True) as project:
        margin = layers_by_line(project, "S1")
    assert margin == {3: "A▌Hope"}


class Host(App[None]):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(AdjudicationScreen(self.project))


async def test_the_adjudication_screen_decides_by_keyboard_with_a_memo(study: Path) -> None:
    d = str(study)
    cli("icr", "round", d, "r", "--coders", "ann,bob", "--sources", "S1")
    cli("icr", "code", d, "r", "S1", "Hope", "--unit", "1", "--coder", "ann")
    cli("icr", "code", d, "r", "S1", "Hope", "--unit", "2", "--coder", "bob")
    cli("icr", "close", d, "r")
    with Project.open(study, actor="lena") as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("m", *"agreed after discussion", "enter", "a")
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
    log = cli_json("icr", "disagreements", d, "--round", "r")
    assert [x["resolution"] for x in log] == ["A (lena)", "neither (lena)"]
    assert log[0]["memo"] == "agreed after discussion"


def test_coreq_prefills_coders_policy_software_and_team_answers(study: Path) -> None:
    d = str(study)
    cli("code", d, "S1", "--lines", "3", "Hope", "--coder", "ann")
    cli("icr", "policy", d, "dialogic")
    cli("coreq", d, "--set", "2=DClinPsy trainee")
    rows = {r["item"]: r for r in cli_json("table", d, "gov-coreq", "--format", "json")}
    assert len(rows) == 32
    assert rows["24"]["draft text"].startswith("1 coder(s): ann; dialogic agreement")
    assert rows["2"]["draft text"] == "DClinPsy trainee"
    assert rows["27"]["draft text"].startswith("Qualitative Workbench")
    assert rows["12"]["draft text"] == "4 participants"


def test_the_identifiability_check_flags_a_unique_attribute_combination(study: Path) -> None:
    d = str(study)
    for pid, service in (("P01", "North"), ("P02", "North"), ("P03", "South"), ("P04", "North")):
        cli("participant", d, pid, "--attr", f"service={service}", "--attr", "band=30-39")
    rows = cli_json("table", d, "gov-identifiability", "--format", "json")
    assert [(r["attributes"], r["values"], r["participants"]) for r in rows] == [("service", "South", "1")]
    assert "GOV-5" in cli("check", d)
