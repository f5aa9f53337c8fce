"""The store benchmark still runs and reports every figure.

It runs `bench/store.py --size small` in a subprocess, as `make bench` would,
so a change to the Project or store API that breaks the benchmark is caught
by the normal suite rather than on the day someone needs the numbers. It
checks that figures exist and are positive, not that targets are met: the
small project says nothing about the large one's performance. It takes about
two seconds, so it is deliberately not marked `slow`: it runs in every `make test`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIGURES = (
    "write_ms_base_median",
    "write_ms_base_p95",
    "write_ms_full_median",
    "write_ms_full_p95",
    "write_growth",
    "tinydb_ms_base_median",
    "tinydb_ms_base_p95",
    "tinydb_ms_full_median",
    "tinydb_ms_full_p95",
    "speedup_vs_tinydb",
    "open_s_readonly_median",
    "open_s_writer_median",
    "retrieval_ms_median",
    "retrieval_segments",
    "peak_rss_mb",
)


def test_the_small_store_benchmark_reports_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "store.py"), "--size", "small", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    figures = report["figures"]
    missing = [name for name in FIGURES if name not in figures]
    assert not missing, f"figures missing from the report: {missing}"
    bad = {name: v for name, v in figures.items() if not (isinstance(v, int | float) and v > 0)}
    assert not bad, f"figures that are not positive numbers: {bad}"
    assert {t["figure"] for t in report["targets"]} <= set(figures)
    assert all(isinstance(t["pass"], bool) for t in report["targets"])
