"""CLI forms of corrections, speakers, participants, links, sets, clusters, settings, tables."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import TRANSCRIPT, Run, tree_digest


def test_correct_makes_a_new_version_and_reports_flags(run: Run, study: Path, tmp_path: Path) -> None:
    phrase = "We could start from the middle"
    start = TRANSCRIPT.index(phrase)
    run("code", str(study), "S1", "--chars", f"{start}:{start + len(phrase)}", "Shared ground")
    fixed = tmp_path / "fixed.txt"
    fixed.write_text(TRANSCRIPT.replace("another form", "another form to fill"), encoding="utf-8")
    assert "0 coded segment(s) flagged" in run("correct", str(study), "S1", str(fixed)).stdout
    (seg,) = json.loads(run("segments", str(study), "Shared ground", "--json").stdout)
    assert seg["text"] == phrase and seg["start"] == start + len(" to fill")


def test_speakers_lists_and_maps_roles(run: Run, study: Path) -> None:
    run("speakers", str(study), "S1", "--role", "Participant=other")
    rows = {r["label"]: r for r in json.loads(run("speakers", str(study), "S1", "--json").stdout)}
    assert rows["Participant"]["role"] == "other"
    assert rows["Interviewer"]["role"] == "interviewer"


def test_participant_attributes(run: Run, study: Path) -> None:
    run("participant", str(study), "P01", "--attr", "service=community", "--pseudonym", "Sam")
    (row,) = json.loads(run("show", str(study), "participants", "--json").stdout)
    assert (row["pseudonym"], row["attributes"]) == ("Sam", {"service": "community"})


def test_link_set_cluster_and_delete(run: Run, study: Path) -> None:
    run("code", str(study), "S1", "--lines", "4-4", "Reluctance")
    run("codebook", str(study), "create", "Trust")
    run("link", str(study), "Reluctance", "Trust", "--relation", "precedes", "--evidence", "G1")
    run("set", str(study), "sample", "S1", "P01")
    run("cluster", str(study), "Relational safety", "Reluctance", "Trust", "--technique", "abstraction")
    assert len(json.loads(run("show", str(study), "links", "--json").stdout)) == 1
    run("delete", str(study), "L1")
    assert json.loads(run("show", str(study), "links", "--json").stdout) == []
    assert run("check", str(study)).returncode == 0


def test_codebook_operations_and_lineage(run: Run, study: Path) -> None:
    run("code", str(study), "S1", "--lines", "4-4", "Reluctance")
    run("code", str(study), "S1", "--lines", "5-5", "Doubt")
    run("codebook", str(study), "merge", "Reluctance", "Doubt", "Wariness")
    run("codebook", str(study), "level", "Wariness", "focused")
    codes = json.loads(run("codes", str(study), "--json").stdout)
    assert [(c["label"], c["segments"], c["level"]) for c in codes] == [("Wariness", 2, "focused")]
    events = json.loads(run("codebook", str(study), "lineage", "Wariness", "--json").stdout)
    assert {e["label"] for e in events} >= {"Reluctance", "Doubt", "Wariness"}


def test_settings_change_citation_style(run: Run, study: Path) -> None:
    run("code", str(study), "S1", "--lines", "4-4", "Reluctance")
    run("settings", str(study), "--citation", "p-l")
    (seg,) = json.loads(run("segments", str(study), "Reluctance", "--json").stdout)
    assert seg["citation"].startswith("Alex, p.1, l.4")


def test_a_bad_setting_changes_nothing(run: Run, study: Path) -> None:
    before = tree_digest(study)
    result = run("settings", str(study), "--width", "3", ok=False)
    assert result.returncode != 0 and len(result.stderr.splitlines()) == 1
    assert tree_digest(study) == before


def test_unknown_table_is_a_clear_error(run: Run, study: Path) -> None:
    result = run("table", str(study), "nope", ok=False)
    assert result.returncode == 3 and "no table 'nope'" in result.stderr


def test_status_coded_takes_a_snapshot(run: Run, study: Path) -> None:
    assert "codebook snapshot B1" in run("status", str(study), "S1", "coded").stdout
    assert json.loads(run("show", str(study), "snapshots", "--json").stdout)[0]["id"] == "B1"


def test_text_prints_the_tool_line_numbers(run: Run, study: Path) -> None:
    out = json.loads(run("text", str(study), "S1", "--lines", "4-5", "--json").stdout)
    assert [row["line"] for row in out["lines"]] == [4, 5]
    assert out["lines"][0]["text"].startswith("Participant:")
    assert "--- page 1 ---" in run("text", str(study), "S1").stdout
