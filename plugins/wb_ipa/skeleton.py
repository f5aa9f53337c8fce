"""The results-chapter skeleton (IPA-9c): GET by GET, sub-theme by sub-theme, extracts and drafting notes.

Each heading gets the participants who contribute, the extracts chosen for it (formatted quotes with
citations), the convergence/divergence notes and the memos linked to the theme as drafting notes. The
analytic claim and commentary are the researcher's to write; the skeleton marks where they go.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wb_ipa import board, gets, quotes
from wb_ipa import settings as settings_mod
from wb_ipa.anchors import pseudonym
from wb_ipa.terminology import GET, label
from workbench import TableData

if TYPE_CHECKING:
    from workbench import Project

CLAIM = "(write the analytic claim, then interpret each extract)"


def sections(project: Project) -> list[tuple[str, str, str]]:
    """(section heading, kind, text) rows in reading order."""
    numbers = gets.numbering(project)
    out: list[tuple[str, str, str]] = []
    for top in board.themes(project, levels=(GET,)):
        for node in gets.family(project, top):
            heading = f"{numbers[node.id]}{'.' if node.level == GET else ''} {node.name}"
            who = ", ".join(pseudonym(project, p) for p in gets.participants(project, node))
            out.append((heading, "heading", f"Contributing participants: {who or 'none yet'}"))
            out.append((heading, "claim", CLAIM))
            for participant, cell in node.cells.items():
                if cell.get("note"):
                    out.append(
                        (heading, "drafting note", f"{pseudonym(project, participant)}: {cell['note']}")
                    )
                for extract in cell.get("extracts", []):
                    out.append((heading, "extract", quotes.format_quote(project, extract)))
            ref = f"record:{node.id}"
            for memo in project.rows("memos"):
                if ref in memo.get("links", ()):
                    out.append((heading, "drafting note", f"{memo['title']}: {memo['body']}"))
    return out


def table(project: Project) -> TableData:
    term = settings_mod.load(project).terminology
    return TableData(
        ("Section", "Kind", "Text"), tuple(sections(project)), f"Results skeleton ({label(GET, term)}s)"
    )


def markdown(project: Project) -> str:
    """The skeleton as a Markdown chapter draft: headings, block-quoted extracts, drafting notes."""
    term = settings_mod.load(project).terminology
    lines = [f"# Results: {label(GET, term)}s", ""]
    current = None
    for heading, kind, text in sections(project):
        if heading != current:
            depth = "##" if heading.split(" ", 1)[0].endswith(".") else "###"
            lines += [f"{depth} {heading}", ""]
            current = heading
        if kind == "heading":
            lines += [f"*{text}*", ""]
        elif kind == "claim":
            lines += [f"<!-- {text} -->", ""]
        elif kind == "extract":
            lines += [f"> {text}", ""]
        else:
            lines += [f"- Drafting note — {text}", ""]
    return "\n".join(lines)
