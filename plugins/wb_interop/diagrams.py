"""Diagrams as text (EXP-3): Graphviz DOT and Mermaid, always available, no Graphviz needed to write them.

The diagram is the project's analytic structure: the code tree (parent -> child, dashed), clusters with
their children, and every typed link (relation as the edge label; ``bi`` links drawn both ways, ``none``
without arrowheads). Method plugins draw their own diagrams; this one works for any project.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench import Project


def _graph(project: Project) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """Nodes (ref -> label) and edges (from, to, label, style: tree/link-none/link-one-way/link-bi)."""
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str, str]] = []
    codes = {c["id"]: c for c in project.codes() if c["status"] == "active"}
    for cid, code in codes.items():
        nodes[f"code:{cid}"] = code["label"]
        if code.get("parent_id") in codes:
            edges.append((f"code:{code['parent_id']}", f"code:{cid}", "", "tree"))
    for cluster in project.rows("clusters"):
        ref = f"cluster:{cluster['id']}"
        nodes[ref] = cluster["name"]
        for child in cluster["children"]:
            edges.append((ref, child, "", "tree"))
    for link in project.rows("links"):
        edges.append((link["origin"], link["target"], link["relation"], f"link-{link['direction']}"))
    for a, b, _label, _style in edges:
        for ref in (a, b):
            if ref not in nodes:
                nodes[ref] = _describe(project, ref)
    return nodes, edges


def _describe(project: Project, ref: str) -> str:
    kind, _, ident = ref.partition(":")
    table = "participants" if kind == "participant" else f"{kind}s"
    doc = project.get(table, ident) or {}
    return str(doc.get("label") or doc.get("name") or doc.get("title") or doc.get("pseudonym") or ref)


def _id(ref: str) -> str:
    return re.sub(r"\W", "_", ref)


def to_dot(project: Project, _options: Mapping[str, str] | None = None) -> str:
    nodes, edges = _graph(project)

    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = [f"digraph {quote(project.title)} {{", "  rankdir=LR;", "  node [shape=box];"]
    lines += [f"  {_id(ref)} [label={quote(label)}];" for ref, label in nodes.items()]
    for a, b, label, style in edges:
        attrs = []
        if label:
            attrs.append(f"label={quote(label)}")
        if style == "tree":
            attrs.append("style=dashed")
        elif style == "link-bi":
            attrs.append("dir=both")
        elif style == "link-none":
            attrs.append("dir=none")
        lines.append(f"  {_id(a)} -> {_id(b)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(project: Project, _options: Mapping[str, str] | None = None) -> str:
    nodes, edges = _graph(project)

    def quote(text: str) -> str:
        return '"' + text.replace('"', "#quot;").replace("\n", " ") + '"'

    lines = ["flowchart LR"]
    lines += [f"  {_id(ref)}[{quote(label)}]" for ref, label in nodes.items()]
    for a, b, label, style in edges:
        arrow = {"tree": "-.->", "link-bi": "<-->", "link-none": "---"}.get(style, "-->")
        text = f"|{quote(label)}|" if label else ""
        lines.append(f"  {_id(a)} {arrow}{text} {_id(b)}")
    return "\n".join(lines) + "\n"
