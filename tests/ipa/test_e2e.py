"""METHODS.md 10.2 IPA-E2E against the real CLI: three synthetic cases from notes to the audit bundle.

The scenario is built once (module fixture) exactly as a researcher would type it; each test then checks
one behaviour or one output's contents.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docx import Document

from tests.cli.conftest import WORKBENCH
from tests.ipa.conftest import lines, make_study, run_wb

DIR = "study"


@dataclass
class Scenario:
    directory: Path
    ids: dict[str, str] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)

    def wb(self, *args: str, ok: bool = True) -> str:
        result = run_wb(*[str(self.directory) if a == DIR else a for a in args], ok=ok)
        return result.out if ok else result.err

    def new(self, name: str, *args: str) -> str:
        self.ids[name] = self.wb(*args).strip().splitlines()[-1]
        return self.ids[name]


def _case_one(s: Scenario) -> None:
    d = s.directory
    s.wb("ipa", "start", DIR, "P01")
    s.wb("ipa", "read", DIR, "S1", "--impressions", "Ann is guarded at first, then relief.")
    s.wb("ipa", "read", DIR, "S1", "--impressions", "Second pass: the breath metaphor stands out.")
    s.wb("ipa", "status", DIR, "P01", "noting")
    where = lines(d, "S1", "But she said she had been", "unclenched")
    s.new(
        "n1", "ipa", "note", DIR, "S1", "--lines", where, "--type", "D", "--text", "PSW shares ward history"
    )
    s.new(
        "n2",
        "ipa",
        "note",
        DIR,
        "S1",
        "--lines",
        where,
        "--type",
        "L",
        "--text",
        "'unclenched': body metaphor",
    )
    s.new(
        "n3", "ipa", "note", DIR, "S1", "--lines", where, "--type", "C", "--text", "safety through sameness?"
    )
    breath = lines(d, "S1", "Like breathing out", "let off the hook")
    s.new(
        "n4", "ipa", "note", DIR, "S1", "--lines", breath, "--type", "C", "--text", "relief from explaining"
    )
    s.wb("ipa", "status", DIR, "P01", "statements")
    s.new(
        "a1",
        "ipa",
        "statement",
        DIR,
        "S1",
        "--lines",
        where,
        "Feeling safe because she had been there",
        "--note",
        s.ids["n1"],
        "--note",
        s.ids["n2"],
        "--note",
        s.ids["n3"],
    )
    s.new(
        "a2",
        "ipa",
        "statement",
        DIR,
        "S1",
        "--lines",
        breath,
        "Not having to explain oneself as relief",
        "--note",
        s.ids["n4"],
    )
    future = lines(d, "S1", "I can see a future")
    s.new("a3", "ipa", "statement", DIR, "S1", "--lines", future, "Seeing a future through her recovery")
    form = lines(d, "S1", "I didn't want to go")
    s.new("a4", "ipa", "statement", DIR, "S1", "--lines", form, "Dreading another form")
    s.wb("ipa", "status", DIR, "P01", "clustering")
    s.new("petA", "ipa", "pet", DIR, "P01", "Safety through sameness")
    s.new("subA1", "ipa", "pet", DIR, "P01", "Being understood without explaining", "--parent", s.ids["petA"])
    s.wb("ipa", "move", DIR, s.ids["a1"], s.ids["petA"])
    s.wb("ipa", "move", DIR, s.ids["a2"], s.ids["subA1"])
    s.wb(
        "ipa",
        "tag",
        DIR,
        s.ids["petA"],
        "--technique",
        "abstraction",
        "--rationale",
        "like with like: sameness",
    )
    s.new("petB", "ipa", "pet", DIR, "P01", "Hope")
    s.wb("ipa", "move", DIR, s.ids["a3"], s.ids["petB"])
    s.wb("ipa", "subsume", DIR, s.ids["petB"], s.ids["a3"])
    s.wb("ipa", "discard", DIR, s.ids["a4"], "--reason", "about services, not the PSW relationship")
    s.seen["board-P01"] = s.wb("ipa", "board", DIR)
    s.wb("ipa", "extract", DIR, s.ids["subA1"], "--statement", s.ids["a2"], "--omit", "[laughs]")
    s.wb("ipa", "status", DIR, "P01", "PETs complete")


def _case_two(s: Scenario) -> None:
    d = s.directory
    s.seen["start-P02"] = s.wb("ipa", "start", DIR, "P02")
    s.wb("ipa", "status", DIR, "P02", "noting")
    voice = lines(d, "S2", "He spoke up for me", "foot in both camps")
    s.new("n5", "ipa", "note", DIR, "S2", "--lines", voice, "--type", "D", "--text", "advocacy in ward round")
    safe = lines(d, "S2", "Safe, honestly", "he'd nod")
    s.new("n6", "ipa", "note", DIR, "S2", "--lines", safe, "--type", "L", "--text", "'Safe' said first")
    s.wb("ipa", "status", DIR, "P02", "statements")
    s.new("b1", "ipa", "statement", DIR, "S2", "--lines", voice, "Being spoken up for", "--note", s.ids["n5"])
    s.new(
        "b2", "ipa", "statement", DIR, "S2", "--lines", safe, "Not having to pretend", "--note", s.ids["n6"]
    )
    # While case 2 is open, bracketing hides case 1's statements from the listings.
    s.seen["statements-during-P02"] = s.wb("ipa", "statements", DIR)
    s.seen["statements-json-during-P02"] = s.wb("ipa", "statements", DIR, "--json")
    s.seen["statements-P01-refused"] = s.wb("ipa", "statements", DIR, "--case", "P01", ok=False)
    s.seen["statements-all"] = s.wb("ipa", "statements", DIR, "--all")
    s.wb("ipa", "status", DIR, "P02", "clustering")
    s.new("petC", "ipa", "pet", DIR, "P02", "A foot in both camps")
    s.new("petD", "ipa", "pet", DIR, "P02", "Safe to be unwell")
    s.wb("ipa", "move", DIR, s.ids["b1"], s.ids["petC"])
    s.wb("ipa", "move", DIR, s.ids["b2"], s.ids["petD"])
    s.wb("ipa", "tag", DIR, s.ids["petC"], "--technique", "function", "--technique", "contextualisation")
    s.wb("ipa", "status", DIR, "P02", "PETs complete")


def _case_three(s: Scenario) -> None:
    d = s.directory
    s.wb("ipa", "start", DIR, "P03", "--reflexive", "I may be hunting for 'advocacy' after Ben.")
    s.wb("ipa", "status", DIR, "P03", "noting")
    been = lines(d, "S3", "That she'd been where I am", "next question")
    s.new("n7", "ipa", "note", DIR, "S3", "--lines", been, "--type", "C", "--text", "shared history = ease")
    s.wb("ipa", "status", DIR, "P03", "statements")
    s.new(
        "c1",
        "ipa",
        "statement",
        DIR,
        "S3",
        "--lines",
        been,
        "Understood without explaining",
        "--note",
        s.ids["n7"],
    )
    person = lines(d, "S3", "Mostly that I felt like a person")
    s.new("c2", "ipa", "statement", DIR, "S3", "--lines", person, "Being a person, not a file")
    s.wb("ipa", "status", DIR, "P03", "clustering")
    s.new("petE", "ipa", "pet", DIR, "P03", "Being known")
    s.new("petF", "ipa", "pet", DIR, "P03", "Personhood restored")
    s.wb("ipa", "move", DIR, s.ids["c1"], s.ids["petE"])
    s.wb("ipa", "move", DIR, s.ids["c2"], s.ids["petF"])
    s.wb("ipa", "status", DIR, "P03", "PETs complete")


def _cross_case(s: Scenario) -> None:
    d = s.directory
    s.new("get1", "ipa", "get", DIR, "Power of relationship")
    s.new("get1a", "ipa", "get", DIR, "Emotional safety", "--parent", s.ids["get1"])
    for pet in ("petA", "petD", "petE"):
        s.wb("ipa", "feed", DIR, s.ids["get1a"], s.ids[pet])
    s.wb("ipa", "feed", DIR, s.ids["get1"], s.ids["petA"])  # a PET may feed more than one GET (node)
    s.new("get2", "ipa", "get", DIR, "Advocacy with the team")
    s.wb("ipa", "feed", DIR, s.ids["get2"], s.ids["petC"])
    s.wb(
        "ipa",
        "converge",
        DIR,
        s.ids["get1a"],
        "P02",
        "--note",
        "shares the safety but frames it as permission",
    )
    s.wb(
        "ipa",
        "extract",
        DIR,
        s.ids["get1a"],
        "--participant",
        "P01",
        "--statement",
        s.ids["a2"],
        "--omit",
        "[laughs]",
    )
    s.wb(
        "ipa",
        "extract",
        DIR,
        s.ids["get1a"],
        "--participant",
        "P03",
        "--source",
        "S3",
        "--lines",
        lines(d, "S3", "That she'd been where I am"),
    )
    s.wb("ipa", "extract", DIR, s.ids["get2"], "--participant", "P02", "--statement", s.ids["b1"])
    # A post-lock revision: a new statement for Ann after her case was locked.
    s.new(
        "a5",
        "ipa",
        "statement",
        DIR,
        "S1",
        "--lines",
        lines(d, "S1", "Has anything changed"),
        "Being asked about change",
    )
    s.wb("ipa", "move", DIR, s.ids["a5"], s.ids["petB"])
    s.wb("ipa", "reflect", DIR, "--body", "Cross-case: keep Ben's advocacy visible.", "--case", "P02")
    s.seen["quote"] = s.wb("ipa", "quote", DIR, "--statement", s.ids["a2"], "--omit", "[laughs]")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    s = Scenario(make_study(tmp_path_factory.mktemp("ipa-e2e") / "study"))
    _case_one(s)
    _case_two(s)
    _case_three(s)
    _cross_case(s)
    return s


def table(s: Scenario, name: str, *options: str, fmt: str = "csv") -> list[list[str]]:
    args = ["table", DIR, name, "--format", fmt]
    for option in options:
        args += ["--option", option]
    return list(csv.reader(io.StringIO(s.wb(*args))))


# -- bracketing and the case machine -----------------------------------------------------------------------


def test_bracketing_hides_case_one_statements_while_case_two_is_open(scenario: Scenario) -> None:
    listing = scenario.seen["statements-during-P02"]
    assert "Being spoken up for" in listing and "Not having to pretend" in listing
    assert "Feeling safe because she had been there" not in listing
    assert {row["case"] for row in json.loads(scenario.seen["statements-json-during-P02"])} == {"P02"}


def test_asking_for_another_case_while_one_is_open_is_refused_with_one_line(scenario: Scenario) -> None:
    error = scenario.seen["statements-P01-refused"]
    assert error.startswith("workbench: error:") and "bracketing" in error and error.count("\n") == 1


def test_all_overrides_bracketing(scenario: Scenario) -> None:
    assert "Feeling safe because she had been there" in scenario.seen["statements-all"]
    assert "Being spoken up for" in scenario.seen["statements-all"]


def test_before_next_case_prompt_is_offered_on_the_second_case(scenario: Scenario) -> None:
    assert "What from the last case might I be carrying" in scenario.seen["start-P02"]


def test_cases_table_records_order_status_and_reading_passes(scenario: Scenario) -> None:
    rows = table(scenario, "ipa-cases")
    assert rows[0][:4] == ["Order", "Case", "Pseudonym", "Status"]
    assert [r[:4] for r in rows[1:]] == [
        ["1", "P01", "Ann", "PETs complete"],
        ["2", "P02", "Ben", "PETs complete"],
        ["3", "P03", "Cara", "PETs complete"],
    ]
    assert rows[1][5] == "2"  # two reading passes logged for Ann


# -- per-case outputs ----------------------------------------------------------------------------------


def test_chronological_statement_list_has_page_line_and_key_words(scenario: Scenario) -> None:
    rows = table(scenario, "ipa-statements", "case=P01")
    assert rows[0] == ["#", "Experiential statement", "Page:line", "Key words"]
    texts = [r[1] for r in rows[1:]]
    assert texts[0].startswith("Dreading another form") and "discarded" in texts[0]
    assert texts[1:4] == [
        "Feeling safe because she had been there",
        "Not having to explain oneself as relief",
        "Being asked about change",
    ]
    first = lines(scenario.directory, "S1", "But she said she had been", "unclenched").split("-")
    assert rows[2][2] == f"1:{first[0]}–{first[1]}"
    assert rows[2][3].startswith(
        '"professional with another form'
    )  # default key words: the segment's opening


def test_board_shows_tree_with_techniques_counts_and_unclustered(scenario: Scenario) -> None:
    board = scenario.seen["board-P01"]
    assert "A. Safety through sameness  (2 statements, lines" in board
    assert "← abstraction" in board
    assert "A1 Being understood without explaining" in board
    assert "B. Seeing a future through her recovery" in board and 'subsumption of "Seeing a future' in board
    assert "Discarded (1)" in board and "reason: about services" in board


def test_pet_table_follows_the_board_with_extract_and_post_lock_mark(scenario: Scenario) -> None:
    rows = table(scenario, "ipa-pet-table", "case=P01")
    assert rows[0] == ["PET / sub-theme", "Experiential statements", "Page:line", "Key words / extract"]
    assert rows[1][0] == "**A. Safety through sameness**"
    assert rows[2][1] == "Feeling safe because she had been there"
    sub = next(r for r in rows if r[0] == "A1 Being understood without explaining")
    assert sub[1] == "Not having to explain oneself as relief"
    extract = next(r for r in rows if r[1] == "Illustrative extract")
    assert "[…]" in extract[3] and "[laughs]" not in extract[3] and "(Ann, 1:" in extract[3]
    revised = next(r for r in rows if r[1].startswith("Being asked about change"))
    assert revised[1].endswith("† post-lock revision")


def test_annotated_transcript_docx_has_three_columns_and_the_linemap_numbers(scenario: Scenario) -> None:
    from workbench.core.project import Project

    out = scenario.directory.parent / "annotated.docx"
    scenario.wb("ipa", "transcript", DIR, "--case", "P01", "--output", str(out))
    grid = Document(str(out)).tables[0]
    header = [c.text for c in grid.rows[0].cells]
    assert header == ["Experiential statements", "Line", "Transcript", "Exploratory notes (D / L / C)"]
    with Project.open(scenario.directory, readonly=True) as project:
        record = project.current_text("S1")[1]
        linemap = record.linemap
        expected = [(str(line.number), record.text[line.start : line.end].rstrip()) for line in linemap.lines]
    body = [[c.text for c in row.cells] for row in grid.rows[1:]]
    assert [(r[1], r[2]) for r in body] == expected
    noted = next(r for r in body if r[3])
    assert noted[3].splitlines() == [
        "D: PSW shares ward history",
        "L: 'unclenched': body metaphor",
        "C: safety through sameness?",
    ]
    assert noted[0] == "Feeling safe because she had been there"


def test_annotated_transcript_with_prefixed_numbers_is_exactly_three_columns(scenario: Scenario) -> None:
    out = scenario.directory.parent / "annotated-prefix.docx"
    scenario.wb(
        "table",
        DIR,
        "ipa-annotated-transcript",
        "--option",
        "case=P01",
        "--option",
        "line_numbers=prefix",
        "--option",
        "columns=notes-first",
        "--output",
        str(out),
    )
    grid = Document(str(out)).tables[0]
    assert [c.text for c in grid.rows[0].cells] == [
        "Exploratory notes (D / L / C)",
        "Line  Transcript",
        "Experiential statements",
    ]
    assert [row.cells[1].text.split("  ")[0] for row in grid.rows[1:4]] == ["1", "2", "3"]


# -- cross-case outputs ----------------------------------------------------------------------------------


def test_recurrence_table_flags_a_theme_present_in_one_of_three(scenario: Scenario) -> None:
    rows = table(scenario, "ipa-recurrence")
    assert rows[0] == ["GET / sub-theme", "Ann", "Ben", "Cara", "Total", "Rule (≥ half = 2/3)"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["1. Power of relationship"][1:] == ["✓", "✓", "✓", "3/3", "✓"]
    assert by_name["1a Emotional safety"][1:] == ["✓", "✓", "✓", "3/3", "✓"]
    flagged = by_name["2. Advocacy with the team"]
    assert flagged[1:5] == ["", "✓", "", "1/3"] and flagged[5].startswith("✗ flagged")


def test_recurrence_cells_can_be_counts_or_page_line_refs(scenario: Scenario) -> None:
    counts = {r[0]: r for r in table(scenario, "ipa-recurrence", "cells=count")}
    assert counts["1a Emotional safety"][1:4] == ["2", "1", "1"]
    refs = {r[0]: r for r in table(scenario, "ipa-recurrence", "cells=refs")}
    assert re.fullmatch(r"1:\d+(–\d+)?", refs["2. Advocacy with the team"][2])


def test_get_master_table_lists_participants_and_formatted_extracts(scenario: Scenario) -> None:
    rows = table(scenario, "ipa-get-table")
    assert rows[0] == [
        "Group experiential theme (GET)",
        "Sub-theme",
        "Contributing participants",
        "Example extract (pseudonym, page:line)",
    ]
    assert rows[1][:3] == ["1. Power of relationship", "", "Ann, Ben, Cara"]  # with its sub-themes
    assert rows[2][:3] == ["", "1a Emotional safety", "Ann, Ben, Cara"]
    assert re.search(
        r'"Like breathing out\. \[…\] I didn.t have to explain .*" \(Ann, 1:\d+–\d+\)', rows[2][3]
    )
    assert re.search(r"\(Cara, 1:\d+\)", rows[2][3])
    assert rows[3][:3] == ["2. Advocacy with the team", "", "Ben"]


def test_quote_formatter_gives_pseudonym_page_line_and_ellipsis(scenario: Scenario) -> None:
    quote = scenario.seen["quote"].strip()
    a, b = lines(scenario.directory, "S1", "Like breathing out", "let off the hook").split("-")
    assert quote.endswith(f"(Ann, 1:{a}–{b})")
    assert quote.startswith('"Like breathing out. […] I didn')


def test_idiographic_check_lists_pets_that_reached_no_get(scenario: Scenario) -> None:
    rows = table(scenario, "ipa-idiographic-loss")
    assert [r[:2] for r in rows[1:]] == [
        ["Ann", "Seeing a future through her recovery"],
        ["Cara", "Personhood restored"],
    ]


def test_terminology_2009_relabels_tables_without_touching_levels(scenario: Scenario) -> None:
    scenario.wb("ipa", "settings", DIR, "--terminology", "2009")
    try:
        assert table(scenario, "ipa-get-table")[0][0] == "Master theme"
        assert table(scenario, "ipa-pet-table", "case=P01")[0][:2] == [
            "Super-ordinate theme / sub-theme",
            "Emergent themes",
        ]
    finally:
        scenario.wb("ipa", "settings", DIR, "--terminology", "2022")
    from workbench.core.project import Project

    with Project.open(scenario.directory, readonly=True) as project:
        levels = sorted({r["data"]["level"] for r in project.records("ipa.theme")})
    assert levels == ["get", "get-subtheme", "pet", "pet-subtheme"]


def test_results_skeleton_has_headings_extracts_and_drafting_notes(scenario: Scenario) -> None:
    out = scenario.directory.parent / "results.md"
    scenario.wb("ipa", "skeleton", DIR, "--output", str(out))
    text = out.read_text(encoding="utf-8")
    assert "## 1. Power of relationship" in text and "### 1a Emotional safety" in text
    assert re.search(r'> "Like breathing out\. \[…\].*\(Ann, 1:\d+–\d+\)', text)
    assert "Drafting note — Ben: shares the safety but frames it as permission" in text
    rows = table(scenario, "ipa-results-skeleton")
    assert ["2. Advocacy with the team", "heading", "Contributing participants: Ben"] in rows


def test_reflexive_journal_holds_the_before_next_case_answer(scenario: Scenario) -> None:
    rows = table(scenario, "ipa-reflexive-journal")
    entries = {r[2]: r for r in rows[1:]}
    answered = next(r for t, r in entries.items() if t.startswith("Before starting P03"))
    assert answered[4] == "I may be hunting for 'advocacy' after Ben." and "participant:P03" in answered[3]
    assert any(r[4] == "Cross-case: keep Ben's advocacy visible." for r in rows[1:])


def test_each_output_exports_as_markdown_and_docx_through_the_console_script(
    scenario: Scenario, tmp_path: Path
) -> None:
    import subprocess

    for name, option in (
        ("ipa-pet-table", "case=P02"),
        ("ipa-recurrence", ""),
        ("ipa-statements", "case=P03"),
    ):
        extra = ["--option", option] if option else []
        md = subprocess.run(
            [WORKBENCH, "table", str(scenario.directory), name, "--format", "md", *extra],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert md.startswith("## ") and "|---|" in md
        out = tmp_path / f"{name}.docx"
        subprocess.run(
            [WORKBENCH, "table", str(scenario.directory), name, *extra, "--output", str(out)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert Document(str(out)).tables[0].rows[0].cells[0].text


def test_audit_bundle_zip_holds_the_paper_trail_per_case(scenario: Scenario) -> None:
    out = scenario.directory.parent / "audit.zip"
    scenario.wb("ipa", "audit-bundle", DIR, str(out))
    names = set(zipfile.ZipFile(out).namelist())
    for case in ("P01-Ann", "P02-Ben", "P03-Cara"):
        for part in (
            "1-exploratory-notes.md",
            "3-statements-chronological.md",
            "4-clustering-board.md",
            "4b-board-snapshots.md",
            "5-pet-table.md",
            "5-pet-table.docx",
        ):
            assert f"{case}/{part}" in names
    assert {
        "P01-Ann/2-annotated-transcript-S1.docx",
        "cross-case/7-get-table.md",
        "cross-case/9-recurrence-table.csv",
        "12-reflexive-journal.md",
        "13-event-log.csv",
        "README.md",
    } <= names
    snapshot = zipfile.ZipFile(out).read("P01-Ann/4b-board-snapshots.md").decode()
    assert "P01 PETs complete (locked)" in snapshot and "abstraction" in snapshot


def test_audit_bundle_folder_is_owner_only_and_never_overwritten(scenario: Scenario) -> None:
    out = scenario.directory.parent / "audit"
    scenario.wb("ipa", "audit-bundle", DIR, str(out))
    assert (out / "cross-case" / "9-recurrence-table.md").read_text().count("✗ flagged") == 1
    assert oct((out / "README.md").stat().st_mode & 0o777) == "0o600"
    assert "already exists" in scenario.wb("ipa", "audit-bundle", DIR, str(out), ok=False)
