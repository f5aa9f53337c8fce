"""The GT coding margin: the two-column layout (codes ∣ text) Charmaz shows for initial coding.

``factory(project, source_id)`` returns, for each tool line ordinal of the source's current version, the
codes on that line, each with its level glyph (○ initial, ◇ focused, ■ category ...), so the level shows as
a glyph and never by colour alone. It only reads the project, and touches each coding once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench import Project

from .vocab import GLYPHS


def codes_by_line(project: Project, source_id: str) -> Mapping[int, str]:
    version_id, record = project.current_text(source_id)
    codes: dict[str, dict[str, Any]] = {}
    lines: dict[int, list[str]] = {}
    for segment, coding in project.version_codings(version_id):
        code = codes.get(coding["code_id"])
        if code is None:
            found = project.get("codes", coding["code_id"])
            if found is None:
                continue
            code = codes[coding["code_id"]] = found
        first, last = record.linemap.lines_of_span(segment["start"], segment["end"])
        entry = f"{GLYPHS.get(code['level'], '·')} {code['label']}"
        for ordinal in range(first.ordinal, last.ordinal + 1):
            labels = lines.setdefault(ordinal, [])
            if entry not in labels:
                labels.append(entry)
    return {ordinal: "; ".join(labels) for ordinal, labels in lines.items()}
