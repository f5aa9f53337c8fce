"""The start-up benchmark (issue 25) still runs and reports every figure.

It runs `bench/startup.py --quick --json` in a subprocess (3 runs each of `workbench --help`,
`--version` and `sources` on an empty project, then `-X importtime` of `--help`). It checks that the
figures exist and are positive and that a warm `--help` imported no plugin and none of the heavy
libraries, not that the time targets are met: a loaded test machine says little about start-up time.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.benchsmoke import ROOT

FIGURES = ("help_s", "version_s", "sources_s", "help_cold_s", "import_ms_total")


def test_the_quick_startup_benchmark_reports_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "startup.py"), "--quick", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    figures = report["figures"]
    assert all(isinstance(figures[name], int | float) and figures[name] > 0 for name in FIGURES), figures
    assert {t["figure"] for t in report["targets"]} == {"help_s", "version_s"}
    assert (report["heavy_imported"], report["plugin_modules_imported"]) == ([], [])
    assert len(report["importtime_top"]) == 10 and report["samples_s"]["help"]
