"""Record ids as people read them: S2 before S10, P02 before P10, C9 before C305."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["natural_key"]


@lru_cache(maxsize=8192)
def natural_key(value: str) -> tuple[str, int, str]:
    """Sort key of an id: its letters, then its trailing number as a number, then the id itself.

    Cached: lists of thousands of segments and codings are sorted by their ids on every view.
    """
    head = value.rstrip("0123456789")
    tail = value[len(head) :]
    return (head, int(tail) if tail else -1, value)
