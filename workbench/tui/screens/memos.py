"""The memo index (METHODS 1.3 "Memo pane", CORE-6): every memo by type, date and linked entity.

Memos are where the analysis is written, so this view is for finding one again and re-reading it
against the data: the table lists memos (a Line-API `DataTable`, no widget per memo, so hundreds stay
fast), the preview shows the selected memo with its links, and a link to a segment or coding is shown
*live* (quote + pseudonym + page:line from the segment's own frozen LineMap), so a memo never cites a
quote that has since changed or been withdrawn (GOV-12).

Writing and editing reuse `MemoEditor`, so a memo written here is the same as one written with `m`
from any other view, and an edit keeps the old body as a revision (`v` shows them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, VerticalScroll
from textual.widgets import DataTable, Header, Input, Static

from workbench.core.errors import WorkbenchError
from workbench.core.project import ENTITY_TABLES
from workbench.core.text import format_citation
from workbench.tui.base import WorkbenchScreen
from workbench.tui.screens.memo_editor import MEMO_TYPES, MemoEditor
from workbench.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from workbench.core.project import Doc, Project

ALL = "all"
SORTS = ("date", "type")
SORT_NAMES = {"date": "newest first", "type": "by type, newest first"}
QUOTE_LIMIT = 300  # characters of a live quote shown in the preview; the transcript has the rest
MISSING = "[withdrawn or deleted]"
# Column widths that fit 80 columns (with DataTable's one-cell padding each side); the title and
# links columns share whatever else the terminal offers.
FIXED_WIDTHS = {"id": 5, "type": 12, "modified": 10, "rev": 3}
# Below 120 columns the panes stack (class -narrow), from 120 they sit side by side (-wide; app.tcss).
BREAKPOINTS: list[tuple[int, str]] = [(0, "-narrow"), (120, "-wide")]


# -- rendering entities (shared with the history view) ---------------------------------------------
@dataclass(frozen=True)
class LiveQuote:
    """A segment as CORE-6 wants it in a memo: the words now, who said them, and where (page:line)."""

    source_id: str
    start: int
    end: int
    quote: str
    citation: str
    current: bool  # False when the segment is on an earlier transcript version than the source shows
    flag: str = ""  # set when a correction changed the quoted words (CORE-4): the memo needs a look


def live_quote(project: Project, segment_id: str) -> LiveQuote | None:
    """The segment's quote and citation from its own version's LineMap; None if it no longer exists."""
    segment = project.get("segments", segment_id)
    version = project.get("versions", segment["version_id"]) if segment else None
    source = project.get("sources", version["source_id"]) if version else None
    if segment is None or version is None or source is None:
        return None
    try:
        record = project.text_record(version["id"])
    except WorkbenchError:
        return None
    participant = project.participant_of(source) or {}
    pseudonym = participant.get("pseudonym") or source.get("title") or source["id"]
    start, end = int(segment["start"]), int(segment["end"])
    try:
        citation = format_citation(
            record.linemap, start, end, pseudonym, participant.get("id", ""), project.citation_template()
        )
    except WorkbenchError:  # a citation style the line map cannot honour: still say where it is
        citation = f"{pseudonym}, {source['id']} chars {start}–{end}"
    quote = " ".join(record.text[start:end].split())
    if len(quote) > QUOTE_LIMIT:
        quote = quote[: QUOTE_LIMIT - 1].rstrip() + "…"
    current = version["id"] == source.get("version_id")
    return LiveQuote(source["id"], start, end, quote, citation, current, str(segment.get("flag") or ""))


def _pseudonym_of_source(project: Project, source: Doc) -> str:
    participant = project.participant_of(source) or {}
    return str(participant.get("pseudonym") or source.get("title") or "")


def entity_label(project: Project, ref: str) -> str:
    """A `kind:ID` reference as a researcher would say it: code labels, sources with pseudonyms.

    Ids stay in the text where they are the handle the CLI uses (S1, P01, M3); quotes are cited, not
    quoted, to keep one line short (the preview shows the words).
    """
    kind, _, ident = ref.partition(":")
    table = ENTITY_TABLES.get(kind)
    doc = project.get(table, ident) if table and ident else None
    if doc is None:
        return f"{ref} {MISSING}" if table else ref
    if kind == "code":
        status = "" if doc.get("status") == "active" else f" ({doc.get('status')})"
        return f"code: {doc['label']}{status}"
    if kind == "source":
        name = _pseudonym_of_source(project, doc)
        return f"{ident} {name}".rstrip()
    if kind == "participant":
        return f"{ident} {doc.get('pseudonym', '')}".rstrip()
    if kind == "segment":
        quote = live_quote(project, ident)
        return f"quote: {quote.citation}" if quote else f"{ref} {MISSING}"
    if kind == "coding":
        code = project.get("codes", doc["code_id"])
        quote = live_quote(project, doc["segment_id"])
        where = quote.citation if quote else MISSING
        return f"{code['label'] if code else doc['code_id']} @ {where}"
    if kind == "memo":
        return f"memo {ident}: {doc.get('title', '')}"
    name = doc.get("label") or doc.get("name") or doc.get("relation") or ""
    return f"{kind} {ident} {name}".rstrip()


def transcript_position(project: Project, ref: str) -> tuple[str, int | None] | None:
    """Where `g` goes for a link: (source id, offset or None); None if the link has no transcript."""
    kind, _, ident = ref.partition(":")
    if kind == "coding":
        coding = project.get("codings", ident)
        if coding is None:
            return None
        kind, ident = "segment", coding["segment_id"]
    if kind == "segment":
        quote = live_quote(project, ident)
        if quote is None:
            return None
        # An offset into an earlier version would land on the wrong words in the current text.
        return quote.source_id, quote.start if quote.current else None
    if kind == "source":
        return (ident, None) if project.get("sources", ident) is not None else None
    if kind == "participant":
        sources = sorted(project.index.sources_by_participant.get(ident, ()))
        return (sources[0], None) if sources else None
    return None


# -- the view ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemoRow:
    """One memo as the index shows it, with the text the `/` filter searches (casefolded once)."""

    id: str
    type: str
    title: str
    links: str
    modified: str
    revisions: int
    haystack: str


def memo_rows(project: Project) -> list[MemoRow]:
    """Every memo as an index row; built once per refresh so filtering and sorting never re-read."""
    rows: list[MemoRow] = []
    for memo in project.rows("memos"):
        links = "; ".join(entity_label(project, ref) for ref in memo.get("links", []))
        rows.append(
            MemoRow(
                id=memo["id"],
                type=memo.get("type", ""),
                title=memo.get("title", ""),
                links=links,
                modified=str(memo.get("modified_at", "")),
                revisions=len(memo.get("revisions", [])),
                haystack="\n".join((memo.get("title", ""), memo.get("body", ""), links)).casefold(),
            )
        )
    return rows


def select_rows(rows: Iterable[MemoRow], memo_type: str, text: str, sort: str) -> list[MemoRow]:
    """The rows the table shows for a type filter, a text filter and a sort order."""
    needle = text.strip().casefold()
    chosen = [
        r for r in rows if (memo_type == ALL or r.type == memo_type) and (not needle or needle in r.haystack)
    ]
    chosen.sort(key=lambda r: (r.modified, r.id), reverse=True)
    if sort == "type":
        chosen.sort(key=lambda r: r.type)  # stable: newest first within each type
    return chosen


def _date(stamp: str) -> str:
    return stamp[:10]


def _time(stamp: str) -> str:
    return stamp[:16].replace("T", " ") + " UTC" if stamp else "?"


def _cell(value: str) -> Text:
    """Cells are Text, never markup: a title such as "[laughs] then" must show as typed."""
    return Text(value, no_wrap=True, overflow="ellipsis")


class MemosScreen(WorkbenchScreen):
    """Memo index with filters and a live preview; writes go through `MemoEditor`."""

    HELP_NAME = "Memos"
    HELP_INTRO = """
Memos of the study: n writes a new one, Enter or e edits (the old text is kept as a revision),
t filters by type, / by text, g goes to the linked passage."""

    AUTO_FOCUS = "#memos-table"
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", tooltip="Write a new memo (not linked to anything)", id="memos.new"),
        Binding("e", "edit", "Edit", tooltip="Edit the selected memo (Enter works too); keeps a revision",
                id="memos.edit"),
        Binding("t", "cycle_type", "Type", tooltip="Show one memo type, cycling through all types",
                id="memos.type"),
        Binding("slash", "focus_filter", "Filter", tooltip="Filter by words in title, body or links",
                id="memos.filter"),
        Binding("o", "toggle_sort", "Sort", tooltip="Sort by date or by type", id="memos.sort"),
        Binding("v", "toggle_revisions", "Revisions",
                tooltip="Show the selected memo's earlier versions in the preview", id="memos.revisions"),
        Binding("g", "goto", "Go to text", tooltip="Open the transcript at the memo's first linked quote",
                id="memos.goto"),
        Binding("escape", "clear_filter", "Clear filter",
                tooltip="Clear the text filter and return to the list", id="memos.clear_filter", show=False),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.memo_type = ALL
        self.sort = SORTS[0]
        self.show_revisions = False
        self._rows: list[MemoRow] = []
        self._shown: list[MemoRow] = []
        self._select: str | None = None  # memo to put the cursor on after the next rebuild

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="memos-status")
        yield Input(placeholder="/ filter: words in title, body or links (Esc clears)", id="memos-filter")
        with Container(id="memos-main"):
            yield DataTable(id="memos-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="memos-preview-pane"):
                yield Static(id="memos-preview")
        yield KeyFooter()

    # -- building -----------------------------------------------------------------------------------
    def refresh_from_project(self) -> None:
        """Rebuild the rows from the project (after any operation, an undo, or a project switch)."""
        self._rows = memo_rows(self.project)
        self._show()

    def on_resize(self) -> None:
        # After the layout (and the -narrow/-wide class) follows the new size: widths come from it.
        self.call_after_refresh(self._show)

    def _types(self) -> list[str]:
        """All, the editor's types, then any other type found (plugins may add their own)."""
        extra = sorted({r.type for r in self._rows} - set(MEMO_TYPES))
        return [ALL, *MEMO_TYPES, *extra]

    def _show(self) -> None:
        if not self.is_mounted:
            return
        table = self.query_one("#memos-table", DataTable)
        keep = self._select or self.selected_id()
        self._select = None
        text = self.query_one("#memos-filter", Input).value
        self._shown = select_rows(self._rows, self.memo_type, text, self.sort)
        table.clear(columns=True)
        # The table has the full width, or 3/5 of it beside the preview from 120 columns (app.tcss).
        width = self.size.width * 3 // 5 if self.has_class("-wide") else self.size.width
        spare = max(width, 60) - sum(FIXED_WIDTHS.values()) - 2 * 6 - 2
        title_width = max(12, spare * 11 // 20)
        table.add_column("Id", width=FIXED_WIDTHS["id"], key="id")
        table.add_column("Type", width=FIXED_WIDTHS["type"], key="type")
        table.add_column("Title", width=title_width, key="title")
        table.add_column("Links", width=max(10, spare - title_width), key="links")
        table.add_column("Modified", width=FIXED_WIDTHS["modified"], key="modified")
        table.add_column("Rev", width=FIXED_WIDTHS["rev"], key="rev")
        for row in self._shown:
            table.add_row(
                _cell(row.id),
                _cell(row.type),
                _cell(row.title),
                _cell(row.links or "—"),
                _cell(_date(row.modified)),
                Text(str(row.revisions), justify="right"),
                key=row.id,
            )
        ids = [r.id for r in self._shown]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        self._update_status()
        self._update_preview()

    def _update_status(self) -> None:
        text = self.query_one("#memos-filter", Input).value.strip()
        parts = [
            f"{len(self._shown)} of {len(self._rows)} memos" if len(self._shown) != len(self._rows)
            else f"{len(self._rows)} memos",
            f"type: {self.memo_type}",
            f"sort: {SORT_NAMES[self.sort]}",
        ]  # fmt: skip
        if text:
            parts.append(f"filter: {text!r}")
        if self.show_revisions:
            parts.append("preview: revisions (v)")
        self.query_one("#memos-status", Static).update(Text(" · ".join(parts)))

    def selected_id(self) -> str | None:
        """The memo under the table cursor, if any."""
        table = self.query_one("#memos-table", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _selected_memo(self) -> Doc | None:
        memo_id = self.selected_id()
        return self.project.get("memos", memo_id) if memo_id else None

    # -- preview ------------------------------------------------------------------------------------
    def _update_preview(self) -> None:
        memo = self._selected_memo()
        preview = self.query_one("#memos-preview", Static)
        if memo is None:
            empty = "No memos yet: n writes one." if not self._rows else "No memo matches the filters."
            preview.update(Text(empty, style="italic"))
            return
        preview.update(self._revisions_text(memo) if self.show_revisions else self._memo_text(memo))
        self.query_one("#memos-preview-pane", VerticalScroll).scroll_home(animate=False)

    def _memo_text(self, memo: Doc) -> Text:
        out = Text()
        out.append(f"{memo['id']}  {memo.get('title', '')}\n", style="bold")
        revisions = len(memo.get("revisions", []))
        out.append(
            f"{memo.get('type', '')} · {memo.get('author', '')} · created {_date(memo.get('created_at', ''))}"
            f" · modified {_date(memo.get('modified_at', ''))} · {revisions} revision(s)\n\n",
            style="dim",
        )
        out.append(memo.get("body", "") or "(empty)")
        out.append("\n")
        links = memo.get("links", [])
        out.append(f"\nLinks ({len(links)})\n", style="bold")
        if not links:
            out.append("  none\n")
        for ref in links:
            self._append_link(out, ref)
        return out

    def _append_link(self, out: Text, ref: str) -> None:
        """One link: what it is, and for segments and codings the live quote (CORE-6)."""
        project = self.project
        out.append(f"  • {entity_label(project, ref)}  ({ref})\n")
        kind, _, ident = ref.partition(":")
        segment_id: str | None = ident if kind == "segment" else None
        if kind == "coding" and (coding := project.get("codings", ident)) is not None:
            segment_id = coding["segment_id"]
        if segment_id is None:
            return
        quote = live_quote(project, segment_id)
        if quote is None:
            out.append(f"      {MISSING}\n", style="italic")
            return
        out.append(f"      “{quote.quote}”", style="italic")
        out.append(f" — {quote.citation}")
        if not quote.current:
            out.append(" (earlier transcript version)", style="dim")
        out.append("\n")
        if quote.flag:
            out.append(f"      ⚑ {quote.flag}\n", style="bold")

    def _revisions_text(self, memo: Doc) -> Text:
        revisions = list(memo.get("revisions", []))
        out = Text()
        out.append(
            f"{memo['id']}  {memo.get('title', '')} — {len(revisions)} earlier version(s)\n\n", style="bold"
        )
        out.append(
            f"▶ current · {_time(memo.get('modified_at', ''))} · {memo.get('author', '')}\n", style="bold"
        )
        out.append((memo.get("body", "") or "(empty)") + "\n")
        for number, revision in reversed(list(enumerate(revisions, start=1))):
            when, author = _time(revision.get("modified_at", "")), revision.get("author", "")
            out.append(f"\n◇ revision {number} · {when} · {author}\n", style="bold")
            out.append((revision.get("body", "") or "(empty)") + "\n")
        if not revisions:
            out.append("\nNo earlier versions: editing (e) keeps the old text here.\n", style="italic")
        return out

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "memos-table":
            self._update_preview()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "memos-table":
            self.action_edit()

    # -- filter input -------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "memos-filter":
            self._show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "memos-filter":
            self.query_one("#memos-table").focus()

    # -- actions ------------------------------------------------------------------------------------
    def _writable(self) -> bool:
        if self.wb.readonly:
            self.notify("the project is open read-only: memos cannot be written", severity="warning")
            return False
        return True

    def action_new(self) -> None:
        if self._writable():
            self.app.push_screen(MemoEditor(), callback=self._saved)

    def action_edit(self) -> None:
        memo_id = self.selected_id()
        if memo_id is None:
            self.notify("no memo selected: n writes one", severity="warning")
            return
        if self._writable():
            self.app.push_screen(MemoEditor(memo_id=memo_id), callback=self._saved)

    def _saved(self, memo_id: object) -> None:
        """Put the cursor on the memo just written, widening the filters if they would hide it."""
        if not isinstance(memo_id, str):
            return
        self._rows = memo_rows(self.project)
        row = next((r for r in self._rows if r.id == memo_id), None)
        if row is not None and row not in select_rows([row], self.memo_type, self._filter_text(), self.sort):
            self.memo_type = ALL
            self.query_one("#memos-filter", Input).value = ""  # its Changed event re-shows, too
        self._select = memo_id
        self._show()

    def _filter_text(self) -> str:
        return self.query_one("#memos-filter", Input).value

    def action_cycle_type(self) -> None:
        types = self._types()
        index = types.index(self.memo_type) if self.memo_type in types else 0
        self.memo_type = types[(index + 1) % len(types)]
        self._show()

    def action_focus_filter(self) -> None:
        self.query_one("#memos-filter", Input).focus()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#memos-filter", Input)
        if filter_input.value:
            filter_input.value = ""
            self._show()
        self.query_one("#memos-table").focus()

    def action_toggle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._show()

    def action_toggle_revisions(self) -> None:
        self.show_revisions = not self.show_revisions
        self._update_status()
        self._update_preview()

    def action_goto(self) -> None:
        memo = self._selected_memo()
        if memo is None:
            self.notify("no memo selected", severity="warning")
            return
        for ref in memo.get("links", []):
            position = transcript_position(self.project, ref)
            if position is not None:
                source_id, offset = position
                if offset is None and ref.partition(":")[0] in ("segment", "coding"):
                    self.notify(f"that quote is on an earlier version of {source_id}: opening its start")
                self.wb.open_transcript(source_id, offset)
                return
        self.notify("this memo links to no transcript, segment or coding", severity="warning")
