"""The matrices through the table routes: JSON shape, settings --small-cell, audited unsuppressed files,
the co-occurrence diagram, and bad options refused without writing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run, tree_digest
from tests.cli_inprocess import run_cli


@pytest.fixture
def coded(study: Path) -> Path:
    d = str(study)
    run_cli("code", d, "S1", "--lines", "4-5", "Doubt")
    run_cli("code", d, "S1", "--lines", "5-6", "Recognition")
    run_cli("code", d, "S1", "--lines", "11", "Relief")
    run_cli("participant", d, "P01", "--attr", "group=peer")
    return study


def table(study: Path, name: str, *options: str) -> list[dict[str, str]]:
    args = [arg for option in options for arg in ("--option", option)]
    return json.loads(run_cli("table", str(study), name, *args, "--format", "json"))  # type: ignore[no-any-return]


def test_cooccurrence_json_rows_have_code_and_one_key_per_column(coded: Path) -> None:
    rows = table(coded, "cooccurrence")
    assert [r["Code"] for r in rows] == ["Doubt", "Recognition", "Relief"]
    assert rows[0] == {"Code": "Doubt", "Doubt": "1", "Recognition": "1", "Relief": "0"}


def test_code_by_case_suppresses_a_cell_of_one_participant_by_default(coded: Path) -> None:
    assert table(coded, "code-by-case", "codes=Doubt") == [{"Code": "Doubt", "P01": "<3"}]


def test_suppress_off_shows_the_count(coded: Path) -> None:
    assert table(coded, "code-by-case", "codes=Doubt", "suppress=off") == [{"Code": "Doubt", "P01": "1"}]


def test_settings_small_cell_changes_the_threshold(coded: Path) -> None:
    run_cli("settings", str(coded), "--small-cell", "1")
    assert table(coded, "code-by-case", "codes=Doubt")[0]["P01"] == "1"


def test_crosstab_columns_are_the_attribute_values(coded: Path) -> None:
    rows = table(coded, "crosstab", "attr=group", "codes=Relief", "suppress=off")
    assert rows == [{"Code": "Relief", "peer": "1"}]


def test_an_unsuppressed_matrix_written_to_a_file_is_audited(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    run_cli("export", str(coded), "code-by-case", "-o", str(out), "--option", "suppress=off")
    actions = [e["action"] for e in json.loads(run_cli("audit", "list", str(coded), "--json"))]
    assert "governance.unsuppressed.create" in actions and out.read_text(encoding="utf-8").count("1") >= 1


def test_a_suppressed_export_is_not_flagged(coded: Path, tmp_path: Path) -> None:
    run_cli("export", str(coded), "code-by-case", "-o", str(tmp_path / "m.csv"))
    actions = [e["action"] for e in json.loads(run_cli("audit", "list", str(coded), "--json"))]
    assert "governance.unsuppressed.create" not in actions


@pytest.mark.parametrize("suffix", [".dot", ".mmd"])
def test_the_cooccurrence_diagram_has_weighted_edges(coded: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"net{suffix}"
    run_cli("export", str(coded), "cooccurrence-diagram", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    edge = "c0 -- c1" if suffix == ".dot" else "c0 ---|1| c1"
    assert edge in text and "Relief" in text and "c0 -- c2" not in text
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_the_diagram_min_option_drops_light_edges(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "net.dot"
    run_cli("export", str(coded), "cooccurrence-diagram", "-o", str(out), "--option", "min=2")
    assert " -- " not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "option"),
    [
        ("crosstab", "attr=age"),
        ("cooccurrence", "codes=Nope"),
        ("cooccurrence", "unit=page"),
        ("code-by-case", "measure=lines"),
        ("crosstab", "percent=half"),
        ("code-by-case", "colour=red"),
    ],
)
def test_bad_matrix_options_are_one_line_and_write_nothing(
    coded: Path, run: Run, name: str, option: str
) -> None:
    before = tree_digest(coded)
    args = ("attr=group",) if name == "crosstab" and not option.startswith("attr") else ()
    result = run(
        "table", str(coded), name, "--option", option, *[a for x in args for a in ("--option", x)], ok=False
    )
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert tree_digest(coded) == before


def test_small_cell_below_one_is_refused(coded: Path, run: Run) -> None:
    result = run("settings", str(coded), "--small-cell", "0", ok=False)
    assert result.returncode == 2 and "1 or more" in result.stderr


def test_a_project_with_no_codings_prints_an_empty_matrix(study: Path) -> None:
    assert table(study, "cooccurrence") == [] and table(study, "code-by-case") == []
