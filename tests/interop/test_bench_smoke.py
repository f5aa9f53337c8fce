"""The interop benchmark still runs at the small size and reports every figure (CI's smoke test)."""

from __future__ import annotations

from tests.benchsmoke import small_report

FIGURES = (
    "export_s",
    "validate_s",
    "import_s",
    "export_peak_mb",
    "import_peak_mb",
    "codings",
    "same_coded_text",
)


def test_the_small_interop_benchmark_reports_every_figure_and_a_faithful_round_trip() -> None:
    report = small_report("interop.py", FIGURES, timeout=120)
    assert report["figures"]["imported_codings"] == report["figures"]["codings"] == 600
