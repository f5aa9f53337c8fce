"""How `register(...)` calls become attributed, validated contributions, and how the host reports them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.plugins.helpers import new_host, write_plugin, write_toml
from workbench import hookimpl
from workbench.core.errors import BadInputError
from workbench.core.model import ImportedTranscript
from workbench.plugins import PluginHost, PluginStatus
from workbench.registry import Finding, TableData, Term, WorkflowStep

Register = Callable[[object, str], PluginStatus]


def load(path: Path, data: bytes) -> ImportedTranscript:
    return ImportedTranscript(text="")


def importer_plugin(*importers: tuple[str, list[str]]) -> object:
    class Plugin:
        @hookimpl
        def register_importers(self, register: Callable[..., None]) -> None:
            for name, extensions in importers:
                register(name, extensions, load)

    return Plugin()


def status_of(host: PluginHost, name: str) -> PluginStatus:
    (status,) = [s for s in host.statuses() if s.name == name]
    return status


# --- duplicates ---------------------------------------------------------------------------------------------


def test_a_duplicate_name_from_a_later_plugin_is_refused_and_the_first_keeps_it(
    wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(importer_plugin(("chat", [".cha"])), "first")
    wb_register(importer_plugin(("chat", [".chat"]), ("elan", [".eaf"])), "second")

    assert [(i.name, i.plugin) for i in wb_host.importers()] == [
        ("plaintext", "plaintext"),
        ("chat", "first"),
        ("elan", "second"),
    ]
    refused = "register_importers: importer 'chat' refused: already registered by plugin 'first'"
    assert status_of(wb_host, "second") == PluginStatus("second", "", "local", "active", refused)
    assert wb_host.errors == [f"plugin 'second': {refused}"]


def test_a_plugin_registering_one_name_twice_keeps_the_first(
    wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(importer_plugin(("chat", [".cha"]), ("chat", [".chat"])), "twice")
    assert [i.extensions for i in wb_host.importers() if i.name == "chat"] == [(".cha",)]
    assert status_of(wb_host, "twice").error == (
        "register_importers: importer 'chat' refused: this plugin registered it twice"
    )


def test_a_bundled_name_cannot_be_taken_over_by_a_local_plugin(
    wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(importer_plugin(("plaintext", [".txt"])), "usurper")
    assert [i.plugin for i in wb_host.importers()] == ["plaintext"]


def test_vocabularies_are_unique_per_kind_and_method(wb_host: PluginHost, wb_register: Register) -> None:
    def plugin(label: str) -> object:
        class Plugin:
            @hookimpl
            def register_vocabularies(self, register: Callable[..., None]) -> None:
                register("code-levels", "gt", [Term("initial", label)])
                register("code-levels", "ipa", [Term("es", label)])

        return Plugin()

    wb_register(plugin("first"), "gt-one")
    wb_register(plugin("second"), "gt-two")
    assert [(v.method, v.plugin) for v in wb_host.vocabularies()] == [("gt", "gt-one"), ("ipa", "gt-one")]
    assert "vocabulary 'code-levels' for method 'gt' refused" in status_of(wb_host, "gt-two").error


# --- validation ---------------------------------------------------------------------------------------------


def _callable(*args: object) -> None:
    return None


@pytest.mark.parametrize(
    ("hook", "arguments", "reason"),
    [
        ("register_importers", ("txt2", ["txt"], load), "extension 'txt' must start with '.'"),
        ("register_importers", ("txt2", ".txt", load), "extensions must be a non-empty list"),
        ("register_importers", ("txt2", [], load), "extensions must be a non-empty list"),
        ("register_importers", ("txt2", [".x"], "load"), "load must be callable, not str"),
        ("register_importers", ("", [".x"], load), "the name must be a non-empty word"),
        ("register_importers", ("two words", [".x"], load), "the name must be a non-empty word"),
        ("register_project_formats", ("otp", [], _callable), "extensions must be a non-empty list"),
        (
            "register_project_formats",
            ("otp", [".otp"], _callable, "", "tool.ini"),
            "markers must be a list of file names",
        ),
        (
            "register_project_formats",
            ("otp", [], _callable, "", ["conf/tool.ini"]),
            "marker 'conf/tool.ini' must be a file name",
        ),
        ("register_exporters", ("csv", "csv", _callable), "extension 'csv' must start with '.'"),
        ("register_exporters", ("csv", ".csv", None), "export must be callable"),
        ("register_tables", ("codes", None, _callable), "title must be a string"),
        ("register_commands", ("hello", "help", _callable, 42), "run must be callable"),
        ("register_views", ("pets", "popup", "PETs", _callable), "kind must be one of screen, margin"),
        ("register_views", ("pets", "screen", "PETs", _callable, ""), "key must be None or a key name"),
        ("register_vocabularies", ("codes", "gt", [Term("a", "A")]), "kind must be one of code-levels"),
        ("register_vocabularies", ("relations", "gt", []), "expected a non-empty list of Term"),
        ("register_vocabularies", ("relations", "gt", ["causes"]), "expected Term items, got str"),
        (
            "register_vocabularies",
            ("relations", "gt", [Term("a", "A"), Term("a", "B")]),
            "id 'a' appears twice",
        ),
        ("register_vocabularies", ("relations", "gt", [Term("", "A")]), "needs a non-empty id"),
        ("register_vocabularies", ("relations", "", [Term("a", "A")]), "the name must be a non-empty word"),
        ("register_workflows", ("gt", ()), "expected a non-empty list of WorkflowStep"),
        (
            "register_workflows",
            ("gt", [WorkflowStep("s", "S"), WorkflowStep("s", "T")]),
            "id 's' appears twice",
        ),
        ("register_validators", ("check", "not callable"), "check must be callable"),
    ],
)
def test_an_invalid_contribution_is_refused_with_a_reason_and_the_plugin_stays_active(
    wb_host: PluginHost, wb_register: Register, hook: str, arguments: tuple[Any, ...], reason: str
) -> None:
    def keep(register: Callable[..., None]) -> None:
        register("kept", [".kept"], load)

    def contribute(register: Callable[..., None]) -> None:
        if hook == "register_importers":
            keep(register)  # the refused importer must not take its sibling with it
        register(*arguments)

    plugin = SimpleNamespace(register_importers=hookimpl(keep))
    setattr(plugin, hook, hookimpl(contribute))

    wb_register(plugin, "checked")

    status = status_of(wb_host, "checked")
    assert status.status == "active"
    assert status.error.startswith(f"{hook}: ")
    assert "refused" in status.error and reason in status.error
    assert [i.name for i in wb_host.importers() if i.plugin == "checked"] == ["kept"]


def test_register_called_after_the_hook_returned_is_refused(
    wb_host: PluginHost, wb_register: Register
) -> None:
    kept: list[Callable[..., None]] = []

    class Sneaky:
        @hookimpl
        def register_importers(self, register: Callable[..., None]) -> None:
            kept.append(register)

    wb_register(Sneaky(), "sneaky")
    assert wb_host.importers()[-1].plugin == "plaintext"
    kept[0]("late", [".late"], load)
    assert all(i.name != "late" for i in wb_host.importers())
    assert "register was called after register_importers returned" in status_of(wb_host, "sneaky").error


def test_value_types_reject_impossible_values() -> None:
    with pytest.raises(ValueError, match="'info' or 'warning'"):
        Finding("error", "no such level")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="row 2 has 3 cells, expected 2"):
        TableData(("a", "b"), (("1", "2"), ("1", "2", "3")), "t")


# --- collection ---------------------------------------------------------------------------------------------


def test_contributions_are_collected_once_lazily(wb_host: PluginHost, wb_register: Register) -> None:
    calls: list[str] = []

    class Counted:
        @hookimpl
        def register_importers(self, register: Callable[..., None]) -> None:
            calls.append("importers")

        @hookimpl
        def register_commands(self) -> None:  # a hook may take none of its arguments
            calls.append("commands")

    wb_register(Counted(), "counted")
    assert calls == []
    for _ in range(3):
        wb_host.importers()
        wb_host.commands()
        wb_host.statuses()
    assert calls == ["importers", "commands"]


def test_a_plugin_registered_after_collection_is_collected_too(
    wb_host: PluginHost, wb_register: Register
) -> None:
    before = [i.name for i in wb_host.importers()]
    wb_register(importer_plugin(("chat", [".cha"])), "late-comer")
    assert [i.name for i in wb_host.importers()] == [*before, "chat"]


def test_unregistering_a_plugin_withdraws_its_contributions(wb_host: PluginHost) -> None:
    before = [i.name for i in wb_host.importers()]
    wb_host.register_plugin(importer_plugin(("chat", [".cha"])), "temporary")
    assert [i.name for i in wb_host.importers()] == [*before, "chat"]
    wb_host.unregister_plugin("temporary")
    assert "temporary" not in [s.name for s in wb_host.statuses()]
    assert [i.name for i in wb_host.importers()] == before


def test_registering_a_taken_plugin_name_is_an_error(wb_host: PluginHost) -> None:
    with pytest.raises(BadInputError, match="a plugin named 'plaintext' is already loaded"):
        wb_host.register_plugin(object(), "plaintext")


# --- the facade ---------------------------------------------------------------------------------------------


def test_importer_for_prefers_the_longest_matching_extension(
    wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(importer_plugin(("otter", [".otter.txt"])), "otter")
    assert wb_host.importer_for(Path("Interview.OTTER.TXT")).name == "otter"
    assert wb_host.importer_for(Path("interview.txt")).name == "plaintext"


@pytest.mark.parametrize(
    ("file_name", "message"),
    [
        ("interview.docx", "no importer reads '.docx' files; supported extensions: .md, .txt"),
        ("README", "no importer reads files without an extension; supported extensions: .md, .txt"),
    ],
)
def test_importer_for_an_unknown_file_lists_the_supported_extensions(
    wb_host: PluginHost, file_name: str, message: str
) -> None:
    with pytest.raises(BadInputError) as caught:
        wb_host.importer_for(Path("in") / file_name)
    assert caught.value.message == message
    assert caught.value.where == str(Path("in") / file_name)


def test_an_unknown_vocabulary_kind_is_bad_input(wb_host: PluginHost) -> None:
    with pytest.raises(BadInputError, match="unknown vocabulary kind 'levels'"):
        wb_host.vocabularies("levels")  # type: ignore[arg-type]


# --- status reporting ---------------------------------------------------------------------------------------


def test_statuses_json_has_one_flat_string_record_per_plugin(tmp_path: Path) -> None:
    write_plugin(tmp_path, "broken", "raise ImportError('needs numpy')\n")
    host = new_host(write_toml(tmp_path / "plugins.toml", local=["broken.py"], disabled=["nothing-here"]))

    rows = host.to_json()

    assert json.loads(json.dumps(rows)) == rows
    for row in rows:
        assert list(row) == ["name", "version", "source", "status", "error"]
        assert all(isinstance(value, str) for value in row.values())
        assert row["source"] in {"bundled", "installed", "local"}
        assert row["status"] in {"active", "disabled", "failed"}
    assert rows[-1] == {
        "name": "broken",
        "version": "",
        "source": "local",
        "status": "failed",
        "error": "import failed: ImportError: needs numpy",
    }


def test_on_error_hears_each_problem_once_as_it_happens(tmp_path: Path) -> None:
    heard: list[str] = []
    write_plugin(tmp_path, "broken", "raise RuntimeError('boom')\n")
    host = new_host(write_toml(tmp_path / "plugins.toml", local=["broken.py"]), on_error=heard.append)
    host.register_plugin(importer_plugin(("plaintext", [".txt"])), "copycat")

    for _ in range(2):
        host.importers()
        host.statuses()

    assert heard == [
        "plugin 'broken' disabled: import failed: RuntimeError: boom",
        "plugin 'copycat': register_importers: importer 'plaintext' refused: already registered by plugin "
        "'plaintext'",
    ]
    assert host.errors == heard
