"""The side-by-side comparison screen (CMP-5): A's concept tree left, B's right, mapping from the keyboard.

Selecting a concept shows its definition, participants and top quotes with those of its mapped
counterparts, and marks the counterparts in the other tree with "»". Every concept shows its mappings'
relation glyphs (≡ ⊃ ⊂ ∩ ≈ ✕ ~) or "·" when unmapped — glyphs, never colour alone. When the terminal is
narrower than 100 columns (80x24) one tree is shown at a time and ``p`` switches between them.

=======  ==============  ============================================================================
key      id              action
=======  ==============  ============================================================================
p        cmp.pane        the other study's tree
m        cmp.map         map A's highlighted concept to B's: relation, label, rationale (CMP-4, CMP-13)
x        cmp.unmap       delete the mapping between the two highlighted concepts (with a reason)
u        cmp.unmapped    show only unmapped concepts / all
s        cmp.suggest     move the other tree to the next suggested counterpart (never applied)
/        cmp.find        find a concept by label in the current tree
escape   cmp.close       close the prompt, else the screen
=======  ==============  ============================================================================

Textual is imported here only; the TUI imports this module when the screen is opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static, Tree
from textual.widgets.option_list import Option

from workbench import PagingOptionList, Project, WorkbenchError

from . import mappings
from .inventory import Concept
from .relations import RELATIONS
from .workspace import METHOD, Comparison

NARROW = 100
SIDES = ("A", "B")


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class MapDialog(ModalScreen[tuple[str, str, str] | None]):
    """Choose the relation, then type the (optional) label and the required rationale."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cmp.map_cancel"),
    ]
    DEFAULT_CSS = """
    MapDialog { align: center middle; }
    MapDialog > Vertical {
        width: 76; height: auto; max-height: 22; border: round $accent; background: $panel;
    }
    MapDialog OptionList { height: 9; }
    MapDialog #cmp-map-head { height: auto; max-height: 5; }
    """

    def __init__(self, a: Concept, b: Concept, existing: str) -> None:
        super().__init__()
        self.a = a
        self.b = b
        self.existing = existing
        self.chosen: str | None = None

    def compose(self) -> ComposeResult:
        head = f"Map as…  A: {_short(self.a.label, 30)}  ⇄  B: {_short(self.b.label, 30)}"
        if self.existing:
            head += f"\n(now {self.existing}; saving changes it and is logged)"
        note = mappings.method_prompt(self.a, self.b)
        if note:
            head += f"\n⚠ {note}"
        with Vertical():
            yield Static(head, id="cmp-map-head")
            yield PagingOptionList(
                *(Option(f"{r.glyph}  {r.title}", id=r.id) for r in RELATIONS), id="cmp-map-relations"
            )
            yield Input(placeholder="label (for ~ related only)", id="cmp-map-label")
            yield Input(
                placeholder="rationale (required): why do these concepts relate this way?", id="cmp-map-why"
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#cmp-map-relations")
    def _relation_chosen(self, event: OptionList.OptionSelected) -> None:
        self.chosen = event.option.id
        target = "#cmp-map-label" if self.chosen == "related" else "#cmp-map-why"
        self.query_one(target, Input).focus()

    @on(Input.Submitted, "#cmp-map-label")
    def _label_done(self) -> None:
        self.query_one("#cmp-map-why", Input).focus()

    @on(Input.Submitted, "#cmp-map-why")
    def _save(self) -> None:
        rationale = self.query_one("#cmp-map-why", Input).value.strip()
        if self.chosen is None:
            self.notify("choose a relation first", severity="warning")
            self.query_one(OptionList).focus()
            return
        if not rationale:
            self.notify("a mapping needs a rationale", severity="warning")
            return
        self.dismiss((self.chosen, self.query_one("#cmp-map-label", Input).value.strip(), rationale))

    def action_cancel(self) -> None:
        self.dismiss(None)


class CompareScreen(Screen[None]):
    """Two studies' concept trees side by side; see the module docstring for the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="cmp.close", tooltip="Close the prompt, else this screen"),
        Binding("p", "pane", "Other study", id="cmp.pane", tooltip="Switch to the other study's tree"),
        Binding("m", "map", "Map as…", id="cmp.map", tooltip="Map A's highlighted concept to B's"),
        Binding("x", "unmap", "Unmap", id="cmp.unmap", tooltip="Delete the mapping of the highlighted pair"),
        Binding("u", "unmapped", "Unmapped", id="cmp.unmapped", tooltip="Show only unmapped concepts"),
        Binding("s", "suggest", "Suggest", id="cmp.suggest", tooltip="Next suggested counterpart"),
        Binding("slash", "find", "Find", id="cmp.find", tooltip="Find a concept by label"),
    ]
    DEFAULT_CSS = """
    CompareScreen #cmp-status { height: 1; }
    CompareScreen #cmp-trees { height: 1fr; }
    CompareScreen Tree { width: 1fr; height: 1fr; border: round $primary-darken-2; }
    CompareScreen Tree:focus { border: round $accent; }
    CompareScreen.-narrow.-on-a #cmp-tree-b { display: none; }
    CompareScreen.-narrow.-on-b #cmp-tree-a { display: none; }
    CompareScreen #cmp-detail { height: 8; overflow: hidden hidden; }
    CompareScreen #cmp-input { display: none; dock: bottom; }
    CompareScreen.-prompt #cmp-input { display: block; }
    """

    def __init__(self, project: Project, comparison: Comparison) -> None:
        super().__init__()
        self.project = project
        self.comparison = comparison
        self.active = "A"
        self.only_unmapped = False
        self.prompt: str | None = None  # "find" or "unmap"
        self._suggestions: list[str] = []
        self._suggest_for: str | None = None
        self._marked: set[str] = set()

    # -- layout ---------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="cmp-status")
        with Horizontal(id="cmp-trees"):
            yield Tree("A", id="cmp-tree-a")
            yield Tree("B", id="cmp-tree-b")
        yield Static("", id="cmp-detail")
        yield Input(id="cmp-input")
        yield Footer()

    def on_mount(self) -> None:
        for side in SIDES:
            tree = self._tree(side)
            tree.show_root = False
            study = self.comparison.studies[side]
            tree.border_title = f"{side}: {_short(study.title, 30)} [{study.method}]"
        self.add_class("-on-a")
        self._layout(self.app.size.width)
        self.rebuild()
        self._tree("A").focus()

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

    def _tree(self, side: str) -> Tree[str]:
        tree: Tree[str] = self.query_one(f"#cmp-tree-{side.lower()}", Tree)
        return tree

    # -- content --------------------------------------------------------------------------------------
    def _marks(self, concept_id: str) -> str:
        found = mappings.counterparts(self.project, concept_id)
        return "".join(m.symbol[:1] for _o, m in found) or "·"

    def _node_label(self, concept: Concept) -> str:
        pointer = "» " if concept.id in self._marked else ""
        return f"{pointer}{concept.glyph} {self._marks(concept.id)} {concept.label} (n={concept.n})"

    def rebuild(self) -> None:
        """Refill both trees (after a mapping changes or the filter flips), keeping each cursor's concept."""
        for side in SIDES:
            tree = self._tree(side)
            keep = tree.cursor_node.data if tree.cursor_node is not None else None
            tree.clear()
            inventory = self.comparison.inventory(side)
            nodes: dict[str, Any] = {}
            for concept in inventory.shown():
                if self.only_unmapped and mappings.counterparts(self.project, concept.id):
                    continue
                parent_id = inventory.shown_parent(concept)
                parent = nodes.get(parent_id) if parent_id else None
                node = (parent or tree.root).add(self._node_label(concept), data=concept.id, expand=True)
                nodes[concept.id] = node
            tree.root.expand_all()
            target = nodes.get(keep) if keep else None
            if target is not None:
                self.call_after_refresh(tree.move_cursor, target)
            elif nodes:
                tree.cursor_line = 0
        self._status()
        self._detail()

    def _status(self, extra: str = "") -> None:
        count = len(mappings.all_mappings(self.project))
        view = "unmapped only" if self.only_unmapped else "all concepts"
        narrow = f" · showing {self.active} (p: other)" if self.has_class("-narrow") else ""
        text = extra or f"{count} mappings · {view}{narrow} · m map · s suggest · / find"
        self.query_one("#cmp-status", Static).update(_short(text, 200))

    def current(self, side: str) -> Concept | None:
        node = self._tree(side).cursor_node
        if node is None or node.data is None:
            return None
        concept: Concept | None = self.comparison.inventory(side).concepts.get(node.data)
        return concept

    def _detail(self) -> None:
        concept = self.current(self.active)
        if concept is None:
            self.query_one("#cmp-detail", Static).update("(no concept)")
            return
        lines = [
            f"{concept.side} {concept.glyph} {concept.label} — {concept.level_title}, n={concept.n}",
            f"  {concept.definition or '(no definition)'}",
        ]
        lines += [f'  "{_short(q.text, 70)}" ({q.citation})' for q in concept.quotes[:2]]
        for other_id, m in mappings.counterparts(self.project, concept.id)[:2]:
            other = self.comparison.inventory(other_id[0]).concepts.get(other_id)
            if other is None:
                continue
            lines.append(f"{m.symbol} {other.side} {other.label}: {_short(other.definition or '—', 90)}")
            if other.quotes:
                lines.append(f'  "{_short(other.quotes[0].text, 70)}" ({other.quotes[0].citation})')
        width = max(self.size.width - 1, 20)
        self.query_one("#cmp-detail", Static).update("\n".join(_short(line, width) for line in lines[:8]))

    def _highlight_counterparts(self) -> None:
        concept = self.current(self.active)
        other_side = "B" if self.active == "A" else "A"
        marked = {o for o, _m in mappings.counterparts(self.project, concept.id)} if concept else set()
        if marked == self._marked:
            return
        changed = marked ^ self._marked
        self._marked = marked
        self._relabel(other_side, changed)

    def _relabel(self, side: str, ids: set[str]) -> None:
        inventory = self.comparison.inventory(side)

        def walk(node: Any) -> None:
            for child in node.children:
                if child.data in ids:
                    child.set_label(self._node_label(inventory.concepts[child.data]))
                walk(child)

        walk(self._tree(side).root)

    @on(Tree.NodeHighlighted)
    def _moved(self, event: Tree.NodeHighlighted[str]) -> None:
        side = "A" if event.control.id == "cmp-tree-a" else "B"
        if side == self.active:
            self._highlight_counterparts()
            self._detail()

    def on_descendant_focus(self) -> None:
        focused = self.focused
        if isinstance(focused, Tree):
            side = "A" if focused.id == "cmp-tree-a" else "B"
            if side != self.active:
                self._set_active(side)

    def _set_active(self, side: str) -> None:
        self.active = side
        self.set_class(side == "A", "-on-a")
        self.set_class(side == "B", "-on-b")
        previous = self._marked
        self._marked = set()
        self._relabel("A", previous)
        self._relabel("B", previous)
        self._highlight_counterparts()
        self._status()
        self._detail()

    # -- actions --------------------------------------------------------------------------------------
    def action_pane(self) -> None:
        side = "B" if self.active == "A" else "A"
        self._set_active(side)
        self._tree(side).focus()

    def action_unmapped(self) -> None:
        self.only_unmapped = not self.only_unmapped
        self.rebuild()

    def action_map(self) -> None:
        a, b = self.current("A"), self.current("B")
        if a is None or b is None:
            self.notify("highlight a concept in each study first (p switches study)", severity="warning")
            return
        existing = mappings.between(self.project, a.id, b.id)

        def done(result: tuple[str, str, str] | None) -> None:
            if result is None:
                return
            relation_id, label, rationale = result
            try:
                mapping, created = mappings.map_concepts(
                    self.comparison, a.id, b.id, relation_id, rationale, label=label
                )
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error")
                return
            verb = "mapped" if created else "changed"
            self.notify(f"{verb}: {a.label} {mapping.symbol} {b.label}")
            self._marked = set()
            self.rebuild()

        self.app.push_screen(MapDialog(a, b, existing.symbol if existing else ""), done)

    def action_unmap(self) -> None:
        a, b = self.current("A"), self.current("B")
        if a is None or b is None or mappings.between(self.project, a.id, b.id) is None:
            self.notify("the highlighted concepts are not mapped", severity="warning")
            return
        self._ask("unmap", f"reason for deleting {a.label} ⇄ {b.label} (enter deletes, esc cancels)")

    def action_find(self) -> None:
        self._ask("find", f"find in study {self.active}: part of a label (enter)")

    def action_suggest(self) -> None:
        from .suggest import suggest

        concept = self.current(self.active)
        if concept is None:
            return
        if self._suggest_for != concept.id:
            try:
                found = suggest(self.comparison, concept=concept.id, limit=10, minimum=0)
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error")
                return
            self._suggestions = [s.b if concept.side == "A" else s.a for s in found]
            self._suggest_for = concept.id
        if not self._suggestions:
            self.notify("no unmapped candidates", severity="warning")
            return
        target = self._suggestions.pop(0)
        self._suggestions.append(target)
        other_side = target[0]
        tree = self._tree(other_side)
        node = self._find_node(tree, lambda data: data == target)
        if node is None:
            self.notify("the suggested concept is hidden by the filter", severity="warning")
            return
        tree.move_cursor(node)
        other = self.comparison.inventory(other_side).concepts[target]
        self._status(
            f"suggested for {concept.label}: {other.side} {other.label} (m maps it; nothing applied)"
        )

    def _find_node(self, tree: Tree[str], match: Any) -> Any:
        stack = list(reversed(tree.root.children))
        while stack:
            node = stack.pop()
            if match(node.data):
                return node
            stack.extend(reversed(node.children))
        return None

    def _ask(self, prompt: str, placeholder: str) -> None:
        self.prompt = prompt
        field = self.query_one("#cmp-input", Input)
        field.value = ""
        field.placeholder = placeholder
        self.add_class("-prompt")
        field.focus()

    def _end_prompt(self) -> None:
        self.prompt = None
        self.remove_class("-prompt")
        self._tree(self.active).focus()

    @on(Input.Submitted, "#cmp-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        prompt = self.prompt
        self._end_prompt()
        if prompt == "find" and text:
            tree = self._tree(self.active)
            inventory = self.comparison.inventory(self.active)
            node = self._find_node(
                tree, lambda data: text.casefold() in inventory.concepts[data].label.casefold()
            )
            if node is None:
                self.notify(f"no concept like {text!r} in study {self.active}", severity="warning")
            else:
                tree.move_cursor(node)
        elif prompt == "unmap":
            a, b = self.current("A"), self.current("B")
            if a is None or b is None:
                return
            try:
                mappings.unmap(self.comparison, a.id, b.id, reason=text)
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"deleted the mapping {a.label} ⇄ {b.label} (kept in the audit trail)")
            self._marked = set()
            self.rebuild()

    def action_close(self) -> None:
        if self.prompt is not None:
            self._end_prompt()
            return
        self.dismiss(None)

    def on_unmount(self) -> None:
        self.comparison.close()


def open_screen(project: Project) -> CompareScreen:
    """The TUI's factory: the open project must be a comparison workspace."""
    if project.method != METHOD:
        raise WorkbenchError(
            "this project is not a comparison workspace; create one with `workbench compare A B`"
        )
    return CompareScreen(project, Comparison(project))


class CompareApp(App[None]):
    """``workbench compare A B`` in a terminal: the comparison screen alone, on the workspace."""

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(open_screen(self.project), lambda _result: self.exit())


def run_app(path: Path) -> int:
    from workbench import open_project

    with open_project(str(path), write=True) as project:
        CompareApp(project).run()
    return 0
