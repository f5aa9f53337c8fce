"""Acting on a key only after the keys typed before it: type-ahead over SSH arrives all at once."""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump

__all__ = ["after_keys"]


def after_keys(node: MessagePump, callback: Callable[[], object]) -> None:
    """Run `callback` once the keys already sent to `node` (a focused widget) have done their work.

    A priority binding (Enter in the codebook and the retrieval list, which overrides the widget's
    own Enter) runs as soon as the app reads the key, while the cursor keys typed before it (Down
    Down Enter, read in one go) still wait: they go to the focused widget and bubble from it to the
    app one queue at a time, and the app then runs their bindings. The callback follows the same
    queues behind them, so the action acts where the cursor went.
    """
    parent = node._parent
    if parent is None:  # the app: the keys' bindings have run
        node.call_later(callback)
    else:
        node.call_later(after_keys, parent, callback)
