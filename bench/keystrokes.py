"""Keystroke benchmark (issue 23): how many keys a coding takes, and key-to-repaint in screen-reader mode.

Counted by driving the real app (`App.run_test(size=(80, 24))`) through each coding task with the
fewest keys its bindings allow, and checking the coding was made, so the count is what a researcher
presses, not what we think they press:

- ``existing_sentence``: apply an existing code to a sentence, the code found by a 3-letter filter
  (`S`, `c`, three letters, Enter); reported with and without the filter letters;
- ``existing_line``: the same on the cursor line, nothing selected (`c`, three letters, Enter);
- ``repeat_sentence`` and ``repeat_line``: the last code again (`S .` and `.`);
- ``create_sentence``: a new code (`S`, `c`, its name, ctrl+n).

Then key-to-repaint in screen-reader mode: the time from a cursor key (`j`) or a selection key (`S`)
to the end of the frame that shows it, with the terminal cursor placed (`--keys` samples each).

    python bench/keystrokes.py                # ~10 s
    python bench/keystrokes.py --size small   # what tests/test_bench_keystrokes_smoke.py runs
    python bench/keystrokes.py --json         # one JSON object on stdout
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workbench.core.model import ImportedTranscript  # noqa: E402
from workbench.core.project import Project  # noqa: E402
from workbench.tui import textual_compat  # noqa: E402
from workbench.tui.app import WorkbenchApp  # noqa: E402

TARGETS = {"existing_sentence_keys": 6, "existing_sentence_command_keys": 4, "repeat_line_keys": 1}
TARGET_REPAINT_MS = 50.0
CODE = "Feeling understood"
TURN = (
    "Participant: It was on the ward. She said she'd been there herself, and I thought, right, you "
    "actually get it. Nobody had said that before. I could just say it. Hope came later, slowly."
)


def build(directory: Path, turns: int) -> Path:
    text = "\n\n".join(f"Interviewer: And then {n}?\n\n{TURN}" for n in range(turns)) + "\n"
    with Project.create(directory, "Keystrokes", "gt", actor="ann") as project:
        project.add_source(ImportedTranscript(text), "alex.txt", participant_id="P01", pseudonym="Alex")
        project.create_code(CODE)
        project.create_code("Hope arriving slowly")
    return directory


async def _open_transcript(app: WorkbenchApp, pilot: Any) -> None:
    for _ in range(200):
        if type(app.screen).__name__ == "HomeScreen":
            break
        await pilot.pause(0.02)
    await pilot.press("enter")
    for _ in range(200):
        if type(app.screen).__name__ == "TranscriptScreen":
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def count_keys(path: Path) -> dict[str, int]:
    """Keys per coding task, each checked by the coding it made."""
    app = WorkbenchApp([path], actor="ann")
    tasks: list[tuple[str, list[str], str]] = [
        ("existing_sentence", ["S", "c", *"fee", "enter"], CODE),
        ("repeat_sentence", ["S", "full_stop"], CODE),
        ("existing_line", ["c", *"hop", "enter"], "Hope arriving slowly"),
        ("repeat_line", ["full_stop"], "Hope arriving slowly"),
        ("create_sentence", ["S", "c", *"Being there", "ctrl+n"], "Being there"),
    ]
    counts: dict[str, int] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_transcript(app, pilot)
        for name, keys, label in tasks:
            await pilot.press("j", "j", "j", "j")  # a fresh place: another line, another sentence
            before = _codings(app, label)
            await pilot.press(*keys)
            await pilot.pause()
            if _codings(app, label) != before + 1:
                raise SystemExit(f"{name}: {' '.join(keys)} did not code {label!r}")
            counts[f"{name}_keys"] = len(keys)
    letters = 3
    counts["existing_sentence_command_keys"] = counts["existing_sentence_keys"] - letters
    counts["existing_line_command_keys"] = counts["existing_line_keys"] - letters
    return counts


def _codings(app: WorkbenchApp, label: str) -> int:
    code = app.project.find_code(label)
    if code is None:
        return 0
    return sum(1 for doc in app.project.rows("codings") if doc["code_id"] == code["id"])


async def repaint_ms(path: Path, samples: int) -> dict[str, float]:
    """Key-to-repaint in screen-reader mode: press, then wait for the frame that ends it."""
    frames: list[float] = []
    app = WorkbenchApp([path], actor="ann", screen_reader=True)
    textual_compat.add_frame_listener(app, lambda _screen, _update: frames.append(time.perf_counter()))
    out: dict[str, list[float]] = {"line": [], "select": []}
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_transcript(app, pilot)
        for kind, key in (("line", "j"), ("select", "S")):
            for _ in range(samples):
                frames.clear()
                start = time.perf_counter()
                await pilot.press(key)
                for _ in range(100):
                    if frames:
                        break
                    await asyncio.sleep(0.001)
                if frames:
                    out[kind].append((frames[0] - start) * 1000)
                if kind == "select":
                    await pilot.press("escape")
    return {
        f"sr_{kind}_repaint_ms_median": round(statistics.median(values), 2)
        for kind, values in out.items()
        if values
    }


def run(size: str, samples: int) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="wb-keys-"))
    try:
        path = build(scratch / "study", turns=8 if size == "small" else 120)
        figures: dict[str, Any] = asyncio.run(count_keys(path))
        figures.update(asyncio.run(repaint_ms(path, samples)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    targets = dict(TARGETS)
    targets.update({name: TARGET_REPAINT_MS for name in figures if name.startswith("sr_")})
    return {
        "size": size,
        "figures": figures,
        "targets": [
            {"figure": name, "target": target, "pass": bool(figures[name] <= target)}
            for name, target in targets.items()
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large"), default="large")
    parser.add_argument("--keys", type=int, default=0, help="repaint samples per key (default 10/40)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = run(args.size, args.keys or (10 if args.size == "small" else 40))
    if args.json:
        print(json.dumps(report))
        return 0
    verdicts = {t["figure"]: t["pass"] for t in report["targets"]}
    for name, value in report["figures"].items():
        verdict = verdicts.get(name)
        mark = "" if verdict is None else (" PASS" if verdict else " MISS")
        print(f"{name:<36} {value}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
