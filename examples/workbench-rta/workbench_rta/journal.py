"""The reflexivity journal and familiarisation notes: core memos with this method's memo types.

Reflexive TA asks the researcher to account for their own part in the analysis rather than to measure
agreement between coders (METHODS.md 5.1). The journal is a run of memos of type ``reflexive``, each titled
with the phase it was written in so the journal reads as the story of the analysis; a familiarisation note
is a ``familiarisation`` memo linked to the transcript it is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench import BadInputError, Project

from .phases import current_phase

JOURNAL_TYPE = "reflexive"
NOTE_TYPE = "familiarisation"


def write_entry(project: Project, text: str, *, title: str = "", links: Sequence[str] = ()) -> str:
    """Add a journal entry (titled after the current phase unless `title` is given); returns the memo id."""
    if not text.strip():
        raise BadInputError("a journal entry needs some text", "TEXT")
    heading = title.strip() or f"Journal: {current_phase(project).title}"
    return project.write_memo(heading, text.strip(), links=list(links), memo_type=JOURNAL_TYPE)


def entries(project: Project) -> list[dict[str, Any]]:
    """Journal entries, oldest first."""
    found = [memo for memo in project.rows("memos") if memo["type"] == JOURNAL_TYPE]
    return sorted(found, key=lambda memo: (memo["created_at"], memo["id"]))


def write_note(project: Project, source_id: str, text: str) -> str:
    """A familiarisation note on one transcript (phase 1); returns the memo id."""
    if not text.strip():
        raise BadInputError("a familiarisation note needs some text", "TEXT")
    source = project.source(source_id)
    return project.write_memo(
        f"Familiarisation: {source['title']}",
        text.strip(),
        links=[f"source:{source['id']}"],
        memo_type=NOTE_TYPE,
    )
