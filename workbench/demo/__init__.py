"""The two bundled demo studies: synthetic interviews, partly coded, so a newcomer sees the tool at work.

Every word in `transcripts/` was written for this project; no real person is
quoted or described. The plans name quotes rather than offsets, so the demo
stays correct if line-map settings ever change.
"""

from __future__ import annotations

import json
import os
import shutil
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError
from workbench.core.project import Project

if TYPE_CHECKING:
    from workbench.plugins import PluginHost

STUDIES = (("gt-demo", "gt-plan.json"), ("ipa-demo", "ipa-plan.json"))


def _plan(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files(__package__).joinpath(name).read_text("utf-8"))
    return data


def build_demo(dest: Path, host: PluginHost) -> list[Path]:
    """Create DEST/gt-demo and DEST/ipa-demo; refuse to overwrite an existing study."""
    targets = [dest / folder for folder, _plan_name in STUDIES]
    for target in targets:
        if target.exists():
            raise WorkbenchError("already exists; remove it to rebuild the demo", str(target))
    for target, (_folder, plan_name) in zip(targets, STUDIES, strict=True):
        # Build beside the target and rename when complete: a failure leaves no half-built study.
        partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
        try:
            _build(partial, _plan(plan_name), host)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        os.replace(partial, target)
    return targets


def _build(target: Path, plan: dict[str, Any], host: PluginHost) -> None:
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
    _run_commands(target, plan.get("commands", []))


def _run_commands(target: Path, commands: list[list[str]]) -> None:
    """Replay the plan's method steps through the real CLI, exactly as a researcher would type them.

    Each command is a list of arguments in which ``{dir}`` stands for the study folder; method plugins'
    artefacts (GT categories, IPA PET tables, ...) are built this way, so the demo exercises the same
    path as the user.
    """
    import contextlib
    import io

    from workbench.cli.main import main

    for command in commands:
        argv = [arg.replace("{dir}", str(target)) for arg in command]
        errors = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
            code = main(argv)
        if code != 0:
            detail = errors.getvalue().strip()
            raise WorkbenchError(f"demo step failed: workbench {' '.join(command)}: {detail}")
