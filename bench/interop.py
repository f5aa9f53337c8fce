"""Interop benchmark: a large project to REFI-QDA .qdpx and back, each within 10 s and 500 MB (issue 7).

The project is the store benchmark's large one (60 transcripts x 9,000 words, 400 codes, 50,000 codings;
`bench/generate.py`, cached in `bench/out/`). Each step runs in its own fresh interpreter, started by
this process before it has loaded anything big, so each step's ``ru_maxrss`` is its own peak:

* **export**: open the project read-only and write the .qdpx as ``workbench export DIR qdpx`` does,
  then validate it against the vendored Project schema (timed apart, and in total);
* **import**: read the .qdpx (archive checks, defused XML parsing, offset checks) into a new project,
  written in one operation, closed (checkpoint included);
* **check**: the imported project has as many codings, codes and sources as the original, and the
  same coded text for every coding.

Run ``python bench/interop.py [--size large|small] [--json] [--no-cache]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.store import OUT, Params, obtain  # noqa: E402

SIZES = {"large": Params(60, 9000, 400, 50_000), "small": Params(3, 1000, 40, 600)}
TARGETS = (
    ("export to .qdpx (with validation)", "export_s", 10.0, "s"),
    ("import .qdpx into a new project", "import_s", 10.0, "s"),
    ("peak memory, export", "export_peak_mb", 500.0, "MB"),
    ("peak memory, import", "import_peak_mb", 500.0, "MB"),
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _codings(project: Any) -> list[tuple[str, str]]:
    texts: dict[str, str] = {}
    codes = {c["id"]: c["label"] for c in project.rows("codes")}
    out = []
    for coding in project.rows("codings"):
        segment = project.get("segments", coding["segment_id"])
        text = texts.setdefault(segment["version_id"], project.text_record(segment["version_id"]).text)
        out.append((codes[coding["code_id"]], text[segment["start"] : segment["end"]]))
    return sorted(out)


def child(step: str, source: str, target: str) -> None:
    """One step in a fresh interpreter; prints a JSON object with its figures."""
    from workbench.core.project import Project

    result: dict[str, Any] = {}
    if step == "export":
        from wb_interop.refi_export import export_qdpx
        from wb_interop.validate import _fast, validate_qdpx

        _fast("Project-mrt2019.xsd")  # loading the schema is a one-off cost, not the export's
        start = time.perf_counter()
        with Project.open(Path(source), readonly=True) as project:
            export_qdpx(project, Path(target))
            result["export_only_s"] = time.perf_counter() - start
            checked = time.perf_counter()
            validate_qdpx(Path(target))
            result["validate_s"] = time.perf_counter() - checked
        result["export_s"] = time.perf_counter() - start
        result["export_peak_mb"] = peak_mb()
        result["qdpx_mb"] = Path(target).stat().st_size / 1024 / 1024
    elif step == "import":
        from wb_interop.project_import import import_file

        start = time.perf_counter()
        report = import_file(Path(target), Path(source))
        result["import_s"] = time.perf_counter() - start
        result["import_peak_mb"] = peak_mb()
        result["imported_codings"] = report["counts"]["codings"]
        result["unplaced"] = len(report["unplaced"])
    elif step == "check":
        with Project.open(Path(source), readonly=True) as a, Project.open(Path(target), readonly=True) as b:
            same = _codings(a) == _codings(b)
            result["same_coded_text"] = 1 if same else 0
            result["codings"] = len(a.rows("codings"))
            result["codes"] = len(a.rows("codes"))
            result["sources"] = len(a.rows("sources"))
            result["codes_back"] = len(b.rows("codes"))
    print(json.dumps(result), flush=True)


def run_child(step: str, source: Path, target: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", step, str(source), str(target)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{step} failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(size: str, *, use_cache: bool) -> dict[str, Any]:
    params = SIZES[size]
    with tempfile.TemporaryDirectory(prefix="wb-interop-bench-", dir=OUT if OUT.is_dir() else None) as tmp:
        scratch = Path(tmp)
        cache_root = OUT if (use_cache and size == "large") else scratch / "gen"
        project, generation_s, cached = obtain(params, cache_root, cache=use_cache and size == "large")
        log(f"project: {params.describe()} ({'cached' if cached else f'generated in {generation_s:.0f} s'})")
        qdpx = scratch / "study.qdpx"
        figures: dict[str, Any] = {}
        log("exporting ...")
        figures |= run_child("export", project, qdpx)
        log("importing ...")
        figures |= run_child("import", qdpx, scratch / "imported")
        log("checking ...")
        figures |= run_child("check", project, scratch / "imported")
        shutil.rmtree(scratch / "imported", ignore_errors=True)
    targets = [
        {"name": name, "figure": key, "limit": limit, "unit": unit, "pass": figures[key] <= limit}
        for name, key, limit, unit in TARGETS
    ]
    unplaced = figures.pop("unplaced")  # a count that must be 0, not a measurement
    return {
        "size": size,
        "project": params.describe(),
        "figures": figures,
        "targets": targets,
        "unplaced": unplaced,
    }


def render(report: dict[str, Any]) -> str:
    f = report["figures"]
    lines = [
        f"Interop benchmark ({report['size']}): {report['project']}",
        f"  export .qdpx            {f['export_s']:8.2f} s  (writing {f['export_only_s']:.2f} s, "
        f"schema validation {f['validate_s']:.2f} s; file {f['qdpx_mb']:.1f} MB)",
        f"  import into new project {f['import_s']:8.2f} s  ({f['imported_codings']:,} codings, "
        f"{report['unplaced']} unplaced)",
        f"  peak memory             export {f['export_peak_mb']:.0f} MB, import {f['import_peak_mb']:.0f} MB",
        f"  round trip              {f['codings']:,} codings, {f['codes']} codes, {f['sources']} sources; "
        f"same coded text: {'yes' if f['same_coded_text'] else 'NO'}",
    ]
    for target in report["targets"]:
        verdict = "PASS" if target["pass"] else "MISS"
        value = f[target["figure"]]
        lines.append(
            f"  {verdict}  {target['name']}: {value:.2f} {target['unit']} (target <= {target['limit']})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="REFI-QDA export/import benchmark.")
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--no-cache", action="store_true", help="generate the project afresh")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "SOURCE", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    report = run(args.size, use_cache=not args.no_cache)
    print(json.dumps(report) if args.json else render(report))
    return 0 if report["figures"]["same_coded_text"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
