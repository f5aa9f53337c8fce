"""Lexical toolkit benchmark (issue 17): corpus search, auto-coding and word frequencies on a big study.

The project is the store benchmark's large one (60 transcripts x 9,000 words, 400 codes, 50,000
codings; `bench/generate.py`, cached in `bench/out/`). It is only read, except by the auto-coding
figures, which run on a copy.

* **in process**: the project opened read-only once, then each query run once unmeasured (the first
  search of a session also reads every transcript's text and speech regions: printed as "first
  search") and `--runs` times measured, median: one word, a two-word phrase, two words in one turn
  (AND), the same two within 5 words (`--near 5`), the word with `--stem`, an accented word typed
  without its accent (`--ignore-accents`) and a regular expression. The hit count of each is printed.
* **whole process**: `workbench search BIG WORD --json > /dev/null` against `workbench sources BIG`
  (which also opens the project and reads every transcript), median of `--process-runs` each,
  interleaved, after one unmeasured run of each; reported as a ratio.
* **auto-coding**: `workbench autocode COPY LABEL --query WORD` (about 2,000 hits, one operation)
  and then `workbench undo COPY`, each one process; then `workbench segments COPY LABEL --json` must
  say the code has no segments left (or is gone) and the copy must hold exactly the codings it had.
* **words**: `workbench words BIG --top 50`, one process (no target).

The queries are chosen from the generator's own text (the same seed always gives the same text, so the
same queries), so they always occur: see `choose_queries`.

    python bench/search.py                 # size large (the project is generated once, ~30 s, cached)
    python bench/search.py --size small    # a few seconds; what tests/test_bench_search_smoke.py runs
    python bench/search.py --json          # one JSON object on stdout; progress on stderr
    python bench/search.py --profile       # also cProfile each in-process query and an auto-code

See bench/README.md for the figures measured here.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import itertools
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import VOCABULARY, make_corpus  # noqa: E402
from bench.store import OUT, Params, obtain  # noqa: E402
from workbench.core.project import Project  # noqa: E402
from workbench.core.search.autocode import autocode  # noqa: E402
from workbench.core.search.corpus import SearchOptions, search  # noqa: E402


@dataclass(frozen=True)
class Plan:
    params: Params
    runs: int  # in-process samples per query
    process_runs: int  # whole-process samples of search and sources
    rounds: int  # auto-code + undo rounds on the copy
    cache: bool


PLANS = {
    "large": Plan(Params(60, 9000, 400, 50_000), runs=15, process_runs=5, rounds=3, cache=True),
    "small": Plan(Params(3, 1000, 40, 600), runs=5, process_runs=2, rounds=1, cache=False),
}
REGEX = r"sk(e|i)n\w*"
"""A prefix, an alternation and the rest of the word, like `hop(e|ing)\\w*` in real talk: the
generator's vocabulary is fixed whatever the seed, so this matches the same words in every project
(about 4,300 hits in the large one)."""
AUTOCODE_SHARE = 275
"""The auto-coded word is the one whose count is nearest (words in speech) / 275: ~2,000 in the large
project."""
LABEL = "Auto-coded word"

# (figure, what, limit, unit)
TARGETS = (
    ("search_ms_word", "one word (median)", 50.0, "ms"),
    ("search_ms_phrase", "two-word phrase (median)", 50.0, "ms"),
    ("search_ms_and", "two words in one turn (median)", 50.0, "ms"),
    ("search_ms_near", "two words --near 5 (median)", 50.0, "ms"),
    ("search_ms_stem", "one word --stem (median)", 50.0, "ms"),
    ("search_ms_accents", "one word --ignore-accents (median)", 50.0, "ms"),
    ("search_ms_regex", "regular expression (median)", 300.0, "ms"),
    ("process_ratio", "`search --json` / `sources`, whole process", 1.5, "x"),
    ("autocode_s", "`autocode` ~2,000 hits, whole process", 2.0, "s"),
    ("undo_s", "`undo` of that auto-code, whole process", 1.0, "s"),
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


# -- the queries ------------------------------------------------------------------------------------------
_TOKEN = re.compile(r"\w+(?:['’ʼ]\w+)*")  # `workbench.core.search.query.TOKEN`, restated on purpose
_LABEL = re.compile(r"(?m)^(?:Interviewer|Participant): ")
_PLAIN = re.compile(r"[a-z]+")


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def choose_queries(params: Params) -> dict[str, tuple[str, SearchOptions, str]]:
    """Name -> (query, options, the CLI arguments that run it), picked from the generated text.

    Counted over speech (speaker labels left out) of the corpus `generate` wrote, case-folded:

    * word: the plain (a-z) word whose count is nearest (all words) / 275, about 2,000 occurrences in
      the large project; it is also the word auto-coded and searched whole-process;
    * second: the plain word nearest twice that count that occurs within 5 words of it somewhere, for
      AND and --near;
    * phrase: the commonest pair of distinct plain words next to each other in a turn, among words
      outside the top 8 (so neither is a "the" or "and");
    * accents: the word with a letter that folds to a plain one (ï -> i) nearest the word's count,
      typed folded;
    * regex: `REGEX`.
    """
    corpus = make_corpus(params.transcripts, params.words, params.codes, params.seed)
    counts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    turns = []
    for transcript in corpus.transcripts:
        for turn in _LABEL.split(transcript.text):
            words = [w.casefold() for w in _TOKEN.findall(turn)]
            counts.update(words)
            pairs.update(itertools.pairwise(words))
            turns.append(words)
    total = sum(counts.values())
    target = total / AUTOCODE_SHARE
    plain = [w for w in VOCABULARY if _PLAIN.fullmatch(w) and counts[w]]
    word = min(plain, key=lambda w: (abs(counts[w] - target), w))
    near: set[str] = set()  # words within 5 words of `word` somewhere, so --near 5 finds something
    for words in turns:
        for i, w in enumerate(words):
            if w == word:
                near.update(words[max(0, i - 5) : i + 6])
    second = min(
        (w for w in plain if w != word and w in near), key=lambda w: (abs(counts[w] - 2 * target), w)
    )
    top = {w for w, _n in counts.most_common(8)}
    (first, other), _n = max(
        (
            (pair, n)
            for pair, n in pairs.items()
            if pair[0] != pair[1] and not top & set(pair) and all(_PLAIN.fullmatch(w) for w in pair)
        ),
        key=lambda item: (item[1], item[0]),
    )
    accented = [
        w
        for w in VOCABULARY
        if counts[w] and _fold(w) != w and _PLAIN.fullmatch(_fold(w)) and _TOKEN.fullmatch(w)
    ]
    accent = min(accented, key=lambda w: (abs(counts[w] - counts[word]), w))
    phrase = f'"{first} {other}"'
    both = f"{word} {second}"
    return {
        "word": (word, SearchOptions(), word),
        "phrase": (phrase, SearchOptions(), phrase),
        "and": (both, SearchOptions(), both),
        "near": (both, SearchOptions(near=5), f"{both} --near 5"),
        "stem": (word, SearchOptions(stem=True), f"{word} --stem"),
        "accents": (_fold(accent), SearchOptions(ignore_accents=True), f"{_fold(accent)} --ignore-accents"),
        "regex": (REGEX, SearchOptions(regex=True), f"'{REGEX}' --regex"),
    }


# -- in process ---------------------------------------------------------------------------------------------
def measure_in_process(
    path: Path, queries: dict[str, tuple[str, SearchOptions, str]], runs: int
) -> dict[str, Any]:
    gc.collect()
    begin = time.perf_counter()
    project = Project.open(path, readonly=True)
    opened = time.perf_counter() - begin
    out: dict[str, Any] = {"open_s": opened, "medians": {}, "hits": {}, "spread": {}}
    try:
        first = True
        for name, (query, options, _cli) in queries.items():
            begin = time.perf_counter()
            result = search(project, query, options)  # unmeasured: caches, and the first one reads texts
            if first:
                out["first_ms"] = (time.perf_counter() - begin) * 1000
                first = False
            gc.collect()
            samples = []
            for _ in range(runs):
                begin = time.perf_counter()
                result = search(project, query, options)
                samples.append((time.perf_counter() - begin) * 1000)
            out["medians"][name] = median(samples)
            out["spread"][name] = (min(samples), max(samples))
            out["hits"][name] = result.total
            log(f"  {name:<8} {median(samples):7.1f} ms  {result.total:>6,} hits  ({query})")
    finally:
        project.close()
    return out


def profile_in_process(path: Path, queries: dict[str, tuple[str, SearchOptions, str]]) -> str:
    """cProfile each query once (after one warm-up run); the top entries by own and cumulative time."""
    parts = []
    with Project.open(path, readonly=True) as project:
        for name, (query, options, _cli) in queries.items():
            search(project, query, options)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(3):
                search(project, query, options)
            profiler.disable()
            buffer = io.StringIO()
            stats = pstats.Stats(profiler, stream=buffer)
            stats.sort_stats("tottime").print_stats(12)
            stats.sort_stats("cumulative").print_stats(18)
            parts.append(f"--- {name}: {query} (3 runs)\n{buffer.getvalue()}")
    return "\n".join(parts)


def profile_autocode(path: Path, word: str) -> str:
    """cProfile an in-process auto-code of `word` and its undo on `path` (a copy), one operation each."""
    profiler = cProfile.Profile()
    with Project.open(path) as project:
        profiler.enable()
        autocode(project, LABEL, query=word)
        project.undo()
        profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(25)
    return f"--- autocode {word!r} + undo, in process\n{buffer.getvalue()}"


# -- whole process ------------------------------------------------------------------------------------------
def installed_env(cache: Path | None = None) -> dict[str, str]:
    """The environment of an installed `workbench`: compiled modules kept (as bench/tui.py does),
    and with `cache` a plugin-command cache of the bench's own (`WORKBENCH_CACHE_DIR`).

    Some machines set PYTHONDONTWRITEBYTECODE, so every process would compile the workbench from
    source again; an installed application has its bytecode cached after its first run.
    """
    unwanted = ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    if cache is not None:
        env["WORKBENCH_CACHE_DIR"] = str(cache)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "workbench"), str(ROOT / "plugins")],
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def workbench_command() -> list[str]:
    script = Path(sys.executable).parent / "workbench"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from workbench.cli.main import main; sys.exit(main())"]


@dataclass
class Runner:
    env: dict[str, str]
    command: list[str]

    def run(self, *args: str, stdout: int | None = subprocess.DEVNULL) -> tuple[float, str]:
        """Seconds from start to exit of one `workbench ARGS` process, and its stdout (if captured)."""
        begin = time.perf_counter()
        done = subprocess.run(
            [*self.command, *args],
            env=self.env,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=600,
        )
        seconds = time.perf_counter() - begin
        if done.returncode != 0:
            raise RuntimeError(
                f"workbench {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}"
            )
        return seconds, done.stdout or ""

    def probe(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.command, *args], env=self.env, capture_output=True, text=True, timeout=600
        )


def measure_processes(runner: Runner, path: Path, word: str, runs: int) -> dict[str, float]:
    search_args = ("search", str(path), word, "--json")
    sources_args = ("sources", str(path))
    runner.run(*search_args)  # unmeasured: the page cache, and anything cached on first run
    runner.run(*sources_args)
    searches, sources = [], []
    for _ in range(runs):
        searches.append(runner.run(*search_args)[0])
        sources.append(runner.run(*sources_args)[0])
    words = [runner.run("words", str(path), "--top", "50")[0] for _ in range(max(1, runs // 2))]
    return {
        "process_search_s": median(searches),
        "process_sources_s": median(sources),
        "process_ratio": median(searches) / median(sources),
        "words_s": median(words),
    }


def codings_in(path: Path) -> int:
    with Project.open(path, readonly=True) as project:
        return len(project.rows("codings"))


def measure_autocode(runner: Runner, copy: Path, word: str, rounds: int) -> dict[str, Any]:
    """`rounds` times: auto-code `word` as LABEL, check its segments, undo, check nothing is left."""
    before = codings_in(copy)
    autocodes, undos, coded = [], [], []
    for _ in range(rounds):
        seconds, stdout = runner.run("autocode", str(copy), LABEL, "--query", word, stdout=subprocess.PIPE)
        autocodes.append(seconds)
        match = re.search(r"^coded (\d+) passages? as", stdout, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"autocode printed no count: {stdout[-500:]}")
        coded.append(int(match[1]))
        listed = json.loads(runner.run("segments", str(copy), LABEL, "--json", stdout=subprocess.PIPE)[1])
        if len(listed) != coded[-1]:
            raise RuntimeError(f"autocode said {coded[-1]} codings, segments lists {len(listed)}")
        undos.append(runner.run("undo", str(copy))[0])
        after = runner.probe("segments", str(copy), LABEL, "--json")
        left = json.loads(after.stdout) if after.returncode == 0 else []
        if left:
            raise RuntimeError(f"undo left {len(left)} segments coded {LABEL!r}")
    after_codings = codings_in(copy)
    if after_codings != before:
        raise RuntimeError(f"the copy had {before} codings before and {after_codings} after undo")
    return {
        "autocode_s": median(autocodes),
        "autocode_max_s": max(autocodes),
        "undo_s": median(undos),
        "undo_max_s": max(undos),
        "autocode_codings": coded[0],
        "codings_before": before,
        "codings_after_undo": after_codings,
        "rounds": rounds,
    }


# -- the run ----------------------------------------------------------------------------------------------
def run(size: str, *, use_cache: bool, profile: bool, runs: int | None = None) -> dict[str, Any]:
    plan = PLANS[size]
    if runs:
        plan = replace(plan, runs=runs)
    started = time.perf_counter()
    cache = plan.cache and use_cache
    with tempfile.TemporaryDirectory(prefix="wb-search-bench-", dir=OUT if OUT.is_dir() else None) as tmp:
        scratch = Path(tmp)
        project, generation_s, cached = obtain(plan.params, OUT if cache else scratch / "gen", cache=cache)
        made = "cached" if cached else f"generated in {generation_s:.0f} s"
        log(f"project: {plan.params.describe()} ({made})")
        queries = choose_queries(plan.params)
        word = queries["word"][0]

        log(f"in process, median of {plan.runs} runs each ...")
        inproc = measure_in_process(project, queries, plan.runs)

        log("whole process ...")
        runner = Runner(installed_env(), workbench_command())
        processes = measure_processes(runner, project, word, plan.process_runs)

        log(f"auto-coding {word!r} on a copy ...")
        copy = scratch / "copy"
        shutil.copytree(project, copy)
        coding = measure_autocode(runner, copy, word, plan.rounds)

        profile_text = ""
        if profile:
            log("profiling ...")
            profile_text = profile_in_process(project, queries) + "\n" + profile_autocode(copy, word)

    figures: dict[str, float] = {
        "open_s": inproc["open_s"],
        "search_ms_first": inproc["first_ms"],
        **{f"search_ms_{name}": value for name, value in inproc["medians"].items()},
        **processes,
        "autocode_s": coding["autocode_s"],
        "autocode_max_s": coding["autocode_max_s"],
        "undo_s": coding["undo_s"],
        "undo_max_s": coding["undo_max_s"],
        "autocode_codings": coding["autocode_codings"],
    }
    return {
        "size": size,
        "project": plan.params.describe(),
        "samples": {"runs": plan.runs, "process_runs": plan.process_runs, "rounds": plan.rounds},
        "queries": {name: cli for name, (_q, _o, cli) in queries.items()},
        "hits": inproc["hits"],
        "spread_ms": inproc["spread"],
        "checks": {
            "codings_before": coding["codings_before"],
            "codings_after_undo": coding["codings_after_undo"],
        },
        "figures": figures,
        "targets": [
            {"name": name, "figure": key, "limit": limit, "unit": unit, "pass": figures[key] <= limit}
            for key, name, limit, unit in TARGETS
        ],
        "profile": profile_text,
        "elapsed_s": time.perf_counter() - started,
    }


def render(report: dict[str, Any]) -> str:
    f = report["figures"]
    q = report["queries"]
    n = report["samples"]
    verdict = {t["figure"]: "PASS" if t["pass"] else "MISS" for t in report["targets"]}
    limits = {t["figure"]: f"<= {t['limit']:g} {t['unit']}" for t in report["targets"]}

    def row(label: str, value: str, figure: str = "") -> str:
        return f"  {label:<52} {value:>14}   {limits.get(figure, ''):<10} {verdict.get(figure, '')}"

    lines = [
        f"Search benchmark (issue 17), size {report['size']}: {report['project']}",
        "",
        f"In process, project opened once ({f['open_s']:.2f} s), median of {n['runs']} runs",
        row("first search after open (reads every transcript)", f"{f['search_ms_first']:.0f} ms"),
    ]
    for name in ("word", "phrase", "and", "near", "stem", "accents", "regex"):
        hits = report["hits"][name]
        lines.append(
            row(
                f"{q[name]}  ({hits:,} hit{'s' * (hits != 1)})",
                f"{f[f'search_ms_{name}']:.1f} ms",
                f"search_ms_{name}",
            )
        )
    lines += [
        "",
        f"Whole process (median of {n['process_runs']})",
        row(f"search {q['word']} --json > /dev/null", f"{f['process_search_s']:.2f} s"),
        row("sources", f"{f['process_sources_s']:.2f} s"),
        row("ratio search / sources", f"{f['process_ratio']:.2f}x", "process_ratio"),
        row("words --top 50", f"{f['words_s']:.2f} s"),
        "",
        f"Auto-coding on a copy (median of {n['rounds']}; each checked, then undone and checked)",
        row(
            f"autocode --query {q['word']} ({int(f['autocode_codings']):,} codings)",
            f"{f['autocode_s']:.2f} s",
            "autocode_s",
        ),
        row("undo", f"{f['undo_s']:.2f} s", "undo_s"),
        row(
            "codings before / after undo",
            f"{report['checks']['codings_before']:,} / {report['checks']['codings_after_undo']:,}",
        ),
        "",
        f"{sum(t['pass'] for t in report['targets'])}/{len(report['targets'])} targets met "
        f"in {report['elapsed_s']:.0f} s",
    ]
    if report["size"] != "large":
        lines.append("  (the targets are set for --size large; at this size they only show the wiring works)")
    if report["profile"]:
        lines += ["", "cProfile:", report["profile"]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark corpus search, auto-coding and word counts.")
    parser.add_argument("--size", choices=sorted(PLANS), default="large")
    parser.add_argument("--runs", type=int, default=0, help="in-process samples per query (default 15/5)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--no-cache", action="store_true", help="generate the project afresh")
    parser.add_argument("--profile", action="store_true", help="cProfile the queries and an auto-code")
    args = parser.parse_args(argv)
    report = run(args.size, use_cache=not args.no_cache, profile=args.profile, runs=args.runs or None)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
