"""The terminal workbench's last line of defence: no unsafe character in any line it draws.

Widgets show stored text (pseudonyms, memo titles, attributes, plugin records) in many places, and
a project written by an older version, or edited by hand, may hold escape sequences that the
terminal would obey (retitle the window, write the clipboard, clear the screen). Every line every
widget renders passes through the app's line filters (`App.get_line_filters`, public API), so one
filter there covers toasts, the palette, help and every plugin view: each unsafe character is drawn
as its `\\u001b` escape (core's `untrusted.shown`). The line keeps its width, so an escaped line is
cut at its end rather than pushing the layout.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from workbench.core.untrusted import UNSAFE, shown


class EscapeUnsafeText(LineFilter):
    """Replace unsafe characters in drawn text by visible escapes (Textual's own control segments pass)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(not segment.control and UNSAFE.search(segment.text) for segment in segments):
            return segments
        width = Segment.get_line_length(segments)
        escaped = [
            segment
            if segment.control or not UNSAFE.search(segment.text)
            else Segment(shown(segment.text, lines=False), segment.style)
            for segment in segments
        ]
        return Segment.adjust_line_length(escaped, width)
