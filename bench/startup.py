"""Start-up benchmark (issue 25): how long `workbench --help` and `workbench --version` take, whole process.

Every figure is one whole `workbench ...` process, from spawn to exit, as a shell runs it:

* **--help** and **--version**: one unmeasured run of each first (the very first run, with an empty
  plugin-command cache, is printed as "cold": it loads every plugin and writes the cache), then
  `--runs` runs of each, alternately, median (min and max printed too).
* **sources**: `workbench sources P` on an empty project, the same way: a core command that needs no
  plugin (no target; it shows that dispatching a core command stays light too).
* **import time**: `python -X importtime` of the same `--help` run (cache warm): the total of every
  module's own import time, and the ten modules with the largest cumulative time. The heavy modules
  the issue names (textual, docx, openpyxl, lxml, odf) and plugin modules (`wb_*` and other entry
  points) must not be among the imports.

The children run with bytecode caching on (`compileall` first, as `bench/search.py` does) and a plugin
cache of their own in a temporary folder (`WORKBENCH_CACHE_DIR`), so the user's cache is never touched.

    python bench/startup.py            # 10 runs of each (~10 s)
    python bench/startup.py --quick    # 3 runs of each; what tests/test_bench_startup_smoke.py runs
    python bench/startup.py --json     # one JSON object on stdout; progress on stderr

See bench/README.md ("Start-up (issue 25)") for the figures measured here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
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

from bench.search import installed_env  # noqa: E402

# (figure, what, limit, unit)
TARGETS = (
    ("help_s", "`workbench --help`, whole process (median)", 0.150, "s"),
    ("version_s", "`workbench --version`, whole process (median)", 0.150, "s"),
)
#: Top-level packages `--help` must not import: the heavy libraries only some commands need.
HEAVY = ("textual", "docx", "openpyxl", "lxml", "odf")
_IMPORT_LINE = re.compile(r"import time:\s*(\d+)\s*\|\s*(\d+)\s*\|( *)(\S+)")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def workbench_command() -> list[str]:
    script = Path(sys.executable).parent / "workbench"
    if script.is_file():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "import sys; from workbench.cli.main import main; sys.exit(main())"]


def plugin_modules() -> set[str]:
    """Top-level modules of every installed plugin (entry points of the group `workbench.plugins`)."""
    from importlib import metadata

    return {
        entry.value.split(":")[0].split(".")[0] for entry in metadata.entry_points(group="workbench.plugins")
    }


def timed(command: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds from spawn to exit of one process; it must succeed."""
    begin = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - begin
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def import_times(command: Sequence[str], env: dict[str, str], cwd: Path) -> list[tuple[str, int, int, int]]:
    """`-X importtime` of one run: (module, depth, self us, cumulative us), in import order."""
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    rows = []
    for line in done.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            own, cumulative, indent, name = match.groups()
            rows.append((name, len(indent) // 2, int(own), int(cumulative)))
    return rows


_PROBE = """
import json, sys
from workbench.cli.main import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(sorted(sys.modules), out)
"""


def modules_after(args: Sequence[str], env: dict[str, str], cwd: Path) -> set[str]:
    """Every module in `sys.modules` after `workbench ARGS` ran in a child (`-X importtime` does not
    list a module imported with `importlib.import_module`, as plugins are)."""
    listing = cwd / "modules.json"
    for _warm_then_look in range(2):  # `python -c` has its own sys.path[0], so its own cache record
        subprocess.run(
            [sys.executable, "-c", _PROBE, str(listing), *args],
            env=env,
            cwd=cwd,
            capture_output=True,
            check=True,
            timeout=120,
        )
    modules: list[str] = json.loads(listing.read_text(encoding="utf-8"))
    return set(modules)


def run(runs: int) -> dict[str, Any]:
    started = time.perf_counter()
    command = workbench_command()
    with tempfile.TemporaryDirectory(prefix="wb-startup-") as scratch:
        work = Path(scratch)
        env = installed_env(work / "cache")
        log("cold --help (empty plugin-command cache)")
        cold = timed([*command, "--help"], env, work)
        timed([*command, "--version"], env, work)
        timed([*command, "new", "p", "--title", "Start-up", "--method", "gt"], env, work)
        timed([*command, "sources", "p"], env, work)
        samples: dict[str, list[float]] = {"help": [], "version": [], "sources": []}
        log(f"{runs} runs each of --help, --version, sources p")
        for _ in range(runs):
            samples["help"].append(timed([*command, "--help"], env, work))
            samples["version"].append(timed([*command, "--version"], env, work))
            samples["sources"].append(timed([*command, "sources", "p"], env, work))
        log("-X importtime of --help")
        rows = import_times([*command, "--help"], env, work)
        imported = {name.split(".")[0] for name in modules_after(["--help"], env, work)}
    plugins = sorted(imported & plugin_modules())
    heavy = sorted(imported & set(HEAVY))
    top = sorted(rows, key=lambda row: -row[3])[:10]
    figures = {
        "help_s": statistics.median(samples["help"]),
        "version_s": statistics.median(samples["version"]),
        "sources_s": statistics.median(samples["sources"]),
        "help_cold_s": cold,
        "import_ms_total": sum(own for _n, _d, own, _c in rows) / 1000,
    }
    return {
        "runs": runs,
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "samples_s": samples,
        "figures": figures,
        "modules_imported": len(rows),
        "heavy_imported": heavy,
        "plugin_modules_imported": plugins,
        "importtime_top": [
            {"module": name, "depth": depth, "self_ms": own / 1000, "cumulative_ms": cum / 1000}
            for name, depth, own, cum in top
        ],
        "targets": [
            {"name": name, "figure": key, "limit": limit, "unit": unit, "pass": figures[key] <= limit}
            for key, name, limit, unit in TARGETS
        ],
        "elapsed_s": time.perf_counter() - started,
    }


def render(report: dict[str, Any]) -> str:
    f = report["figures"]
    s = report["samples_s"]
    verdict = {t["figure"]: "PASS" if t["pass"] else "MISS" for t in report["targets"]}
    limits = {t["figure"]: f"<= {t['limit'] * 1000:g} ms" for t in report["targets"]}

    def row(label: str, key: str, spread: str = "") -> str:
        value = f"{f[key] * 1000:.0f} ms"
        if spread:
            value += f" ({min(s[spread]) * 1000:.0f}-{max(s[spread]) * 1000:.0f})"
        return f"  {label:<44} {value:>18}   {limits.get(key, ''):<10} {verdict.get(key, '')}"

    lines = [
        f"Start-up benchmark (issue 25): whole process, median of {report['runs']} runs "
        f"(load average {report['load_average']:.2f})",
        "",
        row("workbench --help", "help_s", "help"),
        row("workbench --version", "version_s", "version"),
        row("workbench sources P (empty project)", "sources_s", "sources"),
        row("workbench --help, cold plugin cache (1 run)", "help_cold_s"),
        "",
        f"-X importtime of --help: {report['modules_imported']} modules, "
        f"{f['import_ms_total']:.1f} ms of import time in all; the 10 largest, cumulative:",
    ]
    for entry in report["importtime_top"]:
        name = "  " * entry["depth"] + entry["module"]
        lines.append(f"  {entry['cumulative_ms']:>8.1f} ms  {entry['self_ms']:>7.1f} ms self  {name}")
    lines += [
        "",
        f"  heavy modules imported: {', '.join(report['heavy_imported']) or 'none'}",
        f"  plugin modules imported: {', '.join(report['plugin_modules_imported']) or 'none'}",
        "",
        f"{sum(t['pass'] for t in report['targets'])}/{len(report['targets'])} targets met "
        f"in {report['elapsed_s']:.0f} s",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark `workbench --help` and `--version` start-up.")
    parser.add_argument("--runs", type=int, default=10, help="measured runs of each command (default 10)")
    parser.add_argument("--quick", action="store_true", help="3 runs of each (the smoke test)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args(argv)
    report = run(3 if args.quick else max(1, args.runs))
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
