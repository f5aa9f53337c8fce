"""F1 / ?: how to work in the view it was opened from, then its keys, then the keys that work everywhere.

Written for someone new to the view: the basic loop first (a view says it in `HELP_INTRO`), then the
view's own keys (its widgets' movement and selection keys included), then the app's. It is one column
of text that wraps, so nothing scrolls sideways at 80 columns and a screen reader reads it top to
bottom; binding ids (for remapping in keymap.toml) are shown on request, not in everyone's way.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from workbench.tui.commands import binding_rows

EVERYWHERE = "Everywhere"


class HelpEntry(NamedTuple):
    section: str  # "This view" or "Everywhere"
    key: str
    description: str
    id: str


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close"),
        Binding("i", "toggle_ids", "Binding ids", id="help.ids"),
    ]

    def __init__(self, target: Screen[object]) -> None:
        super().__init__()
        self.target = target
        self.show_ids = False
        self.entries = _entries(target)

    @property
    def view_name(self) -> str:
        return str(
            getattr(self.target, "HELP_NAME", "") or self.target.__class__.__name__.removesuffix("Screen")
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(Text(f"Help — {self.view_name} view"), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(self.body(), id="help-body")
            yield Static(
                Text("Esc closes · ↑↓ PgUp PgDn scroll · i shows binding ids · ctrl+p searches every action"),
                id="help-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def body(self) -> Text:
        text = Text()
        intro = str(getattr(self.target, "HELP_INTRO", "") or "")
        if intro:
            text.append(" ".join(intro.split()) + "\n\n")  # one paragraph: it wraps to the box
        width = min(16, max((len(e.key) for e in self.entries), default=4))
        section = ""
        for entry in self.entries:
            if entry.section != section:
                section = entry.section
                text.append(("\n" if text else "") + f"{section}\n", "bold")
            text.append(f"  {entry.key:<{width}} ", "bold")
            text.append(entry.description)
            if self.show_ids and entry.id:
                text.append(f"  ({entry.id})", "dim")
            text.append("\n")
        return text

    def action_toggle_ids(self) -> None:
        self.show_ids = not self.show_ids
        self.query_one("#help-body", Static).update(self.body())

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


def _entries(target: Screen[object]) -> list[HelpEntry]:
    """The view's keys first, then the app's, each in the order the view declares them."""
    own: list[HelpEntry] = []
    everywhere: list[HelpEntry] = []
    for description, key, active in binding_rows(target):
        ident = active.binding.id or ""
        if ident.split(".")[0] == "app":
            everywhere.append(HelpEntry(EVERYWHERE, key, description, ident))
        else:
            own.append(HelpEntry("This view", key, description, ident))
    return [*own, *everywhere]
