"""Run the real `workbench` CLI in this process, for tests that drive many commands.

It goes through the console script's own `main` (same parser, same plugin host, same error handling as
the installed script) without paying for a new interpreter per command; `tests.cli.conftest.run` is
used where the separate process itself matters.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from workbench.cli.main import main


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def invoke(*args: str, ok: bool = True) -> Result:
    """Run ``workbench ARGS`` in-process; with `ok`, fail the test on a non-zero exit."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    result = Result(code, out.getvalue(), err.getvalue())
    if ok and code != 0:
        raise AssertionError(f"workbench {' '.join(args)} failed ({code}): {result.err}")
    return result


def run_cli(*args: str, ok: bool = True) -> str:
    """Stdout of ``workbench ARGS``; ``ok=False`` expects a failure and returns stderr instead."""
    result = invoke(*args, ok=ok)
    if not ok:
        assert result.code != 0, f"workbench {' '.join(args)} unexpectedly succeeded: {result.out}"
        return result.err
    return result.out
