"""Diagrams of categories and their links (GT-13): Graphviz DOT, Mermaid and an ASCII tree.

Nodes are the categories (core, categories, subcategories) and the codes beneath them, plus any code a
relation touches; edges are the hierarchy ("contains", dashed) and the GT relations (paradigm slots and
coding families, labelled by type). Labels are read from the codes when the diagram is drawn, so a
renamed category is renamed in every diagram. Every label is escaped for its format, so a quotation mark
in an in-vivo code cannot break the file. A diagram saved with a memo becomes a dated ``diagram`` memo
holding the DOT source: the diagram series of the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench import BadInputError, Project, natural_key

from .categories import PROPERTY_KIND, scale
from .relations import gt_links
from .vocab import CATEGORY_LEVELS, GLYPHS

FORMATS = ("dot", "mermaid", "ascii")


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    level: str
    parent: str | None


@dataclass(frozen=True)
class Edge:
    origin: str
    target: str
    relation: str
    evidence: int


@dataclass(frozen=True)
class Model:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def model(project: Project) -> Model:
    codes = {c["id"]: c for c in project.codes() if c["status"] == "active"}
    children: dict[str, list[str]] = {}
    for code in codes.values():
        if code.get("parent_id") in codes:
            children.setdefault(code["parent_id"], []).append(code["id"])
    shown: set[str] = set()

    def include(cid: str) -> None:
        if cid in shown:
            return
        shown.add(cid)
        for child in children.get(cid, []):
            include(child)

    for cid, code in codes.items():
        if code["level"] in CATEGORY_LEVELS or code["level"] == "focused":
            include(cid)
    edges = []
    for link in gt_links(project):
        origin, target = link["origin"].partition(":")[2], link["target"].partition(":")[2]
        if origin in codes and target in codes:
            shown.update((origin, target))
            edges.append(Edge(origin, target, link["relation"], len(link.get("evidence", []))))
    nodes = tuple(
        Node(cid, codes[cid]["label"], codes[cid]["level"], codes[cid].get("parent_id"))
        for cid in sorted(shown, key=natural_key)
    )
    return Model(nodes, tuple(edges))


def _dot_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{escaped}"'


_SHAPES = {"core": "doubleoctagon", "category": "box", "subcategory": "box", "focused": "ellipse"}


def to_dot(project: Project) -> str:
    m = model(project)
    ids = {n.id for n in m.nodes}
    lines = [
        "digraph gt_model {",
        "  // Legend: dashed edge = contains (category hierarchy); solid edge = relation, labelled by type;",
        "  // a relation drawn in red has no evidence segments (asserted, not grounded).",
        "  rankdir=TB;",
        '  node [fontname="Helvetica"];',
    ]
    for n in m.nodes:
        label = f"{n.label}\n({n.level})"
        style = ", style=bold" if n.level in ("core", "category") else ""
        lines.append(
            f"  {_dot_string(n.id)} [label={_dot_string(label)}, "
            f"shape={_SHAPES.get(n.level, 'plaintext')}{style}];"
        )
    for n in m.nodes:
        if n.parent and n.parent in ids:
            lines.append(f"  {_dot_string(n.parent)} -> {_dot_string(n.id)} [style=dashed, arrowhead=none];")
    for e in m.edges:
        colour = "" if e.evidence else ", color=red, fontcolor=red"
        label = f"{e.relation} ({e.evidence})"
        lines.append(
            f"  {_dot_string(e.origin)} -> {_dot_string(e.target)} [label={_dot_string(label)}{colour}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(value: str) -> str:
    out = value.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return out.replace("\r", "").replace("\n", "<br/>")


def to_mermaid(project: Project) -> str:
    m = model(project)
    ids = {n.id for n in m.nodes}
    lines = ["flowchart TD", "  %% dotted = contains; solid = relation (type, evidence count)"]
    for n in m.nodes:
        text = f'"{_mermaid_text(n.label)}<br/>({n.level})"'
        shape = (
            f"(({text}))"
            if n.level == "core"
            else (f"[{text}]" if n.level in CATEGORY_LEVELS else f"({text})")
        )
        lines.append(f"  {n.id}{shape}")
    for n in m.nodes:
        if n.parent and n.parent in ids:
            lines.append(f"  {n.parent} -.- {n.id}")
    for e in m.edges:
        lines.append(f'  {e.origin} -->|"{_mermaid_text(f"{e.relation} ({e.evidence})")}"| {e.target}')
    return "\n".join(lines) + "\n"


def to_ascii(project: Project) -> str:
    m = model(project)
    nodes = {n.id: n for n in m.nodes}
    children: dict[str | None, list[str]] = {}
    for n in m.nodes:
        parent = n.parent if n.parent in nodes else None
        children.setdefault(parent, []).append(n.id)
    props: dict[str, list[str]] = {}
    for prop in project.records(PROPERTY_KIND):
        props.setdefault(prop["data"]["category"], []).append(
            f"{prop['data']['name']} ({'↔'.join(scale(prop))})"
        )
    order = {level: i for i, level in enumerate(("core", "category", "subcategory", "focused", "initial"))}

    def key(cid: str) -> tuple[int, str]:
        return (order.get(nodes[cid].level, 9), nodes[cid].label.casefold())

    lines: list[str] = []

    def line(cid: str) -> str:
        n = nodes[cid]
        extra = f"  [{'; '.join(props[cid])}]" if cid in props else ""
        return f"{GLYPHS.get(n.level, '·')} {n.label}{extra}"

    def walk(cid: str, prefix: str, last: bool) -> None:
        lines.append(f"{prefix}{'└── ' if last else '├── '}{line(cid)}")
        kids = sorted(children.get(cid, []), key=key)
        for i, child in enumerate(kids):
            walk(child, prefix + ("    " if last else "│   "), i == len(kids) - 1)

    for root in sorted(children.get(None, []), key=key):
        lines.append(line(root))
        kids = sorted(children.get(root, []), key=key)
        for i, child in enumerate(kids):
            walk(child, "", i == len(kids) - 1)
    if m.edges:
        lines.append("")
        lines.append("Relations:")
        for e in m.edges:
            grounded = f"{e.evidence} evidence" if e.evidence else "no evidence: asserted, not grounded"
            lines.append(f"  {nodes[e.origin].label} —{e.relation}→ {nodes[e.target].label}  ({grounded})")
    if not lines:
        lines.append("(no categories, focused codes or relations yet)")
    lines.append("")
    lines.append("Legend: " + "  ".join(f"{g} {level}" for level, g in GLYPHS.items()))
    return "\n".join(lines) + "\n"


def render(project: Project, fmt: str) -> str:
    if fmt == "dot":
        return to_dot(project)
    if fmt == "mermaid":
        return to_mermaid(project)
    if fmt == "ascii":
        return to_ascii(project)
    raise BadInputError(f"unknown diagram format {fmt!r}; use {', '.join(FORMATS)}", "--format")
