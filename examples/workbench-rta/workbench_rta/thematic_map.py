"""The thematic map (Braun & Clarke's visual of themes, subthemes and how they relate) as DOT or Mermaid.

Drawn from the theme records on demand, so it is never out of date. Each theme shows its status glyph
(? candidate, ~ reviewed, ✓ defined) as well as its name, so the map reads in black and white; discarded
themes are left out unless asked for, and codes can be drawn as leaves to show what each theme is built on.
"""

from __future__ import annotations

from workbench import BadInputError, Project

from .themes import Theme, code_labels, themes

FORMATS = ("dot", "mermaid")
_RELATION_LABELS = {"relates-to": "relates to", "tension-with": "in tension with"}


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def _drawn(project: Project, include_discarded: bool) -> tuple[list[Theme], set[str]]:
    shown = themes(project, include_discarded=include_discarded)
    return shown, {t.id for t in shown}


def to_dot(project: Project, *, codes: bool = False, include_discarded: bool = False) -> str:
    """The map as a Graphviz digraph: overarching theme -> subtheme, dashed labelled edges between themes."""
    shown, ids = _drawn(project, include_discarded)
    lines = [
        "digraph thematic_map {",
        "  rankdir=TB;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
    ]
    for theme in shown:
        lines.append(f'  "{theme.id}" [label="{_dot_text(f"{theme.glyph} {theme.name}")}"];')
    for theme in shown:
        if theme.parent in ids:
            lines.append(f'  "{theme.parent}" -> "{theme.id}";')
        for relation, other in theme.related:
            if other in ids:
                label = _RELATION_LABELS.get(relation, relation)
                lines.append(f'  "{theme.id}" -> "{other}" [style=dashed, label="{label}"];')
        if codes:
            for number, label in enumerate(code_labels(project, theme), start=1):
                node = f"{theme.id}.c{number}"
                lines.append(f'  "{node}" [shape=ellipse, label="{_dot_text(label)}"];')
                lines.append(f'  "{theme.id}" -> "{node}" [arrowhead=none];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(project: Project, *, codes: bool = False, include_discarded: bool = False) -> str:
    """The same map as a Mermaid flowchart (renders in Markdown on GitLab, GitHub and many editors)."""
    shown, ids = _drawn(project, include_discarded)
    lines = ["flowchart TD"]
    for theme in shown:
        lines.append(f'  {theme.id}["{_mermaid_text(f"{theme.glyph} {theme.name}")}"]')
    for theme in shown:
        if theme.parent in ids:
            lines.append(f"  {theme.parent} --> {theme.id}")
        for relation, other in theme.related:
            if other in ids:
                lines.append(f"  {theme.id} -.->|{_RELATION_LABELS.get(relation, relation)}| {other}")
        if codes:
            for number, label in enumerate(code_labels(project, theme), start=1):
                lines.append(f'  {theme.id}c{number}(["{_mermaid_text(label)}"])')
                lines.append(f"  {theme.id} --- {theme.id}c{number}")
    return "\n".join(lines) + "\n"


def render(project: Project, fmt: str, *, codes: bool = False, include_discarded: bool = False) -> str:
    if fmt == "dot":
        return to_dot(project, codes=codes, include_discarded=include_discarded)
    if fmt == "mermaid":
        return to_mermaid(project, codes=codes, include_discarded=include_discarded)
    raise BadInputError(f"unknown map format {fmt!r}; use {' or '.join(FORMATS)}", "--format")
