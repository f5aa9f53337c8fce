"""PagingOptionList: Textual's OptionList, whose page keys work before the list has been drawn.

Textual 8 pages through a line index it builds when the list is laid out; PageUp or PageDown on a
list that has not been laid out since its options changed (a hidden pane of a view, such as the IPA
screen's other lists) found it empty and ended the app with a KeyError (found by the keyboard fuzz
test). Then the page moves by the visible height counted
in options instead. Plugins get it as `workbench.PagingOptionList`.
"""

from __future__ import annotations

from textual.widgets import OptionList

__all__ = ["PagingOptionList"]


class PagingOptionList(OptionList):
    def action_page_up(self) -> None:
        try:
            super().action_page_up()  # type: ignore[no-untyped-call]
        except (KeyError, IndexError):  # lines not laid out yet
            self._page_by_options(-1)

    def action_page_down(self) -> None:
        try:
            super().action_page_down()  # type: ignore[no-untyped-call]
        except (KeyError, IndexError):
            self._page_by_options(1)

    def _page_by_options(self, direction: int) -> None:
        if not self.option_count:
            return
        step = max(1, self.scrollable_content_region.height)
        self.highlighted = max(0, min(self.option_count - 1, (self.highlighted or 0) + direction * step))
