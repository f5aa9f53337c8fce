"""The IPA screen (f7): the open case's three-column view and its clustering board, by keyboard.

Only the open case is shown (bracketing, IPA-1b): no other case's notes, statements or PETs appear in
any list. Views, cycled with ``v``:

* **text** — the three-column view (IPA-3c): notes | line no. + transcript | statements, in the
  project's column order; below 120 columns the notes and statements stack under each line. Notes carry
  their letter (``D:``/``L:``/``C:``/``F:``) *and* Smith et al.'s style (normal/italic/underlined).
* **board** — the clustering board as an ASCII tree (IPA-5a): pick a statement up (``p``), move the
  cursor, drop it into a PET or sub-theme (``i``; on "Not yet clustered" it goes back).
* **chronological**, **alphabetical**, **not yet clustered** — the IPA-5f statement lists.

=====  ===================  ===================================================================
key    id                   action
=====  ===================  ===================================================================
v      ipa.view             next view (text, board, chronological, alphabetical, not clustered)
space  ipa.mark             mark the cursor line as the start of a range (text view)
d/l/c  ipa.note_d/_l/_c     descriptive / linguistic / conceptual note on the line or range
f      ipa.note_f           free note
e      ipa.statement        experiential statement on the line or range (linked to its notes)
[ / ]  ipa.prev/next_source previous / next source of the case (repeat interviews)
p      ipa.pick             pick up the statement under the cursor
i      ipa.drop             drop the held statement into the theme under the cursor
n      ipa.new_pet          new PET (receives the held statement, if any)
s      ipa.new_sub          new sub-theme under the PET at the cursor
t      ipa.tag              technique tags (and rationale) for the theme at the cursor
S      ipa.subsume          the statement at the cursor becomes its theme's label
x      ipa.discard          discard the statement at the cursor (with a reason)
r      ipa.rename           rename the theme at the cursor
o      ipa.open_case        open (start) a case
escape ipa.close            close the screen
=====  ===================  ===================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from wb_ipa import board, cases, notes, statements
from wb_ipa import settings as settings_mod
from wb_ipa.anchors import sources_of_case
from wb_ipa.terminology import NOTE_TYPES, STATEMENT, short
from workbench import WorkbenchError

if TYPE_CHECKING:
    from workbench import Project

VIEWS = ("text", "board", "chronological", "alphabetical", "not yet clustered")
WIDE = 120
_STYLE = {"normal": "", "italic": "italic", "underline": "underline", "dim": "dim"}


class Prompt(ModalScreen[str | None]):
    """One line of text: Enter returns it, Esc returns None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="ipa.prompt_cancel")]
    DEFAULT_CSS = """
    Prompt { align: center middle; }
    Prompt > Vertical { width: 72; max-width: 100%; height: auto; border: round $primary; padding: 0 1; }
    """

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)  # titles quote names: "[x]" is no markup
            yield Input(value=self.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class IpaScreen(Screen[None]):
    """The open case's notes, statements and board; see the module docstring for keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="ipa.close"),
        Binding("v", "next_view", "View", id="ipa.view"),
        Binding("space", "mark", "Mark", id="ipa.mark", show=False),
        Binding("d", "note('D')", "D note", id="ipa.note_d"),
        Binding("l", "note('L')", "L note", id="ipa.note_l", show=False),
        Binding("c", "note('C')", "C note", id="ipa.note_c", show=False),
        Binding("f", "note('F')", "Free note", id="ipa.note_f", show=False),
        Binding("e", "statement", "Statement", id="ipa.statement"),
        Binding("left_square_bracket", "source(-1)", "Prev source", id="ipa.prev_source", show=False),
        Binding("right_square_bracket", "source(1)", "Next source", id="ipa.next_source", show=False),
        Binding("p", "pick", "Pick up", id="ipa.pick"),
        Binding("i", "drop", "Drop into", id="ipa.drop"),
        Binding("n", "new_pet", "New PET", id="ipa.new_pet"),
        Binding("s", "new_sub", "Sub-theme", id="ipa.new_sub", show=False),
        Binding("t", "tag", "Tag", id="ipa.tag", show=False),
        Binding("S", "subsume", "Subsume", id="ipa.subsume", show=False),
        Binding("x", "discard", "Discard", id="ipa.discard", show=False),
        Binding("r", "rename", "Rename", id="ipa.rename", show=False),
        Binding("o", "open_case", "Open case", id="ipa.open_case", show=False),
    ]
    DEFAULT_CSS = """
    IpaScreen #ipa-header { height: 1; text-style: bold; }
    IpaScreen #ipa-status { height: 1; }
    IpaScreen OptionList { height: 1fr; border: none; }
    """

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.view = "text"
        self.source_index = 0
        self.mark: int | None = None
        self.held: str | None = None
        self.items: list[tuple[str, Any]] = []  # per option: ("line", ordinal) | ("statement", id) | ...

    # -- layout ----------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="ipa-header")
        yield OptionList(id="ipa-list")
        yield Static(id="ipa-status")
        yield Footer()

    def on_mount(self) -> None:
        self.rebuild()

    def on_resize(self, _event: events.Resize) -> None:
        self.rebuild()

    @property
    def case(self) -> cases.Case | None:
        return cases.current(self.project)

    @property
    def source(self) -> str | None:
        case = self.case
        if case is None:
            return None
        found = sources_of_case(self.project, case.participant)
        return found[self.source_index % len(found)] if found else None

    def rebuild(self) -> None:
        """Rebuild the list from the project (never cached across operations), keeping the cursor."""
        listing = self.query_one("#ipa-list", OptionList)
        keep = listing.highlighted or 0
        listing.clear_options()
        self.items = []
        case = self.case
        term = settings_mod.load(self.project).terminology
        if case is None:
            self.query_one("#ipa-header", Static).update("IPA · no case is open — press o to open one")
            self._status()
            return
        header = f"IPA · {case.participant} {case.pseudonym} · {case.status} · view: {self.view}"
        if self.view == "text":
            header += f" · {self.source} · notes | line + transcript | {short(STATEMENT, term).lower()}"
        self.query_one("#ipa-header", Static).update(header)
        options = self._text_options() if self.view == "text" else self._board_options(case.participant)
        listing.add_options(options)
        if options:
            listing.highlighted = min(keep, len(options) - 1)
        self._status()

    def _status(self) -> None:
        held = f"holding {self.held} · " if self.held else ""
        mark = f"range from line {self.mark} · " if self.mark is not None else ""
        self.query_one("#ipa-status", Static).update(f"{held}{mark}v view · p pick up · i drop · esc close")

    def _note_text(self, found: list[notes.Note]) -> Text:
        text = Text()
        for i, note in enumerate(found):
            if i:
                text.append("  ")
            style = _STYLE[NOTE_TYPES[note.type][2]]
            text.append(f"{note.type}: ", style="bold")
            text.append(note.text, style=style)
        return text

    def _text_options(self) -> list[Option]:
        source = self.source
        assert source is not None
        version, record = self.project.current_text(source)
        by_line = notes.by_line(self.project, source)
        said: dict[int, list[str]] = {}
        for statement in statements.all_statements(
            self.project, case=self.case.participant if self.case else None
        ):
            if statement.anchor.source == source and statement.anchor.version == version:
                said.setdefault(statements.first_line(self.project, statement), []).append(statement.text)
        wide = self.size.width >= WIDE
        notes_first = settings_mod.load(self.project).column_order == "notes-first"
        options = []
        for line in record.linemap.lines:
            words = record.text[line.start : line.end].rstrip()
            marker = "▸" if self.mark == line.ordinal else " "
            middle = Text(f"{marker}{line.number:>5}  {words}")
            note_text = self._note_text(by_line.get(line.ordinal, []))
            statement_text = Text("; ".join(f"⟶ {s}" for s in said.get(line.ordinal, [])))
            if wide:
                left, right = (note_text, statement_text) if notes_first else (statement_text, note_text)
                row = Text()
                row.append_text(_fit(left, 30))
                row.append(" │ ")
                row.append_text(_fit(middle, 80))
                row.append(" │ ")
                row.append_text(right)
            else:
                row = middle
                for extra in (note_text, statement_text) if notes_first else (statement_text, note_text):
                    if extra.plain:
                        row.append("\n        ")
                        row.append_text(extra)
            options.append(Option(row))
            self.items.append(("line", line.ordinal))
        return options

    def _board_options(self, case: str) -> list[Option]:
        if self.view == "board":
            return self._tree_options(case)
        found = statements.all_statements(self.project, case=case)
        if self.view == "alphabetical":
            found.sort(key=lambda s: s.text.casefold())
        elif self.view == "not yet clustered":
            found = [s for s in found if s.cluster is None and not s.excluded]
        options = []
        for statement in found:
            held = "✋ " if statement.id == self.held else ""
            options.append(Option(f"{held}{statements.card(self.project, statement)}"))
            self.items.append(("statement", statement.id))
        return options

    def _tree_options(self, case: str) -> list[Option]:
        names = board.labels(self.project, case)
        options: list[Option] = []

        def card(statement: statements.Statement, indent: str) -> None:
            held = "✋ " if statement.id == self.held else ""
            options.append(Option(f"{indent}{held}· {statements.card(self.project, statement)}"))
            self.items.append(("statement", statement.id))

        subs = board.themes(self.project, case=case, levels=("pet-subtheme",))
        for pet in board.themes(self.project, case=case, levels=("pet",)):
            count = board.numeration(self.project, board.members(self.project, pet))
            tags = f"  ← {', '.join(pet.techniques)}" if pet.techniques else ""
            options.append(Option(f"▣ {names[pet.id]}. {pet.name}  ({count}){tags}"))
            self.items.append(("theme", pet.id))
            for statement in board.members(self.project, pet, deep=False):
                card(statement, "   ")
            for sub in (s for s in subs if s.parent == pet.id):
                inner = board.members(self.project, sub, deep=False)
                sub_tags = f"  ← {', '.join(sub.techniques)}" if sub.techniques else ""
                count = board.numeration(self.project, inner)
                options.append(Option(f"   ▢ {names[sub.id]} {sub.name}  ({count}){sub_tags}"))
                self.items.append(("theme", sub.id))
                for statement in inner:
                    card(statement, "      ")
        waiting = [s for s in statements.all_statements(self.project, case=case) if s.cluster is None]
        options.append(Option(f"○ Not yet clustered ({sum(not s.excluded for s in waiting)})"))
        self.items.append(("unclustered", None))
        for statement in waiting:
            card(statement, "   ")
        return options

    # -- helpers ---------------------------------------------------------------------------------------
    def _cursor(self) -> tuple[str, Any]:
        index = self.query_one("#ipa-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.items):
            return ("none", None)
        return self.items[index]

    def _do(self, change: Callable[[], object], done: str = "") -> None:
        """Run one project change; errors become notifications; the list is rebuilt either way."""
        try:
            change()
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
        else:
            if done:
                self.notify(done)
        self.rebuild()

    def _ask(self, title: str, then: Callable[[str], None], value: str = "") -> None:
        def answered(result: str | None) -> None:
            if result:
                then(result)

        self.app.push_screen(Prompt(title, value), answered)

    def _lines(self) -> str | None:
        kind, ordinal = self._cursor()
        if kind != "line":
            self.notify("move to a transcript line in the text view (v)", severity="warning")
            return None
        first, last = sorted((self.mark or ordinal, ordinal))
        return f"{first}-{last}"

    # -- actions ---------------------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.rebuild()

    def action_mark(self) -> None:
        kind, ordinal = self._cursor()
        if kind == "line":
            self.mark = None if self.mark == ordinal else ordinal
            self.rebuild()

    def action_source(self, step: int) -> None:
        self.source_index += step
        self.mark = None
        self.rebuild()

    def action_note(self, letter: str) -> None:
        lines, source = self._lines(), self.source
        if lines is None or source is None:
            return
        kind = NOTE_TYPES[letter][1]

        def add(text: str) -> None:
            self.mark = None
            self._do(
                lambda: notes.add(self.project, source, lines, letter, text), f"{letter} note on {lines}"
            )

        self._ask(f"{kind} note on lines {lines}", add)

    def action_statement(self) -> None:
        lines, source = self._lines(), self.source
        if lines is None or source is None:
            return
        first, last = (int(n) for n in lines.split("-"))
        linked = [
            n.id
            for ordinal, found in notes.by_line(self.project, source).items()
            if first <= ordinal <= last
            for n in found
        ]

        def add(text: str) -> None:
            self.mark = None
            self._do(
                lambda: statements.add(self.project, source, lines, text, note_ids=linked),
                f"statement on {lines} ({len(linked)} notes linked)",
            )

        self._ask(f"Experiential statement on lines {lines} (from {len(linked)} notes)", add)

    def action_pick(self) -> None:
        kind, ident = self._cursor()
        if kind != "statement":
            self.notify("move to a statement card to pick it up", severity="warning")
            return
        self.held = ident
        self.rebuild()

    def action_drop(self) -> None:
        kind, ident = self._cursor()
        held = self.held
        if held is None:
            self.notify("pick up a statement first (p)", severity="warning")
            return
        if kind not in ("theme", "unclustered"):
            self.notify("move to a PET, a sub-theme or 'Not yet clustered' to drop", severity="warning")
            return
        self.held = None
        self._do(lambda: board.move(self.project, held, ident), f"{held} dropped")

    def action_new_pet(self) -> None:
        case = self.case
        if case is None:
            return
        held = self.held

        def make(name: str) -> None:
            def change() -> None:
                theme = board.create(self.project, case.participant, name)
                if held:
                    board.move(self.project, held, theme)
                    self.held = None

            self._do(change, f"new PET {name!r}")

        self._ask("Name the new PET", make)

    def action_new_sub(self) -> None:
        case = self.case
        kind, ident = self._cursor()
        if case is None or kind != "theme" or board.get(self.project, ident).level != "pet":
            self.notify("move to a PET to add a sub-theme under it", severity="warning")
            return
        held = self.held

        def make(name: str) -> None:
            def change() -> None:
                theme = board.create(self.project, case.participant, name, parent=ident)
                if held:
                    board.move(self.project, held, theme)
                    self.held = None

            self._do(change, f"new sub-theme {name!r}")

        self._ask("Name the new sub-theme", make)

    def action_tag(self) -> None:
        kind, ident = self._cursor()
        if kind != "theme":
            self.notify("move to a PET or sub-theme to tag it", severity="warning")
            return

        def tag(answer: str) -> None:
            tags, _, rationale = answer.partition("|")
            self._do(lambda: board.tag(self.project, ident, tags.split(","), rationale), "tagged")

        self._ask(
            "Techniques, comma-separated (abstraction, subsumption, polarisation, ...) | rationale", tag
        )

    def action_subsume(self) -> None:
        kind, ident = self._cursor()
        statement = statements.get(self.project, ident) if kind == "statement" else None
        if statement is None or statement.cluster is None:
            self.notify("move to a clustered statement to make it its theme's label", severity="warning")
            return
        cluster = statement.cluster
        self._do(lambda: board.subsume(self.project, cluster, ident), "subsumed")

    def action_discard(self) -> None:
        kind, ident = self._cursor()
        if kind != "statement":
            self.notify("move to a statement to discard it", severity="warning")
            return
        self._ask(
            "Why discard this statement?",
            lambda reason: self._do(lambda: statements.discard(self.project, ident, reason), "discarded"),
        )

    def action_rename(self) -> None:
        kind, ident = self._cursor()
        if kind != "theme":
            self.notify("move to a theme to rename it", severity="warning")
            return
        current = board.get(self.project, ident).name
        self._ask("New name", lambda name: self._do(lambda: board.rename(self.project, ident, name)), current)

    def action_open_case(self) -> None:
        waiting = [c.participant for c in cases.all_cases(self.project) if c.status != cases.COMPLETE]
        self._ask(
            "Open which case?",
            lambda case: self._do(lambda: cases.start(self.project, case), f"{case} is open"),
            waiting[0] if waiting else "",
        )


def _fit(text: Text, width: int) -> Text:
    """Pad or cut a styled cell to `width` cells."""
    out = text.copy()
    out.truncate(width, overflow="ellipsis", pad=True)
    return out
