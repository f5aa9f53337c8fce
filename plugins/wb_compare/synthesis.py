"""Meta-ethnographic synthesis in the workspace: translations (CMP-7) and the line of argument (CMP-9).

* A **translation** (``cmp.translation``) is a row of the translation grid: a third-order working label,
  typed reciprocal or refutational, built on one or more mappings, with the reviewer's interpretation
  in a ``translation`` memo.
* A **line-of-argument construct** (``cmp.construct``) is a third-order construct that makes sense of
  several translations; it names the translations it comes from (its provenance) and may lead to other
  constructs with a labelled edge. `diagram` draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench import BadInputError, NotFoundError

from . import mappings as mappings_mod

if TYPE_CHECKING:
    from workbench import Project

TRANSLATION_KIND = "cmp.translation"
CONSTRUCT_KIND = "cmp.construct"
TYPES = ("reciprocal", "refutational")


@dataclass(frozen=True)
class Translation:
    id: str
    label: str
    type: str
    mappings: tuple[str, ...]
    memo: str
    interpretation: str


@dataclass(frozen=True)
class Construct:
    id: str
    label: str
    description: str
    translations: tuple[str, ...]
    leads_to: tuple[tuple[str, str], ...]  # (construct id, edge label)


def _memo_body(project: Project, memo_id: str) -> str:
    memo = project.get("memos", memo_id) or {}
    return str(memo.get("body", ""))


def translations(project: Project) -> list[Translation]:
    out = []
    for doc in project.records(TRANSLATION_KIND):
        data = doc["data"]
        out.append(
            Translation(
                doc["id"],
                str(data["label"]),
                str(data["type"]),
                tuple(data.get("mappings", [])),
                str(data.get("memo", "")),
                _memo_body(project, str(data.get("memo", ""))),
            )
        )
    return out


def constructs(project: Project) -> list[Construct]:
    return [
        Construct(
            doc["id"],
            str(doc["data"]["label"]),
            str(doc["data"].get("description", "")),
            tuple(doc["data"].get("translations", [])),
            tuple((str(e["to"]), str(e.get("label", ""))) for e in doc["data"].get("leads_to", [])),
        )
        for doc in project.records(CONSTRUCT_KIND)
    ]


def _kind_of(project: Project, record_id: str, kind: str, what: str) -> str:
    try:
        doc = project.record(record_id)
    except NotFoundError:
        raise NotFoundError(f"no {what} {record_id!r}", what) from None
    if doc["kind"] != kind:
        raise BadInputError(f"{record_id} is not a {what}", what)
    return str(doc["id"])


def translate(
    project: Project, mapping_ids: Sequence[str], label: str, interpretation: str, type_: str | None = None
) -> str:
    """A translation-grid row over mappings, with the reviewer's third-order interpretation."""
    if not mapping_ids:
        raise BadInputError("a translation rests on at least one mapping", "MAPPING")
    if not label.strip():
        raise BadInputError("a translation needs a third-order working label", "--label")
    if not interpretation.strip():
        raise BadInputError("a translation needs the reviewer's interpretation", "--interpretation")
    found = []
    for mapping_id in mapping_ids:
        mapping = mappings_mod.get(project, mapping_id)
        if not mapping.active:
            raise BadInputError(f"mapping {mapping_id} was deleted", "MAPPING")
        found.append(mapping)
    refuting = any(m.relation == "refutes" for m in found)
    chosen = type_ or ("refutational" if refuting else "reciprocal")
    if chosen not in TYPES:
        raise BadInputError(f"type must be {' or '.join(TYPES)}", "--type")
    memo = project.write_memo(
        f"Translation: {label.strip()}", interpretation.strip(), memo_type="translation"
    )
    data = {"label": label.strip(), "type": chosen, "mappings": [m.id for m in found], "memo": memo}
    links = [f"memo:{memo}", *(f"record:{m.id}" for m in found)]
    return project.add_record(TRANSLATION_KIND, data, links=links, summary=f"translation {label.strip()!r}")


def construct(
    project: Project,
    label: str,
    *,
    description: str = "",
    translation_ids: Sequence[str] = (),
    leads_to: Sequence[tuple[str, str]] = (),
) -> str:
    """A line-of-argument construct with its provenance (translations) and edges to other constructs."""
    if not label.strip():
        raise BadInputError("a construct needs a label", "--label")
    sources = [_kind_of(project, t, TRANSLATION_KIND, "translation") for t in translation_ids]
    edges = [
        {"to": _kind_of(project, to, CONSTRUCT_KIND, "construct"), "label": text} for to, text in leads_to
    ]
    data: dict[str, Any] = {
        "label": label.strip(),
        "description": description.strip(),
        "translations": sources,
        "leads_to": edges,
    }
    links = [f"record:{t}" for t in sources] + [f"record:{e['to']}" for e in edges]
    return project.add_record(CONSTRUCT_KIND, data, links=links, summary=f"construct {label.strip()!r}")
