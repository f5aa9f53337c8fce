"""Store benchmark: is a durable write cheap and flat as the project grows, and is a big project usable?

The store's claim (workbench/core/store/store.py) is that a write costs one
small fsynced journal append whatever the project's size, where TinyDB's
default JSONStorage rewrites the whole file. This measures that claim on
projects built by `bench/generate.py` through the public Project API, and the
costs a user feels on a big study: opening it, listing one code's segments,
and memory. Each figure is printed beside its target with PASS or MISS.

    python bench/store.py                 # the large project (generated once, cached in bench/out/)
    python bench/store.py --size small    # a few seconds; what the test suite runs
    python bench/store.py --json          # one JSON object on stdout (progress goes to stderr)
    python bench/store.py --profile       # also cProfile project.code() on the large project

See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import json
import math
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import tinydb

from workbench.core.project import Project
from workbench.core.store.store import CHECKPOINT_BYTES, JOURNAL

try:
    from bench.generate import ACTOR, GENERATOR_VERSION, coding_rng, draw_codings, generate, make_corpus
except ModuleNotFoundError:  # run as `python bench/store.py`: the script's own folder is on sys.path
    from generate import (  # type: ignore[no-redef]
        ACTOR,
        GENERATOR_VERSION,
        coding_rng,
        draw_codings,
        generate,
        make_corpus,
    )

OUT = Path(__file__).resolve().parent / "out"
CHILD_FLAG = "--child-peak-memory"


@dataclass(frozen=True)
class Params:
    """Arguments of `generate`; also the cache key of the project they build."""

    transcripts: int
    words: int
    codes: int
    codings: int
    seed: int = 1

    def key(self) -> str:
        return (
            f"g{GENERATOR_VERSION}-t{self.transcripts}-w{self.words}-c{self.codes}"
            f"-k{self.codings}-s{self.seed}"
        )

    def describe(self) -> str:
        return (
            f"{self.transcripts} transcripts x {self.words:,} words, {self.codes} codes, "
            f"{self.codings:,} codings"
        )


@dataclass(frozen=True)
class Plan:
    """What one `--size` measures. `base` differs from `full` only in its number of codings."""

    full: Params
    base: Params
    writes: int  # durable writes timed at each size
    tinydb_base: int  # default-JSONStorage inserts timed at the base size
    tinydb_full: int  # ... and at the full size (each rewrites the whole file, so fewer)
    opens: int
    retrievals: int
    cache: bool


PLANS = {
    "large": Plan(
        full=Params(60, 9000, 400, 50_000),
        base=Params(60, 9000, 400, 500),
        writes=200,
        tinydb_base=200,
        tinydb_full=30,
        opens=3,
        retrievals=5,
        cache=True,
    ),
    "small": Plan(
        full=Params(3, 1000, 40, 600),
        base=Params(3, 1000, 40, 60),
        writes=50,
        tinydb_base=50,
        tinydb_full=30,
        opens=3,
        retrievals=5,
        cache=False,
    ),
}


@dataclass(frozen=True)
class Target:
    name: str
    figure: str
    op: str  # "<=" or ">="
    limit: float
    unit: str

    def check(self, value: float) -> bool:
        return value <= self.limit if self.op == "<=" else value >= self.limit


TARGETS = (
    Target("write median at base size", "write_ms_base_median", "<=", 2.0, "ms"),
    Target("write median at full size", "write_ms_full_median", "<=", 2.0, "ms"),
    Target("write growth, full vs base (median)", "write_growth", "<=", 1.5, "x"),
    Target("faster than TinyDB JSONStorage at full size", "speedup_vs_tinydb", ">=", 50.0, "x"),
    Target("open, read-only (median)", "open_s_readonly_median", "<=", 1.0, "s"),
    Target("open, writer (median)", "open_s_writer_median", "<=", 1.0, "s"),
    Target("retrieval of the most-used code (median)", "retrieval_ms_median", "<=", 50.0, "ms"),
    Target("peak memory, open + retrieval", "peak_rss_mb", "<=", 400.0, "MB"),
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- statistics ------------------------------------------------------------------------------------------
def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile: with 30 samples, the second-worst; never an interpolation."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


# -- projects ---------------------------------------------------------------------------------------------
def obtain(params: Params, root: Path, *, cache: bool) -> tuple[Path, float, bool]:
    """The project for `params` under `root`: (path, seconds generation took, whether it was cached).

    A cached project is only used if its generation completed: it is built
    in a scratch folder and renamed into place at the end, with meta.json.
    """
    home = root / params.key()
    meta_file = home / "meta.json"
    if cache and meta_file.is_file():
        meta = json.loads(meta_file.read_text())
        return home / "project", float(meta["generation_s"]), True
    scratch = root / f"{params.key()}.partial-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    log(f"generating {params.describe()} ...")
    seconds, _ = timed(lambda: generate(scratch / "project", **asdict(params), log=lambda m: log(f"  {m}")))
    (scratch / "meta.json").write_text(
        json.dumps({"params": asdict(params), "generation_s": seconds, "generator": GENERATOR_VERSION})
    )
    shutil.rmtree(home, ignore_errors=True)
    scratch.rename(home)
    return home / "project", seconds, False


def working_copy(project: Path, scratch: Path) -> Path:
    """Writes go to a copy, so the cached project stays exactly what the generator made."""
    dest = scratch / f"{project.parent.name}-work"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(project, dest)
    return dest


def most_used_code(project: Project) -> tuple[str, int]:
    code_id, codings = max(project.index.codings_by_code.items(), key=lambda item: len(item[1]))
    doc = project.get("codes", code_id)
    assert doc is not None
    return str(doc["label"]), len(codings)


# -- measurements -------------------------------------------------------------------------------------------
def measure_writes(path: Path, params: Params, count: int) -> dict[str, float]:
    """Time `count` further `project.code()` calls, continuing the generator's own stream of codings.

    Before timing, every transcript's text record is loaded (a read the UI
    does when it shows a transcript), so the figure is the write alone:
    validate, build the operation with undo and audit records, append and
    fdatasync the journal line, apply it and update the indexes. The last
    figure times one full checkpoint, which `commit` runs inside whichever
    write pushes the journal past CHECKPOINT_BYTES.
    """
    corpus = make_corpus(params.transcripts, params.words, params.codes, params.seed)
    rng = coding_rng(params.seed)
    taken: set[tuple[int, int, int, int]] = set()
    draw_codings(corpus, params.codings, rng, taken)  # replay what generate() did
    todo = draw_codings(corpus, count, rng, taken)
    gc.collect()
    with Project.open(path, actor=ACTOR) as project:
        ids = {source["filename"]: source["id"] for source in project.sources()}
        source_ids = [ids[tr.filename] for tr in corpus.transcripts]
        for sid in source_ids:
            project.current_text(sid)
        journal = path / JOURNAL
        size = journal.stat().st_size
        samples: list[float] = []
        entries: list[int] = []  # journal growth per write; a checkpoint inside a write empties it
        for t, start, end, code in todo:
            label = corpus.code_labels[code]
            begin = time.perf_counter()
            project.code(source_ids[t], start, end, label)
            samples.append(time.perf_counter() - begin)
            before, size = size, journal.stat().st_size
            if size > before:
                entries.append(size - before)
        checkpoint_s, _ = timed(project.store.checkpoint)
    entry_bytes = statistics.fmean(entries) if entries else float(CHECKPOINT_BYTES)
    ms = [s * 1000 for s in samples]
    return {
        "median": median(ms),
        "p95": p95(ms),
        "max": max(ms),
        "journal_bytes_per_write": entry_bytes,
        "checkpoint_s": checkpoint_s,
    }


def coding_doc(i: int) -> dict[str, str]:
    """The shape of a coding as Project.code stores it."""
    return {
        "id": f"K{i}",
        "segment_id": f"G{i}",
        "code_id": f"C{i % 400 + 1}",
        "coder": ACTOR,
        "layer": "main",
        "unit": "character",
        "created_at": "2024-06-11T10:00:00Z",
        "comment": "",
    }


def measure_tinydb(scratch: Path, documents: int, count: int) -> dict[str, float]:
    """Time `count` inserts with TinyDB's default JSONStorage into a table already holding `documents`.

    This is the baseline the store replaces. It is flattered: it never
    fsyncs (a crash can lose or tear the file) and its file holds codings
    only, not a whole project.
    """
    file = scratch / f"tinydb-{documents}.json"
    file.unlink(missing_ok=True)
    db = tinydb.TinyDB(file)
    try:
        table = db.table("codings")
        table.insert_multiple(coding_doc(i) for i in range(1, documents + 1))
        gc.collect()
        samples: list[float] = []
        for i in range(documents + 1, documents + count + 1):
            doc = coding_doc(i)
            begin = time.perf_counter()
            table.insert(doc)
            samples.append(time.perf_counter() - begin)
    finally:
        db.close()
        file.unlink(missing_ok=True)
    ms = [s * 1000 for s in samples]
    return {"median": median(ms), "p95": p95(ms)}


def measure_fsync_floor(scratch: Path, size: int, count: int = 50) -> float:
    """Median ms of a bare append + fdatasync of `size` bytes: the disk's share of a durable write."""
    file = scratch / "fsync-probe"
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    samples: list[float] = []
    try:
        line = b"x" * max(int(size), 1)
        for _ in range(count):
            begin = time.perf_counter()
            os.write(fd, line)
            os.fdatasync(fd)
            samples.append(time.perf_counter() - begin)
    finally:
        os.close(fd)
        file.unlink(missing_ok=True)
    return median(samples) * 1000


def measure_open(path: Path, count: int) -> dict[str, float]:
    """Median seconds of Project.open (checkpoint load, journal replay, index build), then close."""
    out: dict[str, float] = {}
    for mode, readonly in (("readonly", True), ("writer", False)):
        samples = []
        for _ in range(count):
            gc.collect()
            begin = time.perf_counter()
            project = Project.open(path, readonly=readonly, actor=ACTOR)
            samples.append(time.perf_counter() - begin)
            project.close()
            del project
        out[mode] = median(samples)
    return out


def measure_retrieval(path: Path, count: int) -> dict[str, Any]:
    """`coded_segments` for the most-used code: the first call after open (cold) and the median after."""
    gc.collect()
    with Project.open(path, readonly=True, actor=ACTOR) as project:
        label, codings = most_used_code(project)
        cold, segments = timed(lambda: project.coded_segments(label))
        samples = [timed(lambda: project.coded_segments(label))[0] for _ in range(count)]
    return {
        "label": label,
        "codings": codings,
        "segments": len(segments),
        "cold_ms": cold * 1000,
        "median_ms": median(samples) * 1000,
    }


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def hwm_mb() -> float:
    """The kernel's high-water mark of this process's current address space (0 if not Linux), in MiB."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child_peak_memory() -> None:
    """The probe process: wait for "PATH\tLABEL", open as a session would (writer), retrieve, report.

    After the retrieval it also checkpoints, because a writer session pays
    one sooner or later and the checkpoint serialises the whole state.
    """
    baseline = rss_mb()
    request = sys.stdin.readline().rstrip("\n")
    if not request:
        return
    path, label = request.split("\t")
    with Project.open(Path(path), actor=ACTOR) as project:
        segments = project.coded_segments(label)
        peak, hwm = rss_mb(), hwm_mb()
        project.store.checkpoint()
    report = {
        "peak_rss_mb": peak,
        "peak_hwm_mb": hwm,
        "baseline_rss_mb": baseline,
        "peak_rss_mb_with_checkpoint": rss_mb(),
        "segments": len(segments),
    }
    print(json.dumps(report), flush=True)


class MemoryProbe:
    """A child interpreter started before the benchmark allocates anything big.

    Linux carries a parent's resident size into a child's ru_maxrss (fork
    copies the high-water mark and exec keeps it), so a child spawned late
    by this process would report this process's peak, not its own. The
    probe is therefore started first and told later what to open.
    """

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), CHILD_FLAG],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def measure(self, path: Path, label: str) -> dict[str, float]:
        out, _ = self._proc.communicate(f"{path}\t{label}\n", timeout=600)
        if self._proc.returncode != 0:
            raise RuntimeError(f"memory probe failed with exit status {self._proc.returncode}")
        result: dict[str, float] = json.loads(out)
        return result

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()


def profile_writes(path: Path, params: Params, count: int) -> str:
    """cProfile `count` further writes; the top entries by cumulative time, as text."""
    profiler = cProfile.Profile()
    corpus = make_corpus(params.transcripts, params.words, params.codes, params.seed)
    rng = coding_rng(params.seed)
    taken: set[tuple[int, int, int, int]] = set()
    draw_codings(corpus, params.codings, rng, taken)
    draw_codings(corpus, 10_000, rng, taken)  # skip past the codings measure_writes used
    todo = draw_codings(corpus, count, rng, taken)
    with Project.open(path, actor=ACTOR) as project:
        ids = {source["filename"]: source["id"] for source in project.sources()}
        source_ids = [ids[tr.filename] for tr in corpus.transcripts]
        for sid in source_ids:
            project.current_text(sid)
        profiler.enable()
        for t, start, end, code in todo:
            project.code(source_ids[t], start, end, corpus.code_labels[code])
        profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(30)
    return buffer.getvalue()


# -- the run ----------------------------------------------------------------------------------------------
@contextlib.contextmanager
def scratch_dir(root: Path | None) -> Iterator[Path]:
    """Temporary folder on the same file system as the projects, so fsync costs are comparable."""
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-", dir=root) as name:
        yield Path(name)


def run(size: str, *, use_cache: bool, profile: bool) -> dict[str, Any]:
    plan = PLANS[size]
    cache = plan.cache and use_cache
    started = time.perf_counter()
    probe = MemoryProbe()
    with contextlib.ExitStack() as stack:
        stack.callback(probe.close)
        scratch = stack.enter_context(scratch_dir(OUT if cache else None))
        root = OUT if cache else scratch
        full_path, full_gen, full_cached = obtain(plan.full, root, cache=cache)
        base_path, base_gen, base_cached = obtain(plan.base, root, cache=cache)
        checkpoint_mb = (full_path / "project.json").stat().st_size / 1e6

        log("measuring open, retrieval and memory ...")
        work = working_copy(full_path, scratch)
        opened = measure_open(work, plan.opens)
        retrieval = measure_retrieval(work, plan.retrievals)
        memory = probe.measure(work, retrieval["label"])

        log(f"measuring {plan.writes} durable writes at each size ...")
        write_base = measure_writes(working_copy(base_path, scratch), plan.base, plan.writes)
        write_full = measure_writes(work, plan.full, plan.writes)
        fsync_floor = measure_fsync_floor(scratch, write_full["journal_bytes_per_write"])

        log("measuring TinyDB's default JSONStorage ...")
        tiny_base = measure_tinydb(scratch, plan.base.codings, plan.tinydb_base)
        tiny_full = measure_tinydb(scratch, plan.full.codings, plan.tinydb_full)

        profile_text = ""
        if profile:
            log("profiling writes at full size ...")
            profile_text = profile_writes(working_copy(full_path, scratch), plan.full, plan.writes)

    per_checkpoint = CHECKPOINT_BYTES / write_full["journal_bytes_per_write"]
    figures: dict[str, float] = {
        "write_ms_base_median": write_base["median"],
        "write_ms_base_p95": write_base["p95"],
        "write_ms_full_median": write_full["median"],
        "write_ms_full_p95": write_full["p95"],
        "write_ms_full_max": write_full["max"],
        "write_growth": write_full["median"] / write_base["median"],
        "fsync_floor_ms": fsync_floor,
        "journal_bytes_per_write": write_full["journal_bytes_per_write"],
        "checkpoint_s_base": write_base["checkpoint_s"],
        "checkpoint_s_full": write_full["checkpoint_s"],
        "writes_per_checkpoint": per_checkpoint,
        "checkpoint_ms_per_write_amortized": write_full["checkpoint_s"] * 1000 / per_checkpoint,
        "tinydb_ms_base_median": tiny_base["median"],
        "tinydb_ms_base_p95": tiny_base["p95"],
        "tinydb_ms_full_median": tiny_full["median"],
        "tinydb_ms_full_p95": tiny_full["p95"],
        "speedup_vs_tinydb": tiny_full["median"] / write_full["median"],
        "open_s_readonly_median": opened["readonly"],
        "open_s_writer_median": opened["writer"],
        "retrieval_ms_median": retrieval["median_ms"],
        "retrieval_ms_cold": retrieval["cold_ms"],
        "retrieval_segments": retrieval["segments"],
        "peak_rss_mb": memory["peak_rss_mb"],
        "baseline_rss_mb": memory["baseline_rss_mb"],
        "peak_hwm_mb": memory["peak_hwm_mb"],
        "peak_rss_mb_with_checkpoint": memory["peak_rss_mb_with_checkpoint"],
        "checkpoint_mb": checkpoint_mb,
    }
    return {
        "size": size,
        "params": {"full": asdict(plan.full), "base": asdict(plan.base)},
        "samples": {
            "writes": plan.writes,
            "tinydb_base": plan.tinydb_base,
            "tinydb_full": plan.tinydb_full,
            "opens": plan.opens,
            "retrievals": plan.retrievals,
        },
        "generation_s": {"full": full_gen, "base": base_gen},
        "cached": {"full": full_cached, "base": base_cached},
        "retrieval_code": retrieval["label"],
        "figures": figures,
        "targets": [
            {**asdict(t), "value": figures[t.figure], "pass": t.check(figures[t.figure])} for t in TARGETS
        ],
        "profile": profile_text,
        "elapsed_s": time.perf_counter() - started,
    }


def render(report: dict[str, Any]) -> str:
    f = report["figures"]
    full, base = Params(**report["params"]["full"]), Params(**report["params"]["base"])
    verdict = {t["figure"]: "PASS" if t["pass"] else "MISS" for t in report["targets"]}
    gen = report["generation_s"]
    cached = report["cached"]
    n = report["samples"]

    def row(label: str, value: str, target: str = "", figure: str = "") -> str:
        return f"  {label:<44} {value:>22}   {target:<12} {verdict.get(figure, '')}"

    lines = [
        f"Store benchmark, size {report['size']}",
        f"  full project: {full.describe()}",
        f"  base project: {base.describe()}",
        f"  generation:   full {gen['full']:.1f} s{' (cached)' if cached['full'] else ''}, "
        f"base {gen['base']:.1f} s{' (cached)' if cached['base'] else ''}",
        "",
        f"Durable coding write: project.code(), fsync included ({n['writes']} writes each)",
        row(
            f"at {base.codings:,} codings   median / p95",
            f"{f['write_ms_base_median']:.2f} / {f['write_ms_base_p95']:.2f} ms",
            "<= 2 ms",
            "write_ms_base_median",
        ),
        row(
            f"at {full.codings:,} codings  median / p95",
            f"{f['write_ms_full_median']:.2f} / {f['write_ms_full_p95']:.2f} ms",
            "<= 2 ms",
            "write_ms_full_median",
        ),
        row(
            f"growth {full.codings:,} vs {base.codings:,} (median)",
            f"{f['write_growth']:.2f}x",
            "<= 1.5x",
            "write_growth",
        ),
        row("slowest write at full size", f"{f['write_ms_full_max']:.2f} ms"),
        row("bare append + fdatasync on this disk", f"{f['fsync_floor_ms']:.2f} ms"),
        row("journal bytes per write", f"{f['journal_bytes_per_write']:,.0f} B"),
        row(
            f"checkpoint at {base.codings:,} / {full.codings:,} codings",
            f"{f['checkpoint_s_base'] * 1000:,.0f} / {f['checkpoint_s_full'] * 1000:,.0f} ms",
        ),
        row(
            f"  every ~{f['writes_per_checkpoint']:,.0f} writes; amortised",
            f"{f['checkpoint_ms_per_write_amortized']:.2f} ms/write",
        ),
        "",
        f"TinyDB default JSONStorage insert (no fsync; {n['tinydb_base']} / {n['tinydb_full']} inserts)",
        row(
            f"into {base.codings:,} documents  median / p95",
            f"{f['tinydb_ms_base_median']:.2f} / {f['tinydb_ms_base_p95']:.2f} ms",
        ),
        row(
            f"into {full.codings:,} documents median / p95",
            f"{f['tinydb_ms_full_median']:.2f} / {f['tinydb_ms_full_p95']:.2f} ms",
        ),
        row(
            f"ours faster at {full.codings:,} (median)",
            f"{f['speedup_vs_tinydb']:.0f}x",
            ">= 50x",
            "speedup_vs_tinydb",
        ),
        "",
        f"Full project ({f['checkpoint_mb']:.1f} MB checkpoint)",
        row(
            f"open read-only (median of {n['opens']})",
            f"{f['open_s_readonly_median']:.3f} s",
            "<= 1 s",
            "open_s_readonly_median",
        ),
        row(
            f"open writer (median of {n['opens']})",
            f"{f['open_s_writer_median']:.3f} s",
            "<= 1 s",
            "open_s_writer_median",
        ),
        row(
            f"coded_segments, {int(f['retrieval_segments']):,} segs (median of {n['retrievals']})",
            f"{f['retrieval_ms_median']:.1f} ms",
            "<= 50 ms",
            "retrieval_ms_median",
        ),
        row("  first call after open (cold)", f"{f['retrieval_ms_cold']:.1f} ms"),
        row(
            "peak RSS, open + retrieval (subprocess)",
            f"{f['peak_rss_mb']:.0f} MB",
            "<= 400 MB",
            "peak_rss_mb",
        ),
        row("  of which interpreter + imports", f"{f['baseline_rss_mb']:.0f} MB"),
        row("  cross-check: VmHWM of that process", f"{f['peak_hwm_mb']:.0f} MB"),
        row("  peak after one checkpoint too", f"{f['peak_rss_mb_with_checkpoint']:.0f} MB"),
        "",
        f"{sum(t['pass'] for t in report['targets'])}/{len(report['targets'])} targets met "
        f"in {report['elapsed_s']:.0f} s",
    ]
    if report["size"] != "large":
        lines.append("  (the targets are set for --size large; at this size they only show the wiring works)")
    if report["profile"]:
        lines += ["", "cProfile of project.code() at full size (top by cumulative time):", report["profile"]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == [CHILD_FLAG]:
        child_peak_memory()
        return 0
    parser = argparse.ArgumentParser(description="Benchmark the durable project store.")
    parser.add_argument("--size", choices=sorted(PLANS), default="large")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--no-cache", action="store_true", help="generate afresh in a temporary folder")
    parser.add_argument("--profile", action="store_true", help="cProfile writes at full size")
    args = parser.parse_args(args_in)
    report = run(args.size, use_cache=not args.no_cache, profile=args.profile)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
