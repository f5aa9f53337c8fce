"""The code picker (`c`): type a few letters of a code, or a new label, and press Enter.

Open coding means inventing labels as fast as one reads, and focused coding means finding one of
hundreds of existing codes by a fragment of it. So the picker ranks active codes by a fuzzy match on
what is typed (exact, then prefix, then word-start and substring, then letters in order, as fzf-style
pickers do), shows how many segments each code already has (a hint of how established it is), and, when
the typed label is not an existing code, offers "+ create “label”" (METHODS.md 9, GT-3).

Enter never creates a near-duplicate by accident: when an existing code contains what is typed (a
prefix, a word, any substring: "feel" in "Feeling understood"), that code is the default and creating
is an explicit choice (ctrl+n, or the create entry, listed last). Only when nothing matches that well
(letters merely in order, or no match) is the create entry first, so inventing labels while open
coding stays one Enter.

The scorer is a small subsequence matcher rather than a dependency: ranking a few hundred short labels
per keystroke takes well under a millisecond either way.

The picker knows nothing about projects: the caller passes `PickerCode`s and receives the chosen label
(an existing code's exact label, or the new label as typed), or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from workbench.tui.widgets.lists import PagingOptionList
from workbench.tui.widgets.prompt import Dialog

if TYPE_CHECKING:
    from workbench.core.project import Project

__all__ = ["CREATE_ID", "CodePicker", "PickerCode", "fuzzy_score", "picker_codes", "rank_codes"]

CREATE_ID = "+create"
"""Option id of the "+ create “label”" entry."""
STRONG_MATCH = 500.0
"""`fuzzy_score` from which an existing code, not a new one, is the default: the query is a substring."""


@dataclass(frozen=True)
class PickerCode:
    """An active code offered by the picker, with the number of segments it codes (shown as a hint)."""

    label: str
    segments: int = 0


def picker_codes(project: Project) -> list[PickerCode]:
    """A project's active codes with how many segments each codes, read from the index in O(codes).

    The count is the code's codings: the same as its segments when one coder codes (a coder cannot
    apply a code twice to one segment), and it stays instant at 50,000 codings, where collecting
    distinct segments would cost tens of milliseconds on every `c`.
    """
    by_code = project.index.codings_by_code
    return [
        PickerCode(str(code["label"]), len(by_code.get(code["id"], ())))
        for code in project.rows("codes")
        if code.get("status") == "active"
    ]


def _normalise(value: str) -> str:
    """Lower case with runs of whitespace collapsed: how labels are compared while typing."""
    return " ".join(value.lower().split())


def fuzzy_score(query: str, label: str) -> tuple[float, tuple[int, ...]] | None:
    """How well `label` matches the typed `query` (higher is better) and which characters matched.

    None when the query's letters do not all occur in order. Tiers, best first: the whole label; a
    prefix; a substring at a word start; any substring; the query's letters in order (spaces in the
    query ignored), with bonuses for letters at word starts and for runs. Within a tier, earlier and
    shorter matches win. Positions index `label`, for highlighting.
    """
    wanted = _normalise(query)
    if not wanted:
        return (0.0, ())
    folded = label.lower()
    if len(folded) != len(label):  # a few characters lower-case to two; compare without positions
        folded_label = _normalise(label)
        return (500.0, ()) if wanted in folded_label else None
    if _normalise(label) == wanted:
        return (1000.0, tuple(range(len(label))))
    index = folded.find(wanted)
    if index >= 0:
        at_word = index == 0 or not folded[index - 1].isalnum()
        tier = 900.0 if index == 0 else 700.0 if at_word else 500.0
        return (tier - index * 0.5 - len(label) * 0.01, tuple(range(index, index + len(wanted))))
    letters = wanted.replace(" ", "")
    positions: list[int] = []
    position = 0
    for i, char in enumerate(letters):
        found = folded.find(char, position)
        if found < 0:
            return None
        # Prefer the same letter at a later word start ("fu" -> Feeling Understood), if the rest of
        # the query still matches after it.
        later = found
        while later >= 0 and not _at_word_start(folded, later):
            later = folded.find(char, later + 1)
        if later > found and _is_subsequence(letters[i + 1 :], folded, later + 1):
            found = later
        positions.append(found)
        position = found + 1
    score = 100.0
    for i, pos in enumerate(positions):
        if _at_word_start(folded, pos):
            score += 10.0
        if i and positions[i - 1] == pos - 1:
            score += 5.0
    score -= (positions[-1] - positions[0]) * 0.5 + len(label) * 0.01
    return (score, tuple(positions))


def _at_word_start(text: str, index: int) -> bool:
    return index == 0 or not text[index - 1].isalnum()


def _is_subsequence(letters: str, text: str, start: int) -> bool:
    position = start
    for char in letters:
        position = text.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def rank_codes(query: str, codes: Sequence[PickerCode]) -> list[tuple[PickerCode, tuple[int, ...]]]:
    """Codes matching `query`, best first; with no query, the most used first, then alphabetically."""
    scored: list[tuple[float, PickerCode, tuple[int, ...]]] = []
    for code in codes:
        result = fuzzy_score(query, code.label)
        if result is not None:
            scored.append((result[0], code, result[1]))
    scored.sort(key=lambda item: (-item[0], -item[1].segments, item[1].label.casefold()))
    return [(code, positions) for _score, code, positions in scored]


HINT = "Enter apply · ↑↓ choose · Esc cancel"
HINT_CREATE = "Enter apply · ↑↓ choose · ctrl+n create new · Esc cancel"


class CodePicker(Dialog[str | None]):
    """Pick or create a code: dismisses with its label, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel", tooltip="Close without coding"),
        Binding("ctrl+n", "create", "Create new", id="picker.create",
                tooltip="Create the typed label as a new code, even when an existing code matches"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down", tooltip="Highlight the next code"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up",
                tooltip="Highlight the previous code"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="picker.page_down",
                tooltip="Ten codes down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="picker.page_up", tooltip="Ten codes up"),
    ]  # fmt: skip
    DEFAULT_CSS = """
    CodePicker { align: center middle; }
    CodePicker > Vertical { width: 72; max-width: 100%; height: auto; max-height: 22; border: round $primary;
                            background: $surface; padding: 0 1; }
    CodePicker #picker-title { text-style: bold; }
    CodePicker OptionList { height: auto; max-height: 14; border: none; padding: 0; }
    CodePicker #picker-hint { color: $text-muted; }
    """

    def __init__(
        self, codes: Sequence[PickerCode], *, title: str = "Code the selection", value: str = ""
    ) -> None:
        super().__init__()
        self.codes = list(codes)
        self.title_text = title
        self.initial = value
        self._existing = {_normalise(code.label) for code in self.codes}
        self.choices: list[str] = []  # the label each option stands for, in option order
        self.new_label: str | None = None  # what is typed, when it is no existing code's label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="picker-title")
            yield Input(value=self.initial, placeholder="type to filter, or a new label", id="picker-input")
            options = PagingOptionList(id="picker-options")
            options.can_focus = False  # typing always goes to the input; arrows are bound here
            yield options
            yield Label(HINT, id="picker-hint")

    def on_mount(self) -> None:
        self._rebuild(self.initial)
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._rebuild(event.value)

    def _rebuild(self, query: str) -> None:
        """Re-rank the codes for `query`; a new label's create entry is first only if nothing matches well."""
        typed = " ".join(query.split())
        options: list[Option] = []
        choices: list[str] = []
        ranked = rank_codes(query, self.codes)
        for code, positions in ranked:
            prompt = Text(code.label)
            for position in positions:
                prompt.stylize("bold underline", position, position + 1)
            prompt.append(f"  {code.segments}", style="dim")
            options.append(Option(prompt))
            choices.append(code.label)
        self.new_label = typed if typed and _normalise(typed) not in self._existing else None
        if self.new_label is not None:
            create = Option(Text.assemble("+ create ", (f"“{typed}”", "bold")), id=CREATE_ID)
            best = fuzzy_score(query, ranked[0][0].label) if ranked else None
            at = len(options) if best is not None and best[0] >= STRONG_MATCH else 0
            options.insert(at, create)
            choices.insert(at, typed)
        self.query_one("#picker-hint", Label).update(HINT_CREATE if self.new_label is not None else HINT)
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        option_list.highlighted = 0 if options else None
        self.choices = choices

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if not self.choices:
            return
        current = option_list.highlighted or 0
        option_list.highlighted = max(0, min(len(self.choices) - 1, current + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._pick(self.query_one(OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option_index)

    def _pick(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.choices):
            self.app.bell()
            return
        self.dismiss(self.choices[index])

    def action_create(self) -> None:
        """The explicit way to create a code whose label resembles an existing one."""
        if self.new_label is None:
            self.app.bell()
            return
        self.dismiss(self.new_label)

    def action_cancel(self) -> None:
        self.cancel()  # after the keys typed before Esc: `Enter Esc` typed ahead codes, once
