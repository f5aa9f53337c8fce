"""The store benchmark still runs and reports every figure.

It runs `bench/store.py --size small` in a subprocess, as `make bench` would,
so a change to the Project or store API that breaks the benchmark is caught
by the normal suite rather than on the day someone needs the numbers. It
checks that figures exist and are positive, not that targets are met: the
small project says nothing about the large one's performance. It takes about
two seconds, so it is deliberately not marked `slow`: it runs in every `make test`.
"""

from __future__ import annotations

from tests.benchsmoke import small_report

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
    small_report("store.py", FIGURES, timeout=60)
