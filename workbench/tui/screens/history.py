"""The audit/history view (METHODS 1.3, GOV-10, CORE-5): the hash-chained event log and code lineage.

Supervisors and examiners ask "who changed what, when?" and "where did this category come from?";
this view answers both without leaving the keyboard. It has to stay usable on a study with 50,000
events, so:

- the log is read and verified in a thread worker (reading is about a second at that size, verifying
  the hash chain two more), and the chain status arrives in the status line when it is known;
- rows are built once per refresh (`build_rows`), and filters only select from them;
- the table shows at most the newest `DISPLAY_LIMIT` rows (a screenful first, so the top paints at
  once), and the status line says when older events are hidden: filters search all of them, and
  the text filter waits for a pause in typing;
- a refresh after one new event (an undo pressed here) chains that event on to what was verified,
  instead of re-reading the log;
- cells are `Cell`s, which `DataTable` does not measure (it would measure every cell of every row).

The integrity result is always a glyph *and* words (✓/✗), never colour alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.padding import Padding
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, VerticalScroll
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import Worker, get_current_worker

from workbench.core import audit
from workbench.core.errors import WorkbenchError
from workbench.core.project import ENTITY_TABLES
from workbench.tui.base import WorkbenchScreen
from workbench.tui.widgets.footer import KeyFooter
from workbench.tui.widgets.prompt import PromptModal

if TYPE_CHECKING:
    from workbench.core.project import Doc, Project

ALL = "all"
DISPLAY_LIMIT = 5_000
FIRST_ROWS = 100  # more than any terminal shows at once
PAINT_PAUSE = 1 / 30
FILTER_DELAY = 0.25  # seconds of no typing before the text filter applies
FAMILIES = (ALL, "coding", "code", "memo", "source", "undo/redo", "project", "other")
_FAMILY_OF_PREFIX = {
    "coding": "coding",
    "code": "code",
    "codebook": "code",
    "memo": "memo",
    "source": "source",
    "participant": "source",
    "undo": "undo/redo",
    "redo": "undo/redo",
    "project": "project",
}
# Seq, time, actor, action are fixed; the entity column takes the rest of the width.
COLUMNS = (("Seq", 6), ("Time (UTC)", 19), ("Actor", 8), ("Action", 15))
MIN_ENTITY_WIDTH = 18
# Below 120 columns the panes stack (class -narrow), from 120 they sit side by side (-wide; app.tcss).
BREAKPOINTS: list[tuple[int, str]] = [(0, "-narrow"), (120, "-wide")]


def family_of(action: str) -> str:
    """The `a` filter family of an audit action ("code.merge" -> "code"); plugins' actions are "other"."""
    return _FAMILY_OF_PREFIX.get(action.partition(".")[0], "other")


class Cell:
    """A one-line table cell that `DataTable` shows but does not measure.

    `DataTable` measures every cell of every row it is given, through Rich's console options, and that
    dominates the time to show thousands of events. These columns have fixed widths, so measuring is
    wasted: a renderable without `__rich_measure__` is skipped, which roughly halves the cost.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(self.text, no_wrap=True, overflow="ellipsis", end="")

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class EventRow:
    """One audit event as the table shows it, plus what `l` and the filters need."""

    seq: int
    time: str
    actor: str
    action: str
    entity: str
    family: str
    code_id: str | None  # the code this event is about: `l` shows its lineage
    code_hint: str | None  # for a coding event, the code applied: offered when `l` asks for a code
    haystack: str


def _changed_ids(event: Doc, table: str) -> list[str]:
    """Ids of `table` documents the event changed, in the order the operation wrote them."""
    ids: list[str] = []
    for side in (event.get("after"), event.get("before")):
        if isinstance(side, dict):
            for key in side:
                name, _, ident = key.partition("/")
                if name == table and ident not in ids:
                    ids.append(ident)
    return ids


def _doc_in_event(event: Doc, table: str, ident: str) -> Doc:
    """The event's own copy of a document (after, else before): ids and statuses survive redaction."""
    for side in (event.get("after"), event.get("before")):
        if isinstance(side, dict) and isinstance(doc := side.get(f"{table}/{ident}"), dict):
            return doc
    return {}


def _name(project: Project, kind: str, ident: str, event: Doc) -> tuple[str, str | None]:
    """A short name for the entity (from the live project: the log keeps only digests of words).

    Returns the name and, for codings, the label of the code applied. Cheap lookups only: this runs
    for every event in the log.
    """
    if kind == "code":
        doc = project.get("codes", ident)
        return (doc["label"] if doc else "[gone]"), None
    if kind == "coding":
        code_id = _doc_in_event(event, "codings", ident).get("code_id")
        code = project.get("codes", code_id) if isinstance(code_id, str) else None
        label = code["label"] if code else None
        return (f"→ {label}" if label else ""), label
    if kind == "memo":
        doc = project.get("memos", ident)
        return (doc.get("title", "") if doc else "[gone]"), None
    if kind == "participant":
        doc = project.get("participants", ident)
        return (doc.get("pseudonym", "") if doc else "[withdrawn]"), None
    if kind == "source":
        doc = project.get("sources", ident)
        participant = project.participant_of(doc) if doc else None
        return ((participant or {}).get("pseudonym", "") if doc else "[withdrawn]"), None
    return "", None


def _main_id(event: Doc, table: str) -> tuple[str | None, int]:
    """The id of the `table` document an event is mainly about, and how many others it changed.

    A merge changes several codes: the one still active is the target, whose lineage matters.
    """
    ids = _changed_ids(event, table)
    if len(ids) > 1:
        active = [i for i in ids if _doc_in_event(event, table, i).get("status") == "active"]
        return (active or ids)[0], len(ids) - 1
    return (ids[0] if ids else None), 0


def describe_entity(project: Project, event: Doc) -> tuple[str, str | None, str | None]:
    """(entity text, code id for lineage, code label hint) for one audit event.

    An event may name a bare kind ("code", "memo": logs written before ids were known); the id is
    then found in the documents the event changed. A code operation whose logged entity is not a
    code (a merge may name the snapshot it took) still offers the code it changed for `l`.
    """
    entity = str(event.get("entity", ""))
    kind, _, ident = entity.partition(":")
    if kind == "history":
        entry = project.get("history", ident)
        number = ident.lstrip("0") or "0"
        return (f"history {number}: {entry['summary']}" if entry else f"history {number}"), None, None
    extra = 0
    if not ident and kind in ENTITY_TABLES:
        found, extra = _main_id(event, ENTITY_TABLES[kind])
        ident = found or ""
    code_id = ident if kind == "code" and ident else None
    if code_id is None and family_of(str(event.get("action", ""))) == "code":
        code_id = _main_id(event, "codes")[0]
    if not ident:
        return entity, code_id, None
    name, hint = _name(project, kind, ident, event)
    text = f"{kind}:{ident} {name}".rstrip()
    if extra:
        text += f" (+{extra})"
    return text, code_id, hint


def _time(stamp: str) -> str:
    return stamp[:19].replace("T", " ")


def build_rows(project: Project, events: Iterable[Doc]) -> list[EventRow]:
    """Rows for every event, newest first; the one pass over the log each refresh makes."""
    rows: list[EventRow] = []
    for event in events:
        seq = int(event.get("seq", 0))
        action = str(event.get("action", ""))
        actor = str(event.get("actor", ""))
        time = _time(str(event.get("time", "")))
        entity, code_id, hint = describe_entity(project, event)
        rows.append(
            EventRow(
                seq,
                time,
                actor,
                action,
                entity,
                family_of(action),
                code_id,
                hint,
                f"#{seq} {time} {actor} {action} {entity}".casefold(),
            )
        )
    rows.sort(key=lambda r: r.seq, reverse=True)
    return rows


def filter_rows(rows: Sequence[EventRow], family: str, text: str) -> Sequence[EventRow]:
    """Rows of one action family whose time, actor, action or entity contains `text` (any case)."""
    needle = text.strip().casefold()
    if family == ALL and not needle:
        return rows
    return [r for r in rows if (family == ALL or r.family == family) and (not needle or needle in r.haystack)]


# -- lineage ---------------------------------------------------------------------------------------
def _label(project: Project, code_id: object) -> str:
    doc = project.get("codes", str(code_id)) if code_id else None
    return f"“{doc['label']}” ({code_id})" if doc else str(code_id or "top level")


def describe_lineage_event(project: Project, event: Doc) -> str:
    """One lineage event in words (CORE-5: create, rename, redefine, merge, split, move, level, retire)."""
    kind = event.get("event", "")
    if kind == "rename":
        return f"renamed “{event.get('previous_label', '?')}” → “{event.get('label', '?')}”"
    if kind == "redefine":
        return "redefined"
    if kind == "move":
        return f"moved under {_label(project, event.get('parent_id'))}"
    if kind == "level":
        return f"level {event.get('previous_level', '?')} → {event.get('level', '?')}"
    if kind == "retire":
        return "retired"
    if kind == "merge":
        return f"merged into {_label(project, event.get('merged_into'))}"
    if kind == "merge-in":
        sources = event.get("merged_from", [])
        return f"merged in {len(sources)} code(s): " + ", ".join(_label(project, c) for c in sources)
    if kind == "split":
        return "split into " + ", ".join(_label(project, c) for c in event.get("split_into", []))
    if kind == "split-in":
        return f"split off from {_label(project, event.get('split_from'))}"
    skip = {"event", "time", "actor", "code", "label"}
    details = ", ".join(f"{k}={v}" for k, v in event.items() if k not in skip)
    return f"{kind} {details}".rstrip()


STATUS_GLYPH = {"active": "●", "merged": "◌", "split": "◑", "retired": "○"}


@dataclass(frozen=True)
class Lineage:
    """A code's lineage as indented lines: (indent, text), so wrapped lines keep their place."""

    code_id: str
    lines: list[tuple[int, Text]]

    @property
    def plain(self) -> str:
        """The tree as plain indented text (for tests, copying, and a screen reader's eyes)."""
        return "\n".join(" " * indent + text.plain for indent, text in self.lines)

    def renderable(self) -> Group:
        return Group(*(Padding(text, (0, 0, 0, indent)) for indent, text in self.lines))


def lineage_tree(project: Project, ref: str) -> Lineage:
    """The lineage of a code (label or id) as a tree: the codes merged or split into it are its
    children, each with its own events, so "where did X come from?" reads top-down (CORE-5)."""
    events = project.lineage(ref)  # raises NotFoundError for an unknown code
    root = project.find_code(ref, active_only=False)
    assert root is not None  # lineage() found it
    by_code: dict[str, list[Doc]] = {}
    for event in events:
        by_code.setdefault(str(event["code"]), []).append(event)
    lines = [(0, Text(f"Lineage of “{root['label']}” ({root['id']}) · Esc closes", style="bold"))]
    seen: set[str] = set()

    def walk(code_id: str, depth: int) -> None:
        seen.add(code_id)
        doc = project.get("codes", code_id) or {}
        status = str(doc.get("status", "gone"))
        indent = 4 * depth
        branch = "└─ " if depth else ""
        glyph = STATUS_GLYPH.get(status, "?")
        lines.append((indent, Text(f"{branch}{glyph} {doc.get('label', code_id)} ({code_id}) [{status}]")))
        created = f"created {_time(str(doc.get('created_at', '')))[:16]} by {doc.get('created_by', '?')}"
        lines.append((indent + 5, Text(created, style="dim")))
        for event in by_code.get(code_id, []):
            when = _time(str(event.get("time", "")))[:16]
            what = describe_lineage_event(project, event)
            lines.append((indent + 5, Text(f"{when} {what} · {event.get('actor', '?')}")))
            children: list[str] = []
            if event.get("event") == "merge-in":
                children = [str(c) for c in event.get("merged_from", [])]
            elif event.get("event") == "split-in" and event.get("split_from"):
                children = [str(event["split_from"])]
            for child in children:
                if child not in seen:
                    walk(child, depth + 1)

    walk(str(root["id"]), 0)
    return Lineage(str(root["id"]), lines)


# -- the view ---------------------------------------------------------------------------------------
class HistoryScreen(WorkbenchScreen):
    """The audit log, newest first, with its chain check, filters and a code-lineage pane."""

    HELP_NAME = "History"
    HELP_INTRO = """Every change to the study, newest first, from the audit log: / filters by words, a
cycles the kinds of action, l shows the lineage of the highlighted code, L asks for a code first.
ctrl+z undoes the newest change."""

    AUTO_FOCUS = "#history-table"
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter",
                tooltip="Filter by words in time, actor, action or entity", id="history.filter"),
        Binding("a", "cycle_family", "Actions",
                tooltip="Show one family of actions: coding, code, memo, source, undo/redo, project",
                id="history.family"),
        Binding("l", "lineage", "Lineage",
                tooltip="Show the lineage of the selected event's code (asks for a code otherwise)",
                id="history.lineage"),
        Binding("L", "lineage_of", "Lineage of…", tooltip="Ask for a code and show its lineage",
                id="history.lineage_of"),
        Binding("escape", "back", "Back", tooltip="Clear the text filter, else close the lineage pane",
                id="history.back", show=False),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.family = ALL
        self._rows: list[EventRow] = []
        self._visible: Sequence[EventRow] = []
        self._matches = 0
        self._loaded = False
        self._verified: tuple[int, str | None] | None = None
        self._lineage_code: str | None = None
        self.lineage: Lineage | None = None  # what the lineage pane shows, while it is open
        self._entity_width = 0
        self._load_scheduled = False
        self._filter_timer: Timer | None = None
        self._fills_requested = self._fills_done = 0
        self._source: Project | None = None  # the project the rows were read from
        self._last_hash = audit.GENESIS  # hash of the newest event read, to chain new ones on

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("… reading the audit log", id="history-status")
        yield Input(placeholder="/ filter: time, actor, action or entity (Esc clears)", id="history-filter")
        with Container(id="history-main"):
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="history-lineage-pane"):
                yield Static(id="history-lineage")
        yield KeyFooter()

    # -- loading ------------------------------------------------------------------------------------
    def refresh_from_project(self) -> None:
        """Show the log as it is now (after any operation, undo or redo); the lineage pane too.

        One new event (the usual case: `u` pressed here) is appended and chained on to what was
        verified; anything else re-reads and re-verifies the whole log in a worker.
        """
        if self._lineage_code is not None:
            self._show_lineage(self._lineage_code, quiet=True)
        if self._append_new_event():
            return
        self._verified = None
        self._update_status()
        # Mount and resume both refresh on first show: coalesce them, as a load that a newer one
        # cancels still runs to the end in its thread.
        if not self._load_scheduled:
            self._load_scheduled = True
            self.call_after_refresh(self._start_load)

    def _append_new_event(self) -> bool:
        """The fast refresh: True if the shown log is current (again) without reading all of it.

        Names in older rows stay as they were read (a rename shows as its own new event).
        """
        project = self.project
        if (
            self._source is not project
            or self._load_scheduled
            or self._verified is None
            or self._verified[1] is not None
            or not self._rows
        ):
            return False
        tail = project.store.log_tail(audit.AUDIT_TABLE)
        if tail is None:
            return False
        newest = self._rows[0].seq
        if tail.get("seq") == newest and tail.get("hash") == self._last_hash:
            return True  # nothing new: a resume, or an operation that changed nothing
        intact = (
            tail.get("seq") == newest + 1
            and tail.get("prev_hash") == self._last_hash
            and audit.event_hash(tail) == tail.get("hash")
        )
        if not intact:
            return False  # more than one new event, or a broken link: the full read says which
        self._rows.insert(0, build_rows(project, [tail])[0])
        self._last_hash = str(tail["hash"])
        self._verified = (self._verified[0] + 1, None)
        self._fill()
        return True

    def _start_load(self) -> None:
        self._load_scheduled = False
        self._load(self.project)

    @work(thread=True, exclusive=True, group="history-load")
    def _load(self, project: Project) -> None:
        """Read, describe and verify the log off the UI thread; hand results back as they come."""
        worker = get_current_worker()
        try:
            events = project.audit_events()
            rows = build_rows(project, events)
        except WorkbenchError as exc:
            self._post(worker, self.notify, f"cannot read the audit log: {exc}", severity="error")
            return
        last_hash = str(events[-1].get("hash", "")) if events else audit.GENESIS
        self._post(worker, self._rows_loaded, project, rows, last_hash)
        if worker.is_cancelled:
            return
        try:
            verified = project.verify_audit()
        except WorkbenchError as exc:
            verified = (0, str(exc))
        self._post(worker, self._chain_verified, verified)

    def _post(self, worker: Worker[None], callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run `callback` on the UI thread unless a newer refresh (or quitting) cancelled this one."""
        if not worker.is_cancelled:
            self.app.call_from_thread(callback, *args, **kwargs)

    def _rows_loaded(self, project: Project, rows: list[EventRow], last_hash: str) -> None:
        self._source = project
        self._rows = rows
        self._last_hash = last_hash
        self._loaded = True
        self._fill()

    def _chain_verified(self, verified: tuple[int, str | None]) -> None:
        self._verified = verified
        self._update_status()

    def _entity_width_for(self, table: DataTable[Any]) -> int:
        """What the entity column can have: the table's laid-out width less the fixed columns."""
        fixed = sum(w for _, w in COLUMNS) + 2 * (len(COLUMNS) + 1) + 2  # cell padding, scrollbar
        # The table has the full width, or 3/5 of it beside the lineage from 120 columns (app.tcss).
        width = self.size.width * 3 // 5 if self.has_class("-wide") else self.size.width
        return max(MIN_ENTITY_WIDTH, width - fixed)

    def _columns(self, table: DataTable[Any]) -> None:
        self._entity_width = self._entity_width_for(table)
        table.clear(columns=True)
        for label, column_width in COLUMNS:
            table.add_column(label, width=column_width)
        table.add_column("Entity", width=self._entity_width)

    def _fill(self) -> None:
        """(Re)fill the table from the rows and filters; a newer fill cancels an unfinished one."""
        self._fills_requested += 1
        self._fill_worker(self._fills_requested)

    @work(exclusive=True, group="history-fill")
    async def _fill_worker(self, fill: int) -> None:
        """Show the filtered rows (newest `DISPLAY_LIMIT`): a screenful first, so the top paints at
        once, then the rest in one go (`DataTable` re-lays out all rows after every addition, so more,
        smaller chunks would cost more in total and still stall each key)."""
        table = self.query_one("#history-table", DataTable)
        shown = filter_rows(self._rows, self.family, self._filter_text())
        self._matches = len(shown)
        self._visible = shown[:DISPLAY_LIMIT]
        self._columns(table)
        self._update_status()
        for start, end in ((0, FIRST_ROWS), (FIRST_ROWS, len(self._visible))):
            table.add_rows(
                (Cell(str(r.seq)), Cell(r.time), Cell(r.actor), Cell(r.action), Cell(r.entity))
                for r in self._visible[start:end]
            )
            await asyncio.sleep(PAINT_PAUSE)  # let the first screenful paint before the rest
        self._fills_done = fill

    def on_resize(self) -> None:
        # After the layout (and the -narrow/-wide class) follows the new size: widths come from it.
        self.call_after_refresh(self._refill_if_resized)

    def _refill_if_resized(self) -> None:
        table = self.query_one("#history-table", DataTable)
        if self._loaded and self._entity_width_for(table) != self._entity_width:
            self._fill()

    @property
    def is_settled(self) -> bool:
        """True once the log is read, verified and fully shown, with no filter change pending.

        Tests and scripts wait for this instead of sleeping.
        """
        if not self.is_mounted:
            return False
        table = self.query_one("#history-table", DataTable)
        return (
            self._loaded
            and self._verified is not None
            and not self._load_scheduled
            and self._filter_timer is None
            and self._fills_done == self._fills_requested
            and table.row_count == len(self._visible)
        )

    # -- status line ----------------------------------------------------------------------------------
    def _update_status(self) -> None:
        if not self.is_mounted:
            return
        if self._verified is None:
            chain = "… verifying the chain"
        elif self._verified[1] is None:
            chain = f"✓ chain intact: {self._verified[0]:,} events"
        else:
            chain = f"✗ chain BROKEN at {self._verified[1]} ({self._verified[0]:,} verified before it)"
        parts = [chain]
        text = self._filter_text().strip()
        filtered = self.family != ALL or bool(text)
        if not self._loaded:
            parts.append("reading the log…")
        elif filtered:
            parts.append(f"{self._matches:,} of {len(self._rows):,} match")
        elif self._verified is None or self._verified[0] != len(self._rows):
            parts.append(f"{len(self._rows):,} events")
        if self._matches > DISPLAY_LIMIT:
            parts.append(f"newest {DISPLAY_LIMIT:,} shown: / or a to narrow")
        if self.family != ALL:
            parts.append(f"actions: {self.family}")
        if text:
            parts.append(f"filter: {text!r}")
        self.query_one("#history-status", Static).update(Text(" · ".join(parts)))

    # -- filters --------------------------------------------------------------------------------------
    def _filter_text(self) -> str:
        return self.query_one("#history-filter", Input).value

    def on_input_changed(self, event: Input.Changed) -> None:
        """Refill once typing pauses: a refill of thousands of rows per keystroke would lag typing."""
        if event.input.id != "history-filter":
            return
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self._filter_changed)

    def _filter_changed(self) -> None:
        self._filter_timer = None
        self._update_status()
        if self._loaded:
            self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "history-filter":
            self.query_one("#history-table").focus()

    def action_focus_filter(self) -> None:
        self.query_one("#history-filter", Input).focus()

    def action_cycle_family(self) -> None:
        self.family = FAMILIES[(FAMILIES.index(self.family) + 1) % len(FAMILIES)]
        self._update_status()
        if self._loaded:
            self._fill()

    def action_back(self) -> None:
        filter_input = self.query_one("#history-filter", Input)
        if filter_input.value:
            filter_input.value = ""  # its Changed event refills the table
        else:
            self.query_one("#history-lineage-pane").remove_class("-shown")
            self._lineage_code = None
            self.lineage = None
        self.query_one("#history-table").focus()

    # -- lineage --------------------------------------------------------------------------------------
    def selected_event(self) -> EventRow | None:
        """The event under the table cursor, if the table has rows."""
        table = self.query_one("#history-table", DataTable)
        row = table.cursor_row
        return self._visible[row] if table.row_count and 0 <= row < len(self._visible) else None

    def action_lineage(self) -> None:
        event = self.selected_event()
        if event is not None and event.code_id is not None:
            self._show_lineage(event.code_id)
            return
        self._ask_for_code(event.code_hint if event else None)

    def action_lineage_of(self) -> None:
        event = self.selected_event()
        self._ask_for_code(event.code_hint if event else None)

    def _ask_for_code(self, hint: str | None) -> None:
        def chosen(label: str | None) -> None:
            if label:
                self._show_lineage(label)

        self.app.push_screen(
            PromptModal("Lineage of which code? (label or id)", value=hint or "", placeholder="code label"),
            callback=chosen,
        )

    def _show_lineage(self, ref: str, *, quiet: bool = False) -> None:
        """Show a code's lineage; `quiet` is the refresh of an open pane, where the code may have
        gone (its creation undone): the pane then says so, and shows it again after a redo."""
        try:
            lineage = lineage_tree(self.project, ref)
        except WorkbenchError as exc:
            if not quiet:
                self.notify(str(exc), severity="error")
                return
            gone = Text(f"{ref}: {exc.message} (undone?) · Esc closes", style="italic")
            lineage = Lineage(ref, [(0, gone)])
        self.lineage = lineage
        self._lineage_code = lineage.code_id
        self.query_one("#history-lineage", Static).update(lineage.renderable())
        pane = self.query_one("#history-lineage-pane", VerticalScroll)
        pane.add_class("-shown")
        pane.scroll_home(animate=False)
