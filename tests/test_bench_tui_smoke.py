"""The TUI benchmark still runs and reports every figure.

It runs `bench/tui.py --size small --json` in a subprocess, as `make bench-tui` would (but on the
small project), so a change to the app, its screens or the Project API that breaks the benchmark's
instrumentation or its key paths is caught by the normal suite rather than on the day someone needs
the numbers. It checks that every figure exists and is positive, not that targets are met: the small
project says nothing about the large one's performance. It takes about half a minute (headless app
sessions with real key presses, plus three fresh processes for the open figures), hence `slow`.
"""

from __future__ import annotations

import pytest

from tests.benchsmoke import small_report

FIGURES = (
    "open_s_median",
    "open_project_s_median",
    "open_home_s_median",
    "line_ms_median",
    "line_ms_p95",
    "line_settled_ms_median",
    "line_settled_ms_p95",
    "page_ms_median",
    "page_ms_p95",
    "page_settled_ms_median",
    "page_settled_ms_p95",
    "apply_ms_median",
    "apply_ms_p95",
    "apply_settled_ms_median",
    "apply_settled_ms_p95",
    "apply_save_ms_median",
    "codebook_ms_first",
    "codebook_settled_ms_first",
    "codebook_ms_immediate",
    "codebook_ms_cold",
    "codebook_ms_median",
    "codebook_ms_p95",
    "codebook_settled_ms_median",
    "retrieval_ms_first",
    "retrieval_settled_ms_first",
    "retrieval_ms_immediate",
    "retrieval_ms_cold",
    "retrieval_ms_median",
    "retrieval_ms_p95",
    "retrieval_settled_ms_median",
)


@pytest.mark.slow
def test_the_small_tui_benchmark_reports_every_figure() -> None:
    report = small_report("tui.py", FIGURES, timeout=180)
    prepared = report["prepared"]
    assert prepared["transcript_codings"] >= report["plan"]["transcript_codings"]
    assert prepared["code_segments"] >= report["plan"]["code_segments"]
