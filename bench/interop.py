"""Interop benchmark: a large project out to REFI-QDA and in from four programs' files, each step within
10 s and 500 MB (issues 7 and 19).

The project is the store benchmark's large one (60 transcripts x 9,000 words, 400 codes, 50,000 codings;
`bench/generate.py`, cached in `bench/out/`). Each step runs in its own fresh interpreter, started by
this process before it has loaded anything big, so each step's ``ru_maxrss`` is its own peak:

* **export**: open the project read-only and write the .qdpx as ``workbench export DIR qdpx`` does:
  the file, its validation against the vendored Project schema and its fidelity report (each timed
  apart, and in total);
* **import**, one per route: the .qdpx, and a QualCoder project (``data.qda`` and its folder), a Taguette
  database (``.sqlite3``) and a qc project (``settings.yaml``, corpus, SQLite), each written from the
  same corpus by `bench/interop_fixtures.py` (in a process of its own, not timed with the import): read
  it (archive checks, defused XML, read-only SQLite, offset checks) into a new project, written in one
  operation, closed (checkpoint included), as ``workbench import DIR FILE`` does;
* **check**, one per route: the imported project has the sources, codes and codings the file holds,
  the fidelity report drops nothing, and every coding is on the same text (for the .qdpx the original
  project's; for the others what the corpus gives for that tool: a paragraph a line for Taguette, whole
  lines for qc).

Run ``python bench/interop.py [--size large|small] [--routes qdpx,qualcoder,taguette,qc] [--json]
[--no-cache] [--profile]``; ``--profile`` runs each import under cProfile and prints where its time went.
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
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.store import OUT, Params, obtain  # noqa: E402

SIZES = {"large": Params(60, 9000, 400, 50_000), "small": Params(3, 1000, 40, 600)}
ROUTES = ("qdpx", "qualcoder", "taguette", "qc")
ROUTE_NAMES = {
    "qdpx": "REFI-QDA .qdpx",
    "qualcoder": "QualCoder data.qda",
    "taguette": "Taguette .sqlite3",
    "qc": "qc 1.7.8 project",
}
TARGETS = (
    ("export to .qdpx (with validation and fidelity report)", "export_s", 10.0, "s"),
    ("import .qdpx into a new project", "import_s", 10.0, "s"),
    ("peak memory, export", "export_peak_mb", 500.0, "MB"),
    ("peak memory, import", "import_peak_mb", 500.0, "MB"),
    *(
        target
        for route in ROUTES[1:]
        for target in (
            (f"import {ROUTE_NAMES[route]} into a new project", f"{route}_import_s", 10.0, "s"),
            (f"peak memory, {ROUTE_NAMES[route]} import", f"{route}_import_peak_mb", 500.0, "MB"),
        )
    ),
)
PROFILE_LINES = 18


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


def _prefix(route: str) -> str:
    """Figure names of the .qdpx route are unprefixed (as they always were); the others' start with it."""
    return "" if route == "qdpx" else f"{route}_"


def _params(text: str) -> Params:
    return Params(*(int(part) for part in text.split(",")))


def _profiled(run: Any) -> Any:
    """`run()` under cProfile when BENCH_PROFILE is set; the top functions go to stderr."""
    import os

    if not os.environ.get("BENCH_PROFILE"):
        return run()
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    result = profiler.runcall(run)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(PROFILE_LINES)
    print(out.getvalue(), file=sys.stderr)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(PROFILE_LINES)
    print(out.getvalue(), file=sys.stderr)
    return result


def child(step: str, source: str, target: str) -> None:
    """One step in a fresh interpreter; prints a JSON object with its figures."""
    from workbench.core.project import Project

    action, _, route = step.partition("-")
    route = route or "qdpx"
    prefix = _prefix(route)
    result: dict[str, Any] = {}
    if action == "export":
        from wb_interop.refi_export import export_fidelity, export_qdpx
        from wb_interop.validate import _fast, validate_qdpx

        _fast("Project-mrt2019.xsd")  # loading the schema is a one-off cost, not the export's
        start = time.perf_counter()
        with Project.open(Path(source), readonly=True) as project:
            export_qdpx(project, Path(target))
            result["export_only_s"] = time.perf_counter() - start
            checked = time.perf_counter()
            validate_qdpx(Path(target))
            result["validate_s"] = time.perf_counter() - checked
            counted = time.perf_counter()
            export_fidelity(project, Path(target)).to_json()
            result["fidelity_s"] = time.perf_counter() - counted
        result["export_s"] = time.perf_counter() - start
        result["export_peak_mb"] = peak_mb()
        result["qdpx_mb"] = Path(target).stat().st_size / 1024 / 1024
    elif action == "write":
        from bench.interop_fixtures import Bench, write

        start = time.perf_counter()
        path = write(route, Bench.of(*asdict(_params(source)).values()), Path(target))
        result[f"{prefix}write_s"] = time.perf_counter() - start
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        result[f"{prefix}file_mb"] = sum(p.stat().st_size for p in files) / 1024 / 1024
        result["path"] = str(path)
    elif action == "import":
        from wb_interop.project_import import import_file

        start = time.perf_counter()
        report = _profiled(lambda: import_file(Path(target), Path(source)))
        result[f"{prefix}import_s"] = time.perf_counter() - start
        result[f"{prefix}import_peak_mb"] = peak_mb()
        result[f"{prefix}imported_codings"] = report["counts"]["codings"]
        result["unplaced"] = len(report["unplaced"])
        result["fidelity"] = {
            element: {
                "found": figures["found"],
                "imported": figures["imported"],
                "dropped": figures["dropped"],
            }
            for element, figures in report["fidelity"]["elements"].items()
            if element in ("sources", "codes", "codings")
        }
    elif action == "check" and route == "qdpx":
        with Project.open(Path(source), readonly=True) as a, Project.open(Path(target), readonly=True) as b:
            same = _codings(a) == _codings(b)
            result["same_coded_text"] = 1 if same else 0
            result["codings"] = len(a.rows("codings"))
            result["codes"] = len(a.rows("codes"))
            result["sources"] = len(a.rows("sources"))
            result["codes_back"] = len(b.rows("codes"))
    elif action == "check":
        from collections import Counter

        from bench.interop_fixtures import Bench, expected

        want = expected(route, Bench.of(*asdict(_params(source)).values()))
        with Project.open(Path(target), readonly=True) as project:
            got = Counter(_codings(project))
            result[f"{prefix}same_coded_text"] = 1 if got == want.coded else 0
            result[f"{prefix}codings"] = want.codings
            result[f"{prefix}codes"] = want.codes
            result[f"{prefix}sources"] = want.sources
            result[f"{prefix}codes_back"] = len(project.rows("codes"))
            result[f"{prefix}sources_back"] = len(project.rows("sources"))
    print(json.dumps(result), flush=True)


def run_child(step: str, source: str | Path, target: Path, *, profile: bool = False) -> dict[str, Any]:
    import os

    env = dict(os.environ, BENCH_PROFILE="1") if profile else None
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", step, str(source), str(target)],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{step} failed: {done.stderr.strip()[-2000:]}")
    if profile and done.stderr.strip():
        log(f"--- profile of {step} ---\n{done.stderr.rstrip()}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(
    size: str, *, use_cache: bool, routes: Sequence[str] = ROUTES, profile: bool = False
) -> dict[str, Any]:
    params = SIZES[size]
    figures: dict[str, Any] = {}
    fidelity: dict[str, Any] = {}
    unplaced: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="wb-interop-bench-", dir=OUT if OUT.is_dir() else None) as tmp:
        scratch = Path(tmp)
        if "qdpx" in routes:
            cache_root = OUT if (use_cache and size == "large") else scratch / "gen"
            project, generation_s, cached = obtain(params, cache_root, cache=use_cache and size == "large")
            how = "cached" if cached else f"generated in {generation_s:.0f} s"
            log(f"project: {params.describe()} ({how})")
            qdpx = scratch / "study.qdpx"
            log("exporting .qdpx ...")
            figures |= run_child("export", project, qdpx)
            log("importing .qdpx ...")
            found = run_child("import", qdpx, scratch / "imported", profile=profile)
            fidelity["qdpx"], unplaced["qdpx"] = found.pop("fidelity"), found.pop("unplaced")
            figures |= found
            log("checking ...")
            figures |= run_child("check", project, scratch / "imported")
            shutil.rmtree(scratch / "imported", ignore_errors=True)
        key = ",".join(str(v) for v in asdict(params).values())
        for route in routes:
            if route == "qdpx":
                continue
            log(f"writing the {ROUTE_NAMES[route]} ...")
            written = run_child(f"write-{route}", key, scratch / route)
            path = written.pop("path")
            figures |= written
            log(f"importing the {ROUTE_NAMES[route]} ...")
            imported = scratch / f"imported-{route}"
            found = run_child(f"import-{route}", path, imported, profile=profile)
            fidelity[route], unplaced[route] = found.pop("fidelity"), found.pop("unplaced")
            figures |= found
            figures |= run_child(f"check-{route}", key, imported)
            shutil.rmtree(imported, ignore_errors=True)
            shutil.rmtree(scratch / route, ignore_errors=True)
    targets = [
        {"name": name, "figure": key, "limit": limit, "unit": unit, "pass": figures[key] <= limit}
        for name, key, limit, unit in TARGETS
        if key in figures
    ]
    return {
        "size": size,
        "project": params.describe(),
        "routes": list(routes),
        "figures": figures,
        "targets": targets,
        "unplaced": unplaced,
        "fidelity": fidelity,
    }


def faithful(report: dict[str, Any]) -> bool:
    """Every route gave back every coding on the same text, and its fidelity report dropped nothing."""
    f = report["figures"]
    for route in report["routes"]:
        prefix = _prefix(route)
        counts = report["fidelity"][route]
        if not f[f"{prefix}same_coded_text"] or report["unplaced"][route]:
            return False
        if any(c["dropped"] or c["found"] != c["imported"] for c in counts.values()):
            return False
        if route != "qdpx" and (
            f[f"{prefix}imported_codings"] != f[f"{prefix}codings"]
            or f[f"{prefix}codes_back"] != f[f"{prefix}codes"]
            or f[f"{prefix}sources_back"] != f[f"{prefix}sources"]
        ):
            return False
    return True


def render(report: dict[str, Any]) -> str:
    f = report["figures"]
    lines = [f"Interop benchmark ({report['size']}): {report['project']}"]
    if "qdpx" in report["routes"]:
        lines += [
            f"  export .qdpx            {f['export_s']:8.2f} s  (writing {f['export_only_s']:.2f} s, "
            f"schema validation {f['validate_s']:.2f} s, fidelity report {f['fidelity_s']:.2f} s; "
            f"file {f['qdpx_mb']:.1f} MB, peak {f['export_peak_mb']:.0f} MB)",
            f"  round trip              {f['codings']:,} codings, {f['codes']} codes, "
            f"{f['sources']} sources; same coded text: {'yes' if f['same_coded_text'] else 'NO'}",
        ]
    lines.append(
        f"  {'import route':<20}{'file MB':>8}{'write s':>9}{'import s':>10}{'peak MB':>9}"
        f"{'sources':>9}{'codes':>7}{'codings':>9}{'dropped':>9}  coded text"
    )
    for route in report["routes"]:
        prefix = _prefix(route)
        counts = report["fidelity"][route]
        dropped = sum(c["dropped"] for c in counts.values()) + report["unplaced"][route]
        size = f["qdpx_mb"] if route == "qdpx" else f[f"{prefix}file_mb"]
        write = "-" if route == "qdpx" else f"{f[f'{prefix}write_s']:.2f}"
        lines.append(
            f"  {ROUTE_NAMES[route]:<20}{size:>8.1f}{write:>9}{f[f'{prefix}import_s']:>10.2f}"
            f"{f[f'{prefix}import_peak_mb']:>9.0f}{counts['sources']['imported']:>9,}"
            f"{counts['codes']['imported']:>7,}{f[f'{prefix}imported_codings']:>9,}{dropped:>9,}"
            f"  {'same' if f[f'{prefix}same_coded_text'] else 'DIFFERENT'}"
        )
    for target in report["targets"]:
        verdict = "PASS" if target["pass"] else "MISS"
        value = f[target["figure"]]
        lines.append(
            f"  {verdict}  {target['name']}: {value:.2f} {target['unit']} (target <= {target['limit']})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="REFI-QDA export and four import routes benchmark.")
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument(
        "--routes", default=",".join(ROUTES), help=f"comma-separated import routes ({', '.join(ROUTES)})"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--no-cache", action="store_true", help="generate the project afresh")
    parser.add_argument("--profile", action="store_true", help="cProfile each import (slows it down)")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "SOURCE", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    routes = [r.strip() for r in args.routes.split(",") if r.strip()]
    unknown = sorted(set(routes) - set(ROUTES))
    if unknown or not routes:
        parser.error(f"unknown route(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(ROUTES)}")
    report = run(args.size, use_cache=not args.no_cache, routes=routes, profile=args.profile)
    print(json.dumps(report) if args.json else render(report))
    return 0 if faithful(report) else 1


if __name__ == "__main__":
    raise SystemExit(main())
