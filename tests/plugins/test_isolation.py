"""One broken plugin is disabled with a one-line reason; every other plugin keeps working."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from tests.plugins.helpers import GOOD_PLUGIN, new_host, write_plugin, write_toml
from workbench import hookimpl
from workbench.core.errors import BadInputError
from workbench.core.model import ImportedTranscript
from workbench.core.project import OperationEvent
from workbench.plugins import PluginFailure, PluginHost
from workbench.registry import Finding

Register = Callable[[object, str], Any]


def status_of(host: PluginHost, name: str) -> tuple[str, str]:
    (status,) = [s for s in host.statuses() if s.name == name]
    return status.status, status.error


def assert_good_plugin_works(host: PluginHost, tmp_path: Path) -> None:
    importer = host.importer_for(tmp_path / "x.good")
    assert host.run_importer(importer, tmp_path / "x.good", b"fine").text == "fine"
    assert status_of(host, "good") == ("active", "")
    assert host.importer_for(tmp_path / "x.txt").plugin == "plaintext"


def test_a_plugin_raising_at_import_is_failed_and_the_others_load(tmp_path: Path) -> None:
    write_plugin(tmp_path, "broken", "raise RuntimeError('boom at import')\n")
    write_plugin(tmp_path, "good", GOOD_PLUGIN)
    host = new_host(write_toml(tmp_path / "plugins.toml", local=["broken.py", "good.py"]))

    assert status_of(host, "broken") == ("failed", "import failed: RuntimeError: boom at import")
    assert "plugin 'broken' disabled: import failed: RuntimeError: boom at import" in host.errors
    assert_good_plugin_works(host, tmp_path)


def test_a_plugin_with_a_syntax_error_is_failed_on_one_line(tmp_path: Path) -> None:
    write_plugin(tmp_path, "typo", "def oops(:\n    pass\n")
    host = new_host(write_toml(tmp_path / "plugins.toml", local=["typo.py"]))
    status, error = status_of(host, "typo")
    assert status == "failed"
    assert error.startswith("import failed: SyntaxError:")
    assert "\n" not in error


def test_a_plugin_raising_at_registration_loses_everything_it_registered(tmp_path: Path) -> None:
    write_plugin(
        tmp_path,
        "halfway",
        """
        from workbench import ImportedTranscript, hookimpl

        @hookimpl
        def register_importers(register):
            register("halfway", [".half"], lambda path, data: ImportedTranscript(text=""))

        @hookimpl
        def register_tables(register):
            raise KeyError("columns")
        """,
    )
    write_plugin(tmp_path, "good", GOOD_PLUGIN)
    host = new_host(write_toml(tmp_path / "plugins.toml", local=["halfway.py", "good.py"]))

    assert status_of(host, "halfway") == ("failed", "register_tables failed: KeyError: 'columns'")
    assert [importer.name for importer in host.importers()] == ["plaintext", "good"]
    with pytest.raises(BadInputError, match=r"supported extensions: \.good, \.md, \.txt"):
        host.importer_for(tmp_path / "x.half")
    assert_good_plugin_works(host, tmp_path)


def test_a_name_held_by_a_failed_plugin_passes_to_the_next_claimant(
    wb_host: PluginHost, wb_register: Register
) -> None:
    def load(path: Path, data: bytes) -> ImportedTranscript:
        return ImportedTranscript(text="")

    class Failing:
        @hookimpl
        def register_importers(self, register: Callable[..., None]) -> None:
            register("shared", [".shared"], load)

        @hookimpl
        def register_validators(self, register: Callable[..., None]) -> None:
            raise RuntimeError("no")

    class Later:
        @hookimpl
        def register_importers(self, register: Callable[..., None]) -> None:
            register("shared", [".shared"], load)

    wb_register(Failing(), "failing")
    wb_register(Later(), "later")
    assert [(i.name, i.plugin) for i in wb_host.importers()] == [
        ("plaintext", "plaintext"),
        ("shared", "later"),
    ]
    assert status_of(wb_host, "later") == ("active", "")


def test_a_plugin_raising_in_an_event_hook_is_disabled_and_the_others_still_hear_every_event(
    wb_host: PluginHost, wb_register: Register
) -> None:
    calls: list[str] = []

    class Noisy:
        @hookimpl
        def on_operation(self, event: OperationEvent) -> None:
            calls.append("noisy")
            raise ValueError("cannot handle " + event.action)

        @hookimpl
        def register_tables(self, register: Callable[..., None]) -> None:
            register("noisy-table", "Noisy", lambda project, options: None)

    class Listener:
        @hookimpl
        def on_operation(self, project: object, event: OperationEvent) -> None:
            calls.append(f"listener {event.seq}")

    wb_register(Noisy(), "noisy")
    wb_register(Listener(), "listener")
    assert [t.name for t in wb_host.tables()] == ["noisy-table"]
    project = object()

    wb_host.operation_applied(project, OperationEvent(1, "code.create", "C1", "create code 'trust'"))  # type: ignore[arg-type]
    wb_host.operation_applied(project, OperationEvent(2, "code.rename", "C1", "rename", undo=True))  # type: ignore[arg-type]

    assert calls == ["noisy", "listener 1", "listener 2"]
    assert status_of(wb_host, "noisy") == (
        "failed",
        "on_operation failed: ValueError: cannot handle code.create",
    )
    assert wb_host.tables() == []


def test_a_raising_validator_disables_its_plugin_and_says_the_check_did_not_run(
    wb_host: PluginHost, wb_register: Register
) -> None:
    def crash(project: object) -> Iterable[Finding]:
        yield Finding("info", "partial result that must not be shown")
        raise ZeroDivisionError("division by zero")

    def fine(project: object) -> list[Finding]:
        return [Finding("info", "all memos dated")]

    class Crashing:
        @hookimpl
        def register_validators(self, register: Callable[..., None]) -> None:
            register("crashy", crash)

    class Fine:
        @hookimpl
        def register_validators(self, register: Callable[..., None]) -> None:
            register("fine", fine)

    wb_register(Crashing(), "crashing")
    wb_register(Fine(), "fine-checks")

    findings = wb_host.run_validators(object())  # type: ignore[arg-type]

    assert [(f.level, f.validator) for f in findings] == [("warning", "crashy"), ("info", "fine")]
    assert "could not run" in findings[0].message and "crashing" in findings[0].message
    assert status_of(wb_host, "crashing") == (
        "failed",
        "validator 'crashy' failed: ZeroDivisionError: division by zero",
    )
    assert [f.validator for f in wb_host.run_validators(object())] == ["fine"]  # type: ignore[arg-type]


def test_a_validator_yielding_something_other_than_a_finding_is_a_plugin_failure(
    wb_host: PluginHost, wb_register: Register
) -> None:
    class Sloppy:
        @hookimpl
        def register_validators(self, register: Callable[..., None]) -> None:
            register("sloppy", lambda project: ["just a string"])

    wb_register(Sloppy(), "sloppy")
    (finding,) = wb_host.run_validators(object())  # type: ignore[arg-type]
    assert finding.level == "warning"
    assert (
        status_of(wb_host, "sloppy")[1]
        == "validator 'sloppy' failed: TypeError: check returned str, expected Finding"
    )


def test_an_importer_bug_raises_plugin_failure_but_a_bad_file_does_not_disable_it(
    wb_host: PluginHost, wb_register: Register, tmp_path: Path
) -> None:
    def load(path: Path, data: bytes) -> ImportedTranscript:
        if data == b"bad":
            raise BadInputError("not a CHAT file", str(path))
        raise KeyError("missing")

    class Buggy:
        @hookimpl
        def register_importers(self, register: Callable[..., None]) -> None:
            register("buggy", [".bug"], load)

    wb_register(Buggy(), "buggy")
    importer = wb_host.importer_for(tmp_path / "a.bug")

    with pytest.raises(BadInputError, match="not a CHAT file"):
        wb_host.run_importer(importer, tmp_path / "a.bug", b"bad")
    assert status_of(wb_host, "buggy") == ("active", "")

    with pytest.raises(PluginFailure, match=r"plugin 'buggy' failed while importing a\.bug") as caught:
        wb_host.run_importer(importer, tmp_path / "a.bug", b"good")
    assert isinstance(caught.value.__cause__, KeyError)
    assert status_of(wb_host, "buggy") == ("failed", "importing a.bug failed: KeyError: 'missing'")
    assert wb_host.importer_for(tmp_path / "a.txt").name == "plaintext"


def test_an_importer_returning_the_wrong_type_is_a_plugin_failure(
    wb_host: PluginHost, wb_register: Register, tmp_path: Path
) -> None:
    class Wrong:
        @hookimpl
        def register_importers(self, register: Callable[..., None]) -> None:
            register("wrong", [".wrong"], lambda path, data: "text")

    wb_register(Wrong(), "wrong")
    with pytest.raises(PluginFailure, match="expected ImportedTranscript"):
        wb_host.run_importer(wb_host.importer_for(tmp_path / "a.wrong"), tmp_path / "a.wrong", b"x")


def test_a_table_with_ragged_rows_is_a_plugin_failure(wb_host: PluginHost, wb_register: Register) -> None:
    from workbench.registry import TableData

    class Ragged:
        @hookimpl
        def register_tables(self, register: Callable[..., None]) -> None:
            register("ragged", "Ragged", lambda project, options: TableData(("a", "b"), (("1",),), "Ragged"))

    wb_register(Ragged(), "ragged")
    with pytest.raises(PluginFailure, match="row 1 has 1 cells, expected 2"):
        wb_host.build_table(wb_host.tables()[0], object())  # type: ignore[arg-type]


def test_an_export_result_comes_back_with_its_report_and_a_plain_list_becomes_one(
    wb_host: PluginHost, wb_register: Register, tmp_path: Path
) -> None:
    from workbench import ExportResult

    def reported(project: object, destination: Path, options: object) -> ExportResult:
        destination.write_text("x")
        return ExportResult([destination], report={"kept": 1}, summary=["kept 1, left out 0"])

    def plain(project: object, destination: Path, options: object) -> tuple[Path, ...]:
        destination.write_text("y")
        return (destination,)

    class Exporters:
        @hookimpl
        def register_exporters(self, register: Callable[..., None]) -> None:
            register("reported", ".r", reported)
            register("plain", ".p", plain)

    wb_register(Exporters(), "exporters")
    by_name = {e.name: e for e in wb_host.exporters()}
    result = wb_host.run_exporter(by_name["reported"], object(), tmp_path / "a.r", {})  # type: ignore[arg-type]
    assert result == [tmp_path / "a.r"] and result.report == {"kept": 1}
    assert result.summary == ("kept 1, left out 0",)
    result = wb_host.run_exporter(by_name["plain"], object(), tmp_path / "a.p", {})  # type: ignore[arg-type]
    assert isinstance(result, ExportResult) and result == [tmp_path / "a.p"]
    assert result.report is None and result.summary == ()


def test_an_export_result_with_a_malformed_summary_is_a_plugin_failure(
    wb_host: PluginHost, wb_register: Register, tmp_path: Path
) -> None:
    from workbench import ExportResult

    class Malformed:
        @hookimpl
        def register_exporters(self, register: Callable[..., None]) -> None:
            register("malformed", ".m", lambda project, destination, options: ExportResult(summary=[1, 2]))

    wb_register(Malformed(), "malformed")
    with pytest.raises(PluginFailure, match="report or summary is malformed"):
        wb_host.run_exporter(wb_host.exporters()[0], object(), tmp_path / "a.m", {})  # type: ignore[arg-type]
    assert status_of(wb_host, "malformed")[0] == "failed"


def test_a_misspelt_hook_name_fails_the_plugin_instead_of_being_ignored(
    wb_host: PluginHost, wb_register: Register
) -> None:
    class Typo:
        @hookimpl
        def register_importer(self, register: object) -> None:  # missing "s"
            raise AssertionError("never called")

    status = wb_register(Typo(), "typo")
    assert status.status == "failed"
    assert "unknown hook 'register_importer'" in status.error


def test_a_hook_with_an_argument_the_spec_lacks_fails_the_plugin(
    wb_host: PluginHost, wb_register: Register
) -> None:
    class WrongArgument:
        @hookimpl
        def register_importers(self, registrar: object) -> None:
            raise AssertionError("never called")

    status = wb_register(WrongArgument(), "wrong-arg")
    assert status.status == "failed"
    assert status.error.startswith("registration failed: PluginValidationError:")
    assert "registrar" in status.error


def test_hook_wrappers_are_refused_because_the_host_calls_plugins_one_by_one(
    wb_host: PluginHost, wb_register: Register
) -> None:
    class Wrapper:
        @hookimpl(wrapper=True)
        def on_project_open(self, project: object) -> object:
            return (yield)

    status = wb_register(Wrapper(), "wrapper")
    assert (status.status, "hook wrappers are not supported" in status.error) == ("failed", True)


def test_a_broken_error_reporter_does_not_turn_a_plugin_failure_into_a_crash(tmp_path: Path) -> None:
    def reporter(message: str) -> None:
        raise OSError("stderr closed")

    write_plugin(tmp_path, "broken", "raise RuntimeError('boom')\n")
    host = new_host(write_toml(tmp_path / "plugins.toml", local=["broken.py"]), on_error=reporter)
    assert status_of(host, "broken")[0] == "failed"


def test_a_failing_plugin_prints_no_traceback_when_nobody_configured_logging(tmp_path: Path) -> None:
    write_plugin(tmp_path, "broken", "raise RuntimeError('boom')\n")
    toml = write_toml(tmp_path / "plugins.toml", local=["broken.py"])
    probe = (
        "from pathlib import Path; from workbench.plugins import PluginHost; "
        f"print(PluginHost(config_path=Path({str(toml)!r}), environ={{}}).statuses()[-1].status)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert (result.stdout.strip(), result.stderr) == ("failed", "")
