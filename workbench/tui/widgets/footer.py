"""KeyFooter: the latest message, and the key hints of the current view, as two lines drawn by one widget.

The message line is where every notification goes (`WorkbenchApp.notify`): always in the same place,
one line, never over the status line or a dialog the way a floating toast is, and where a screen
reader can be pointed at it. `F2` lists the earlier ones.

Textual's stock `Footer` recomposes a widget per key every time the bindings change (each focus
change, each screen switch): on the workbench's views that was 40 widgets mounted and styled per
switch, the largest cost of showing the codebook (~0.4 s of the 0.5 s measured in bench/tui.py).
This footer renders the same information — key and description, the command palette key on the right
— as a single line, so a bindings change costs one repaint. Clicking a key still runs its action.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widget import Widget

__all__ = ["KeyFooter"]


class KeyFooter(Widget):
    """Docked at the bottom of a screen; repaints (never recomposes) when its bindings change."""

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 2;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []  # (first cell, end cell, action) for mouse clicks
        self._shown: tuple[object, ...] = ()  # `_signature()` of what was last rendered

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        """Repaint only if what the footer shows changed: Textual signals a change on every focus
        change and every return to the screen (after each dialog), mostly with the same keys."""
        if screen is self.screen and self._signature(screen.active_bindings) != self._shown:
            self.refresh()

    def _signature(self, active: Mapping[str, ActiveBinding]) -> tuple[object, ...]:
        return (
            self.app.current_theme.name,
            self.size.width,
            *((key, b.binding.description, b.binding.show, b.enabled) for key, b in active.items()),
        )

    def render(self) -> RenderResult:
        app = self.app
        active = self.screen.active_bindings
        self._shown = self._signature(active)
        key_style = self.app.current_theme.variables.get("footer-key-foreground", "") or "bold"
        message = getattr(app, "last_announcement", None)
        shown = Text(no_wrap=True)
        if message is not None:
            shown.append(f" {message.text}", style="bold" if message.severity != "information" else "")
            shown.truncate(max(self.size.width, 1), overflow="ellipsis")
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        hint = (
            f" {app.get_key_display(palette.binding)} {palette.binding.description or 'palette'} "
            if palette
            else ""
        )
        room = self.size.width - cell_len(hint)
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        seen: set[str] = set()
        for _key, (_node, binding, enabled, _tooltip) in active.items():
            if not binding.show or binding.action in seen or _key == app.COMMAND_PALETTE_BINDING:
                continue
            seen.add(binding.action)
            key = f" {app.get_key_display(binding)} "
            if line.cell_len + cell_len(key) + cell_len(binding.description) > room:
                break  # whole entries only: a key cut mid-word reads as another key (F1 lists them all)
            start = line.cell_len
            line.append(key, style=f"bold {key_style}" if enabled else "dim")
            line.append(binding.description, style="" if enabled else "dim")
            self._spans.append((start, line.cell_len, binding.action))
        if palette is not None and line.cell_len <= room:
            line.append(" " * (room - line.cell_len))
            self._spans.append((room, self.size.width, palette.binding.action))
            line.append(hint, style="bold")
        both = Text(no_wrap=True, overflow="crop")
        both.append_text(shown)
        both.append("\n")
        both.append_text(line)
        return both

    async def on_click(self, event: events.Click) -> None:
        """Mouse works, but is never required: a click on a key hint runs its action."""
        if event.y != 1:
            return
        for start, end, action in self._spans:
            if start <= event.x < end:
                await self.app.run_action(action, self.screen.focused or self.screen)
                return
