"""Nothing half-written, nothing lost: kill -9 during `correct` and `export`, and a read-only project.

A killed export leaves the old file or the new one, never half of one, and its temp file is gone by the
next write of the same file; a killed correction leaves the project as before it or as after it. A
project folder the user may not write is refused with one line for every change and still readable.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import WORKBENCH, tree_digest
from tests.cli_inprocess import invoke, run_cli
from workbench.core.integrity import check_project
from workbench.core.project import Project

WORDS = tuple(
    [
        "we",
        "talked",
        "about",
        "the",
        "ward",
        "and",
        "the",
        "peer",
        "worker",
        "who",
        "had",
        "been",
        "there",
        "herself",
        "and",
        "it",
        "helped",
    ]
)


def _transcript(n: int, words: int) -> str:
    lines = []
    for i in range(words // 40):
        speaker = "Interviewer" if i % 2 == 0 else "Participant"
        body = " ".join(WORDS[(i + j + n) % len(WORDS)] for j in range(40))
        lines.append(f"{speaker}: {body}.")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight transcripts of 6,000 words with codings: an export takes long enough to be killed in."""
    root = tmp_path_factory.mktemp("kill")
    files = []
    for n in range(8):
        path = root / f"t{n}.txt"
        path.write_text(_transcript(n, 6000), encoding="utf-8")
        files.append(str(path))
    directory = root / "study"
    run_cli("new", str(directory), "--title", "Kill", "--method", "gt")
    run_cli("add", str(directory), *files)
    with Project.open(directory) as project:
        for n in range(1, 9):
            for line in range(1, 120, 3):
                start, end = project.span_of_lines(f"S{n}", line, line)
                project.code(f"S{n}", start, end, f"Code {line % 11}")
    return directory


@pytest.fixture
def copy(study: Path, tmp_path: Path) -> Path:
    target = tmp_path / "study"
    shutil.copytree(study, target)
    return target


# The real CLI in a child process that stops at its Nth fsync (after the bytes are written, before they
# are made durable or renamed into place): the moment a kill -9 does the most harm.
STALLING_CLI = """
import os, sys, time
from workbench.cli.main import main

stall_at, real_fsync, calls = int(sys.argv[1]), os.fsync, [0]

def fsync(fd):
    real_fsync(fd)
    calls[0] += 1
    if calls[0] == stall_at:
        print("stalled", flush=True)
        time.sleep(60)

os.fsync = fsync
sys.exit(main(sys.argv[2:]))
"""


def _kill_at_fsync(number: int, *args: str) -> bool:
    """Run `workbench ARGS` and kill -9 it at its `number`th fsync; False if it finished first."""
    child = subprocess.Popen(
        [sys.executable, "-c", STALLING_CLI, str(number), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "stalled":
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            return True
    child.wait()
    return False


def test_kill_9_during_an_export_leaves_the_old_file_whole(copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "study.qdpx"
    out.parent.mkdir()
    out.write_bytes(b"the previous export")
    assert _kill_at_fsync(1, "export", str(copy), "qdpx", "-o", str(out))
    assert out.read_bytes() == b"the previous export"


def test_the_next_export_removes_what_a_killed_one_left_and_writes_a_whole_file(
    copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "study.qdpx"
    out.parent.mkdir()
    assert _kill_at_fsync(1, "export", str(copy), "qdpx", "-o", str(out))
    run_cli("export", str(copy), "qdpx", "-o", str(out))
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
    assert sorted(p.name for p in out.parent.iterdir()) == ["study.qdpx"]  # no temp file left behind


def test_a_killed_table_export_leaves_no_temp_file_after_the_next_export(copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "codebook.xlsx"
    out.parent.mkdir()
    assert _kill_at_fsync(1, "export", str(copy), "codebook", "-o", str(out))
    assert not out.exists()
    run_cli("export", str(copy), "codebook", "-o", str(out))
    assert sorted(p.name for p in out.parent.iterdir()) == ["codebook.xlsx"]


@pytest.mark.parametrize("fsync", [1, 2, 3])
def test_kill_9_during_a_correction_leaves_the_project_before_or_after_it(
    copy: Path, tmp_path: Path, fsync: int
) -> None:
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(_transcript(0, 6000).replace("ward", "unit", 1), encoding="utf-8")
    _kill_at_fsync(fsync, "correct", str(copy), "S1", str(corrected), "--reason", "typos")
    with Project.open(copy) as project:
        assert check_project(project) == []
        versions = sorted(
            (v for v in project.rows("versions") if v["source_id"] == "S1"), key=lambda v: int(v["id"][1:])
        )
        assert len(versions) in (1, 2)
        assert project.source("S1")["version_id"] == versions[-1]["id"]
        text = project.current_text("S1")[1].text
        assert text == corrected.read_text(encoding="utf-8") if len(versions) == 2 else "unit" not in text
    assert not list(copy.glob(".*.tmp"))


# -- a read-only project folder -------------------------------------------------------------------------


def _as_ordinary_user() -> list[str]:
    """The command prefix that runs a command without root's power to write anywhere.

    As root (CI), file permissions do not bind; `setpriv` drops the capabilities that bypass them, so
    the command meets the folder's permissions as any ordinary user does. As another user: nothing.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to bind")
    caps = "-dac_override,-dac_read_search,-fowner"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


@pytest.fixture
def read_only(copy: Path) -> Iterator[Path]:
    paths = [copy, *copy.rglob("*")]
    for path in paths:
        path.chmod(0o500 if path.is_dir() else 0o400)
    yield copy
    for path in paths:
        path.chmod(0o700 if path.is_dir() else 0o600)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_as_ordinary_user(), WORKBENCH, *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        ["memo", "{dir}", "--title", "t", "--body", "b"],
        ["code", "{dir}", "S1", "--lines", "1-1", "New"],
        ["undo", "{dir}"],
        ["participant", "{dir}", "P01", "--pseudonym", "Alex"],
        ["clean", "{dir}"],
    ],
    ids=lambda a: a[0],
)
def test_a_change_to_a_read_only_project_is_refused_with_one_line(read_only: Path, args: list[str]) -> None:
    before = tree_digest(read_only)
    result = _run(*[str(read_only) if a == "{dir}" else a for a in args])
    assert result.returncode not in (0, 70), result.stderr
    assert result.stderr.count("\n") == 1 and "read-only" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(read_only) == before


def test_a_read_only_project_can_still_be_read_and_exported_elsewhere(
    read_only: Path, tmp_path: Path
) -> None:
    assert _run("sources", str(read_only)).returncode == 0
    assert _run("check", str(read_only)).returncode == 0
    out = tmp_path / "codebook.csv"
    result = _run("export", str(read_only), "codebook", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.is_file()


def test_an_export_into_a_read_only_folder_is_refused_with_one_line(read_only: Path) -> None:
    for what, name in (("codebook", "codebook.csv"), ("qdpx", "study.qdpx")):
        result = _run("export", str(read_only), what, "-o", str(read_only / name))
        assert result.returncode not in (0, 70), result.stderr
        assert result.stderr.count("\n") == 1 and "cannot write" in result.stderr, result.stderr
        assert "disabled" not in result.stderr  # a folder the user may not write is not a broken plugin


def test_a_project_the_user_may_not_read_is_refused_with_one_line(copy: Path) -> None:
    if os.geteuid() == 0:
        os.chown(copy / "project.json", 65534, 65534)
    (copy / "project.json").chmod(0o000)
    result = _run("sources", str(copy))
    (copy / "project.json").chmod(0o600)
    assert result.returncode not in (0, 70), result.stderr
    assert result.stderr.count("\n") == 1 and "permission denied" in result.stderr.lower(), result.stderr


def test_the_in_process_cli_reports_an_unwritable_output_as_bad_input(copy: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "codebook.csv"
    result = invoke("export", str(copy), "codebook", "-o", str(missing), ok=False)
    assert result.code not in (0, 70) and result.err.count("\n") == 1, result.err


if sys.platform != "linux":  # pragma: no cover - the team's servers are Linux
    pytestmark = pytest.mark.skip("POSIX permissions and signals as on Linux")
