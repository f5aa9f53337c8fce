"""The cross-case screen (f8): PETs of completed cases clustered into GETs, by keyboard (IPA-8, IPA-9a).

The screen opens only when the plugin's own rule allows cross-case work (`cases.cross_case_ready`: two
complete cases, or all of them by setting) and no case is open under bracketing (IPA-1b: while a case is
in progress, other cases' PETs stay hidden). Otherwise it says why and shows nothing else.

Every change calls the functions ``workbench ipa get|feed|unfeed|converge|extract|rename|delete`` call
(`gets`, `board`), so the screen and the CLI cannot disagree. Views, cycled with ``v``:

* **board** — the GETs (◆ 1.) and sub-themes (◇ 1a) with the PETs feeding them (▣ [Pseudonym] A. …)
  and each row's recurrence verdict as a glyph and a word ("✓ meets rule 2/3", "✗ flagged 1/3"); then
  every PET of the completed cases as a card, with the GETs it feeds; then the idiographic check
  (IPA-8d): the PETs that reached no GET. Pick a PET up (``p``) and drop it into a GET (``i``); it stays
  in hand, so it can feed several GETs (IPA-8a), until ``esc`` puts it down.
* **cells** — each GET × participant cell (IPA-8b): the statements that reach it and from which PETs,
  the convergence/divergence note (``↔``) and the chosen extracts (``❝``).

The extract picker (``e``, IPA-9a) lists the GET's candidate statements grouped by participant, with how
many participants are already quoted (`picker`, the same count as the ``ipa-extract-picker`` table).

=====  ===================  ===================================================================
key    id                   action
=====  ===================  ===================================================================
v      ipa.cross_view       next view (board, cells)
g      ipa.cross_new_get    new GET (the held PET, if any, feeds it)
s      ipa.cross_new_sub    new sub-theme under the GET at the cursor (receives the held PET)
p      ipa.cross_pick       pick up the PET under the cursor
i      ipa.cross_drop       the held PET feeds the GET or sub-theme under the cursor
x      ipa.cross_remove     take the PET under the cursor out of its GET
n      ipa.cross_note       convergence/divergence note for the GET × participant at the cursor
e      ipa.cross_extract    extract picker for the GET at the cursor (that participant first)
r      ipa.cross_rename     rename the GET or sub-theme at the cursor
d      ipa.cross_delete     delete the empty GET or sub-theme at the cursor
escape ipa.cross_close      put the held PET down, else close the screen
=====  ===================  ===================================================================

In the picker: ``enter`` chooses the statement's segment, ``o`` chooses it leaving words out as […],
``esc`` cancels (ids ``ipa.picker_omit``, ``ipa.picker_cancel``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from wb_ipa import board, cases, gets, picker, quotes, recurrence, statements
from wb_ipa import settings as settings_mod
from wb_ipa.anchors import pseudonym
from wb_ipa.screens import Prompt
from wb_ipa.terminology import GET, GET_SUB, PET, PET_SUB, short
from workbench import PagingOptionList, WorkbenchError

if TYPE_CHECKING:
    from workbench import Project

VIEWS = ("board", "cells")
#: What a list row stands for: ("get", id) | ("member", (get, pet)) | ("pet", id) | ("lost", pet id)
#: | ("cell", (get, case)) | ("heading", None).
Item = tuple[str, Any]


def closed_reason(project: Project) -> str | None:
    """Why cross-case work is not open now (the plugin's unlock rule, then bracketing), or None."""
    ready, why = cases.cross_case_ready(project)
    if not ready:
        return why
    visible = cases.visible_cases(project)
    if visible is not None:
        return (
            f"bracketing: {visible[0]} is open, so other cases' PETs stay hidden; "
            "complete it (or switch bracketing off) to work across cases"
        )
    return None


def flag(row: recurrence.Row) -> str:
    """The recurrence verdict as glyph and word, never colour alone (IPA-8c)."""
    count = f"{len(row.present)}/{row.total}"
    return f"{recurrence.FLAG} {count}" if row.flagged else f"{recurrence.PASS} meets rule {count}"


class ExtractPicker(ModalScreen[tuple[str, str, bool] | None]):
    """IPA-9a: a GET's statements by participant; returns (participant, statement, leave words out)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="ipa.picker_cancel"),
        Binding("o", "omit", "Leave words out", id="ipa.picker_omit"),
    ]
    DEFAULT_CSS = """
    ExtractPicker { align: center middle; }
    ExtractPicker > Vertical { width: 78; max-width: 100%; height: 20; border: round $primary; padding: 0 1; }
    ExtractPicker OptionList { height: 1fr; border: none; }
    ExtractPicker #ipa-picker-title { height: auto; text-style: bold; }
    """

    def __init__(self, project: Project, found: picker.Picker, participant: str | None) -> None:
        super().__init__()
        self.project = project
        self.found = found
        self.participant = participant
        self.items: list[tuple[str, str] | None] = []  # per option: (participant, statement) or None

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        for group in self.found.groups:
            mark = "✓ quoted" if group.quoted else "○ not quoted yet"
            options.append(Option(Text(f"{group.pseudonym} ({group.participant}) · {mark}"), disabled=True))
            self.items.append(None)
            for extract in group.extracts:
                options.append(
                    Option(Text(f"   ❝ {quotes.format_quote(self.project, extract)}"), disabled=True)
                )
                self.items.append(None)
            for statement in group.statements:
                options.append(Option(Text(f"   · {statements.card(self.project, statement)}")))
                self.items.append((group.participant, statement.id))
        with Vertical():
            yield Static(Text(self.found.title), id="ipa-picker-title")
            yield PagingOptionList(*options, id="ipa-picker-list")
            yield Label("enter choose · o choose, leaving words out · esc cancel")

    def on_mount(self) -> None:
        choices = [(i, item[0]) for i, item in enumerate(self.items) if item is not None]
        first = next((i for i, who in choices if who == self.participant), None)
        if choices:
            self.query_one(OptionList).highlighted = first if first is not None else choices[0][0]

    def _chosen(self) -> tuple[str, str] | None:
        index = self.query_one(OptionList).highlighted
        return self.items[index] if index is not None and 0 <= index < len(self.items) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = self.items[event.option_index]
        if chosen is not None:
            self.dismiss((*chosen, False))

    def action_omit(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self.dismiss((*chosen, True))

    def action_cancel(self) -> None:
        self.dismiss(None)


class CrossCaseScreen(Screen[None]):
    """GETs, PET cards, GET × participant cells and the idiographic check; see the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="ipa.cross_close"),
        Binding("v", "next_view", "View", id="ipa.cross_view"),
        Binding("g", "new_get", "New GET", id="ipa.cross_new_get"),
        Binding("s", "new_sub", "Sub-theme", id="ipa.cross_new_sub", show=False),
        Binding("p", "pick", "Pick up", id="ipa.cross_pick"),
        Binding("i", "drop", "Drop into", id="ipa.cross_drop"),
        Binding("x", "remove", "Take out", id="ipa.cross_remove"),
        Binding("n", "note", "Note", id="ipa.cross_note"),
        Binding("e", "extract", "Extracts", id="ipa.cross_extract"),
        Binding("r", "rename", "Rename", id="ipa.cross_rename", show=False),
        Binding("d", "delete", "Delete", id="ipa.cross_delete", show=False),
    ]
    DEFAULT_CSS = """
    CrossCaseScreen #ipa-cross-header { height: 1; text-style: bold; }
    CrossCaseScreen #ipa-cross-status { height: 1; }
    CrossCaseScreen OptionList { height: 1fr; border: none; }
    """

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.view = "board"
        self.held: str | None = None
        self.items: list[Item] = []
        self.names: dict[str, str] = {}  # PET id -> "[Ann] A. Safety", for one rebuild

    # -- layout ----------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="ipa-cross-header")
        yield PagingOptionList(id="ipa-cross-list")
        yield Static(id="ipa-cross-status")
        yield Footer()

    def on_mount(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        """Rebuild the list from the project (never cached across operations), keeping the cursor's row."""
        listing = self.query_one("#ipa-cross-list", OptionList)
        before = self._cursor()
        keep = listing.highlighted or 0
        listing.clear_options()
        self.items = []
        self.names = {}
        term = settings_mod.load(self.project).terminology
        why = closed_reason(self.project)
        if why is not None:
            self.held = None
            self.query_one("#ipa-cross-header", Static).update("IPA cross-case · closed")
            listing.add_option(Option(Text(f"✗ {why}"), disabled=True))
            self.items.append(("heading", None))
            self._status()
            return
        sample = recurrence.sample(self.project)
        rule = settings_mod.load(self.project).recurrence
        self.query_one("#ipa-cross-header", Static).update(
            f"IPA cross-case · {len(sample)} cases complete · "
            f"{settings_mod.describe_rule(rule, len(sample))} · view: {self.view}"
        )
        options = self._board_options(term) if self.view == "board" else self._cell_options(term)
        listing.add_options(options)
        if options:
            listing.highlighted = (
                self.items.index(before) if before in self.items else min(keep, len(options) - 1)
            )
        self._status()

    def _status(self) -> None:
        held = f"holding {self._pet_name(self.held)} (esc puts it down) · " if self.held else ""
        self.query_one("#ipa-cross-status", Static).update(
            f"{held}v view · g new GET · p pick up · i drop · n note · e extracts · esc close"
        )

    def _pet_name(self, pet_id: str) -> str:
        """ "[Ann] A. Safety" (or "[Ann] A1 Sub-theme"): the pseudonym tag keeps each voice visible."""
        if pet_id not in self.names:
            pet = board.get(self.project, pet_id)
            case = pet.case or ""
            letters = board.labels(self.project, case)
            for theme in board.themes(self.project, case=case, levels=(PET, PET_SUB)):
                dot = "." if theme.level == PET else ""
                self.names[theme.id] = (
                    f"[{pseudonym(self.project, case)}] {letters.get(theme.id, '?')}{dot} {theme.name}"
                )
        return self.names[pet_id]

    def _add(self, options: list[Option], text: str, item: Item) -> None:
        options.append(Option(Text(text), disabled=item[0] == "heading"))  # Text: "[Ann]" is no markup
        self.items.append(item)

    def _get_row(self, options: list[Option], node: board.Theme, number: str, row: recurrence.Row) -> None:
        sub = node.level == GET_SUB
        glyph, dot, indent = ("◇", "", "   ") if sub else ("◆", ".", "")
        self._add(options, f"{indent}{glyph} {number}{dot} {node.name}  {flag(row)}", ("get", node.id))

    def _board_options(self, term: str) -> list[Option]:
        options: list[Option] = []
        numbers = gets.numbering(self.project)
        rows = {row.theme.id: row for row in recurrence.rows(self.project)}
        groups = board.themes(self.project, levels=(GET, GET_SUB))
        for top in (t for t in groups if t.level == GET):
            for node in gets.family(self.project, top):
                self._get_row(options, node, numbers[node.id], rows[node.id])
                indent = "   " if node.level == GET_SUB else ""
                for pet_id in node.members:
                    only = node.member_statements.get(pet_id)
                    part = f"  (statements {', '.join(only)})" if only else ""
                    held = "✋ " if pet_id == self.held else ""
                    text = f"{indent}   ▣ {held}{self._pet_name(pet_id)}{part}"
                    self._add(options, text, ("member", (node.id, pet_id)))
        cards = [
            t
            for case in recurrence.sample(self.project)
            for pet in board.themes(self.project, case=case.participant, levels=(PET,))
            for t in (pet, *(s for s in board.themes(self.project, levels=(PET_SUB,)) if s.parent == pet.id))
        ]
        pet_word = short(PET, term)
        self._add(options, f"▤ {pet_word} cards ({len(cards)}): p picks one up", ("heading", None))
        for pet in cards:
            feeds = [numbers[g.id] for g in groups if pet.id in g.members]
            where = f"→ {short(GET, term)} {', '.join(feeds)}" if feeds else f"→ no {short(GET, term)}"
            count = board.numeration(self.project, board.members(self.project, pet))
            held = "✋ " if pet.id == self.held else ""
            indent, glyph = ("   ", "▣") if pet.level == PET else ("      ", "▢")
            text = f"{indent}{glyph} {held}{self._pet_name(pet.id)}  ({count})  {where}"
            self._add(options, text, ("pet", pet.id))
        lost = gets.idiographic_loss(self.project)
        heading = f"✗ Idiographic check: {len(lost)} {pet_word}(s) in no {short(GET, term)}"
        self._add(options, heading, ("heading", None))
        for _case, pet in lost:
            self._add(options, f"   ✗ {self._pet_name(pet.id)}: in no {short(GET, term)}", ("lost", pet.id))
        return options

    def _cell_options(self, term: str) -> list[Option]:
        options: list[Option] = []
        numbers = gets.numbering(self.project)
        rows = {row.theme.id: row for row in recurrence.rows(self.project)}
        sample = recurrence.sample(self.project)
        for top in board.themes(self.project, levels=(GET,)):
            for node in gets.family(self.project, top):
                self._get_row(options, node, numbers[node.id], rows[node.id])
                indent = "   " if node.level == GET_SUB else ""
                reached = gets.contributions(self.project, node)
                feeding = [
                    board.get(self.project, p) for n in gets.family(self.project, node) for p in n.members
                ]
                for case in sample:
                    who = case.participant
                    item: Item = ("cell", (node.id, who))
                    found = reached.get(who, [])
                    if found:
                        letters = board.labels(self.project, who)
                        pets = ", ".join(dict.fromkeys(letters[p.id] for p in feeding if p.case == who))
                        what = f"● {len(found)} statement(s) from {short(PET, term)} {pets}"
                    else:
                        what = "○ not present"
                    self._add(options, f"{indent}   {case.pseudonym} ({who}): {what}", item)
                    cell = node.cells.get(who, {})
                    if cell.get("note"):
                        self._add(options, f"{indent}      ↔ {cell['note']}", item)
                    for extract in cell.get("extracts", []):
                        self._add(
                            options, f"{indent}      ❝ {quotes.format_quote(self.project, extract)}", item
                        )
        if not options:
            self._add(options, f"No {short(GET, term)} yet: g makes one", ("heading", None))
        return options

    # -- helpers ---------------------------------------------------------------------------------------
    def _cursor(self) -> Item:
        index = self.query_one("#ipa-cross-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.items):
            return ("none", None)
        return self.items[index]

    def _get_at(self) -> str | None:
        """The GET or sub-theme the cursor row belongs to."""
        kind, ident = self._cursor()
        if kind == "get":
            return str(ident)
        if kind in ("member", "cell"):
            return str(ident[0])
        return None

    def _participant_at(self) -> str | None:
        kind, ident = self._cursor()
        if kind == "cell":
            return str(ident[1])
        if kind == "member":
            return board.get(self.project, ident[1]).case
        return None

    def _picker(self, node: str) -> picker.Picker:
        return picker.build(self.project, board.get(self.project, node))

    def _open(self) -> bool:
        why = closed_reason(self.project)
        if why is not None:
            self.notify(why, severity="warning")
        return why is None

    def _do(self, change: Callable[[], object], done: str | Callable[[], str] = "") -> None:
        """Run one project change; errors become notifications; the list is rebuilt either way.

        `done` is the confirmation, or a function making it from the changed project.
        """
        try:
            change()
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
        else:
            message = done() if callable(done) else done
            if message:
                self.notify(message)
        self.rebuild()

    def _ask(self, title: str, then: Callable[[str], None], value: str = "") -> None:
        def answered(result: str | None) -> None:
            if result:
                then(result)

        self.app.push_screen(Prompt(title, value), answered)

    # -- actions ---------------------------------------------------------------------------------------
    def action_close(self) -> None:
        if self.held is not None:
            self.held = None
            self.rebuild()
            return
        self.dismiss(None)

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.rebuild()

    def _new(self, title: str, parent: str | None) -> None:
        held = self.held

        def make(name: str) -> None:
            def change() -> None:
                theme = gets.create(self.project, name, parent=parent)
                if held:
                    gets.add_pet(self.project, theme, held)

            self._do(change, f"new {'sub-theme' if parent else 'GET'} {name!r}")

        self._ask(title, make)

    def action_new_get(self) -> None:
        if self._open():
            self._new("Name the new GET", None)

    def action_new_sub(self) -> None:
        node = self._get_at()
        if not self._open():
            return
        if node is None:
            self.notify("move to a GET to add a sub-theme under it", severity="warning")
            return
        theme = board.get(self.project, node)
        parent = theme.parent if theme.level == GET_SUB and theme.parent else node
        self._new(f"Name the new sub-theme of {board.get(self.project, parent).name}", parent)

    def action_pick(self) -> None:
        kind, ident = self._cursor()
        if kind not in ("pet", "lost", "member"):
            self.notify("move to a PET card (or a PET under a GET) to pick it up", severity="warning")
            return
        self.held = ident[1] if kind == "member" else ident
        self.rebuild()

    def action_drop(self) -> None:
        held, node = self.held, self._get_at()
        if held is None:
            self.notify("pick up a PET first (p)", severity="warning")
            return
        if node is None:
            self.notify("move to a GET or sub-theme to drop the PET into it", severity="warning")
            return
        self._do(lambda: gets.add_pet(self.project, node, held), f"{self._pet_name(held)} feeds it")

    def action_remove(self) -> None:
        kind, ident = self._cursor()
        if kind != "member":
            self.notify("move to a PET under a GET to take it out", severity="warning")
            return
        node, pet = ident
        self._do(lambda: gets.remove_pet(self.project, node, pet), f"{self._pet_name(pet)} taken out")

    def action_note(self) -> None:
        node, who = self._get_at(), self._participant_at()
        if node is None or who is None:
            self.notify(
                "move to a participant's row of a GET (cells view, v) to write a note", severity="warning"
            )
            return
        current = board.get(self.project, node).cells.get(who, {}).get("note", "")

        def write(note: str) -> None:
            self._do(lambda: gets.cell_note(self.project, node, who, note), f"note on {who}")

        self._ask(f"Convergence/divergence: {pseudonym(self.project, who)} in this GET", write, current)

    def action_extract(self) -> None:
        node = self._get_at()
        if node is None:
            self.notify("move to a GET, sub-theme or cell to choose extracts for it", severity="warning")
            return
        found = self._picker(node)
        if not found.groups:
            self.notify("no PET feeds this GET yet: nothing to quote", severity="warning")
            return

        def chosen(result: tuple[str, str, bool] | None) -> None:
            if result is None:
                return
            who, statement, omit = result

            def choose(leave_out: str = "") -> None:
                words = [w for w in leave_out.split("|") if w.strip()]
                self._do(
                    lambda: gets.choose_extract(self.project, node, who, statement=statement, omit=words),
                    lambda: f"extract for {pseudonym(self.project, who)}: {self._picker(node).count}",
                )

            if omit:
                self._ask("Words to leave out as […] (separate with |)", choose)
            else:
                choose()

        self.app.push_screen(ExtractPicker(self.project, found, self._participant_at()), chosen)

    def action_rename(self) -> None:
        kind, ident = self._cursor()
        if kind != "get":
            self.notify("move to a GET or sub-theme to rename it", severity="warning")
            return
        current = board.get(self.project, ident).name
        self._ask("New name", lambda name: self._do(lambda: board.rename(self.project, ident, name)), current)

    def action_delete(self) -> None:
        kind, ident = self._cursor()
        if kind != "get":
            self.notify("move to an empty GET or sub-theme to delete it", severity="warning")
            return
        self._do(lambda: board.delete(self.project, ident), "deleted")
