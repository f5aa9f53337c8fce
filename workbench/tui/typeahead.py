"""Acting on a key only after the keys typed before it: type-ahead over SSH arrives all at once."""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

__all__ = ["after_keys"]


def after_keys(widget: Widget, callback: Callable[[], object]) -> None:
    """Run `callback` once the keys already sent to `widget` (the focused one) have done their work.

    A priority binding (Enter in the codebook and the retrieval list, which overrides the widget's
    own Enter) runs as soon as the app reads the key, while the cursor keys typed before it (Down
    Down Enter, read in one go) still wait: they go to the focused widget and bubble from it to the
    app one queue at a time, and the app then runs their bindings. The callback follows the same
    queues behind them, so the action acts where the cursor went. It is dropped if the widget's
    screen is no longer the one shown by then (a dialog closed by a key typed in the meantime, or
    by the same key pressed twice).
    """
    _hop(widget, widget.screen, callback)


def _hop(node: DOMNode, screen: Screen[object], callback: Callable[[], object]) -> None:
    parent = node.parent
    if parent is None:  # the app: the keys' bindings have run
        node.call_later(_if_shown, screen, callback)
    else:
        node.call_later(_hop, parent, screen, callback)


def _if_shown(screen: Screen[object], callback: Callable[[], object]) -> None:
    if screen.is_current:
        callback()
