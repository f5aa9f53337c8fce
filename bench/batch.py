"""Batch benchmark: 10,000 codings applied by `workbench batch` in one open, as one undo step.

The project is the store benchmark's large one (60 transcripts x 9,000 words, 400 codes, 50,000
codings; `bench/generate.py`, cached in `bench/out/`). It is only read; every write goes to a copy.

* **the batch file**: 10,000 `code` lines (`{"op": "code", "source": "S7", "chars": "START:END",
  "label": ...}`), continuing the generator's own stream of codings (`draw_codings` replayed), so each
  is new, word-aligned in participant talk and on an existing code, as a script carrying another
  tool's codings over would write them.
* **whole process**: `workbench batch COPY FILE --json`, then `workbench undo COPY`, `--rounds` times
  on one copy, median of each. After each batch the copy must hold 10,000 more codings and 10,000
  more audit events, and its undo step must be the batch; after each undo exactly the codings it had.
* **refusal**: the same file with its last line made bad (a span past the end of its text):
  `workbench batch` must exit 2 naming that line, and every file of the copy must be byte-for-byte
  what it was. Its time is applying 9,999 operations in memory, then putting them back.
* **in process**: a fresh copy opened as a writer (not timed), then `apply_batch` timed: reading the
  lines, the 10,000 operations with their audit events, the one journal append with fdatasync and the
  checkpoint it triggers; then `close`.

    python bench/batch.py                 # size large (the project is generated once, ~1 min, cached)
    python bench/batch.py --size small    # a few seconds; what tests/test_batch.py runs
    python bench/batch.py --json          # one JSON object on stdout; progress on stderr
    python bench/batch.py --profile       # also cProfile the in-process batch

See bench/README.md for the figures measured here.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import coding_rng, draw_codings, make_corpus  # noqa: E402
from bench.search import Runner, installed_env, log, median, workbench_command  # noqa: E402
from bench.store import OUT, Params, obtain  # noqa: E402
from workbench.core.batch import apply_batch  # noqa: E402
from workbench.core.project import Project  # noqa: E402


@dataclass(frozen=True)
class Plan:
    params: Params
    codings: int  # lines of the batch
    rounds: int  # whole-process batch + undo rounds on the copy
    cache: bool


PLANS = {
    "large": Plan(Params(60, 9000, 400, 50_000), codings=10_000, rounds=3, cache=True),
    "small": Plan(Params(3, 1000, 40, 600), codings=200, rounds=1, cache=False),
}

# (figure, what, limit, unit)
TARGETS = (("batch_s", "`batch` of 10,000 codings, whole process (median)", 3.0, "s"),)


# -- the batch file ---------------------------------------------------------------------------------------
def write_batch(project: Path, params: Params, count: int, file: Path) -> int:
    """`count` code lines continuing the generator's stream; returns the file's size in bytes."""
    corpus = make_corpus(params.transcripts, params.words, params.codes, params.seed)
    rng = coding_rng(params.seed)
    taken: set[tuple[int, int, int, int]] = set()
    draw_codings(corpus, params.codings, rng, taken)  # replay what generate() did
    todo = draw_codings(corpus, count, rng, taken)
    with Project.open(project, readonly=True) as opened:
        ids = {source["filename"]: source["id"] for source in opened.sources()}
    sources = [ids[transcript.filename] for transcript in corpus.transcripts]
    lines = [
        json.dumps(
            {"op": "code", "source": sources[t], "chars": f"{a}:{b}", "label": corpus.code_labels[code]},
            ensure_ascii=False,
        )
        for t, a, b, code in todo
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    file.write_bytes(data)
    return len(data)


def spoil_last_line(file: Path, bad: Path) -> int:
    """A copy of the batch whose last line's span runs past the end of its text; returns that line."""
    lines = file.read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    last["chars"] = "0:100000000"
    lines[-1] = json.dumps(last, ensure_ascii=False)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


@dataclass(frozen=True)
class State:
    codings: int
    audit_seq: int
    undo: str  # what `undo` would take back


def state_of(path: Path) -> State:
    with Project.open(path, readonly=True) as project:
        tail = project.store.log_tail("audit") or {}
        return State(len(project.rows("codings")), int(tail.get("seq", 0)), project.can_undo() or "")


def tree_digest(directory: Path) -> dict[str, str]:
    """Every file's bytes, hashed: the 'project untouched' oracle (as tests/cli/conftest.py's)."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# -- whole process ----------------------------------------------------------------------------------------
def measure_processes(runner: Runner, copy: Path, file: Path, count: int, rounds: int) -> dict[str, Any]:
    before = state_of(copy)
    batches, undos = [], []
    for _ in range(rounds):
        seconds, stdout = runner.run("batch", str(copy), str(file), "--json", stdout=subprocess.PIPE)
        batches.append(seconds)
        applied = json.loads(stdout)["applied"]
        after = state_of(copy)
        if applied != count or after.codings != before.codings + count:
            raise RuntimeError(
                f"batch said {applied} applied; codings went from {before.codings} to {after.codings}"
            )
        if after.audit_seq - before.audit_seq != count:
            raise RuntimeError(f"{after.audit_seq - before.audit_seq} audit events for {count} operations")
        if not after.undo.startswith(f"batch of {count:,} operations"):
            raise RuntimeError(f"the undo step after the batch is {after.undo!r}")
        undos.append(runner.run("undo", str(copy))[0])
        undone = state_of(copy)
        if undone.codings != before.codings:
            raise RuntimeError(f"undo left {undone.codings} codings; the copy had {before.codings}")
        before = undone
    return {
        "batch_s": median(batches),
        "batch_max_s": max(batches),
        "undo_s": median(undos),
        "undo_max_s": max(undos),
        "runs": {"batch_s": batches, "undo_s": undos},
    }


def measure_refusal(runner: Runner, copy: Path, bad: Path, line: int) -> dict[str, Any]:
    digest = tree_digest(copy)
    begin = time.perf_counter()
    done = runner.probe("batch", str(copy), str(bad))
    seconds = time.perf_counter() - begin
    if done.returncode != 2 or f"line {line}:" not in done.stderr or done.stderr.count("\n") != 1:
        raise RuntimeError(f"the bad batch gave exit {done.returncode}: {done.stderr[-500:]}")
    if tree_digest(copy) != digest:
        raise RuntimeError("the refused batch changed the project's files")
    return {"refuse_s": seconds, "refusal": done.stderr.strip()}


# -- in process -------------------------------------------------------------------------------------------
def measure_in_process(copy: Path, file: Path, count: int) -> dict[str, float]:
    data = file.read_bytes()
    gc.collect()
    begin = time.perf_counter()
    project = Project.open(copy)
    opened = time.perf_counter() - begin
    try:
        begin = time.perf_counter()
        result = apply_batch(project, data, file.name)
        applied = time.perf_counter() - begin
    finally:
        begin = time.perf_counter()
        project.close()
        closed = time.perf_counter() - begin
    if result.applied != count:
        raise RuntimeError(f"apply_batch applied {result.applied} of {count}")
    return {
        "open_s": opened,
        "apply_s": applied,
        "close_s": closed,
        "operations_per_s": count / applied,
    }


def profile_in_process(copy: Path, file: Path) -> str:
    data = file.read_bytes()
    profiler = cProfile.Profile()
    with Project.open(copy) as project:
        profiler.enable()
        apply_batch(project, data, file.name)
        profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(25)
    return f"--- apply_batch of {file.name}, in process\n{buffer.getvalue()}"


# -- the run ----------------------------------------------------------------------------------------------
def run(size: str, *, use_cache: bool, profile: bool, rounds: int | None = None) -> dict[str, Any]:
    plan = PLANS[size]
    if rounds:
        plan = replace(plan, rounds=rounds)
    started = time.perf_counter()
    cache = plan.cache and use_cache
    with tempfile.TemporaryDirectory(prefix="wb-batch-bench-", dir=OUT if OUT.is_dir() else None) as tmp:
        scratch = Path(tmp)
        project, generation_s, cached = obtain(plan.params, OUT if cache else scratch / "gen", cache=cache)
        made = "cached" if cached else f"generated in {generation_s:.0f} s"
        log(f"project: {plan.params.describe()} ({made})")
        file, bad = scratch / "codings.jsonl", scratch / "bad.jsonl"
        size_bytes = write_batch(project, plan.params, plan.codings, file)
        bad_line = spoil_last_line(file, bad)
        log(f"batch file: {plan.codings:,} code lines, {size_bytes / 1e6:.1f} MB")

        runner = Runner(installed_env(), workbench_command())
        copy = scratch / "copy"
        shutil.copytree(project, copy)
        log(f"whole process, {plan.rounds} round(s) of batch + undo on a copy ...")
        processes = measure_processes(runner, copy, file, plan.codings, plan.rounds)
        log("a batch whose last line is bad ...")
        refusal = measure_refusal(runner, copy, bad, bad_line)

        log("in process, on a fresh copy ...")
        fresh = scratch / "fresh"
        shutil.copytree(project, fresh)
        inproc = measure_in_process(fresh, file, plan.codings)

        profile_text = ""
        if profile:
            log("profiling ...")
            again = scratch / "profiled"
            shutil.copytree(project, again)
            profile_text = profile_in_process(again, file)

    runs = processes.pop("runs")
    figures: dict[str, float] = {
        **processes,
        "refuse_s": refusal["refuse_s"],
        "inprocess_open_s": inproc["open_s"],
        "inprocess_apply_s": inproc["apply_s"],
        "inprocess_close_s": inproc["close_s"],
        "operations_per_s": inproc["operations_per_s"],
        "batch_codings": plan.codings,
        "batch_mb": size_bytes / 1e6,
    }
    return {
        "size": size,
        "project": plan.params.describe(),
        "samples": {"rounds": plan.rounds},
        "runs_s": runs,
        "refusal": refusal["refusal"],
        "figures": figures,
        "targets": [
            {"name": name, "figure": key, "limit": limit, "unit": unit, "pass": figures[key] <= limit}
            for key, name, limit, unit in TARGETS
        ],
        "profile": profile_text,
        "elapsed_s": time.perf_counter() - started,
    }


def render(report: dict[str, Any]) -> str:
    f = report["figures"]
    n = report["samples"]
    verdict = {t["figure"]: "PASS" if t["pass"] else "MISS" for t in report["targets"]}
    limits = {t["figure"]: f"<= {t['limit']:g} {t['unit']}" for t in report["targets"]}

    def row(label: str, value: str, figure: str = "") -> str:
        return f"  {label:<52} {value:>14}   {limits.get(figure, ''):<10} {verdict.get(figure, '')}"

    codings = int(f["batch_codings"])
    lines = [
        f"Batch benchmark, size {report['size']}: {report['project']}",
        f"  batch file: {codings:,} code lines, {f['batch_mb']:.1f} MB",
        "",
        f"Whole process on a copy (median of {n['rounds']}; each checked, then undone and checked)",
        row(f"batch ({codings:,} codings, one step)", f"{f['batch_s']:.2f} s", "batch_s"),
        f"    each: {', '.join(f'{s:.2f}' for s in report['runs_s']['batch_s'])} s",
        row("undo of that batch", f"{f['undo_s']:.2f} s"),
        row(f"batch refused at its last line ({codings:,}), unchanged", f"{f['refuse_s']:.2f} s"),
        f"    {report['refusal']}",
        "",
        "In process, fresh copy",
        row("Project.open (writer)", f"{f['inprocess_open_s']:.2f} s"),
        row("apply_batch: read, apply, fsynced append, checkpoint", f"{f['inprocess_apply_s']:.2f} s"),
        row("close", f"{f['inprocess_close_s']:.2f} s"),
        row("operations per second", f"{f['operations_per_s']:,.0f}"),
        "",
        f"{sum(t['pass'] for t in report['targets'])}/{len(report['targets'])} targets met "
        f"in {report['elapsed_s']:.0f} s",
    ]
    if report["size"] != "large":
        lines.append("  (the targets are set for --size large; at this size they only show the wiring works)")
    if report["profile"]:
        lines += ["", "cProfile:", report["profile"]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark `workbench batch`: 10,000 codings in one step.")
    parser.add_argument("--size", choices=sorted(PLANS), default="large")
    parser.add_argument("--rounds", type=int, default=0, help="whole-process batch + undo rounds (3/1)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--no-cache", action="store_true", help="generate the project afresh")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process batch")
    args = parser.parse_args(argv)
    report = run(args.size, use_cache=not args.no_cache, profile=args.profile, rounds=args.rounds or None)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
