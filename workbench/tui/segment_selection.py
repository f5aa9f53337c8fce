"""What the retrieval view lists instead of a query's hits: the segments behind a matrix cell.

A plain value of its own module, so the app (which holds the one to show next) and the matrix view
(which makes it) need not import the retrieval view (which shows it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentSelection:
    """Given segments to list instead of a query's hits: the segments behind a matrix cell."""

    title: str
    """What they are, as the status line says it: "Holding hope ∩ Trust"."""
    codes: tuple[str, ...]
    """The code ids whose codings of those segments are listed (a matrix row's code, or its subtree)."""
    segments: frozenset[str]
    """The segment ids."""
    back: str | None = None
    """The view (app mode) Esc goes back to."""
