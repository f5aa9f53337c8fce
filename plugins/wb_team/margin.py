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
    from workbench.team import initials_of

    vid, record = project.current_text(source_id)
    hidden = project.blind_layers()
    pairs = [(s, c) for s, c in project.version_codings(vid) if c["layer"] not in hidden]
    letters = initials_of(project, {coding["coder"] for _segment, coding in pairs})
    labels_of: dict[str, str] = {}
    marks: dict[int, dict[str, set[str]]] = {}
    for segment, coding in pairs:
        label = labels_of.get(coding["code_id"])
        if label is None:
            code = project.get("codes", coding["code_id"]) or {}
            label = labels_of[coding["code_id"]] = str(code.get("label", coding["code_id"]))
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
