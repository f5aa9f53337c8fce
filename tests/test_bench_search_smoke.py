"""The search benchmark (issue 17) still runs and reports every figure.

It runs `bench/search.py --size small` in a subprocess, as `make bench` would: in-process searches of
every kind, whole-process `workbench search`, `sources`, `words`, and an auto-code undone on a copy
(the benchmark itself checks that undo removed every coding). It checks that the figures exist and are
positive, not that targets are met: the small project says nothing about the large one's speed.
"""

from __future__ import annotations

from tests.benchsmoke import small_report

FIGURES = (
    "search_ms_first",
    "search_ms_word",
    "search_ms_phrase",
    "search_ms_and",
    "search_ms_near",
    "search_ms_stem",
    "search_ms_accents",
    "search_ms_regex",
    "process_search_s",
    "process_sources_s",
    "process_ratio",
    "words_s",
    "autocode_s",
    "undo_s",
    "autocode_codings",
)


def test_the_small_search_benchmark_reports_every_figure() -> None:
    report = small_report("search.py", FIGURES, timeout=120)
    assert set(report["hits"]) == {"word", "phrase", "and", "near", "stem", "accents", "regex"}
    assert report["hits"]["word"] == report["figures"]["autocode_codings"]
    assert report["checks"]["codings_after_undo"] == report["checks"]["codings_before"]
