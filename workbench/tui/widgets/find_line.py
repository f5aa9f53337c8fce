"""Find in one transcript: the query (corpus search's syntax) and the line it is typed into.

`FindQuery` is what the Text view's `/` finds, and what the corpus search screen hands the Text view
when Enter opens a hit there (so `n`/`N` then step through that search's hits in the transcript).
`find_spans` runs it over one text with core's `Matcher`, inside speaker turns only (labels are
structure, never found).

`QueryLine` is an `Input` that submits what it held when Enter was typed. Textual runs an Input's
Enter binding only once the key has travelled up to the app, and keys typed after Enter (read in the
same go, over SSH) are typed into the box meanwhile: `hope` Enter `c` searched for "hopec". Here the
text is taken as the Input reads the Enter key, in the order the keys came; what follows stays in the
box, for the next query. `FindLine` is the Text view's find box, calling back with that text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import events
from textual.widgets import Input

from workbench.core.model import Turn
from workbench.core.search.language import DEFAULT_LANGUAGE
from workbench.core.search.matching import Matcher, regions_of
from workbench.core.search.query import TOKEN

__all__ = ["FindLine", "FindQuery", "QueryLine", "find_spans"]


@dataclass(frozen=True)
class FindQuery:
    """A query with the options that change how it matches (filters do not apply to one text)."""

    query: str
    regex: bool = False
    stem: bool = False
    ignore_accents: bool = False
    near: int | None = None

    def options(self) -> str:
        """The options as the search screen's options line spells them ("" when none)."""
        words = [name for name, on in (("regex", self.regex), ("stem", self.stem)) if on]
        if self.ignore_accents:
            words.append("accents")
        if self.near is not None:
            words.append(f"near={self.near}")
        return " ".join(words)


def find_spans(
    text: str, turns: Sequence[Turn], find: FindQuery, language: str = DEFAULT_LANGUAGE
) -> list[tuple[int, int]]:
    """(start, end) of each hit of `find` in `text`, in text order; raises core's query errors."""
    regions = regions_of(text, turns)

    def vocabulary() -> set[str]:  # asked for only with stem: this text's own words
        return {w.casefold() for r in regions for w in TOKEN.findall(text, r.start, r.end)}

    matcher = Matcher(
        find.query,
        regex=find.regex,
        stem=find.stem,
        ignore_accents=find.ignore_accents,
        near=find.near,
        language=language,
        vocabulary=vocabulary,
    )
    matcher.start()
    return [(start, end) for start, end, _region in matcher.spans(text, regions)]


class QueryLine(Input):
    """An `Input` whose Enter submits the text as it was when Enter was typed (module docstring)."""

    _entered: str | None = None

    def on_key(self, event: events.Key) -> None:
        """Runs before the Input's own key handling (Textual calls each class's handler, subclass first)."""
        if event.key == "enter":
            self._entered = self.value

    def entered_value(self) -> str:
        """The text when Enter was typed (the text now, for a submit that came without the key)."""
        value = self.value if self._entered is None else self._entered
        self._entered = None
        return value

    async def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.entered_value()))


class FindLine(QueryLine):
    """The Text view's find box: Enter calls `submit(text)`, which says whether the box closed.

    Keys typed after Enter in the same go (`/hope` Enter `n`) reach the box before its Enter has
    acted; they are held, and handed to whatever has focus once the box has closed (the text: `n`
    goes to the next hit), or typed into the box if it stays open (a query that cannot be read).
    """

    def __init__(
        self, submit: Callable[[str], bool], *, placeholder: str = "", id: str | None = None
    ) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self._submit = submit
        self._held: list[events.Key] = []

    def on_key(self, event: events.Key) -> None:
        """Runs before `QueryLine.on_key` (Textual calls every class's own handler, subclass first)."""
        if self._entered is not None:  # after Enter, before it acted: not this query's keys
            event.stop()
            event.prevent_default()  # and not the Input's (nor `QueryLine.on_key`'s) either
            self._held.append(events.Key(event.key, event.character))

    async def action_submit(self) -> None:
        closed = self._submit(self.entered_value())
        held, self._held = self._held, []
        if closed:
            target = self.screen.focused
            for key in held:
                if target is not None and target is not self:
                    target.post_message(key)
            return
        for key in held:
            if key.is_printable and key.character is not None:
                self.insert_text_at_cursor(key.character)
