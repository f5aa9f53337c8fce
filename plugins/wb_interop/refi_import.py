"""Reading REFI-QDA files (.qdpx projects, .qdc codebooks) as other programs really write them.

Accepted variations: ``sources/`` or ``Sources/`` (any case) and members found by GUID alone; a UTF-8
BOM and CRLF line endings in source texts and XML; the project namespace ``urn:QDA-XML:project:1.0`` (or
none), codebooks with any ``urn:QDA-XML:codebook:...`` namespace and ``0:4``-style schema locations;
GUIDs in any case and with or without braces; missing optional parts (no users, no codebook, no
sources). Selection positions are converted from the writer's counting convention (`offsets`) and every
conversion is reported; a selection that cannot be placed is listed, never shifted.

As real tools write it (issue 19): a ``<TextSource>`` whose plain text is empty or whitespace (NVivo for
Mac) takes its words from the document its ``richTextPath`` names (`rich_text`) and its selections are
placed in that text. One source that cannot be read (no text at all, a PDF, a picture, audio or video,
an RTF document) is left out *and named with its reason*; it never refuses the whole project. Archive
members the project does not refer to (``sources/.root``, ``__MACOSX/``) are ignored and listed.

Every element kind is accounted for in the import's `Fidelity` (codes without selections, sets, cases
and their variables, notes, users, graphs): kept, converted (a graph becomes a note, a selection's
description a note linked to it, a source's variables its participant's attributes) or dropped, each
converted or dropped element named with the reason.

The archive is checked by `safe_zip` and the XML parsed by `safe_xml` before anything is read, and
nothing here touches a project: the result is an `Incoming` for `apply.write`.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from wb_interop import incoming as inc
from wb_interop.apply import clean_label
from wb_interop.fidelity import Fidelity
from wb_interop.offsets import (
    CODEPOINTS,
    CODEPOINTS_CRLF1,
    UTF16,
    UTF16_CRLF1,
    SourceText,
    Span,
    preferred_for,
)
from wb_interop.progress import Report, quiet
from wb_interop.refi_export import PAYLOAD_FORMAT, PAYLOAD_MARKER
from wb_interop.rich_text import RichTextError, flatten
from wb_interop.safe_xml import local, parse
from wb_interop.safe_zip import check_archive, open_zip, read_member
from wb_interop.source_text import decode_text
from workbench import BadInputError

DIRECTION = {"associative": "none", "oneway": "one-way", "bidirectional": "bi"}
#: What REFI-QDA 1.0 allows directly under <Project>; anything else is reported as ignored.
PROJECT_CHILDREN = {
    "Users",
    "CodeBook",
    "Variables",
    "Cases",
    "Sources",
    "Notes",
    "Links",
    "Sets",
    "Graphs",
    "Description",
    "NoteRef",
}
OTHER_SOURCES = {
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}
#: Characters that make a plain text look non-empty without holding a word (NVivo for Mac writes these).
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\x00"))


def guid(value: str | None) -> str:
    """GUIDs compare case-insensitively and with or without braces."""
    return (value or "").strip().strip("{}").lower()


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [child for child in element if local(child.tag) == name] if element is not None else []


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((child for child in element if local(child.tag) == name), None)


def _text(element: ET.Element | None) -> str:
    return (element.text or "") if element is not None else ""


def has_words(raw: str | None) -> bool:
    """False for a text that is empty, whitespace, or only byte-order marks and zero-width characters."""
    return bool(raw) and bool(str(raw).translate(_INVISIBLE).strip())


class _Members:
    """The archive's members, found by reference in any case; records which were used, and why not."""

    def __init__(self, archive: zipfile.ZipFile | None, where: str) -> None:
        self.archive = archive
        self.where = where
        names = archive.namelist() if archive is not None else []
        self.original = {name.replace("\\", "/"): name for name in names}
        self.files = [n for n in self.original if not n.endswith("/")]
        self.by_lower = {n.lower(): n for n in self.files}
        self.by_file = {PurePosixPath(n).name.lower(): n for n in self.files}
        self.used: set[str] = set()
        self.claimed: dict[str, str] = {}  # member -> why it is not used (its source was left out)

    def project_file(self) -> str:
        qde = [n for n in self.files if n.lower().endswith(".qde") and "/" not in n.strip("/")]
        if not qde:
            qde = [n for n in self.files if n.lower().endswith(".qde")]
        if len(qde) != 1:
            raise BadInputError("a .qdpx archive must hold exactly one project.qde", self.where)
        return qde[0]

    def resolve(self, reference: str) -> str | None:
        """The member a reference (``internal://X.txt``, ``sources/X.txt``, ``X.txt``) names, if any."""
        name = reference.split("://", 1)[-1].lstrip("/")
        if not name:
            return None
        lowered = name.lower()
        return (
            (name if name in self.original and not name.endswith("/") else None)
            or self.by_lower.get(lowered)
            or self.by_lower.get(f"sources/{lowered}")
            or self.by_file.get(PurePosixPath(lowered).name)
        )

    def read(self, reference: str) -> bytes | None:
        found = self.resolve(reference) if reference else None
        if found is None or self.archive is None:
            return None
        self.used.add(found)
        return self.read_name(found)

    def read_name(self, name: str) -> bytes:
        assert self.archive is not None
        self.used.add(name)
        return read_member(self.archive, self.original[name], self.where)

    def claim(self, reference: str, reason: str) -> None:
        found = self.resolve(reference) if reference else None
        if found is not None:
            self.claimed.setdefault(found, reason)

    def account(self, fid: Fidelity) -> None:
        fid.saw("members", len(self.files))
        for name in self.files:
            if name in self.used:
                continue
            base = PurePosixPath(name).name
            if name in self.claimed:
                reason = self.claimed[name]
            elif name.startswith("__MACOSX/"):
                reason = "macOS archive metadata, not part of the project; ignored"
            elif base.startswith("."):
                reason = "a hidden file the exporting program left, not part of the project; ignored"
            elif name.lower().startswith("sources/"):
                reason = "in sources/ but project.qde does not refer to it; ignored"
            else:
                reason = "not part of the REFI-QDA layout (project.qde and sources/); ignored"
            fid.drop("members", name, base, reason)


class _Keys:
    """Unique keys ``kind:GUID``: a missing GUID gets a made-up one, a repeated GUID a suffix."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.made = 0

    def __call__(self, kind: str, raw: str | None) -> str:
        base = guid(raw)
        if not base:
            self.made += 1
            base = f"no-guid-{self.made}"
        key, number = f"{kind}:{base}", 2
        while key in self.seen:
            key, number = f"{kind}:{base}~{number}", number + 1
        self.seen.add(key)
        return key


def _tail(key: str) -> str:
    return key.partition(":")[2]


def read_qdpx(path: Path, data: bytes, progress: Report = quiet) -> inc.Incoming:
    where = str(path)
    with open_zip(data, where) as archive:
        check_archive(archive, where)
        members = _Members(archive, where)
        qde = members.project_file()
        root = parse(members.read_name(qde), f"{where}:{qde}")
        result = _Reader(root, where, members, progress).read()
        members.account(result.fidelity)
        return result


def read_qde(path: Path, data: bytes, progress: Report = quiet) -> inc.Incoming:
    """A bare ``project.qde`` (no archive): its sources' text files cannot come with it."""
    where = str(path)
    return _Reader(parse(data, where), where, _Members(None, where), progress, fmt="qde").read()


class _Reader:
    """One ``project.qde``, read element kind by element kind into an `Incoming` and its `Fidelity`."""

    def __init__(
        self, root: ET.Element, where: str, members: _Members, progress: Report, fmt: str = "qdpx"
    ) -> None:
        if local(root.tag) != "Project":
            raise BadInputError(f"project.qde has a <{local(root.tag)}> root, not <Project>", where)
        self.root = root
        self.where = where
        self.members = members
        self.progress = progress
        self.origin = root.get("origin", "")
        self.result = inc.Incoming(title=root.get("name", "") or "Imported project", origin=self.origin)
        self.fid = self.result.fidelity
        self.fid.file, self.fid.origin, self.fid.format = where, self.origin, fmt
        self.payload = _payload(_text(_child(root, "Description")))
        self.keys = _Keys()
        self.kinds: dict[str, str] = {}  # GUID -> key of what was imported (for references)
        self.users: dict[str, str] = {}  # user GUID -> the name codings and notes get
        self.participant_of: dict[str, str] = {}  # source GUID -> participant key (from cases)
        self.case_names: dict[str, str] = {}  # participant key -> case name
        self.sources: dict[str, inc.Source] = {}  # source GUID -> the imported source
        self.labels: dict[str, str] = {}  # code key -> label

    def extra(self, name: str) -> dict[str, Any]:
        value = self.payload.get(name, {}) if self.payload else {}
        return value if isinstance(value, dict) else {}

    def read(self) -> inc.Incoming:
        self._project()
        self._users()
        self._codes()
        self._cases()
        self._sources()
        self._variables()
        self._notes()
        self._sets()
        self._links()
        self._graphs()
        self._records()
        self._account_users()
        return self.result

    # -- the project element ---------------------------------------------------------------------------
    def _project(self) -> None:
        fid, root = self.fid, self.root
        fid.saw("project")
        name = root.get("name", "") or "project"
        if self.payload:
            self.result.method = str(self.payload.get("project", {}).get("method") or "none")
            self.result.settings = {
                k: self.payload["project"].get(k)
                for k in ("citation", "line_settings")
                if self.payload["project"].get(k)
            }
        else:
            description = _text(_child(root, "Description")).strip()
            if description:
                self.result.memos.append(
                    inc.Memo("memo:project-description", "Project description", description, type="note")
                )
                fid.convert(
                    "project", "project", name, "its description is kept as the note 'Project description'"
                )
        unknown = sorted({local(c.tag) for c in root if local(c.tag) not in PROJECT_CHILDREN})
        if unknown:
            fid.convert(
                "project",
                "project",
                name,
                "elements REFI-QDA 1.0 does not define ignored: " + ", ".join(f"<{t}>" for t in unknown),
            )

    # -- users -----------------------------------------------------------------------------------------
    def _users(self) -> None:
        for element in (u for u in self.root.iter() if local(u.tag) == "User"):
            key = guid(element.get("guid"))
            if not key or key in self.users:
                continue
            self.fid.saw("users")
            name = (element.get("name") or element.get("id") or "").strip()
            if not name:
                name = f"user {key[:8]}"
                self.fid.convert("users", key, name, f"has no name in the file; imported as {name!r}")
            self.users[key] = name

    def user(self, value: str | None) -> str:
        return self.users.get(guid(value), "") if value else ""

    def _account_users(self) -> None:
        """A user is imported when some imported coding, note or entity names them as coder or author."""
        result = self.result
        names = {c.coder for s in result.sources for g in s.segments for c in g.codings}
        names |= {m.author for m in result.memos} | {c.created_by for c in result.codes}
        names |= {s.imported_by for s in result.sources} | {k.author for k in result.links}
        names |= {g.author for g in result.groups} | {r.author for r in result.records}
        for key, name in self.users.items():
            if name not in names:
                self.fid.drop(
                    "users",
                    key,
                    name,
                    "made no coding, note or other entity that was imported; Workbench keeps people only as "
                    "the coders and authors of what they made",
                )

    # -- codes -----------------------------------------------------------------------------------------
    def _codes(self) -> None:
        codebook = _child(self.root, "CodeBook")
        container = _child(codebook, "Codes")
        if container is not None:
            self.result.codes = _codes(container, self.extra("codes"), self.fid, self.keys, self.kinds)
        _unique_labels(self.result)
        self.labels = {c.key: c.label for c in self.result.codes}

    # -- cases -> participants -------------------------------------------------------------------------
    def _cases(self) -> None:
        fid, result = self.fid, self.result
        cases = _children(_child(self.root, "Cases"), "Case")
        people = self.extra("participants")
        if people:
            fid.saw("cases", len(cases))
            for key, person in people.items():
                pkey = self.keys("participant", key)
                result.participants.append(
                    inc.Participant(
                        pkey,
                        str(person.get("pseudonym", "")),
                        dict(person.get("attributes", {})),
                        str(person.get("status", "active")),
                        preferred_id=str(person.get("id", "")),
                    )
                )
                self.kinds[guid(key)] = pkey
            return
        for case in cases:
            fid.saw("cases")
            pkey = self.keys("participant", case.get("guid"))
            name = case.get("name", "") or ""
            ident = _tail(pkey)
            person = inc.Participant(pkey, name)
            description = _text(_child(case, "Description")).strip()
            if description:
                person.attributes["description"] = description
                fid.convert("cases", ident, name, "its description is kept as the attribute 'description'")
            for tag, what in (("CodeRef", "code"), ("SelectionRef", "selection")):
                refs = _children(case, tag)
                if refs:
                    fid.convert(
                        "cases",
                        ident,
                        name,
                        f"{len(refs)} {what} reference(s) left out: Workbench ties participants to their "
                        "transcripts, not to codes or passages",
                    )
            for ref in _children(case, "SourceRef"):
                source = guid(ref.get("targetGUID"))
                other = self.participant_of.get(source)
                if other is None:
                    self.participant_of[source] = pkey
                else:
                    fid.convert(
                        "cases",
                        ident,
                        name,
                        f"source {source} also belongs to case {self.case_names.get(other, other)!r}; a "
                        "transcript has one participant, so it stays with that case",
                    )
            result.participants.append(person)
            self.kinds[guid(case.get("guid"))] = pkey
            self.case_names[pkey] = name

    # -- sources ---------------------------------------------------------------------------------------
    def _sources(self) -> None:
        container = _child(self.root, "Sources")
        elements = list(container) if container is not None else []
        for done, element in enumerate(elements, start=1):
            self.fid.saw("sources")
            if local(element.tag) == "TextSource":
                source = self._text_source(element)
                if source is not None:
                    self._attach(element, source)
            else:
                self._other_source(element)
            self.progress("reading sources", done, len(elements))

    def _attach(self, element: ET.Element, source: inc.Source) -> None:
        result = self.result
        key = guid(element.get("guid"))
        if source.participant == "":
            source.participant = self.participant_of.get(key, "")
        if not source.participant or not any(p.key == source.participant for p in result.participants):
            person_key = self.keys("participant", f"source-{_tail(source.key)}")
            result.participants.append(inc.Participant(person_key, ""))
            source.participant = person_key
        result.sources.append(source)
        self.sources.setdefault(key, source)
        self.kinds.setdefault(key, source.key)

    def _drop_inside(self, element: ET.Element, where: str, reason: str) -> None:
        """Every selection and coding inside a source (or note) `where` that is not imported."""
        fid = self.fid
        for inner in element.iter():
            if inner is element:
                continue
            tag = local(inner.tag)
            if tag.endswith("Selection"):
                fid.saw("selections")
                ident = _tail(self.keys("segment", inner.get("guid")))
                fid.drop("selections", ident, inner.get("name", "") or f"a passage of {where}", reason)
            elif tag == "Coding":
                fid.saw("codings")
                ident = _tail(self.keys("coding", inner.get("guid")))
                fid.drop("codings", ident, self._coding_name(inner, where), reason)

    def _coding_name(self, coding: ET.Element, where: str = "") -> str:
        ref = _child(coding, "CodeRef")
        target = guid(ref.get("targetGUID")) if ref is not None else ""
        label = self.labels.get(self.kinds.get(target, ""), "") or f"code {target or '?'}"
        return f"{label} on {where}" if where else label

    def _other_source(self, element: ET.Element) -> None:
        tag = local(element.tag)
        key = self.keys("source", element.get("guid"))
        name = element.get("name", "") or _tail(key)
        what = OTHER_SOURCES.get(tag)
        if what is None:
            reason = f"<{tag}> is not a kind of source REFI-QDA 1.0 defines"
        else:
            article = "an" if what[0] in "aeiou" else "a"
            reason = f"{article} {what} source; Workbench analyses text transcripts only"
            texts = [e for e in element.iter() if local(e.tag) in ("Transcript", "Representation")]
            if texts:
                reason += f" (its {len(texts)} text representation(s) and their selections are left out too)"
        self.fid.drop("sources", _tail(key), name, reason)
        self._drop_inside(element, name, f"its source {name!r} ({what or tag}) is not imported")
        for inner in element.iter():
            for attribute in ("path", "plainTextPath", "richTextPath"):
                if inner.get(attribute):
                    self.members.claim(
                        inner.get(attribute, ""), f"a file of source {name!r}, which is not imported"
                    )

    def _plain(self, element: ET.Element, key: str) -> tuple[str | None, str]:
        """The plain text as the file has it, or None and why there is none."""
        content = _child(element, "PlainTextContent")
        if content is not None and content.text:
            return content.text, ""
        path = element.get("plainTextPath", "")
        data = self.members.read(path) if path else None
        if data is None:
            data = self.members.read(f"{key}.txt")
        if data is None:
            return None, f"its plain-text file {path} is missing" if path else "it has no plain text"
        try:
            return decode_text(data, f"{self.where}:{path}"), ""
        except BadInputError as exc:
            return None, f"its plain text {exc.message.removeprefix('source text ')}"

    def _rich(self, element: ET.Element) -> tuple[str | None, str]:
        """The text of the source's rich-text document, or None and why there is none."""
        reference = element.get("richTextPath", "")
        if not reference:
            return None, "it names no rich-text document"
        data = self.members.read(reference)
        if data is None:
            return None, f"its rich-text document {reference} is not in the archive"
        try:
            text = flatten(data, reference, f"{self.where}:{reference}")
        except RichTextError as exc:
            return None, f"its rich-text document {reference} {exc}"
        if not has_words(text):
            return None, f"its rich-text document {reference} holds no text either"
        return text, ""

    def _text_source(self, element: ET.Element) -> inc.Source | None:
        fid, result = self.fid, self.result
        key = self.keys("source", element.get("guid"))
        gkey = _tail(key)
        name = element.get("name", "") or gkey
        selections = _children(element, "PlainTextSelection")
        spans = [_span(s) for s in selections]
        preferred = preferred_for(self.origin)

        raw, why_plain = self._plain(element, gkey)
        rich = False
        if has_words(raw):
            assert raw is not None
            text = SourceText(raw.removeprefix("\ufeff"))
            convention = text.detect(spans, preferred)
            if element.get("richTextPath") and spans and not _placeable(text, spans, convention):
                flat, _why = self._rich(element)
                if flat is not None:
                    other = SourceText(flat)
                    if _placeable(other, spans, other.detect(spans, _rich_preference(preferred))):
                        text, rich = other, True
                        fid.convert(
                            "sources",
                            gkey,
                            name,
                            f"its plain text ({len(raw):,} characters) holds none of its selections; text "
                            f"taken from its rich-text document {element.get('richTextPath')}, formatting "
                            "flattened",
                        )
        else:
            flat, why_rich = self._rich(element)
            if flat is None:
                why = why_plain or "its plain text is empty"
                fid.drop("sources", gkey, name, f"has no text: {why}, and {why_rich}")
                self._drop_inside(element, name, f"its source {name!r} is not imported (it has no text)")
                return None
            text, rich = SourceText(flat), True
            fid.convert(
                "sources",
                gkey,
                name,
                f"{why_plain or 'its plain text is empty'}; text taken from its rich-text document "
                f"{element.get('richTextPath')}, formatting flattened",
            )
        if rich:
            convention = text.detect(spans, _rich_preference(preferred))
        else:
            self.members.claim(
                element.get("richTextPath", ""),
                f"the rich-text document of source {name!r}: its plain text was imported instead, so the "
                "formatting is not kept",
            )
            if convention != CODEPOINTS and spans:
                result.notes.append(
                    f"source {name!r}: {len(spans)} selection(s) converted from {convention} to code points"
                )
            if text.crlf:
                result.notes.append(f"source {name!r}: CRLF line breaks stored as LF; positions adjusted")
        extra = self.extra("sources").get(guid(element.get("guid")), {})
        source = inc.Source(
            key,
            str(extra.get("filename") or (name if "." in name else f"{name}.txt")),
            text.text,
            _payload_key(extra["participant"]) if extra.get("participant") else "",
            turns=extra.get("turns") if extra and _same_text(extra, text.text) else None,
            status=str(extra.get("status", "")),
            kind=str(extra.get("kind", "interview")),
            importer=str(extra.get("importer", "")),
            speaker_roles=dict(extra.get("speaker_roles", {})),
            speaker_participants={
                k: _payload_key(v) for k, v in extra.get("speaker_participants", {}).items()
            },
            imported_by=str(extra.get("imported_by", "")),
            imported_at=extra.get("imported_at"),
            preferred_id=str(extra.get("id", "")),
        )
        for selection, span in zip(selections, spans, strict=True):
            self._selection(source, name, text, selection, span, convention, rich)
        self._whole_source_codings(source, name, element)
        return source

    def _selection(
        self,
        source: inc.Source,
        name: str,
        text: SourceText,
        selection: ET.Element,
        span: Span,
        convention: str,
        rich: bool,
    ) -> None:
        fid = self.fid
        fid.saw("selections")
        skey = self.keys("segment", selection.get("guid"))
        ident = _tail(skey)
        label = selection.get("name", "") or f"a passage of {name}"
        placed = text.place(span, convention)
        codings = _children(selection, "Coding")
        if placed is None:
            where = "its rich-text document's text" if rich else "the text"
            bounds = (
                f"[{selection.get('startPosition')}, {selection.get('endPosition')})"
                if span.start >= 0
                else "with no valid startPosition/endPosition"
            )
            reason = f"{bounds} is outside {where} ({len(text.text):,} characters) or splits a character"
            fid.drop("selections", ident, label, reason)
            self.result.unplaced.append(
                f"source {name!r} selection {selection.get('guid')} "
                f"[{selection.get('startPosition')}, {selection.get('endPosition')}) is outside the text or "
                "splits a character; not imported"
            )
            for coding in codings:
                fid.saw("codings")
                cident = _tail(self.keys("coding", coding.get("guid")))
                fid.drop(
                    "codings", cident, self._coding_name(coding, name), "its selection could not be placed"
                )
            return
        if rich:
            fid.convert(
                "selections",
                ident,
                label,
                "placed in the text of its source's rich-text document"
                + _counted(text, convention, rich=True),
            )
        elif placed != (span.start, span.end):
            fid.convert(
                "selections",
                ident,
                label,
                f"[{span.start}, {span.end}) re-based to [{placed[0]}, {placed[1]})"
                + _counted(text, convention, rich=False),
            )
        segment = inc.Segment(placed[0], placed[1], [], key=skey)
        sextra = self.extra("segments").get(guid(selection.get("guid")), {})
        segment.flag = str(sextra.get("flag", ""))
        for coding in codings:
            made = self._coding(coding, selection, name)
            if made is not None:
                segment.codings.append(made)
        source.segments.append(segment)
        self.kinds.setdefault(guid(selection.get("guid")), skey)
        description = _text(_child(selection, "Description")).strip()
        if description:
            self.result.memos.append(
                inc.Memo(
                    self.keys("memo", f"selection-{ident}"),
                    f"Note on a passage of {name}",
                    description,
                    type="note",
                    links=[skey],
                    author=self.user(selection.get("creatingUser")),
                    created_at=selection.get("creationDateTime"),
                )
            )
            fid.convert("selections", ident, label, "its description is kept as a note linked to the passage")

    def _coding(self, coding: ET.Element, holder: ET.Element | None, where: str) -> inc.Coding | None:
        fid = self.fid
        fid.saw("codings")
        ckey = self.keys("coding", coding.get("guid"))
        ident = _tail(ckey)
        ref = _child(coding, "CodeRef")
        code_key = self.kinds.get(guid(ref.get("targetGUID")) if ref is not None else "", "")
        if not code_key.startswith("code:"):
            fid.drop(
                "codings", ident, self._coding_name(coding, where), "names a code that is not in the codebook"
            )
            return None
        coder = self.user(coding.get("creatingUser")) or (
            self.user(holder.get("creatingUser")) if holder is not None else ""
        )
        if not coder:
            coder = "unknown"
            fid.convert(
                "codings",
                ident,
                self._coding_name(coding, where),
                "no user of the file is named as its coder; imported with the coder 'unknown'",
            )
        cextra = dict(self.extra("codings").get(guid(coding.get("guid")), {}))
        cextra.pop("id", None)
        return inc.Coding(
            code_key,
            coder,
            key=ckey,
            created_at=coding.get("creationDateTime")
            or (holder.get("creationDateTime") if holder is not None else None),
            extra=cextra,
        )

    def _whole_source_codings(self, source: inc.Source, name: str, element: ET.Element) -> None:
        """``<Coding>`` directly in a ``<TextSource>`` codes the whole source: a segment over all its text."""
        codings = []
        for coding in _children(element, "Coding"):
            made = self._coding(coding, None, name)
            if made is not None:
                codings.append(made)
                self.fid.convert(
                    "codings",
                    _tail(made.key),
                    self._coding_name(coding, name),
                    "codes the whole source; imported as a coding of its whole text",
                )
        if codings:
            key = self.keys("segment", f"whole-{_tail(source.key)}")
            source.segments.append(inc.Segment(0, len(source.text), codings, key=key))

    # -- variables -> participant attributes ----------------------------------------------------------
    def _variables(self) -> None:
        fid = self.fid
        defined: dict[str, str] = {}  # variable GUID -> name
        for definition in _children(_child(self.root, "Variables"), "Variable"):
            defined[guid(definition.get("guid"))] = (
                " ".join((definition.get("name") or "").split()) or "variable"
            )
        with_values: set[str] = set()
        payload = bool(self.extra("participants"))
        people = {p.key: p for p in self.result.participants}
        owners: list[tuple[ET.Element, str, str, inc.Participant | None, bool]] = []
        for case in _children(_child(self.root, "Cases"), "Case"):
            pkey = self.kinds.get(guid(case.get("guid")), "")
            owners.append((case, "case", case.get("name", "") or "", people.get(pkey), False))
        for element in list(_child(self.root, "Sources") or []):
            source = self.sources.get(guid(element.get("guid")))
            person = people.get(source.participant) if source is not None else None
            owners.append((element, "source", element.get("name", "") or "", person, source is None))
        for owner, kind, owner_name, person, left_out in owners:
            for value_element in _children(owner, "VariableValue"):
                fid.saw("variables")
                ref = _child(value_element, "VariableRef")
                vguid = guid(ref.get("targetGUID")) if ref is not None else ""
                with_values.add(vguid)
                variable = defined.get(vguid, vguid or "?")
                ident = f"{vguid or '?'}@{guid(owner.get('guid'))}"
                label = f"{variable} of {kind} {owner_name!r}"
                if payload and kind == "case":
                    continue  # the workbench payload carries the participants' attributes exactly
                if vguid not in defined:
                    fid.drop("variables", ident, label, "names a variable the file does not define")
                    continue
                if left_out or person is None:
                    fid.drop("variables", ident, label, f"its {kind} is not imported")
                    continue
                try:
                    value = _variable_value(value_element)
                except ValueError as exc:
                    fid.drop("variables", ident, label, str(exc))
                    continue
                if kind == "case":
                    person.attributes[variable] = value
                    continue
                where = "the participant made for that source"
                if person.key in self.case_names:
                    where = f"participant (case {self.case_names[person.key]!r})"
                if variable in person.attributes and person.attributes[variable] != value:
                    fid.drop(
                        "variables",
                        ident,
                        label,
                        f"{where} already has {variable} = {person.attributes[variable]!r} (not {value!r})",
                    )
                    continue
                person.attributes[variable] = value
                fid.convert("variables", ident, label, f"a source's value; kept as an attribute of {where}")
        for vguid, variable in defined.items():
            if vguid not in with_values:
                fid.saw("variables")
                fid.drop("variables", vguid, variable, "no case or source has a value for it")

    # -- notes -> memos --------------------------------------------------------------------------------
    def _notes(self) -> None:
        fid = self.fid
        extra_memos = self.extra("memos")
        note_targets = _note_targets(self.root)
        for note in _children(_child(self.root, "Notes"), "Note"):
            fid.saw("notes")
            key = self.keys("memo", note.get("guid"))
            ident = _tail(key)
            title = note.get("name", "") or "Note"
            extra = extra_memos.get(guid(note.get("guid")), {})
            body = _text(_child(note, "PlainTextContent"))
            if not body and note.get("plainTextPath"):
                data = self.members.read(note.get("plainTextPath", ""))
                if data is not None:
                    try:
                        body = decode_text(data, self.where).replace("\r\n", "\n")
                    except BadInputError as exc:
                        fid.convert(
                            "notes",
                            ident,
                            title,
                            f"its text {exc.message.removeprefix('source text ')}; imported without it",
                        )
                else:
                    fid.convert(
                        "notes",
                        ident,
                        title,
                        f"its text file {note.get('plainTextPath')} is missing; imported without it",
                    )
            if has_words(body) and note.get("richTextPath"):
                self.members.claim(
                    note.get("richTextPath", ""),
                    f"the rich-text document of note {title!r}: its plain text was imported instead",
                )
            elif note.get("richTextPath"):
                flat, why = self._rich(note)
                if flat is not None:
                    body = flat.replace("\r\n", "\n")
                    fid.convert(
                        "notes",
                        ident,
                        title,
                        f"text taken from its rich-text document {note.get('richTextPath')}, formatting "
                        "flattened",
                    )
                else:
                    fid.convert("notes", ident, title, f"{why}; imported without its text")
            self._drop_inside(
                note, title, f"a passage coded inside the note {title!r}; Workbench codes transcripts only"
            )
            links = (
                [_payload_key(r) for r in extra.get("links", [])]
                if extra
                else note_targets.get(guid(note.get("guid")), [])
            )
            self.result.memos.append(
                inc.Memo(
                    key,
                    title,
                    body,
                    type=str(extra.get("type") or "note"),
                    links=links,
                    author=str(extra.get("author") or self.user(note.get("creatingUser"))),
                    created_at=extra.get("created_at") or note.get("creationDateTime"),
                    modified_at=extra.get("modified_at") or note.get("modifiedDateTime"),
                    revisions=list(extra.get("revisions", [])),
                    preferred_id=str(extra.get("id", "")),
                )
            )
            self.kinds.setdefault(guid(note.get("guid")), key)

    # -- sets (and the workbench's clusters) ----------------------------------------------------------
    def _sets(self) -> None:
        fid = self.fid
        extra_sets, extra_clusters = self.extra("sets"), self.extra("clusters")
        for group in _children(_child(self.root, "Sets"), "Set"):
            gkey = guid(group.get("guid"))
            if gkey in extra_clusters:
                continue
            fid.saw("sets")
            key = self.keys("set", group.get("guid"))
            name = group.get("name", "") or "Set"
            extra = extra_sets.get(gkey, {})
            if extra:
                members = [_payload_key(m) for m in extra.get("members", [])]
            else:
                refs = [m for m in group if local(m.tag) in ("MemberCode", "MemberSource", "MemberNote")]
                members = [
                    k for m in refs if (k := self.kinds.get(guid(m.get("targetGUID") or m.get("guid"))))
                ]
                if len(members) < len(refs):
                    fid.convert(
                        "sets",
                        _tail(key),
                        name,
                        f"{len(refs) - len(members)} of its {len(refs)} members left out: they were not "
                        "imported",
                    )
            self.result.groups.append(
                inc.Group(
                    key,
                    "set",
                    name,
                    members,
                    description=str(extra.get("description", _text(_child(group, "Description")))),
                    author=str(extra.get("author", "")),
                    created_at=extra.get("created_at"),
                    preferred_id=str(extra.get("id", "")),
                )
            )
            self.kinds.setdefault(gkey, key)
        for key, cluster in extra_clusters.items():
            fid.saw("clusters")
            self.result.groups.append(
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

    # -- links -----------------------------------------------------------------------------------------
    def _links(self) -> None:
        fid = self.fid
        extra_links = dict(self.extra("links"))
        for link in _children(_child(self.root, "Links"), "Link"):
            fid.saw("links")
            key = self.keys("link", link.get("guid"))
            name = link.get("name", "") or "related"
            extra = extra_links.pop(guid(link.get("guid")), {})
            if extra:
                self.result.links.append(_payload_link(_tail(key), extra))
                continue
            origin_key = self.kinds.get(guid(link.get("originGUID")))
            target_key = self.kinds.get(guid(link.get("targetGUID")))
            if origin_key is None or target_key is None:
                fid.drop("links", _tail(key), name, "one of its ends is not imported (or not in the file)")
                continue
            refs = [r.get("targetGUID") for r in _children(link, "NoteRef")]
            memo = self.kinds.get(guid(refs[0])) if refs else None
            self.result.links.append(
                inc.Link(
                    key,
                    origin_key,
                    target_key,
                    name,
                    DIRECTION.get((link.get("direction") or "").casefold(), "one-way"),
                    memo=memo,
                )
            )
        for (
            key,
            extra,
        ) in extra_links.items():  # links REFI-QDA could not carry (to records, participants, ...)
            fid.saw("links")
            self.result.links.append(_payload_link(guid(key), extra))

    # -- graphs -> notes -------------------------------------------------------------------------------
    def _graphs(self) -> None:
        fid = self.fid
        for graph in _children(_child(self.root, "Graphs"), "Graph"):
            fid.saw("graphs")
            key = self.keys("memo", f"graph-{graph.get('guid') or ''}")
            ident = guid(graph.get("guid")) or _tail(key)
            name = graph.get("name", "") or "Graph"
            vertices = _children(graph, "Vertex")
            edges = _children(graph, "Edge")
            names = {guid(v.get("guid")): v.get("name", "") or "(unnamed)" for v in vertices}
            links: list[str] = []
            lines = [
                f"Graph {name!r} from {self.origin or 'another program'}: Workbench has no graph view, so "
                "its shapes are listed here.",
                "",
                "Vertices:",
            ]
            for vertex in vertices:
                represented = self.kinds.get(guid(vertex.get("representedGUID")))
                line = f"- {names[guid(vertex.get('guid'))]}"
                if represented:
                    line += f" (represents {represented.partition(':')[0]} {self._label_of(represented)!r})"
                    if represented not in links:
                        links.append(represented)
                elif vertex.get("representedGUID"):
                    line += " (represents something not imported)"
                lines.append(line)
            if edges:
                lines += ["", "Edges:"]
                for edge in edges:
                    arrow = "<->" if (edge.get("direction") or "").casefold() == "bidirectional" else "->"
                    if (edge.get("direction") or "").casefold() == "associative":
                        arrow = "--"
                    source = names.get(guid(edge.get("sourceVertex")), "?")
                    target = names.get(guid(edge.get("targetVertex")), "?")
                    label = f" ({edge.get('name')})" if edge.get("name") else ""
                    lines.append(f"- {source} {arrow} {target}{label}")
            self.result.memos.append(
                inc.Memo(key, f"Graph: {name}", "\n".join(lines) + "\n", type="note", links=links)
            )
            self.fid.origin_of[key] = ("graphs", ident, name)
            fid.convert(
                "graphs",
                ident,
                name,
                f"Workbench has no graphs; kept as the note 'Graph: {name}' listing its "
                f"{_count(len(vertices), 'vertex', 'vertices')} and {_count(len(edges), 'edge', 'edges')}, "
                f"linked to the {_count(len(links), 'imported thing', 'imported things')} they represent",
            )

    def _label_of(self, key: str) -> str:
        if key in self.labels:
            return self.labels[key]
        for collection in (self.result.sources, self.result.memos, self.result.participants):
            for item in collection:
                if item.key == key:
                    return str(
                        getattr(item, "filename", "")
                        or getattr(item, "title", "")
                        or getattr(item, "pseudonym", "")
                    )
        return _tail(key)

    # -- the workbench's own plugin records -----------------------------------------------------------
    def _records(self) -> None:
        records = self.payload.get("records", []) if self.payload else []
        self.fid.saw("records", len(records))
        for record in records:
            self.result.records.append(
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


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _span(selection: ET.Element) -> Span:
    try:
        return Span(
            int(selection.get("startPosition", "")),
            int(selection.get("endPosition", "")),
            selection.get("name", "") or "",
        )
    except ValueError:
        return Span(-1, -1)


def _placeable(text: SourceText, spans: list[Span], convention: str) -> bool:
    return any(text.place(span, convention) is not None for span in spans)


def _rich_preference(preferred: str) -> str:
    """Word processors count a paragraph break as one character; keep the writer's UTF-16 habit."""
    return UTF16_CRLF1 if preferred in (UTF16, UTF16_CRLF1) else CODEPOINTS_CRLF1


def _counted(text: SourceText, convention: str, *, rich: bool) -> str:
    """How the writer counted, where it matters for this text: " (UTF-16 code units; CRLF as one)"."""
    parts = []
    if text.astral:
        unit = "UTF-16 code units" if convention.startswith("UTF-16") else "code points"
        parts.append(f"counted in {unit}")
    if text.crlf:
        breaks = "paragraph breaks" if rich else "CRLF line breaks"
        parts.append(f"{breaks} counted as {'one character' if 'CRLF as one' in convention else 'two'}")
    return f" ({'; '.join(parts)})" if parts else ""


def _variable_value(element: ET.Element) -> Any:
    """The JSON value of a ``<VariableValue>``; ValueError (with the reason) when it has none or a bad one."""
    for tag in ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"):
        found = _child(element, tag)
        if found is None:
            continue
        text = (found.text or "").strip()
        if tag == "BooleanValue":
            if text.casefold() not in ("true", "false", "1", "0"):
                raise ValueError(f"{text!r} is not a valid boolean")
            return text.casefold() in ("true", "1")
        if tag == "IntegerValue":
            try:
                return int(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a valid integer") from None
        if tag == "FloatValue":
            try:
                number = float(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a valid number") from None
            if not math.isfinite(number):
                raise ValueError(f"{text!r} is not a finite number")
            return number
        return (found.text or "") if tag == "TextValue" else text
    raise ValueError("has no value")


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


def _codes(
    container: ET.Element,
    extra_codes: dict[str, Any],
    fid: Fidelity | None = None,
    keys: Callable[[str, str | None], str] | None = None,
    kinds: dict[str, str] | None = None,
) -> list[inc.Code]:
    extras = {guid(k): v for k, v in extra_codes.items()}
    fid = fid if fid is not None else Fidelity()
    keys = keys if keys is not None else _Keys()
    out: list[inc.Code] = []

    def walk(element: ET.Element, parent: str | None) -> None:
        for code in _children(element, "Code"):
            fid.saw("codes")
            key = keys("code", code.get("guid"))
            extra = extras.get(guid(code.get("guid")), {})
            description = _text(_child(code, "Description"))
            if not extra and "[workbench:" in description:
                description = description.rsplit("[workbench:", 1)[0].rstrip()
            name = code.get("name", "") or ""
            label = clean_label(name)
            provenance = dict(extra.get("extra", {}))
            if not extra:
                if label != name.strip():
                    fid.convert(
                        "codes",
                        _tail(key),
                        name,
                        f"labels are one line of at most 200 characters; imported as {label!r}"
                        if name.strip()
                        else f"has no name; imported as {label!r}",
                    )
                if (code.get("isCodable") or "true").strip().casefold() in ("false", "0"):
                    fid.convert(
                        "codes",
                        _tail(key),
                        name,
                        "not codable in the file (a grouping code); imported as a code that can be applied",
                    )
                if code.get("color"):
                    provenance["color"] = code.get("color", "")
            out.append(
                inc.Code(
                    key,
                    label,
                    definition=str(extra.get("definition", description) or ""),
                    kind=str(extra.get("kind") or "constructed"),
                    level=str(extra.get("level") or ""),
                    parent=parent,
                    status=str(extra.get("status") or "active"),
                    created_by=str(extra.get("created_by") or ""),
                    created_at=extra.get("created_at"),
                    lineage=list(extra.get("lineage", [])),
                    extra=provenance,
                    preferred_id=str(extra.get("id", "")),
                )
            )
            if kinds is not None:
                kinds.setdefault(guid(code.get("guid")), key)
            walk(code, key)

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
            result.fidelity.convert(
                "codes", _tail(code.key), code.label, f"another code has this label; imported as {new!r}"
            )
            code.label = new
        seen.add(code.label.casefold())
    return seen


def _same_text(extra: dict[str, Any], text: str) -> bool:
    turns = extra.get("turns") or []
    return all(int(t.get("end", 0)) <= len(text) for t in turns)


def _note_targets(root: ET.Element) -> dict[str, list[str]]:
    """Note GUID -> keys of what refers to it through ``<NoteRef>`` (codes, sources, selections, codings)."""
    targets: dict[str, list[str]] = {}
    kinds = {"Code": "code", "TextSource": "source", "PlainTextSelection": "segment", "Coding": "coding"}
    # other kinds of source and selection are not imported: a note's reference to one is reported as lost
    kinds |= dict.fromkeys(OTHER_SOURCES, "source")
    kinds |= dict.fromkeys(
        ("PDFSelection", "PictureSelection", "AudioSelection", "VideoSelection"), "segment"
    )

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


def read_qdc(path: Path, data: bytes) -> inc.Incoming:
    """A REFI-QDA codebook: codes with hierarchy and descriptions, and sets of codes."""
    where = str(path)
    root = parse(data, where)
    if local(root.tag) != "CodeBook":
        raise BadInputError(f"a .qdc file has a <CodeBook> root, not <{local(root.tag)}>", where)
    result = inc.Incoming(title=path.stem, origin=root.get("origin", ""))
    fid = result.fidelity
    fid.file, fid.origin, fid.format = where, result.origin, "qdc"
    codes = _child(root, "Codes")
    if codes is None:
        raise BadInputError("the codebook has no <Codes>", where)
    keys = _Keys()
    result.codes = _codes(codes, {}, fid, keys)
    _unique_labels(result)
    known = {_tail(c.key): c.key for c in result.codes}
    for group in _children(_child(root, "Sets"), "Set"):
        fid.saw("sets")
        key = keys("set", group.get("guid"))
        name = group.get("name", "") or "Set"
        refs = _children(group, "MemberCode")
        members = [k for m in refs if (k := known.get(guid(m.get("guid") or m.get("targetGUID"))))]
        if len(members) < len(refs):
            fid.convert(
                "sets",
                _tail(key),
                name,
                f"{len(refs) - len(members)} member(s) name codes the codebook lacks",
            )
        result.groups.append(
            inc.Group(key, "set", name, members, description=_text(_child(group, "Description")))
        )
    return result
