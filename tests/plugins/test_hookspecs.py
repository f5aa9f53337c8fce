"""Every hook is documented, and every hook has a test that shows its contribution or event arriving.

`EXERCISES` maps each hook name to a function that registers a plugin implementing that hook and checks the
result through the host's facade. Adding a hookspec without adding an exercise fails
`test_every_hookspec_has_an_exercise`, so no hook ships untested.
"""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from workbench import hookimpl, hookspecs
from workbench.core.model import ImportedTranscript
from workbench.core.project import OperationEvent, Project
from workbench.plugins import EVENT_HOOKS, REGISTER_HOOKS, PluginHost, PluginStatus
from workbench.registry import (
    CaseAccess,
    CaseRule,
    CommandSpec,
    Exporter,
    Finding,
    Importer,
    ProjectFormat,
    ProjectRead,
    TableData,
    TableSpec,
    Term,
    Validator,
    ViewSpec,
    Vocabulary,
    Workflow,
    WorkflowStep,
)

Register = Callable[[object, str], PluginStatus]
Exercise = Callable[[PluginHost, Register, Path], None]


def hookspec_functions() -> dict[str, Callable[..., Any]]:
    """The hookspecs, found the way pluggy finds them (by the marker attribute), not from a hand-kept list."""
    return {
        name: function
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, f"{hookspecs.PROJECT_NAME}_spec")
    }


HOOK_NAMES = sorted(hookspec_functions())
EXERCISES: dict[str, Exercise] = {}


def exercises(hook: str) -> Callable[[Exercise], Exercise]:
    def add(function: Exercise) -> Exercise:
        EXERCISES[hook] = function
        return function

    return add


# --- documentation ------------------------------------------------------------------------------------------


def test_hook_names_are_the_ones_the_host_calls() -> None:
    assert set(HOOK_NAMES) == set(REGISTER_HOOKS) | set(EVENT_HOOKS)


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_every_hookspec_documents_each_argument_its_return_and_when_it_is_called(hook: str) -> None:
    function = hookspec_functions()[hook]
    doc = inspect.getdoc(function) or ""
    for argument in inspect.signature(function).parameters:
        assert f":param {argument}:" in doc, f"{hook} does not document {argument!r}"
    assert ":returns:" in doc
    assert "Called" in doc, f"{hook} does not say when it is called"


def test_hookspecs_use_the_workbench_project_name() -> None:
    assert hookspecs.hookspec.project_name == "workbench"
    assert hookimpl.project_name == "workbench"


# --- every hook exercised -----------------------------------------------------------------------------------


def test_every_hookspec_has_an_exercise() -> None:
    assert sorted(EXERCISES) == HOOK_NAMES


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_every_hook_delivers_its_contribution_or_event(
    hook: str, wb_host: PluginHost, wb_register: Register, tmp_path: Path
) -> None:
    EXERCISES[hook](wb_host, wb_register, tmp_path)
    assert wb_host.errors == []


def _load(path: Path, data: bytes) -> ImportedTranscript:
    return ImportedTranscript(text=data.decode("utf-8"))


@exercises("register_importers")
def _importers(host: PluginHost, register: Register, tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def register_importers(self, register: Callable[..., None]) -> None:
            register("chat", [".CHA"], _load, "CHAT transcripts")

    assert register(Plugin(), "chat-plugin").status == "active"
    importer = host.importer_for(tmp_path / "interview.cha")
    assert importer == Importer("chat", (".cha",), _load, "CHAT transcripts", "chat-plugin")
    assert host.run_importer(importer, tmp_path / "interview.cha", b"hello").text == "hello"


def _export(project: Any, destination: Path, options: Any) -> list[Path]:
    target = destination / "out.csv"
    target.write_text(options.get("header", ""))
    return [target]


@exercises("register_exporters")
def _exporters(host: PluginHost, register: Register, tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def register_exporters(self, register: Callable[..., None]) -> None:
            register("codebook-csv", ".CSV", _export, description="codebook as CSV")

    register(Plugin(), "csv-plugin")
    assert host.exporters() == [Exporter("codebook-csv", ".csv", _export, "codebook as CSV", "csv-plugin")]
    written = host.run_exporter(host.exporters()[0], object(), tmp_path, {"header": "code"})  # type: ignore[arg-type]
    assert written == [tmp_path / "out.csv"]
    assert (tmp_path / "out.csv").read_text() == "code"


def _build(project: Any, options: Any) -> TableData:
    return TableData(columns=("code", "n"), rows=(("trust", "3"),), title="Codes")


@exercises("register_tables")
def _tables(host: PluginHost, register: Register, tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def register_tables(self, register: Callable[..., None]) -> None:
            register("codes", "Codes and counts", _build)

    register(Plugin(), "table-plugin")
    assert host.tables() == [TableSpec("codes", "Codes and counts", _build, "", "table-plugin")]
    assert host.build_table(host.tables()[0], object()).rows == (("trust", "3"),)  # type: ignore[arg-type]


@exercises("register_commands")
def _commands(host: PluginHost, register: Register, tmp_path: Path) -> None:
    def configure(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--times", type=int, default=1)

    def run(args: argparse.Namespace) -> int:
        return int(args.times)

    class Plugin:
        @hookimpl
        def register_commands(self, register: Callable[..., None]) -> None:
            register("hello", "say hello", configure, run)

    register(Plugin(), "hello-plugin")
    (spec,) = host.commands()
    assert spec == CommandSpec("hello", "say hello", configure, run, "hello-plugin")
    parser = argparse.ArgumentParser()
    spec.configure(parser)
    assert spec.run(parser.parse_args(["--times", "3"])) == 3


@exercises("register_views")
def _views(host: PluginHost, register: Register, tmp_path: Path) -> None:
    def factory(*args: object) -> str:
        return "widget"

    class Plugin:
        @hookimpl
        def register_views(self, register: Callable[..., None]) -> None:
            register("pets", "screen", "Table of PETs", factory, key="f6")
            register("notes", "margin", "Exploratory notes", factory)

    register(Plugin(), "view-plugin")
    assert host.views() == [
        ViewSpec("pets", "screen", "Table of PETs", factory, "f6", "view-plugin"),
        ViewSpec("notes", "margin", "Exploratory notes", factory, None, "view-plugin"),
    ]
    assert [view.name for view in host.views("margin")] == ["notes"]


@exercises("register_vocabularies")
def _vocabularies(host: PluginHost, register: Register, tmp_path: Path) -> None:
    levels = [Term("initial", "Initial code"), Term("focused", "Focused code", glyph="F")]
    relations = (Term("causes", "causes"),)

    class Plugin:
        @hookimpl
        def register_vocabularies(self, register: Callable[..., None]) -> None:
            register("code-levels", "gt", levels)
            register("relations", "gt", relations)

    register(Plugin(), "gt-words")
    assert host.vocabularies("code-levels") == [Vocabulary("code-levels", "gt", tuple(levels), "gt-words")]
    assert [v.kind for v in host.vocabularies(method="gt")] == ["code-levels", "relations"]
    assert host.vocabularies(method="ipa") == []


@exercises("register_workflows")
def _workflows(host: PluginHost, register: Register, tmp_path: Path) -> None:
    steps = [WorkflowStep("read", "Reading and re-reading"), WorkflowStep("notes", "Exploratory notes")]

    class Plugin:
        @hookimpl
        def register_workflows(self, register: Callable[..., None]) -> None:
            register("ipa", steps)

    register(Plugin(), "ipa-flow")
    assert host.workflows() == [Workflow("ipa", tuple(steps), "ipa-flow")]


def _check(project: Any) -> Iterable[Finding]:
    yield Finding("warning", "memo without a code", entity="M1")


@exercises("register_validators")
def _validators(host: PluginHost, register: Register, tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def register_validators(self, register: Callable[..., None]) -> None:
            register("orphan-memos", _check, "memos linked to nothing")

    register(Plugin(), "checks")
    assert host.validators() == [Validator("orphan-memos", _check, "memos linked to nothing", "checks")]
    assert host.run_validators(object()) == [  # type: ignore[arg-type]
        Finding("warning", "memo without a code", entity="M1", validator="orphan-memos")
    ]


def _hidden(project: Any) -> dict[str, str]:
    return {"P02": "bracketing: P01 is the open case"}


@exercises("register_case_rules")
def _case_rules(host: PluginHost, register: Register, tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def register_case_rules(self, register: Callable[..., None]) -> None:
            register("one-case", hidden=_hidden, description="one case at a time")

    register(Plugin(), "cases")
    assert host.case_rules() == [CaseRule("one-case", _hidden, None, "one case at a time", "cases")]
    assert host.case_access(object()) == CaseAccess(  # type: ignore[arg-type]
        hidden={"P02": "bracketing: P01 is the open case"}, locked={}
    )


def _read_project(path: Path) -> ProjectRead:
    from workbench.core.content import Content

    return ProjectRead(Content(), title=path.stem, found={"sources": 1})


@exercises("register_project_formats")
def _project_formats(host: PluginHost, register: Register, tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def register_project_formats(self, register: Callable[..., None]) -> None:
            register("other-tool", [".OTP", ".otp"], _read_project, "another program's project")
            register("folder-tool", [], _read_project, "a folder program's", markers=["tool.ini"])

    register(Plugin(), "formats")
    assert [f for f in host.project_formats() if f.plugin == "formats"] == [
        ProjectFormat("other-tool", (".otp",), _read_project, "another program's project", "formats"),
        ProjectFormat("folder-tool", (), _read_project, "a folder program's", "formats", ("tool.ini",)),
    ]
    (tmp_path / "study.OTP").mkdir()
    fmt = host.project_format_for(tmp_path / "study.OTP")
    assert fmt is not None and fmt.name == "other-tool"
    assert host.project_format_for(tmp_path / "study.qdpx") is None
    assert host.run_project_format(fmt, tmp_path / "study.OTP").title == "study"
    (tmp_path / "plain").mkdir()
    assert host.project_format_for(tmp_path / "plain") is None
    (tmp_path / "plain" / "tool.ini").write_text("", encoding="utf-8")  # a folder claimed by its marker
    by_marker = host.project_format_for(tmp_path / "plain")
    assert by_marker is not None and by_marker.name == "folder-tool"
    assert host.project_format_for(tmp_path / "plain" / "tool.ini") is None  # the file alone: no extension
    host.unregister_plugin("formats")


class EventRecorder:
    """A plugin that records every event it receives, with the project's title."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    @hookimpl
    def on_project_open(self, project: Project) -> None:
        self.events.append(("open", project.title))

    @hookimpl
    def on_project_close(self, project: Project) -> None:
        self.events.append(("close", project.title))

    @hookimpl
    def on_operation(self, project: Project, event: OperationEvent) -> None:
        self.events.append((f"operation {event.action}", project.title))


def _run_project_life(host: PluginHost, register: Register, tmp_path: Path) -> list[tuple[str, str]]:
    recorder = EventRecorder()
    register(recorder, "recorder")
    with Project.create(tmp_path / "study", "Nurses' trust", observer=host) as project:
        project.create_code("trust")
    return recorder.events


@exercises("on_project_open")
def _on_project_open(host: PluginHost, register: Register, tmp_path: Path) -> None:
    assert ("open", "Nurses' trust") in _run_project_life(host, register, tmp_path)


@exercises("on_project_close")
def _on_project_close(host: PluginHost, register: Register, tmp_path: Path) -> None:
    assert _run_project_life(host, register, tmp_path)[-1] == ("close", "Nurses' trust")


@exercises("on_operation")
def _on_operation(host: PluginHost, register: Register, tmp_path: Path) -> None:
    events = _run_project_life(host, register, tmp_path)
    assert ("operation code.create", "Nurses' trust") in events
    assert events.index(("operation code.create", "Nurses' trust")) < events.index(("close", "Nurses' trust"))
