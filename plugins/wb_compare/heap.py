"""Keeping the cyclic garbage collector off the two studies' data while a comparison is open.

Opening a large study loads about a million small containers (the project file's documents and the
core's indexes) in one go. CPython's collector then scans all of them at its next young-generation
pass, again at the middle generation and again at the next full collection — about 0.3 s per open on a
400-code study, paid at whatever allocation happens to trigger it (in the benchmark, while the concept
inventories are built). That data is never cyclic garbage while the comparison is open: it is freed by
reference counting, or with the studies once they are closed.

So the comparison opens its studies with the collector paused and then *freezes* what is tracked
(``gc.freeze``: moved to the permanent generation, skipped by every collection, still freed by reference
counting). When the last open comparison closes, everything is unfrozen, so any cycle that became
garbage meanwhile (a closed study's project and store refer to each other) is collected as usual.
Frozen memory is never leaked — it is only not *scanned* until then.

The host may have frozen its own long-lived data first (the TUI freezes its open project). Then the
last release collects once — the closed studies, now garbage, with it — and freezes again, leaving the
host's data frozen as it was (one full collection when the f9 screen closes, instead of keeping the
closed studies in memory).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_holders = 0  # open comparisons holding the heap frozen
_host_froze = False  # whether something else had frozen objects before the first comparison held


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector for a bulk load (restored as it was, whatever happens)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def hold() -> None:
    """Freeze everything tracked now; the studies just loaded are no longer scanned."""
    global _holders, _host_froze
    if _holders == 0:
        _host_froze = gc.get_freeze_count() > 0
    _holders += 1
    gc.freeze()


def release() -> None:
    """One comparison closed: when none is left open, unfreeze so pending cycles are collected again
    (collected at once and the rest frozen again, if the host had frozen its own data)."""
    global _holders
    if _holders == 0:
        return
    _holders -= 1
    if _holders == 0:
        gc.unfreeze()
        if _host_froze:
            gc.collect()
            gc.freeze()


def holders() -> int:
    """How many open comparisons hold the heap frozen (for tests)."""
    return _holders
