"""The bundled IPA demo study shows every IPA artefact filled in (built through the real CLI)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.ipa.conftest import run_wb

pytestmark = pytest.mark.slow  # builds both demo studies (a few seconds)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    run_wb("demo", str(root))
    return root / "ipa-demo"


def rows(demo: Path, name: str, *options: str) -> list[list[str]]:
    args = ["table", str(demo), name, "--format", "csv"]
    for option in options:
        args += ["--option", option]
    return list(csv.reader(io.StringIO(run_wb(*args).out)))[1:]


def test_every_demo_case_is_complete_in_order(demo: Path) -> None:
    assert [r[:4] for r in rows(demo, "ipa-cases")] == [
        ["1", "P01", "Helen", "PETs complete"],
        ["2", "P02", "Marcus", "PETs complete"],
        ["3", "P03", "Zara", "PETs complete"],
    ]


@pytest.mark.parametrize("case", ["P01", "P02", "P03"])
def test_each_case_has_notes_statements_board_and_pet_table(demo: Path, case: str) -> None:
    notes = rows(demo, "ipa-notes", f"case={case}")
    assert {r[3] for r in notes} >= {"C", "L"} or {r[3] for r in notes} >= {"C", "D"}
    assert len(rows(demo, "ipa-statements", f"case={case}")) >= 3
    assert any(r[0].startswith("A. ") for r in rows(demo, "ipa-board", f"case={case}"))
    assert rows(demo, "ipa-pet-table", f"case={case}")[0][0].startswith("**A. ")
    transcript = rows(demo, "ipa-annotated-transcript", f"case={case}")
    assert any(r[0] for r in transcript) and any(r[3].startswith(("D:", "L:", "C:")) for r in transcript)


def test_cross_case_outputs_are_filled(demo: Path) -> None:
    recurrence = rows(demo, "ipa-recurrence")
    assert any(r[-1].startswith("✗ flagged") for r in recurrence) and any(r[-1] == "✓" for r in recurrence)
    assert all(r[3] for r in rows(demo, "ipa-get-table"))  # every GET row has an example extract
    assert any("[…]" in r[4] for r in rows(demo, "ipa-quotes"))
    assert rows(demo, "ipa-idiographic-loss")
    assert any(r[1] == "extract" for r in rows(demo, "ipa-results-skeleton"))
    assert len(rows(demo, "ipa-reflexive-journal")) >= 3
    assert any(r[4] for r in rows(demo, "ipa-get-cells"))
