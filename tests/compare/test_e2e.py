"""CMP-E2E (METHODS.md 10.2) against the real console script on the two bundled demo studies.

Link a GT and an IPA project → map 3 concepts (≡, ∩, ✕) with rationale → unique lists computed →
concordance table + refutational table + line-of-argument diagram exported — plus every other output of
issue 8 in CSV, Markdown and DOCX, each checked for its contents, and both studies byte-identical after.
The scenario's own steps run the console script; the other outputs' many format variants are exported
in this process (`cli`, the same `main`), which keeps the test within a few seconds.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from docx import Document

from tests.cli.conftest import Run
from tests.compare.conftest import Cli, digests

TABLES = (
    "cmp-characteristics",
    "cmp-concordance",
    "cmp-matrix",
    "cmp-shared-unique",
    "cmp-summary",
    "cmp-refutations",
    "cmp-translation",
    "cmp-line-of-argument",
    "cmp-audit",
)
#: The exports CMP-E2E names, run through the real console script; the rest run in this process.
SCENARIO_EXPORTS = {("cmp-concordance", "csv"), ("cmp-refutations", "csv")}


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_cmp_e2e_scenario_runs_on_the_demo_studies_and_exports_every_output(
    tmp_path: Path, run: Run, cli: Cli, demos: tuple[Path, Path]
) -> None:
    gt, ipa = demos
    before = digests(gt, ipa)
    ws = tmp_path / "ws"

    linked = json.loads(run("compare", str(gt), str(ipa), "--workspace", str(ws), "--json").stdout)
    assert linked["created"] is True
    assert linked["studies"]["A"]["method"] == "gt" and linked["studies"]["B"]["method"] == "ipa"

    first = run(
        "compare",
        "map",
        str(ws),
        "The product of disclosure",
        "Safety through shared experience",
        "--relation",
        "equivalent",
        "--rationale",
        "being understood ≈ felt sense of emotional safety",
    )
    assert "≡" in first.stdout
    assert "note (CMP-13)" in first.stdout and "process category (GT)" in first.stdout
    run(
        "compare",
        "map",
        str(ws),
        "The process of disclosure",
        "Being known from the inside",
        "--relation",
        "overlap",
        "--rationale",
        "both locate change in the worker's disclosure",
    )
    run(
        "compare",
        "map",
        str(ws),
        "Dual roles",
        "Fragility of the connection",
        "--relation",
        "refutes",
        "--rationale",
        "A: a managed tension; B: a threat to the bond",
    )
    mappings = json.loads(run("compare", "mappings", str(ws), "--json").stdout)
    assert [m["symbol"] for m in mappings] == ["≡", "∩", "✕"]
    refutation = mappings[2]["id"]
    run(
        "compare",
        "refute",
        str(ws),
        refutation,
        "--nature",
        "manageable vs threatening",
        "--explanation",
        "different samples: B's participant's worker was on sick leave",
        "--factor",
        "sample",
    )
    translation = (
        run(
            "compare",
            "interpret",
            str(ws),
            mappings[0]["id"],
            mappings[1]["id"],
            "--label",
            "Disclosure as the route to safety",
            "--interpretation",
            "disclosure is the process through which safety is felt",
        )
        .stdout.split()[1]
        .rstrip(":")
    )
    refuting = (
        run(
            "compare",
            "interpret",
            str(ws),
            refutation,
            "--label",
            "Boundaries",
            "--interpretation",
            "the boundary protects in A and threatens in B",
        )
        .stdout.split()[1]
        .rstrip(":")
    )
    construct = (
        run(
            "compare",
            "construct",
            str(ws),
            "--label",
            "Safety through a bounded disclosure",
            "--description",
            "safety rests on disclosure within a held boundary",
            "--from",
            translation,
            "--from",
            refuting,
        )
        .stdout.split()[1]
        .rstrip(":")
    )
    assert construct.startswith("R")

    summary = json.loads(run("compare", "summary", str(ws), "--json").stdout)
    assert summary["mappings"] == 3
    assert summary["studies"]["A"]["unique"] == 4  # the four focused codes
    assert summary["studies"]["B"]["unique"] == 1  # Hope through another's recovery

    out = tmp_path / "out"
    out.mkdir()
    for table in TABLES:
        for fmt in ("csv", "md", "docx"):
            argv = ("export", str(ws), table, "--format", fmt, "-o", str(out / f"{table}.{fmt}"))
            if (table, fmt) in SCENARIO_EXPORTS:
                run(*argv)
            else:
                assert cli(*argv)[0] == 0, argv
    assert (
        cli("table", str(ws), "cmp-concordance", "--format", "csv", "--output", str(out / "via-table.csv"))[0]
        == 0
    )

    concordance = _csv(out / "cmp-concordance.csv")
    mapped = [r for r in concordance if not r["Relation"].startswith("∅")]
    assert [(r["Study A concept (GT)"], r["Relation"][:1], r["Study B concept (IPA)"]) for r in mapped] == [
        ("The product of disclosure", "≡", "Safety through shared experience"),
        ("The process of disclosure", "∩", "Being known from the inside"),
        ("Dual roles", "✕", "Fragility of the connection"),
    ]
    assert mapped[0]["Rationale (memo)"] == "being understood ≈ felt sense of emotional safety"
    assert '"' in mapped[0]["Evidence A"] and "(Alex" in mapped[0]["Evidence A"]
    assert "(Helen, 2:41–42)" in mapped[0]["Evidence B"]
    unique_a = {r["Study A concept (GT)"] for r in concordance if r["Rationale (memo)"] == "unique to A"}
    assert unique_a == {
        "Holding dual roles",
        "Sharing lived experience",
        "Earning the right to challenge",
        "Embodying recovery",
    }
    assert {r["Study B concept (IPA)"] for r in concordance if r["Rationale (memo)"] == "unique to B"} == {
        "Hope through another's recovery"
    }
    assert (out / "via-table.csv").read_text(encoding="utf-8-sig") == (out / "cmp-concordance.csv").read_text(
        encoding="utf-8-sig"
    )

    matrix = _csv(out / "cmp-matrix.csv")
    row = next(r for r in matrix if r["A \\ B"] == "Dual roles")
    assert row["Fragility of the connection"] == "✕" and row["Safety through shared experience"] == ""

    groups = {(r["Group"], r["Concept"]) for r in _csv(out / "cmp-shared-unique.csv")}
    assert ("shared", "The product of disclosure") in groups
    assert ("refuted", "Fragility of the connection") in groups
    assert ("unique to B", "Hope through another's recovery") in groups
    counts = {r["Group"]: (r["Study A"], r["Study B"]) for r in _csv(out / "cmp-summary.csv")}
    assert counts["shared"] == ("2", "2") and counts["unique to A"] == ("4", "0")

    refutations = _csv(out / "cmp-refutations.csv")
    assert len(refutations) == 1
    assert refutations[0]["Nature of contradiction"] == "manageable vs threatening"
    assert (
        refutations[0]["Possible explanations"].startswith("different samples")
        and "[sample]" in (refutations[0]["Possible explanations"])
    )

    grid = _csv(out / "cmp-translation.csv")
    assert [(r["Key concept (third order)"], r["Type"]) for r in grid] == [
        ("Disclosure as the route to safety", "reciprocal"),
        ("Boundaries", "refutational"),
    ]
    assert "The product of disclosure (≡)" in grid[0]["Study A"] and '"' in grid[0]["Study B"]
    assert grid[0]["Reviewer's interpretation"] == "disclosure is the process through which safety is felt"

    argument = _csv(out / "cmp-line-of-argument.csv")
    assert argument[0]["Construct (third order)"] == "Safety through a bounded disclosure"
    assert "Boundaries (refutational)" in argument[0]["From translations"]
    assert "Dual roles" in argument[0]["Study A"] and "Fragility of the connection" in argument[0]["Study B"]

    characteristics = {r["Characteristic"]: r for r in _csv(out / "cmp-characteristics.csv")}
    assert characteristics["Method / variant"]["Study A"] == "Grounded theory (constructivist)"
    assert characteristics["N analysed (planned)"]["Study B"] == "3"
    assert characteristics["Data collection"]["Study A"].startswith("4 interviews")

    audit = _csv(out / "cmp-audit.csv")
    assert [r["Event"] for r in audit] == ["create", "create", "create", "explain"]

    assert "| Study A concept (GT) | Relation |" in (out / "cmp-concordance.md").read_text(encoding="utf-8")
    assert "| Dual roles | Fragility of the connection |" in (out / "cmp-refutations.md").read_text(
        encoding="utf-8"
    )
    for table in TABLES:
        assert (out / f"{table}.docx").stat().st_size > 0
    assert "Safety through shared experience" in _docx_text(out / "cmp-concordance.docx")
    assert "different samples" in _docx_text(out / "cmp-refutations.docx")

    run("compare", "diagram", str(ws), "-o", str(out / "loa.dot"))
    assert (
        cli("export", str(ws), "cmp-loa-diagram", "--format", "mermaid", "-o", str(out / "loa.mmd"))[0] == 0
    )
    dot = (out / "loa.dot").read_text(encoding="utf-8")
    assert dot.startswith("digraph line_of_argument") and "Safety through a bounded disclosure" in dot
    assert "cluster_legend" in dot and '"Dual roles"' in dot and 'label="✕"' in dot
    mermaid = (out / "loa.mmd").read_text(encoding="utf-8")
    assert mermaid.startswith("flowchart BT") and 'subgraph legend["Legend"]' in mermaid
    assert "Boundaries (refutational)" in mermaid

    assert digests(gt, ipa) == before, "a source study changed"
