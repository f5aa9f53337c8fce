"""Write or edit a memo without leaving the view (`m`): title, type and a Markdown body."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, TextArea

from workbench.tui.base import WorkbenchModal
from workbench.tui.typeahead import after_keys

MEMO_TYPES = ("analytic", "code", "theoretical", "methodological", "reflexive", "case", "operational")


class MemoEditor(WorkbenchModal):
    """New memo linked to `links` (entity refs), or an edit of `memo_id`; ctrl+s saves, Esc cancels.

    Dismisses with the memo id when saved, None when cancelled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="memo.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="memo.cancel"),
    ]
    DEFAULT_CSS = """
    MemoEditor { align: center middle; }
    MemoEditor > Vertical { width: 90%; height: 90%; border: round $primary; background: $surface; }
    MemoEditor #memo-meta { height: 3; }
    MemoEditor #memo-title { width: 1fr; }
    MemoEditor #memo-type { width: 22; }
    MemoEditor TextArea { height: 1fr; }
    """

    def __init__(
        self,
        links: Sequence[str] = (),
        *,
        memo_id: str | None = None,
        title: str = "",
        anchor: tuple[str, int, int] | None = None,
    ) -> None:
        super().__init__()
        self.links = list(links)
        self.passage = anchor  # a passage with no segment yet: the memo creates one
        self.memo_id = memo_id
        self.initial_title = title

    def compose(self) -> ComposeResult:
        existing = self.project.get("memos", self.memo_id) if self.memo_id else None
        with Vertical():
            label = f"Edit memo {self.memo_id}" if existing else "New memo"
            yield Label(
                f"{label} — links: {', '.join(self._shown_links(existing)) or 'none'}"
                "  (ctrl+s save · Esc cancel)"
            )
            with Horizontal(id="memo-meta"):
                yield Input(
                    value=(existing or {}).get("title", self.initial_title),
                    placeholder="Title",
                    id="memo-title",
                    disabled=existing is not None,
                )
                memo_type = str((existing or {}).get("type") or "analytic")
                # A plugin's memo type (GT's `diagram`, IPA's) is shown as it is, not refused by Select.
                types = [*MEMO_TYPES, *([memo_type] if memo_type not in MEMO_TYPES else [])]
                yield Select(
                    [(t, t) for t in types],
                    value=memo_type,
                    allow_blank=False,
                    id="memo-type",
                    disabled=existing is not None,
                )
            yield TextArea((existing or {}).get("body", ""), id="memo-body", soft_wrap=True)

    def _shown_links(self, existing: dict[str, object] | None) -> list[str]:
        if existing:
            return [str(link) for link in existing.get("links", [])]  # type: ignore[attr-defined]
        passage = [f"passage {self.passage[0]} {self.passage[1]}:{self.passage[2]}"] if self.passage else []
        return [*self.links, *passage]

    def on_mount(self) -> None:
        target = "#memo-body" if self.memo_id else "#memo-title"
        self.query_one(target).focus()

    def action_save(self) -> None:
        # A priority binding (so the text box does not take ctrl+s): the words typed just before it,
        # arriving in the same read over SSH, may still wait in the box's queue. Saved after them.
        after_keys(self.focused or self, self._save)  # dropped once a first ctrl+s has closed the editor

    def _save(self) -> None:
        body = self.query_one("#memo-body", TextArea).text
        if self.memo_id:
            if self.wb.run_op(self.project.edit_memo, self.memo_id, body):
                self.dismiss(self.memo_id)
            return
        title = self.query_one("#memo-title", Input).value.strip()
        if not title:
            self.notify("a memo needs a title", severity="error")
            self.query_one("#memo-title").focus()
            return
        memo_type = str(self.query_one("#memo-type", Select).value)
        memo_id = self.wb.run_op(
            self.project.write_memo, title, body, links=self.links, memo_type=memo_type, anchor=self.passage
        )
        if memo_id:
            self.notify(f"memo {memo_id} saved")
            self.dismiss(memo_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
