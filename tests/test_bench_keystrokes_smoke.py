"""The keystroke benchmark still runs: every coding task is done by its counted keys, every figure reported.

`bench/keystrokes.py --size small --json` drives the real app through each coding task and fails if a
task's keys did not make its coding, so a binding change that breaks the counted path is caught here.
"""

from __future__ import annotations

import pytest

from tests.benchsmoke import small_report

FIGURES = (
    "existing_sentence_keys",
    "existing_sentence_command_keys",
    "existing_line_keys",
    "repeat_sentence_keys",
    "repeat_line_keys",
    "create_sentence_keys",
    "sr_line_repaint_ms_median",
    "sr_select_repaint_ms_median",
)


@pytest.mark.slow
def test_the_small_keystroke_benchmark_reports_every_figure() -> None:
    report = small_report("keystrokes.py", FIGURES, timeout=240)
    assert report["figures"]["existing_sentence_command_keys"] <= 4  # S, c, Enter around the letters
    assert report["figures"]["repeat_line_keys"] == 1
