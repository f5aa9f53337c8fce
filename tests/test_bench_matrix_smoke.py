"""The matrix benchmark (issue 18) still runs, reports every figure, and its drill-downs are exact.

It runs `bench/matrix.py --size small` in a subprocess, as `make bench` would: co-occurrence by
overlap, turn and source, code x case, crosstab on attributes the benchmark sets on a copy, the
displayed (suppressed) tables, two cell drill-downs and a whole-process `workbench table`. It checks
that the figures exist and are positive, not that targets are met: the small project says nothing
about the large one's speed.
"""

from __future__ import annotations

from tests.benchsmoke import small_report

FIGURES = (
    "open_s",
    "cooccurrence_ms_first",
    "cooccurrence_ms_overlap",
    "cooccurrence_ms_turn",
    "cooccurrence_ms_source",
    "case_ms_segments",
    "case_ms_words",
    "crosstab_ms_group",
    "crosstab_ms_age",
    "displayed_ms_cooccurrence",
    "displayed_ms_case",
    "displayed_ms_crosstab",
    "displayed_ms_crosstab_k10",
    "drill_ms_cooccurrence",
    "drill_ms_case",
    "process_cooccurrence_s",
)


def test_the_small_matrix_benchmark_reports_every_figure_and_exact_drill_downs() -> None:
    report = small_report("matrix.py", FIGURES, timeout=120)
    assert {t["figure"] for t in report["targets"]} == {
        "cooccurrence_ms_overlap",
        "case_ms_segments",
        "crosstab_ms_group",
        "drill_ms_cooccurrence",
    }
    assert report["counts"]["crosstab_group_columns"] == 3  # the attributes were set on the copy
    for name in ("cooccurrence", "case"):
        drill = report["drills"][name]
        assert drill["cell_value"] > 0, drill
        assert drill["returned"] == drill["distinct_segments"] == drill["cell_value"], drill
    assert report["drills"]["cooccurrence"]["row"] != report["drills"]["cooccurrence"]["column"]
