"""The two bundled demo studies: synthetic interviews, partly coded, so a newcomer sees the tool at work.

Every word in `transcripts/` was written for this project; no real person is
quoted or described. The plans name quotes rather than offsets, so the demo
stays correct if line-map settings ever change.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from workbench.core.errors import BadInputError, WorkbenchError
from workbench.core.project import Project

if TYPE_CHECKING:
    from workbench.plugins import PluginHost
    from workbench.registry import CommandSpec

STUDIES = (("gt-demo", "gt-plan.json"), ("ipa-demo", "ipa-plan.json"))

#: Runs one command line (``["gt", "category", DIR, ...]``, without the program name) and returns its exit
#: code, printing its error line on stderr when it fails: the CLI's `main` is one.
Run = Callable[[Sequence[str]], int]


def _plan(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files(__package__).joinpath(name).read_text("utf-8"))
    return data


def build_demo(dest: Path, host: PluginHost, run: Run | None = None) -> list[Path]:
    """Create DEST/gt-demo and DEST/ipa-demo; refuse to overwrite an existing study.

    The plans' method steps are command lines, replayed through `run`: ``workbench demo`` passes the CLI's
    own `main`, so they go exactly the way a researcher's typed commands go. Without `run` they are run as
    the plugin commands `host` registers (`plugin_commands`). The demo never imports the CLI itself: the
    CLI imports the demo (docs/architecture-imports.md).
    """
    targets = [dest / folder for folder, _plan_name in STUDIES]
    for target in targets:
        if target.exists():
            raise WorkbenchError("already exists; remove it to rebuild the demo", str(target))
    for target, (_folder, plan_name) in zip(targets, STUDIES, strict=True):
        # Build beside the target and rename when complete: a failure leaves no half-built study.
        partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
        try:
            _build(partial, _plan(plan_name), host, run)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        os.replace(partial, target)
    return targets


def _build(target: Path, plan: dict[str, Any], host: PluginHost, run: Run | None = None) -> None:
    transcripts = resources.files(__package__).joinpath("transcripts")
    with Project.create(target, plan["title"], plan["method"], actor="demo", observer=host) as project:
        sources: dict[str, str] = {}
        for entry in plan["participants"]:
            path = Path(str(transcripts.joinpath(entry["file"])))
            importer = host.importer_for(path)
            imported = host.run_importer(importer, path, path.read_bytes())
            sources[entry["file"]] = project.add_source(
                imported,
                entry["file"],
                participant_id=entry["participant"],
                pseudonym=entry["pseudonym"],
                importer=importer.name,
            )
        for coding in plan["codings"]:
            sid = sources[coding["file"]]
            _vid, record = project.current_text(sid)
            start = record.text.find(coding["quote"])
            if start < 0:
                raise WorkbenchError(f"demo quote not found: {coding['quote'][:40]!r}", coding["file"])
            project.code(
                sid,
                start,
                start + len(coding["quote"]),
                coding["code"],
                coder="demo",
                memo=coding.get("memo"),
            )
        project.snapshot_codebook("demo: after first transcripts")
    _run_commands(target, plan.get("commands", []), run or plugin_commands(host))


def _run_commands(target: Path, commands: list[list[str]], run: Run) -> None:
    """Replay the plan's method steps, exactly as a researcher would type them.

    Each command is a list of arguments in which ``{dir}`` stands for the study folder; method plugins'
    artefacts (GT categories, IPA PET tables, ...) are built this way, so the demo exercises the same
    path as the user.
    """
    for command in commands:
        argv = [arg.replace("{dir}", str(target)) for arg in command]
        errors = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
            code = run(argv)
        if code != 0:
            detail = errors.getvalue().strip()
            raise WorkbenchError(f"demo step failed: workbench {' '.join(command)}: {detail}")


class _Parser(argparse.ArgumentParser):
    """A usage error is a `BadInputError` (one line, as from the CLI), never an exit."""

    def error(self, message: str) -> NoReturn:
        raise BadInputError(message, self.prog)


def plugin_commands(host: PluginHost) -> Run:
    """A `Run` for the plugins' commands: ``NAME ARGS...`` is the command NAME that `host` registers, its
    arguments parsed by the parser its ``configure`` builds (once per command) and then its ``run``, both
    under `host.guard`, as the CLI runs a plugin's command. A `WorkbenchError` is printed as the CLI prints
    it, one line on stderr, and its exit code returned."""
    parsers: dict[str, tuple[CommandSpec, argparse.ArgumentParser]] = {}

    def run(argv: Sequence[str]) -> int:
        name, *rest = argv
        try:
            if name not in parsers:
                spec = next((c for c in host.commands() if c.name == name), None)
                if spec is None:
                    raise BadInputError(f"no plugin registers the command {name!r}", "demo")
                made = _Parser(prog=f"workbench {name}", description=spec.help)
                with host.guard(spec.plugin, f"configuring command {name!r}"):
                    spec.configure(made)
                parsers[name] = (spec, made)
            spec, parser = parsers[name]
            args = parser.parse_args(rest)
            with host.guard(spec.plugin, f"running command {name!r}"):
                return spec.run(args)
        except WorkbenchError as exc:
            print(f"workbench: error: {exc}", file=sys.stderr)
            return exc.exit_code

    return run
