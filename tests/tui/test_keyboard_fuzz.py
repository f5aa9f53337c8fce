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
    WORKBENCH_FUZZ_SEED=7 ...     # replay one seed (with the same WORKBENCH_FUZZ_KEYS)

The quit keys (`q`, `ctrl+q`) are left out: quitting is not a crash, and ends the run.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import random
import shutil
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.pilot import Pilot

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

SIZE = (80, 24)
KEYS = int(os.environ.get("WORKBENCH_FUZZ_KEYS", "300"))
"""Keys per run (the normal suite: a few hundred; by hand: thousands)."""
SEEDS = (
    [int(os.environ["WORKBENCH_FUZZ_SEED"])]
    if os.environ.get("WORKBENCH_FUZZ_SEED")
    else list(range(1, int(os.environ.get("WORKBENCH_FUZZ_SEEDS", "1")) + 1))
)
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


def key_sequence(seed: str, count: int, bound: Sequence[str]) -> list[list[str]]:
    """`count` keys in bursts of 1-12, a function of `seed` and the alphabet only (so a failure replays)."""
    rng = random.Random(seed)
    views = [str(n) for n in range(1, len(VIEWS) + 1)]
    letters = "abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:'-_=+*!?#@%&()"
    choices: list[tuple[float, Sequence[str]]] = [
        (0.34, bound),
        (0.14, views),
        (0.09, ["escape"]),
        (0.08, ["enter"]),
        (0.18, NAVIGATION),
        (0.09, letters),
        (0.02, ["ctrl+p"]),
        (0.06, TYPED),
    ]
    weights = [w for w, _ in choices]
    bursts: list[list[str]] = []
    total = 0
    while total < count:
        burst: list[str] = []
        for _ in range(rng.randint(1, 12)):
            (_, pool) = rng.choices(choices, weights)[0]
            pick = pool[rng.randrange(len(pool))]
            burst.extend([pick] if pool is not TYPED else [ch for ch in pick if ch != "q"])
        bursts.append(burst[: count - total])
        total += len(bursts[-1])
    return bursts


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
        project.add_source(ImportedTranscript(text[::-1] + "\n"), "b.txt", participant_id="P02", pseudonym="[")
        for label in ("[", "[/]", "[bold]Not bold[/]", "\u200f\u05de\u05e9\u05de\u05e2\u05d5\u05ea", LONG):
            project.create_code(label)
        start = project.current_text("S1")[1].text.index("[/]")
        project.code("S1", start, start + 3, "[/]")
        project.code("S1", start, start + 20, LONG)
        project.write_memo("[/] memo [", "body [bold]x[/] " * 40, links=["P01"])
    with monkeypatch.context() as patch:  # what only an older version, or a hand edit, could have stored
        patch.setattr("workbench.core.project.refuse_unsafe_text", lambda changes: None)
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
    """What a run pressed and saw, for the failure message (enough to replay it)."""

    study: str
    seed: int
    pressed: list[str] = field(default_factory=list)
    screens: list[str] = field(default_factory=list)  # the screen after each key
    modes: set[str] = field(default_factory=set)

    def report(self, what: str) -> str:
        last = self.screens[-1] if self.screens else "(none)"
        return (
            f"{what}\nstudy {self.study!r}, seed {self.seed}, after {len(self.pressed)} keys, on {last}\n"
            f"replay: WORKBENCH_FUZZ_SEED={self.seed} WORKBENCH_FUZZ_KEYS={KEYS} "
            f"pytest {__file__} -k {self.study}\n"
            f"last keys: {self.pressed[-40:]!r}\nall keys: {self.pressed!r}"
        )


async def drive(pilot: Pilot[None], app: WorkbenchApp, bursts: Iterable[list[str]], run: Run) -> None:
    """Press the keys one at a time, a pause after each burst; stop as soon as the app stops."""
    for burst in bursts:
        for key in burst:
            run.pressed.append(key)
            await pilot.press(key)
            if app.return_code is not None or not app.is_running:
                return
            run.screens.append(type(app.screen).__name__)
            run.modes.add(app.current_mode)
        await pilot.pause()
        if app.return_code is not None or not app.is_running:
            return


def problems_found(path: Path, host: PluginHost) -> tuple[list[str], list[str]]:
    """What `workbench check` finds: (integrity problems, error findings of the plugins' validators)."""
    with Project.open(path, readonly=True) as project:
        problems = check_project(project)
        errors = [f.message for f in host.run_validators(project) if f.level == "error"]
        unsafe_fields(project)  # `check` lists these too; they must at least be readable
    return problems, errors


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
    app = WorkbenchApp([path], host=host)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await wait_until_open(pilot, app)
            await drive(pilot, app, bursts, run)
            assert app.is_running, run.report("the app stopped")
    except AssertionError:
        raise
    except Exception as exc:
        trace = "".join(traceback.format_exception(exc)[-30:])
        raise AssertionError(run.report(f"the app crashed:\n{trace}")) from exc
    failed = [f"{s.name}: {s.error}" for s in host.statuses() if s.status == "failed"]
    assert failed == [], run.report(f"a plugin failed and was disabled: {failed}")
    assert run.modes >= set(VIEWS), run.report(f"views never visited: {set(VIEWS) - run.modes}")
    assert problems_found(path, host) == before == ([], []), run.report("`workbench check` is not clean")


def test_the_key_sequence_is_a_function_of_the_seed_alone() -> None:
    bound = bound_keys(make_host())
    assert key_sequence("gt-demo:1", 200, bound) == key_sequence("gt-demo:1", 200, bound)
    assert key_sequence("gt-demo:1", 200, bound) != key_sequence("gt-demo:2", 200, bound)
    assert sum(len(burst) for burst in key_sequence("x", 333, bound)) == 333


def test_the_alphabet_holds_every_view_key_and_screen_binding_but_no_quit_key() -> None:
    bound = bound_keys(make_host())
    assert {"ctrl+z", "f1", "c", "slash", "f6", "f7", "ctrl+s", "escape"} <= set(bound)
    assert "q" not in bound and "ctrl+q" not in bound
