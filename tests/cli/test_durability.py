"""Data is sacred: kill -9 at any instant loses nothing reported done; never two writers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from workbench.core.integrity import check_project
from workbench.core.project import Project

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from workbench.core.project import Project

    with Project.open(Path(sys.argv[1])) as p:
        text = p.text_record("V1").text
        n = 0
        while True:
            start = n % (len(text) - 5)
            p.code("S1", start, start + 5, f"code {n % 7}", coder=f"c{n}")
            print(n, flush=True)
            n += 1
    """
)


@pytest.mark.parametrize("delay", [0.3, 0.7, 1.1])
def test_kill_9_loses_no_acknowledged_coding(study: Path, delay: float) -> None:
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(study)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    first = child.stdout.readline()  # the writer is coding (its start-up time varies with the load)
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    out, _ = child.communicate()
    acknowledged = [int(line) for line in (first + out).split()]
    assert acknowledged, "the writer did not get going"
    with Project.open(study) as project:
        coders = {c["coder"] for c in project.rows("codings")}
        assert {f"c{n}" for n in acknowledged} <= coders
        assert check_project(project) == []


def test_a_second_writer_is_refused_naming_the_holder(run: Run, study: Path) -> None:
    with Project.open(study):
        result = run(
            "code", str(study), "S1", "--lines", "4-4", "X", ok=False, env={"WORKBENCH_LOCK_WAIT": "0.2"}
        )
    assert result.returncode != 0
    assert f"pid {os.getpid()}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_readers_work_beside_a_writer(run: Run, study: Path) -> None:
    with Project.open(study) as writer:
        writer.code("S1", 0, 5, "Opening")
        rows = json.loads(run("codes", str(study), "--json").stdout)
    assert [r["label"] for r in rows] == ["Opening"]


def test_concurrent_writers_never_both_write(run: Run, study: Path) -> None:
    procs = [
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "workbench"),
                "code",
                str(study),
                "S1",
                "--chars",
                f"{i}:{i + 4}",
                f"code {i}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(6)
    ]
    succeeded = [i for i, p in enumerate(procs) if p.wait(timeout=60) == 0]
    with Project.open(study, readonly=True) as project:
        labels = {c["label"] for c in project.rows("codes")}
        assert labels == {f"code {i}" for i in succeeded}
        assert check_project(project) == []
