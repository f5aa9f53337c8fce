"""Whether this process keeps its long-lived data out of the cyclic garbage collector's way.

A long-running host (the terminal workbench) loads a study of about a million small containers and
freezes them (``gc.freeze``: skipped by every collection, still freed by reference counting), so a
full collection does not land in the middle of a keystroke. Code that pauses the collector for a bulk
build must then not ``gc.unfreeze`` (which would hand the whole study back to the next full collection)
and needs to know cheaply whether the host froze: ``gc.get_freeze_count`` walks the frozen objects
(~15 ms for a large study), so the host says so here instead.
"""

from __future__ import annotations

import gc

_host_freezes = False


def freeze_long_lived() -> None:
    """Freeze everything tracked now as long-lived, and remember that this process does so."""
    global _host_freezes
    _host_freezes = True
    gc.freeze()


def host_freezes() -> bool:
    """True once the host has frozen its long-lived data (`freeze_long_lived`)."""
    return _host_freezes
