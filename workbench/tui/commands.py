"""The command palette (ctrl+p) holds every action of the current view, with its key.

Built from the live bindings, so an action added to any screen (or a plugin view) appears here
and in the help screen without a second list to keep in step.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import ActiveBinding
from textual.command import DiscoveryHit, Hit, Hits, Provider
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

    def _run(self, active: ActiveBinding) -> None:
        self.app.call_later(self.app.run_action, active.binding.action, active.node)

    async def discover(self) -> Hits:
        for description, key, active in self._commands():
            yield DiscoveryHit(
                f"{description}  [{key}]", partial(self._run, active), help=active.binding.tooltip
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, key, active in self._commands():
            text = f"{description}  [{key}]"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(text), partial(self._run, active), help=active.binding.tooltip
                )
