"""The two tables every study has, whatever its method: the codebook and one code's coded segments.

They are registered by this plugin through the public API (EXP-1), so ``workbench tables`` lists them
beside the method plugins' tables and every export format works for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from workbench import BadInputError, TableData

if TYPE_CHECKING:
    from workbench import Project


def codebook(project: Project, options: Mapping[str, str]) -> TableData:
    """Every code in tree order with level, kind, definition and counts (``--option all=yes`` adds
    merged, split and retired codes)."""
    include = options.get("all", "no").casefold() in ("yes", "true", "1")
    rows = tuple(
        (
            "  " * code.depth + code.label,
            code.level,
            code.kind,
            code.status,
            code.definition,
            str(code.segments),
            str(code.participants),
        )
        for code in project.code_tree(include_inactive=include)
    )
    return TableData(
        ("Code", "Level", "Kind", "Status", "Definition", "Segments", "Participants"), rows, "Codebook"
    )


def coded_segments(project: Project, options: Mapping[str, str]) -> TableData:
    """Every segment coded with ``--option code=LABEL``, with its citation and verbatim text (TR-11/12)."""
    label = options.get("code", "").strip()
    if not label:
        raise BadInputError("this table needs --option code=LABEL", "--option")
    context = options.get("context", "0")
    if not context.isdigit():
        raise BadInputError("context must be a whole number of lines", "--option context")
    segments = project.coded_segments(label, extracts=True, context_lines=int(context))
    rows = tuple(
        (s.participant, s.pseudonym, s.source, s.citation, s.extract or s.text, s.coder, s.flag)
        for s in segments
    )
    return TableData(
        ("Participant", "Pseudonym", "Source", "Citation", "Extract", "Coder", "Flag"),
        rows,
        f"Coded segments: {label}",
    )
