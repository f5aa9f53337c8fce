"""The codebook (METHODS 1.3, CORE-5): every code as a tree, and every code operation from the keyboard.

The codebook is where an analysis consolidates (GT focused coding and categories, IPA clustering of
statements into themes), so the operations researchers reach for while comparing — rename, redefine,
move, promote/demote, merge, split, retire — are one key each, every one goes through
`WorkbenchApp.run_op` (so it is audited, undoable with `u`, and a refused change becomes a
notification), and lineage stays one key away because "where did this code come from?" is how a
reader audits a category.

The tree is a Textual `Tree` (Line API: one widget however many codes) rebuilt once per refresh
from `Project.code_tree`; with 400 codes a rebuild is a few milliseconds because the subclass below
skips the per-node invalidation the stock `Tree` does on every `add`. Status is a glyph (● active,
⇢ merged, ⑂ split, ✕ retired) and a mark for merging is ◆, so nothing depends on colour.

Levels come from the method plugin's "code-levels" vocabulary when one is registered, else from the
built-in order below; `+`/`-` step along it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.events import Resize
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.widgets import Header, Label, SelectionList, Static, Tree
from textual.widgets.tree import TreeNode

from workbench.core.errors import WorkbenchError
from workbench.core.retrieval import quote_label
from workbench.registry import Term
from workbench.tui.base import WorkbenchScreen
from workbench.tui.textual_compat import CompatTree
from workbench.tui.typeahead import after_keys
from workbench.tui.widgets.footer import KeyFooter
from workbench.tui.widgets.prompt import ChoiceModal, ConfirmModal, PromptModal
from workbench.tui.widgets.side_pane import TextPane

if TYPE_CHECKING:
    from workbench.core.project import CodeCount, Doc

__all__ = ["BUILTIN_LEVELS", "STATUS_GLYPH", "CodeTree", "CodebookScreen", "PickCodingsModal"]

STATUS_GLYPH = {"active": "●", "merged": "⇢", "split": "⑂", "retired": "✕"}
MARK_GLYPH = "◆"
TOP_LEVEL = "(top level)"
_TOP_ID = "__top__"
WIDE = 120  # columns from which the detail pane sits beside the tree

BUILTIN_LEVELS: dict[str, tuple[Term, ...]] = {
    "gt": (
        Term("initial", "initial", "open/initial code"),
        Term("focused", "focused", "focused code"),
        Term("category", "category", "category"),
        Term("core", "core", "core category"),
    ),
    "ipa": (
        Term("experiential-statement", "experiential statement", glyph="S"),
        Term("personal-experiential-theme", "personal experiential theme", glyph="P"),
        Term("group-experiential-theme", "group experiential theme", glyph="G"),
    ),
    "none": (Term("code", "code"),),
}
"""Level order (lowest first) when no plugin registers a "code-levels" vocabulary for the method."""


def short_level(level: str, terms: Sequence[Term]) -> str:
    """A level as the tree shows it: the term's label, or its initials when long (PET, not the phrase)."""
    term = next((t for t in terms if t.id == level), None)
    label = term.label if term else level
    if len(label) <= 12:
        return label
    words = label.replace("-", " ").split()
    return "".join(w[0] for w in words).upper() if len(words) > 1 else label[:12]


_TOGGLE = Style.from_meta({"toggle": True})
"""What Textual's Tree puts on a branch's icon so a click on it folds or unfolds the branch."""


class CodeTree(CompatTree[str]):
    """A `Tree` of code ids whose rebuild costs one invalidation, not one per node.

    The stock `Tree` re-lays itself out on every `add`; `bulk_update()` (textual_compat.CompatTree)
    suspends that while the codebook adds hundreds of nodes and invalidates once at the end. Labels
    are single-line `Text` already, so the markup parse and width measurement the base class does per
    node are skipped too.
    """

    ICON_NODE = "▶ "
    ICON_NODE_EXPANDED = "▼ "
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "fold", "Collapse", id="codebook.collapse", show=False),
        Binding("right", "unfold", "Expand", id="codebook.expand", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Codes", id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 3
        self.styled: Callable[[str], Text | None] | None = None
        """Code id -> its label with styles, for the rows drawn: nodes hold plain labels (same words,
        hence same widths), so building a 400-code tree does not style 400 labels nobody sees."""

    def process_label(self, label: str | Text) -> Text:
        return label if isinstance(label, Text) else Text(label)

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        label = self.styled(node.data) if self.styled is not None and node.data else None
        if label is None:
            return super().render_label(node, base_style, style)
        label.stylize(style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style + _TOGGLE), label)
        return label

    def get_label_width(self, node: TreeNode[str]) -> int:
        return self.process_label(node.label).cell_len + (2 if node.allow_expand else 0)

    def notify_style_update(self) -> None:
        """A style change (Textual sends one each time the screen is shown again) changes how lines
        look, not which lines there are: forget the drawn lines only. (The stock Tree lays all 400
        codes out again and asks for a new layout of the screen, about a third of showing the view.)"""
        ScrollView.notify_style_update(self)
        self.forget_drawn_lines()  # the drawn lines only: the tree's lines and layout stay
        self.refresh()

    def action_fold(self) -> None:
        """Left: close the highlighted branch, or go to its parent (as file trees do)."""
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and not node.parent.is_root:
            self.move_cursor(node.parent)

    def action_unfold(self) -> None:
        """Right: open the highlighted branch."""
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            node.expand()

    def rebuild(self, rows: Sequence[tuple[str, str, int, bool, bool]]) -> dict[str, TreeNode[str]]:
        """Replace every node: rows of (code id, label, depth, has children, expanded), in tree order."""
        self.clear()
        nodes: dict[str, TreeNode[str]] = {}
        stack: list[TreeNode[str]] = []
        with self.bulk_update():
            for code_id, label, depth, has_children, expanded in rows:
                del stack[depth:]
                parent = stack[-1] if stack else self.root
                node = parent.add(label, data=code_id, expand=expanded, allow_expand=has_children)
                nodes[code_id] = node
                stack.append(node)
        return nodes


class PickCodingsModal(ModalScreen[list[str] | None]):
    """Choose several codings (space toggles, Enter confirms, Esc cancels): the "which segments" of a split.

    A `SelectionList` is Line-API like `OptionList`, so a code with hundreds of segments is still one
    widget. Enter is bound with priority because the list itself would otherwise toggle on Enter.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "Done", id="pick.done", priority=True),
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
    ]
    DEFAULT_CSS = """
    PickCodingsModal { align: center middle; }
    PickCodingsModal > Vertical { width: 76; max-width: 100%; height: auto; max-height: 22;
                                  border: round $primary; background: $surface; padding: 0 1; }
    PickCodingsModal SelectionList { height: auto; max-height: 16; }
    """

    def __init__(self, title: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self._answered = False  # Enter or Esc has been acted on (see `_after_keys`)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield SelectionList[str](*((text, ident) for ident, text in self.choices))
            yield Label("space marks · Enter moves the marked codings · Esc cancels")

    def action_done(self) -> None:
        self._after_keys(self._done)

    def action_cancel(self) -> None:
        self._after_keys(lambda: self.dismiss(None))  # in the order typed: Enter then Esc keeps Enter's

    def _after_keys(self, close: Callable[[], object]) -> None:
        """Enter is a priority binding (Down space Enter may be typed ahead), and the list toggles an
        option from a message its space binding posts to it: close once that is handled too, and
        only once (Enter Enter, or Enter Esc, typed ahead)."""
        choices = self.query_one(SelectionList)

        def once() -> None:
            if self.is_current and not self._answered:
                self._answered = True
                close()

        after_keys(choices, lambda: choices.call_later(once))

    def _done(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected) or None)


class CodebookScreen(WorkbenchScreen):
    """Mode "codebook": the code tree, a detail/lineage pane, and the code operations of CORE-5."""

    HELP_NAME = "Codes"
    HELP_INTRO = """
The codebook as a tree: move with the arrow keys, Enter lists the coded segments of a code.
a adds a code, r renames, d redefines, v moves it under another, + and - change its level; mark codes
with space and M merges them. Every change is in the lineage and ctrl+z undoes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "retrieve",
            "Segments",
            id="codebook.retrieve",
            priority=True,
            tooltip="Show every segment of this code in the retrieval view",
        ),
        Binding("a", "new_code", "New", id="codebook.new", tooltip="Create a new top-level code"),
        Binding("r", "rename", "Rename", id="codebook.rename", tooltip="Rename the highlighted code"),
        Binding(
            "d", "redefine", "Define", id="codebook.redefine", tooltip="Write or change the code's definition"
        ),
        Binding(
            "v",
            "move",
            "Move",
            id="codebook.move",
            tooltip="Move the code under another code, or to the top level",
        ),
        Binding(
            "plus",
            "promote",
            "Promote",
            id="codebook.promote",
            tooltip="One level up the method's levels (e.g. initial → focused)",
        ),
        Binding(
            "minus", "demote", "Demote", id="codebook.demote", tooltip="One level down the method's levels"
        ),
        Binding(
            "space",
            "mark",
            "Mark",
            id="codebook.mark",
            priority=True,
            tooltip="Mark or unmark the code for merging (◆)",
        ),
        Binding(
            "M",
            "merge",
            "Merge",
            id="codebook.merge",
            tooltip="Merge the marked codes into the highlighted code or a new one",
        ),
        Binding(
            "S",
            "split",
            "Split",
            id="codebook.split",
            tooltip="Move chosen codings of this code to a new or existing code",
        ),
        Binding(
            "R",
            "retire",
            "Retire",
            id="codebook.retire",
            tooltip="Take the code out of the active codebook (undoable)",
        ),
        Binding(
            "l",
            "lineage",
            "Lineage",
            id="codebook.lineage",
            tooltip="Show where the code came from (renames, merges, splits) or its details",
        ),
        Binding(
            "A",
            "toggle_inactive",
            "All",
            id="codebook.inactive",
            tooltip="Show or hide merged, split and retired codes",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_inactive = False
        self.show_lineage = False
        self.marked: list[str] = []
        self.codes: dict[str, CodeCount] = {}
        self.order: list[str] = []  # code ids in tree order
        self.nodes: dict[str, TreeNode[str]] = {}
        self.cursor_id: str | None = None
        self.cursor_line = 0
        self.collapsed: set[str] = set()
        self._built: tuple[int, int, bool] | None = None  # what the tree was last built from
        self._levels: tuple[Term, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="codebook-status")
        with Container(id="codebook-main"):
            yield CodeTree(id="codebook-tree")
            yield TextPane(id="codebook-detail")
        yield KeyFooter()

    # -- building ------------------------------------------------------------------------------------
    def levels(self) -> tuple[Term, ...]:
        """The method's code levels, lowest first: the plugin's vocabulary if any, else the built-in."""
        method = self.project.method
        host = self.wb.host
        if host is not None:
            try:
                vocabularies = host.vocabularies(kind="code-levels", method=method)
            except WorkbenchError:
                vocabularies = []
            for vocabulary in vocabularies:
                if vocabulary.terms:
                    return vocabulary.terms
        return BUILTIN_LEVELS.get(method, BUILTIN_LEVELS["none"])

    def _label_parts(self, row: CodeCount, levels: Sequence[Term]) -> list[tuple[str, str]]:
        active = row.status == "active"
        parts = [
            (f"{MARK_GLYPH} " if row.id in self.marked else "", "bold reverse"),
            (f"{STATUS_GLYPH.get(row.status, '?')} ", ""),
            (row.label, "bold" if active else "dim"),
            (f" ({row.segments} seg · {row.participants} ppt)", "dim"),
            (f" {short_level(row.level, levels)}", "italic"),
            ("" if active else f" [{row.status}]", "dim"),
        ]
        return [(text, style) for text, style in parts if text]

    def label_for(self, row: CodeCount, levels: Sequence[Term]) -> Text:
        """A code's label as drawn: mark, status glyph, label, counts, level (and status if not active)."""
        return Text.assemble(*self._label_parts(row, levels))

    def plain_label(self, row: CodeCount, levels: Sequence[Term]) -> str:
        """The same words without styles: what the tree holds (styles are added to the rows drawn)."""
        return "".join(text for text, _style in self._label_parts(row, levels))

    def _styled_label(self, code_id: str) -> Text | None:
        row = self.codes.get(code_id)
        return self.label_for(row, self._levels) if row is not None else None

    def refresh_from_project(self) -> None:
        tree = self.query_one(CodeTree)
        built = (*self.project_state, self.show_inactive)
        if built == self._built:
            if self.focused is None:
                tree.focus()
            return  # nothing committed since the tree was built: showing it again costs nothing
        self._built = built
        rows = self.project.code_tree(include_inactive=self.show_inactive)
        levels = self._levels = self.levels()
        self.codes = {row.id: row for row in rows}
        self.order = [row.id for row in rows]
        self.marked = [m for m in self.marked if m in self.codes and self.codes[m].status == "active"]
        specs = [
            (
                row.id,
                self.plain_label(row, levels),
                row.depth,
                i + 1 < len(rows) and rows[i + 1].depth > row.depth,
                row.id not in self.collapsed,
            )
            for i, row in enumerate(rows)
        ]
        tree.styled = self._styled_label
        self.nodes = tree.rebuild(specs)
        target = self.nodes.get(self.cursor_id or "")
        if target is None and self.order:  # the code went away (retired, merged): stay at the same place
            visible = [n for n in (self.nodes[c] for c in self.order) if _shown(n)]
            target = visible[min(self.cursor_line, len(visible) - 1)] if visible else None
        self._move_to(target)
        self.update_status()
        if self.focused is None:
            tree.focus()

    def _move_to(self, node: TreeNode[str] | None) -> None:
        tree = self.query_one(CodeTree)
        tree.last_line  # noqa: B018 - lays out the lines, so the node knows its line number
        if node is not None and node.line < 0:  # inside a collapsed parent: open the way to it
            parent = node.parent
            while parent is not None and parent is not tree.root:
                parent.expand()
                self.collapsed.discard(parent.data or "")
                parent = parent.parent
            tree.last_line  # noqa: B018
        tree.move_cursor(node)
        self.cursor_id = node.data if node is not None else None
        self.cursor_line = max(node.line, 0) if node is not None else 0
        self.show_detail()

    def select_code(self, code_id: str | None) -> None:
        """Highlight `code_id` (after an operation created or changed it) if it is in the tree."""
        if code_id and code_id in self.nodes:
            self._move_to(self.nodes[code_id])

    def update_status(self) -> None:
        active = sum(1 for c in self.codes.values() if c.status == "active")
        shown = f"{len(self.codes)} codes (all)" if self.show_inactive else f"{active} active codes"
        marked = f" · {MARK_GLYPH} {len(self.marked)} marked for merge (M)" if self.marked else ""
        hint = "" if self.codes else " — none yet: press a to create one, or code a transcript"
        levels = " → ".join(short_level(t.id, self.levels()) for t in self.levels())
        self.query_one("#codebook-status", Static).update(
            Text(f"{shown}{marked}{hint} · levels: {levels}", no_wrap=True, overflow="ellipsis")
        )

    # -- detail pane -----------------------------------------------------------------------------------
    def show_detail(self) -> None:
        detail = self.query_one("#codebook-detail", TextPane)
        row = self.codes.get(self.cursor_id or "")
        if row is None:
            detail.update("")
            return
        doc = self.project.get("codes", row.id) or {}
        detail.update(self._lineage_text(row) if self.show_lineage else self._detail_text(row, doc))

    def _code_label(self, code_id: str | None) -> str:
        doc = self.project.get("codes", code_id) if code_id else None
        return f"«{doc['label']}»" if doc else str(code_id)

    def _detail_text(self, row: CodeCount, doc: Doc) -> Text:
        levels = self.levels()
        ids = [t.id for t in levels]
        place = (
            f" ({ids.index(row.level) + 1} of {len(ids)})" if row.level in ids else " (not a method level)"
        )
        level_term = next((t for t in levels if t.id == row.level), None)
        parent = self._code_label(row.parent_id) if row.parent_id else "top level"
        text = Text()
        text.append(row.label, "bold")
        text.append(f"  [{row.id}]\n", "dim")
        text.append("Definition: ", "bold")
        text.append(row.definition or "— none yet (d writes one)", "" if row.definition else "dim")
        text.append("\n")
        status = f"{STATUS_GLYPH.get(row.status, '?')} {row.status}"
        if doc.get("merged_into"):
            status += f" into {self._code_label(doc['merged_into'])}"
        text.append(
            f"Kind: {row.kind} · Level: {level_term.label if level_term else row.level}{place} · "
            f"Status: {status}\n"
        )
        text.append(f"Under: {parent} · {row.segments} segments · {row.participants} participants\n")
        lineage = doc.get("lineage", [])
        created = f"created {str(doc.get('created_at', ''))[:10]} by {doc.get('created_by', '?')}"
        if lineage:
            events = ", ".join(dict.fromkeys(str(e.get("event")) for e in lineage))
            text.append(f"Lineage: {created}; {len(lineage)} changes ({events}) — l shows them", "dim")
        else:
            text.append(f"Lineage: {created}; unchanged since", "dim")
        return text

    def _lineage_text(self, row: CodeCount) -> Text:
        text = Text()
        text.append(f"Lineage of {row.label}", "bold")
        text.append("  (l returns to the details)\n", "dim")
        try:
            events = self.project.lineage(row.id)
        except WorkbenchError as exc:
            text.append(str(exc))
            return text
        if not events:
            text.append("no changes since it was created", "dim")
        for event in events:
            when = str(event.get("time", ""))[:16].replace("T", " ")
            text.append(f"{when}  {event.get('actor', '?')}  ", "dim")
            text.append(f"{event.get('label', '')}: ", "bold")
            text.append(self._describe(event) + "\n")
        text.rstrip()
        return text

    def _describe(self, event: Doc) -> str:
        """One lineage event in words (CORE-5: the lineage must be readable, not just stored)."""
        kind = event.get("event")
        if kind == "rename":
            return f"renamed from «{event.get('previous_label')}» to «{event.get('label')}»"
        if kind == "redefine":
            definition = str(event.get("definition", ""))
            return f"redefined: {definition[:60]}{'…' if len(definition) > 60 else ''}"
        if kind == "move":
            parent = event.get("parent_id")
            return f"moved under {self._code_label(parent)}" if parent else "moved to the top level"
        if kind == "level":
            return f"level {event.get('previous_level')} → {event.get('level')}"
        if kind == "retire":
            return "retired"
        if kind == "merge":
            return f"merged into {self._code_label(event.get('merged_into'))}"
        if kind == "merge-in":
            return "received " + ", ".join(self._code_label(c) for c in event.get("merged_from", []))
        if kind == "split":
            return "split; codings moved to " + ", ".join(
                self._code_label(c) for c in event.get("split_into", [])
            )
        if kind == "split-in":
            return f"split off from {self._code_label(event.get('split_from'))}"
        return str(kind)

    # -- events ----------------------------------------------------------------------------------------
    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        node = event.node
        if node.data is None or self.nodes.get(node.data) is not node:
            return  # a message about a node from before the last rebuild
        self.cursor_id = node.data
        self.cursor_line = max(node.line, 0)
        self.show_detail()

    @on(Tree.NodeCollapsed)
    def _collapsed(self, event: Tree.NodeCollapsed[str]) -> None:
        if event.node.data:
            self.collapsed.add(event.node.data)

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[str]) -> None:
        if event.node.data:
            self.collapsed.discard(event.node.data)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    # -- helpers for actions -----------------------------------------------------------------------------
    def under_cursor(self) -> str | None:
        """The code the tree's cursor is on now.

        `cursor_id` follows the tree's NodeHighlighted messages, which keys typed ahead (Down Down
        Enter arriving at once over SSH) overtake: an action acts where the cursor is, not where the
        last message said it was.
        """
        node = self.query_one(CodeTree).cursor_node
        if node is not None and node.data is not None and self.nodes.get(node.data) is node:
            return node.data
        return self.cursor_id

    def current(self, *, active: bool = True) -> CodeCount | None:
        """The highlighted code; with `active`, refuse (with a notification) merged/split/retired ones."""
        row = self.codes.get(self.under_cursor() or "")
        if row is None:
            self.notify("no code highlighted", severity="warning")
            return None
        if active and row.status != "active":
            self.notify(
                f"«{row.label}» is {row.status}; only active codes can be changed", severity="warning"
            )
            return None
        return row

    # -- actions -----------------------------------------------------------------------------------------
    def action_retrieve(self) -> None:
        # A priority binding (the tree's own Enter folds nodes): Down Down Enter may be typed ahead.
        after_keys(self.query_one(CodeTree), self._retrieve)

    def _retrieve(self) -> None:
        row = self.current(active=False)
        if row is None:
            return
        found = self.project.find_code(row.label) or self.project.find_code(row.label, active_only=False)
        # The label reads better in the query box; the id is exact when the label is ambiguous.
        self.wb.retrieval_query = quote_label(row.label) if found and found["id"] == row.id else row.id
        self.wb.action_view("retrieval")

    @work(group="codebook")
    async def action_new_code(self) -> None:
        label = await self.app.push_screen_wait(
            PromptModal("New code (top level) — label:", placeholder="e.g. Holding hope")
        )
        if label:
            self.select_code(self.wb.run_op(self.project.create_code, label))

    @work(group="codebook")
    async def action_rename(self) -> None:
        row = self.current()
        if row is None:
            return
        new = await self.app.push_screen_wait(PromptModal(f"Rename «{row.label}» to:", value=row.label))
        if new and new != row.label:
            self.wb.run_op(self.project.rename_code, row.label, new)

    @work(group="codebook")
    async def action_redefine(self) -> None:
        row = self.current()
        if row is None:
            return
        definition = await self.app.push_screen_wait(
            PromptModal(
                f"Definition of «{row.label}» (what it includes and excludes):",
                value=row.definition,
                placeholder="Use when the participant…",
            )
        )
        if definition is not None and definition != row.definition:
            self.wb.run_op(self.project.redefine_code, row.label, definition)

    @work(group="codebook")
    async def action_move(self) -> None:
        row = self.current()
        if row is None:
            return
        start = self.order.index(row.id)
        end = start + 1
        while end < len(self.order) and self.codes[self.order[end]].depth > row.depth:
            end += 1
        excluded = {row.id, *self.order[start + 1 : end]}  # a code cannot go under its own descendants
        choices = [(_TOP_ID, TOP_LEVEL)] + [
            (c.id, "  " * c.depth + c.label)
            for c in self.codes.values()
            if c.id not in excluded and c.status == "active"
        ]
        choice = await self.app.push_screen_wait(ChoiceModal(f"Move «{row.label}» under:", choices))
        if choice is None:
            return
        parent = None if choice == _TOP_ID else self.codes[choice].label
        if (parent is None and row.parent_id is None) or (parent is not None and choice == row.parent_id):
            return
        self.wb.run_op(self.project.move_code, row.label, parent)

    def action_promote(self) -> None:
        self._step_level(+1)

    def action_demote(self) -> None:
        self._step_level(-1)

    def _step_level(self, step: int) -> None:
        row = self.current()
        if row is None:
            return
        ids = [t.id for t in self.levels()]
        if row.level not in ids:
            # A level from another method or an old vocabulary: + starts the ladder, - says why not.
            if step < 0:
                self.notify(f"level {row.level!r} is not one of {', '.join(ids)}; + sets {ids[0]}")
                return
            new = ids[0]
        else:
            index = ids.index(row.level) + step
            if not 0 <= index < len(ids):
                where = "highest" if step > 0 else "lowest"
                self.notify(f"«{row.label}» is already at the {where} level ({row.level})")
                return
            new = ids[index]
        self.wb.run_op(self.project.set_code_level, row.label, new)

    def action_mark(self) -> None:
        after_keys(self.query_one(CodeTree), self._mark)  # a priority binding: Down space, typed ahead

    def _mark(self) -> None:
        row = self.current()
        if row is None:
            return
        if row.id in self.marked:
            self.marked.remove(row.id)
        else:
            self.marked.append(row.id)
        node = self.nodes.get(row.id)
        if node is not None:
            node.set_label(self.plain_label(row, self._levels))
        self.update_status()

    @work(group="codebook")
    async def action_merge(self) -> None:
        if not self.marked:
            self.notify("mark the codes to merge with space first, then press M on the target")
            return
        labels = [self.codes[m].label for m in self.marked]
        row = self.codes.get(self.under_cursor() or "")
        default = row.label if row and row.id not in self.marked and row.status == "active" else ""
        target = await self.app.push_screen_wait(
            PromptModal(
                f"Merge {', '.join(f'«{x}»' for x in labels)} into (Enter keeps the highlighted code; "
                "or type a new label):",
                value=default,
            )
        )
        if not target:
            return
        existing = self.project.find_code(target)
        what = f"the existing code «{existing['label']}»" if existing else f"a new code «{target}»"
        confirmed = await self.app.push_screen_wait(
            ConfirmModal(
                f"Merge {len(labels)} code(s) into {what}? Their codings move; the merged codes stay "
                "in the lineage. ctrl+z undoes."
            )
        )
        if not confirmed:
            return
        dest = self.wb.run_op(self.project.merge_codes, labels, target)
        if dest:
            self.marked = []
            self.update_status()
            self.select_code(dest)
            self.notify(f"merged {len(labels)} code(s) into «{self.codes[dest].label}»")

    @work(group="codebook")
    async def action_split(self) -> None:
        row = self.current()
        if row is None:
            return
        segments = self.project.coded_segments(row.id)
        if not segments:
            self.notify(f"«{row.label}» has no codings to split off", severity="warning")
            return
        choices = [
            (s.coding_id, f"{s.citation} · {s.coder} · {' '.join(s.text.split())[:60]}") for s in segments
        ]
        chosen = await self.app.push_screen_wait(
            PickCodingsModal(f"Split «{row.label}»: mark the codings to move", choices)
        )
        if not chosen:
            return
        target = await self.app.push_screen_wait(
            PromptModal(f"Move {len(chosen)} coding(s) to code (a new label, or an existing code):")
        )
        if not target:
            return
        existing = self.project.find_code(target)
        if existing is not None and existing["id"] == row.id:
            self.notify("choose a different code to move the codings to", severity="error")
            return
        created = self.wb.run_op(self.project.split_code, row.label, dict.fromkeys(chosen, target))
        if created:
            self.select_code(created[0])
            self.notify(f"moved {len(chosen)} coding(s) from «{row.label}» to «{target}»")

    @work(group="codebook")
    async def action_retire(self) -> None:
        row = self.current()
        if row is None:
            return
        confirmed = await self.app.push_screen_wait(
            ConfirmModal(
                f"Retire «{row.label}»? Its {row.segments} segment(s) keep their codings, but the code "
                "leaves the active codebook (A shows it). ctrl+z undoes."
            )
        )
        if confirmed:
            self.wb.run_op(self.project.retire_code, row.label)

    def action_lineage(self) -> None:
        self.show_lineage = not self.show_lineage
        self.show_detail()

    def action_toggle_inactive(self) -> None:
        self.show_inactive = not self.show_inactive
        self.refresh_from_project()
        self.notify(
            "showing every code, with merged, split and retired ones"
            if self.show_inactive
            else "showing active codes only"
        )


def _shown(node: TreeNode[str]) -> bool:
    """Whether every ancestor of `node` is expanded (so the node has a line in the tree)."""
    parent = node.parent
    while parent is not None and not parent.is_root:
        if not parent.is_expanded:
            return False
        parent = parent.parent
    return True
