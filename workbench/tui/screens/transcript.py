"""Transcript view (app mode "transcript"): read one transcript and code it from the keyboard.

The `TranscriptView` shows numbered tool lines with coding markers; this screen adds what coding
needs around it: a side pane (codes at the cursor or selection, the legend of markers, and plugin
margins), a one-line status (who, where, what is selected, the last code), and the actions that change
the project. Every change goes through `WorkbenchApp.run_op`, so an error becomes a notification, the
change is durable before the view repaints, and `ctrl+z` undoes it.

Keys (each binding has an id, for user keymaps and the help screen):

=========  ==============================  =========================================================
key        id                              action
=========  ==============================  =========================================================
c          transcript.code                 code the selection (or the cursor line) with the picker
i          transcript.in_vivo              code the selection in vivo (label = the quoted words)
.          transcript.repeat               apply the last code again to the selection (or line)
x          transcript.uncode               remove a coding from the selection or the cursor
/          transcript.find                 find words in this transcript (corpus search's syntax)
n / N      transcript.next_hit /           next / previous hit of the find, while its hits are shown
           transcript.prev_hit
n / N      transcript.next_segment /       next / previous segment of the same code (no find shown)
           transcript.prev_segment
Esc        transcript.close_find           close the find line; with it closed, clear the hits
m          transcript.memo                 memo linked to the selected segment, or the source
z          transcript.toggle_pane          show or hide the side pane
v          transcript.layers               next coding layer view: all, union, each coder, consensus
V          transcript.choose_layer         choose the coding layer view from a list
=========  ==============================  =========================================================

Coding layers (ICR-2)
---------------------
Every coding belongs to a coder's layer (their ordinary and closed-round codings) or to the
``consensus`` layer. ``v`` cycles what the view draws: **all** layers, each margin entry tagged with
its coder's initial (``aF bF``: Ann and Bob both coded F here; ``=`` is consensus) whenever more than
one layer is drawn; the **union**, one marker per code whoever coded it; **one coder's** layer; the
**consensus** layer. The legend names each tag. Layers of an open blind round (`Project.blind_layers`)
are never drawn nor offered (ICR-3). The codings are read once per refresh (linear in this version's
codings) and a layer change only filters that list: no key scans the project's codings.

Movement and selection keys (`transcript.down`, `transcript.select_word`, ...) belong to the
`TranscriptView` and are listed in its module.

Find
----
``/`` opens the find line under the text; it takes corpus search's query language (words, "a phrase",
a OR b, -word, prefix*). Enter finds every hit in this transcript's current text (speech only, never a
speaker label), draws them reversed and underlined, puts the cursor on the first hit at or after it and
says "hit 3 of 12 for 'hope'" on the message line; ``n``/``N`` then go from hit to hit, wrapping (and
saying so). Esc in the find line closes it and leaves the hits; Esc on the text (with no selection)
clears them. A query that cannot be read is said on the message line and the line stays open with it.
Enter on a hit in the corpus search view (8) opens the transcript with that search's hits shown.

Plugin margins
--------------
A plugin registers a margin with ``register(name, "margin", title, factory)`` (the
``register_views`` hook). The TUI calls ``factory(project, source_id)`` each time the view refreshes
(when it opens, after every operation, on resume), and expects a ``Mapping[int, str]``: for a tool line
*ordinal* (1-based, counted through the whole transcript as `Line.ordinal`, whatever the numbering mode),
a short annotation for that line — an IPA exploratory-note type and gist, a GT memo flag. Lines without
an entry show nothing. The factory must be quick (it runs on the UI thread) and must not change the
project. The side pane shows each margin under its title, for the lines on screen, each with its
printed line number, the cursor line marked "▸". A factory that raises (or returns anything else) has
its plugin disabled by the host and is reported as a notification; the view keeps working.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, ClassVar, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.content import Content
from textual.widgets import Header, Static

from workbench.core.errors import WorkbenchError
from workbench.core.search.language import language_of
from workbench.core.selection import Span, in_vivo_label, trim
from workbench.tui.base import WorkbenchScreen
from workbench.tui.screens.code_picker import CodePicker, PickerCode, picker_codes
from workbench.tui.widgets.find_line import FindLine, FindQuery, find_spans
from workbench.tui.widgets.footer import KeyFooter
from workbench.tui.widgets.prompt import NoticeModal
from workbench.tui.widgets.side_pane import LazyRows, SidePane
from workbench.tui.widgets.transcript_view import CodedSpan, TranscriptView

__all__ = ["ALL_LAYERS", "CONSENSUS", "UNION", "WIDE_LAYOUT", "MarginAnnotations", "TranscriptScreen"]

T = TypeVar("T")
MarginAnnotations = Mapping[int, str]
"""What a margin factory returns: tool line ordinal -> short annotation."""
WIDE_LAYOUT = 120
"""From this many columns the side pane sits right of the text; below, it stacks under it."""
MAX_NOTE = 200
HERE_ROWS = 3
"""Codes listed under "Codes at ..." before "+ n more" (the full list is the legend, further down)."""
FOLLOWED_TABLES = frozenset({"codings", "segments", "history", "audit", "audit_salts", "_meta"})
"""Tables whose changes the view follows one by one (the rest make it rebuild): coding, uncoding, undo."""
SIDE_SECTIONS = ("transcript-codes", "transcript-margins", "transcript-legend")
"""The side pane's sections, top to bottom (ids kept from when each was its own widget)."""
_UNSET = object()
FIND_PLACEHOLDER = 'find: words, "a phrase", a OR b, -word, prefix*  (Enter finds, Esc closes)'
ALL_LAYERS = "all"
UNION = "union"
CONSENSUS = "consensus"


class TranscriptScreen(WorkbenchScreen):
    """One transcript (`app.source_id`), its codings, and the coding actions; see the module docstring."""

    HELP_NAME = "Text"
    HELP_INTRO = """
Coding a passage: move to it (j/k lines, w/b words, [ and ] turns, n/N the next or previous
segment of a code), select it (W word, L line, S sentence, T turn, P paragraph; press again to extend;
or space where it starts and space where it ends), then press c and type a few letters of the code:
Enter applies the best match, ctrl+n creates a new code. With nothing selected, c codes the cursor line.
. repeats the last code, i codes the selection in vivo, x removes a coding, m writes a memo, and ctrl+z
undoes. / finds words (corpus search's syntax: words, "a phrase", a OR b, -word, prefix*): Enter shows
every hit reversed and underlined and puts the cursor on the next one; n and N then go from hit to hit,
and Esc clears them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "code", "Code", id="transcript.code",
                tooltip="Code the selection (or the cursor line) with an existing or a new code"),
        Binding("i", "in_vivo", "In vivo", id="transcript.in_vivo",
                tooltip="Code the selection with its own words as the label"),
        Binding("full_stop", "repeat_code", "Repeat", id="transcript.repeat",
                tooltip="Apply the last code again, to the selection or the cursor line"),
        Binding("x", "uncode", "Uncode", id="transcript.uncode",
                tooltip="Remove a coding from the selection, or from the segment under the cursor"),
        # priority: the find line has focus before the next key is read, so a query typed ahead
        # right after `/` ("/xpc") lands in it and never runs as commands (uncode, project, code)
        Binding("slash", "find", "Find", id="transcript.find", priority=True,
                tooltip='Find words in this transcript (words, "a phrase", a OR b, -word, prefix*)'),
        # While a find's hits are shown, n/N step through them; otherwise (check_action) the same keys
        # reach the segment bindings below.
        Binding("n", "next_hit(1)", "Next hit", show=False, id="transcript.next_hit",
                tooltip="Next hit of the find (wraps to the first)"),
        Binding("N", "next_hit(-1)", "Previous hit", show=False, id="transcript.prev_hit",
                tooltip="Previous hit of the find (wraps to the last)"),
        Binding("escape", "close_find", "Close find", show=False, id="transcript.close_find",
                tooltip="Close the find line (the hits stay); with it closed, clear the hits"),
        Binding("n", "next_segment(1)", "Next seg", show=False, id="transcript.next_segment",
                tooltip="Next segment of the code under the cursor (else the last code)"),
        Binding("N", "next_segment(-1)", "Prev seg", show=False, id="transcript.prev_segment",
                tooltip="Previous segment of the code under the cursor (else the last code)"),
        Binding("m", "memo", "Memo", id="transcript.memo",
                tooltip="Write a memo linked to the selected segment, or to this source"),
        Binding("z", "toggle_pane", "Pane", id="transcript.toggle_pane",
                tooltip="Show or hide the side pane (codes here, legend, plugin margins)"),
        Binding("v", "cycle_layers", "Layers", id="transcript.layers",
                tooltip="Next coding layer view: all (tagged by coder), union, each coder, consensus"),
        Binding("V", "choose_layer", "Choose layer", show=False, id="transcript.choose_layer",
                tooltip="Choose which coding layers the view draws, from a list"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    TranscriptScreen #transcript-body { height: 1fr; layout: vertical; }
    TranscriptScreen.-wide #transcript-body { layout: horizontal; }
    TranscriptScreen #transcript-view { height: 1fr; width: 1fr; min-height: 4; }
    TranscriptScreen #transcript-side { height: 7; width: 1fr; padding: 0 1; border-top: solid $primary; }
    TranscriptScreen.-wide #transcript-side { height: 1fr; width: 40; border-top: none;
                                               border-left: solid $primary; }
    TranscriptScreen.-pane-hidden #transcript-side { display: none; }
    TranscriptScreen #transcript-status { text-wrap: nowrap; text-overflow: ellipsis; }
    TranscriptScreen #transcript-status { height: 1; padding: 0 1; background: $panel; }
    TranscriptScreen #transcript-find { display: none; height: 1; border: none; padding: 0 1; }
    TranscriptScreen.-finding #transcript-find { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.source_id: str | None = None
        self.version_id: str | None = None
        self._pseudonym = ""
        self._margins: list[tuple[str, MarginAnnotations]] = []
        self._jump: tuple[str, int] | None = None  # (code id, offset) of the last n/N jump
        self._shown: dict[str, object] = {}  # widget id -> key of what it shows, to skip needless updates
        self._codings_key = 0  # bumped whenever the codings are re-read
        self._refreshed: tuple[object, ...] = ()  # `_refresh_key()` at the last full refresh
        self.layer_choice = ALL_LAYERS  # what `v` chose: ALL_LAYERS, UNION, "coder:<id>" or CONSENSUS
        self._layered: dict[str, tuple[str, str, CodedSpan]] = {}  # coding id -> (layer key, coder, span)
        self._changes_seen = -1  # `project.change_count` when `_layered` was last brought up to date
        self._layer_tags: dict[str, str] = {}  # layer key -> margin tag
        self.find_query: FindQuery | None = None  # the find whose hits are shown

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="transcript-body"):
            yield TranscriptView(id="transcript-view")
            yield SidePane(SIDE_SECTIONS, id="transcript-side")
        yield Static(id="transcript-status")
        yield FindLine(self._find_submitted, placeholder=FIND_PLACEHOLDER, id="transcript-find")
        yield KeyFooter()

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def on_mount(self) -> None:
        """Lay out for the terminal and focus the text; `WorkbenchScreen.on_mount` then refreshes.

        (Textual calls the handler of every class in the MRO, so the base's runs after this one.)
        """
        self._layout_for(self.app.size.width)
        if getattr(self.app, "screen_reader", False):
            self.add_class("-pane-hidden")  # one pane at a time: z shows the side pane instead
        self.view.focus()

    def _refresh_key(self) -> tuple[object, ...]:
        """What the view shows depends on: which project, its committed state, which source, focus."""
        return (*self.project_state, self.wb.source_id, self.wb.focus_offset)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_for(event.size.width)

    def _layout_for(self, width: int) -> None:
        """Side pane right of the text when wide, under it when narrow; line numbers stay either way."""
        self.set_class(width >= WIDE_LAYOUT, "-wide")

    # -- data ------------------------------------------------------------------------------------------
    def refresh_from_project(self) -> None:
        """Show `app.source_id` (its current version) with its codings; honour `app.focus_offset` once.

        Skipped (bar the panes) when neither the project's committed state nor the request changed
        since the last rebuild: closing the code picker resumes this screen just after the coding
        already refreshed it, and a second rebuild would double the cost of every coding.
        """
        if self._refreshed == self._refresh_key():
            self._update_panes()
            return
        app = self.wb
        project = self.project
        sources = project.sources()
        if not sources:
            message = "no transcripts yet: add some with `workbench add`"
            self._show("transcript-status", message, lambda: Content(message))
            return
        if app.source_id is None or project.get("sources", app.source_id) is None:
            app.source_id = sources[0]["id"]
        source_id = app.source_id
        version_id, record = project.current_text(source_id)
        view = self.view
        switched = (source_id, version_id) != (self.source_id, self.version_id)
        if switched:
            keep = view.cursor if source_id == self.source_id else None
            source = project.source(source_id)
            participant = project.participant_of(source) or {}
            self._pseudonym = str(participant.get("pseudonym") or source.get("title") or source_id)
            self.source_id, self.version_id = source_id, version_id
            self._jump = None
            self.find_query = None  # the view drops the hits with the old text
            view.set_document(record.text, record.linemap, project.effective_turns(source_id))
            if keep is not None:
                view.move_to(keep)
        if switched or not self._follow_changes(version_id):
            self._layered = self._layered_spans(version_id)
            view.set_codings(self._layer_view())
        self._changes_seen = project.change_count
        self._codings_key += 1
        if app.focus_offset is not None:
            view.move_to(app.focus_offset)
            app.focus_offset = None
        pending = app.find_request
        if pending is not None:  # a corpus search's hit opened here: show that search's hits
            app.find_request = None
            self._run_find(pending, move=False)
        self._update_legend()
        self._update_panes()
        self._refreshed = self._refresh_key()
        # Plugin margins come one frame later: the text (and a new coding's marker) paints first,
        # whatever the plugins' factories cost.
        self.call_after_refresh(self._load_margins, source_id)

    def _load_margins(self, source_id: str) -> None:
        if source_id != self.source_id:
            return  # another transcript was opened meanwhile; its own refresh loads its margins
        self._margins = self._plugin_margins(source_id)
        self._update_panes()

    def _layered_spans(self, version_id: str) -> dict[str, tuple[str, str, CodedSpan]]:
        """Every coding of this version with its layer key and coder (blind layers left out)."""
        project = self.project
        codes = project.store.all("codes")
        hidden = project.blind_layers()
        spans: dict[str, tuple[str, str, CodedSpan]] = {}
        for segment, coding in project.version_codings(version_id):
            if coding.get("layer") not in hidden:
                spans[coding["id"]] = _layered_span(segment, coding, codes)
        self._layer_tags = self._tags_for({layer for layer, _coder, _span in spans.values()})
        return spans

    def _tags_for(self, keys: set[str]) -> dict[str, str]:
        """Margin tag of each layer key when more than one layer has codings here (else none)."""
        tags: dict[str, str] = {}
        if len(keys) > 1:
            from workbench.core.icr.coders import CONSENSUS_TAG, layer_tags

            by_coder = layer_tags(self.project, (k.removeprefix("coder:") for k in keys if k != CONSENSUS))
            tags = {f"coder:{coder}": tag for coder, tag in by_coder.items()}
            tags[CONSENSUS] = CONSENSUS_TAG
        return tags

    def _follow_changes(self, version_id: str) -> bool:
        """Bring the drawn codings up to date with what operations changed since the last refresh.

        Coding, uncoding and undoing either change a few codings and segments: only those are read
        again and redrawn (the view touches just their lines), instead of every coding of the
        transcript. False when the changes are of another kind (a code renamed, a blind round
        opened), when the margin shows several tagged layers, or when a new layer appears: the
        caller then rebuilds everything.
        """
        project = self.project
        changes = project.changes_since(self._changes_seen) if self._changes_seen >= 0 else None
        tagged = self.layer_choice == ALL_LAYERS and bool(self._layer_tags)
        if changes is None or tagged or not {table for table, _id in changes} <= FOLLOWED_TABLES:
            return False
        coding_ids = {doc_id for table, doc_id in changes if table == "codings"}
        segment_ids = {doc_id for table, doc_id in changes if table == "segments"}
        if segment_ids:
            coding_ids.update(
                k for k, (_l, _c, span) in self._layered.items() if span.segment_id in segment_ids
            )
            for segment_id in segment_ids:
                coding_ids.update(project.index.codings_by_segment.get(segment_id, ()))
        layers = {layer for layer, _coder, _span in self._layered.values()}
        store, hidden = project.store, project.blind_layers()
        codes = store.all("codes")
        removed: list[CodedSpan] = []
        added: list[CodedSpan] = []
        for coding_id in coding_ids:
            old = self._layered.pop(coding_id, None)
            coding = store.get("codings", coding_id)
            segment = store.get("segments", coding["segment_id"]) if coding else None
            if (
                coding
                and segment
                and segment["version_id"] == version_id
                and coding.get("layer") not in hidden
            ):
                new = self._layered[coding_id] = _layered_span(segment, coding, codes)
                if self._draws(new[0]):
                    added.append(new[2])
            if old and self._draws(old[0]):
                removed.append(old[2])
        if {layer for layer, _coder, _span in self._layered.values()} != layers:
            return False  # a layer appeared or went: the tags and choices change
        if not self.view.change_codings(removed, added):
            self.view.set_codings(self._layer_view())
        return True

    def _draws(self, layer: str) -> bool:
        """Whether the current layer choice draws codings of `layer`."""
        return self.layer_choice in (ALL_LAYERS, UNION) or layer == self.layer_choice

    def _layer_view(self) -> list[CodedSpan]:
        """The spans `layer_choice` draws, tagged by layer when more than one layer is drawn."""
        choice = self.layer_choice
        layered = self._layered.values()
        if choice in (ALL_LAYERS, UNION):
            if choice == UNION or not self._layer_tags:
                return [span for _layer, _coder, span in layered]
            return [replace(span, layer=self._layer_tags[layer]) for layer, _coder, span in layered]
        return [span for layer, _coder, span in layered if layer == choice]

    def layer_choices(self) -> list[tuple[str, str]]:
        """(choice, description) of the layer views this transcript offers, the current one included."""
        keys = sorted(
            {layer for layer, _coder, _span in self._layered.values()}, key=lambda k: (k == CONSENSUS, k)
        )
        choices = [(ALL_LAYERS, "all layers" + (", tagged by coder" if len(keys) > 1 else ""))]
        if len(keys) > 1:
            choices.append((UNION, "union of all layers, one marker per code"))
        choices += [(key, _layer_name(key)) for key in keys if len(keys) > 1]
        if self.layer_choice not in {c for c, _text in choices}:
            choices.append((self.layer_choice, _layer_name(self.layer_choice) + " (no codings here)"))
        return choices

    def _plugin_margins(self, source_id: str) -> list[tuple[str, MarginAnnotations]]:
        """Call each plugin margin's factory (contract in the module docstring), isolating failures."""
        host = self.wb.host
        if host is None:
            return []
        margins: list[tuple[str, MarginAnnotations]] = []
        for spec in host.views(kind="margin"):
            if not spec.shown_for(self.project.method):
                continue
            try:
                with host.guard(spec.plugin, f"showing margin {spec.name!r}"):
                    margins.append((spec.title, _checked_annotations(spec.factory(self.project, source_id))))
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error", timeout=8)
        return margins

    # -- panes -----------------------------------------------------------------------------------------
    def _show(self, widget_id: str, key: object, build: Callable[[], Content | Sequence[Content]]) -> None:
        """Rebuild a Static only when `key` (a cheap summary of what it shows) changed.

        Every keystroke comes here, so the summary is compared first and the content built only
        when it differs: moving within a line changes nothing in the panes.
        """
        if self._shown.get(widget_id, _UNSET) == key:
            return
        self._shown[widget_id] = key
        content = build()
        if not isinstance(content, Content):
            self.side_pane.set_rows(widget_id, content)
        elif widget_id in SIDE_SECTIONS:
            self.side_pane.set_section(widget_id, content)
        else:  # the status line: one row, so never a relayout
            self.query_one(f"#{widget_id}", Static).update(content, layout=False)

    @property
    def side_pane(self) -> SidePane:
        return self.query_one("#transcript-side", SidePane)

    def _update_panes(self) -> None:
        """Codes here, plugin margins and status, after a cursor or selection change."""
        if self.source_id is None:
            return
        view = self.view
        span = view.selection
        here = view.codings_in(span) if span else view.codings_at(view.cursor)
        where = (
            f"selection {self._where(span)}"
            if span
            else f"line {self._where((view.cursor, view.cursor + 1))}"
        )
        labels = {coding.code_id: coding.label for coding in here}
        here_key = (where, tuple(labels), self._codings_key)
        self._show("transcript-codes", here_key, lambda: self._codes_pane(where, labels))
        if self._margins:
            first, last = view.visible_lines()
            key = (first, last, view.cursor_line.ordinal, id(self._margins))
            self._show("transcript-margins", key, lambda: self._margins_pane(first, last))
        else:
            self._show("transcript-margins", None, Content)
        status = self._status()
        self._show("transcript-status", status, lambda: Content(status))

    def _update_legend(self) -> None:
        """The legend of markers (with codings per code here) and of layer tags: it changes only when
        codings or the layer choice do."""
        view = self.view
        counts: dict[str, int] = {}
        labels: dict[str, str] = {}
        tags: set[str] = set()
        for coding in view.codings:
            counts[coding.code_id] = counts.get(coding.code_id, 0) + 1
            labels[coding.code_id] = coding.label
            tags.add(coding.layer)
        rows = tuple((marker, labels[code_id], counts[code_id]) for code_id, marker in view.markers.items())
        layers = tuple(
            (tag, _layer_name(layer))
            for layer, tag in sorted(self._layer_tags.items(), key=lambda i: i[1])
            if tag in tags
        )
        shown = (
            ""
            if self.layer_choice == ALL_LAYERS and len(self._layer_tags) < 2
            else dict(self.layer_choices()).get(self.layer_choice, "")
        )

        def build() -> Sequence[Content]:
            head: list[Content] = []
            if shown:
                head.append(Content.assemble(("Layers shown: ", "bold"), shown))
            head += [Content.assemble((f" {tag}", "bold"), f"  {name}") for tag, name in layers]
            if rows:
                head.append(Content.styled("Legend: codings in this transcript", "bold"))
            # One row per code here (hundreds in a busy transcript): each is made when scrolled to.
            items: list[Content | tuple[str, str, int]] = [*head, *rows]
            return LazyRows(items, _legend_row)

        self._show("transcript-legend", (rows, layers, shown), build)

    def _where(self, span: Span) -> str:
        """Page:line of a span, "3:12–14" or "3:40–4:2", as citations print it."""
        first, last = self.view.line_of(span[0]), self.view.line_of(max(span[0], span[1] - 1))
        if first.ordinal == last.ordinal:
            return f"{first.page}:{first.number}"
        if first.page == last.page:
            return f"{first.page}:{first.number}–{last.number}"
        return f"{first.page}:{first.number}–{last.page}:{last.number}"

    def _codes_pane(self, where: str, here: Mapping[str, str]) -> Content:
        """ "Codes at <place>": marker and label of each code there, in a fixed number of rows."""
        markers = self.view.markers
        parts: list[str | tuple[str, str]] = [(f"Codes at {where}", "bold")]
        shown = list(here.items())
        if len(shown) > HERE_ROWS:
            shown, rest = shown[: HERE_ROWS - 1], len(shown) - HERE_ROWS + 1
        else:
            rest = 0
        for code_id, label in shown:
            parts += ["\n", (f" {markers.get(code_id, '?')} ", "bold reverse"), f" {label}"]
        if rest:
            parts += ["\n", (f" + {rest} more (see the legend)", "dim")]
        if not here:
            parts += ["\n", (" none", "dim")]
        return Content.assemble(*parts)

    def _margins_pane(self, first: int, last: int) -> Content:
        view = self.view
        cursor = view.cursor_line.ordinal
        lines = view.linemap.lines if view.linemap else ()
        parts: list[str | tuple[str, str]] = []
        for title, notes in self._margins:
            parts.append((f"{title}", "bold"))
            shown = 0
            for index in range(first, last + 1):
                note = notes.get(index + 1)
                if note:
                    mark = "▸" if index + 1 == cursor else " "
                    parts += ["\n", (f"{mark}{lines[index].number:>4} ", "dim"), note[:MAX_NOTE]]
                    shown += 1
            if not shown:
                parts += ["\n", (" nothing on these lines", "dim")]
            parts.append("\n")
        return Content.assemble(*parts[:-1])

    def _status(self) -> str:
        view = self.view
        line = view.cursor_line
        parts = [self._pseudonym, self.source_id or "", f"{line.page}:{line.number}"]
        if view.selection:
            parts.append(f"{view.unit} {self._where(view.selection)}")
        if self.wb.last_code:
            parts.append(f"last: {self.wb.last_code}")
        parts.append(f"coder: {self.project.actor}")
        if self.layer_choice != ALL_LAYERS:
            parts.append(f"layer: {_layer_name(self.layer_choice)}")
        return "  ·  ".join(parts)

    @on(TranscriptView.CursorMoved)
    @on(TranscriptView.SelectionChanged)
    def _view_changed(self) -> None:
        self._update_panes()
        self.wb.flush_repaints(self)

    @on(TranscriptView.SelectionChanged)
    def _say_selection(self) -> None:
        """In screen-reader mode, say the selection's extent and words each time it changes."""
        if not getattr(self.app, "screen_reader", False):
            return
        view = self.view
        if view.selection is None:  # cleared by coding (which says so) or Esc
            return
        start, end = trim(view.text, view.selection)
        words = " ".join(view.text[start:end].split())
        shown = words if len(words) <= 60 else f"{words[:57]}…"
        self.notify(f"selected {view.unit} {self._where((start, end))}: “{shown}”")

    # -- helpers for actions ---------------------------------------------------------------------------
    def _run(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """`run_op`, making sure this view repaints even when called from a closing dialog."""
        result = self.wb.run_op(operation, *args, **kwargs)
        if result is not None and self.app.screen is not self:
            self.refresh_from_project()
        return result

    def _target(self) -> tuple[int, int, str] | str | None:
        """What to code: the selection (with its unit), else the cursor line without its speaker label.

        When there is nothing to code there, the reason, said as the user sees it (no line numbers
        typed, no CLI flags); the caller decides how to show it.
        """
        view = self.view
        if view.selection is not None:
            start, end = trim(view.text, view.selection)
            if start < end:
                return start, end, view.unit
        if self.source_id is None:
            return None
        line = view.cursor_line
        try:
            start, end = self.project.span_of_lines(self.source_id, line.ordinal, line.ordinal)
        except WorkbenchError as exc:
            if not view.text[line.start : line.end].strip():
                return "this line is blank: move to a line with words, or select words first"
            return exc.message
        return start, end, "line"

    def _apply_code(self, label: str, start: int, end: int, unit: str, *, kind: str | None = None) -> None:
        self.wb.as_coder(lambda: self._code_as_settled(label, start, end, unit, kind=kind))

    def _code_as_settled(self, label: str, start: int, end: int, unit: str, *, kind: str | None) -> None:
        if self.source_id is None:
            return
        coding = self._run(self.project.code, self.source_id, start, end, label, unit=unit, kind=kind)
        if coding is None:
            return
        code = self.project.find_code(label)
        self.wb.last_code = str(code["label"]) if code else label.strip()
        self.notify(f"coded {self.wb.last_code!r} at {self.project.cite(self.source_id, start, end)}")
        self.view.clear_selection()
        self._update_panes()
        self.wb.flush_repaints(self)  # the text, panes and message line in one frame
        if self.layer_choice not in (ALL_LAYERS, UNION, f"coder:{self.project.actor}"):
            self.notify(
                f"coded in your own layer ({self.project.actor}); the view shows "
                f"{_layer_name(self.layer_choice)}: press v to see it"
            )

    def _picker_codes(self) -> list[PickerCode]:
        """Active codes with how many segments each codes (`code_picker.picker_codes`)."""
        return picker_codes(self.project)

    # -- actions ---------------------------------------------------------------------------------------
    def action_code(self) -> None:
        """`c`: pick or create a code for the selection (or the cursor line)."""
        target = self._target()
        if isinstance(target, str):  # a dialog, not a toast: the code's name is being typed already
            self.app.push_screen(NoticeModal(target))
            return
        if target is None:
            return
        start, end, unit = target
        excerpt = " ".join(self.view.text[start:end].split())
        title = f"Code {self._where((start, end))}: “{excerpt[:48]}{'…' if len(excerpt) > 48 else ''}”"

        def chosen(label: str | None) -> None:
            if label:
                self._apply_code(label, start, end, unit)

        self.app.push_screen(CodePicker(self._picker_codes(), title=title), chosen)

    def action_in_vivo(self) -> None:
        """`i`: code the selected words with themselves, quoted, as the label (GT-3 in vivo codes)."""
        view = self.view
        if view.selection is None:
            self.notify("select the words first (W word, space to select, S sentence)", severity="warning")
            return
        start, end = trim(view.text, view.selection)
        label = in_vivo_label(view.text[start:end])
        if not label:
            self.notify("the selection holds no words", severity="warning")
            return
        self._apply_code(label, start, end, view.unit, kind="in-vivo")

    def action_repeat_code(self) -> None:
        """`.`: the last code again, on the selection or the cursor line."""
        last = self.wb.last_code
        if not last:
            self.notify("no code applied yet: press c first", severity="warning")
            return
        if self.project.find_code(last) is None:
            self.notify(f"{last!r} is no longer an active code: press c", severity="warning")
            return
        target = self._target()
        if isinstance(target, str):
            self.notify(target, severity="warning")
        elif target is not None:
            self._apply_code(last, *target)

    def _removable(self) -> list[CodedSpan]:
        """Codings `x` may remove: those exactly on the selection, else those under the cursor."""
        view = self.view
        candidates: list[CodedSpan] = []
        if view.selection is not None:
            span = trim(view.text, view.selection)
            candidates = [c for c in view.codings if (c.start, c.end) == span]
        if not candidates:
            candidates = view.codings_at(view.cursor)
        unique: dict[tuple[str, str], CodedSpan] = {}
        for coding in candidates:
            unique.setdefault((coding.segment_id, coding.code_id), coding)
        return list(unique.values())

    def action_uncode(self) -> None:
        """`x`: remove a coding; when several are there, ask which."""
        candidates = self._removable()
        if not candidates:
            self.notify("no coding at the cursor or on the selection", severity="warning")
            return
        if len(candidates) == 1:
            self._remove(candidates[0])
            return
        by_key = {f"{c.segment_id}|{c.code_id}": c for c in candidates}
        view = self.view
        choices = [
            (key, f"{view.markers.get(c.code_id, '?')}  {c.label}  ({self._where((c.start, c.end))})")
            for key, c in by_key.items()
        ]

        def chosen(key: str | None) -> None:
            if key in by_key:
                self._remove(by_key[key])

        from workbench.tui.widgets.prompt import ChoiceModal

        self.app.push_screen(ChoiceModal("Remove which coding?", choices), chosen)

    def _remove(self, coding: CodedSpan) -> None:
        if self.source_id is None:
            return
        if self.layer_choice == CONSENSUS:
            self.notify("the consensus layer is changed by adjudication (ctrl+j)", severity="warning")
            return
        # showing one coder's layer, `x` removes only what that coder coded there
        coder = self.layer_choice.removeprefix("coder:") if self.layer_choice.startswith("coder:") else None
        removed = self._run(
            self.project.uncode, self.source_id, coding.start, coding.end, coding.code_id, coder=coder
        )
        if removed:
            self.notify(
                f"removed {coding.label!r} from {self._where((coding.start, coding.end))} (ctrl+z undoes)"
            )

    def action_next_segment(self, step: int) -> None:
        """`n`/`N`: next/previous segment here of the code under the cursor (else of the last code)."""
        view = self.view
        code_id: str | None = None
        if self._jump is not None and self._jump[1] == view.cursor:
            code_id = self._jump[0]
        else:
            here = view.codings_at(view.cursor)
            if here:
                code_id = here[0].code_id
            elif self.wb.last_code:
                code = self.project.find_code(self.wb.last_code, active_only=False)
                code_id = str(code["id"]) if code else None
        if code_id is None:
            self.notify("no code under the cursor and no last code", severity="warning")
            return
        starts = sorted({c.start for c in view.codings if c.code_id == code_id})
        if not starts:
            self.notify("that code has no segment in this transcript", severity="warning")
            return
        if step > 0:
            target = next((s for s in starts if s > view.cursor), None)
            if target is None:
                target = starts[0]
                self.notify("wrapped to the first segment")
        else:
            target = next((s for s in reversed(starts) if s < view.cursor), None)
            if target is None:
                target = starts[-1]
                self.notify("wrapped to the last segment")
        view.move_to(target)
        self._jump = (code_id, view.cursor)

    # -- find ----------------------------------------------------------------------------------------------
    @property
    def find_line(self) -> FindLine:
        return self.query_one("#transcript-find", FindLine)

    def action_find(self) -> None:
        """`/`: open the find line, focused at once (so the query typed after `/` lands in it)."""
        if self.source_id is None:
            return
        line = self.find_line
        line.value = ""
        last = self.find_query
        line.placeholder = (
            f"find (Enter alone: {last.query!r} again) · Esc closes" if last else FIND_PLACEHOLDER
        )
        self.add_class("-finding")
        self.set_focus(line)  # now, not after the keys already read (`focus()` waits for them)

    def _find_submitted(self, value: str) -> bool:
        """Enter in the find line: find, and on a hit close the line and go to the text (True)."""
        query = value.strip()
        find = self.find_query if not query and self.find_query is not None else FindQuery(value)
        if not self._run_find(find, move=True):
            return False
        self._close_find_line()
        return True

    def _run_find(self, find: FindQuery, *, move: bool) -> bool:
        """Find `find` here, draw its hits and say where the cursor is among them; False if none.

        With `move` the cursor goes to the first hit at or after it (wrapping); without, it stays
        (Enter on a corpus search hit put it there already).
        """
        view = self.view
        try:
            spans = find_spans(view.text, view.turns, find, language_of(self.project.meta))
        except WorkbenchError as exc:  # a bad query: said, and nothing else changes
            self.notify(f"find: {exc.message}", severity="error")
            return False
        if not spans:
            self.find_query = None
            view.set_find_hits(())
            self.notify(f"no hits for {find.query!r} in this transcript", severity="warning")
            return False
        self.find_query = find
        view.set_find_hits(spans)
        if not move:
            index = next((i for i, (s, e) in enumerate(spans) if s <= view.cursor < e), None)
            if index is None:
                self.notify(f"{len(spans)} hits for {find.query!r} in this transcript (n: next)")
            else:
                self._say_hit(index, "")
            return True
        index = next((i for i, (start, _end) in enumerate(spans) if start >= view.cursor), None)
        self._go_to_hit(index or 0, " (wrapped to the first)" if index is None else "")
        return True

    def _go_to_hit(self, index: int, note: str) -> None:
        start, _end = self.view.find_hits[index]
        self.view.move_to(start)
        self._say_hit(index, note)
        if getattr(self.app, "screen_reader", False):
            self.call_after_refresh(self.wb.place_cursor)  # the reader's cursor on the hit, once scrolled

    def _say_hit(self, index: int, note: str) -> None:
        hits = self.view.find_hits
        assert self.find_query is not None
        where = self._where(hits[index])
        self.notify(f"hit {index + 1} of {len(hits)} for {self.find_query.query!r} at {where}{note}")

    def action_next_hit(self, step: int) -> None:
        """`n`/`N` while a find's hits are shown: the next or previous hit from the cursor, wrapping."""
        hits = self.view.find_hits
        if not hits:
            return
        cursor = self.view.cursor
        if step > 0:
            index = next((i for i, (start, _e) in enumerate(hits) if start > cursor), None)
            note = "" if index is not None else " (wrapped to the first)"
            self._go_to_hit(index if index is not None else 0, note)
        else:
            before = [i for i, (start, _e) in enumerate(hits) if start < cursor]
            note = "" if before else " (wrapped to the last)"
            self._go_to_hit(before[-1] if before else len(hits) - 1, note)

    def action_close_find(self) -> None:
        """Esc: in the find line, close it (the hits stay); on the text, clear the hits."""
        if self.has_class("-finding"):
            self._close_find_line()
        elif self.view.find_hits:
            self.find_query = None
            self.view.set_find_hits(())
            self.notify("find cleared")

    def _close_find_line(self) -> None:
        self.remove_class("-finding")
        self.set_focus(self.view)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` opens the find line unless typed in it; n/N are the find's while its hits are shown (else
        the segments'); Esc as `action_close_find`."""
        if action == "find":  # `/` typed in the find line is a character of the query
            return not (self.is_mounted and self.focused is self.find_line)
        if action == "next_hit":
            return bool(self.is_mounted and self.view.find_hits)
        if action == "close_find":
            return self.is_mounted and (self.has_class("-finding") or bool(self.view.find_hits))
        return True

    def action_memo(self) -> None:
        """`m`: a memo linked to the selected (or cursor) segment, else to this source, titled by place."""
        if self.source_id is None:
            return
        from workbench.tui.screens.memo_editor import MemoEditor

        view = self.view
        span = trim(view.text, view.selection) if view.selection else None
        link = f"source:{self.source_id}"
        anchor: tuple[str, int, int] | None = None
        if span is not None and span[0] < span[1]:
            exact = [c for c in view.codings if (c.start, c.end) == span]
            if exact:
                link = f"segment:{exact[0].segment_id}"
            else:  # words not coded yet: the memo anchors them as a segment of their own
                anchor = (self.source_id, span[0], span[1])
        else:
            here = view.codings_at(view.cursor)
            if here:
                link = f"segment:{here[0].segment_id}"
                span = (here[0].start, here[0].end)
        place = span or (view.cursor, view.cursor + 1)
        self.app.push_screen(
            MemoEditor(
                [] if anchor else [link], title=f"{self._pseudonym}, {self._where(place)}", anchor=anchor
            )
        )

    def action_toggle_pane(self) -> None:
        self.toggle_class("-pane-hidden")

    def set_layer_choice(self, choice: str) -> None:
        """Draw `choice`'s codings (filtering the list read at the last refresh) and say so."""
        self.layer_choice = choice
        self.view.set_codings(self._layer_view())
        self._codings_key += 1
        self._update_legend()
        self._update_panes()

    def action_cycle_layers(self) -> None:
        """`v`: the next layer view this transcript offers (see "Coding layers" above)."""
        choices = self.layer_choices()
        if len(choices) < 2:
            self.notify("one coding layer in this transcript: nothing else to show")
            return
        ids = [choice for choice, _text in choices]
        following = ids[(ids.index(self.layer_choice) + 1) % len(ids)]
        self.set_layer_choice(following)
        self.notify(f"layers: {dict(choices)[following]}")

    def action_choose_layer(self) -> None:
        """`V`: pick the layer view from a list."""
        choices = self.layer_choices()

        def chosen(choice: str | None) -> None:
            if choice is not None:
                self.set_layer_choice(choice)

        from workbench.tui.widgets.prompt import ChoiceModal

        marked = [(c, f"{'▸' if c == self.layer_choice else ' '} {text}") for c, text in choices]
        self.app.push_screen(ChoiceModal("Show which coding layers?", marked), chosen)


def _layer_name(choice: str) -> str:
    if choice == CONSENSUS:
        return "consensus layer"
    if choice == UNION:
        return "union of all layers"
    if choice == ALL_LAYERS:
        return "all layers"
    return f"{choice.removeprefix('coder:')}'s layer"


def _checked_annotations(result: object) -> MarginAnnotations:
    """A margin factory's result, or TypeError (a plugin bug) if it breaks the contract."""
    if not isinstance(result, Mapping):
        raise TypeError(f"margin factory returned {type(result).__name__}, expected a mapping")
    for key, value in result.items():
        if not isinstance(key, int) or isinstance(key, bool) or not isinstance(value, str):
            raise TypeError("margin factory must map line ordinals (int) to annotations (str)")
    return result


def _legend_row(row: Content | tuple[str, str, int]) -> Content:
    """One legend row: a code's marker, label and codings here (head rows come ready-made)."""
    if isinstance(row, Content):
        return row
    marker, label, count = row
    return Content.assemble((f" {marker} ", "bold"), f" {label}  ", (str(count), "dim"))


def _layered_span(
    segment: Mapping[str, Any], coding: Mapping[str, Any], codes: Mapping[str, Any]
) -> tuple[str, str, CodedSpan]:
    """(layer key, coder, span) of one coding: its coder's layer, or the consensus layer."""
    code = codes.get(coding["code_id"])
    label = str(code["label"]) if code else coding["code_id"]
    layer = CONSENSUS if coding.get("layer") == CONSENSUS else f"coder:{coding['coder']}"
    span = CodedSpan(segment["start"], segment["end"], coding["code_id"], label, segment["id"], coding["id"])
    return layer, str(coding["coder"]), span
