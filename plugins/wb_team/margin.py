"""The coder-layers margin (ICR-2): per transcript line, each coder's initial and the codes they applied.

Stacked per coder, in coder order, with the layer marked when it is not the ordinary ``main`` layer
(``c`` consensus, ``r`` an ICR round): letters, never colour alone. Rounds that are still open are left
out, so the margin never breaks a round's blindness (ICR-3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench import Project


def layers_by_line(project: Project, source_id: str) -> Mapping[int, str]:
    from workbench.team import initials, rounds

    vid, record = project.current_text(source_id)
    hidden = {r.layer for r in rounds(project) if r.status == "open"}
    letters = initials(project)
    marks: dict[int, dict[str, set[str]]] = {}
    for coding in project.rows("codings"):
        if coding["layer"] in hidden:
            continue
        segment = project.get("segments", coding["segment_id"])
        if segment is None or segment["version_id"] != vid:
            continue
        label = str((project.get("codes", coding["code_id"]) or {}).get("label", coding["code_id"]))
        layer = coding["layer"]
        tag = letters.get(coding["coder"], "?") + (
            "" if layer == "main" else "c" if layer == "consensus" else "r"
        )
        first, last = record.linemap.lines_of_span(segment["start"], segment["end"])
        for ordinal in range(first.ordinal, last.ordinal + 1):
            marks.setdefault(ordinal, {}).setdefault(tag, set()).add(label)
    return {
        ordinal: " ".join(f"{tag}▌{', '.join(sorted(labels))}" for tag, labels in sorted(by_tag.items()))
        for ordinal, by_tag in marks.items()
    }
