"""Analysis matrix benchmark (issue 18): co-occurrence, code x case and crosstab on a big study.

The project is the store benchmark's large one (60 transcripts x 9,000 words, 400 codes, 50,000
codings; `bench/generate.py`, cached in `bench/out/`). The generator gives its participants no
attributes, so the benchmark works on a copy and gives each of the 60 participants a `group` (3
values) and an `age-band` (4 values) through `Project.update_participant`; the cache is never written.

* **in process**: the copy opened read-only once; each figure run once unmeasured, then `--runs` times
  (3 for the slow turn and source units), median: co-occurrence of every code with unit=overlap,
  turn and source; code x case by segments and by words; crosstab by group and by age band;
  `displayed` (the cell texts, with small-cell suppression where it applies) of the co-occurrence,
  code x case and crosstab matrices, and of the age-band crosstab with K=10 and column percentages;
  and the drill-down of the busiest off-diagonal co-occurrence cell (and of the busiest code x case
  cell): `cell.segments`, then `project.coded_segments(row label)` kept to those segment ids. Each
  drill-down must return exactly the cell's count of segments, or the run fails.
* **whole process**: `workbench table BIG cooccurrence --format json > /dev/null`, median of
  `--process-runs` after one unmeasured run (bytecode cache kept, as bench/search.py does).

    python bench/matrix.py                 # size large (the project is generated once, cached)
    python bench/matrix.py --size small    # a few seconds; what tests/test_bench_matrix_smoke.py runs
    python bench/matrix.py --json          # one JSON object on stdout; progress on stderr
    python bench/matrix.py --profile       # also cProfile each figure once

See bench/README.md for the figures measured here.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.search import Runner, installed_env, log, median, workbench_command  # noqa: E402
from bench.store import OUT, Params, obtain  # noqa: E402
from workbench.core import matrix as m  # noqa: E402
from workbench.core.errors import WorkbenchError  # noqa: E402
from workbench.core.project import Project  # noqa: E402


@dataclass(frozen=True)
class Plan:
    params: Params
    runs: int  # in-process samples per figure
    slow_runs: int  # ... for co-occurrence by turn and by source
    process_runs: int  # whole-process samples of `workbench table BIG cooccurrence`
    cache: bool


PLANS = {
    "large": Plan(Params(60, 9000, 400, 50_000), runs=9, slow_runs=3, process_runs=5, cache=True),
    "small": Plan(Params(3, 1000, 40, 600), runs=3, slow_runs=2, process_runs=1, cache=False),
}
GROUPS = ("clinic", "community", "online")
AGE_BANDS = ("18-29", "30-44", "45-64", "65+")
CROSSTAB_K = 10
"""A threshold at which the age-band crosstab has small cells (at K=3 it has none on the large
project), so the complementary suppression with column percentages does real work."""

# (figure, what, limit, unit)
TARGETS = (
    ("cooccurrence_ms_overlap", "co-occurrence, all codes, unit=overlap (median)", 1000.0, "ms"),
    ("case_ms_segments", "code x case, measure=segments (median)", 200.0, "ms"),
    ("crosstab_ms_group", "crosstab attr=group (median)", 200.0, "ms"),
    ("drill_ms_cooccurrence", "drill-down of the busiest co-occurrence cell (median)", 100.0, "ms"),
)


def attributes_for(index: int) -> dict[str, str]:
    """Participant `index` (0-based, in id order): both cycle, 3 and 4 being coprime, so every group
    meets every age band (60 participants: 20 per group, 15 per band, 5 per pair)."""
    return {"group": GROUPS[index % len(GROUPS)], "age-band": AGE_BANDS[index % len(AGE_BANDS)]}


def give_attributes(path: Path) -> int:
    """Set `group` and `age-band` on every participant of the project at `path` (a copy)."""
    with Project.open(path) as project:
        people = project.participants()
        for index, person in enumerate(people):
            project.update_participant(person["id"], attributes=attributes_for(index))
    return len(people)


# -- in process -------------------------------------------------------------------------------------------
def sample(fn: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    """One unmeasured call, then `runs` timed ones: (seconds of the first call, ms samples, result).

    The previous result is dropped before each timed call, so freeing a 400 x 400 matrix (about
    100,000 cells) is not counted against the next one.
    """
    begin = time.perf_counter()
    result = fn()
    first = time.perf_counter() - begin
    samples = []
    for _ in range(runs):
        result = None
        gc.collect()
        begin = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - begin) * 1000)
    return first, samples, result


def drill(project: Project, matrix: m.Matrix, row: int, column: int) -> list[Any]:
    """What Enter on a cell opens: the row code's segments that are behind the cell."""
    wanted = set(matrix.cells[row][column].segments)
    return [s for s in project.coded_segments(matrix.rows[row]) if s.segment_id in wanted]


def busiest(matrix: m.Matrix, *, off_diagonal: bool) -> tuple[int, int]:
    """(row, column) of the cell with the highest value; ties go to the first."""
    best, where = -1, (0, 0)
    for r, line in enumerate(matrix.cells):
        for c, cell in enumerate(line):
            if off_diagonal and r == c:
                continue
            if cell.value > best:
                best, where = cell.value, (r, c)
    return where


def non_empty(matrix: m.Matrix) -> int:
    return sum(1 for line in matrix.cells for cell in line if cell.value)


def measure_in_process(path: Path, plan: Plan) -> dict[str, Any]:
    gc.collect()
    begin = time.perf_counter()
    project = Project.open(path, readonly=True)
    out: dict[str, Any] = {
        "figures": {"open_s": time.perf_counter() - begin},
        "spread": {},
        "counts": {},
        "drills": {},
    }
    figures, spread, counts = out["figures"], out["spread"], out["counts"]

    def record(name: str, fn: Callable[[], Any], runs: int) -> Any:
        first, samples, result = sample(fn, runs)
        figures[name] = median(samples)
        spread[name] = (min(samples), max(samples))
        log(f"  {name:<28} {median(samples):8.1f} ms  (first {first * 1000:.0f} ms, {runs} runs)")
        return first, result

    try:
        first, overlap = record("cooccurrence_ms_overlap", lambda: m.cooccurrence(project), plan.runs)
        figures["cooccurrence_ms_first"] = first * 1000
        counts["codes"] = len(overlap.rows)
        counts["cooccurrence_non_empty"] = non_empty(overlap)
        _, turn = record("cooccurrence_ms_turn", lambda: m.cooccurrence(project, unit="turn"), plan.slow_runs)
        counts["cooccurrence_turn_non_empty"] = non_empty(turn)
        del turn
        _, source = record(
            "cooccurrence_ms_source", lambda: m.cooccurrence(project, unit="source"), plan.slow_runs
        )
        counts["cooccurrence_source_non_empty"] = non_empty(source)
        del source

        _, case = record("case_ms_segments", lambda: m.code_by_case(project), plan.runs)
        counts["cases"] = len(case.columns)
        counts["case_non_empty"] = non_empty(case)
        _, words = record("case_ms_words", lambda: m.code_by_case(project, measure="words"), plan.runs)
        counts["case_words_total"] = sum(c.value for line in words.cells for c in line)
        del words
        _, group = record("crosstab_ms_group", lambda: m.crosstab(project, attr="group"), plan.runs)
        counts["crosstab_group_columns"] = len(group.columns)
        _, age = record("crosstab_ms_age", lambda: m.crosstab(project, attr="age-band"), plan.runs)
        counts["crosstab_age_columns"] = len(age.columns)

        _, shown = record("displayed_ms_cooccurrence", lambda: m.displayed(overlap), plan.runs)
        del shown
        _, shown = record("displayed_ms_case", lambda: m.displayed(case), plan.runs)
        counts["case_suppressed"] = len(shown.suppressed)
        _, shown = record("displayed_ms_crosstab", lambda: m.displayed(group), plan.runs)
        counts["crosstab_suppressed"] = len(shown.suppressed)
        _, shown = record(
            "displayed_ms_crosstab_k10",
            lambda mx=age: m.displayed(mx, small_cell=CROSSTAB_K, percent="column"),
            plan.runs,
        )
        counts["crosstab_k10_suppressed"] = len(shown.suppressed)
        del age, shown

        for name, matrix, off_diagonal in (("cooccurrence", overlap, True), ("case", case, False)):
            row, column = busiest(matrix, off_diagonal=off_diagonal)
            cell = matrix.cells[row][column]
            _, hits = record(
                f"drill_ms_{name}", lambda mx=matrix, r=row, c=column: drill(project, mx, r, c), plan.runs
            )
            distinct = len({h.segment_id for h in hits})
            out["drills"][name] = {
                "row": matrix.rows[row],
                "column": matrix.columns[column],
                "cell_value": cell.value,
                "row_segments": matrix.cells[row][row].value if name == "cooccurrence" else None,
                "returned": len(hits),
                "distinct_segments": distinct,
            }
            if not (cell.value == len(hits) == distinct):
                raise RuntimeError(
                    f"drill-down of {name} cell ({matrix.rows[row]!r}, {matrix.columns[column]!r}) "
                    f"returned {len(hits)} segments ({distinct} distinct), the cell says {cell.value}"
                )
    finally:
        project.close()
    return out


def measure_kept(path: Path, plan: Plan) -> dict[str, Any]:
    """What the terminal workbench does: segments and overlaps read ahead and kept
    (`workbench.core.coded_spans`), the co-occurrence read out, one coding made, read out again.

    On the writable copy (the codings are added to it). Each read-out must equal a fresh sweep's
    count (the same call on a project nothing was read ahead for), or the run fails.
    """
    from workbench.core import coded_spans

    figures: dict[str, float] = {}
    spread: dict[str, tuple[float, float]] = {}
    with Project.open(path) as project:
        swept = m.cooccurrence(project).values()  # counted afresh (nothing kept yet)
        gc.collect()
        begin = time.perf_counter()
        coded_spans.read_ahead(project)
        figures["kept_read_ahead_ms"] = (time.perf_counter() - begin) * 1000
        _first, samples, kept = sample(lambda: m.cooccurrence(project), plan.runs)
        figures["kept_cooccurrence_ms"] = median(samples)
        spread["kept_cooccurrence_ms"] = (min(samples), max(samples))
        if kept.values() != swept:
            raise RuntimeError("the co-occurrence read out of the kept counts differs from a fresh count")
        row, column = busiest(kept, off_diagonal=True)
        _first, samples, hits = sample(lambda: drill(project, kept, row, column), plan.runs)
        figures["kept_drill_ms"] = median(samples)
        if len(hits) != kept.cells[row][column].value:
            raise RuntimeError("a drill-down of the kept co-occurrence returned another count")
        labels = [str(c["label"]) for c in project.codes()]
        source = project.sources()[0]
        _vid, record = project.current_text(source["id"])
        after: list[float] = []
        line = 0
        while len(after) < plan.runs:
            line += 11
            start, end = record.linemap.span_of_lines(
                line % len(record.linemap) + 1, line % len(record.linemap) + 1
            )
            if not record.text[start:end].strip():
                continue
            try:
                project.code(source["id"], start, end, labels[line % len(labels)])
            except WorkbenchError:
                continue
            gc.collect()
            begin = time.perf_counter()
            kept = m.cooccurrence(project)
            after.append((time.perf_counter() - begin) * 1000)
        figures["kept_after_coding_ms"] = median(after)
        spread["kept_after_coding_ms"] = (min(after), max(after))
        coded_spans._UNIVERSES.pop(project, None)  # forget what is kept: the next one is swept
        if kept.values() != m.cooccurrence(project).values():
            raise RuntimeError("the kept co-occurrence after codings differs from a fresh count")
    log(
        f"  kept: read ahead {figures['kept_read_ahead_ms']:.0f} ms, read out "
        f"{figures['kept_cooccurrence_ms']:.1f} ms, after a coding {figures['kept_after_coding_ms']:.1f} ms"
    )
    return {"figures": figures, "spread": spread}


def profile_in_process(path: Path) -> str:
    """cProfile each figure once (after one warm-up call): the top entries by own and cumulative time."""
    parts = []
    with Project.open(path, readonly=True) as project:
        overlap = m.cooccurrence(project)
        case = m.code_by_case(project)
        group = m.crosstab(project, attr="group")
        age = m.crosstab(project, attr="age-band")
        row, column = busiest(overlap, off_diagonal=True)
        jobs: list[tuple[str, Callable[[], Any]]] = [
            ("cooccurrence unit=overlap", lambda: m.cooccurrence(project)),
            ("cooccurrence unit=turn", lambda: m.cooccurrence(project, unit="turn")),
            ("cooccurrence unit=source", lambda: m.cooccurrence(project, unit="source")),
            ("code-by-case measure=segments", lambda: m.code_by_case(project)),
            ("code-by-case measure=words", lambda: m.code_by_case(project, measure="words")),
            ("crosstab attr=group", lambda: m.crosstab(project, attr="group")),
            ("displayed cooccurrence", lambda: m.displayed(overlap)),
            ("displayed code-by-case", lambda: m.displayed(case)),
            ("displayed crosstab", lambda: m.displayed(group)),
            (
                "displayed crosstab age-band K=10 percent=column",
                lambda: m.displayed(age, small_cell=CROSSTAB_K, percent="column"),
            ),
            ("drill-down, busiest co-occurrence cell", lambda: drill(project, overlap, row, column)),
        ]
        for name, fn in jobs:
            fn()
            gc.collect()
            profiler = cProfile.Profile()
            profiler.enable()
            result = fn()
            profiler.disable()
            del result
            buffer = io.StringIO()
            stats = pstats.Stats(profiler, stream=buffer)
            stats.sort_stats("tottime").print_stats(12)
            stats.sort_stats("cumulative").print_stats(18)
            parts.append(f"--- {name} (1 run)\n{buffer.getvalue()}")
    return "\n".join(parts)


# -- whole process ------------------------------------------------------------------------------------------
def measure_process(runner: Runner, path: Path, runs: int, codes: int) -> dict[str, float]:
    args = ("table", str(path), "cooccurrence", "--format", "json")
    _seconds, stdout = runner.run(*args, stdout=subprocess.PIPE)  # unmeasured; checks what it prints
    rows = json.loads(stdout)
    if len(rows) != codes:
        raise RuntimeError(f"`workbench table cooccurrence` printed {len(rows)} rows, expected {codes}")
    samples = [runner.run(*args)[0] for _ in range(runs)]  # stdout to /dev/null
    return {"process_cooccurrence_s": median(samples), "process_cooccurrence_max_s": max(samples)}


# -- the run ----------------------------------------------------------------------------------------------
def run(size: str, *, use_cache: bool, profile: bool, runs: int | None = None) -> dict[str, Any]:
    plan = PLANS[size]
    if runs:
        plan = replace(plan, runs=runs)
    started = time.perf_counter()
    cache = plan.cache and use_cache
    with tempfile.TemporaryDirectory(prefix="wb-matrix-bench-", dir=OUT if OUT.is_dir() else None) as tmp:
        scratch = Path(tmp)
        project, generation_s, cached = obtain(plan.params, OUT if cache else scratch / "gen", cache=cache)
        made = "cached" if cached else f"generated in {generation_s:.0f} s"
        log(f"project: {plan.params.describe()} ({made})")
        copy = scratch / "copy"
        shutil.copytree(project, copy)
        people = give_attributes(copy)
        log(f"copy with group and age-band on {people} participants")

        log(f"in process, median of {plan.runs} runs ({plan.slow_runs} for turn and source) ...")
        inproc = measure_in_process(copy, plan)

        log("kept (what the terminal workbench reads ahead) ...")
        kept = measure_kept(copy, plan)
        inproc["figures"].update(kept["figures"])
        inproc["spread"].update(kept["spread"])

        log("whole process ...")
        runner = Runner(installed_env(), workbench_command())
        process = measure_process(runner, project, plan.process_runs, inproc["counts"]["codes"])

        profile_text = ""
        if profile:
            log("profiling ...")
            profile_text = profile_in_process(copy)

    figures: dict[str, float] = {**inproc["figures"], **process}
    return {
        "size": size,
        "project": plan.params.describe(),
        "participants": people,
        "samples": {"runs": plan.runs, "slow_runs": plan.slow_runs, "process_runs": plan.process_runs},
        "counts": inproc["counts"],
        "drills": inproc["drills"],
        "spread_ms": inproc["spread"],
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
    k = report["counts"]
    d = report["drills"]
    verdict = {t["figure"]: "PASS" if t["pass"] else "MISS" for t in report["targets"]}
    limits = {t["figure"]: f"<= {t['limit']:g} {t['unit']}" for t in report["targets"]}

    def row(label: str, value: str, figure: str = "") -> str:
        return f"  {label:<58} {value:>12}   {limits.get(figure, ''):<10} {verdict.get(figure, '')}"

    def ms(figure: str) -> str:
        return f"{f[figure]:.1f} ms"

    codes, cases = k["codes"], k["cases"]
    co, cc = d["cooccurrence"], d["case"]
    lines = [
        f"Matrix benchmark (issue 18), size {report['size']}: {report['project']}",
        f"(a copy, with group and age-band set on its {report['participants']} participants)",
        "",
        f"In process, project opened once ({f['open_s']:.2f} s), median of {n['runs']} runs "
        f"({n['slow_runs']} for turn and source)",
        row("first matrix after open (co-occurrence, overlap)", f"{f['cooccurrence_ms_first']:.0f} ms"),
        row(
            f"co-occurrence {codes} x {codes}, unit=overlap ({k['cooccurrence_non_empty']:,} cells)",
            ms("cooccurrence_ms_overlap"),
            "cooccurrence_ms_overlap",
        ),
        row(
            f"co-occurrence, unit=turn ({k['cooccurrence_turn_non_empty']:,} cells)",
            ms("cooccurrence_ms_turn"),
        ),
        row(
            f"co-occurrence, unit=source ({k['cooccurrence_source_non_empty']:,} cells)",
            ms("cooccurrence_ms_source"),
        ),
        row(
            f"code x case {codes} x {cases}, measure=segments ({k['case_non_empty']:,} cells)",
            ms("case_ms_segments"),
            "case_ms_segments",
        ),
        row(f"code x case, measure=words ({k['case_words_total']:,} words)", ms("case_ms_words")),
        row(
            f"crosstab attr=group ({k['crosstab_group_columns']} columns)",
            ms("crosstab_ms_group"),
            "crosstab_ms_group",
        ),
        row(f"crosstab attr=age-band ({k['crosstab_age_columns']} columns)", ms("crosstab_ms_age")),
        row("displayed co-occurrence (what `workbench table` prints)", ms("displayed_ms_cooccurrence")),
        row(
            f"displayed code x case, K=3 ({k['case_suppressed']:,} cells withheld)",
            ms("displayed_ms_case"),
        ),
        row(
            f"displayed crosstab group, K=3 ({k['crosstab_suppressed']:,} cells withheld)",
            ms("displayed_ms_crosstab"),
        ),
        row(
            f"displayed crosstab age-band, K={CROSSTAB_K}, column % "
            f"({k['crosstab_k10_suppressed']:,} withheld)",
            ms("displayed_ms_crosstab_k10"),
        ),
        row(
            f"drill-down, co-occurrence cell of {co['cell_value']:,} (row code: {co['row_segments']:,})",
            ms("drill_ms_cooccurrence"),
            "drill_ms_cooccurrence",
        ),
        row(f"drill-down, code x case cell of {cc['cell_value']:,} ({cc['column']})", ms("drill_ms_case")),
        row(
            "drill-downs returned the cells' counts",
            f"{co['returned']:,} / {cc['returned']:,}",
        ),
        "",
        "Kept for a long-lived session (the terminal workbench reads them ahead; a copy, writable)",
        row("read ahead: segments, overlaps and pair counts", f"{f['kept_read_ahead_ms']:.0f} ms"),
        row("co-occurrence read out of the kept counts (equals a fresh count)", ms("kept_cooccurrence_ms")),
        row("... after one more coding (caught up, read out)", ms("kept_after_coding_ms")),
        row("drill-down of its busiest cell", ms("kept_drill_ms")),
        "",
        f"Whole process (median of {n['process_runs']}, after one unmeasured run)",
        row(
            "workbench table BIG cooccurrence --format json > /dev/null",
            f"{f['process_cooccurrence_s']:.2f} s",
        ),
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
    parser = argparse.ArgumentParser(description="Benchmark the analysis matrices and their drill-down.")
    parser.add_argument("--size", choices=sorted(PLANS), default="large")
    parser.add_argument("--runs", type=int, default=0, help="in-process samples per figure (default 9/3)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--no-cache", action="store_true", help="generate the project afresh")
    parser.add_argument("--profile", action="store_true", help="cProfile each figure once")
    args = parser.parse_args(argv)
    report = run(args.size, use_cache=not args.no_cache, profile=args.profile, runs=args.runs or None)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
