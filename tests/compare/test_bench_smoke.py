"""The comparison benchmark still runs and reports every figure (at the small size, ~2 s)."""

from __future__ import annotations

from tests.benchsmoke import small_report

FIGURES = (
    "open_s",
    "suggest_s",
    "show_quotes_s",
    "study_open_s",
    "state_digest_s",
    "concepts_a",
    "concepts_b",
)


def test_the_small_comparison_benchmark_reports_every_figure() -> None:
    report = small_report("compare.py", FIGURES, timeout=60)
    assert report["figures"]["concepts_a"] == 40 and report["figures"]["concepts_b"] == 40
    assert report["best_suggestion"] is not None
