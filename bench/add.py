"""Import benchmark (issue 25): `workbench add DIR FILES...` of many plain-text transcripts, beside `qc`.

The transcripts are the store benchmark's generator's (`bench/generate.py`, `make_corpus`): alternating
`Interviewer:` / `Participant:` turns of made-up words, about one in ten accented or non-Latin, written
as plain `.txt` files (UTF-8) into a temporary folder. The same seed always gives the same files.

Every figure is whole processes, from spawn to exit, as a shell runs them, on a fresh project each run:

* **workbench**: `workbench new P --title ... --method gt` then `workbench add P FILE...` with every file
  on one command line (the shell's expansion of `*.txt`).
* **qc** (qualitative-coding, the peer CLI): `qc init` in an empty folder then `qc corpus import -r
  -i verbatim DIR` of the same folder of files (qc's default importer for `.txt` needs pandoc; the
  verbatim one is its plain-text import). qc is looked for as `$QC`, then `qc` on PATH, then
  `/tmp/qcvenv/bin/qc` (install it in its own venv: `python3 -m venv /tmp/qcvenv &&
  /tmp/qcvenv/bin/pip install qualitative-coding`). When it is not installed its side is skipped with
  a note, and only the workbench figures are reported.

The two tools are run alternately, `--runs` times each after one unmeasured run of each (page cache,
bytecode), median. After each workbench run `workbench sources P --json` must list every file.

    python bench/add.py                  # size large: 200 transcripts x 9,000 words, median of 3
    python bench/add.py --size small     # 5 x 500 words, 1 run; what tests/test_bench_add_smoke.py runs
    python bench/add.py --json           # one JSON object on stdout; progress on stderr

See bench/README.md ("Adding transcripts (issue 25)") for the figures measured here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import make_corpus  # noqa: E402
from bench.search import installed_env  # noqa: E402


@dataclass(frozen=True)
class Plan:
    transcripts: int
    words: int
    runs: int


PLANS = {
    "large": Plan(200, 9000, runs=3),
    "small": Plan(5, 500, runs=1),
}
SEED = 1
QC_FALLBACK = Path("/tmp/qcvenv/bin/qc")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def workbench_command() -> list[str]:
    script = Path(sys.executable).parent / "workbench"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from workbench.cli.main import main; sys.exit(main())"]


def find_qc() -> str | None:
    for candidate in (os.environ.get("QC"), shutil.which("qc"), str(QC_FALLBACK)):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def write_files(folder: Path, plan: Plan) -> list[Path]:
    corpus = make_corpus(plan.transcripts, plan.words, 1, SEED)
    folder.mkdir(parents=True)
    paths = []
    for transcript in corpus.transcripts:
        path = folder / transcript.filename
        path.write_text(transcript.text, encoding="utf-8")
        paths.append(path)
    return paths


def run(command: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    begin = time.perf_counter()
    done = subprocess.run(list(command), env=env, cwd=cwd, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - begin
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} ... failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def workbench_once(wb: list[str], env: dict[str, str], work: Path, files: list[Path], n: int) -> float:
    project = work / f"wb-{n}"
    seconds = run([*wb, "new", str(project), "--title", "Import bench", "--method", "gt"], env, work)
    seconds += run([*wb, "add", str(project), *map(str, files)], env, work)
    listed = subprocess.run(
        [*wb, "sources", str(project), "--json"], env=env, capture_output=True, text=True, check=True
    )
    names = sorted(row["filename"] for row in json.loads(listed.stdout))
    if names != sorted(p.name for p in files):
        raise RuntimeError(f"the project lists {len(names)} sources, {len(files)} files were added")
    shutil.rmtree(project)
    return seconds


def qc_once(qc: str, env: dict[str, str], work: Path, folder: Path, count: int, n: int) -> float:
    project = work / f"qc-{n}"
    project.mkdir()
    seconds = run([qc, "init"], env, project)
    seconds += run([qc, "corpus", "import", "-r", "-i", "verbatim", str(folder)], env, project)
    imported = len(list((project / "corpus").rglob("*.txt")))
    if imported != count:
        raise RuntimeError(f"qc imported {imported} files of {count}")
    shutil.rmtree(project)
    return seconds


def measure(plan: Plan) -> dict[str, Any]:
    started = time.perf_counter()
    qc = find_qc()
    with tempfile.TemporaryDirectory(prefix="wb-bench-add-") as tmp:
        work = Path(tmp)
        env = installed_env(work / "cache")
        files = write_files(work / "transcripts", plan)
        size = sum(p.stat().st_size for p in files)
        log(f"{len(files)} transcripts x {plan.words:,} words ({size / 1e6:.1f} MB) in {work}")
        wb = workbench_command()
        wb_samples: list[float] = []
        qc_samples: list[float] = []
        for n in range(plan.runs + 1):  # run 0 is unmeasured
            seconds = workbench_once(wb, env, work, files, n)
            if n:
                wb_samples.append(seconds)
            log(f"  workbench new + add: {seconds:6.2f} s{'' if n else ' (unmeasured)'}")
            if qc is not None:
                seconds = qc_once(qc, env, work, work / "transcripts", len(files), n)
                if n:
                    qc_samples.append(seconds)
                log(f"  qc init + corpus import: {seconds:6.2f} s{'' if n else ' (unmeasured)'}")
    figures: dict[str, float] = {"workbench_add_s": statistics.median(wb_samples)}
    targets = []
    qc_version = None
    if qc is not None:
        figures["qc_import_s"] = statistics.median(qc_samples)
        figures["ratio_to_qc"] = figures["workbench_add_s"] / figures["qc_import_s"]
        targets.append(
            {
                "name": "`workbench new` + `add` / `qc init` + `corpus import`",
                "figure": "ratio_to_qc",
                "limit": 1.0,
                "unit": "x",
                "pass": figures["ratio_to_qc"] <= 1.0,
            }
        )
        done = subprocess.run([qc, "version"], capture_output=True, text=True)
        qc_version = (done.stdout or done.stderr).strip() or None
    return {
        "plan": {"transcripts": plan.transcripts, "words": plan.words, "runs": plan.runs},
        "bytes": size,
        "qc": qc,
        "qc_version": qc_version,
        "qc_note": None if qc else "qc is not installed: its side was skipped (see the module docstring)",
        "figures": figures,
        "samples_s": {"workbench": wb_samples, "qc": qc_samples},
        "targets": targets,
        "load_average": os.getloadavg()[0],
        "elapsed_s": time.perf_counter() - started,
    }


def render(report: dict[str, Any]) -> str:
    f = report["figures"]
    s = report["samples_s"]
    p = report["plan"]

    def spread(values: list[float]) -> str:
        return f"({min(values):.2f}-{max(values):.2f})"

    lines = [
        f"Import benchmark (issue 25): {p['transcripts']} plain-text transcripts x {p['words']:,} words "
        f"({report['bytes'] / 1e6:.1f} MB), whole process, median of {p['runs']} "
        f"(load average {report['load_average']:.2f})",
        "",
        f"  workbench new + add          {f['workbench_add_s']:7.2f} s {spread(s['workbench'])}",
    ]
    if "qc_import_s" in f:
        verdict = "PASS" if report["targets"][0]["pass"] else "MISS"
        lines += [
            f"  qc init + corpus import      {f['qc_import_s']:7.2f} s {spread(s['qc'])}  "
            f"[{report['qc_version'] or report['qc']}]",
            f"  workbench / qc               {f['ratio_to_qc']:7.2f} x   <= 1 x  {verdict}",
        ]
    else:
        lines.append(f"  qc: skipped. {report['qc_note']}")
    lines += ["", f"done in {report['elapsed_s']:.0f} s"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark `workbench add` of many transcripts beside qc.")
    parser.add_argument("--size", choices=sorted(PLANS), default="large")
    parser.add_argument("--runs", type=int, help="measured runs of each (default 3; 1 for small)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args(argv)
    plan = PLANS[args.size]
    if args.runs:
        plan = Plan(plan.transcripts, plan.words, max(1, args.runs))
    report = measure(plan)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
