"""Never crash: random keys over every screen leave the app running and the project sound (issue 23).

The two demo studies and a study full of hostile text (`[`, `[/]`, markup, escape sequences, bidi
controls and right-to-left text, labels at the length limit) are each driven, on a copy, by random key
sequences through `App.run_test` at 80x24. The keys are the workbench's real bindings (every screen's,
modal's and widget's, the app's and the active keymap's), the view keys and plugin screen keys, plain
letters and digits, Enter, Escape, Tab, arrows, page keys, `ctrl+p` and a few typed strings; weighted
so every view is visited and dialogs are both answered and dismissed.

After every key the app is still running and has raised nothing; afterwards no plugin has been
disabled by a failure, and the checks `workbench check` runs find no problem.

A run is seeded: the key sequence is a function of the study, the seed and the key alphabet only, so
a failure replays. Its message gives the seed, the keys and the traceback. The size of a run:

    WORKBENCH_FUZZ_KEYS=5000 WORKBENCH_FUZZ_SEEDS=4 .venv/bin/pytest tests/tui/test_keyboard_fuzz.py
    WORKBENCH_FUZZ_SEED=7,8 ...   # these seeds only (a replay: with the same WORKBENCH_FUZZ_KEYS)

The quit keys (`q`, `ctrl+q`) are left out: quitting is not a crash, and ends the run.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import random
import shutil
import traceback
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, REPLACED_KEYS, key_to_character
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList, Select, Static

from tests.tui.conftest import wait_until_open
from workbench.core.cleaning import unsafe_fields
from workbench.core.integrity import check_project
from workbench.core.model import ImportedTranscript
from workbench.core.project import MAX_LABEL, Project
from workbench.demo import build_demo
from workbench.plugins import PluginHost
from workbench.testing import make_host
from workbench.tui.app import VIEWS, WorkbenchApp
from workbench.tui.keymap import load_keymap
from workbench.tui.screens.code_picker import CodePicker, PickerCode
from workbench.tui.screens.memo_editor import MemoEditor
from workbench.tui.widgets.prompt import ChoiceModal, PromptModal

SIZE = (80, 24)
KEYS = int(os.environ.get("WORKBENCH_FUZZ_KEYS", "400"))
"""Keys per run (the normal suite: a few hundred, ~12 s a study; by hand: thousands)."""
SEEDS = (
    [int(seed) for seed in os.environ["WORKBENCH_FUZZ_SEED"].split(",")]
    if os.environ.get("WORKBENCH_FUZZ_SEED")
    else list(range(1, int(os.environ.get("WORKBENCH_FUZZ_SEEDS", "1")) + 1))
)
"""Runs per study: seeds 1..WORKBENCH_FUZZ_SEEDS, or those listed in WORKBENCH_FUZZ_SEED (`7`, `7,8`)."""
STUDIES = ("gt-demo", "ipa-demo", "hostile")
QUIT_ACTIONS = {"quit", "app.quit"}

TYPED = (
    "feel",
    "Hope",
    "P01",
    "Alex",
    "[/]",
    "[bold]",
    "[",
    "code:Hope and not x",
    "a=b c=d",
    "/",
    "  ",
    "שלום",
    "\u200f",
    "é漢",
)
"""Strings typed a character at a time: filters, queries, labels, memo text, palette searches."""

NAVIGATION = (
    *("up", "down", "left", "right", "pageup", "pagedown", "home", "end"),
    *("tab", "shift+tab", "space", "backspace", "delete"),
)


# -- the key alphabet --------------------------------------------------------------------------------------
def _modules(package: ModuleType) -> Iterator[str]:
    yield package.__name__
    for info in pkgutil.walk_packages(getattr(package, "__path__", []), f"{package.__name__}."):
        yield info.name


def _classes(root: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for sub in root.__subclasses__():
        yield sub
        yield from _classes(sub)


def _keys_of(binding: object) -> list[str]:
    if isinstance(binding, Binding):
        keys, action = binding.key, binding.action
    elif isinstance(binding, tuple) and len(binding) >= 2:
        keys, action = str(binding[0]), str(binding[1])
    else:
        return []
    return [] if action in QUIT_ACTIONS else [k.strip() for k in keys.split(",") if k.strip()]


def bound_keys(host: PluginHost) -> list[str]:
    """Every key bound anywhere the app can reach: the workbench's and its plugins' screens, modals and
    widgets (with the Textual classes they extend), the app, the plugin screen keys and the keymap."""
    packages = {"workbench"} | {spec.factory.__module__.split(".")[0] for spec in host.views()}
    import workbench.tui

    for package in ["workbench.tui", *sorted(packages - {"workbench"})]:
        for name in _modules(importlib.import_module(package)):
            importlib.import_module(name)
    keys: set[str] = set()
    for cls in _classes(DOMNode):
        if cls.__module__.split(".")[0] not in packages:
            continue
        for base in cls.__mro__:
            for binding in vars(base).get("BINDINGS", []):
                keys.update(_keys_of(binding))
    keys.update(spec.key for spec in host.views(kind="screen") if spec.key)
    for value in load_keymap().values():
        keys.update(k.strip() for k in value.split(","))
    assert workbench.tui
    return sorted(keys - {"q", "ctrl+q"})


@dataclass(frozen=True)
class Burst:
    """Keys (key names, or single characters as typed) pressed one at a time, each waited for, or typed
    ahead: sent in one go, as a terminal delivers fast typing or a paste over SSH, and waited for once."""

    keys: tuple[str, ...]
    typed_ahead: bool

    def __str__(self) -> str:
        return f"{'type' if self.typed_ahead else 'press'}{list(self.keys)!r}"


def key_sequence(seed: str, count: int, bound: Sequence[str]) -> list[Burst]:
    """`count` keys in bursts of 1-12, a function of `seed` and the alphabet only (so a failure replays)."""
    rng = random.Random(seed)
    views = [str(n) for n in range(1, len(VIEWS) + 1)]
    letters = "abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:'-_=+*!?#@%&()"
    choices: list[tuple[float, Sequence[str]]] = [
        (0.34, bound),
        (0.12, views),
        (0.09, ["escape"]),
        (0.08, ["enter"]),
        (0.18, NAVIGATION),
        (0.09, letters),
        (0.02, ["ctrl+p"]),
        (0.06, TYPED),
    ]
    weights = [w for w, _ in choices]
    tour: list[str] = []
    bursts: list[Burst] = []
    total = 0
    while total < count:
        keys: list[str] = []
        if rng.random() < 0.2:  # back out of any dialog and go to the next view of a tour of them all
            tour = tour or rng.sample(views, len(views))
            step = ("escape", "escape", "escape", tour.pop())[: count - total]
            bursts.append(Burst(step, typed_ahead=False))  # one at a time: each Esc lands first
            total += len(step)
            continue
        for _ in range(rng.randint(1, 12)):
            (_, pool) = rng.choices(choices, weights)[0]
            pick = pool[rng.randrange(len(pool))]
            keys.extend([pick] if pool is not TYPED else [ch for ch in pick if ch != "q"])
        keys = keys[: count - total]
        bursts.append(Burst(tuple(keys), typed_ahead=rng.random() < 0.7))
        total += len(keys)
    return bursts


def key_event(key: str) -> events.Key:
    """The event a terminal sends for `key` (a key name, or a character as typed), as `Pilot.press`
    builds it, but keeping characters Textual has no key name for (a right-to-left mark)."""
    if len(key) == 1:
        name = (
            key if key.isalnum() else unicodedata.name(key, key).lower().replace("-", "_").replace(" ", "_")
        )
        return events.Key(KEY_NAME_REPLACEMENTS.get(name, name), key)
    return events.Key(key, key_to_character(REPLACED_KEYS.get(key, key)))


# -- the studies -------------------------------------------------------------------------------------------
LONG = "Very long label " + "x" * (MAX_LABEL - len("Very long label "))


def build_hostile(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A GT study whose labels, titles, names and text hold markup, escapes and right-to-left text."""
    text = (
        "Interviewer: [laughs] did you say [/] or [bold]that[/bold]?\n\n"
        "Participant: \u05e9\u05dc\u05d5\u05dd \u200fright to left\u200f, and a long turn "
        + "that goes on and on " * 30
        + "\n\nInterviewer: [\n\nParticipant: ]]] [/] \\[escaped] [link=file:///etc]x[/link]\n"
    )
    with Project.create(path, "Hostile [/] study [bold]", "gt", actor="ann") as project:
        project.add_source(ImportedTranscript(text), "a[1].txt", participant_id="P01", pseudonym="[red]Al[/]")
        project.add_source(
            ImportedTranscript(text[::-1] + "\n"), "b.txt", participant_id="P02", pseudonym="["
        )
        for label in ("[", "[/]", "[bold]Not bold[/]", "\u200f\u05de\u05e9\u05de\u05e2\u05d5\u05ea", LONG):
            project.create_code(label)
        start = project.current_text("S1")[1].text.index("[/]")
        project.code("S1", start, start + 3, "[/]")
        project.code("S1", start, start + 20, LONG)
        project.write_memo("[/] memo [", "body [bold]x[/] " * 40, links=["P01"])
    with monkeypatch.context() as patch:  # what only an older version, or a hand edit, could have stored
        patch.setattr("workbench.core.project.refuse_unsafe_text", lambda changes: None)
        patch.setattr("workbench.core.untrusted.check_text", lambda value, where, lines=False: value)
        with Project.open(path, actor="ann") as project:
            participant = project.get("participants", "P02")
            code = project.code_by_label("[")
            assert participant is not None
            with project._operation("legacy.write", "code", "older version") as tx:
                tx.put("participants", "P02", {**participant, "pseudonym": "Al\x1b]0;owned\x07ex\u202e"})
                tx.put("codes", code["id"], {**code, "label": "[\x1b[2J\u202e"})
            project.write_memo("Legacy \x1b[31m\u202e", "body \x1b]52;c;eA==\x07", links=["P02"])


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo studies and the hostile one, built once; each run works on its own copy."""
    root = tmp_path_factory.mktemp("fuzz-studies")
    gt, ipa = build_demo(root / "demo", make_host())
    with pytest.MonkeyPatch.context() as monkeypatch:
        build_hostile(root / "hostile", monkeypatch)
    return {"gt-demo": gt, "ipa-demo": ipa, "hostile": root / "hostile"}


# -- a run -------------------------------------------------------------------------------------------------
@dataclass
class Run:
    """What a run sent and saw, for the failure message (enough to replay it)."""

    study: str
    seed: int
    bursts: list[Burst] = field(default_factory=list)
    screens: list[str] = field(default_factory=list)  # the screen after each key or burst
    modes: set[str] = field(default_factory=set)

    def saw(self, app: WorkbenchApp) -> None:
        self.screens.append(type(app.screen).__name__)
        self.modes.add(app.current_mode)

    def report(self, what: str) -> str:
        keys = sum(len(b.keys) for b in self.bursts)
        last = self.screens[-1] if self.screens else "(none)"
        return (
            f"{what}\nstudy {self.study!r}, seed {self.seed}, in burst {len(self.bursts)} (key {keys}), "
            f"last seen on {last}\n"
            f"replay: WORKBENCH_FUZZ_SEED={self.seed} WORKBENCH_FUZZ_KEYS={KEYS} "
            f"pytest {__file__} -k {self.study}\n"
            f"last bursts: {' '.join(map(str, self.bursts[-6:]))}\n"
            f"all bursts: {' '.join(map(str, self.bursts))}"
        )


def send(app: App[Any], *keys: str) -> None:
    """Deliver `keys` in one go, as a terminal does: posted to the app as its driver does (`Pilot.press`
    without its waits)."""
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)


def stopped(app: WorkbenchApp) -> bool:
    return app.return_code is not None or not app.is_running  # Textual sets the code on an unhandled error


async def drive(pilot: Pilot[None], app: WorkbenchApp, bursts: Iterable[Burst], run: Run) -> None:
    """Send the bursts, waiting after each key or after each burst; stop as soon as the app stops."""
    for burst in bursts:
        run.bursts.append(burst)
        for key in burst.keys:
            send(app, key)
            if not burst.typed_ahead:
                await pilot.pause()
                if stopped(app):
                    return
                run.saw(app)
        await pilot.pause()
        if stopped(app):
            return
        run.saw(app)


def problems_found(path: Path, host: PluginHost) -> list[str]:
    """What makes `workbench check` fail (its integrity problems); its other checks must still run."""
    with Project.open(path, readonly=True) as project:
        problems = check_project(project)
        host.run_validators(project)  # findings are advice (info, warning): `check` still passes
        unsafe_fields(project)  # listed as warnings
    return problems


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("study", STUDIES)
async def test_random_keys_never_crash_the_app_nor_damage_the_project(
    study: str,
    seed: int,
    studies: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # exports are offered in the working directory
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = Path(shutil.copytree(studies[study], tmp_path / study))
    host = make_host()
    before = problems_found(path, host)
    bursts = key_sequence(f"{study}:{seed}", KEYS, bound_keys(host))
    run = Run(study, seed)
    app = WorkbenchApp([path], host=host, keymap=load_keymap())
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await wait_until_open(pilot, app)
            await drive(pilot, app, bursts, run)
            running = app.is_running
    except Exception as exc:  # run_test re-raises what ended the app (Textual keeps the first error)
        trace = "".join(traceback.format_exception(exc))
        raise AssertionError(run.report(f"the app crashed:\n{trace}")) from exc
    assert running, run.report("the app stopped")
    failed = [f"{s.name}: {s.error}" for s in host.statuses() if s.status == "failed"]
    assert failed == [], run.report(f"a plugin failed and was disabled: {failed}")
    if KEYS >= 300:  # the tours reach every view well within that (a shorter run is for replaying)
        assert run.modes >= set(VIEWS), run.report(f"views never visited: {set(VIEWS) - run.modes}")
    assert problems_found(path, host) == before == [], run.report("`workbench check` is not clean")


def test_the_key_sequence_is_a_function_of_the_seed_alone() -> None:
    bound = bound_keys(make_host())
    assert key_sequence("gt-demo:1", 200, bound) == key_sequence("gt-demo:1", 200, bound)
    assert key_sequence("gt-demo:1", 200, bound) != key_sequence("gt-demo:2", 200, bound)
    assert sum(len(burst.keys) for burst in key_sequence("x", 333, bound)) == 333


def test_the_alphabet_holds_every_view_key_and_screen_binding_but_no_quit_key() -> None:
    bound = bound_keys(make_host())
    assert {"ctrl+z", "f1", "c", "slash", "f6", "f7", "ctrl+s", "escape"} <= set(bound)
    assert "q" not in bound and "ctrl+q" not in bound


# -- what the fuzz found, each reduced to the fewest keys ----------------------------------------------------
class DialogApp(App[None]):
    """One dialog over an empty screen; records every answer it called back with."""

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.answers: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


DIALOGS: dict[str, Callable[[], Screen[Any]]] = {
    "prompt": lambda: PromptModal("Name?", value="Hope"),
    "choice": lambda: ChoiceModal("Which?", [("a", "Hope"), ("b", "Despair")]),
    "code picker": lambda: CodePicker([PickerCode("Hope", 1)], value="Hope"),
}


@pytest.mark.parametrize("dialog", DIALOGS)
async def test_enter_then_escape_typed_ahead_answers_a_dialog_once_with_enters_answer(dialog: str) -> None:
    """ipa-demo seed 1 at 400 keys, reduced to `a` (add transcripts), then `enter escape` in one read:
    Esc dismissed the prompt, then Enter's `Input.Submitted` dismissed it again, which called back a
    second time and popped the view under it: ScreenStackError, the app ended."""
    app = DialogApp(DIALOGS[dialog]())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        send(app, "enter", "escape")
        await pilot.pause()
        assert app.is_running and app.return_code is None
    assert app.answers in (["Hope"], ["a"])


async def test_ctrl_s_then_escape_typed_ahead_saves_the_memo(project_dir: Path) -> None:
    """The memo editor keeps the order typed too: its ctrl+s waits for the words before it, and the Esc
    typed after it, which reaches the editor behind them, does not take the save back."""
    app = WorkbenchApp([project_dir], actor="ann")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("5", "n")
        await pilot.pause()
        send(app, *"Typed", "ctrl+s", "escape")
        await pilot.pause()
        assert app.is_running and app.return_code is None
    with Project.open(project_dir, readonly=True) as project:
        assert [memo["title"] for memo in project.rows("memos")] == ["Typed"]


async def test_a_memo_of_a_plugins_type_opens_in_the_editor(project_dir: Path) -> None:
    """gt-demo seed 1, reduced to `5 enter`: the demo's GT `diagram` memo is no type the editor's list
    had, and Select refused the value (InvalidSelectValueError), which ended the app."""
    with Project.open(project_dir, actor="ann") as project:
        project.write_memo("Diagram", "A -> B", memo_type="diagram")
    app = WorkbenchApp([project_dir], actor="ann")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("5", "enter")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MemoEditor)
        assert app.screen.query_one("#memo-type", Select).value == "diagram"


async def test_the_home_view_shows_a_title_holding_markup_as_written(tmp_path: Path) -> None:
    """hostile, before any key: the home summary parsed the study's title as markup (MarkupError)."""
    with Project.create(tmp_path / "s", "Study [/] of [bold]", "gt", actor="ann"):
        pass
    app = WorkbenchApp([tmp_path / "s"], actor="ann")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_open(pilot, app)
        assert app.is_running
        summary = app.screen.query_one("#home-summary", Static)
        assert str(summary.render()).startswith("Study [/] of [bold]  [gt]")


async def test_enter_then_2_typed_ahead_on_home_opens_the_transcript(app: WorkbenchApp) -> None:
    """hostile seed 2, reduced to `enter 2` in one read on the home view: `2` switches to the new
    transcript view, then Enter's `RowSelected` opens the transcript, `action_view` finds that view
    current and refreshes it before it has composed: NoMatches for TranscriptView, the app ended."""
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_open(pilot, app)
        send(app, "enter", "2")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.current_mode == "transcript"


async def test_enter_typed_twice_ahead_in_the_palette_runs_one_command(app: WorkbenchApp) -> None:
    """gt-demo seed 2, reduced to `ctrl+p`, then `enter enter` in one read: both Enters reach the
    palette, it dismisses twice and the second pops the view under it: ScreenStackError."""
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_open(pilot, app)
        send(app, "ctrl+p")
        await pilot.pause()
        send(app, "enter", "enter")
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_enter_then_ctrl_p_typed_ahead_on_home_opens_the_palette(app: WorkbenchApp) -> None:
    """ipa-demo seed 2, reduced to `enter ctrl+p` in one read on the home view: the palette is pushed
    on the home view, then Enter's `RowSelected` switches to the transcript, and the palette mounts
    over a stack without the screen it was called from: IndexError in CommandPalette._on_mount."""
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_open(pilot, app)
        send(app, "enter", "ctrl+p")
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_the_constant_comparison_shows_labels_holding_markup_as_written(project_dir: Path) -> None:
    """hostile seed 3, reduced to `f6`: the GT comparison screen parsed code labels as markup."""
    with Project.open(project_dir, actor="ann") as project:
        start = project.current_text("S1")[1].text.index("ward")
        project.code("S1", start, start + 4, "[/] not [bold]")
    app = WorkbenchApp([project_dir], host=make_host(), actor="ann")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("f6")
        await pilot.pause()
        assert app.is_running and type(app.screen).__name__ == "ComparisonScreen"
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("[/] not [bold]" in prompt for prompt in prompts)
        await pilot.press("enter", "b")  # code A's incidents, then compare: citations and words as typed
        await pilot.pause()
        assert app.is_running


async def test_ctrl_p_enter_ctrl_p_typed_ahead_in_the_codebook_keeps_one_palette(app: WorkbenchApp) -> None:
    """gt-demo seed 3, reduced to `3`, then `ctrl+p enter ctrl+p` in one read: Enter reaches the
    codebook under the palette that is still mounting (it shows the code's segments: another view),
    and the second ctrl+p pushes a palette while the first is still there: DuplicateIds."""
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("3")
        await pilot.pause()
        send(app, "ctrl+p", "enter", "ctrl+p")
        await pilot.pause()
        assert app.is_running and app.return_code is None
