"""`register_case_rules`: plugins say whose transcripts search must hide and which may not be auto-coded."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from workbench import hookimpl
from workbench.plugins import PluginHost
from workbench.registry import CaseAccess, CaseRule

Register = Callable[[object, str], Any]
PROJECT: Any = object()  # the rules below never look at the project


def _status(host: PluginHost, name: str) -> tuple[str, str]:
    (status,) = [s for s in host.statuses() if s.name == name]
    return status.status, status.error


def _hide_p01(project: object) -> Mapping[str, str]:
    return {"P01": "bracketing: P02 is the open case"}


def _lock_p03(project: object) -> Mapping[str, str]:
    return {"P03": "case P03 is locked"}


class Bracketing:
    @hookimpl
    def register_case_rules(self, register: Callable[..., None]) -> None:
        register("bracketing", hidden=_hide_p01, locked=_lock_p03, description="one case at a time")


class Second:
    @hookimpl
    def register_case_rules(self, register: Callable[..., None]) -> None:
        register("second", hidden=lambda project: {"P01": "second reason", "P04": "withdrawn consent"})


def _rule_plugin(name: str, hidden: Callable[[object], object]) -> object:
    class Plugin:
        @hookimpl
        def register_case_rules(self, register: Callable[..., None]) -> None:
            register(name, hidden=hidden)

    return Plugin()


def test_a_registered_rule_is_listed_with_its_plugin(wb_host: PluginHost, wb_register: Register) -> None:
    wb_register(Bracketing(), "method")
    assert wb_host.case_rules() == [
        CaseRule("bracketing", _hide_p01, _lock_p03, "one case at a time", "method")
    ]


def test_the_answers_of_every_rule_are_merged_and_the_first_reason_wins(
    wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(Bracketing(), "method")
    wb_register(Second(), "second")
    assert wb_host.case_access(PROJECT) == CaseAccess(
        hidden={"P01": "bracketing: P02 is the open case", "P04": "withdrawn consent"},
        locked={"P03": "case P03 is locked"},
    )


def test_without_rules_nothing_is_hidden_or_locked(wb_host: PluginHost) -> None:
    assert wb_host.case_access(PROJECT) == CaseAccess({}, {})


def test_a_raising_rule_disables_only_its_plugin_and_its_answers_are_dropped(
    wb_host: PluginHost, wb_register: Register
) -> None:
    def crash(project: object) -> Mapping[str, str]:
        raise ZeroDivisionError("division by zero")

    wb_register(_rule_plugin("crashy", crash), "crashing")
    wb_register(Bracketing(), "method")

    access = wb_host.case_access(PROJECT)

    assert access.hidden == {"P01": "bracketing: P02 is the open case"}
    assert _status(wb_host, "crashing") == (
        "failed",
        "case rule 'crashy' failed: ZeroDivisionError: division by zero",
    )
    assert _status(wb_host, "method") == ("active", "")
    assert [rule.name for rule in wb_host.case_rules()] == ["bracketing"]


def test_a_plugin_whose_second_rule_raises_loses_the_answers_of_its_first(
    wb_host: PluginHost, wb_register: Register
) -> None:
    def crash(project: object) -> Mapping[str, str]:
        raise RuntimeError("boom")

    class Half:
        @hookimpl
        def register_case_rules(self, register: Callable[..., None]) -> None:
            register("fine", hidden=_hide_p01)
            register("broken", locked=crash)

    wb_register(Half(), "half")
    assert wb_host.case_access(PROJECT) == CaseAccess({}, {})
    assert _status(wb_host, "half")[0] == "failed"


def test_a_rule_returning_something_other_than_a_mapping_disables_its_plugin(
    wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(_rule_plugin("sloppy", lambda project: ["P01"]), "sloppy")
    assert wb_host.case_access(PROJECT) == CaseAccess({}, {})
    status, error = _status(wb_host, "sloppy")
    assert status == "failed"
    assert error.startswith("case rule 'sloppy' failed: TypeError: hidden returned list")


def test_a_rule_mapping_to_something_other_than_a_string_disables_its_plugin(
    wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(_rule_plugin("numbers", lambda project: {"P01": 1}), "numbers")
    assert wb_host.case_access(PROJECT).hidden == {}
    assert _status(wb_host, "numbers") == (
        "failed",
        "case rule 'numbers' failed: TypeError: hidden returned str -> int, expected str -> str",
    )


def test_a_rule_with_neither_hidden_nor_locked_is_refused_and_the_plugin_stays_active(
    wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(_rule_plugin("empty", None), "empty")  # type: ignore[arg-type]
    assert wb_host.case_rules() == []
    assert _status(wb_host, "empty") == (
        "active",
        "register_case_rules: case rule 'empty' refused: give hidden, locked or both",
    )


def test_a_rule_name_taken_by_an_earlier_plugin_is_refused(
    wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(Bracketing(), "method")
    wb_register(_rule_plugin("bracketing", _hide_p01), "copycat")
    assert [rule.plugin for rule in wb_host.case_rules()] == ["method"]
    assert (
        "case rule 'bracketing' refused: already registered by plugin 'method'"
        in _status(wb_host, "copycat")[1]
    )
