"""Comparison-workspace benchmark: two large studies open in <= 1 s, suggestions in <= 2 s (issue 8).

Study A is the store benchmark's large project (60 transcripts x 9,000 words, 400 codes, 50,000
codings; `bench/generate.py`, cached in `bench/out/`); study B is the same size from another seed, so
its text and code labels differ but share the generator's vocabulary (as two studies of one field share
words). A workspace linking them is created in a scratch folder; the studies are only read.

* **open**: ``Project.open`` of the workspace, then `Comparison` (both studies opened read-only, their
  identities checked) and both concept inventories built (400 concepts each: label, level, definition,
  participant count, tree position, and where its exemplar quotes are) — what ``workbench compare A B``
  and the f9 screen do before showing anything. The quotes' words are read when a concept is first
  shown or scored, not at open. Median of 5 after one unmeasured run (which pays the module imports).
* **suggestions**: `suggest` over all 400 x 400 pairs (labels, definitions and quotes with rapidfuzz),
  the best 20 kept, each run on a freshly opened comparison so it pays for reading the quotes it
  scores. Median of 3.
* **first quotes shown**: a concept's five exemplar quotes with citations read on a freshly opened
  comparison, as the detail pane or ``compare show`` does on first display. Median of 3.
* also printed: each study's `Project.open` alone, and the state digest of both studies.

Run ``python bench/compare.py [--size large|small] [--json] [--no-cache]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.store import OUT, Params, obtain  # noqa: E402

SIZES = {
    "large": (Params(60, 9000, 400, 50_000, seed=1), Params(60, 9000, 400, 50_000, seed=2)),
    "small": (Params(3, 1000, 40, 600, seed=1), Params(3, 1000, 40, 600, seed=2)),
}
TARGETS = (
    ("open the comparison (workspace, both studies, both inventories)", "open_s", 1.0, "s"),
    ("suggestions over all pairs", "suggest_s", 2.0, "s"),
)
REPEATS = 3
OPEN_REPEATS = 5


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(size: str, *, use_cache: bool) -> dict[str, Any]:
    from wb_compare.suggest import suggest
    from wb_compare.workspace import Comparison, create_or_open, state_digest

    from workbench import Project

    params_a, params_b = SIZES[size]
    cache = use_cache and size == "large"
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as scratch_name:
        scratch = Path(scratch_name)
        root = OUT if cache else scratch
        a, _gen_a, cached_a = obtain(params_a, root, cache=cache)
        b, _gen_b, cached_b = obtain(params_b, root, cache=cache)
        workspace, _created, _cleaned = create_or_open(a, b, scratch / "workspace")

        def open_all() -> tuple[int, int]:
            with Project.open(workspace, readonly=True) as project, Comparison(project) as comparison:
                return len(comparison.inventory("A").shown()), len(comparison.inventory("B").shown())

        open_all()  # imports and first-touch costs, not measured
        opens = [timed(open_all) for _ in range(OPEN_REPEATS)]
        concepts = opens[0][1]
        single = [timed(lambda: Project.open(a, readonly=True).close())[0] for _ in range(REPEATS)]
        digest_s, _ = timed(lambda: (state_digest(a), state_digest(b)))
        runs: list[tuple[float, Any]] = []
        shows: list[float] = []
        with Project.open(workspace, readonly=True) as project:
            for _ in range(REPEATS):
                with Comparison(project) as comparison:
                    comparison.inventory("A")
                    comparison.inventory("B")
                    runs.append(timed(lambda: suggest(comparison, limit=20)))
                with Comparison(project) as comparison:
                    shown = comparison.inventory("A").shown()[0]
                    shows.append(timed(lambda shown=shown: shown.quotes)[0])
        best = runs[0][1][0] if runs[0][1] else None
    figures = {
        "open_s": statistics.median(t for t, _ in opens),
        "suggest_s": statistics.median(t for t, _ in runs),
        "show_quotes_s": statistics.median(shows),
        "study_open_s": statistics.median(single),
        "state_digest_s": digest_s,
        "concepts_a": concepts[0],
        "concepts_b": concepts[1],
    }
    targets = [
        {"name": name, "figure": key, "limit": limit, "unit": unit, "pass": figures[key] <= limit}
        for name, key, limit, unit in TARGETS
    ]
    return {
        "size": size,
        "studies": [params_a.describe(), params_b.describe()],
        "cached": {"A": cached_a, "B": cached_b},
        "best_suggestion": None if best is None else best.to_json(),
        "figures": figures,
        "targets": targets,
    }


def render(report: dict[str, Any]) -> str:
    f = report["figures"]
    lines = [
        f"comparison benchmark ({report['size']}): A = {report['studies'][0]}; B = {report['studies'][1]}",
        f"  concepts shown: A {f['concepts_a']}, B {f['concepts_b']}",
        f"  one study's Project.open alone: {f['study_open_s']:.3f} s; state digests of both: "
        f"{f['state_digest_s']:.3f} s; a concept's quotes on first display: {f['show_quotes_s']:.3f} s",
    ]
    if report["best_suggestion"]:
        s = report["best_suggestion"]
        lines.append(f"  best suggestion: {s['a_label']!r} ⇄ {s['b_label']!r} ({s['score']})")
    for target in report["targets"]:
        value = f[target["figure"]]
        verdict = "PASS" if target["pass"] else "MISS"
        lines.append(
            f"  {verdict}  {target['name']}: {value:.3f} {target['unit']} (target <= {target['limit']})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--no-cache", action="store_true", help="generate the studies afresh")
    args = parser.parse_args(argv)
    report = run(args.size, use_cache=not args.no_cache)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
