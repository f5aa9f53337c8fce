"""The themes margin: beside each transcript line, the themes its coded words support.

``factory(project, source_id)`` returns, for each tool line ordinal of the source's current version, the
themes (status glyph and name) whose codes are applied on that line, so a researcher reviewing themes
(phase 4) sees them against the whole transcript, not only against their own extracts. It only reads the
project and touches each coding once.
"""

from __future__ import annotations

from collections.abc import Mapping

from workbench import Project

from .themes import themes


def themes_by_line(project: Project, source_id: str) -> Mapping[int, str]:
    by_code: dict[str, list[str]] = {}
    for theme in themes(project, include_discarded=False):
        for code_id in theme.codes:
            by_code.setdefault(code_id, []).append(f"{theme.glyph} {theme.name}")
    if not by_code:
        return {}
    version_id, record = project.current_text(source_id)
    lines: dict[int, list[str]] = {}
    for segment, coding in project.version_codings(version_id):
        labels = by_code.get(coding["code_id"])
        if not labels:
            continue
        first, last = record.linemap.lines_of_span(segment["start"], segment["end"])
        for ordinal in range(first.ordinal, last.ordinal + 1):
            shown = lines.setdefault(ordinal, [])
            shown.extend(label for label in labels if label not in shown)
    return {ordinal: "; ".join(labels) for ordinal, labels in lines.items()}
