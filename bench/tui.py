"""TUI benchmark: is the Textual shell as fast as issue 4 asks, on the large project?

Headless (`App.run_test(size=(80, 24))`) measurements of what a researcher feels, each printed
beside its target with PASS or MISS:

1. opening the large project to the first painted transcript (a fresh process per sample);
2. a cursor keystroke (j/k, pagedown) in a 9,000-word transcript with 1,000 codings, to repaint;
3. applying a code: Enter in the code picker to the durable save and the repaint;
4. showing the codebook (400 codes) and the retrieval of a code with 2,000 segments.

The project is the store benchmark's large one (`bench/store.py`, generated once by
`bench/generate.py` and cached in `bench/out/`); every measurement runs on a copy, which is first
topped up through the Project API so one transcript carries 1,000 codings and one code 2,000
segments.

    python bench/tui.py                 # the large project
    python bench/tui.py --size small    # about half a minute; what the test suite runs
    python bench/tui.py --json          # one JSON object on stdout (progress goes to stderr)
    python bench/tui.py --profile       # also cProfile each interaction

What "painted" means here: Textual's headless driver renders every frame (the compositor calls each
widget's `render_line` for the dirty rows) but skips turning it into terminal bytes. The benchmark's
app does that last step too (`render_segments`, what a real terminal is sent), and a frame counts
as painted when it ends. See bench/README.md ("TUI benchmark") for what each figure measures.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

try:
    from bench.generate import ACTOR, make_corpus
    from bench.store import OUT, Params, median, obtain, p95, scratch_dir
    from bench.store import PLANS as STORE_PLANS
except ModuleNotFoundError:  # run as `python bench/tui.py`: the script's own folder is on sys.path
    from generate import ACTOR, make_corpus  # type: ignore[no-redef]
    from store import (  # type: ignore[no-redef]
        OUT,
        Params,
        median,
        obtain,
        p95,
        scratch_dir,
    )
    from store import PLANS as STORE_PLANS  # type: ignore[no-redef]

CHILD_FLAG = "--child-open"
OPEN_MODES = ("warm", "immediate", "cold")
"""When the fresh processes visit the codebook and retrieval for the first time: once the read-ahead
has finished ("warm", the usual case: it ends about 0.3 s after the transcript is shown); at once,
as soon as the transcript is painted and quiet ("immediate": a researcher who knows the keys, or a
script; the read-ahead may still be running); and with the read-ahead switched off ("cold": not how
the app runs, shown for what the read-ahead saves)."""
TARGET_SIZE = (80, 24)
FRAME_S = 1 / 60
"""Textual's frame period (MAX_FPS 60): the screen's update timer repaints at most this often."""
QUIET_S = 4 * FRAME_S
"""An interaction is over when no frame has been painted for this long and nothing is pending."""
GAP_S = 1.5 * FRAME_S
"""Pause after each measured key, so the next one meets an idle update timer (as typed keys do)."""
TIMEOUT_S = 120.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- plans and targets ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """What one `--size` measures, on the store benchmark's full project of the same size."""

    project: Params
    cache: bool
    transcript_codings: int  # the most coded transcript is topped up to this many codings
    code_segments: int  # the most used code is topped up to this many segments
    opens: int  # fresh processes: open to the first painted transcript, then first codebook, retrieval
    lines: int  # j presses, then as many k presses
    pages: int  # pagedown presses
    codings: int  # codes applied from the picker
    shows: int  # codebook and retrieval shown again in one session


PLANS = {
    "large": Plan(
        project=STORE_PLANS["large"].full,
        cache=True,
        transcript_codings=1000,
        code_segments=2000,
        opens=9,
        lines=150,
        pages=40,
        codings=30,
        shows=8,
    ),
    "small": Plan(
        project=STORE_PLANS["small"].full,
        cache=False,
        transcript_codings=300,
        code_segments=100,
        opens=3,
        lines=15,
        pages=6,
        codings=4,
        shows=3,
    ),
}


@dataclass(frozen=True)
class Target:
    name: str
    figure: str
    limit: float
    unit: str

    def check(self, value: float) -> bool:
        return value <= self.limit


TARGETS = (
    Target("open to first painted transcript (median)", "open_s_median", 1.0, "s"),
    Target("j/k: text repainted (median)", "line_ms_median", 16.0, "ms"),
    Target("j/k: screen settled (median)", "line_settled_ms_median", 16.0, "ms"),
    Target("pagedown: text repainted (median)", "page_ms_median", 16.0, "ms"),
    Target("pagedown: screen settled (median)", "page_settled_ms_median", 16.0, "ms"),
    Target("apply a code: saved and repainted (median)", "apply_ms_median", 30.0, "ms"),
    Target("apply a code: screen settled (median)", "apply_settled_ms_median", 30.0, "ms"),
    Target("codebook shown, first time (median)", "codebook_ms_first", 100.0, "ms"),
    Target("codebook settled, first time (median)", "codebook_settled_ms_first", 100.0, "ms"),
    Target("codebook shown, first time, at once (median)", "codebook_ms_immediate", 100.0, "ms"),
    Target("codebook shown again (median)", "codebook_ms_median", 100.0, "ms"),
    Target("codebook settled again (median)", "codebook_settled_ms_median", 100.0, "ms"),
    Target("retrieval shown, first time (median)", "retrieval_ms_first", 100.0, "ms"),
    Target("retrieval settled, first time (median)", "retrieval_settled_ms_first", 100.0, "ms"),
    Target("retrieval shown, first time, at once (median)", "retrieval_ms_immediate", 100.0, "ms"),
    Target("retrieval shown again (median)", "retrieval_ms_median", 100.0, "ms"),
    Target("retrieval settled again (median)", "retrieval_settled_ms_median", 100.0, "ms"),
    Target("matrix grid shown, first time (median)", "matrix_ms_first", 300.0, "ms"),
    Target("matrix grid shown, first time, at once (median)", "matrix_ms_immediate", 300.0, "ms"),
    Target("matrix grid shown after a coding (median)", "matrix_ms_median", 300.0, "ms"),
)
"""Each interaction is timed twice (see `Session.key`): until its result is painted ("shown",
"repainted") and until the app is quiet again ("settled": the status line, side pane and footer
caught up too, and the next key would be handled at once)."""


# -- the instrumented app ----------------------------------------------------------------------------------
# Textual and the workbench are imported inside functions: the open benchmark's child process pays
# for them before its clock starts, and for the app's own lazy imports (its screens) after it.
WATCHED = {
    # mode (and screen) -> (module, widget class, what makes a drawn row count: the widget shows the
    # data asked for; a list still showing the previous code's segments does not count)
    "transcript": (
        "workbench.tui.widgets.transcript_view",
        "TranscriptView",
        lambda w, probe: w.linemap is not None,
    ),
    "codebook": ("workbench.tui.screens.codebook", "CodeTree", lambda w, probe: bool(w.root.children)),
    "retrieval": (
        "workbench.tui.screens.retrieval",
        "HitList",
        lambda w, probe: bool(w.hits) and probe.code in (None, w.hits[0].code_id),
    ),
    # A grid counts once it shows a table built at the project's current state (not the last one's).
    "matrix": ("workbench.tui.widgets.matrix_grid", "MatrixGrid", lambda w, probe: matrix_current(w.screen)),
}
SCREEN_OF = {
    "TranscriptView": "TranscriptScreen",
    "CodeTree": "CodebookScreen",
    "HitList": "RetrievalScreen",
    "MatrixGrid": "MatrixScreen",
}


def matrix_current(screen: Any) -> bool:
    """The matrix view shows a table, and one built at the project's current state."""
    built = getattr(screen, "built", None)
    return built is not None and screen.job is None and built.state == screen._state(built.settings)


@dataclass(frozen=True)
class Frame:
    """One painted frame: when it ended, on which screen, and data rows each watched widget drew."""

    end: float
    screen: str
    rows: dict[str, int]


@dataclass
class Probe:
    """What the instrumented app saw."""

    frames: list[Frame] = field(default_factory=list)
    pending: dict[str, int] = field(default_factory=dict)  # rows drawn since the last frame
    opened: float | None = None  # when Project.open returned (the open worker's end)
    first_home: float | None = None  # end of the first frame of the home view
    first_transcript: float | None = None  # end of the first frame with transcript rows
    on_home: Callable[[], None] | None = None  # called once, after the home view's first frame
    painted: asyncio.Event | None = None  # set at `first_transcript`
    code: str | None = None  # the code whose segments the retrieval view is to show

    def reset(self) -> None:
        self.frames.clear()
        self.pending.clear()


_instrumented: set[type] = set()


def instrument(widget_class: type, probe: Probe, shows_data: Callable[[Any, Probe], bool]) -> None:
    """Count the widget's `render_line` calls while it shows data (once per class)."""
    if widget_class in _instrumented:
        return
    _instrumented.add(widget_class)
    original = widget_class.render_line
    name = widget_class.__name__

    def render_line(self: Any, y: int) -> Any:
        strip = original(self, y)
        if shows_data(self, probe):
            probe.pending[name] = probe.pending.get(name, 0) + 1
        return strip

    widget_class.render_line = render_line


def make_app(path: Path, probe: Probe) -> Any:
    """A WorkbenchApp that records every frame, the end of Project.open and the data rows drawn."""
    import importlib

    import workbench.tui.app as app_module
    from workbench.tui import textual_compat
    from workbench.tui.app import WorkbenchApp, _factory

    def watched(mode: str) -> Callable[[], Any]:
        module, class_name, shows_data = WATCHED[mode]

        def make() -> Any:
            screen = _factory(mode)()  # imports the screen's module when first shown, as the app does
            instrument(getattr(importlib.import_module(module), class_name), probe, shows_data)
            return screen

        return make

    class BenchApp(WorkbenchApp):
        CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # relative would resolve to bench/
        MODES = {**WorkbenchApp.MODES, **{mode: watched(mode) for mode in WATCHED}}  # noqa: RUF012

        def _opened(self, projects: list[Any]) -> None:
            probe.opened = time.perf_counter()
            super()._opened(projects)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            textual_compat.add_frame_listener(self, self.shown)

        def shown(self, screen: Any, renderable: Any) -> None:
            """Each frame shown (headless, Textual turns nothing into terminal bytes: done here)."""
            textual_compat.terminal_bytes(self, renderable)  # the bytes a real terminal would be sent
            frame = Frame(time.perf_counter(), type(screen).__name__, dict(probe.pending))
            probe.frames.append(frame)
            probe.pending.clear()
            if frame.screen == "HomeScreen" and probe.first_home is None:
                probe.first_home = frame.end
                if probe.on_home is not None:
                    self.call_later(probe.on_home)
            if frame.rows.get("TranscriptView") and probe.first_transcript is None:
                probe.first_transcript = frame.end
                if probe.painted is not None:
                    probe.painted.set()

    return BenchApp([path], actor=ACTOR)


# -- preparing the project -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Prepared:
    source_id: str
    pseudonym: str
    transcript_codings: int
    transcript_words: int
    transcript_lines: int
    added_to_transcript: int
    code_id: str
    code_label: str
    code_segments: int
    added_to_code: int
    codes: int
    matrix_codes: int  # codes with segments: the rows of the default co-occurrence table


def coding_counts(project: Any) -> dict[str, int]:
    """Codings per source (its current version), read from the indexes as the home view does."""
    index = project.index
    return {
        source["id"]: sum(
            len(index.codings_by_segment.get(g, ()))
            for g in index.segments_by_version.get(source["version_id"], ())
        )
        for source in project.sources()
    }


def pick(path: Path) -> tuple[str, str]:
    """The source with most codings and the most used code (read-only)."""
    from workbench.core.project import Project

    with Project.open(path, readonly=True, actor=ACTOR) as project:
        counts = coding_counts(project)
        source_id = max(counts, key=lambda s: (counts[s], s))
        code_id = max(project.index.code_segments, key=lambda c: (len(project.index.code_segments[c]), c))
    return source_id, code_id


def prepare(path: Path, params: Params, plan: Plan, source_id: str, code_id: str) -> Prepared:
    """Top the copy up through the Project API: `plan.transcript_codings` codings in the most coded
    transcript and `plan.code_segments` segments for the most used code.

    New codings are word-aligned spans of 3-40 words of participant talk, with codes drawn by the
    generator's Zipf weights, exactly like the generator's own; each is one durable `project.code()`.
    """
    from workbench.core.errors import WorkbenchError
    from workbench.core.project import Project

    corpus = make_corpus(params.transcripts, params.words, params.codes, params.seed)
    rng = random.Random(params.seed * 7919 + 4)  # not the generator's stream: these spans are new
    with Project.open(path, actor=ACTOR) as project:
        by_file = {tr.filename: tr for tr in corpus.transcripts}
        sources = {s["id"]: s for s in project.sources()}
        code_label = str(project.get("codes", code_id)["label"])
        labels = [str(c["label"]) for c in project.rows("codes") if c.get("status") == "active"]
        zipf = dict(zip(corpus.code_labels, corpus.code_weights, strict=True))
        weights = [zipf.get(label, 1.0) for label in labels]

        def span_in(filename: str) -> tuple[int, int]:
            turns = [turn for turn in by_file[filename].participant_words if turn]
            turn = rng.choice(turns)
            n = min(rng.randint(3, 40), len(turn))
            first = rng.randrange(len(turn) - n + 1)
            return turn[first][0], turn[first + n - 1][1]

        def try_code(sid: str, start: int, end: int, label: str) -> bool:
            try:
                project.code(sid, start, end, label)
            except WorkbenchError:  # already applied there: draw again
                return False
            return True

        added_transcript = 0
        filename = sources[source_id]["filename"]
        have = coding_counts(project)[source_id]
        while have + added_transcript < plan.transcript_codings:
            start, end = span_in(filename)
            added_transcript += try_code(source_id, start, end, rng.choices(labels, weights)[0])
        added_code = 0
        source_ids = list(sources)
        while len(project.index.code_segments.get(code_id, ())) < plan.code_segments:
            sid = rng.choice(source_ids)
            start, end = span_in(sources[sid]["filename"])
            added_code += try_code(sid, start, end, code_label)
        _vid, record = project.current_text(source_id)
        participant = project.participant_of(project.source(source_id)) or {}
        return Prepared(
            source_id=source_id,
            pseudonym=str(participant.get("pseudonym", "")),
            transcript_codings=coding_counts(project)[source_id],
            transcript_words=len(record.text.split()),
            transcript_lines=len(record.linemap.lines),
            added_to_transcript=added_transcript,
            code_id=code_id,
            code_label=code_label,
            code_segments=len(project.index.code_segments.get(code_id, ())),
            added_to_code=added_code,
            codes=len(labels),
            matrix_codes=sum(
                1
                for c in project.rows("codes")
                if c.get("status") == "active" and project.index.code_segments.get(c["id"])
            ),
        )


# -- measuring interactions -------------------------------------------------------------------------------
@dataclass
class Sample:
    shown_ms: float  # key sent -> end of the first frame showing the result
    settled_ms: float  # key sent -> end of the last frame the key caused
    frames: int
    rows: int  # data rows the watched widget drew for it


class Session:
    """One running app (headless, 80x24) and the helpers that time a key from sent to painted."""

    def __init__(self, app: Any, pilot: Any, probe: Probe) -> None:
        from workbench.tui.textual_compat import render_pending

        self.app = app
        self.pilot = pilot
        self.probe = probe
        self._render_pending = render_pending

    def _busy(self) -> bool:
        return self._render_pending(self.app)

    async def settle(self, since: float) -> None:
        """Wait until the app is quiet: events processed, nothing to repaint, no frame for QUIET_S."""
        deadline = time.perf_counter() + TIMEOUT_S
        while time.perf_counter() < deadline:
            await self.pilot.pause()
            last = self.probe.frames[-1].end if self.probe.frames else since
            if time.perf_counter() - max(last, since) >= QUIET_S and not self._busy():
                return
            await asyncio.sleep(FRAME_S / 2)
        raise TimeoutError("the app did not settle")

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.perf_counter() + TIMEOUT_S
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            await asyncio.sleep(FRAME_S / 2)  # no more often: each look takes the GIL from a worker
        await self.settle(time.perf_counter())

    async def key(
        self,
        key: str,
        widget: str | None = "TranscriptView",
        after: Callable[[], float] | None = None,
        done: Callable[[], bool] | None = None,
    ) -> Sample:
        """Send `key` as a terminal does (Pilot.press), wait until the app is quiet, and time it.

        Shown: the first frame of `widget`'s screen in which it drew data rows (any frame when
        None), and which ended after `after()` when given. Settled: the last frame before the app
        went quiet. `done`: what must be true before quiet counts (work in a thread paints nothing
        while it runs, so the app looks quiet before its result arrives).
        """
        probe = self.probe
        probe.reset()
        start = time.perf_counter()
        await self.pilot.press(key)
        if done is not None:
            await self.until(done, f"{key!r} to finish")
        await self.settle(start)
        frames = [f for f in probe.frames if f.end > start]
        floor = after() if after is not None else start

        def shows(frame: Frame) -> bool:
            if frame.end <= floor:
                return False
            return widget is None or bool(frame.rows.get(widget) and frame.screen == SCREEN_OF[widget])

        shown = next((frame for frame in frames if shows(frame)), None)
        if shown is None:
            raise RuntimeError(f"{key!r}: no frame showed {widget} rows ({frames})")
        sample = Sample(
            shown_ms=(shown.end - start) * 1000,
            settled_ms=(frames[-1].end - start) * 1000,
            frames=len(frames),
            rows=sum(f.rows.get(widget, 0) for f in frames) if widget else 0,
        )
        await asyncio.sleep(GAP_S)
        return sample


def summary(samples: Sequence[Sample]) -> dict[str, float]:
    shown = [s.shown_ms for s in samples]
    settled = [s.settled_ms for s in samples]
    return {
        "median": median(shown),
        "p95": p95(shown),
        "settled_median": median(settled),
        "settled_p95": p95(settled),
        "frames": median([s.frames for s in samples]),
        "rows": median([s.rows for s in samples]),
        "n": len(samples),
    }


async def measure_session(
    path: Path, plan: Plan, prepared: Prepared, profile: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Figures 2-4 in one app session on the prepared copy; cProfile texts when `profile`."""
    probe = Probe()
    app = make_app(path, probe)
    out: dict[str, Any] = {}
    profiles: dict[str, str] = {}

    def on(name: str) -> bool:
        return type(app.screen).__name__ == name

    async def profiled(name: str, run: Callable[[], Awaitable[Any]]) -> Any:
        if not profile:
            return await run()
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            return await run()
        finally:
            profiler.disable()
            buffer = io.StringIO()
            stats = pstats.Stats(profiler, stream=buffer)
            stats.sort_stats("tottime").print_stats(15)
            stats.sort_stats("cumulative").print_stats(35)
            profiles[name] = buffer.getvalue()

    async with app.run_test(size=TARGET_SIZE) as pilot:
        s = Session(app, pilot, probe)
        await s.until(lambda: on("HomeScreen"), "the home view")
        app.open_transcript(prepared.source_id)
        await s.until(lambda: on("TranscriptScreen"), "the transcript view")
        screen = app.screen
        view = screen.view
        assert len(view.codings) == prepared.transcript_codings, (len(view.codings), prepared)

        # -- 2. cursor movement -------------------------------------------------------------------
        log(f"measuring {plan.lines} j, {plan.lines} k and {plan.pages} pagedown keystrokes ...")
        await s.key("g")

        async def move(keys: list[str]) -> list[Sample]:
            samples = []
            for key in keys:
                before = view.cursor
                samples.append(await s.key(key))
                assert view.cursor != before, f"{key} did not move the cursor"
            return samples

        line_samples = await profiled("j/k", lambda: move(["j"] * plan.lines + ["k"] * plan.lines))
        page_samples = await profiled("pagedown", lambda: move(["pagedown"] * plan.pages))
        out["line"] = summary(line_samples)
        out["line_j"] = summary(line_samples[: plan.lines])
        out["line_k"] = summary(line_samples[plan.lines :])
        out["page"] = summary(page_samples)

        # -- 3. applying a code ---------------------------------------------------------------------
        log(f"measuring {plan.codings} codes applied from the picker ...")
        from textual.widgets import Input  # the transcript screen imported the picker already

        project = app.project
        saved: list[float] = []
        code = project.code

        def timed_code(*args: Any, **kwargs: Any) -> Any:
            result = code(*args, **kwargs)  # returns once the journal line is fsynced
            saved.append(time.perf_counter())
            return result

        project.code = timed_code  # an instance attribute: what run_op calls from the picker's callback
        labels = [str(c["label"]) for c in project.rows("codes") if c.get("status") == "active"]
        rng = random.Random(17)
        await s.key("g")

        async def apply() -> tuple[list[Sample], list[float]]:
            samples: list[Sample] = []
            writes: list[float] = []
            while len(samples) < plan.codings:
                await s.key("j")
                line = view.cursor_line
                if not view.text[line.start : line.end].strip():
                    continue
                label = rng.choice(labels)
                if any(c.label == label for c in view.codings_in((line.start, line.end))):
                    continue
                await s.pilot.press("c")
                await s.until(lambda: on("CodePicker"), "the code picker")
                picker = app.screen
                picker.query_one(Input).value = label  # typing is not what is measured
                ranked = lambda picker=picker, label=label: picker.choices[:1] == [label]  # noqa: E731
                await s.until(ranked, "the picker's ranking")
                count = len(project.rows("codings"))
                saved.clear()
                start = time.perf_counter()
                sample = await s.key("enter", after=lambda: saved[0] if saved else float("inf"))
                assert app.screen is screen, "the picker did not close"
                assert len(project.rows("codings")) == count + 1, "no coding was saved"
                assert any(c.label == label for c in view.codings_in((line.start, line.end))), "not shown"
                samples.append(sample)
                writes.append((saved[0] - start) * 1000)
            return samples, writes

        apply_samples, writes = await profiled("apply a code", apply)
        project.code = code
        out["apply"] = summary(apply_samples)
        out["apply_save_ms_median"] = median(writes)

        # -- 4. codebook and retrieval ----------------------------------------------------------------
        log(f"measuring the codebook and retrieval, {plan.shows} times each ...")

        async def codebook() -> list[Sample]:
            samples = []
            for _ in range(plan.shows):
                samples.append(await s.key("3", widget="CodeTree"))
                assert on("CodebookScreen") and len(app.screen.codes) >= prepared.codes, "codes missing"
                await s.key("2", widget=None)  # its rows come from Textual's line cache
            return samples

        # A retrieval shown again for the same query on the same project state is not run again (the
        # hits shown are still the answer), so "again" alternates between the two most used codes:
        # every Enter runs its query.
        counts = app.project.index.codings_by_code
        other = max((c for c in counts if c != prepared.code_id), key=lambda c: len(counts[c]))

        async def retrieval() -> list[Sample]:
            samples = []
            for i in range(plan.shows):
                await s.key("3", widget="CodeTree")
                s.probe.code = other if i % 2 else prepared.code_id
                app.screen.select_code(s.probe.code)
                await s.settle(time.perf_counter())
                samples.append(await s.key("enter", widget="HitList"))
                assert on("RetrievalScreen"), "the retrieval view is not shown"
                wanted = len(counts[other]) if i % 2 else prepared.code_segments
                assert len(app.screen.hit_list.hits) >= wanted, "segments missing"
            return samples

        # The first showing of each (the screen is created, the text of every transcript loaded) is
        # measured in the open benchmark's fresh processes; here each is shown once unmeasured.
        await s.key("3", widget="CodeTree")
        s.probe.code = prepared.code_id
        app.screen.select_code(prepared.code_id)
        await s.settle(time.perf_counter())
        await s.key("enter", widget="HitList")
        await s.key("2", widget=None)
        out["codebook"] = summary(await profiled("codebook", codebook))
        out["retrieval"] = summary(await profiled("retrieval", retrieval))

        # -- 5. the matrix view after a change ------------------------------------------------------
        # Its first showing is measured in the fresh processes; here each visit follows a coding
        # made in the transcript view, so the co-occurrence table is counted again every time.
        log(f"measuring the matrix view after a coding, {plan.shows} times ...")
        shown_matrix = lambda: matrix_current(app.screen)  # noqa: E731
        await s.key("9", widget="MatrixGrid", done=shown_matrix)
        _vid, record = project.current_text(prepared.source_id)
        ends = record.linemap

        async def matrix() -> list[Sample]:
            samples = []
            line = 0
            while len(samples) < plan.shows:
                line += 7
                number = line % len(ends) + 1
                start, end = ends.span_of_lines(number, number)
                if not on("TranscriptScreen"):
                    await s.key("2", widget=None)
                if (
                    not record.text[start:end].strip()
                    or app.run_op(project.code, prepared.source_id, start, end, rng.choice(labels)) is None
                ):
                    continue
                await s.settle(time.perf_counter())
                samples.append(await s.key("9", widget="MatrixGrid", done=shown_matrix))
                assert on("MatrixScreen") and app.screen.built.grid.size[0] >= 1, "no table"
            return samples

        out["matrix"] = summary(await profiled("matrix", matrix))
    return out, profiles


# -- 1. open, in fresh processes ------------------------------------------------------------------------
async def child_open(path: Path, prepared: Prepared, mode: str) -> dict[str, float]:
    """A fresh process's first open, codebook and retrieval (Textual imported before the clock starts).

    Open: from creating the app to the first frame with transcript rows; the transcript is opened
    with `app.open_transcript` as soon as the home view has painted its first frame, as if the
    researcher pressed Enter on it at once. Then key 3 shows the codebook and Enter on the most used
    code shows its retrieval, both for the first time in the process; `mode` says when (`OPEN_MODES`).
    """
    warm = mode != "cold"
    probe = Probe()
    probe.painted = asyncio.Event()
    start = time.perf_counter()
    app = make_app(path, probe)
    if not warm:
        app._start_warm_up = lambda: None  # cold: the views' first visit reads everything itself
    probe.on_home = lambda: app.open_transcript(prepared.source_id)
    async with app.run_test(size=TARGET_SIZE) as pilot:
        await asyncio.wait_for(probe.painted.wait(), TIMEOUT_S)
        session = Session(app, pilot, probe)
        await session.settle(time.perf_counter())
        warmed = float("nan")
        if mode == "warm":
            await asyncio.wait_for(asyncio.to_thread(app.warmed_up.wait), TIMEOUT_S)
            warmed = time.perf_counter() - start
            await session.settle(time.perf_counter())
        screen = app.screen
        assert type(screen).__name__ == "TranscriptScreen" and screen.source_id == prepared.source_id
        assert None not in (probe.opened, probe.first_home, probe.first_transcript)
        assert probe.opened and probe.first_home and probe.first_transcript  # for the type checker
        result = {
            "painted_s": probe.first_transcript - start,
            "project_open_s": probe.opened - start,
            "home_s": probe.first_home - start,
            "settled_s": probe.frames[-1].end - start,
            "warmed_s": warmed,
        }
        book = await session.key("3", widget="CodeTree")
        assert type(app.screen).__name__ == "CodebookScreen" and len(app.screen.codes) >= prepared.codes
        probe.code = prepared.code_id
        app.screen.select_code(prepared.code_id)
        await session.settle(time.perf_counter())
        hits = await session.key("enter", widget="HitList")
        assert type(app.screen).__name__ == "RetrievalScreen"
        assert len(app.screen.hit_list.hits) >= prepared.code_segments
        grid = await session.key("9", widget="MatrixGrid", done=lambda: matrix_current(app.screen))
        assert type(app.screen).__name__ == "MatrixScreen"
        assert app.screen.built.grid.size[0] >= prepared.matrix_codes, "co-occurrence rows missing"
    return {
        **result,
        "codebook_ms": book.shown_ms,
        "codebook_settled_ms": book.settled_ms,
        "retrieval_ms": hits.shown_ms,
        "retrieval_settled_ms": hits.settled_ms,
        "matrix_ms": grid.shown_ms,
        "matrix_settled_ms": grid.settled_ms,
    }


def child_main(args: Sequence[str]) -> None:
    import textual.app  # noqa: F401 - imported before the clock starts, as `workbench open` has

    import workbench.tui.app  # noqa: F401

    path, prepared, mode = args
    result = asyncio.run(child_open(Path(path), Prepared(**json.loads(prepared)), mode))
    print(json.dumps(result), flush=True)


def installed_env() -> dict[str, str]:
    """The environment of a researcher's `workbench open`: Python may keep compiled modules.

    Some machines (CI images, this project's development containers) set PYTHONDONTWRITEBYTECODE,
    which makes every process compile the workbench's modules from source again (~0.1 s more per
    open); an installed application has its bytecode cached after its first run, so the children
    run with it unset, after `compileall` has cached the bytecode once.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(root / "workbench"), str(root / "plugins")],
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def measure_opens(project: Path, scratch: Path, prepared: Prepared, count: int) -> list[dict[str, float]]:
    """Each sample in a fresh interpreter on a fresh copy (closing a writer may checkpoint)."""
    samples = []
    env = installed_env()
    for i in range(count):
        copy = scratch / f"open-{i}"
        shutil.copytree(project, copy)
        done = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                CHILD_FLAG,
                str(copy),
                json.dumps(asdict(prepared)),
                OPEN_MODES[i % len(OPEN_MODES)],
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )
        if done.returncode != 0:
            raise RuntimeError(f"open sample failed:\n{done.stderr}")
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
        shutil.rmtree(copy, ignore_errors=True)
    return samples


# -- the run ------------------------------------------------------------------------------------------------
def run(size: str, *, use_cache: bool, profile: bool) -> dict[str, Any]:
    plan = PLANS[size]
    cache = plan.cache and use_cache
    started = time.perf_counter()
    with scratch_dir(OUT if cache else None) as scratch:
        root = OUT if cache else scratch
        cached_path, generation_s, was_cached = obtain(plan.project, root, cache=cache)
        work = scratch / "work"
        shutil.copytree(cached_path, work)  # the cached project is never touched
        source_id, code_id = pick(work)
        log("topping the copy up (Project API) ...")
        prepared = prepare(work, plan.project, plan, source_id, code_id)

        log(f"measuring {plan.opens} opens, first codebooks and first retrievals, one process each ...")
        opens = measure_opens(work, scratch, prepared, plan.opens)
        session, profiles = asyncio.run(measure_session(work, plan, prepared, profile))

    painted = [o["painted_s"] for o in opens]
    figures: dict[str, float] = {
        "open_s_median": median(painted),
        "open_s_max": max(painted),
        "open_project_s_median": median([o["project_open_s"] for o in opens]),
        "open_home_s_median": median([o["home_s"] for o in opens]),
        "open_settled_s_median": median([o["settled_s"] for o in opens]),
    }
    for name in ("line", "line_j", "line_k", "page", "apply", "codebook", "retrieval", "matrix"):
        result = session[name]
        figures[f"{name}_ms_median"] = result["median"]
        figures[f"{name}_ms_p95"] = result["p95"]
        figures[f"{name}_settled_ms_median"] = result["settled_median"]
        figures[f"{name}_settled_ms_p95"] = result["settled_p95"]
        figures[f"{name}_frames"] = result["frames"]
    for name in ("line", "page"):
        figures[f"{name}_rows"] = session[name]["rows"]
    figures["apply_save_ms_median"] = session["apply_save_ms_median"]
    by_mode = {mode: opens[i :: len(OPEN_MODES)] for i, mode in enumerate(OPEN_MODES)}
    figures["warmed_s_median"] = median([o["warmed_s"] for o in by_mode["warm"]])
    for name in ("codebook", "retrieval", "matrix"):
        for mode, suffix in (("warm", "first"), ("immediate", "immediate"), ("cold", "cold")):
            figures[f"{name}_ms_{suffix}"] = median([o[f"{name}_ms"] for o in by_mode[mode]])
            figures[f"{name}_settled_ms_{suffix}"] = median([o[f"{name}_settled_ms"] for o in by_mode[mode]])
    return {
        "size": size,
        "params": asdict(plan.project),
        "plan": asdict(plan) | {"project": asdict(plan.project)},
        "generation_s": generation_s,
        "cached": was_cached,
        "prepared": asdict(prepared),
        "figures": figures,
        "targets": [
            {**asdict(t), "value": figures[t.figure], "pass": t.check(figures[t.figure])} for t in TARGETS
        ],
        "profiles": profiles,
        "elapsed_s": time.perf_counter() - started,
    }


def render(report: dict[str, Any]) -> str:
    f = report["figures"]
    plan = report["plan"]
    prep = report["prepared"]
    params = Params(**report["params"])
    verdict = {t["figure"]: "PASS" if t["pass"] else "MISS" for t in report["targets"]}

    def row(label: str, value: str, target: str = "", figure: str = "") -> str:
        return f"  {label:<44} {value:>22}   {target:<10} {verdict.get(figure, '')}".rstrip()

    def dist(name: str, target: str, what: str = "") -> list[str]:
        shown = f"{f[f'{name}_ms_median']:.1f} / {f[f'{name}_ms_p95']:.1f} ms"
        settled = f"{f[f'{name}_settled_ms_median']:.1f} / {f[f'{name}_settled_ms_p95']:.1f} ms"
        return [
            row(f"  {what}shown    median / p95", shown, target, f"{name}_ms_median"),
            row(f"  {what}settled  median / p95", settled, target, f"{name}_settled_ms_median"),
        ]

    def show(name: str, what: str, target: str = "<= 100 ms", again: str = "again") -> list[str]:
        first = "first time, read ahead: "
        settled = target if name != "matrix" else ""
        return [
            what,
            row(f"  {first}shown    median", f"{f[f'{name}_ms_first']:.1f} ms", target,
                f"{name}_ms_first"),
            row(f"  {first}settled  median", f"{f[f'{name}_settled_ms_first']:.1f} ms", settled,
                f"{name}_settled_ms_first"),
            row("  first time, at once:    shown    median", f"{f[f'{name}_ms_immediate']:.1f} ms",
                target, f"{name}_ms_immediate"),
            row("  first time, at once:    settled  median", f"{f[f'{name}_settled_ms_immediate']:.1f} ms"),
            row("  no read-ahead (off):    shown    median", f"{f[f'{name}_ms_cold']:.1f} ms"),
            row("  no read-ahead (off):    settled  median", f"{f[f'{name}_settled_ms_cold']:.1f} ms"),
            *dist(name, target, f"{again} ({plan['shows']}x): "),
        ]  # fmt: skip

    lines = [
        f"TUI benchmark, size {report['size']}, headless {TARGET_SIZE[0]}x{TARGET_SIZE[1]}",
        f"  project: {params.describe()}"
        f" (generated in {report['generation_s']:.1f} s{', cached' if report['cached'] else ''})",
        f"  topped up: {prep['pseudonym']} ({prep['source_id']}) has {prep['transcript_codings']:,} codings "
        f"(+{prep['added_to_transcript']}),",
        f"             {prep['transcript_words']:,} words on {prep['transcript_lines']:,} lines; "
        f"«{prep['code_label']}» has {prep['code_segments']:,} segments (+{prep['added_to_code']})",
        "  shown = key sent -> end of the first frame painting the result;"
        " settled = -> end of the key's last frame",
        "",
        f"Open to the first painted transcript ({plan['opens']} fresh processes)",
        row("app created -> transcript painted  median", f"{f['open_s_median']:.3f} s", "<= 1 s",
            "open_s_median"),
        row("  slowest", f"{f['open_s_max']:.3f} s"),
        row("  Project.open returned (median)", f"{f['open_project_s_median']:.3f} s"),
        row("  home view painted (median)", f"{f['open_home_s_median']:.3f} s"),
        row("  settled (median)", f"{f['open_settled_s_median']:.3f} s"),
        row("  read-ahead finished (median, read-ahead runs)", f"{f['warmed_s_median']:.3f} s"),
        "",
        f"Cursor keys in the {prep['transcript_codings']:,}-coding transcript",
        *dist("line", "<= 16 ms", f"j/k ({2 * plan['lines']}): "),
        row("  shown, j only / k only (median)",
            f"{f['line_j_ms_median']:.1f} / {f['line_k_ms_median']:.1f} ms"),
        row("  frames per key; transcript rows drawn", f"{f['line_frames']:.0f}; {f['line_rows']:.0f}"),
        *dist("page", "<= 16 ms", f"pagedown ({plan['pages']}): "),
        row("  frames per key; transcript rows drawn", f"{f['page_frames']:.0f}; {f['page_rows']:.0f}"),
        "",
        f"Apply a code: Enter in the picker -> durable save -> repaint ({plan['codings']} codings)",
        *dist("apply", "<= 30 ms"),
        row("  Enter -> project.code() returned (median)", f"{f['apply_save_ms_median']:.1f} ms"),
        row("  frames per coding", f"{f['apply_frames']:.0f}"),
        "",
        *show("codebook", f"Codebook with {prep['codes']} codes: key 3 in the transcript view"),
        "",
        *show("retrieval",
              f"Retrieval of {prep['code_segments']:,} segments: Enter on the code in the codebook"),
        "",
        *show("matrix",
              f"Matrix: key 9 after the retrieval, the co-occurrence of {prep['matrix_codes']} codes painted",
              "<= 300 ms", "after a coding"),
        "",
        f"{sum(t['pass'] for t in report['targets'])}/{len(report['targets'])} targets met "
        f"in {report['elapsed_s']:.0f} s",
    ]  # fmt: skip
    if report["size"] != "large":
        lines.append("  (the targets are set for --size large; at this size they only show the wiring works)")
    for name, text in report["profiles"].items():
        lines += ["", f"cProfile: {name}", text]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == [CHILD_FLAG]:
        child_main(args_in[1:])
        return 0
    parser = argparse.ArgumentParser(description="Benchmark the Textual shell, headless at 80x24.")
    parser.add_argument("--size", choices=sorted(PLANS), default="large")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--no-cache", action="store_true", help="generate afresh in a temporary folder")
    parser.add_argument("--profile", action="store_true", help="cProfile each interaction")
    args = parser.parse_args(args_in)
    report = run(args.size, use_cache=not args.no_cache, profile=args.profile)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
