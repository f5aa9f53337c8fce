"""The IPA screen (f7): the open case's three-column view and its clustering board, by keyboard.

Only the open case is shown (bracketing, IPA-1b): no other case's notes, statements or PETs appear in
any list. With no case open the screen lists the cases (id, pseudonym, status): Enter opens the one under
the cursor, ``o`` opens a filterable list that also takes a typed id or pseudonym. A case whose PETs are
complete reopens as a logged revisit (IPA-7); starting a new case offers the "before next case"
reflexive prompt (IPA-1c). Views, cycled with ``v``:

* **text** — the three-column view (IPA-3c): notes | line no. + transcript | statements, in the
  project's column order; below 120 columns the notes and statements stack under each line. Notes carry
  their letter (``D:``/``L:``/``C:``/``F:``) *and* Smith et al.'s style (normal/italic/underlined).
* **board** — the clustering board as an ASCII tree (IPA-5a): pick a statement up (``p``), move the
  cursor, drop it into a PET or sub-theme (``i``; on "Not yet clustered" it goes back).
* **chronological**, **alphabetical**, **not yet clustered** — the IPA-5f statement lists.

Every action is bound on the screen, so the help screen and the command palette list all of them in
every view; the list of the current view binds the same keys again with ``show=True``, so the footer
shows the keys of the view in front of the researcher (at 80 columns there is no room for all of them).

=====  ===================  ===================================================================
key    id                   action
=====  ===================  ===================================================================
o      ipa.open_case        open a case: a filterable list of the cases (id or pseudonym)
a      ipa.next_step        move the open case to its next step (PETs complete locks it)
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

from wb_ipa import board, cases, lifecycle, notes, statements
from wb_ipa import settings as settings_mod
from wb_ipa.anchors import sources_of_case
from wb_ipa.terminology import NOTE_TYPES, PET, STATEMENT, TECHNIQUES, label, short
from workbench import PagingOptionList, WorkbenchError

if TYPE_CHECKING:
    from workbench import Project

VIEWS = ("text", "board", "chronological", "alphabetical", "not yet clustered")
WIDE = 120
_STYLE = {"normal": "", "italic": "italic", "underline": "underline", "dim": "dim"}

#: What the hint line says in each state: the keys that matter there, in words.
HINTS = {
    "cases": "↑↓ choose a case · enter opens it · o finds one by id or pseudonym · esc close",
    "text": "space marks a range · d l c f note · e statement · [ ] source · v next view",
    "board": "p pick up · i drop · n new PET · s sub-theme · t tag · S subsume · x discard",
    "list": "p pick up · x discard · v next view · a next step",
}


class Prompt(ModalScreen[str | None]):
    """One line of text: Enter returns it, Esc returns None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="ipa.prompt_cancel", tooltip="Close without saving")
    ]
    DEFAULT_CSS = """
    Prompt { align: center middle; }
    Prompt > Vertical { width: 72; max-width: 100%; height: auto; border: round $primary; padding: 0 1; }
    Prompt Label { width: 100%; }
    """

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)  # titles quote names: "[x]" is no markup
            yield Input(value=self.value)
            yield Label("Enter saves · Esc cancels", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question in words: Enter answers yes, Esc answers no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "answer(True)", "Yes", id="ipa.confirm_yes", tooltip="Answer yes"),
        Binding("escape", "answer(False)", "No", id="ipa.confirm_no", tooltip="Answer no"),
    ]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 72; max-width: 100%; height: auto; border: round $primary; padding: 0 1; }
    Confirm Label { width: 100%; }
    """

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question = question
        self.choices = f"Enter: {yes} · Esc: {no}"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            yield Label(self.choices, markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def case_row(case: cases.Case, open_case: str | None) -> Text:
    """One case as the lists show it: id, pseudonym and its step in words (never colour alone)."""
    if case.participant == open_case:
        state = f"{case.status} · open now"
    elif case.status == cases.COMPLETE:
        state = "PETs complete (locked) · reopens as a revisit"
    elif case.status == cases.NOT_STARTED:
        state = "not started"
    else:
        state = f"{case.status} · paused"
    return Text(f"{case.participant:<5} {case.pseudonym:<16} {state}")


def case_options(project: Project, wanted: str = "") -> list[Option]:
    """The cases whose id or pseudonym contains `wanted` (any letter case), as options keyed by id."""
    needle = wanted.strip().casefold()
    open_case = cases.current(project)
    chosen = open_case.participant if open_case else None
    return [
        Option(case_row(case, chosen), id=case.participant)
        for case in cases.all_cases(project)
        if needle in case.participant.casefold() or needle in case.pseudonym.casefold()
    ]


class CasePicker(ModalScreen[str | None]):
    """Open a case: type to filter the list by id or pseudonym, ↑↓ to choose, Enter opens, Esc cancels.

    Enter takes an exact id (``p01``) or pseudonym (``helen``) as typed, else the highlighted case;
    the result is the participant id.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="ipa.cases_cancel", tooltip="Close without opening a case"),
        Binding(
            "down", "move(1)", "Next case", id="ipa.cases_down", tooltip="Highlight the next case", show=False
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous case",
            id="ipa.cases_up",
            tooltip="Highlight the previous case",
            show=False,
        ),
    ]
    DEFAULT_CSS = """
    CasePicker { align: center middle; }
    CasePicker > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; }
    CasePicker Label { width: 100%; }
    CasePicker OptionList { height: auto; max-height: 12; border: none; }
    """

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open which case? Type an id or a pseudonym to filter.", markup=False)
            yield Input(placeholder="P01 or a pseudonym", id="ipa-cases-filter")
            yield PagingOptionList(*case_options(self.project), id="ipa-cases-list")
            yield Label("↑↓ choose · Enter opens · Esc cancels", id="ipa-cases-message", markup=False)

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        if listing.option_count:
            listing.highlighted = 0
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        found = case_options(self.project, event.value)
        listing.add_options(found)
        if found:
            listing.highlighted = 0
        self._say(
            f"{len(found)} of {len(cases.all_cases(self.project))} cases match"
            if found
            else f"no case matches {event.value.strip()!r}"
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if typed:
            try:
                self.dismiss(cases.find(self.project, typed).participant)
                return
            except WorkbenchError as exc:
                message = exc.message
        else:
            message = "there are no cases yet: add a transcript with a participant first"
        listing = self.query_one(OptionList)
        if listing.highlighted is not None and listing.option_count:
            self.dismiss(listing.get_option_at_index(listing.highlighted).id)
            return
        self._say(message)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if listing.option_count:
            at = listing.highlighted if listing.highlighted is not None else -step
            listing.highlighted = (at + step) % listing.option_count

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _say(self, message: str) -> None:
        self.query_one("#ipa-cases-message", Label).update(Text(message))


class CaseList(PagingOptionList):
    """The cases, shown while none is open: Enter opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="ipa.case_select", tooltip="Open the highlighted case"),
    ]


class TextList(PagingOptionList):
    """The transcript lines with notes and statements; the footer shows the noting keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "screen.note('D')", "D note", id="ipa.note_d", tooltip="Descriptive note"),
        Binding("l", "screen.note('L')", "L note", id="ipa.note_l", tooltip="Linguistic note"),
        Binding("c", "screen.note('C')", "C note", id="ipa.note_c", tooltip="Conceptual note"),
        Binding("e", "screen.statement", "Statement", id="ipa.statement", tooltip="Experiential statement"),
    ]


class BoardList(PagingOptionList):
    """The clustering board and statement lists; the footer shows the clustering keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "screen.pick", "Pick up", id="ipa.pick", tooltip="Clustering: pick up a statement"),
        Binding("i", "screen.drop", "Drop into", id="ipa.drop", tooltip="Clustering: drop into a theme"),
        Binding("n", "screen.new_pet", "New PET", id="ipa.new_pet", tooltip="Clustering: new PET"),
        Binding("t", "screen.tag", "Tag", id="ipa.tag", tooltip="Clustering: tag the techniques"),
    ]


class IpaScreen(Screen[None]):
    """The open case's notes, statements and board; see the module docstring for keys."""

    #: Read by the help screen (F1): the view's name and the basic loop, before the list of keys.
    HELP_NAME = "IPA case"
    HELP_INTRO = (
        "Open a case with Enter on the list of cases, or o to find one by id or pseudonym. "
        "In the text view move to a line (space marks the start of a range), then d, l, c or f writes a "
        "descriptive, linguistic, conceptual or free note and e an experiential statement linked to the "
        "notes there. v switches to the clustering board: p picks a statement up, i drops it into the PET "
        "under the cursor, n makes a new PET for it, t records the techniques. a moves the case to its "
        "next step; 'PETs complete' locks it."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "o",
            "open_case",
            "Open case",
            id="ipa.open_case",
            tooltip="Choose a case from the list, by id or pseudonym",
        ),
        Binding(
            "v",
            "next_view",
            "View",
            id="ipa.view",
            tooltip="Text, board, chronological, alphabetical, not yet clustered",
        ),
        Binding("escape", "close", "Close", id="ipa.close", tooltip="Close the IPA screen"),
        Binding(
            "a",
            "next_step",
            "Next step of the case",
            id="ipa.next_step",
            tooltip="reading, noting, statements, clustering, PETs complete",
            show=False,
        ),
        Binding(
            "space",
            "mark",
            "Mark range start",
            id="ipa.mark",
            tooltip="Mark the cursor line as the start of a range",
            show=False,
        ),
        Binding(
            "d",
            "note('D')",
            "Descriptive note",
            id="ipa.note_d",
            tooltip="Descriptive note on the line or range",
            show=False,
        ),
        Binding(
            "l",
            "note('L')",
            "Linguistic note",
            id="ipa.note_l",
            tooltip="Linguistic note on the line or range",
            show=False,
        ),
        Binding(
            "c",
            "note('C')",
            "Conceptual note",
            id="ipa.note_c",
            tooltip="Conceptual note on the line or range",
            show=False,
        ),
        Binding(
            "f",
            "note('F')",
            "Free note",
            id="ipa.note_f",
            tooltip="Free note on the line or range",
            show=False,
        ),
        Binding(
            "e",
            "statement",
            "Experiential statement",
            id="ipa.statement",
            tooltip="Experiential statement on the line or range, linked to its notes",
            show=False,
        ),
        Binding(
            "left_square_bracket",
            "source(-1)",
            "Previous source",
            id="ipa.prev_source",
            tooltip="Previous transcript of this case",
            show=False,
        ),
        Binding(
            "right_square_bracket",
            "source(1)",
            "Next source",
            id="ipa.next_source",
            tooltip="Next transcript of this case",
            show=False,
        ),
        Binding(
            "p",
            "pick",
            "Pick up statement (clustering)",
            id="ipa.pick",
            tooltip="Pick up the statement under the cursor",
            show=False,
        ),
        Binding(
            "i",
            "drop",
            "Drop into theme (clustering)",
            id="ipa.drop",
            tooltip="Drop the held statement into the theme under the cursor",
            show=False,
        ),
        Binding(
            "n",
            "new_pet",
            "New PET (clustering)",
            id="ipa.new_pet",
            tooltip="New PET; the held statement goes into it",
            show=False,
        ),
        Binding(
            "s",
            "new_sub",
            "New sub-theme (clustering)",
            id="ipa.new_sub",
            tooltip="New sub-theme under the PET at the cursor",
            show=False,
        ),
        Binding(
            "t",
            "tag",
            "Tag clustering techniques",
            id="ipa.tag",
            tooltip="Techniques and rationale for the theme at the cursor",
            show=False,
        ),
        Binding(
            "S",
            "subsume",
            "Subsume: statement names its theme",
            id="ipa.subsume",
            tooltip="The statement at the cursor becomes its theme's label",
            show=False,
        ),
        Binding(
            "x",
            "discard",
            "Discard statement (with a reason)",
            id="ipa.discard",
            tooltip="Discard the statement at the cursor, with a reason",
            show=False,
        ),
        Binding(
            "r",
            "rename",
            "Rename theme",
            id="ipa.rename",
            tooltip="Rename the theme at the cursor",
            show=False,
        ),
    ]
    DEFAULT_CSS = """
    IpaScreen #ipa-header { height: 1; text-style: bold; }
    IpaScreen #ipa-message { height: 1; }
    IpaScreen #ipa-hint { height: 1; }
    IpaScreen OptionList { height: 1fr; border: none; }
    """

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.view = "text"
        self.source_index = 0
        self.mark: int | None = None
        self.held: str | None = None
        self.message = ""
        self.items: list[tuple[str, Any]] = []  # per option: ("line", ordinal) | ("statement", id) | ...

    # -- layout ----------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="ipa-header", markup=False)
        # compact: no border or padding, so a 72-column transcript line fits 80 columns with its number
        yield CaseList(id="ipa-cases", compact=True)
        yield TextList(id="ipa-text", compact=True)
        yield BoardList(id="ipa-board", compact=True)
        yield Static(id="ipa-message", markup=False)
        yield Static(id="ipa-hint", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.rebuild()

    def on_resize(self, _event: events.Resize) -> None:
        self.rebuild()

    @property
    def case(self) -> cases.Case | None:
        return cases.current(self.project)

    @property
    def sources(self) -> list[str]:
        case = self.case
        return sources_of_case(self.project, case.participant) if case else []

    @property
    def source(self) -> str | None:
        found = self.sources
        return found[self.source_index % len(found)] if found else None

    @property
    def listing(self) -> OptionList:
        """The list in front of the researcher: the cases, the transcript or the board."""
        if self.case is None:
            return self.query_one("#ipa-cases", OptionList)
        if self.view == "text" and self.source is not None:
            return self.query_one("#ipa-text", OptionList)
        return self.query_one("#ipa-board", OptionList)

    def rebuild(self) -> None:
        """Rebuild the list from the project (never cached across operations), keeping the cursor."""
        listing = self.listing
        for widget in self.query(OptionList):
            widget.display = widget is listing
        keep = listing.highlighted or 0
        listing.clear_options()
        self.items = []
        case = self.case
        if case is None:
            self.held = None
            self.mark = None
            options = case_options(self.project)
            header = "IPA · no case is open: choose one below, or press o to find one by name"
            if not options:
                header = "IPA · no cases yet: add a transcript with a participant and pseudonym first"
            self.items = [("case", option.id) for option in options]
        else:
            header = f"IPA · {case.participant} {case.pseudonym} · {case.status}"
            if case.locked:
                header += " (revisit; changes marked post-lock)"
            if listing.id == "ipa-text":
                found = self.sources
                where = f" {self.source_index % len(found) + 1}/{len(found)}" if len(found) > 1 else ""
                header += f" · text · {self.source}{where}"
                options = self._text_options()
            else:
                view = self.view if self.source is not None else "board (this case has no transcript)"
                header += f" · {view}"
                options = self._board_options(case.participant)
        self.query_one("#ipa-header", Static).update(Text(header, no_wrap=True, overflow="ellipsis"))
        listing.add_options(options)
        if options:
            listing.highlighted = min(keep, len(options) - 1)
        if self.is_current and self.app.focused is not listing:
            listing.focus()
        self._status()
        self.refresh_bindings()

    def _status(self) -> None:
        self.query_one("#ipa-message", Static).update(Text(self.message, no_wrap=True, overflow="ellipsis"))
        listing = self.listing
        state = "cases" if listing.id == "ipa-cases" else "text" if listing.id == "ipa-text" else "board"
        if state == "board" and self.view != "board":
            state = "list"
        hint = HINTS[state]
        if self.mark is not None and state == "text":
            hint = f"range from line {self._line(self.mark).number} · " + hint
        if self.held:
            hint = f"holding {self._card_name(self.held)} · " + hint
        self.query_one("#ipa-hint", Static).update(Text(hint, no_wrap=True, overflow="ellipsis"))

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
        digits = len(str(max((line.number for line in record.linemap.lines), default=1)))
        indent = digits + 3
        for line in record.linemap.lines:
            words = record.text[line.start : line.end].rstrip()
            marker = "▸" if self.mark == line.ordinal else " "
            middle = Text(f"{marker}{line.number:>{digits}}  {words}")
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
                row = self._hang(middle, indent)
                for extra in (note_text, statement_text) if notes_first else (statement_text, note_text):
                    if extra.plain:
                        row.append("\n")
                        row.append_text(self._hang(Text(" " * indent) + extra, indent))
            options.append(Option(row))
            self.items.append(("line", line.ordinal))
        return options

    def _board_options(self, case: str) -> list[Option]:
        if self.view in ("board", "text"):  # "text" here: a case with no transcript shows its board
            return self._tree_options(case)
        found = statements.all_statements(self.project, case=case)
        if self.view == "alphabetical":
            found.sort(key=lambda s: s.text.casefold())
        elif self.view == "not yet clustered":
            found = [s for s in found if s.cluster is None and not s.excluded]
        options = []
        for statement in found:
            held = "✋ held: " if statement.id == self.held else ""
            options.append(Option(self._hang(Text(f"{held}{statements.card(self.project, statement)}"), 2)))
            self.items.append(("statement", statement.id))
        if not options:
            empty = "no statements yet: write one on a transcript line with e (text view)"
            if self.view == "not yet clustered":
                empty = "every statement is clustered or discarded"
            options.append(Option(Text(empty), disabled=True))
            self.items.append(("none", None))
        return options

    def _tree_options(self, case: str) -> list[Option]:
        names = board.labels(self.project, case)
        options: list[Option] = []

        def card(statement: statements.Statement, indent: str) -> None:
            held = "✋ held: " if statement.id == self.held else ""
            line = Text(f"{indent}{held}· {statements.card(self.project, statement)}")
            options.append(Option(self._hang(line, len(indent) + 2)))
            self.items.append(("statement", statement.id))

        subs = board.themes(self.project, case=case, levels=("pet-subtheme",))
        for pet in board.themes(self.project, case=case, levels=("pet",)):
            count = board.numeration(self.project, board.members(self.project, pet))
            tags = f"  ← {', '.join(pet.techniques)}" if pet.techniques else ""
            options.append(Option(self._hang(Text(f"▣ {names[pet.id]}. {pet.name}  ({count}){tags}"), 2)))
            self.items.append(("theme", pet.id))
            for statement in board.members(self.project, pet, deep=False):
                card(statement, "   ")
            for sub in (s for s in subs if s.parent == pet.id):
                inner = board.members(self.project, sub, deep=False)
                sub_tags = f"  ← {', '.join(sub.techniques)}" if sub.techniques else ""
                count = board.numeration(self.project, inner)
                row = Text(f"   ▢ {names[sub.id]} {sub.name}  ({count}){sub_tags}")
                options.append(Option(self._hang(row, 5)))
                self.items.append(("theme", sub.id))
                for statement in inner:
                    card(statement, "      ")
        waiting = [s for s in statements.all_statements(self.project, case=case) if s.cluster is None]
        options.append(Option(Text(f"○ Not yet clustered ({sum(not s.excluded for s in waiting)})")))
        self.items.append(("unclustered", None))
        for statement in waiting:
            card(statement, "   ")
        return options

    # -- helpers ---------------------------------------------------------------------------------------
    def _hang(self, text: Text, indent: int) -> Text:
        """`text` wrapped to the list's width, continuation lines indented under the first line's words.

        Cards and notes keep the board's tree shape and the transcript's number column at 80 columns,
        instead of wrapping back to the left edge.
        """
        width = max(self.size.width - 2, 20)  # the vertical scrollbar takes two columns
        if text.cell_len <= width:
            return text
        first = text.wrap(self.app.console, width, overflow="fold")[0]
        rest = text[len(first.plain) :]
        rest = rest[len(rest.plain) - len(rest.plain.lstrip()) :]
        out = first.copy()
        for line in rest.wrap(self.app.console, max(width - indent, 10), overflow="fold"):
            out.append("\n" + " " * indent)
            out.append_text(line)
        return out

    def _cursor(self) -> tuple[str, Any]:
        index = self.listing.highlighted
        if index is None or not 0 <= index < len(self.items):
            return ("none", None)
        return self.items[index]

    def _say(self, message: str, problem: bool = False) -> None:
        """One line in the researcher's words on the message line; a problem starts "Not done:"."""
        self.message = f"Not done: {message}" if problem else message
        # Also the workbench's own message line and log (F2), where a screen reader is pointed.
        self.notify(self.message, severity="warning" if problem else "information", markup=False)
        if self.is_mounted:
            self._status()

    def _do(self, change: Callable[[], object], done: str | Callable[[], str] = "") -> bool:
        """Run one project change; a refusal is said in one line; the list is rebuilt either way."""
        try:
            change()
        except WorkbenchError as exc:
            self._say(exc.message, problem=True)  # the message, without the CLI's argument name
            self.rebuild()
            return False
        message = done() if callable(done) else done
        self.rebuild()
        if message:
            self._say(message)
        return True

    def _ask(self, title: str, then: Callable[[str], object], value: str = "") -> None:
        def answered(result: str | None) -> None:
            if result:
                then(result)

        self.app.push_screen(Prompt(title, value), answered)

    def _needs_case(self) -> cases.Case | None:
        case = self.case
        if case is None:
            self._say("no case is open; choose one from the list (Enter) or press o", problem=True)
        return case

    def _line(self, ordinal: int) -> Any:
        source = self.source
        assert source is not None
        _version, record = self.project.current_text(source)
        return record.linemap.lines[ordinal - 1]

    def _where(self, first: int, last: int) -> str:
        """Lines as the researcher sees them: "line 12", "lines 12-14" (with the page when paginated)."""
        a, b = self._line(first), self._line(last)
        page = f"page {a.page}, " if a.page != 1 or b.page != 1 else ""
        if first == last:
            return f"{page}line {a.number}"
        if a.page != b.page:
            return f"page {a.page} line {a.number} to page {b.page} line {b.number}"
        return f"{page}lines {a.number}-{b.number}"

    def _span(self) -> tuple[int, int] | None:
        """The marked range (or the cursor line) in the text view, if it holds any words."""
        if self._needs_case() is None:
            return None
        kind, ordinal = self._cursor()
        if kind != "line":
            self._say("notes and statements go on transcript lines: press v for the text view", True)
            return None
        first, last = sorted((ordinal if self.mark is None else self.mark, ordinal))
        source = self.source
        assert source is not None
        _version, record = self.project.current_text(source)
        if not any(
            record.text[line.start : line.end].strip() for line in record.linemap.lines[first - 1 : last]
        ):
            blank = "this line is blank" if first == last else "these lines are blank"
            self._say(f"{blank}; move to a line the participant or interviewer said", problem=True)
            return None
        return first, last

    def _card_name(self, statement_id: str) -> str:
        try:
            return repr(statements.get(self.project, statement_id).text)
        except WorkbenchError:
            return statement_id

    def _theme_name(self, theme_id: str | None) -> str:
        if theme_id is None:
            return "Not yet clustered"
        theme = board.get(self.project, theme_id)
        letter = board.labels(self.project, theme.case).get(theme.id, "") if theme.case else ""
        return f"{letter}. {theme.name}" if letter else theme.name

    # -- actions ---------------------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_next_view(self) -> None:
        if self._needs_case() is None:
            return
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.message = f"view: {self.view}"
        self.rebuild()

    def action_mark(self) -> None:
        kind, ordinal = self._cursor()
        if kind != "line":
            self._say("a range is marked on transcript lines: press v for the text view", problem=True)
            return
        if self.mark == ordinal:
            self.mark = None
            self.message = "range mark cleared"
        else:
            self.mark = ordinal
            self.message = f"range starts at {self._where(ordinal, ordinal)}; move, then d l c f or e"
        self.rebuild()

    def action_source(self, step: int) -> None:
        if self._needs_case() is None:
            return
        found = self.sources
        if len(found) < 2:
            self._say("this case has one transcript", problem=True)
            return
        self.source_index += step
        self.mark = None
        self.message = f"transcript {self.source}"
        self.rebuild()

    def action_note(self, letter: str) -> None:
        span, source = self._span(), self.source
        if span is None or source is None:
            return
        kind = NOTE_TYPES[letter][1]
        where = self._where(*span)
        lines = f"{span[0]}-{span[1]}"

        def add(text: str) -> None:
            self.mark = None
            self._do(lambda: notes.add(self.project, source, lines, letter, text), f"{kind} note on {where}")

        self._ask(f"{kind} note on {where}", add)

    def action_statement(self) -> None:
        span, source = self._span(), self.source
        if span is None or source is None:
            return
        first, last = span
        linked = [
            n.id
            for ordinal, found in notes.by_line(self.project, source).items()
            if first <= ordinal <= last
            for n in found
        ]
        where = self._where(first, last)
        term = label(STATEMENT, settings_mod.load(self.project).terminology)
        from_notes = f"{len(linked)} note{'s' if len(linked) != 1 else ''}"

        def add(text: str) -> None:
            self.mark = None
            self._do(
                lambda: statements.add(self.project, source, f"{first}-{last}", text, note_ids=linked),
                f"{term} on {where}, linked to {from_notes}",
            )

        self._ask(f"{term} on {where} (built from {from_notes} there)", add)

    def action_pick(self) -> None:
        if self._needs_case() is None:
            return
        kind, ident = self._cursor()
        if kind != "statement":
            self._say("move to a statement card to pick it up (v shows the board)", problem=True)
            return
        self.held = ident
        self.message = f"holding {self._card_name(ident)}: move to a PET and press i, or n for a new PET"
        self.rebuild()

    def action_drop(self) -> None:
        if self._needs_case() is None:
            return
        kind, ident = self._cursor()
        held = self.held
        if held is None:
            self._say("pick up a statement first (p on its card)", problem=True)
            return
        if kind not in ("theme", "unclustered"):
            self._say("move to a PET, a sub-theme or 'Not yet clustered' to drop", problem=True)
            return
        name = self._card_name(held)
        self.held = None
        self._do(
            lambda: board.move(self.project, held, ident), lambda: f"{name} is in {self._theme_name(ident)}"
        )

    def action_new_pet(self) -> None:
        case = self._needs_case()
        if case is None:
            return
        held = self.held
        pet = short(PET, settings_mod.load(self.project).terminology)

        def make(name: str) -> None:
            def change() -> None:
                theme = board.create(self.project, case.participant, name)
                if held:
                    board.move(self.project, held, theme)
                    self.held = None

            holding = f", holding {self._card_name(held)}" if held else ""
            self._do(change, f"new {pet} {name!r}{holding}")

        self._ask(f"Name the new {pet}" + (f" ({self._card_name(held)} goes into it)" if held else ""), make)

    def action_new_sub(self) -> None:
        case = self._needs_case()
        if case is None:
            return
        kind, ident = self._cursor()
        if kind != "theme" or board.get(self.project, ident).level != "pet":
            self._say("move to a PET (▣) to add a sub-theme under it", problem=True)
            return
        held = self.held
        parent = self._theme_name(ident)

        def make(name: str) -> None:
            def change() -> None:
                theme = board.create(self.project, case.participant, name, parent=ident)
                if held:
                    board.move(self.project, held, theme)
                    self.held = None

            self._do(change, f"new sub-theme {name!r} under {parent}")

        self._ask(f"Name the new sub-theme under {parent}", make)

    def action_tag(self) -> None:
        if self._needs_case() is None:
            return
        kind, ident = self._cursor()
        if kind != "theme":
            self._say("move to a PET (▣) or sub-theme (▢) to tag it", problem=True)
            return
        name = self._theme_name(ident)

        def tag(answer: str) -> None:
            tags, _, rationale = answer.partition("|")
            self._do(
                lambda: board.tag(self.project, ident, tags.split(","), rationale),
                lambda: (
                    f"{name} tagged: {', '.join(board.get(self.project, ident).techniques) or 'rationale'}"
                ),
            )

        self._ask(
            f"Techniques for {name}, comma-separated ({', '.join(TECHNIQUES)}; a prefix will do),"
            " then | and a rationale if you like",
            tag,
        )

    def action_subsume(self) -> None:
        if self._needs_case() is None:
            return
        kind, ident = self._cursor()
        statement = statements.get(self.project, ident) if kind == "statement" else None
        if statement is None or statement.cluster is None:
            self._say("move to a clustered statement to make it its theme's label", problem=True)
            return
        cluster = statement.cluster
        self._do(
            lambda: board.subsume(self.project, cluster, ident), f"{statement.text!r} now names its theme"
        )

    def action_discard(self) -> None:
        if self._needs_case() is None:
            return
        kind, ident = self._cursor()
        if kind != "statement":
            self._say("move to a statement card to discard it", problem=True)
            return
        name = self._card_name(ident)
        self._ask(
            f"Why discard {name}? (it is kept, marked discarded)",
            lambda reason: self._do(
                lambda: statements.discard(self.project, ident, reason), f"{name} discarded: {reason}"
            ),
        )

    def action_rename(self) -> None:
        if self._needs_case() is None:
            return
        kind, ident = self._cursor()
        if kind != "theme":
            self._say("move to a PET (▣) or sub-theme (▢) to rename it", problem=True)
            return
        current = board.get(self.project, ident).name
        self._ask(
            f"New name for {self._theme_name(ident)}",
            lambda name: self._do(lambda: board.rename(self.project, ident, name), f"renamed to {name!r}"),
            current,
        )

    def action_open_case(self) -> None:
        def chosen(participant: str | None) -> None:
            if participant:
                self.open_case(participant)

        self.app.push_screen(CasePicker(self.project), chosen)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "ipa-cases" and event.option.id:
            self.open_case(event.option.id)

    def open_case(self, participant: str) -> None:
        """Open `participant`'s case as the researcher asked, with the questions IPA asks on the way."""
        try:
            case = cases.get(self.project, participant)
        except WorkbenchError as exc:
            self._say(exc.message, problem=True)
            return
        name = f"{case.participant} {case.pseudonym}"
        open_now = self.case
        if open_now is not None and open_now.participant == case.participant:
            self._say(f"{name} is already open")
            return
        if case.status == cases.COMPLETE:

            def revisit(yes: bool | None) -> None:
                if yes:
                    self._start(case)
                else:
                    self._say(f"{name} stays complete")

            self.app.push_screen(
                Confirm(
                    f"{name}'s PETs are complete and locked. Reopen the case to revisit it? "
                    f"It returns to {cases.REVISIT_STATUS}; changes are marked as post-lock revisions, "
                    "and a marks it complete again.",
                    "reopen for a revisit",
                    "keep it closed",
                ),
                revisit,
            )
            return
        worked_on = any(
            c.order is not None and c.participant != case.participant for c in cases.all_cases(self.project)
        )
        if case.status == cases.NOT_STARTED and worked_on:

            def reflect(answer: str | None) -> None:
                self._start(case, reflexive=answer, skip=answer is None)

            self.app.push_screen(
                Prompt(
                    f"Before starting {name}: {cases.BEFORE_NEXT_CASE} "
                    "(saved in the reflexive journal; Esc skips)"
                ),
                reflect,
            )
            return
        self._start(case)

    def _start(self, case: cases.Case, *, reflexive: str | None = None, skip: bool = False) -> None:
        name = f"{case.participant} {case.pseudonym}"
        self.view, self.source_index, self.mark, self.held = "text", 0, None, None

        def said() -> str:
            now = cases.get(self.project, case.participant)
            if case.status == cases.COMPLETE:
                return f"{name} is open again for a revisit, at {now.status}"
            journal = "; reflexive note saved" if reflexive else ""
            return f"{name} is open, at {now.status}{journal}"

        self._do(lambda: cases.start(self.project, case.participant, reflexive=reflexive, skip=skip), said)

    def action_next_step(self) -> None:
        case = self._needs_case()
        if case is None:
            return
        step = cases.next_status(case)
        name = f"{case.participant} {case.pseudonym}"
        if step is None:
            self._say(f"{name}'s PETs are already complete", problem=True)
            return

        def move() -> None:
            self._do(lambda: lifecycle.set_status(self.project, case.participant, step), done)

        if step == cases.COMPLETE:
            done = f"{name}'s PETs are complete; the case is locked and closed"

            def answered(yes: bool | None) -> None:
                if yes:
                    move()

            self.app.push_screen(
                Confirm(
                    f"Mark {name}'s PETs complete? This locks the case, keeps a snapshot of its board "
                    "and closes it; later changes are marked as post-lock revisions.",
                    "mark complete",
                    "keep working",
                ),
                answered,
            )
            return
        done = f"{name} is now at {step}"
        move()


def _fit(text: Text, width: int) -> Text:
    """Pad or cut a styled cell to `width` cells."""
    out = text.copy()
    out.truncate(width, overflow="ellipsis", pad=True)
    return out
