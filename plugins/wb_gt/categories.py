"""Categories, properties and dimensions (GT-7a/7b, with GT-7c dimensional locations).

A category is a core code at level "category" (or "subcategory", or "core" once chosen as the core
category), so it lives in the code tree: its member concepts are the codes beneath it, and renaming it
renames it everywhere. What a code has not got — properties with a dimensional range, and incidents
placed on that range — are plugin records: ``gt.property`` (category, name, definition, low and high
ends, optional ordinal steps) linked to the category, and ``gt.dimensional-location`` (property, segment,
position, note) linked to both, so `workbench check` notices a location whose segment has gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench import BadInputError, NotFoundError, Project, TableData, natural_key

from .facts import CodingFact, active_code, coding_facts, descendants, segment_ref, segment_view
from .memos import write_memo
from .vocab import CATEGORY_LEVELS

PROPERTY_KIND = "gt.property"
LOCATION_KIND = "gt.dimensional-location"
Doc = dict[str, Any]


def category(project: Project, label: str) -> Doc:
    doc = active_code(project, label)
    if doc["level"] not in CATEGORY_LEVELS:
        raise BadInputError(
            f"{doc['label']!r} is a {doc['level']} code, not a category (see `workbench gt category add`)",
            "CATEGORY",
        )
    return doc


def create_category(
    project: Project,
    name: str,
    *,
    definition: str = "",
    members: Sequence[str] = (),
    parent: str | None = None,
    level: str = "category",
) -> str:
    """A new category (or subcategory) with its member codes moved beneath it; returns its code id."""
    if level not in CATEGORY_LEVELS:
        raise BadInputError(f"a category's level is one of {', '.join(CATEGORY_LEVELS)}", "--level")
    if parent is not None:
        category(project, parent)
    for member in members:
        active_code(project, member)
    code_id = project.create_code(name, level=level, definition=definition, parent=parent)
    for member in members:
        project.move_code(member, code_id)
    return code_id


def add_member(project: Project, label: str, member: str) -> None:
    cat = category(project, label)
    project.move_code(member, cat["id"])


def set_level(project: Project, label: str, level: str) -> None:
    """Make a category the core category, a subcategory, or back (GT-10a)."""
    cat = category(project, label)
    if level not in CATEGORY_LEVELS:
        raise BadInputError(f"use one of {', '.join(CATEGORY_LEVELS)}", "LEVEL")
    project.set_code_level(cat["id"], level)


def properties(project: Project, category_id: str | None = None) -> list[Doc]:
    return [
        r
        for r in project.records(PROPERTY_KIND)
        if category_id is None or r["data"]["category"] == category_id
    ]


def find_property(project: Project, category_label: str, name: str) -> Doc:
    cat = category(project, category_label)
    for record in properties(project, cat["id"]):
        if record["data"]["name"].casefold() == name.strip().casefold():
            return record
    known = ", ".join(r["data"]["name"] for r in properties(project, cat["id"])) or "none yet"
    raise NotFoundError(f"{cat['label']!r} has no property {name!r} (properties: {known})", "PROPERTY")


def add_property(
    project: Project,
    category_label: str,
    name: str,
    *,
    low: str,
    high: str,
    definition: str = "",
    steps: Sequence[str] = (),
    memo: str | None = None,
) -> str:
    """A property of a category with its dimensional range (low ↔ high, optional ordinal steps)."""
    cat = category(project, category_label)
    name = name.strip()
    if not name:
        raise BadInputError("a property needs a name", "NAME")
    if not low.strip() or not high.strip():
        raise BadInputError("a dimension needs both ends (--low and --high)", "--low")
    if any(r["data"]["name"].casefold() == name.casefold() for r in properties(project, cat["id"])):
        raise BadInputError(f"{cat['label']!r} already has a property {name!r}", "NAME")
    data = {
        "category": cat["id"],
        "name": name,
        "definition": definition.strip(),
        "low": low.strip(),
        "high": high.strip(),
        "steps": [s.strip() for s in steps if s.strip()],
    }
    rid = project.add_record(
        PROPERTY_KIND, data, links=[f"code:{cat['id']}"], summary=f"property {name!r} of {cat['label']!r}"
    )
    if memo:
        write_memo(
            project,
            f"Property {name} of {cat['label']}",
            memo,
            memo_type="theoretical",
            links=[f"code:{cat['id']}", f"record:{rid}"],
        )
    return rid


def scale(prop: Doc) -> list[str]:
    """The property's dimensional positions, low end first."""
    data = prop["data"]
    return [data["low"], *data.get("steps", []), data["high"]]


def position_value(prop: Doc, position: str) -> float:
    """Where a named position sits on the range: 0.0 at the low end, 1.0 at the high end."""
    positions = scale(prop)
    wanted = position.strip().casefold()
    aliases = {"low": 0, "high": len(positions) - 1}
    for index, name in enumerate(positions):
        if name.casefold() == wanted:
            return index / (len(positions) - 1)
    if wanted in aliases:
        return aliases[wanted] / (len(positions) - 1)
    try:
        value = float(wanted)
    except ValueError:
        value = -1.0
    if 0.0 <= value <= 1.0:
        return value
    raise BadInputError(
        f"position {position!r} is not on the range {' ↔ '.join(positions)} (or low, high, or 0..1)",
        "--position",
    )


def locate(
    project: Project, category_label: str, property_name: str, segment: str, position: str, *, note: str = ""
) -> str:
    """Place a segment on a property's dimension ("this incident = intimate"); returns the record id."""
    prop = find_property(project, category_label, property_name)
    segment_id = segment_ref(project, segment)
    value = position_value(prop, position)
    named = scale(prop)
    label = position.strip()
    for name in named:
        if name.casefold() == label.casefold():
            label = name
    if label.casefold() in ("low", "high"):
        label = named[0] if label.casefold() == "low" else named[-1]
    for record in project.records(LOCATION_KIND):
        if record["data"]["property"] == prop["id"] and record["data"]["segment"] == segment_id:
            raise BadInputError(
                f"{segment_id} is already located on {property_name!r} ({record['id']})", "SEGMENT"
            )
    data = {"property": prop["id"], "segment": segment_id, "position": label, "value": value, "note": note}
    return project.add_record(
        LOCATION_KIND,
        data,
        links=[f"record:{prop['id']}", f"segment:{segment_id}"],
        summary=f"locate {segment_id} on {property_name!r}",
    )


@dataclass(frozen=True)
class Location:
    record_id: str
    property_id: str
    segment_id: str
    participant: str
    citation: str
    position: str
    value: float


def locations(project: Project, property_id: str | None = None) -> list[Location]:
    out = []
    for record in project.records(LOCATION_KIND):
        data = record["data"]
        if property_id is not None and data["property"] != property_id:
            continue
        if project.get("segments", data["segment"]) is None:
            continue
        view = segment_view(project, data["segment"])
        out.append(
            Location(
                record["id"],
                data["property"],
                data["segment"],
                view.participant_id,
                view.citation,
                str(data["position"]),
                float(data["value"]),
            )
        )
    return out


def category_participants(
    project: Project, code_id: str, facts: Sequence[CodingFact] | None = None
) -> set[str]:
    """Participants with a segment coded with the category or any code beneath it."""
    under = set(descendants(project, code_id))
    found = coding_facts(project) if facts is None else facts
    return {f.participant_id for f in found if f.code_id in under and f.participant_id}


def _memos_linking(project: Project, ref: str) -> str:
    return ", ".join(m["id"] for m in project.rows("memos") if ref in m.get("links", [])) or "—"


def properties_table(project: Project) -> TableData:
    """METHODS.md 2.4 #4: category | property | low ↔ high | participants located | memo."""
    codes = {c["id"]: c for c in project.codes()}
    rows = []
    for prop in project.records(PROPERTY_KIND):
        data = prop["data"]
        located = sorted(
            locations(project, prop["id"]), key=lambda loc: (natural_key(loc.participant), loc.value)
        )
        rows.append(
            (
                str(codes.get(data["category"], {}).get("label", data["category"])),
                data["name"],
                " ↔ ".join(scale(prop)),
                ", ".join(f"{loc.participant}:{loc.position}" for loc in located) or "—",
                _memos_linking(project, f"record:{prop['id']}"),
            )
        )
    columns = ("Category", "Property", "Dimension (low ↔ high)", "Participants located", "Memo")
    return TableData(columns, tuple(rows), "Properties and dimensions")


def hierarchy_table(project: Project) -> TableData:
    """METHODS.md 2.4 #3: core → categories → subcategories → codes, with definitions and participants."""
    total = len(project.participants())
    props: dict[str, list[str]] = {}
    for prop in project.records(PROPERTY_KIND):
        props.setdefault(prop["data"]["category"], []).append(prop["data"]["name"])
    tree = project.code_tree()
    in_category: set[str] = set()
    for row in tree:
        parent = row.parent_id
        if row.level in CATEGORY_LEVELS or (parent is not None and parent in in_category):
            in_category.add(row.id)
    rows = []
    facts = coding_facts(project)
    for row in tree:
        if row.id not in in_category:
            continue
        people = category_participants(project, row.id, facts)
        rows.append(
            (
                "  " * row.depth + row.label,
                row.level,
                row.definition or "—",
                "; ".join(props.get(row.id, [])) or "—",
                f"{len(people)}/{total}",
            )
        )
    return TableData(
        ("Category / code", "Level", "Definition", "Properties", "Participants"),
        tuple(rows),
        "Category hierarchy",
    )


def dimensional_profile(project: Project) -> TableData:
    """GT-7c: per participant, where their incidents sit on each property (with an ASCII bar)."""
    codes = {c["id"]: c for c in project.codes()}
    names = {p["id"]: p["pseudonym"] for p in project.participants()}
    rows = []
    for prop in project.records(PROPERTY_KIND):
        for loc in sorted(locations(project, prop["id"]), key=lambda loc: natural_key(loc.participant)):
            width = 10
            mark = round(loc.value * width)
            bar = "[" + "".join("●" if i == mark else "─" for i in range(width + 1)) + "]"
            rows.append(
                (
                    f"{names.get(loc.participant, loc.participant)} ({loc.participant})",
                    str(codes.get(prop["data"]["category"], {}).get("label", "")),
                    prop["data"]["name"],
                    f"{prop['data']['low']} {bar} {prop['data']['high']}",
                    loc.position,
                    loc.citation,
                )
            )
    columns = ("Participant", "Category", "Property", "Dimension", "Position", "Citation")
    return TableData(columns, tuple(rows), "Dimensional profile")
