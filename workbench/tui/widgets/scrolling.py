"""Changing what a fixed-size Line-API view scrolls over, without laying the screen out again."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView

from workbench.tui.textual_compat import update_scrollbars

__all__ = ["set_scroll_range"]


def set_scroll_range(view: ScrollView, size: Size) -> None:
    """Give `view` a new virtual size: its scroll range, and its scroll bars' thumbs.

    Assigning `virtual_size` asks for a layout pass of the whole screen, and that pass, finding the
    size changed, sets it again and asks for another: each a frame of its own after the frame that
    showed the change. A view whose own size does not depend on what it shows (a fixed or
    fractional height, as the workbench's lists and panes have) needs neither: its scroll bars are
    updated here, and they lay the view out again themselves if they appear or disappear.
    """
    if size != view.virtual_size:
        view.set_reactive(ScrollView.virtual_size, size)
        update_scrollbars(view, size)
