"""Small keyboard dialogs the views share: ask for one line of text, confirm, choose one item, or read a
report."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import ClassVar, TypeVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from workbench.tui.typeahead import after_keys
from workbench.tui.widgets.lists import PagingOptionList
from workbench.tui.widgets.scrolling import set_scroll_range

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A dialog answers once, and in the order the keys were typed.

    Keys typed ahead arrive together. Enter answers through a message its widget posts to itself
    (`Input.Submitted`, `OptionList.OptionSelected`) while Esc is a binding the app runs at once, so
    `Enter Esc` cancelled first and then answered too: the caller was called back twice (a code
    applied after the cancel) and the second `dismiss` popped the view under the dialog, which ended
    the app. Here Esc waits for the keys typed before it (`cancel`), and any answer after the first,
    when the dialog has gone, is dropped.
    """

    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        if not self.is_active:  # answered already: a second answer would pop the screen under it
            return AwaitComplete()  # nothing to wait for
        return super().dismiss(result)

    def cancel(self) -> None:
        """Close with no answer once the keys typed before Esc have had their effect (Enter's wins)."""
        after_keys(self.focused or self, lambda: self.dismiss(None))


class PromptModal(Dialog[str | None]):
    """One line of text; Enter returns it (stripped), Esc returns None. Empty input returns None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]
    DEFAULT_CSS = """
    PromptModal { align: center middle; }
    PromptModal > Vertical { width: 70; max-width: 100%; height: auto; border: round $primary;
                             background: $surface; padding: 0 1; }
    """

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text))
            yield Input(value=self.value, placeholder=self.placeholder)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.cancel()


class ChoiceModal(Dialog[str | None]):
    """Pick one of `choices` (id, text) with arrows/j/k and Enter; Esc returns None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]
    DEFAULT_CSS = """
    ChoiceModal { align: center middle; }
    ChoiceModal > Vertical { width: 70; max-width: 100%; height: auto; max-height: 20; border: round $primary;
                             background: $surface; padding: 0 1; }
    ChoiceModal OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, title: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text))
            yield PagingOptionList(*(Option(Text(text), id=ident) for ident, text in self.choices))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.cancel()


class MessagesModal(Dialog[None]):
    """F2: the session's messages, newest last, to read again (a screen reader's second chance)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f2,q", "close", "Close", id="messages.close"),
    ]
    DEFAULT_CSS = """
    MessagesModal { align: center middle; }
    MessagesModal > Vertical { width: 76; max-width: 100%; height: 20; max-height: 100%;
                               border: round $primary; background: $surface; padding: 0 1; }
    MessagesModal VerticalScroll { height: 1fr; }
    """

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__()
        self.messages = list(messages)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Messages ({len(self.messages)}) — Esc closes", style="bold"))
            with VerticalScroll():
                yield Static(Text("\n".join(self.messages) or "no messages yet"))

    def on_mount(self) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.focus()
        scroll.scroll_end(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


class TextLines(ScrollView, can_focus=True):
    """Lines of text, wrapped to the width and drawn row by row (the Line API): a long report scrolls
    with the keys without a widget per line. A wrapped line's continuation is indented under it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_by(-1)", "Up", id="lines.up", show=False),
        Binding("down,j", "scroll_by(1)", "Down", id="lines.down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", id="lines.page_up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", id="lines.page_down", show=False),
        Binding("home,g", "edge(-1)", "Top", id="lines.top", show=False),
        Binding("end,G", "edge(1)", "Bottom", id="lines.bottom", show=False),
    ]
    DEFAULT_CSS = """
    TextLines { overflow-x: hidden; overflow-y: auto; height: 1fr; }
    """

    def __init__(self, lines: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines = [" ".join(line.split("\n")) for line in lines]
        self.rows: list[str] = []
        self._wrapped_for = -1

    def _wrap(self) -> None:
        width = max(self.scrollable_content_region.width or self.size.width, 10)
        if width == self._wrapped_for:
            return
        rows: list[str] = []
        for line in self.lines:
            indent = " " * (len(line) - len(line.lstrip(" ")) + 4)
            rows += textwrap.wrap(line, width, subsequent_indent=indent, drop_whitespace=True) or [""]
        self.rows, self._wrapped_for = rows, width
        set_scroll_range(self, Size(width, len(rows)))

    def on_resize(self, event: events.Resize) -> None:
        self._wrap()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        self._wrap()
        row = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width or self.size.width
        if not 0 <= row < len(self.rows):
            return Strip.blank(width, self.rich_style)
        return Strip([Segment(self.rows[row], self.rich_style)]).crop_extend(0, width, self.rich_style)

    def cursor_cell(self) -> tuple[int, int]:
        """(x, y) of the top row shown, for the terminal cursor (screen_reader.py)."""
        return 0, 0

    def action_scroll_by(self, rows: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + rows, animate=False)

    def action_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + direction * step, animate=False)

    def action_edge(self, direction: int) -> None:
        self.scroll_to(y=0 if direction < 0 else len(self.rows), animate=False)


class ReportModal(Dialog[None]):
    """A report to read once a job is done (an export's fidelity report): its lines scroll with the
    arrows, j/k, PgUp/PgDn and Home/End; Esc, q or Enter closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "close", "Close", id="report.close"),
    ]
    DEFAULT_CSS = """
    ReportModal { align: center middle; }
    ReportModal > Vertical { width: 78; max-width: 100%; height: 22; max-height: 100%;
                             border: round $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, title: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield TextLines(self.lines)
            yield Label(Text("↑↓ j k PgUp PgDn Home End: scroll   Esc, q or Enter: close", style="dim"))

    def on_mount(self) -> None:
        self.query_one(TextLines).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class NoticeModal(Dialog[None]):
    """A message that holds the keys typed after it until Enter or Esc.

    For an action after which the user is already typing (`c` then a code's name): when it cannot
    run, a toast would let those letters run as commands; this dialog takes them instead.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", "Close", id="notice.close"),
    ]
    DEFAULT_CSS = """
    NoticeModal { align: center middle; }
    NoticeModal > Vertical { width: 70; max-width: 100%; height: auto; border: round $warning;
                             background: $surface; padding: 0 1; }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"⚠ {self.message}"))
            yield Label(Text("Enter or Esc: close (keys typed meanwhile are ignored)", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmModal(Dialog[bool]):
    """y confirms, n or Esc declines: for actions that are undoable but sweeping (merge, retire)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical { width: 70; max-width: 100%; height: auto; border: round $warning;
                              background: $surface; padding: 0 1; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.question))  # questions quote labels: never parsed as markup
            yield Label(Text("y: yes   n or Esc: no"))

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ProgressModal(Dialog[None]):
    """A long job's progress, over the view that started it; Esc asks the job to stop.

    It holds the keys typed meanwhile (a view switch, the palette, another coding) so nothing reads
    or changes the project while the job works on it in a thread. The job's owner closes it (`done`)
    when the job has ended, cancelled or not; `q`, ctrl+z and ctrl+r say to wait rather than act
    under the job. A dialog opened over it meanwhile (help, F2) does not keep it open: it closes when
    shown again after the job has ended.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_job", "Cancel", id="progress.cancel"),
        # quitting, undoing or redoing under the job would act on the project it is writing
        Binding("q,ctrl+z,ctrl+r", "wait", "Wait", show=False, id="progress.wait"),
    ]
    DEFAULT_CSS = """
    ProgressModal { align: center middle; }
    ProgressModal > Vertical { width: 70; max-width: 100%; height: auto; border: round $primary;
                               background: $surface; padding: 0 1; }
    """

    def __init__(self, message: str, on_cancel: Callable[[], object]) -> None:
        super().__init__()
        self.message = message
        self.on_cancel = on_cancel
        self.cancelling = False
        self.finished = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"⧗ {self.message}"), id="progress-message")
            yield Label(Text("Esc: cancel (nothing is written)", style="dim"), id="progress-hint")

    def show_progress(self, done: int, total: int) -> None:
        """`done` of `total` steps are done (called on the UI thread)."""
        if self.is_attached and not self.cancelling:
            self.query_one("#progress-message", Label).update(Text(f"⧗ {self.message} {done} of {total}"))

    def action_cancel_job(self) -> None:
        if self.cancelling:
            return
        self.cancelling = True
        self.on_cancel()
        self.query_one("#progress-hint", Label).update(Text("cancelling… nothing will be written"))

    def action_wait(self) -> None:
        self.app.notify("wait: the job is still running (Esc cancels it)", severity="warning")

    def done(self) -> None:
        """The job has ended: close now, or when shown again (a dialog is open over this one)."""
        self.finished = True
        if self.is_active:
            self.dismiss(None)

    def on_screen_resume(self) -> None:
        if self.finished:
            self.dismiss(None)
