"""Settings (terminology, recurrence rule, columns) and the rule arithmetic of the recurrence table."""

from __future__ import annotations

from pathlib import Path

import pytest
from wb_ipa import settings, terminology

from tests.cli.conftest import tree_digest
from tests.ipa.conftest import Wb
from workbench import BadInputError


@pytest.mark.parametrize(
    ("rule", "sample", "needed"),
    [("half", 3, 2), ("half", 5, 3), ("half", 4, 2), ("3", 8, 3), ("50%", 5, 3), ("100%", 4, 4), ("1", 1, 1)],
)
def test_recurrence_rule_thresholds(rule: str, sample: int, needed: int) -> None:
    assert settings.threshold(rule, sample) == needed


@pytest.mark.parametrize("rule", ["most", "0", "150%", "-2", ""])
def test_unusable_rules_are_refused(rule: str) -> None:
    with pytest.raises(BadInputError):
        settings.parse_rule(rule)


def test_settings_command_changes_and_shows_settings(study: Path, wb: Wb) -> None:
    out = wb("ipa", "settings", str(study), "--recurrence", "3", "--columns", "notes-first", "--json").out
    assert '"recurrence": "3"' in out and '"column_order": "notes-first"' in out
    assert "terminology        2022" in wb("ipa", "settings", str(study)).out


def test_a_bad_rule_is_one_line_exit_2_and_changes_nothing(study: Path, wb: Wb) -> None:
    before = tree_digest(study)
    refused = wb("ipa", "settings", str(study), "--recurrence", "most", ok=False)
    assert refused.code == 2 and refused.err.startswith("workbench: error:") and refused.err.count("\n") == 1
    assert tree_digest(study) == before


def test_both_terminologies_label_every_stored_level() -> None:
    for level in terminology.LEVELS:
        assert terminology.label(level, "2022") != terminology.label(level, "2009")
    assert terminology.label("pet", "2009") == "Super-ordinate theme"
    assert terminology.label("get", "2022") == "Group experiential theme (GET)"


def test_note_types_accept_letters_and_names() -> None:
    assert [terminology.note_letter(v) for v in ("d", "Linguistic", "conceptual", "other")] == [
        "D",
        "L",
        "C",
        "F",
    ]
    with pytest.raises(BadInputError):
        terminology.note_letter("poetic")


def test_technique_names_match_by_prefix_and_keep_free_text() -> None:
    assert terminology.techniques(["abs", "polar", "a felt sense"]) == [
        "abstraction",
        "polarisation",
        "a felt sense",
    ]
