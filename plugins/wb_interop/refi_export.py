"""REFI-QDA export (EXP-4): a project as ``.qdpx`` (project.qde + sources/), its codebook as ``.qdc``.

What maps to REFI-QDA elements (see ``refi_mapping.md`` beside this file for the full table):

* codes -> ``<Code>`` with their hierarchy; the definition is the ``<Description>``, followed by a
  ``[workbench: level ...; kind ...]`` line so people in other tools see the method level (PET/GET,
  initial/focused, ...);
* sources -> ``<TextSource>`` with the current transcript version as UTF-8 text in ``sources/``;
* segments -> ``<PlainTextSelection>`` in code points from 0, end-exclusive; each coding a ``<Coding>``
  whose ``creatingUser`` is the coder;
* memos -> ``<Note>`` (referenced by ``<NoteRef>`` from what they are linked to); links -> ``<Link>``
  with ``direction``/``originGUID``/``targetGUID``; sets and clusters -> ``<Set>``; participants ->
  ``<Case>``, their plain attributes (text, number, yes/no) -> ``<Variables>`` and each case's
  ``<VariableValue>``; every person named as actor, coder or author -> ``<User>``.

Everything REFI-QDA has no element for (memo types, code levels and kinds, retired codes, link relations
and evidence, clusters, plugin records such as IPA notes or GT paradigm slots, speaker turns) travels as
one JSON payload in the project's ``<Description>``, keyed by the GUIDs above, so that importing the file
with this workbench restores it (`refi_import`). GUIDs are derived from the project and the entity id, so
exporting twice gives the same GUIDs. `export_fidelity` is the account of what went where (issue 19).
"""

from __future__ import annotations

import json
import math
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wb_interop.progress import Report, quiet
from workbench import BadInputError

if TYPE_CHECKING:
    from wb_interop.fidelity import Fidelity
    from workbench import Project

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROJECT_SCHEMA_URL = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
CODEBOOK_SCHEMA_URL = "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
PAYLOAD_MARKER = "qual-workbench-payload:"
PAYLOAD_FORMAT = "qual-workbench-refi"
PAYLOAD_VERSION = 1
ORIGIN = "Qualitative Workbench"
DIRECTION = {"none": "Associative", "one-way": "OneWay", "bi": "Bidirectional"}


@dataclass
class _Guids:
    """Stable GUIDs: the same project and entity always get the same GUID."""

    seed: uuid.UUID
    users: dict[str, str] = field(default_factory=dict)

    def of(self, kind: str, ident: str) -> str:
        return str(uuid.uuid5(self.seed, f"{kind}:{ident}"))

    def ref(self, ref: str) -> str:
        """``code:C3`` -> ``code:<guid>`` (the payload's way of naming an entity)."""
        kind, _, ident = ref.partition(":")
        return f"{kind}:{self.of(kind, ident)}"

    def user(self, name: str) -> str:
        name = name or "unknown"
        if name not in self.users:
            self.users[name] = str(uuid.uuid5(self.seed, f"user:{name}"))
        return self.users[name]


def _guids(project: Project) -> _Guids:
    meta = project.meta
    seed = f"qual-workbench:{meta.get('created_at', '')}:{meta.get('created_by', '')}:{project.title}"
    return _Guids(uuid.uuid5(uuid.NAMESPACE_URL, seed))


def _q(tag: str, ns: str = PROJECT_NS) -> str:
    return f"{{{ns}}}{tag}"


def _when(value: Any) -> str | None:
    """An xsd:dateTime from the store's timestamps, or None when there is none."""
    text = str(value or "")
    return text if len(text) >= 19 and text[4] == "-" and text[10] == "T" else None


def _describe_code(code: Mapping[str, Any]) -> str:
    """The code's definition, then one line other tools show: its level, kind and (if not active) status."""
    extra = f"level {code.get('level', '')}; kind {code.get('kind', '')}"
    if code.get("status", "active") != "active":
        extra += f"; status {code['status']}"
    definition = str(code.get("definition") or "")
    return (definition + "\n\n" if definition else "") + f"[workbench: {extra}]"


def build_project_xml(project: Project, progress: Report = quiet) -> tuple[bytes, dict[str, str]]:
    """The ``project.qde`` bytes and the source files (``sources/NAME`` -> text) of a project."""
    guids = _guids(project)
    payload: dict[str, Any] = {
        "format": PAYLOAD_FORMAT,
        "version": PAYLOAD_VERSION,
        "project": {
            "title": project.title,
            "method": project.method,
            "citation": project.meta.get("citation"),
            "line_settings": project.meta.get("line_settings"),
        },
        "participants": {},
        "sources": {},
        "codes": {},
        "segments": {},
        "codings": {},
        "memos": {},
        "links": {},
        "sets": {},
        "clusters": {},
        "records": [],
    }
    notes_of: dict[str, list[str]] = defaultdict(list)  # "kind:ID" -> note GUIDs that are linked to it
    memos = sorted(project.rows("memos"), key=lambda d: int(d["id"][1:]))
    for memo in memos:
        for ref in memo.get("links", []):
            notes_of[ref].append(guids.of("memo", memo["id"]))
    for link in project.rows("links"):
        if link.get("memo"):
            notes_of[f"link:{link['id']}"].append(guids.of("memo", link["memo"].partition(":")[2]))

    root = ET.Element(
        _q("Project"),
        {
            "name": project.title,
            "origin": ORIGIN,
            f"{{{XSI}}}schemaLocation": f"{PROJECT_NS} {PROJECT_SCHEMA_URL}",
        },
    )
    creator = project.meta.get("created_by", "")
    root.set("creatingUserGUID", guids.user(creator))
    if created := _when(project.meta.get("created_at")):
        root.set("creationDateTime", created)
    users = ET.SubElement(root, _q("Users"))

    codes = project.codes()
    if codes:
        _codebook(ET.SubElement(ET.SubElement(root, _q("CodeBook")), _q("Codes")), codes, guids, notes_of)
    variables = variable_types(project.participants())
    if variables:
        container = ET.SubElement(root, _q("Variables"))
        for name, kind in variables.items():
            ET.SubElement(
                container,
                _q("Variable"),
                {"guid": guids.of("variable", name), "name": name, "typeOfVariable": kind},
            )
    for code in codes:
        payload["codes"][guids.of("code", code["id"])] = {
            key: code.get(key)
            for key in ("id", "label", "definition", "kind", "level", "status", "created_by", "created_at")
        } | {"lineage": code.get("lineage", []), "extra": _extra(code, _CODE_KEYS)}

    participants = project.participants()
    if participants:
        cases = ET.SubElement(root, _q("Cases"))
        sources_of = defaultdict(list)
        for source in project.sources():
            sources_of[source["participant_id"]].append(source["id"])
        for person in participants:
            guid = guids.of("participant", person["id"])
            case = ET.SubElement(cases, _q("Case"), {"guid": guid, "name": person["id"]})
            ET.SubElement(case, _q("Description")).text = f"pseudonym: {person.get('pseudonym', '')}"
            for name, value in (person.get("attributes") or {}).items():
                if name in variables and (text := variable_text(value, variables[name])) is not None:
                    holder = ET.SubElement(case, _q("VariableValue"))
                    ET.SubElement(holder, _q("VariableRef"), {"targetGUID": guids.of("variable", name)})
                    ET.SubElement(holder, _q(f"{variables[name]}Value")).text = text
            for sid in sources_of.get(person["id"], []):
                ET.SubElement(case, _q("SourceRef"), {"targetGUID": guids.of("source", sid)})
            payload["participants"][guid] = dict(person)

    files: dict[str, str] = {}
    sources = project.sources()
    if sources:
        container = ET.SubElement(root, _q("Sources"))
        segments_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for segment in project.rows("segments"):
            segments_of[segment["version_id"]].append(segment)
        codings_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for coding in project.rows("codings"):
            codings_of[coding["segment_id"]].append(coding)
        for done, source in enumerate(sources, start=1):
            _source(container, project, source, segments_of, codings_of, guids, notes_of, payload, files)
            progress("exporting sources", done, len(sources))

    if memos:
        notes = ET.SubElement(root, _q("Notes"))
        for memo in memos:
            guid = guids.of("memo", memo["id"])
            attrs = {"guid": guid, "name": memo["title"], "creatingUser": guids.user(memo.get("author", ""))}
            if created := _when(memo.get("created_at")):
                attrs["creationDateTime"] = created
            if modified := _when(memo.get("modified_at")):
                attrs["modifiedDateTime"] = modified
            note_element = ET.SubElement(notes, _q("Note"), attrs)
            ET.SubElement(note_element, _q("Description")).text = f"memo type: {memo.get('type', '')}"
            ET.SubElement(note_element, _q("PlainTextContent")).text = memo.get("body", "")
            payload["memos"][guid] = {
                "id": memo["id"],
                "type": memo.get("type", ""),
                "links": [guids.ref(r) for r in memo.get("links", [])],
                "author": memo.get("author", ""),
                "created_at": memo.get("created_at"),
                "modified_at": memo.get("modified_at"),
                "revisions": memo.get("revisions", []),
            }

    links = sorted(project.rows("links"), key=lambda d: int(d["id"][1:]))
    expressible = [lk for lk in links if _in_refi(lk["origin"]) and _in_refi(lk["target"])]
    if expressible:
        container = ET.SubElement(root, _q("Links"))
        for link in expressible:
            guid = guids.of("link", link["id"])
            link_element = ET.SubElement(
                container,
                _q("Link"),
                {
                    "guid": guid,
                    "name": link["relation"],
                    "direction": DIRECTION.get(link.get("direction", "one-way"), "OneWay"),
                    "originGUID": guids.ref(link["origin"]).partition(":")[2],
                    "targetGUID": guids.ref(link["target"]).partition(":")[2],
                },
            )
            for note in notes_of.get(f"link:{link['id']}", []):
                ET.SubElement(link_element, _q("NoteRef"), {"targetGUID": note})
    for link in links:
        payload["links"][guids.of("link", link["id"])] = {
            "id": link["id"],
            "origin": guids.ref(link["origin"]),
            "target": guids.ref(link["target"]),
            "relation": link["relation"],
            "direction": link.get("direction", "one-way"),
            "evidence": [guids.ref(r) for r in link.get("evidence", [])],
            "memo": guids.ref(link["memo"]) if link.get("memo") else None,
            "author": link.get("author", ""),
            "created_at": link.get("created_at"),
        }

    sets = sorted(project.rows("sets"), key=lambda d: int(d["id"][1:]))
    clusters = sorted(project.rows("clusters"), key=lambda d: int(d["id"][1:]))
    if sets or clusters:
        container = ET.SubElement(root, _q("Sets"))
        for group in sets:
            guid = guids.of("set", group["id"])
            _set(container, guid, group["name"], group.get("description", ""), group["members"], guids)
            payload["sets"][guid] = {
                "id": group["id"],
                "members": [guids.ref(m) for m in group["members"]],
                "description": group.get("description", ""),
                "author": group.get("author", ""),
                "created_at": group.get("created_at"),
            }
        for cluster in clusters:
            guid = guids.of("cluster", cluster["id"])
            _set(
                container,
                guid,
                f"Cluster: {cluster['name']}",
                "workbench cluster",
                cluster["children"],
                guids,
            )
            payload["clusters"][guid] = {
                "id": cluster["id"],
                "name": cluster["name"],
                "children": [guids.ref(c) for c in cluster["children"]],
                "parent": guids.ref(cluster["parent"]) if cluster.get("parent") else None,
                "techniques": cluster.get("techniques", []),
                "memo": guids.ref(cluster["memo"]) if cluster.get("memo") else None,
                "author": cluster.get("author", ""),
                "created_at": cluster.get("created_at"),
            }

    for record in project.records():
        payload["records"].append(
            {
                "id": record["id"],
                "kind": record["kind"],
                "data": record["data"],
                "links": [guids.ref(r) for r in record.get("links", [])],
                "author": record.get("author", ""),
                "created_at": record.get("created_at"),
                "modified_at": record.get("modified_at"),
            }
        )

    ET.SubElement(root, _q("Description")).text = (
        "Exported by Qualitative Workbench. Method objects that REFI-QDA has no element for (memo types, "
        "code levels, link relations, clusters, plugin records) follow as JSON, keyed by GUID.\n"
        + PAYLOAD_MARKER
        + "\n"
        + json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    )
    for memo in memos:
        if not memo.get("links"):
            ET.SubElement(root, _q("NoteRef"), {"targetGUID": guids.of("memo", memo["id"])})
    for name, guid in guids.users.items():
        ET.SubElement(users, _q("User"), {"guid": guid, "name": name})
    ET.register_namespace("", PROJECT_NS)
    ET.register_namespace("xsi", XSI)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), files


_CODE_KEYS = {"id", "label", "definition", "kind", "level", "status", "created_by", "created_at", "lineage"}
_CODE_KEYS |= {"parent_id"}


_RGB = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


def variable_types(participants: list[dict[str, Any]]) -> dict[str, str]:
    """REFI-QDA variables for the participants' attributes: name -> Text, Boolean, Integer or Float.

    An attribute whose values are all yes/no is Boolean, all whole numbers Integer, all numbers Float,
    any text makes it Text; values that are lists, objects or empty stay in the workbench payload only.
    """
    seen: dict[str, set[str]] = defaultdict(set)
    for person in participants:
        for name, value in (person.get("attributes") or {}).items():
            kind = _value_kind(value)
            if kind and str(name).strip():
                seen[str(name)].add(kind)
    out = {}
    for name, kinds in seen.items():
        if kinds == {"Boolean"}:
            out[name] = "Boolean"
        elif kinds == {"Integer"}:
            out[name] = "Integer"
        elif kinds <= {"Integer", "Float"}:
            out[name] = "Float"
        else:
            out[name] = "Text"
    return out


def _value_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float) and math.isfinite(value):
        return "Float"
    if isinstance(value, str) and value != "":
        return "Text"
    return ""


def variable_text(value: Any, kind: str) -> str | None:
    """The XML text of one attribute value as a variable of `kind`, or None when it cannot be one."""
    found = _value_kind(value)
    if not found or (kind == "Boolean") != (found == "Boolean"):
        return None
    if kind == "Boolean":
        return "true" if value else "false"
    if kind == "Float":
        return format(Decimal(repr(float(value))), "f")  # xsd:decimal has no exponent
    return str(value)


def _extra(doc: Mapping[str, Any], known: set[str]) -> dict[str, Any]:
    """Fields a document has beyond the ones exported explicitly (merged_into, merged_from, ...)."""
    return {k: v for k, v in doc.items() if k not in known}


def _in_refi(ref: str) -> bool:
    return ref.partition(":")[0] in {"code", "source", "memo", "segment", "link", "set", "participant"}


def _codebook(parent: ET.Element, codes: list[dict[str, Any]], guids: _Guids, notes_of: Any) -> None:
    by_parent: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    ids = {c["id"] for c in codes}
    for code in codes:
        by_parent[code.get("parent_id") if code.get("parent_id") in ids else None].append(code)

    def add(container: ET.Element, parent_id: str | None) -> None:
        for code in by_parent.get(parent_id, []):
            attrs = {"guid": guids.of("code", code["id"]), "name": code["label"], "isCodable": "true"}
            if _RGB.fullmatch(str(code.get("color") or "")):
                attrs["color"] = str(code["color"])  # kept from another tool's file (issue 19)
            element = ET.SubElement(container, _q("Code"), attrs)
            ET.SubElement(element, _q("Description")).text = _describe_code(code)
            for note in notes_of.get(f"code:{code['id']}", []):
                ET.SubElement(element, _q("NoteRef"), {"targetGUID": note})
            add(element, code["id"])

    add(parent, None)


def _source(
    container: ET.Element,
    project: Project,
    source: dict[str, Any],
    segments_of: Mapping[str, list[dict[str, Any]]],
    codings_of: Mapping[str, list[dict[str, Any]]],
    guids: _Guids,
    notes_of: Mapping[str, list[str]],
    payload: dict[str, Any],
    files: dict[str, str],
) -> None:
    from dataclasses import asdict

    version_id, record = project.current_text(source["id"])
    guid = guids.of("source", source["id"])
    files[f"sources/{guid}.txt"] = record.text
    attrs = {
        "guid": guid,
        "name": source.get("title") or source["filename"],
        "plainTextPath": f"internal://{guid}.txt",
        "creatingUser": guids.user(source.get("imported_by", "")),
    }
    if created := _when(source.get("imported_at")):
        attrs["creationDateTime"] = created
    element = ET.SubElement(container, _q("TextSource"), attrs)
    ET.SubElement(
        element, _q("Description")
    ).text = f"participant {source['participant_id']}; file {source['filename']}"
    for segment in sorted(segments_of.get(version_id, []), key=lambda s: (s["start"], s["end"], s["id"])):
        sguid = guids.of("segment", segment["id"])
        codings = sorted(codings_of.get(segment["id"], []), key=lambda k: int(k["id"][1:]))
        first_coder = codings[0]["coder"] if codings else project.actor
        selection = ET.SubElement(
            element,
            _q("PlainTextSelection"),
            {
                "guid": sguid,
                "name": record.text[segment["start"] : segment["end"]][:60],
                "startPosition": str(segment["start"]),
                "endPosition": str(segment["end"]),
                "creatingUser": guids.user(first_coder),
            },
        )
        if segment.get("flag"):
            payload["segments"][sguid] = {"id": segment["id"], "flag": segment["flag"]}
        else:
            payload["segments"][sguid] = {"id": segment["id"]}
        for coding in codings:
            cguid = guids.of("coding", coding["id"])
            attrs = {"guid": cguid, "creatingUser": guids.user(coding["coder"])}
            if created := _when(coding.get("created_at")):
                attrs["creationDateTime"] = created
            coding_element = ET.SubElement(selection, _q("Coding"), attrs)
            ET.SubElement(coding_element, _q("CodeRef"), {"targetGUID": guids.of("code", coding["code_id"])})
            for note in notes_of.get(f"coding:{coding['id']}", []):
                ET.SubElement(coding_element, _q("NoteRef"), {"targetGUID": note})
            extra = {
                k: v
                for k, v in coding.items()
                if k not in ("id", "segment_id", "code_id", "coder", "created_at")
                and (k, v) not in {("layer", "main"), ("unit", "character"), ("comment", "")}
            }
            payload["codings"][cguid] = {"id": coding["id"], **extra}
        for note in notes_of.get(f"segment:{segment['id']}", []):
            ET.SubElement(selection, _q("NoteRef"), {"targetGUID": note})
    for note in notes_of.get(f"source:{source['id']}", []):
        ET.SubElement(element, _q("NoteRef"), {"targetGUID": note})
    payload["sources"][guid] = {
        "id": source["id"],
        "participant": guids.ref(f"participant:{source['participant_id']}"),
        "filename": source["filename"],
        "kind": source.get("kind", "interview"),
        "status": source.get("status", "not started"),
        "importer": source.get("importer", ""),
        "speaker_roles": source.get("speaker_roles", {}),
        "speaker_participants": {
            label: guids.ref(f"participant:{pid}")
            for label, pid in source.get("speaker_participants", {}).items()
        },
        "turns": [asdict(t) for t in record.turns],
        "imported_by": source.get("imported_by", ""),
        "imported_at": source.get("imported_at"),
    }


def _set(
    container: ET.Element, guid: str, name: str, description: str, members: list[str], guids: _Guids
) -> None:
    element = ET.SubElement(container, _q("Set"), {"guid": guid, "name": name})
    if description:
        ET.SubElement(element, _q("Description")).text = description
    by_kind: dict[str, list[str]] = defaultdict(list)
    for ref in members:
        kind, _, ident = ref.partition(":")
        by_kind[kind].append(guids.of(kind, ident))
    for kind, tag in (("code", "MemberCode"), ("source", "MemberSource"), ("memo", "MemberNote")):
        for member in by_kind.get(kind, []):
            ET.SubElement(element, _q(tag), {"targetGUID": member})


def build_codebook_xml(project: Project) -> bytes:
    """The ``.qdc`` bytes: every code with its hierarchy and description, and sets of codes."""
    guids = _guids(project)
    codes = project.codes()
    if not codes:
        raise BadInputError("the project has no codes; a REFI-QDA codebook needs at least one", "qdc")
    root = ET.Element(
        _q("CodeBook", CODEBOOK_NS),
        {"origin": ORIGIN, f"{{{XSI}}}schemaLocation": f"{CODEBOOK_NS} {CODEBOOK_SCHEMA_URL}"},
    )
    by_parent: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    ids = {c["id"] for c in codes}
    for code in codes:
        by_parent[code.get("parent_id") if code.get("parent_id") in ids else None].append(code)

    def add(container: ET.Element, parent_id: str | None) -> None:
        for code in by_parent.get(parent_id, []):
            element = ET.SubElement(
                container,
                _q("Code", CODEBOOK_NS),
                {"guid": guids.of("code", code["id"]), "name": code["label"], "isCodable": "true"},
            )
            ET.SubElement(element, _q("Description", CODEBOOK_NS)).text = _describe_code(code)
            add(element, code["id"])

    add(ET.SubElement(root, _q("Codes", CODEBOOK_NS)), None)
    code_sets = [
        (guids.of("set", s["id"]), s["name"], s.get("description", ""), s["members"])
        for s in sorted(project.rows("sets"), key=lambda d: int(d["id"][1:]))
    ] + [
        (guids.of("cluster", c["id"]), f"Cluster: {c['name']}", "workbench cluster", c["children"])
        for c in sorted(project.rows("clusters"), key=lambda d: int(d["id"][1:]))
    ]
    code_sets = [s for s in code_sets if any(m.startswith("code:") for m in s[3])]
    if code_sets:
        sets = ET.SubElement(root, _q("Sets", CODEBOOK_NS))
        for guid, name, description, members in code_sets:
            element = ET.SubElement(sets, _q("Set", CODEBOOK_NS), {"guid": guid, "name": name})
            if description:
                ET.SubElement(element, _q("Description", CODEBOOK_NS)).text = description
            for ref in members:
                kind, _, ident = ref.partition(":")
                if kind == "code":
                    ET.SubElement(element, _q("MemberCode", CODEBOOK_NS), {"guid": guids.of("code", ident)})
    ET.register_namespace("", CODEBOOK_NS)
    ET.register_namespace("xsi", XSI)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def export_qdpx(project: Project, destination: Path, progress: Report = quiet) -> Path:
    """Write ``destination`` (.qdpx): ``project.qde`` and ``sources/<guid>.txt`` (UTF-8), zip-deflated."""
    from wb_interop.output import atomic_file

    qde, files = build_project_xml(project, progress)
    with atomic_file(destination) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return destination


def export_qdc(project: Project, destination: Path) -> Path:
    """Write ``destination`` (.qdc): the codebook XML."""
    from wb_interop.output import atomic_file

    data = build_codebook_xml(project)
    with atomic_file(destination) as handle:
        handle.write(data)
    return destination


_PAYLOAD = "the workbench payload (in the project's <Description>; only Workbench reads it)"
#: The kinds of entity a REFI-QDA note can be attached to with <NoteRef> in this export.
_NOTE_TARGETS = ("code", "source", "segment", "coding", "link")


def _drop_audit(fid: Fidelity, project: Project) -> None:
    """The audit log, which no REFI-QDA file can hold."""
    fid.saw("audit")
    fid.drop(
        "audit",
        "audit",
        f"audit log ({project.audit_length():,} events)",
        "REFI-QDA has no audit trail; `workbench export DIR archive` keeps the hash-chained log",
    )


def export_fidelity(project: Project, destination: Path) -> Fidelity:
    """What a ``.qdpx`` of `project` holds, element by element, and where what REFI-QDA cannot hold went.

    "Converted" means the element is in the file but part of it travels only in the workbench payload
    (other tools will not show that part); "dropped" means it is not in the file at all.
    """
    from wb_interop.fidelity import Fidelity

    fid = Fidelity(direction="export", format="qdpx", file=str(destination), origin=ORIGIN)
    fid.saw("project")
    settings = [name for name in ("citation", "line_settings") if project.meta.get(name)]
    if settings:
        fid.convert("project", "project", project.title, f"{' and '.join(settings)} kept only in the payload")
    if project.method not in ("", "none"):
        fid.convert(
            "project", "project", project.title, f"its method ({project.method}) kept only in the payload"
        )

    sources = project.sources()
    current = {s["version_id"] for s in sources}
    names = {s["id"]: s.get("filename") or s["id"] for s in sources}
    labels = {c["id"]: c["label"] for c in project.codes()}
    fid.saw("sources", len(sources))
    for source in sources:
        if source.get("speaker_roles") or source.get("speaker_participants"):
            fid.convert(
                "sources",
                source["id"],
                names[source["id"]],
                "speaker roles and speaker-participant links kept only in the payload",
            )
    for version in project.rows("versions"):
        if version["id"] in current:
            continue
        fid.saw("versions")
        fid.drop(
            "versions",
            version["id"],
            f"{names.get(version['source_id'], version['source_id'])} ({version.get('reason', '')})",
            "an earlier transcript version: REFI-QDA holds one text per source, so only the current one is "
            "exported (`workbench export DIR archive` keeps them all)",
        )
    segment_version = {}
    for segment in project.rows("segments"):
        fid.saw("selections")
        segment_version[segment["id"]] = segment["version_id"]
        name = f"{segment['id']} [{segment['start']}, {segment['end']})"
        if segment["version_id"] not in current:
            fid.drop(
                "selections", segment["id"], name, "on an earlier transcript version, which is not exported"
            )
        elif segment.get("flag"):
            fid.convert("selections", segment["id"], name, "its review flag kept only in the payload")
    for coding in project.rows("codings"):
        fid.saw("codings")
        name = f"{labels.get(coding['code_id'], coding['code_id'])} by {coding.get('coder', '')}"
        if segment_version.get(coding["segment_id"]) not in current:
            fid.drop("codings", coding["id"], name, "on an earlier transcript version, which is not exported")
            continue
        extras = [
            f"{field_} {coding[field_]!r}"
            for field_, default in (("layer", "main"), ("unit", "character"), ("comment", ""))
            if coding.get(field_, default) != default
        ]
        if extras:
            fid.convert("codings", coding["id"], name, f"{', '.join(extras)} kept only in the payload")

    for code in project.codes():
        fid.saw("codes")
        if code.get("status", "active") != "active":
            fid.convert(
                "codes",
                code["id"],
                code["label"],
                f"a {code['status']} code: exported as an ordinary code, its status shown only in its "
                "description line (and kept in the payload)",
            )
        if code.get("lineage"):
            fid.convert(
                "codes",
                code["id"],
                code["label"],
                f"its lineage ({len(code['lineage'])} event(s): merges, splits, renames) kept only in the "
                "payload",
            )

    for memo in project.rows("memos"):
        fid.saw("notes")
        elsewhere = sorted({ref.partition(":")[0] for ref in memo.get("links", [])} - set(_NOTE_TARGETS))
        if elsewhere:
            fid.convert(
                "notes",
                memo["id"],
                memo["title"],
                f"its links to {', '.join(elsewhere)} entities (which no REFI-QDA element can hold a note) "
                "kept only in the payload",
            )
        if memo.get("revisions"):
            fid.convert(
                "notes",
                memo["id"],
                memo["title"],
                f"its {len(memo['revisions'])} earlier revision(s) kept only in the payload",
            )

    participants = project.participants()
    variables = variable_types(participants)
    for person in participants:
        fid.saw("cases")
        name = person.get("pseudonym") or person["id"]
        if person.get("status", "active") != "active":
            fid.convert("cases", person["id"], name, f"status {person['status']!r} kept only in the payload")
        for attribute, value in (person.get("attributes") or {}).items():
            fid.saw("variables")
            if attribute not in variables or variable_text(value, variables[attribute]) is None:
                fid.convert(
                    "variables",
                    f"{attribute}@{person['id']}",
                    f"{attribute} of {name}",
                    f"a value REFI-QDA variables cannot hold ({type(value).__name__}) kept only in the "
                    "payload",
                )

    for group in project.rows("sets"):
        fid.saw("sets")
        other = sorted({m.partition(":")[0] for m in group["members"]} - {"code", "source", "memo"})
        if other:
            fid.convert(
                "sets",
                group["id"],
                group["name"],
                f"its {', '.join(other)} members (a REFI-QDA set holds codes, sources and notes) kept only "
                "in the payload",
            )
    for cluster in project.rows("clusters"):
        fid.saw("clusters")
        fid.convert(
            "clusters",
            cluster["id"],
            cluster["name"],
            f"exported as the set 'Cluster: {cluster['name']}'; its parent, technique tags and memo kept "
            "only in the payload",
        )
    for link in project.rows("links"):
        fid.saw("links")
        name = f"{link['origin']} {link['relation']} {link['target']}"
        if not (_in_refi(link["origin"]) and _in_refi(link["target"])):
            fid.convert(
                "links",
                link["id"],
                name,
                "one of its ends has no REFI-QDA element; the link is kept only in the payload",
            )
        if link.get("evidence"):
            fid.convert(
                "links",
                link["id"],
                name,
                f"its evidence ({len(link['evidence'])} passage(s)) kept only in the payload",
            )
    for record in project.records():
        fid.saw("records")
        fid.convert(
            "records",
            record["id"],
            record["kind"],
            "a method structure REFI-QDA has no element for; kept only in the payload",
        )
    fid.saw("users", _users(project, sources))
    _drop_audit(fid, project)
    fid.carried = [
        {"what": "code levels and kinds", "where": "each code's description line, and " + _PAYLOAD},
        {"what": "memo types", "where": "each note's description ('memo type: ...'), and " + _PAYLOAD},
        {"what": "participants' pseudonyms", "where": "each case's description, and " + _PAYLOAD},
        {"what": "participants' attributes", "where": "<Variables> (text, numbers, yes/no), and " + _PAYLOAD},
        {"what": "speaker turns, source status and kind", "where": _PAYLOAD},
        {"what": "method structures (records), clusters, lineage, link evidence", "where": _PAYLOAD},
        {
            "what": "earlier transcript versions and the audit log",
            "where": "not exported; use `export archive`",
        },
    ]
    return fid


def _users(project: Project, sources: list[dict[str, Any]]) -> int:
    """How many people the project names as its creator, coders, memo authors and importers."""
    people = {project.meta.get("created_by", "") or "unknown"}
    people |= {c.get("coder", "") for c in project.rows("codings")}
    people |= {m.get("author", "") for m in project.rows("memos")}
    people |= {s.get("imported_by", "") for s in sources}
    return len({p or "unknown" for p in people})


_CODEBOOK_ONLY = "a REFI-QDA codebook holds only codes and sets of codes"


def codebook_fidelity(project: Project, destination: Path) -> Fidelity:
    """What a ``.qdc`` of `project` (`build_codebook_xml`) holds, element by element.

    Every code is in the file with its place in the tree and its definition; its level, kind and status
    go into its description line, and nothing else of it (a codebook has no workbench payload). Sets
    and clusters with codes among their members become sets of those codes. Every other kind of element
    is left out as a whole, with the reason.
    """
    from wb_interop.fidelity import Fidelity

    fid = Fidelity(direction="export", format="qdc", file=str(destination), origin=ORIGIN)
    fid.saw("project")
    fid.drop(
        "project",
        "project",
        project.title,
        "a REFI-QDA codebook has no project: its title, method and settings are not exported",
    )
    sources = project.sources()
    current = {s["version_id"] for s in sources}
    fid.drop_every("sources", len(sources), _CODEBOOK_ONLY)
    fid.drop_every(
        "versions", sum(1 for v in project.rows("versions") if v["id"] not in current), _CODEBOOK_ONLY
    )
    fid.drop_every("selections", len(project.rows("segments")), _CODEBOOK_ONLY)
    fid.drop_every("codings", len(project.rows("codings")), _CODEBOOK_ONLY)
    for code in project.codes():
        fid.saw("codes")
        if code.get("status", "active") != "active":
            fid.convert(
                "codes",
                code["id"],
                code["label"],
                f"a {code['status']} code: exported as an ordinary code, its status only in its description "
                "line",
            )
        if code.get("lineage"):
            fid.convert(
                "codes",
                code["id"],
                code["label"],
                f"its lineage ({len(code['lineage'])} event(s): merges, splits, renames) is not exported: a "
                "codebook has no place for it",
            )
    fid.drop_every("notes", len(project.rows("memos")), _CODEBOOK_ONLY + " (memos on codes included)")
    participants = project.participants()
    fid.drop_every("cases", len(participants), _CODEBOOK_ONLY)
    fid.drop_every("variables", sum(len(p.get("attributes") or {}) for p in participants), _CODEBOOK_ONLY)
    for group in project.rows("sets"):
        fid.saw("sets")
        kinds = {m.partition(":")[0] for m in group["members"]}
        if "code" not in kinds:
            fid.drop(
                "sets", group["id"], group["name"], "it has no codes, and a codebook's sets hold codes only"
            )
        elif kinds - {"code"}:
            fid.convert(
                "sets",
                group["id"],
                group["name"],
                f"its {', '.join(sorted(kinds - {'code'}))} members are left out: a codebook's sets hold "
                "codes only",
            )
    for cluster in project.rows("clusters"):
        fid.saw("clusters")
        if not any(m.startswith("code:") for m in cluster["children"]):
            fid.drop(
                "clusters",
                cluster["id"],
                cluster["name"],
                "it has no codes, and a codebook's sets hold codes only",
            )
        else:
            fid.convert(
                "clusters",
                cluster["id"],
                cluster["name"],
                f"exported as the set 'Cluster: {cluster['name']}' of its codes; its parent, technique tags, "
                "memo and other members are not exported",
            )
    fid.drop_every("links", len(project.rows("links")), _CODEBOOK_ONLY + " (links between codes included)")
    fid.drop_every("records", len(project.records()), _CODEBOOK_ONLY + " (method structures included)")
    fid.drop_every("users", _users(project, sources), "a REFI-QDA codebook names no users")
    _drop_audit(fid, project)
    fid.carried = [
        {
            "what": "code levels, kinds and statuses",
            "where": "each code's description line ('[workbench: level ...; kind ...]')",
        },
        {"what": "code definitions", "where": "each code's description"},
        {
            "what": "everything but codes and sets of codes",
            "where": "not exported; `export qdpx` holds the project, `export archive` all of it",
        },
    ]
    return fid
