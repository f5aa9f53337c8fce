"""The interop benchmark still runs at the small size and reports every figure (CI's smoke test): the
.qdpx export and import, and the QualCoder, Taguette and qc import routes from files written from the
bench corpus."""

from __future__ import annotations

from tests.benchsmoke import small_report

ROUTES = ("qualcoder", "taguette", "qc")
FIGURES = (
    "export_s",
    "validate_s",
    "fidelity_s",
    "import_s",
    "export_peak_mb",
    "import_peak_mb",
    "codings",
    "same_coded_text",
    *(f"{route}_{figure}" for route in ROUTES for figure in ("write_s", "import_s", "import_peak_mb")),
    *(f"{route}_same_coded_text" for route in ROUTES),
)


def test_the_small_interop_benchmark_reports_every_figure_and_a_faithful_exchange_on_every_route() -> None:
    report = small_report("interop.py", FIGURES, timeout=120)
    figures = report["figures"]
    assert figures["imported_codings"] == figures["codings"] == 600
    for route in ROUTES:
        assert figures[f"{route}_imported_codings"] == figures[f"{route}_codings"] > 0
        assert figures[f"{route}_codes_back"] == figures[f"{route}_codes"] >= 40
        assert figures[f"{route}_sources_back"] == figures[f"{route}_sources"] == 3
    assert figures["qualcoder_codings"] == figures["taguette_codings"] == 600  # qc codes whole lines
    assert report["routes"] == ["qdpx", *ROUTES]
    for route, counts in report["fidelity"].items():
        assert all(c["dropped"] == 0 and c["found"] == c["imported"] for c in counts.values()), route
    assert report["unplaced"] == dict.fromkeys(report["routes"], 0)
    assert len(report["targets"]) == 4 + 2 * len(ROUTES)
