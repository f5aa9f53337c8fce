"""ICR-E2E (METHODS.md 10.2) through the real CLI: two coders, blind, a 25 % sample of turn units; the
report reproduces the ICR-10 test vectors; disagreements are adjudicated into the consensus layer; the
REFI-QDA export keeps each coder as ``creatingUser``."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.icr.conftest import cli, cli_json

# Participant turns per source: S1-S4 six each, S5 sixteen (40 turns; 25 % = 10 units).
TURNS = {"P01": 6, "P02": 6, "P03": 6, "P04": 6, "P05": 16}
QUICA = ([0, 1, 0, 1, 0, 1], [0, 1, 0, 1, 0, 0])
ATLAS = ([int(c) for c in "1100000000"], [int(c) for c in "0110010100"])


def _interview(pid: str, turns: int) -> str:
    return "".join(
        f"Interviewer: Question {k}?\n\nParticipant: {pid} answer {k} about peer support today.\n\n"
        for k in range(1, turns + 1)
    )


@pytest.fixture
def team(tmp_path: Path) -> Path:
    directory = tmp_path / "team"
    cli("new", str(directory), "--title", "Team coding (synthetic)", "--method", "gt")
    for pid, turns in TURNS.items():
        path = tmp_path / f"{pid}.txt"
        path.write_text(_interview(pid, turns), encoding="utf-8")
        cli("add", str(directory), str(path), "--participant", pid, "--pseudonym", f"Name{pid[1:]}")
    cli("codebook", str(directory), "create", "Hope")
    cli("coders", str(directory), "--set", "ann", "--name", "Ann Example", "--initials", "A")
    cli("coders", str(directory), "--set", "bob", "--name", "Bob Example", "--initials", "B")
    cli("icr", "policy", str(directory), "reliability")
    return directory


def _code_vectors(directory: Path, name: str, vectors: tuple[list[int], list[int]]) -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = cli_json("icr", "units", str(directory), name)
    assert len(units) == len(vectors[0])
    for coder, vector in zip(("ann", "bob"), vectors, strict=True):
        for unit, present in zip(units, vector, strict=True):
            if present:
                span = f"{unit['start']}:{unit['end']}"
                cli(
                    "icr",
                    "code",
                    str(directory),
                    name,
                    unit["source"],
                    "Hope",
                    "--chars",
                    span,
                    "--coder",
                    coder,
                )
    return units


def _hope_row(directory: Path, name: str) -> dict[str, Any]:
    rows = cli_json("icr", "report", str(directory), "--round", name)
    return next(r for r in rows if r["code"] == "Hope")


def test_a_25_percent_turn_sample_reproduces_the_atlas_vector(team: Path) -> None:
    cli(
        "icr",
        "round",
        str(team),
        "r1",
        "--coders",
        "ann,bob",
        "--unit",
        "turn",
        "--by",
        "units",
        "--percent",
        "25",
        "--seed",
        "7",
    )
    _code_vectors(team, "r1", ATLAS)
    cli("icr", "close", str(team), "r1")
    row = _hope_row(team, "r1")
    assert (row["N units"], row["P_o"], row["κ / κ_BP"], row["α"]) == (
        "10",
        "0.600",
        "0.091 / 0.200",
        "0.095",
    )
    assert row["prevalence A/B"] == "20%/40%"
    assert row["unit rule"] == "turn" and row["sources (n, % of corpus)"].endswith("25%")
    assert round(row["metrics"]["expected"], 3) == 0.56


def test_a_chosen_source_reproduces_the_quica_vector_with_scott_pi(team: Path) -> None:
    cli("icr", "round", str(team), "r2", "--coders", "ann,bob", "--unit", "turn", "--sources", "S1")
    _code_vectors(team, "r2", QUICA)
    cli("icr", "close", str(team), "r2")
    row = _hope_row(team, "r2")
    assert (row["P_o"], row["κ / κ_BP"].split(" / ")[0], row["α"]) == ("0.833", "0.667", "0.686")
    assert "Scott π 0.657" in row["notes"]


def test_coders_are_blind_until_the_round_is_closed(team: Path) -> None:
    cli("icr", "round", str(team), "r2", "--coders", "ann,bob", "--unit", "turn", "--sources", "S1")
    _code_vectors(team, "r2", QUICA)
    assert "still open" in cli("icr", "report", str(team), "--round", "r2", ok=False)
    assert "still open" in cli("icr", "disagreements", str(team), "--round", "r2", ok=False)
    mine = cli_json("icr", "mine", str(team), "r2", "--coder", "bob")
    assert len(mine) == 2  # bob's two codings only, never ann's three
    margin_hidden = cli("table", str(team), "team-coders")
    assert "icr:r2" in margin_hidden  # the layer exists, counted per coder


def test_shared_views_leave_out_an_open_rounds_codings_and_show_them_once_it_is_closed(team: Path) -> None:
    cli("icr", "round", str(team), "r2", "--coders", "ann,bob", "--unit", "turn", "--sources", "S1")
    _code_vectors(team, "r2", QUICA)
    assert cli_json("segments", str(team), "Hope") == []
    cli("icr", "close", str(team), "r2")
    assert {s["coder"] for s in cli_json("segments", str(team), "Hope")} >= {"ann", "bob"}


def test_coding_outside_the_sample_or_codebook_or_by_a_stranger_is_refused(team: Path) -> None:
    cli("icr", "round", str(team), "r2", "--coders", "ann,bob", "--unit", "turn", "--sources", "S1")
    assert "not in round" in cli(
        "icr", "code", str(team), "r2", "S2", "Hope", "--unit", "1", "--coder", "ann", ok=False
    )
    assert "frozen codebook" in cli(
        "icr", "code", str(team), "r2", "S1", "Brand new", "--unit", "1", "--coder", "ann", ok=False
    )
    assert "not a coder" in cli(
        "icr", "code", str(team), "r2", "S1", "Hope", "--unit", "1", "--coder", "eve", ok=False
    )


def test_disagreements_are_adjudicated_into_the_consensus_layer_and_logged(team: Path) -> None:
    cli("icr", "round", str(team), "r2", "--coders", "ann,bob", "--unit", "turn", "--sources", "S1")
    _code_vectors(team, "r2", QUICA)
    assert "2 agreement(s)" in cli("icr", "close", str(team), "r2")
    log = cli_json("icr", "disagreements", str(team), "--round", "r2")
    assert [(d["code"], d["a"], d["b"], d["type"], d["resolution"]) for d in log] == [
        ("Hope", "Hope", "—", "one-only", "open")
    ]
    assert log[0]["citation"].startswith("Name01, 1:")
    cli("icr", "decide", str(team), "r2", "D1", "A", "--memo", "Ann's reading fits the definition")
    rows = cli_json("table", str(team), "icr-disagreements", "--format", "json")
    assert rows[0]["resolution"].startswith("A (") and rows[0]["memo"] == "Ann's reading fits the definition"
    coders = {c["id"]: c for c in cli_json("coders", str(team))}
    consensus = sum(c["layers"].get("consensus", 0) for c in coders.values())
    assert consensus == 3  # two agreements at close, one decision
    assert "already decided" in cli("icr", "decide", str(team), "r2", "D1", "B", ok=False)


def test_an_edit_that_creates_a_code_is_in_the_codebook_change_log(team: Path) -> None:
    cli("icr", "round", str(team), "r2", "--coders", "ann,bob", "--unit", "turn", "--sources", "S1")
    _code_vectors(team, "r2", QUICA)
    cli("icr", "close", str(team), "r2")
    cli("icr", "decide", str(team), "r2", "1", "edit", "--label", "Cautious hope")
    changes = cli_json("table", str(team), "icr-codebook-changes", "--format", "json")
    assert changes[0]["code change"].startswith("created 'Cautious hope'")


def test_the_refi_export_keeps_each_coder_as_creating_user(team: Path, tmp_path: Path) -> None:
    cli("icr", "round", str(team), "r2", "--coders", "ann,bob", "--unit", "turn", "--sources", "S1")
    _code_vectors(team, "r2", QUICA)
    out = tmp_path / "team.qdpx"
    cli("export", str(team), "qdpx", "-o", str(out))
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("project.qde").decode("utf-8")
    users = dict(re.findall(r'<User guid="([^"]+)" name="([^"]+)"', xml))
    coding_users = {users[g] for g in re.findall(r'<Coding guid="[^"]+" creatingUser="([^"]+)"', xml)}
    assert {"ann", "bob"} <= coding_users


def test_a_dialogic_policy_withholds_coefficients_unless_asked(team: Path) -> None:
    cli("icr", "policy", str(team), "dialogic")
    cli("icr", "round", str(team), "r2", "--coders", "ann,bob", "--unit", "turn", "--sources", "S1")
    _code_vectors(team, "r2", QUICA)
    cli("icr", "close", str(team), "r2")
    assert _hope_row(team, "r2")["P_o"] == "—"
    rows = cli_json("icr", "report", str(team), "--round", "r2", "--coefficients")
    assert next(r for r in rows if r["code"] == "Hope")["P_o"] == "0.833"
