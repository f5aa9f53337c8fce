"""The line-of-argument diagram (CMP-9) as Graphviz DOT and Mermaid, with its legend.

Nodes: third-order constructs (boxes), the translations they come from (rounded), and the two studies'
second-order concepts those translations rest on (A's as ellipses, B's as hexagons), so every construct
shows its provenance down to the studies. Edges: construct → construct (the argument, labelled),
construct ⇠ translation ("from"), translation — concept (the mapping's relation glyph). Labels are read
from the records and the studies when drawn, and escaped for each format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench import BadInputError

from . import mappings as mappings_mod
from .relations import symbol
from .synthesis import constructs, translations

if TYPE_CHECKING:
    from .workspace import Comparison

FORMATS = ("dot", "mermaid")
LEGEND = (
    ("construct", "third-order construct (line of argument)"),
    ("translation", "translation (reciprocal or refutational)"),
    ("A", "concept of study A"),
    ("B", "concept of study B"),
)


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    role: str  # construct, translation, A, B


@dataclass(frozen=True)
class Edge:
    origin: str
    target: str
    label: str
    role: str  # argues, from, rests-on


def model(comparison: Comparison) -> tuple[list[Node], list[Edge]]:
    project = comparison.workspace
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    by_translation = {t.id: t for t in translations(project)}
    for item in constructs(project):
        nodes[item.id] = Node(item.id, item.label, "construct")
    for item in constructs(project):
        for target, label in item.leads_to:
            edges.append(Edge(item.id, target, label, "argues"))
        for tid in item.translations:
            translation = by_translation.get(tid)
            if translation is None:
                continue
            nodes.setdefault(tid, Node(tid, f"{translation.label} ({translation.type})", "translation"))
            edges.append(Edge(tid, item.id, "from", "from"))
            for mid in translation.mappings:
                mapping = mappings_mod.get(project, mid)
                for side, concept_id, fallback in (
                    ("A", mapping.a, mapping.a_label),
                    ("B", mapping.b, mapping.b_label),
                ):
                    concept = comparison.inventory(side).concepts.get(concept_id)
                    nodes.setdefault(
                        concept_id, Node(concept_id, concept.label if concept else fallback, side)
                    )
                    edges.append(Edge(concept_id, tid, symbol(mapping.relation, mapping.label), "rests-on"))
    unique = list(dict.fromkeys(edges))
    return list(nodes.values()), unique


def _key(node_id: str) -> str:
    return "n_" + "".join(ch if ch.isalnum() else "_" for ch in node_id)


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


DOT_SHAPES = {"construct": "box", "translation": "box", "A": "ellipse", "B": "hexagon"}
DOT_STYLE = {"construct": "bold", "translation": "rounded", "A": "solid", "B": "solid"}


def to_dot(comparison: Comparison) -> str:
    nodes, edges = model(comparison)
    out = ["digraph line_of_argument {", "  rankdir=BT;", '  node [fontname="Helvetica"];']
    for node in nodes:
        out.append(
            f'  {_key(node.id)} [label="{_dot_text(node.label)}", shape={DOT_SHAPES[node.role]}, '
            f"style={DOT_STYLE[node.role]}];"
        )
    for edge in edges:
        style = {"argues": "solid", "from": "dashed", "rests-on": "dotted"}[edge.role]
        out.append(
            f'  {_key(edge.origin)} -> {_key(edge.target)} [label="{_dot_text(edge.label)}", style={style}];'
        )
    out.append("  subgraph cluster_legend {")
    out.append('    label="Legend";')
    for role, text in LEGEND:
        out.append(
            f'    legend_{role} [label="{_dot_text(text)}", '
            f"shape={DOT_SHAPES[role]}, style={DOT_STYLE[role]}];"
        )
    out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


MERMAID_SHAPES = {
    "construct": ('["', '"]'),
    "translation": ('("', '")'),
    "A": ('(["', '"])'),
    "B": ('{{"', '"}}'),
}


def to_mermaid(comparison: Comparison) -> str:
    nodes, edges = model(comparison)
    out = ["flowchart BT"]
    for node in nodes:
        left, right = MERMAID_SHAPES[node.role]
        out.append(f"  {_key(node.id)}{left}{_mermaid_text(node.label)}{right}")
    for edge in edges:
        arrow = {"argues": "-->", "from": "-.->", "rests-on": "-.->"}[edge.role]
        out.append(f'  {_key(edge.origin)} {arrow}|"{_mermaid_text(edge.label)}"| {_key(edge.target)}')
    out.append('  subgraph legend["Legend"]')
    for role, text in LEGEND:
        left, right = MERMAID_SHAPES[role]
        out.append(f"    legend_{role}{left}{_mermaid_text(text)}{right}")
    out.append("  end")
    return "\n".join(out) + "\n"


def render(comparison: Comparison, fmt: str) -> str:
    if fmt in ("mmd", "mermaid"):
        return to_mermaid(comparison)
    if fmt in ("dot", "gv"):
        return to_dot(comparison)
    raise BadInputError(f"diagram format must be one of {', '.join(FORMATS)}", "--format")
