"""What the host gets from the plugin: registered through ``workbench.testing`` like any outside plugin."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from workbench import BadInputError, Project
from workbench.plugins import PluginHost, PluginStatus

import workbench_rta
from workbench_rta.themes import ThemeChange, add_theme, change_theme

Register = Callable[[object, str], PluginStatus]


@pytest.fixture
def host(wb_host: PluginHost, wb_register: Register) -> PluginHost:
    status = wb_register(workbench_rta, "rta")
    assert (status.status, status.error) == ("active", "")
    return wb_host


def test_registering_adds_the_rta_method_without_any_refusal(host: PluginHost) -> None:
    assert "rta" in host.methods()
    assert host.errors == []


def test_the_workflow_is_the_six_phases_in_order(host: PluginHost) -> None:
    (workflow,) = [w for w in host.workflows() if w.method == "rta"]
    assert [step.id for step in workflow.steps] == [
        "familiarisation",
        "coding",
        "generating",
        "reviewing",
        "defining",
        "writing",
    ]


def test_codes_levels_are_semantic_and_latent(host: PluginHost) -> None:
    (levels,) = host.vocabularies("code-levels", "rta")
    assert [(t.id, t.glyph) for t in levels.terms] == [("code", "○"), ("latent", "◐")]


def test_the_screen_has_its_own_key_and_the_margin_none(host: PluginHost) -> None:
    views = {v.name: (v.kind, v.key) for v in host.views() if v.plugin == "rta"}
    assert views == {"rta.themes": ("screen", "f10"), "rta.margin": ("margin", None)}


def test_the_themes_table_has_one_row_per_extract_with_its_citation(host: PluginHost, study: Project) -> None:
    add_theme(
        study, "Belonging", "safety comes from recognition", codes=["Expecting judgement", "Being recognised"]
    )
    (spec,) = [t for t in host.tables() if t.name == "rta-themes"]
    table = host.build_table(spec, study, {"extracts": "1"})
    assert table.columns[-3:] == ("Code", "Extract", "Citation")
    assert [(row[0], row[4], row[6]) for row in table.rows] == [
        ("Belonging", "Expecting judgement", "Alex, 1:3")
    ]


def test_discarded_themes_leave_the_themes_table_unless_asked_for(host: PluginHost, study: Project) -> None:
    add_theme(study, "Coffee", "a topic, not a theme", codes=["Being recognised"])
    change_theme(study, "Coffee", ThemeChange(status="discarded"))
    (spec,) = [t for t in host.tables() if t.name == "rta-themes"]
    assert host.build_table(spec, study, {}).rows == ()
    assert [row[1] for row in host.build_table(spec, study, {"status": "all"}).rows] == ["✗ discarded"]
    with pytest.raises(BadInputError, match="extracts must be a whole number"):
        host.build_table(spec, study, {"extracts": "some"})


def test_the_phases_table_ends_with_the_no_coefficients_policy(host: PluginHost, study: Project) -> None:
    (spec,) = [t for t in host.tables() if t.name == "rta-phases"]
    last = host.build_table(spec, study, {}).rows[-1]
    assert last[:2] == ("Inter-coder agreement", "not computed")
    assert "METHODS.md 5.1" in last[2]


def test_the_validators_state_the_icr_policy_and_ask_for_a_journal(host: PluginHost, study: Project) -> None:
    findings = [(f.validator, f.level) for f in host.run_validators(study) if f.validator.startswith("rta")]
    assert findings == [("rta-no-coefficients", "info"), ("rta-journal", "warning")]


def test_a_reliability_icr_policy_is_warned_about(host: PluginHost, study: Project) -> None:
    study.add_record("icr.policy", {"policy": "reliability", "note": ""})
    warnings = [f.message for f in host.run_validators(study) if f.validator == "rta-no-coefficients"]
    assert warnings[-1].startswith("the ICR policy is 'reliability', which reflexive TA rejects")


def test_the_validators_are_quiet_on_projects_of_other_methods(host: PluginHost, wb_project: Project) -> None:
    wb_project.create_code("Anything")
    assert [f for f in host.run_validators(wb_project) if f.validator.startswith("rta")] == []
