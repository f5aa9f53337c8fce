"""The corpus search view (app mode "search", key 8): every transcript's hits in context, auto-coded
from the keyboard, and the words the participants use most.

"Where in all my interviews did anyone talk about hope?" is answered as keyword in context (KWIC):
one row per hit with its citation, the words before it right-aligned, the hit, the words after, so the
hits of a column read down the page. The query line takes the search language of
`workbench.core.search.query` (words, "a phrase", a OR b, -word, prefix*); the options line under it
takes how to match and what to search, as words (`stem near=5 participant=P01`, see `OPTIONS_HELP`),
so every option is typed, never pointed at. Enter (in either line) searches and keeps the keys: the
next query can be typed at once and type-ahead never runs a command (the retrieval view's pattern).
Down or Esc moves to the list.

On the list, Enter opens the transcript at the hit (with the search's hits shown there: n/N go on
from hit to hit); space marks a hit (`*` in its row, not colour); `c` codes the marked hits — or,
after a question, all of them — with the code picker, then asks how much around each hit to code
(the hit, its sentence, turn or paragraph) and runs `core.search.autocode` on exactly those hits:
one operation, one ctrl+z. `w` shows the word frequencies instead (word, count, sources,
participants, with `top=` and `by=` from the options line); Enter on a word searches for it.

Searching and counting run in a worker thread while the status line says so; Esc cancels (the list
keeps what it showed). Auto-coding runs in a thread too, under a progress dialog whose Esc cancels
it before anything is written. Participants a method plugin hides now (IPA bracketing) are left out
of both, and one it locks is never auto-coded (`WorkbenchApp.case_access`).

Thousands of hits are drawn by `KwicList`, a Line-API `ScrollView` formatting only the rows on
screen, never one widget per hit.
"""

from __future__ import annotations

import contextlib
import shlex
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Container
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable, Header, Input, Static

from workbench.core.errors import BadInputError, WorkbenchError
from workbench.core.search.autocode import SCOPES, AutocodeResult, autocode
from workbench.core.search.corpus import Hit, SearchOptions, SearchResult, search
from workbench.core.search.frequency import BY, WordCount, word_frequencies
from workbench.core.search.language import language_of
from workbench.tui.base import WorkbenchScreen
from workbench.tui.screens.code_picker import CodePicker, picker_codes
from workbench.tui.typeahead import after_keys
from workbench.tui.widgets.find_line import FindQuery, QueryLine
from workbench.tui.widgets.footer import KeyFooter
from workbench.tui.widgets.prompt import ChoiceModal, ConfirmModal, ProgressModal
from workbench.tui.widgets.scrolling import set_scroll_range

__all__ = ["OPTIONS_HELP", "KwicList", "SearchScreen", "SearchSettings", "parse_options"]

T = TypeVar("T")
CURSOR_GLYPH = "▶"
MARK_GLYPH = "*"
QUERY_PLACEHOLDER = 'search: words, "a phrase", a OR b, -word, prefix*  (Enter searches)'
OPTIONS_PLACEHOLDER = "options: stem accents regex near=5 source= participant= speaker= code= top= by="
OPTIONS_HELP = (
    "stem, accents, regex, near=N, source=ID, participant=ID, speaker=LABEL|ROLE, code=LABEL "
    '(quote labels with spaces: code="Holding hope"), top=N, by=participant|source|code, '
    "stopwords=none|LANGUAGE|FILE, min=N"
)
"""What the options line takes (said when it holds something else)."""
SCOPE_CHOICES = (
    ("hit", "the hit only (the words found)"),
    ("sentence", "the sentence around each hit"),
    ("turn", "the speaker turn around each hit"),
    ("paragraph", "the paragraph around each hit"),
)
assert tuple(scope for scope, _text in SCOPE_CHOICES) == SCOPES


# -- the options line -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchSettings:
    """What the options line says: how to match, what to search, and how to count words."""

    regex: bool = False
    stem: bool = False
    ignore_accents: bool = False
    near: int | None = None
    sources: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    top: int = 50
    by: str | None = None
    stopwords: str = ""
    min_length: int = 1

    def search_options(self, hidden: dict[str, str]) -> SearchOptions:
        return SearchOptions(
            regex=self.regex,
            stem=self.stem,
            ignore_accents=self.ignore_accents,
            near=self.near,
            sources=self.sources,
            participants=self.participants,
            speakers=self.speakers,
            codes=self.codes,
            hidden=hidden,
        )

    def find(self, query: str) -> FindQuery:
        """The query and the options that change matching, for the transcript view's find."""
        return FindQuery(query, self.regex, self.stem, self.ignore_accents, self.near)

    def describe(self) -> str:
        """The search options in effect, short ("" for none)."""
        words = [name for name, on in (("regex", self.regex), ("stem", self.stem)) if on]
        if self.ignore_accents:
            words.append("accents")
        if self.near is not None:
            words.append(f"near={self.near}")
        for name, values in (
            ("source", self.sources),
            ("participant", self.participants),
            ("speaker", self.speakers),
            ("code", self.codes),
        ):
            words += [f"{name}={value}" for value in values]
        return " ".join(words)


_FLAGS = {"regex": "regex", "re": "regex", "stem": "stem", "accents": "ignore_accents"}
_FLAGS.update({"ignore-accents": "ignore_accents", "noaccents": "ignore_accents"})
_LISTS = {"source": "sources", "participant": "participants", "speaker": "speakers", "code": "codes"}


def _number(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise BadInputError(f"{name}= needs a whole number, 1 or more (not {value!r})", "options")
    return number


def parse_options(text: str) -> SearchSettings:
    """Read the options line (see `OPTIONS_HELP`); BadInputError says what it cannot read."""
    try:
        tokens = shlex.split(text)
    except ValueError:
        raise BadInputError("unbalanced quote in the options", "options") from None
    values: dict[str, Any] = {}
    lists: dict[str, list[str]] = {field: [] for field in _LISTS.values()}
    for token in tokens:
        name, has_value, value = token.partition("=")
        name = name.strip().lower()
        if not has_value and name in _FLAGS:
            values[_FLAGS[name]] = True
        elif has_value and name in _LISTS:
            parts = [value] if name == "code" else value.split(",")  # labels may hold commas
            parts = [part.strip() for part in parts if part.strip()]
            if not parts:
                raise BadInputError(f"{name}= needs a value", "options")
            lists[_LISTS[name]].extend(parts)
        elif has_value and name == "near":
            values["near"] = _number("near", value)
        elif has_value and name == "top":
            values["top"] = _number("top", value)
        elif has_value and name == "min":
            values["min_length"] = _number("min", value)
        elif has_value and name == "by":
            by = value.strip().lower()
            if by not in (*BY, "none", ""):
                raise BadInputError(f"by= takes {', '.join(BY)} or none (not {value!r})", "options")
            values["by"] = by if by in BY else None
        elif has_value and name == "stopwords":
            values["stopwords"] = value.strip()
        else:
            raise BadInputError(f"unknown option {token!r}; the options line takes {OPTIONS_HELP}", "options")
    values.update({field: tuple(found) for field, found in lists.items()})
    return SearchSettings(**values)


def said(error: WorkbenchError) -> str:
    """An error as the search view says it: the CLI's `--source` becomes `source`."""
    where = (error.where or "").lstrip("-")
    return f"{where}: {error.message}" if where and where not in ("query", "autocode") else error.message


# -- the KWIC list ------------------------------------------------------------------------------------------
def fit(value: str, width: int) -> str:
    """`value` on one line in exactly `width` cells, cut at the end with an ellipsis."""
    value = " ".join(value.split())
    if width <= 0:
        return ""
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


def fit_left(value: str, width: int) -> str:
    """`value` right-aligned in exactly `width` cells, cut at the start with an ellipsis."""
    value = " ".join(value.split())
    if width <= 0:
        return ""
    if cell_len(value) <= width:
        return " " * (width - cell_len(value)) + value
    kept: list[str] = []
    cells = 1  # the ellipsis
    for character in reversed(value):
        if cells + cell_len(character) > width:
            break
        kept.append(character)
        cells += cell_len(character)
    return " " * (width - cells) + "…" + "".join(reversed(kept))


@dataclass(frozen=True)
class KwicColumns:
    """Cell widths of a row: citation, left context and (at most) the keyword; the rest is right context."""

    citation: int
    left: int
    keyword: int

    def header(self, width: int) -> str:
        head = "  " + fit("Citation", self.citation) + "  " + fit_left("before", self.left) + " hit · after"
        return set_cell_size(head, max(width, 0))


class KwicList(ScrollView, can_focus=True):
    """Hits as keyword-in-context rows, drawn line by line; `*` marks a hit, `▶` the cursor row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Previous hit", id="search.previous", show=False),
        Binding("down,j", "cursor(1)", "Next hit", id="search.next", show=False),
        Binding("pageup", "page(-1)", "Page up", id="search.page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="search.page_down", show=False),
        Binding("home", "edge(-1)", "First hit", id="search.first", show=False),
        Binding("end", "edge(1)", "Last hit", id="search.last", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"kwic-list--cursor", "kwic-list--hit"}
    DEFAULT_CSS = """
    KwicList { overflow-x: hidden; overflow-y: scroll; }
    KwicList > .kwic-list--cursor {
        background: $block-cursor-blurred-background; color: $block-cursor-blurred-foreground;
    }
    KwicList:focus > .kwic-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    KwicList > .kwic-list--hit { text-style: bold underline; }
    """

    class Selected(Message):
        """A hit was clicked while under the cursor (the mouse's Enter)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []
        self.marked: set[int] = set()  # indexes into `hits`
        self.cursor = -1
        self._cache: LRUCache[tuple[int, int, bool, bool, bool], Strip] = LRUCache(1024)
        self._columns: tuple[int, KwicColumns] | None = None

    # -- data ------------------------------------------------------------------------------------------
    def set_hits(self, hits: Sequence[Hit], *, keep: bool = False) -> None:
        """Show `hits`; with `keep`, marks and the cursor stay on the hits that are still there."""
        where = {(h.source, h.start, h.end): i for i, h in enumerate(hits)}
        marked: set[int] = set()
        cursor = 0 if hits else -1
        if keep:
            for index in self.marked:
                old = self.hits[index]
                found = where.get((old.source, old.start, old.end))
                if found is not None:
                    marked.add(found)
            current = self.current
            if current is not None:
                cursor = where.get((current.source, current.start, current.end), cursor)
        self.hits = list(hits)
        self.marked = marked
        self.cursor = cursor
        self._cache.clear()
        self._columns = None
        set_scroll_range(self, Size(self.size.width, len(self.hits)))
        self.scroll_to(y=0, animate=False)
        self._scroll_to_cursor()
        self.refresh()

    @property
    def current(self) -> Hit | None:
        return self.hits[self.cursor] if 0 <= self.cursor < len(self.hits) else None

    def marked_hits(self) -> list[Hit]:
        """The marked hits, in list order."""
        return [self.hits[i] for i in sorted(self.marked)]

    def toggle_mark(self) -> bool | None:
        """Mark or unmark the hit under the cursor; True if now marked, None if there is none."""
        if self.current is None:
            return None
        now = self.cursor not in self.marked
        if now:
            self.marked.add(self.cursor)
        else:
            self.marked.discard(self.cursor)
        self.refresh_line(self.cursor)
        return now

    def clear_marks(self) -> None:
        self.marked.clear()
        self._cache.clear()
        self.refresh()

    def cursor_cell(self) -> tuple[int, int]:
        """(x, y) of the cursor row within the list, for the terminal cursor (screen_reader.py)."""
        return 0, max(self.cursor, 0) - int(self.scroll_offset.y)

    def columns(self) -> KwicColumns:
        width = self.scrollable_content_region.width or self.size.width or 80
        if self._columns is not None and self._columns[0] == width:
            return self._columns[1]
        citation = min(max((cell_len(h.citation) for h in self.hits), default=8), 20)
        keyword = min(max((cell_len(" ".join(h.text.split())) for h in self.hits), default=4), 20)
        left = max(8, (width - 2 - citation - 2 - 1 - keyword - 1) // 2)
        columns = KwicColumns(max(citation, 8), left, keyword)
        self._columns = (width, columns)
        return columns

    # -- drawing -----------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width or self.size.width
        if not 0 <= row < len(self.hits):
            return Strip.blank(width, self.rich_style)
        key = (row, width, row == self.cursor, row in self.marked, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width).crop_extend(0, width, self.rich_style)
            self._cache[key] = strip
        return strip.apply_offsets(0, row)

    def _render_row(self, row: int, width: int) -> Strip:
        hit = self.hits[row]
        columns = self.columns()
        style = self.rich_style
        if row == self.cursor:
            style = style + self.get_component_rich_style("kwic-list--cursor")
        head = (
            (CURSOR_GLYPH if row == self.cursor else " ")
            + (MARK_GLYPH if row in self.marked else " ")
            + fit(hit.citation, columns.citation)
            + "  "
            + fit_left(hit.before, columns.left)
            + " "
        )
        room = max(width - cell_len(head), 1)
        word = " ".join(hit.text.split())
        if cell_len(word) > room:
            word = fit(word, room)
        after = fit(hit.after, max(room - cell_len(word) - 1, 0))
        return Strip(
            [
                Segment(head, style),
                Segment(word, style + self.get_component_rich_style("kwic-list--hit")),
                Segment(" " + after, style),
            ]
        )

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self._columns = None
        set_scroll_range(self, Size(event.size.width, len(self.hits)))
        self._scroll_to_cursor()

    # -- cursor ------------------------------------------------------------------------------------------
    def _move(self, row: int) -> None:
        if not self.hits:
            return
        row = max(0, min(row, len(self.hits) - 1))
        if row == self.cursor:
            return
        old, self.cursor = self.cursor, row
        for changed in (old, row):
            if changed >= 0:
                self.refresh_line(changed)
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if self.cursor < 0 or height <= 0:
            return
        y = int(self.scroll_offset.y)
        if self.cursor < y:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= y + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self._move(self.cursor + step)

    def action_page(self, step: int) -> None:
        self._move(self.cursor + step * max(self.scrollable_content_region.height - 1, 1))

    def action_edge(self, step: int) -> None:
        self._move(0 if step < 0 else len(self.hits) - 1)

    def on_click(self, event: events.Click) -> None:
        row = event.y + int(self.scroll_offset.y)
        if 0 <= row < len(self.hits):
            if row == self.cursor:
                self.post_message(self.Selected())
            else:
                self._move(row)


# -- the screen ---------------------------------------------------------------------------------------------
class SearchScreen(WorkbenchScreen):
    """Mode "search": query and options lines, the KWIC hits or the word frequencies, a status line."""

    HELP_NAME = "Search"
    HELP_INTRO = """
Search every transcript: type words in the query line ("a phrase", a OR b, -word to leave turns out,
support* for any ending; words must share a turn) and press Enter. The options line under it (Tab) takes
words too: stem (supported finds support), accents (cafe finds café), regex (the query is a regular
expression), near=5 (the words within 5 of each other), and filters source=S1, participant=P01,
speaker=interviewer (or a label), code="Holding hope" (only inside that code's segments); top=20 and
by=participant or by=source shape the word list. The lines keep the keys, so the next query can be typed
at once; Down or Esc moves to the hits. There, Enter opens the transcript at a hit (n and N then go on
through the hits), space marks hits with *, u unmarks them all, and c codes the marked hits (all of
them, if none is marked, after asking): pick or create the code, then choose how much to code around
each hit. ctrl+z undoes the whole auto-code. w shows the words used most instead; Enter on a word
searches for it. While a search, a count or an auto-code runs, Esc cancels it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_hit", "Go to text", id="search.open", priority=True,
                tooltip="Open the transcript at this hit (n/N there go on through the hits)"),
        Binding("space", "toggle_mark", "Mark", id="search.mark",
                tooltip="Mark or unmark the hit under the cursor (marked hits show *)"),
        Binding("c", "code_hits", "Code hits", id="search.code",
                tooltip="Auto-code the marked hits (or all hits) with a code, as one undoable step"),
        Binding("u", "unmark_all", "Unmark all", id="search.unmark", show=False,
                tooltip="Unmark every marked hit"),
        Binding("w", "toggle_words", "Words", id="search.words",
                tooltip="Show the word frequencies instead of the hits, or the hits again"),
        Binding("slash", "focus_query", "Query", id="search.query", tooltip="Edit the search query"),
        Binding("o", "focus_options", "Options", id="search.options", show=False,
                tooltip="Edit the options line (stem, accents, regex, near=, filters, top=, by=)"),
        # Esc cancels a running search or count first; otherwise it leaves a line for the list.
        Binding("escape", "cancel_job", "Cancel", id="search.cancel",
                tooltip="Stop the search or count that is running (the list keeps what it showed)"),
        Binding("escape,down", "focus_results", "Results", id="search.results",
                tooltip="Leave the query or options line for the list"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    SearchScreen #search-query, SearchScreen #search-options { height: 1; border: none; padding: 0 1; }
    SearchScreen #search-status { height: 1; padding: 0 1; text-style: bold; }
    SearchScreen #search-status { text-wrap: nowrap; text-overflow: ellipsis; }
    SearchScreen #search-columns { height: 1; color: $text-muted; text-style: bold; }
    SearchScreen #search-hits-pane, SearchScreen #search-words { height: 1fr; }
    SearchScreen #search-hits { height: 1fr; }
    SearchScreen #search-words { display: none; }
    SearchScreen.-words #search-words { display: block; }
    SearchScreen.-words #search-hits-pane { display: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.words_mode = False
        self.query_text = ""  # the query the hits answer (the line may hold an edit not yet run)
        self.settings = SearchSettings()  # the options the hits (or the words) answer
        self.result: SearchResult | None = None
        self.rows: list[WordCount] = []  # the word list
        self.error: str | None = None
        self.job: str | None = None  # what the worker thread is doing ("search", "count"), if anything
        self._generation = 0  # bumped by each job and each cancel: a result of an older one is dropped
        self._job_generation = -1
        self._ran: tuple[str, str, int, int] | None = None  # (query, options line, project state) of the hits
        self._counted: tuple[str, int, int] | None = None  # (options line, project state) of the words
        self._started = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield QueryLine(placeholder=QUERY_PLACEHOLDER, id="search-query")
        yield QueryLine(placeholder=OPTIONS_PLACEHOLDER, id="search-options")
        yield Static(id="search-status")
        with Container(id="search-hits-pane"):
            yield Static(id="search-columns")
            yield KwicList(id="search-hits")
        yield DataTable(id="search-words", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    @property
    def hit_list(self) -> KwicList:
        return self.query_one(KwicList)

    @property
    def query_input(self) -> Input:
        return self.query_one("#search-query", Input)

    @property
    def options_input(self) -> Input:
        return self.query_one("#search-options", Input)

    @property
    def words_table(self) -> DataTable[Any]:
        return self.query_one("#search-words", DataTable)

    @property
    def typing(self) -> bool:
        return self.is_mounted and self.focused in (self.query_input, self.options_input)

    # -- refreshing ----------------------------------------------------------------------------------------
    def refresh_from_project(self) -> None:
        """First visit: ready to type. Later: what is shown is searched (or counted) again if the
        project changed since (a transcript edited, a code applied), keeping marks and cursor."""
        if not self._started:
            self._started = True
            self.update_status()
            self.set_focus(self.query_input)
            return
        if self.job is not None:
            return
        if self.words_mode:
            if self._counted is not None and self._counted[1:] != self.project_state:
                self.count_words(quiet=True)
        elif self._ran is not None and self._ran[2:] != self.project_state:
            same_project = self._ran[2] == id(self.project)  # (not after `p`: other transcripts)
            self.run_search(self.query_text, self._ran[1], keep=same_project, quiet=True)

    # -- jobs ------------------------------------------------------------------------------------------------
    def _start_job(
        self, kind: str, label: str, compute: Callable[[], T], done: Callable[[T], None], quiet: bool
    ) -> bool:
        """Run `compute` in a worker thread and `done(result)` on the UI thread, unless cancelled.

        While it runs the app refuses changes to the project (`WorkbenchApp.busy`), so the thread
        reads one state; a cancelled job's result is dropped when it arrives.
        """
        app = self.wb
        if self.job is not None or app.busy:
            if not quiet:
                what = f"the {self.job}" if self.job else app.busy
                self.notify(f"wait: {what} is still running (Esc cancels it)", severity="warning")
            return False
        self._generation += 1
        generation = self._job_generation = self._generation
        self.job = kind
        app.busy = label
        app.set_progress(label)
        self.update_status()

        def work() -> None:
            try:
                value, error = compute(), None
            except WorkbenchError as exc:
                value, error = None, exc
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile: nobody to tell
                app.call_from_thread(self._job_done, generation, value, error, done)

        self.run_worker(work, thread=True, name=kind, group="search", exit_on_error=True)
        return True

    def _job_done(
        self, generation: int, value: Any, error: WorkbenchError | None, done: Callable[[Any], None]
    ) -> None:
        app = self.wb
        self.job = None
        app.busy = None
        app.sub_title = app.project.title
        if generation != self._generation:  # cancelled: nothing new is shown
            self.update_status()
            return
        if error is not None:
            self.error = said(error)
            self.notify(self.error, severity="error")
        else:
            self.error = None
            done(value)
        self.update_status()
        self.wb.flush_repaints(self)

    def action_cancel_job(self) -> None:
        """Esc while a search or count runs: drop its result when it comes (a thread cannot be stopped)."""
        if self.job is None:
            return
        self._generation += 1
        self.notify(f"{self.job} cancelled: the view shows what it showed before", severity="warning")
        self.update_status()

    # -- searching -------------------------------------------------------------------------------------------
    def _settings(self, options_line: str) -> SearchSettings | None:
        try:
            return parse_options(options_line)
        except WorkbenchError as exc:
            self.error = said(exc)
            self.notify(self.error, severity="error")
            self.update_status()
            return None

    def run_search(self, query: str, options_line: str, *, keep: bool = False, quiet: bool = False) -> None:
        """Search for `query` with the options line's settings (in a worker); the hits replace the list."""
        settings = self._settings(options_line)
        if settings is None:
            return
        if not query.strip():
            self.error = "the query is empty: type a word or phrase to search for"
            if not quiet:
                self.notify(self.error, severity="warning")
            self.update_status()
            return
        options = settings.search_options(self.wb.case_access().hidden)
        project = self.project
        state = (query, options_line, *self.project_state)

        def done(result: SearchResult) -> None:
            self.query_text, self.settings, self.result, self._ran = query, settings, result, state
            self.hit_list.set_hits(result.hits, keep=keep)
            self._show_columns()
            if not quiet:
                for note in result.notes:
                    self.notify(note, severity="warning")
                self.notify(self._count_line())

        self._start_job(
            "search", f"searching {query!r}", lambda: search(project, query, options), done, quiet
        )

    def count_words(self, *, quiet: bool = False) -> None:
        """Count the words used most, with the options line's settings (in a worker)."""
        options_line = self.options_input.value
        settings = self._settings(options_line)
        if settings is None:
            return
        options = settings.search_options(self.wb.case_access().hidden)
        project = self.project
        state = (options_line, *self.project_state)

        def compute() -> list[WordCount]:
            return word_frequencies(
                project,
                top=settings.top,
                by=settings.by,
                stopwords=settings.stopwords,
                min_length=settings.min_length,
                stem=settings.stem,
                options=replace(options, codes=()),
                codes=settings.codes,
            )

        def done(rows: list[WordCount]) -> None:
            self.rows, self._counted = rows, state
            self.settings = settings
            self._fill_words(settings)
            if not quiet:
                self.notify(self._words_line())

        self._start_job("count", "counting words", compute, done, quiet)

    def _fill_words(self, settings: SearchSettings) -> None:
        table = self.words_table
        table.clear(columns=True)
        if settings.by:
            table.add_column(Text(settings.by.capitalize()), key="unit", width=14)
        table.add_column(Text("Word"), key="word", width=24)
        table.add_column(Text("Count", justify="right"), key="count", width=7)
        table.add_column(Text("Sources", justify="right"), key="sources", width=8)
        table.add_column(Text("Participants", justify="right"), key="participants", width=12)
        for index, row in enumerate(self.rows):
            cells: list[Text] = [Text(row.unit)] if settings.by else []
            cells += [
                Text(row.word),
                Text(str(row.count), justify="right"),
                Text(str(row.sources), justify="right"),
                Text(str(row.participants), justify="right"),
            ]
            table.add_row(*cells, key=str(index))

    def _show_columns(self) -> None:
        listing = self.hit_list
        width = listing.scrollable_content_region.width or 80
        header = listing.columns().header(width) if listing.hits else ""
        self.query_one("#search-columns", Static).update(Text(header))

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._show_columns)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in either line: search (or count, in the word view) and stay in the line: what is
        typed next is the next query, never a command. Down or Esc goes to the list."""
        if self.words_mode and event.input is self.options_input:
            self.count_words()
            return
        if self.words_mode:  # a query typed in the word view: the hits answer it
            self._show_words(False)
        # The text as Enter found it (QueryLine): keys typed after Enter are in the line, for the next query.
        query = event.value if event.input is self.query_input else self.query_input.value
        options = event.value if event.input is self.options_input else self.options_input.value
        self.run_search(query, options)

    # -- status ----------------------------------------------------------------------------------------------
    def _count_line(self) -> str:
        result = self.result
        if result is None:
            return ""
        hits = self.hit_list.hits
        sources = len({h.source for h in hits})
        shown = f"{len(hits)} of {result.total}" if len(hits) < result.total else str(result.total)
        text = (
            f"{shown} hit{'s' * (result.total != 1)} for {self.query_text!r} in {sources} "
            f"source{'s' * (sources != 1)}"
        )
        if self.hit_list.marked:
            text += f" · {len(self.hit_list.marked)} marked {MARK_GLYPH}"
        described = self.settings.describe()
        return text + (f" · {described}" if described else "")

    def _words_line(self) -> str:
        settings = self.settings
        per = f" per {settings.by}" if settings.by else ""
        stops = settings.stopwords or language_of(self.project.meta)
        return f"the {settings.top} words used most{per} ({len(self.rows)} rows) · stop words: {stops}"

    def update_status(self) -> None:
        if self.job is not None and self._job_generation == self._generation:
            text = f"⧗ {self.wb.busy or self.job}… (Esc cancels)"
        elif self.error:
            text = f"✕ {self.error}"
        elif self.words_mode:
            text = self._words_line() + " · Enter searches one" if self._counted else "no words counted yet"
        elif self.result is None:
            text = "Type a query and press Enter · Tab: the options line · Esc then w: word counts"
        else:
            text = self._count_line()
        self.query_one("#search-status", Static).update(Text(text, no_wrap=True, overflow="ellipsis"))

    # -- the word view ---------------------------------------------------------------------------------------
    def action_toggle_words(self) -> None:
        """`w`: the word frequencies instead of the hits, or the hits again."""
        self._show_words(not self.words_mode)
        if self.words_mode:
            self.set_focus(self.words_table)
            if self._counted is None or self._counted != (self.options_input.value, *self.project_state):
                self.count_words()
        else:
            self.set_focus(self.hit_list if self.hit_list.hits else self.query_input)
        self.update_status()

    def _show_words(self, on: bool) -> None:
        self.words_mode = on
        self.set_class(on, "-words")
        self.error = None
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#search-words")
    def _word_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a word: search for it (with the same options, so stem finds what was counted)."""
        row = self.rows[int(str(event.row_key.value))]
        query = row.word  # a word as counted (letters, digits, inner apostrophes): a query as it is
        self.query_input.value = query
        self._show_words(False)
        self.set_focus(self.hit_list)
        self.run_search(query, self.options_input.value)
        self.update_status()

    # -- actions ---------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter is the list's only on the list; Esc leaves a line (or cancels a job); the hit keys
        belong to the hit list, not the word view. Letters typed in a line never reach here."""
        if not self.is_mounted:
            return True
        if action == "open_hit":
            return not self.words_mode and self.focused is self.hit_list
        if action == "cancel_job":
            return self.job is not None and self._job_generation == self._generation
        if action == "focus_results":
            return self.typing
        if action in ("toggle_mark", "code_hits", "unmark_all"):
            return not self.words_mode
        return True

    def action_open_hit(self) -> None:
        after_keys(self.hit_list, self._open_hit)  # Enter is a priority binding: j j Enter typed ahead

    def _open_hit(self) -> None:
        hit = self.hit_list.current
        if hit is None:
            self.notify("no hit under the cursor", severity="warning")
            return
        self.wb.find_request = self.settings.find(self.query_text)
        self.wb.open_transcript(hit.source, hit.start)

    @on(KwicList.Selected)
    def _clicked(self) -> None:
        self._open_hit()

    def action_toggle_mark(self) -> None:
        marked = self.hit_list.toggle_mark()
        if marked is None:
            return
        hit = self.hit_list.current
        assert hit is not None
        count = len(self.hit_list.marked)
        self.notify(f"{'marked' if marked else 'unmarked'} {hit.citation} · {count} marked")
        if marked:  # on to the next, so space space marks two in a row
            self.hit_list.action_cursor(1)
        self.update_status()

    def action_unmark_all(self) -> None:
        if self.hit_list.marked:
            self.hit_list.clear_marks()
            self.notify("no hits marked")
            self.update_status()

    def action_focus_query(self) -> None:
        self.set_focus(self.query_input)

    def action_focus_options(self) -> None:
        self.set_focus(self.options_input)

    def action_focus_results(self) -> None:
        self.set_focus(self.words_table if self.words_mode else self.hit_list)

    # -- auto-coding -----------------------------------------------------------------------------------------
    def action_code_hits(self) -> None:
        """`c`: code the marked hits (or, asked first, all of them): code picker, scope, auto-code."""
        hits = self.hit_list.marked_hits()
        if self.result is None or not self.hit_list.hits:
            self.notify("no hits to code: search first", severity="warning")
            return
        if not hits:
            everything = list(self.hit_list.hits)
            count = len(everything)
            question = (
                f"No hits are marked (space marks one). Code all {count} hit{'s' * (count != 1)} "
                f"for {self.query_text!r}?"
            )
            self.app.push_screen(
                ConfirmModal(question), lambda yes: self._pick_code(everything) if yes else None
            )
            return
        self._pick_code(hits)

    def _pick_code(self, hits: list[Hit]) -> None:
        count = len(hits)
        title = f"Code {count} hit{'s' * (count != 1)} for {self.query_text!r} as…"

        def chosen(label: str | None) -> None:
            if label:
                self._pick_scope(label, hits)

        self.app.push_screen(CodePicker(picker_codes(self.project), title=title), chosen)

    def _pick_scope(self, label: str, hits: list[Hit]) -> None:
        def chosen(scope: str | None) -> None:
            if scope in SCOPES:
                self.wb.as_coder(lambda: self._autocode(label, scope, hits))

        self.app.push_screen(
            ChoiceModal(f"Code how much around each hit, as {label!r}?", SCOPE_CHOICES), chosen
        )

    def _autocode(self, label: str, scope: str, hits: list[Hit]) -> None:
        """Auto-code `hits` in a worker thread under a progress dialog whose Esc cancels it."""
        app = self.wb
        if self.job is not None or app.busy:
            self.notify(f"wait: {self.job or app.busy} is still running", severity="warning")
            return
        project = self.project
        access = app.case_access()
        options = self.settings.search_options(access.hidden)
        query = self.query_text
        cancel = threading.Event()
        count = len(hits)
        progress = ProgressModal(f"auto-coding {count} hit{'s' * (count != 1)} as {label!r}…", cancel.set)
        before = project.undo_details()
        app.busy = "auto-coding"
        app.set_progress("auto-coding")
        self.job = "auto-code"
        app.push_screen(progress)

        def report(done: int, total: int) -> None:
            app.call_from_thread(progress.show_progress, done, total)  # the app cannot close: modal

        def work() -> None:
            try:
                result: AutocodeResult | None = autocode(
                    project,
                    label,
                    query=query,
                    options=options,
                    scope=scope,
                    hits=hits,
                    locked=access.locked,
                    progress=report,
                    cancelled=cancel.is_set,
                )
                error: WorkbenchError | None = None
            except WorkbenchError as exc:  # Cancelled is one: nothing was written
                result, error = None, exc
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile: nobody to tell
                app.call_from_thread(self._autocoded, progress, before, result, error)

        self.run_worker(work, thread=True, name="auto-code", group="auto-code", exit_on_error=True)

    def _autocoded(
        self,
        progress: ProgressModal,
        before: Any,
        result: AutocodeResult | None,
        error: WorkbenchError | None,
    ) -> None:
        app = self.wb
        self.job = None
        app.busy = None
        app.sub_title = app.project.title
        progress.done()
        if error is not None or result is None:
            self.notify(said(error) if error else "auto-coding failed", severity="error", timeout=8)
            self.update_status()
            return
        app.done_here(app.project, before)
        app.last_code = result.code
        already = f" ({result.already} already coded)" if result.already else ""
        new = " (a new code)" if result.created else ""
        if result.coded:
            self.notify(
                f"coded {result.coded} passage{'s' * (result.coded != 1)} as {result.code!r}{new}"
                f"{already} · ctrl+z undoes it"
            )
        else:
            self.notify(
                f"nothing to code: every passage is already coded as {result.code!r}", severity="warning"
            )
        self.hit_list.clear_marks()
        app.refresh_views()
        self.update_status()
