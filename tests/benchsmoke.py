"""Shared check for the benchmark smoke tests: run a bench script small and validate its report."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def small_report(script: str, figures: Sequence[str], timeout: float) -> dict[str, Any]:
    """Run `bench/SCRIPT --size small --json`; every figure must be a positive number, targets sane."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--size", "small", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    found = report["figures"]
    missing = [name for name in figures if name not in found]
    assert not missing, f"figures missing from the report: {missing}"
    bad = {name: v for name, v in found.items() if not (isinstance(v, int | float) and v > 0)}
    assert not bad, f"figures that are not positive numbers: {bad}"
    assert {t["figure"] for t in report["targets"]} <= set(found)
    assert all(isinstance(t["pass"], bool) for t in report["targets"])
    return report
