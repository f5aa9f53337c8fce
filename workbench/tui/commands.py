"""The command palette (ctrl+p) holds every action of the current view, with its key.

Built from the live bindings, so an action added to any screen (or a plugin view) appears here
and in the help screen without a second list to keep in step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import ClassVar

from textual.await_complete import AwaitComplete
from textual.binding import ActiveBinding, Binding, BindingType
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.fuzzy import Matcher
from textual.screen import Screen


def binding_rows(screen: Screen[object]) -> Iterator[tuple[str, str, ActiveBinding]]:
    """(description, key shown to the user, binding) for every action reachable on `screen`."""
    seen: set[tuple[int, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        ident = (id(active.node), binding.action)
        # Only the workbench's own bindings (they all carry an id); widget internals such as a
        # table's cursor keys are standard and would bury the researcher's actions.
        if ident in seen or not binding.id or binding.action == "command_palette":
            continue
        seen.add(ident)
        description = binding.description or binding.action
        yield description, screen.app.get_key_display(binding) or key, active


class WorkbenchCommands(Provider):
    """Every bound action of the screen the palette was opened from."""

    def _commands(self) -> list[tuple[str, str, ActiveBinding]]:
        return sorted(binding_rows(self.screen), key=lambda row: row[0].casefold())

    def _entries(self) -> list[tuple[str, Callable[[], None], str | None]]:
        """(text, callback, help): bound actions, then plugin screens that have no key of their own."""
        entries: list[tuple[str, Callable[[], None], str | None]] = [
            (
                f"{description}  [{key}]",
                partial(self._run, active.binding.action, active.node),
                active.binding.tooltip,
            )
            for description, key, active in self._commands()
        ]
        for name, title in getattr(self.app, "unbound_views", []):
            entries.append((f"Open {title}", partial(self._run, f"plugin_view({name!r})", self.app), None))
        return entries

    def _run(self, action: str, node: DOMNode) -> None:
        """Run the chosen action once: Enter typed twice ahead chose it twice (a second undo...)."""
        if getattr(self, "_fired", False):
            return
        self._fired = True
        self.app.call_later(self.app.run_action, action, node)

    async def discover(self) -> Hits:
        for text, callback, help_text in self._entries():
            yield DiscoveryHit(Content(text), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._entries():
            # The tooltip counts too, at a lower score: "descriptive" finds `D note` ("Descriptive
            # exploratory note ...").
            score = matcher.match(text) or (matcher.match(help_text) / 2 if help_text else 0)
            if score > 0:
                yield Hit(score, highlight(matcher, text), callback, text=text, help=help_text)


def highlight(matcher: Matcher, text: str) -> Content:
    """`text` with the letters the query matched highlighted, as plain text: never parsed as markup.

    Textual's own `Matcher.highlight` reads its candidate as markup, so an entry such as
    `Query  [/]` (the key `/`), or a plugin view titled with a `[`, ended the app with a MarkupError.
    """
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class WorkbenchPalette(CommandPalette):
    """Textual's command palette, answering once (see `Dialog`): a second Enter typed ahead dismissed
    it again, which popped the view under it and ended the app. Its page keys also work while its
    list is still hidden (Textual's page move read lines not laid out: a KeyError, see lists.py)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: Textual's own palette bindings for these keys come first otherwise
        Binding("pagedown", "page_commands(1)", "Next page", show=False, priority=True),
        Binding("pageup", "page_commands(-1)", "Previous page", show=False, priority=True),
    ]

    def action_page_commands(self, direction: int) -> None:
        commands = self.query_one(CommandList)
        if not commands.display or not commands.visible or not commands.option_count:
            return  # nothing shown to page through
        try:
            commands.action_page_down() if direction > 0 else commands.action_page_up()  # type: ignore[no-untyped-call]
        except (KeyError, IndexError):  # not laid out yet
            step = max(1, commands.scrollable_content_region.height) * direction
            commands.highlighted = max(0, min(commands.option_count - 1, (commands.highlighted or 0) + step))

    def dismiss(self, result: None = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete()
        return super().dismiss(result)
