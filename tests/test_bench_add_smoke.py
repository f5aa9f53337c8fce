"""The import benchmark (issue 25) still runs and reports every figure.

It runs `bench/add.py --size small --json` in a subprocess, as `make bench` would (5 transcripts of
500 words; whole-process `workbench new` + `workbench add` of all of them, checked with `sources`),
and `qc init` + `qc corpus import` of the same files when qc is installed. It checks that the figures
exist and are positive, not that targets are met: a small import says nothing about the large one.
"""

from __future__ import annotations

from tests.benchsmoke import small_report


def test_the_small_import_benchmark_reports_every_figure() -> None:
    report = small_report("add.py", ("workbench_add_s",), timeout=120)
    assert report["plan"] == {"transcripts": 5, "words": 500, "runs": 1}
    if report["qc"] is None:  # no qc here (as on CI): its side is skipped, and says so
        assert report["qc_note"] and "qc_import_s" not in report["figures"] and not report["targets"]
    else:
        assert report["figures"]["qc_import_s"] > 0 and report["figures"]["ratio_to_qc"] > 0
