"""GT-E2E (METHODS.md 10.2) through the real CLI, checking the contents of every GT output table.

Four synthetic interviews (all .txt today; see `conftest.make_study` for where .docx and .vtt slot in) →
line-by-line initial coding with two in-vivo codes → constant comparison across all four participants with
page:line → five initial codes promoted to two focused codes → a category with a property, its dimension
and located segments → the paradigm table (Straussian profile) → a theoretical sampling record for
interview 4 → new codes per interview 1..4 → a DOT diagram → memos at the initial, focused and
theoretical stages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.gt.conftest import answer_line, make_study, run_cli, table

L1, L2, L3, L4 = (answer_line(k) for k in (1, 2, 3, 4))
INITIAL = {
    "S1": [(L1, "Sharing lived experience"), (L2, "Testing trust"), (L4, "Finding hope")],
    "S2": [(L1, "Sharing lived experience"), (L2, "Waiting for judgement"), (L4, "Finding hope")],
    "S3": [
        (L1, "Sharing lived experience"),
        (L2, "Lending trust"),
        (L3, "Keeping boundaries"),
        (L4, "Giving back"),
    ],
    "S4": [
        (L1, "Sharing lived experience"),
        (L2, "Checking confidentiality"),
        (L3, "Repairing ruptures"),
        (L4, "Finding hope"),
    ],
}
DATES = {"S1": "2014-05-02", "S2": "2014-05-09", "S3": "2014-05-20", "S4": "2014-06-03"}
CODED = {"S1": "2014-05-06", "S2": "2014-05-13", "S3": "2014-05-27", "S4": "2014-06-10"}
TABLES = (
    "gt-codebook",
    "gt-lineage",
    "gt-categories",
    "gt-properties",
    "gt-dimensional-profile",
    "gt-paradigm",
    "gt-relations",
    "gt-sampling-log",
    "gt-sampling",
    "gt-saturation",
    "gt-category-saturation",
    "gt-memo-trail",
    "gt-codebook-evolution",
    "gt-guides",
    "gt-steps",
)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("gt-e2e")
    d = str(make_study(base))
    run_cli(
        "gt",
        "setup",
        d,
        "--profile",
        "straussian",
        "--question",
        "How do service users experience PSWs?",
        "--position",
        "I am a trainee clinical psychologist; I expect disclosure to matter.",
    )
    run_cli(
        "gt",
        "guide",
        d,
        "v1",
        "--text",
        "1. How did you meet?\n2. How did trust develop?",
        "--date",
        "2014-04-28",
    )
    run_cli(
        "gt",
        "guide",
        d,
        "v2",
        "--text",
        "1. How did you meet?\n2. How did trust develop?\n3. Pace?",
        "--changes",
        "added a question on the pace of trust",
        "--date",
        "2014-05-15",
    )
    for source, date in DATES.items():
        guide = "v1" if source in ("S1", "S2") else "v2"
        run_cli(
            "gt",
            "log",
            d,
            source,
            "--date",
            date,
            "--duration",
            "55",
            "--guide",
            guide,
            "--setting",
            "team base",
            "--interviewer",
            "RG",
            "--purpose",
            "initial purposive",
        )
    run_cli("gt", "sample", d, "--category", "Shared experience", ok=False)  # no such category yet
    for source, codes in INITIAL.items():
        for line, label in codes:
            run_cli("gt", "code", d, source, "--lines", line, label)
    run_cli("gt", "code", d, "S1", "--in-vivo", "in the same boat")
    run_cli("gt", "code", d, "S2", "--in-vivo", "didn't flinch", "--note", "Acceptance without reaction?")
    for source, day in CODED.items():
        run_cli("gt", "coded", d, source, "--on", day)
    run_cli(
        "gt",
        "memo",
        d,
        "--type",
        "comparison",
        "--title",
        "Testing vs waiting",
        "--body",
        "Both hold back until the worker proves safe.",
        "--link",
        "Testing trust",
        "--link",
        "Waiting for judgement",
    )
    run_cli(
        "gt",
        "promote",
        d,
        "Testing trust",
        "Waiting for judgement",
        "Lending trust",
        "--to",
        "Building trust gradually",
        "--memo",
        "Trust is extended in instalments.",
    )
    run_cli(
        "gt", "promote", d, "Checking confidentiality", "Repairing ruptures", "--to", "Negotiating safety"
    )
    run_cli(
        "gt",
        "category",
        d,
        "Developing trust",
        "--member",
        "Building trust gradually",
        "--member",
        "Negotiating safety",
        "--definition",
        "how trust in the PSW is built",
    )
    run_cli("gt", "category", d, "Shared experience", "--member", "Sharing lived experience")
    run_cli("gt", "category", d, "Hope", "--member", "Finding hope")
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
        "--definition",
        "how fast trust is extended",
    )
    run_cli("gt", "locate", d, "Developing trust", "pace", "S1:I tested her", "--position", "guarded")
    run_cli("gt", "locate", d, "Developing trust", "pace", "S4:He owned it", "--position", "open")
    run_cli(
        "gt",
        "paradigm",
        d,
        "Developing trust",
        "conditions",
        "Shared experience",
        "--evidence",
        "S1:same ward",
        "--evidence",
        "S4:psychosis",
    )
    run_cli(
        "gt",
        "paradigm",
        d,
        "Developing trust",
        "consequences",
        "Hope",
        "--evidence",
        "S1:Seeing her well",
        "--memo",
        "Trust makes the PSW's recovery usable as hope.",
    )
    run_cli(
        "gt",
        "sample",
        d,
        "--category",
        "Developing trust",
        "--participant",
        "P04",
        "--date",
        "2014-05-25",
        "--criterion",
        "a peer worker with a different diagnosis",
        "--gap",
        "pace: open end",
        "--reason",
        "All trust so far is guarded; seek someone whose peer differs from them.",
    )
    run_cli(
        "gt",
        "saturation",
        d,
        "--category",
        "Developing trust",
        "--status",
        "nearly saturated",
        "--why",
        "Pace varies as expected; no new properties in interview 4.",
    )
    run_cli(
        "gt",
        "memo",
        d,
        "--type",
        "theoretical",
        "--title",
        "Trust before hope",
        "--body",
        "Hope depends on trust.",
        "--link",
        "Developing trust",
        "--link",
        "Hope",
    )
    run_cli("gt", "diagram", d, "--format", "dot", "--output", str(base / "model.dot"))
    return Path(d)


def test_constant_comparison_lists_a_code_across_all_four_participants_with_page_line(scenario: Path) -> None:
    found = json.loads(run_cli("gt", "compare", str(scenario), "Sharing lived experience", "--json"))
    assert [(i["participant"], i["citation"]) for i in found] == [
        ("P01", "Alex, 1:3"),
        ("P02", "Jas, 1:3"),
        ("P03", "Clive, 1:3"),
        ("P04", "Carys, 1:3"),
    ]
    rows = table(run_cli, scenario, "gt-comparison", "code=Sharing lived experience")
    assert [r["Citation"] for r in rows] == ["Alex, 1:3", "Jas, 1:3", "Clive, 1:3", "Carys, 1:3"]
    assert rows[0]["Segment"] == "She said she'd been on the same ward as me."


def test_in_vivo_codes_keep_the_participants_words_and_kind(scenario: Path) -> None:
    rows = {r["Code/Category"]: r for r in table(run_cli, scenario, "gt-codebook")}
    assert rows['"in the same boat"']["Kind"] == "in-vivo"
    assert rows['"didn\'t flinch"']["Kind"] == "in-vivo"
    assert rows['"in the same boat"']["Example (pseudonym, p:l)"] == "“in the same boat” (Alex, 1:11)"


def test_codebook_shows_levels_parents_properties_and_counts(scenario: Path) -> None:
    rows = {r["Code/Category"]: r for r in table(run_cli, scenario, "gt-codebook")}
    trust = rows["Developing trust"]
    assert (trust["Level"], trust["Parent"], trust["Properties (dimensions)"]) == (
        "category",
        "—",
        "pace (guarded↔open)",
    )
    assert (trust["# segs"], trust["# participants"], trust["First appeared"]) == ("5", "4/4", "P01")
    sharing = rows["Sharing lived experience"]
    assert (sharing["Level"], sharing["Parent"], sharing["# segs"], sharing["# participants"]) == (
        "open code (concept)",
        "Shared experience",
        "4",
        "4/4",
    )
    assert rows["Building trust gradually"]["Level"] == "refined concept"
    assert "Testing trust" not in rows  # merged codes leave the codebook, not the lineage


def test_lineage_table_shows_both_focused_codes_with_their_initial_codes_and_segments(scenario: Path) -> None:
    rows = table(run_cli, scenario, "gt-lineage")
    got = {(r["Initial code"], r["→ Focused code"]): r for r in rows}
    assert set(got) == {
        ("Testing trust", "Building trust gradually"),
        ("Waiting for judgement", "Building trust gradually"),
        ("Lending trust", "Building trust gradually"),
        ("Checking confidentiality", "Negotiating safety"),
        ("Repairing ruptures", "Negotiating safety"),
    }
    testing = got[("Testing trust", "Building trust gradually")]
    assert re.fullmatch(r"G[0-9]+ \(Alex, 1:7\)", testing["Segments"])
    assert re.fullmatch(
        r"G[0-9]+ \(Carys, 1:11\)", got[("Repairing ruptures", "Negotiating safety")]["Segments"]
    )
    assert {r["→ Category"] for r in rows} == {"Developing trust"}
    assert {r["Operation"] for r in rows} == {"merge"}
    assert (
        testing["Memo"].startswith("M") and got[("Repairing ruptures", "Negotiating safety")]["Memo"] == "—"
    )


def test_category_hierarchy_and_properties_tables_show_the_located_segments(scenario: Path) -> None:
    hierarchy = [(r["Category / code"], r["Level"]) for r in table(run_cli, scenario, "gt-categories")]
    assert ("Developing trust", "category") in hierarchy
    assert ("  Building trust gradually", "focused") in hierarchy
    props = table(run_cli, scenario, "gt-properties")
    assert props == [
        {
            "Category": "Developing trust",
            "Property": "pace",
            "Dimension (low ↔ high)": "guarded ↔ open",
            "Participants located": "P01:guarded, P04:open",
            "Memo": "—",
        }
    ]
    profile = table(run_cli, scenario, "gt-dimensional-profile")
    assert [(r["Participant"], r["Position"], r["Citation"]) for r in profile] == [
        ("Alex (P01)", "guarded", "Alex, 1:7"),
        ("Carys (P04)", "open", "Carys, 1:11"),
    ]


def test_paradigm_table_places_categories_in_the_straussian_slots_with_evidence(scenario: Path) -> None:
    assert table(run_cli, scenario, "gt-paradigm") == [
        {
            "Phenomenon": "Developing trust",
            "Conditions": "Shared experience (2 evidence)",
            "Actions/interactions": "—",
            "Consequences": "Hope (1 evidence)",
        }
    ]
    relations = table(run_cli, scenario, "gt-relations")
    assert [(r["From"], r["Relation"], r["To"]) for r in relations] == [
        ("Shared experience", "conditions", "Developing trust"),
        ("Hope", "consequences", "Developing trust"),
    ]
    assert relations[0]["Evidence"].startswith("2 (G")
    assert relations[1]["Memo"].startswith("M")


def test_sampling_records_say_why_interview_four_and_which_category(scenario: Path) -> None:
    decisions = table(run_cli, scenario, "gt-sampling")
    assert [(r["Category"], r["Participants"], r["Gap"], r["Target"]) for r in decisions] == [
        ("Developing trust", "P04", "pace: open end", "new participants")
    ]
    log = table(run_cli, scenario, "gt-sampling-log")
    assert [r["Participant"] for r in log] == ["Alex (P01)", "Jas (P02)", "Clive (P03)", "Carys (P04)"]
    assert (
        log[3]["Why sampled (category/gap)"]
        == "a peer worker with a different diagnosis (develop Developing trust)"
    )
    assert log[0]["Why sampled (category/gap)"] == "initial purposive"
    assert [r["Guide version"] for r in log] == ["v1", "v1", "v2", "v2"]
    assert [r["Coded before next interview?"] for r in log] == [
        "yes (2014-05-06)",
        "yes (2014-05-13)",
        "yes (2014-05-27)",
        "yes (2014-06-10)",
    ]
    assert [r["New codes"] for r in log] == ["4", "2", "3", "2"]
    assert log[0]["New properties"] == "1 (Developing trust: pace)"


def test_saturation_table_counts_new_codes_per_interview_one_to_four(scenario: Path) -> None:
    rows = table(run_cli, scenario, "gt-saturation")
    assert [r["Interview #"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["New initial codes"] for r in rows] == ["4", "2", "3", "2"]
    assert [r["Cumulative"] for r in rows] == ["4", "6", "9", "11"]
    assert [r["New focused codes"] for r in rows] == ["1", "0", "0", "1"]
    assert rows[0]["New categories"] == "Developing trust; Shared experience; Hope"  # in creation order
    assert [r["% new information"] for r in rows] == ["base", "base", "base", "22%"]
    statuses = {r["Category"]: r["Status"] for r in table(run_cli, scenario, "gt-category-saturation")}
    assert statuses == {
        "Developing trust": "nearly saturated",
        "Shared experience": "developing (not judged)",
        "Hope": "developing (not judged)",
    }


def test_saturation_command_draws_the_sparkline_and_warns_code_saturation_is_not_theoretical(
    scenario: Path,
) -> None:
    out = run_cli("gt", "saturation", str(scenario))
    assert "new codes per interview: █▅▆▅  4 2 3 2" in out
    assert "evidence for, not a test of, theoretical saturation" in out


def test_dot_diagram_holds_categories_codes_and_relations(scenario: Path) -> None:
    dot = (scenario.parent / "model.dot").read_text()
    assert dot.startswith("digraph gt_model {") and dot.rstrip().endswith("}")
    assert 'label="Developing trust\\n(category)"' in dot
    assert 'label="\\"in the same boat\\"\\n(initial)"' not in dot  # unplaced initial codes stay out
    assert re.search(r'"C[0-9]+" -> "C[0-9]+" \[label="conditions \(2\)"\]', dot)
    assert re.search(r'"C[0-9]+" -> "C[0-9]+" \[label="consequences \(1\)"\]', dot)


def test_memo_trail_has_memos_at_the_initial_focused_and_theoretical_stages(scenario: Path) -> None:
    rows = table(run_cli, scenario, "gt-memo-trail")
    stages = {r["Stage"] for r in rows}
    assert {"set-up", "initial", "focused", "theoretical"} <= stages
    by_type = {r["Type"]: r for r in rows}
    assert by_type["reflexive"]["Stage"] == "set-up"
    assert by_type["code-note"]["Stage"] == "initial"
    assert by_type["focused"]["Stage"] == "focused"
    assert by_type["theoretical"]["Stage"] == "theoretical"
    assert [r["Date"] for r in rows] == sorted(r["Date"] for r in rows)


def test_codebook_evolution_reports_the_merges_since_the_last_snapshot(scenario: Path) -> None:
    rows = table(run_cli, scenario, "gt-codebook-evolution")
    assert [r["Snapshot"] for r in rows][-1] == "now"
    merged = "; ".join(r["Merged"] for r in rows)
    for label in ("Testing trust", "Waiting for judgement", "Lending trust", "Checking confidentiality"):
        assert label in merged
    assert any("Sharing lived experience → Shared experience" in r["Moved"] for r in rows)
    assert rows[0]["Label"] == "after S1 (Alex) coded"
    assert "Sharing lived experience" in rows[0]["Added"]


def test_guides_and_steps_tables_show_the_study_so_far(scenario: Path) -> None:
    guides = table(run_cli, scenario, "gt-guides")
    assert [(g["Version"], g["Previous"], g["Changes"]) for g in guides] == [
        ("v1", "—", "—"),
        ("v2", "v1", "added a question on the pace of trust"),
    ]
    steps = {r["Step / check"]: r["Status"] for r in table(run_cli, scenario, "gt-steps")}
    assert steps["axial"] == "2 paradigm links"
    assert steps["collection"] == "4/4 interviews logged; 2 guide versions"


@pytest.mark.parametrize("name", TABLES)
def test_every_table_exports_as_csv_markdown_and_docx(scenario: Path, tmp_path: Path, name: str) -> None:
    from docx import Document

    rows = table(run_cli, scenario, name)
    assert rows, f"{name} is empty in the scenario"
    first = next(iter(rows[0].values()))
    for suffix in ("csv", "md", "docx"):
        target = tmp_path / f"{name}.{suffix}"
        run_cli("table", str(scenario), name, "--output", str(target))
        if suffix == "docx":
            cells = [c.text for t in Document(str(target)).tables for row in t.rows for c in row.cells]
            assert first.split("\n")[0] in cells or any(first.split("\n")[0] in c for c in cells)
        else:
            assert first.split("\n")[0].replace("|", "\\|") in target.read_text()
