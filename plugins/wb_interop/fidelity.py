"""The fidelity report (issue 19): what an exchange with another program kept, changed and left out.

REFI-QDA 1.5 (section 7) asks the importing and exporting software to say "which elements are discarded,
in as much detail as possible". This is that account, element kind by element kind:

* ``found``: how many the file (or, for an export, the project) holds;
* ``imported`` (``exported``): how many came through, ``converted`` ones included;
* ``converted``: came through changed (positions re-based, rich text flattened, renamed, moved into a
  note ...);
* ``dropped``: did not come through;

and one item for every converted or dropped element: its kind, its id (GUID or workbench id), a name a
person recognises, the action and the reason. ``found == imported + dropped`` always, because the counts
are derived from the items: nothing can be counted without being named. The one exception is a kind the
file cannot hold at all (a ``.qdc`` codebook holds no sources, codings or notes): then one item, id
``*`` with a ``count``, names the whole kind and its reason, and counts for every element of it.

Variables are counted by *value* (one case's or one source's value of one variable), plus any variable
the file defines that nothing has a value for. Archive members are counted as members of the zip: the
project file and the documents it refers to are "imported", the rest are listed as ignored.

Only plain data here: the readers and `apply` fill a `Fidelity`; the CLI writes its `to_json()` and
prints that with `counts_table` and `item_lines` (capped on screen, complete in the JSON).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONVERTED = "converted"
DROPPED = "dropped"
FORMAT = "qual-workbench-fidelity"
VERSION = 1

#: The element kinds of an import, in the order they are shown; the item kind of each is its singular.
IMPORT_ELEMENTS = (
    "project",
    "sources",
    "selections",
    "codings",
    "codes",
    "notes",
    "cases",
    "variables",
    "sets",
    "links",
    "users",
    "graphs",
    "clusters",
    "records",
    "members",
)
#: Shown on screen even when the file has none, because a person asking "did my X come in?" expects them.
ALWAYS_SHOWN = ("sources", "codes", "selections", "notes", "cases", "variables", "sets", "users", "graphs")
#: The element kinds of an export (a workbench project's entities, plus what has no REFI-QDA element).
EXPORT_ELEMENTS = (
    "project",
    "sources",
    "versions",
    "selections",
    "codings",
    "codes",
    "notes",
    "cases",
    "variables",
    "sets",
    "clusters",
    "links",
    "records",
    "users",
    "audit",
)
_SINGULAR = {
    "sources": "source",
    "selections": "selection",
    "codings": "coding",
    "codes": "code",
    "notes": "note",
    "cases": "case",
    "variables": "variable",
    "sets": "set",
    "links": "link",
    "users": "user",
    "graphs": "graph",
    "clusters": "cluster",
    "records": "record",
    "members": "member",
    "versions": "version",
    "audit": "audit event",
    "project": "project",
}
SCREEN_ITEMS = 20


@dataclass(frozen=True)
class Item:
    """One converted or dropped element and why."""

    kind: str
    id: str
    name: str
    action: str
    reason: str
    count: int = 1  # more than one for the item that stands for a whole kind (`Fidelity.drop_every`)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "action": self.action,
            "reason": self.reason,
        }
        if self.count != 1:
            out["count"] = self.count
        return out


@dataclass
class Tally:
    """The figures of one element kind."""

    found: int
    kept: int
    converted: int
    dropped: int
    items: list[Item]


@dataclass
class Fidelity:
    """Collects the account while a file is read (or a project exported); see the module docstring."""

    direction: str = "import"  # or "export"
    format: str = "qdpx"
    file: str = ""
    origin: str = ""
    found: dict[str, int] = field(default_factory=dict)
    #: element -> (id -> item); one item per element, a later drop replacing an earlier conversion
    _items: dict[str, dict[str, Item]] = field(default_factory=dict)
    #: general lines of an export: what REFI-QDA has no element for, and where it went
    carried: list[dict[str, str]] = field(default_factory=list)
    #: incoming key -> (element, id, name) for what was made from another element (a graph's note)
    origin_of: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    @property
    def elements(self) -> tuple[str, ...]:
        return IMPORT_ELEMENTS if self.direction == "import" else EXPORT_ELEMENTS

    @property
    def verb(self) -> str:
        return "imported" if self.direction == "import" else "exported"

    def saw(self, element: str, count: int = 1) -> None:
        """`count` more elements of this kind in the file (or the project)."""
        self.found[element] = self.found.get(element, 0) + count

    def convert(self, element: str, ident: str, name: str, reason: str) -> None:
        """The element came through changed; a second reason for the same element is appended."""
        items = self._items.setdefault(element, {})
        earlier = items.get(ident)
        if earlier is not None:
            if earlier.action == DROPPED or reason in earlier.reason:
                return
            reason = f"{earlier.reason}; {reason}"
        items[ident] = _item(element, ident, name, CONVERTED, reason)

    def drop(self, element: str, ident: str, name: str, reason: str) -> None:
        """The element did not come through (whatever was said about converting it before)."""
        items = self._items.setdefault(element, {})
        earlier = items.get(ident)
        if earlier is not None and earlier.action == DROPPED:
            return
        items[ident] = _item(element, ident, name, DROPPED, reason)

    def drop_every(self, element: str, count: int, reason: str) -> None:
        """All `count` elements of this kind (counted as found here) did not come through, for one reason
        that holds for each: one item names the whole kind. Nothing is recorded when there are none."""
        if count <= 0:
            return
        self.saw(element, count)
        name = f"all {count:,} {element}" if count != 1 else f"the only {_SINGULAR.get(element, element)}"
        whole = _item(element, "*", name, DROPPED, reason)
        self._items[element] = {"*": Item(whole.kind, whole.id, whole.name, DROPPED, whole.reason, count)}

    def tally(self, element: str) -> Tally:
        items = list(self._items.get(element, {}).values())
        dropped = sum(i.count for i in items if i.action == DROPPED)
        converted = sum(i.count for i in items if i.action == CONVERTED)
        found = max(self.found.get(element, 0), dropped + converted)
        return Tally(found, found - dropped, converted, dropped, items)

    def to_json(self, **context: Any) -> dict[str, Any]:
        """The report as plain JSON; `context` (project, new_project, dry_run ...) is added as given."""
        elements = {}
        for element in self.elements:
            tally = self.tally(element)
            elements[element] = {
                "found": tally.found,
                self.verb: tally.kept,
                "converted": tally.converted,
                "dropped": tally.dropped,
                "items": [item.to_json() for item in tally.items],
            }
        report: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "direction": self.direction,
            "file_format": self.format,
            "file": self.file,
            "origin": self.origin,
            **context,
            "elements": elements,
        }
        if self.direction == "export":
            report["carried"] = list(self.carried)
        return report


def _item(element: str, ident: str, name: str, action: str, reason: str) -> Item:
    """An item whose words (taken from another tool's file) are cleaned as the project's own are."""
    from workbench import Scrubber

    scrub = Scrubber()
    return Item(
        _SINGULAR.get(element, element),
        scrub.text(ident, "id", lines=False),
        scrub.text(name, "name", lines=False),
        action,
        scrub.text(reason, "reason", lines=False),
    )


def counts_table(report: dict[str, Any]) -> list[str]:
    """The figures of a report (`Fidelity.to_json`) as a small table, one line per element kind."""
    verb = "imported" if report["direction"] == "import" else "exported"
    shown = ALWAYS_SHOWN if report["direction"] == "import" and report.get("file_format") != "archive" else ()
    out = [f"{'element':<12}{'found':>7}{verb:>10}{'converted':>11}{'dropped':>9}"]
    for element, figures in report["elements"].items():
        if figures["found"] or element in shown:
            out.append(
                f"{element:<12}{figures['found']:>7,}{figures[verb]:>10,}{figures['converted']:>11,}"
                f"{figures['dropped']:>9,}"
            )
    return out


def item_lines(report: dict[str, Any], limit: int = SCREEN_ITEMS, more_hint: str = "") -> list[str]:
    """Each dropped, then each converted element, kind by kind (at most `limit`, then "... and N more"),
    then what an export carried elsewhere. Whole kinds left out (`Fidelity.drop_every`) come first."""
    items = [
        item
        for figures in report["elements"].values()
        for action in (DROPPED, CONVERTED)
        for item in figures["items"]
        if item["action"] == action
    ]
    items.sort(key=lambda item: "count" not in item)  # stable: the whole kinds first, the rest in order
    out = [
        f"{item['action']:<9} {item['name']}: {item['reason']}"
        if "count" in item  # a whole kind (`Fidelity.drop_every`)
        else f"{item['action']:<9} {item['kind']} {item['name']!r} ({item['id']}): {item['reason']}"
        for item in items[:limit]
    ]
    if len(items) > limit:
        out.append(f"... and {len(items) - limit:,} more{more_hint}")
    out += [f"carried   {line['what']}: {line['where']}" for line in report.get("carried", [])]
    return out


def write_report(path: Path, report: dict[str, Any]) -> Path:
    """The report as JSON at `path`: atomically, readable by the owner only (as every export is)."""
    from wb_interop.output import write_bytes

    data = json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    return write_bytes(path, data)


def check_report_path(path: Path) -> None:
    """Refuse a report destination that cannot be written, before anything is imported or exported."""
    from workbench import BadInputError

    if path.is_dir():
        raise BadInputError("is a directory; give a file name for the report", str(path))
    if not path.parent.is_dir():
        raise BadInputError("the folder for the report does not exist", str(path))
