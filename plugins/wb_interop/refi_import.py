"""Reading REFI-QDA files (.qdpx projects, .qdc codebooks) as other programs really write them.

Accepted variations: ``sources/`` or ``Sources/`` (any case) and members found by GUID alone; a UTF-8
BOM and CRLF line endings in source texts and XML; the project namespace ``urn:QDA-XML:project:1.0`` (or
none), codebooks with any ``urn:QDA-XML:codebook:...`` namespace and ``0:4``-style schema locations;
GUIDs in any case and with or without braces; missing optional parts (no users, no codebook, no
sources). Selection positions are converted from the writer's counting convention (`offsets`) and every
conversion is reported; a selection that cannot be placed is listed, never shifted.

The archive is checked by `safe_zip` and the XML parsed by `safe_xml` before anything is read, and
nothing here touches a project: the result is an `Incoming` for `apply.write`.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any

from wb_interop import incoming as inc
from wb_interop.apply import clean_label
from wb_interop.offsets import CODEPOINTS, SourceText, Span, preferred_for
from wb_interop.progress import Report, quiet
from wb_interop.refi_export import PAYLOAD_FORMAT, PAYLOAD_MARKER
from wb_interop.safe_xml import local, parse
from wb_interop.safe_zip import check_archive, open_zip, read_member
from workbench import BadInputError

DIRECTION = {"associative": "none", "oneway": "one-way", "bidirectional": "bi"}


def guid(value: str | None) -> str:
    """GUIDs compare case-insensitively and with or without braces."""
    return (value or "").strip().strip("{}").lower()


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local(child.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in element if local(child.tag) == name), None)


def _text(element: ET.Element | None) -> str:
    return (element.text or "") if element is not None else ""


def decode_text(data: bytes, where: str) -> str:
    """A source's plain text: UTF-8 (BOM dropped), else UTF-16 with a BOM; line breaks left for `offsets`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadInputError("source text is not valid UTF-16", where) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInputError("source text is not UTF-8 as REFI-QDA requires", where) from None


def read_qdpx(path: Path, data: bytes, progress: Report = quiet) -> inc.Incoming:
    where = str(path)
    with open_zip(data, where) as archive:
        check_archive(archive, where)
        names = {name.replace("\\", "/"): name for name in archive.namelist()}
        qde = [n for n in names if n.lower().endswith(".qde") and "/" not in n.strip("/")]
        if not qde:
            qde = [n for n in names if n.lower().endswith(".qde")]
        if len(qde) != 1:
            raise BadInputError("a .qdpx archive must hold exactly one project.qde", where)
        root = parse(read_member(archive, names[qde[0]], where), f"{where}:{qde[0]}")
        by_file = {PurePosixPath(n).name.lower(): n for n in names if not n.endswith("/")}

        def member(reference: str) -> bytes | None:
            name = reference.split("://", 1)[-1].lstrip("/")
            found = names.get(name) or by_file.get(PurePosixPath(name).name.lower())
            return read_member(archive, found, where) if found else None

        return _project(root, where, member, progress)


def _project(root: ET.Element, where: str, member: Any, progress: Report) -> inc.Incoming:
    if local(root.tag) != "Project":
        raise BadInputError(f"project.qde has a <{local(root.tag)}> root, not <Project>", where)
    origin = root.get("origin", "")
    result = inc.Incoming(title=root.get("name", "") or "Imported project", origin=origin)
    payload = _payload(_text(_child(root, "Description")))
    if payload:
        result.method = str(payload.get("project", {}).get("method") or "none")
        result.settings = {
            k: payload["project"].get(k) for k in ("citation", "line_settings") if payload["project"].get(k)
        }
    users = {
        guid(u.get("guid")): u.get("name") or u.get("id") or "" for u in root.iter() if local(u.tag) == "User"
    }

    def user(value: str | None) -> str:
        return users.get(guid(value), "") if value else ""

    # --- codes
    extra_codes = payload.get("codes", {}) if payload else {}
    codebook = _child(root, "CodeBook")
    codes_element = _child(codebook, "Codes") if codebook is not None else None
    if codes_element is not None:
        result.codes = _codes(codes_element, extra_codes)
    _unique_labels(result)

    # --- participants (payload, else cases)
    sources_elements = [
        s for s in (_child(root, "Sources") or ET.Element("x")) if local(s.tag) in ("TextSource",)
    ]
    skipped = [s for s in (_child(root, "Sources") or ET.Element("x")) if local(s.tag) != "TextSource"]
    if skipped:
        skipped_kinds = Counter(local(s.tag) for s in skipped)
        result.notes.append(
            "not imported (only text sources are analysed here): "
            + ", ".join(f"{n} {k}" for k, n in sorted(skipped_kinds.items()))
        )
    participant_of: dict[str, str] = {}
    if payload and payload.get("participants"):
        for key, person in payload["participants"].items():
            result.participants.append(
                inc.Participant(
                    f"participant:{guid(key)}",
                    str(person.get("pseudonym", "")),
                    dict(person.get("attributes", {})),
                    str(person.get("status", "active")),
                    preferred_id=str(person.get("id", "")),
                )
            )
    else:
        cases = _child(root, "Cases")
        for case in _children(cases, "Case") if cases is not None else []:
            key = f"participant:{guid(case.get('guid'))}"
            result.participants.append(inc.Participant(key, case.get("name", "") or ""))
            for ref in _children(case, "SourceRef"):
                participant_of.setdefault(guid(ref.get("targetGUID")), key)

    # --- sources and selections
    extra_sources = payload.get("sources", {}) if payload else {}
    extra_segments = payload.get("segments", {}) if payload else {}
    extra_codings = payload.get("codings", {}) if payload else {}
    preferred = preferred_for(origin)
    known_codes = {c.key for c in result.codes}
    for done, element in enumerate(sources_elements, start=1):
        source = _source(
            element,
            where,
            member,
            user,
            extra_sources,
            extra_segments,
            extra_codings,
            known_codes,
            preferred,
            result,
        )
        if source is None:
            continue
        key = guid(element.get("guid"))
        if source.participant == "":
            source.participant = participant_of.get(key, "")
        if not source.participant or not any(p.key == source.participant for p in result.participants):
            person_key = f"participant:source-{key}"
            result.participants.append(inc.Participant(person_key, ""))
            source.participant = person_key
        result.sources.append(source)
        progress("reading sources", done, len(sources_elements))

    # --- notes (memos)
    extra_memos = payload.get("memos", {}) if payload else {}
    note_targets = _note_targets(root)
    notes = _child(root, "Notes")
    for note in _children(notes, "Note") if notes is not None else []:
        key = guid(note.get("guid"))
        extra = extra_memos.get(key, {})
        body = _text(_child(note, "PlainTextContent"))
        if not body and note.get("plainTextPath"):
            data = member(note.get("plainTextPath", ""))
            body = decode_text(data, where).replace("\r\n", "\n") if data else ""
        links = [_payload_key(r) for r in extra.get("links", [])] if extra else note_targets.get(key, [])
        result.memos.append(
            inc.Memo(
                f"memo:{key}",
                note.get("name", "") or "Note",
                body,
                type=str(extra.get("type") or "note"),
                links=links,
                author=str(extra.get("author") or user(note.get("creatingUser"))),
                created_at=extra.get("created_at") or note.get("creationDateTime"),
                modified_at=extra.get("modified_at") or note.get("modifiedDateTime"),
                revisions=list(extra.get("revisions", [])),
                preferred_id=str(extra.get("id", "")),
            )
        )

    # --- links
    extra_links = payload.get("links", {}) if payload else {}
    links_element = _child(root, "Links")
    kinds = _kinds_by_guid(result)
    for link in _children(links_element, "Link") if links_element is not None else []:
        key = guid(link.get("guid"))
        extra = extra_links.pop(key, {})
        if extra:
            result.links.append(_payload_link(key, extra))
            continue
        origin_key = kinds.get(guid(link.get("originGUID")))
        target_key = kinds.get(guid(link.get("targetGUID")))
        if origin_key is None or target_key is None:
            result.notes.append(f"link {link.get('name', '')!r} skipped: it joins entities not imported")
            continue
        refs = [r.get("targetGUID") for r in _children(link, "NoteRef")]
        result.links.append(
            inc.Link(
                f"link:{key}",
                origin_key,
                target_key,
                link.get("name", "") or "related",
                DIRECTION.get((link.get("direction") or "").casefold(), "one-way"),
                memo=f"memo:{guid(refs[0])}" if refs else None,
            )
        )
    for key, extra in extra_links.items():  # links REFI-QDA could not carry (to records, participants, ...)
        result.links.append(_payload_link(guid(key), extra))

    # --- sets and clusters
    extra_sets = payload.get("sets", {}) if payload else {}
    extra_clusters = payload.get("clusters", {}) if payload else {}
    sets = _child(root, "Sets")
    for group in _children(sets, "Set") if sets is not None else []:
        key = guid(group.get("guid"))
        if key in extra_clusters:
            continue
        extra = extra_sets.get(key, {})
        members = (
            [_payload_key(m) for m in extra.get("members", [])]
            if extra
            else [
                k
                for m in group
                if local(m.tag) in ("MemberCode", "MemberSource", "MemberNote")
                and (k := kinds.get(guid(m.get("targetGUID") or m.get("guid")))) is not None
            ]
        )
        result.groups.append(
            inc.Group(
                f"set:{key}",
                "set",
                group.get("name", "") or "Set",
                members,
                description=str(extra.get("description", _text(_child(group, "Description")))),
                author=str(extra.get("author", "")),
                created_at=extra.get("created_at"),
                preferred_id=str(extra.get("id", "")),
            )
        )
    for key, cluster in extra_clusters.items():
        result.groups.append(
            inc.Group(
                f"cluster:{guid(key)}",
                "cluster",
                str(cluster.get("name", "")),
                [_payload_key(c) for c in cluster.get("children", [])],
                parent=_payload_key(cluster["parent"]) if cluster.get("parent") else None,
                techniques=list(cluster.get("techniques", [])),
                memo=_payload_key(cluster["memo"]) if cluster.get("memo") else None,
                author=str(cluster.get("author", "")),
                created_at=cluster.get("created_at"),
                preferred_id=str(cluster.get("id", "")),
            )
        )
    for record in payload.get("records", []) if payload else []:
        result.records.append(
            inc.Record(
                f"record:{record.get('id')}",
                str(record.get("kind", "")),
                dict(record.get("data", {})),
                [_payload_key(r) for r in record.get("links", [])],
                author=str(record.get("author", "")),
                created_at=record.get("created_at"),
                modified_at=record.get("modified_at"),
                preferred_id=str(record.get("id", "")),
            )
        )
    return result


def _payload(description: str) -> dict[str, Any]:
    """The workbench's own JSON payload from a project description, or {} when there is none."""
    head, marker, body = description.partition(PAYLOAD_MARKER)
    if not marker:
        return {}
    try:
        payload = json.loads(body)
    except json.JSONDecodeError:
        return {}
    if not isinstance(payload, dict) or payload.get("format") != PAYLOAD_FORMAT:
        return {}
    del head
    return payload


def _payload_key(ref: str) -> str:
    kind, _, key = str(ref).partition(":")
    return f"{kind}:{guid(key)}" if kind != "record" else f"record:{key}"


def _payload_link(key: str, extra: dict[str, Any]) -> inc.Link:
    return inc.Link(
        f"link:{key}",
        _payload_key(extra.get("origin", "")),
        _payload_key(extra.get("target", "")),
        str(extra.get("relation", "related")),
        str(extra.get("direction", "one-way")),
        evidence=[_payload_key(e) for e in extra.get("evidence", [])],
        memo=_payload_key(extra["memo"]) if extra.get("memo") else None,
        author=str(extra.get("author", "")),
        created_at=extra.get("created_at"),
        preferred_id=str(extra.get("id", "")),
    )


def _codes(container: ET.Element, extra_codes: dict[str, Any]) -> list[inc.Code]:
    extras = {guid(k): v for k, v in extra_codes.items()}
    out: list[inc.Code] = []

    def walk(element: ET.Element, parent: str | None) -> None:
        for code in _children(element, "Code"):
            key = guid(code.get("guid"))
            extra = extras.get(key, {})
            description = _text(_child(code, "Description"))
            if not extra and "[workbench:" in description:
                description = description.rsplit("[workbench:", 1)[0].rstrip()
            out.append(
                inc.Code(
                    f"code:{key}",
                    clean_label(code.get("name", "")),
                    definition=str(extra.get("definition", description) or ""),
                    kind=str(extra.get("kind") or "constructed"),
                    level=str(extra.get("level") or ""),
                    parent=parent,
                    status=str(extra.get("status") or "active"),
                    created_by=str(extra.get("created_by") or ""),
                    created_at=extra.get("created_at"),
                    lineage=list(extra.get("lineage", [])),
                    extra=dict(extra.get("extra", {})),
                    preferred_id=str(extra.get("id", "")),
                )
            )
            walk(code, f"code:{key}")

    walk(container, None)
    return out


def _unique_labels(result: inc.Incoming) -> set[str]:
    """Active code labels must be unique (case-insensitively); REFI-QDA allows "Other" under two parents."""
    by_key = {c.key: c for c in result.codes}
    seen: set[str] = set()
    for code in result.codes:
        if code.status != "active":
            continue
        if code.label.casefold() in seen:
            parent = by_key.get(code.parent or "")
            new = clean_label(f"{code.label} ({parent.label})" if parent else f"{code.label} (2)")
            number = 2
            while new.casefold() in seen:
                number += 1
                new = clean_label(f"{code.label} ({number})")
            result.notes.append(f"code {code.label!r} appears twice; the second is imported as {new!r}")
            code.label = new
        seen.add(code.label.casefold())
    return seen


def _source(
    element: ET.Element,
    where: str,
    member: Any,
    user: Any,
    extra_sources: dict[str, Any],
    extra_segments: dict[str, Any],
    extra_codings: dict[str, Any],
    known_codes: set[str],
    preferred: str,
    result: inc.Incoming,
) -> inc.Source | None:
    key = guid(element.get("guid"))
    name = element.get("name", "") or key
    content = _child(element, "PlainTextContent")
    if content is not None and content.text:
        raw = content.text
    else:
        path = element.get("plainTextPath", "")
        data = member(path) if path else None
        if data is None:
            data = member(f"{key}.txt") or member(f"{key.upper()}.txt")
        if data is None:
            result.notes.append(f"source {name!r} skipped: its text file {path or key + '.txt'} is missing")
            return None
        raw = decode_text(data, f"{where}:{path}")
    raw = raw.removeprefix("\ufeff")
    text = SourceText(raw)
    selections = _children(element, "PlainTextSelection")
    spans = []
    for selection in selections:
        try:
            spans.append(
                Span(
                    int(selection.get("startPosition", "")),
                    int(selection.get("endPosition", "")),
                    selection.get("name", "") or "",
                )
            )
        except ValueError:
            spans.append(Span(-1, -1))
    convention = text.detect(spans, preferred)
    if convention != CODEPOINTS and spans:
        result.notes.append(
            f"source {name!r}: {len(spans)} selection(s) converted from {convention} to code points"
        )
    if text.crlf:
        result.notes.append(f"source {name!r}: CRLF line breaks stored as LF; positions adjusted")
    extra = extra_sources.get(key, {})
    source = inc.Source(
        f"source:{key}",
        str(extra.get("filename") or (name if "." in name else f"{name}.txt")),
        text.text,
        _payload_key(extra["participant"]) if extra.get("participant") else "",
        turns=extra.get("turns") if extra and _same_text(extra, text.text) else None,
        status=str(extra.get("status", "")),
        kind=str(extra.get("kind", "interview")),
        importer=str(extra.get("importer", "")),
        speaker_roles=dict(extra.get("speaker_roles", {})),
        speaker_participants={k: _payload_key(v) for k, v in extra.get("speaker_participants", {}).items()},
        imported_by=str(extra.get("imported_by", "")),
        imported_at=extra.get("imported_at"),
        preferred_id=str(extra.get("id", "")),
    )
    for selection, span in zip(selections, spans, strict=True):
        placed = text.place(span, convention)
        sguid = guid(selection.get("guid"))
        if placed is None:
            result.unplaced.append(
                f"source {name!r} selection {selection.get('guid')} "
                f"[{selection.get('startPosition')}, {selection.get('endPosition')}) is outside the text or "
                "splits a character; not imported"
            )
            continue
        codings = []
        for coding in _children(selection, "Coding"):
            ref = _child(coding, "CodeRef")
            code_key = f"code:{guid(ref.get('targetGUID') if ref is not None else '')}"
            if code_key not in known_codes:
                result.notes.append(f"a coding in {name!r} names a code not in the codebook; skipped")
                continue
            cguid = guid(coding.get("guid"))
            cextra = dict(extra_codings.get(cguid, {}))
            cextra.pop("id", None)
            codings.append(
                inc.Coding(
                    code_key,
                    user(coding.get("creatingUser")) or user(selection.get("creatingUser")) or "unknown",
                    key=f"coding:{cguid}" if cguid else "",
                    created_at=coding.get("creationDateTime") or selection.get("creationDateTime"),
                    extra=cextra,
                )
            )
        sextra = extra_segments.get(sguid, {})
        source.segments.append(
            inc.Segment(
                placed[0], placed[1], codings, key=f"segment:{sguid}", flag=str(sextra.get("flag", ""))
            )
        )
    return source


def _same_text(extra: dict[str, Any], text: str) -> bool:
    turns = extra.get("turns") or []
    return all(int(t.get("end", 0)) <= len(text) for t in turns)


def _note_targets(root: ET.Element) -> dict[str, list[str]]:
    """Note GUID -> keys of what refers to it through ``<NoteRef>`` (codes, sources, selections, codings)."""
    targets: dict[str, list[str]] = {}
    kinds = {"Code": "code", "TextSource": "source", "PlainTextSelection": "segment", "Coding": "coding"}

    def walk(element: ET.Element) -> None:
        name = local(element.tag)
        for child in element:
            if local(child.tag) == "NoteRef" and name in kinds:
                targets.setdefault(guid(child.get("targetGUID")), []).append(
                    f"{kinds[name]}:{guid(element.get('guid'))}"
                )
            walk(child)

    walk(root)
    return targets


def _kinds_by_guid(result: inc.Incoming) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for code in result.codes:
        kinds[code.key.partition(":")[2]] = code.key
    for source in result.sources:
        kinds[source.key.partition(":")[2]] = source.key
        for segment in source.segments:
            kinds[segment.key.partition(":")[2]] = segment.key
    for memo in result.memos:
        kinds[memo.key.partition(":")[2]] = memo.key
    for person in result.participants:
        kinds[person.key.partition(":")[2]] = person.key
    return kinds


def read_qdc(path: Path, data: bytes) -> inc.Incoming:
    """A REFI-QDA codebook: codes with hierarchy and descriptions, and sets of codes."""
    where = str(path)
    root = parse(data, where)
    if local(root.tag) != "CodeBook":
        raise BadInputError(f"a .qdc file has a <CodeBook> root, not <{local(root.tag)}>", where)
    result = inc.Incoming(title=path.stem, origin=root.get("origin", ""))
    codes = _child(root, "Codes")
    if codes is None:
        raise BadInputError("the codebook has no <Codes>", where)
    result.codes = _codes(codes, {})
    _unique_labels(result)
    known = {c.key for c in result.codes}
    sets = _child(root, "Sets")
    for group in _children(sets, "Set") if sets is not None else []:
        members = [
            key
            for m in _children(group, "MemberCode")
            if (key := f"code:{guid(m.get('guid') or m.get('targetGUID'))}") in known
        ]
        result.groups.append(
            inc.Group(
                f"set:{guid(group.get('guid'))}",
                "set",
                group.get("name", "") or "Set",
                members,
                description=_text(_child(group, "Description")),
            )
        )
    return result
