"""F1 / ?: every key of the view it was opened from, grouped by where the binding lives."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from workbench.tui.commands import binding_rows


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, target: Screen[object]) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(
                f"Keys — {self.target.__class__.__name__.removesuffix('Screen')} view", id="help-title"
            )
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Esc closes · ctrl+p searches every action · keys can be remapped by id", id="help-hint"
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Action", "Id")
        rows = sorted(binding_rows(self.target), key=lambda r: (r[2].binding.id or "").split(".")[0] != "app")
        for description, key, active in rows:
            table.add_row(key, description, active.binding.id or "")
        table.focus()

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
