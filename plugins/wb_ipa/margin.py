"""The exploratory-notes margin (IPA-3b): ``{line ordinal: "D: ... | C: ..."}`` beside the transcript.

Bracketing applies: while another case is open, this source's notes are not shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from wb_ipa import cases, notes
from wb_ipa.anchors import case_of_source

if TYPE_CHECKING:
    from workbench import Project


def margin_notes(project: Project, source_id: str) -> Mapping[int, str]:
    visible = cases.visible_cases(project)
    if visible is not None and case_of_source(project, source_id) not in visible:
        return {}
    return {
        line: " | ".join(n.prefixed for n in found)
        for line, found in notes.by_line(project, source_id).items()
    }
