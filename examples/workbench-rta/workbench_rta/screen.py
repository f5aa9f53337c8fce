"""The themes screen (key F10): candidate themes, their extracts, review and definition, and the journal.

Layout (fits 80x24): a status line (current phase; the no-coefficients policy), the theme list on the left
(status glyph ? ~ ✓ ✗, name, number of codes; subthemes indented), and on the right the highlighted theme's
central organising concept and definition above its extracts with citations. One input line at the bottom
serves the keys that need words. Keys (each binding has an id):

=======  ===========  ==============================================================
key      id           action
=======  ===========  ==============================================================
n        rta.new      new candidate theme: type ``Name: central organising concept``
r        rta.review   mark the highlighted theme reviewed (phase 4)
x        rta.discard  discard it (kept for the audit trail)
d        rta.define   write its definition and mark it defined (phase 5)
j        rta.journal  write a reflexivity journal entry linked to it
p        rta.phase    move the analysis on to the next phase
escape   rta.close    close the input line, else the screen
=======  ===========  ==============================================================

Every change is one Project operation (so ``u`` undoes it in the workbench); a refused change becomes an
error notification. Textual is imported here only; the TUI imports this module when the screen opens.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from workbench import Project, WorkbenchError

from .journal import write_entry
from .phases import current_phase, enter_phase
from .themes import Theme, ThemeChange, add_theme, change_theme, extracts, themes
from .vocab import PHASES

_PROMPTS = {
    "new": "new theme — Name: central organising concept (enter saves, esc cancels)",
    "define": "definition: what is this theme about? (enter saves and marks it defined)",
    "journal": "reflexivity journal: what are you noticing about your own part? (enter saves)",
}


class ThemesScreen(Screen[None]):
    """Reflexive TA themes over one project; see the module docstring for the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="rta.close", tooltip="Close the input line, else this screen"),
        Binding("n", "ask('new')", "New theme", id="rta.new", tooltip="Name: central organising concept"),
        Binding("r", "status('reviewed')", "Reviewed", id="rta.review", tooltip="Mark the theme reviewed"),
        Binding("x", "status('discarded')", "Discard", id="rta.discard", tooltip="Set the theme aside"),
        Binding("d", "ask('define')", "Define", id="rta.define", tooltip="Define the theme (phase 5)"),
        Binding("j", "ask('journal')", "Journal", id="rta.journal", tooltip="Reflexivity journal entry"),
        Binding("p", "next_phase", "Next phase", id="rta.phase", tooltip="Move on to the next phase"),
    ]
    DEFAULT_CSS = """
    ThemesScreen #rta-status { height: 1; }
    ThemesScreen #rta-themes { width: 30; height: 1fr; }
    ThemesScreen #rta-right { width: 1fr; }
    ThemesScreen #rta-detail { height: 3; }
    ThemesScreen DataTable { height: 1fr; }
    ThemesScreen #rta-input { display: none; dock: bottom; }
    ThemesScreen.-asking #rta-input { display: block; }
    """

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.asking = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="rta-status")
        with Horizontal():
            yield OptionList(id="rta-themes")
            with Vertical(id="rta-right"):
                yield Static("", id="rta-detail")
                yield DataTable(id="rta-extracts", cursor_type="row")
        yield Input(id="rta-input")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rta-extracts", DataTable).add_columns("Citation", "Code", "Extract")
        self.refresh_themes()
        self.query_one("#rta-themes", OptionList).focus()

    # -- showing -----------------------------------------------------------------------------------------
    def refresh_themes(self, keep: str | None = None) -> None:
        phase = current_phase(self.project)
        self.query_one("#rta-status", Static).update(f"Phase {phase.title} · no inter-coder coefficients")
        options = self.query_one("#rta-themes", OptionList)
        keep = keep or self.theme_id()
        options.clear_options()
        every = themes(self.project)
        options.add_options(
            Option(
                f"{'  ' if t.parent else ''}{t.glyph} {t.name} ({len(t.codes)})",
                id=t.id,
            )
            for t in every
        )
        ids = [t.id for t in every]
        if ids:
            options.highlighted = ids.index(keep) if keep in ids else 0
        self.show_theme()

    def theme_id(self) -> str | None:
        options = self.query_one("#rta-themes", OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        return options.get_option_at_index(options.highlighted).id

    def theme(self) -> Theme | None:
        wanted = self.theme_id()
        return next((t for t in themes(self.project) if t.id == wanted), None)

    def show_theme(self) -> None:
        theme = self.theme()
        table = self.query_one("#rta-extracts", DataTable)
        table.clear()
        detail = self.query_one("#rta-detail", Static)
        if theme is None:
            detail.update("No themes yet: n creates a candidate theme (Name: central organising concept)")
            return
        detail.update(
            f"{theme.glyph} {theme.status}: {theme.concept}\n"
            f"Definition: {theme.definition or '(not yet defined: d)'}"
        )
        for extract in extracts(self.project, theme):
            table.add_row(extract.citation, extract.code, extract.text, key=extract.segment)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_theme()

    # -- changing ----------------------------------------------------------------------------------------
    def action_ask(self, what: str) -> None:
        if what != "new" and self.theme_id() is None:
            self.notify("create a theme first (n)", severity="warning")
            return
        self.asking = what
        field = self.query_one("#rta-input", Input)
        field.placeholder = _PROMPTS[what]
        field.value = ""
        self.add_class("-asking")
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        theme_id = self.theme_id()
        try:
            if self.asking == "new":
                name, colon, concept = text.partition(":")
                if not colon:
                    self.notify(
                        "type the name, a colon, then the central organising concept", severity="error"
                    )
                    return
                theme_id = add_theme(self.project, name, concept)
                self.notify(f"candidate theme {theme_id} created")
            elif self.asking == "define" and theme_id:
                change_theme(self.project, theme_id, ThemeChange(definition=text, status="defined"))
            elif self.asking == "journal":
                links = [f"record:{theme_id}"] if theme_id else []
                memo = write_entry(self.project, text, links=links)
                self.notify(f"journal entry {memo} saved")
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self._close_input()
        self.refresh_themes(keep=theme_id)

    def action_status(self, status: str) -> None:
        theme_id = self.theme_id()
        if theme_id is None:
            self.notify("create a theme first (n)", severity="warning")
            return
        try:
            change_theme(self.project, theme_id, ThemeChange(status=status))
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_themes(keep=theme_id)

    def action_next_phase(self) -> None:
        ids = [step.id for step in PHASES]
        position = ids.index(current_phase(self.project).id)
        if position == len(ids) - 1:
            self.notify(
                "already writing up: move back with `workbench rta phase DIR PHASE`", severity="warning"
            )
            return
        try:
            enter_phase(self.project, ids[position + 1])
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_themes()

    def _close_input(self) -> None:
        self.asking = ""
        self.remove_class("-asking")
        self.query_one("#rta-themes", OptionList).focus()

    def action_close(self) -> None:
        if self.asking:
            self._close_input()
        else:
            self.dismiss(None)


def open_themes(project: Project) -> ThemesScreen:
    """The view factory the TUI calls (``factory(project)``)."""
    return ThemesScreen(project)
