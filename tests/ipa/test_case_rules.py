"""The "ipa" case rule: whose transcripts corpus search hides (bracketing), which it may not auto-code."""

from __future__ import annotations

from pathlib import Path

from tests.ipa.conftest import Wb, lines
from workbench.core.project import Project
from workbench.plugins import PluginHost
from workbench.registry import CaseAccess


def _access(study: Path, host: PluginHost) -> CaseAccess:
    with Project.open(study, readonly=True) as project:
        return host.case_access(project)


def _complete(wb: Wb, study: Path, case: str, source: str, phrase: str) -> None:
    d = str(study)
    wb("ipa", "start", d, case, "--skip-reflexive")
    said = wb(
        "ipa", "statement", d, source, "--lines", lines(study, source, phrase), f"{case} statement"
    ).out.strip()
    for step in ("noting", "statements", "clustering"):
        wb("ipa", "status", d, case, step)
    pet = wb("ipa", "pet", d, case, f"{case} PET").out.strip()
    wb("ipa", "move", d, said, pet)
    wb("ipa", "status", d, case, "PETs complete")


def test_the_ipa_plugin_registers_one_case_rule(wb_host: PluginHost) -> None:
    assert [(rule.name, rule.plugin) for rule in wb_host.case_rules() if rule.plugin == "ipa"] == [
        ("ipa", "ipa")
    ]


def test_with_bracketing_on_and_p01_open_every_other_participant_is_hidden(
    study: Path, wb: Wb, wb_host: PluginHost
) -> None:
    wb("ipa", "start", str(study), "P01")
    assert _access(study, wb_host).hidden == {
        "P02": "bracketing: P01 is the open case",
        "P03": "bracketing: P01 is the open case",
    }


def test_with_bracketing_off_nothing_is_hidden(study: Path, wb: Wb, wb_host: PluginHost) -> None:
    wb("ipa", "start", str(study), "P01")
    wb("ipa", "settings", str(study), "--bracketing", "off")
    assert _access(study, wb_host).hidden == {}


def test_with_no_case_open_nothing_is_hidden_or_locked(study: Path, wb_host: PluginHost) -> None:
    assert _access(study, wb_host) == CaseAccess({}, {})


def test_a_locked_case_may_not_be_auto_coded(study: Path, wb: Wb, wb_host: PluginHost) -> None:
    _complete(wb, study, "P03", "S3", "I felt like a person again")
    access = _access(study, wb_host)
    assert access.locked == {"P03": "case P03 is locked (PETs complete)"}
    assert access.hidden == {}  # a completed case is not open, so bracketing hides nothing
