"""Every import path applies the input policy (issue 24): what it strips is named, nothing unsafe is stored.

Another tool's file cannot be fixed field by field, so REFI-QDA projects and codebooks, workbench
archives, coders' copies and transcript files' notes have their unsafe characters removed (a transcript
inside a project has each one replaced one for one, so anchors still fit) and the import report names
each field. A transcript file added on its own is refused with its line and column, as before, and a
refusal changes nothing. XML 1.0 cannot hold C0 controls, so the REFI-QDA XML carries C1 controls and bidi
overrides; the plain-text members and the workbench's JSON payload carry ESC sequences.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from wb_interop.project_import import import_file

from tests.cli.conftest import tree_digest
from tests.cli_inprocess import invoke
from tests.interop.conftest import docx_bytes
from workbench.core.project import Project
from workbench.core.untrusted import UNSAFE, unsafe_strings

CSI = "\x9b2J"  # C1 control sequence introducer: clear screen in one character
OSC = "\x9d0;owned\x9c"  # C1 operating system command: set the window title
RLO = "\u202e"
ESC_TITLE = "\x1b]0;owned\x07"
ESC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"

U1 = "088B08AC-D5CD-4ADB-8B71-B4F3459C177F"
CODE = "1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294"
SRC = "69A4332D-5B31-4915-B520-000000000001"
CASE = "69A4332D-5B31-4915-B520-0000000000CA"
NOTE = "69A4332D-5B31-4915-B520-00000000000E"

TEXT = f"Interviewer: How was it?\nAlex: It was {ESC_TITLE}hard at first, then it got better.\n"
WORDS = "then it got better"


def xml(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def qdpx(tmp_path: Path, *, text: str = TEXT, name: str = "study.qdpx") -> Path:
    start = text.index(WORDS)
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="{xml("Peer" + OSC + " study")}" origin="QualCoder 3.5">
  <Users><User guid="{U1}" name="{xml("Coder" + CSI + " One")}"/></Users>
  <CodeBook><Codes>
    <Code guid="{CODE}" name="{xml("Getting " + RLO + "better")}" isCodable="true">
      <Description>{xml("Things improving" + CSI)}</Description>
    </Code>
  </Codes></CodeBook>
  <Cases><Case guid="{CASE}" name="{xml("Alex" + RLO)}"><SourceRef targetGUID="{SRC}"/></Case></Cases>
  <Sources>
    <TextSource guid="{SRC}" name="{xml("Interview" + OSC + " 1")}" plainTextPath="internal://{SRC}.txt">
      <PlainTextSelection guid="AAAAAAAA-0000-0000-0000-000000000001" startPosition="{start}"
          endPosition="{start + len(WORDS)}" creatingUser="{U1}">
        <Coding guid="AAAAAAAA-0000-0000-0000-000000000002" creatingUser="{U1}">
          <CodeRef targetGUID="{CODE}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{NOTE}" name="{xml("Memo" + CSI)}" creatingUser="{U1}">
      <PlainTextContent>{xml("A body" + OSC + " with " + RLO + "tricks")}</PlainTextContent>
    </Note>
  </Notes>
</Project>"""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        archive.writestr(f"sources/{SRC}.txt", text.encode("utf-8"))
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def stored_unsafe(directory: Path) -> list[tuple[str, str]]:
    """Every unsafe string in every stored document (transcript texts included)."""
    with Project.open(directory, readonly=True) as project:
        found = list(unsafe_strings(dict(project.meta), "project"))
        for table in ("participants", "sources", "codes", "codings", "memos", "segments", "texts", "records"):
            for doc in project.rows(table):
                found += [(f"{table} {path}", value) for path, value in unsafe_strings(doc)]
    return found


# -- REFI-QDA projects -----------------------------------------------------------------------------------
def test_a_hostile_qdpx_imports_with_nothing_unsafe_stored(tmp_path: Path) -> None:
    import_file(tmp_path / "new", qdpx(tmp_path))
    assert stored_unsafe(tmp_path / "new") == []


def test_the_import_report_names_every_field_it_cleaned(tmp_path: Path) -> None:
    notes = " | ".join(import_file(tmp_path / "new", qdpx(tmp_path))["notes"])
    for field in ("project name", "code 'Getting better' label", "definition", "memo", "coder", "pseudonym"):
        assert field in notes, field
    assert "removed control character U+009B (CSI)" in notes
    assert "removed bidirectional control U+202E (right-to-left override)" in notes


def test_one_user_name_on_many_codings_is_reported_once_with_a_count(tmp_path: Path) -> None:
    notes = import_file(tmp_path / "new", qdpx(tmp_path))["notes"]
    assert len([n for n in notes if "coder" in n and "U+009B" in n]) == 1


def test_cleaned_fields_keep_their_words(tmp_path: Path) -> None:
    import_file(tmp_path / "new", qdpx(tmp_path))
    with Project.open(tmp_path / "new", readonly=True) as project:
        assert project.title == "Peer study"
        assert [c["label"] for c in project.codes()] == ["Getting better"]
        assert project.codes()[0]["definition"] == "Things improving"
        (memo,) = project.rows("memos")
        assert (memo["title"], memo["body"]) == ("Memo", "A body with tricks")
        assert {c["coder"] for c in project.rows("codings")} == {"Coder One"}


def test_a_transcripts_escape_becomes_replacement_marks_one_for_one_so_anchors_still_fit(
    tmp_path: Path,
) -> None:
    report = import_file(tmp_path / "new", qdpx(tmp_path))
    assert any("text: 2 unsafe characters replaced by U+FFFD (anchors kept)" in n for n in report["notes"])
    with Project.open(tmp_path / "new", readonly=True) as project:
        (segment,) = project.rows("segments")
        text = project.text_record(segment["version_id"]).text
        assert text[segment["start"] : segment["end"]] == WORDS
        assert "\ufffd]0;owned\ufffd" in text and len(text) == len(TEXT)


def test_a_hostile_qdpx_into_an_existing_project_is_cleaned_and_undoable(tmp_path: Path) -> None:
    with Project.create(tmp_path / "existing", "Existing") as project:
        project.create_code("Keep me")
    report = import_file(tmp_path / "existing", qdpx(tmp_path))
    assert not report["new"] and report["notes"]
    assert stored_unsafe(tmp_path / "existing") == []
    with Project.open(tmp_path / "existing") as project:
        project.undo()
        assert [c["label"] for c in project.codes()] == ["Keep me"]


def test_the_workbench_payload_json_carrying_esc_sequences_is_cleaned(tmp_path: Path) -> None:
    """The workbench's own extension (JSON in the project's Description) can hold any character."""
    with Project.create(tmp_path / "src", "Payload") as project:
        (tmp_path / "t.txt").write_text("Interviewer: Hi.\nAlex: Hello there.\n", encoding="utf-8")
        from workbench.cli.main import read_transcript

        _path, _importer, imported = read_transcript(str(tmp_path / "t.txt"))
        project.add_source(imported, "t.txt", pseudonym="Alex")
    invoke("export", str(tmp_path / "src"), "qdpx", "-o", str(tmp_path / "p.qdpx"))
    data = _rewrite_payload(
        tmp_path / "p.qdpx",
        lambda payload: payload["participants"][next(iter(payload["participants"]))].update(
            pseudonym="Al" + ESC_CLIPBOARD + "ex", attributes={"group" + RLO: "peer" + ESC_TITLE}
        ),
    )
    report = import_file(tmp_path / "new", data)
    assert stored_unsafe(tmp_path / "new") == []
    with Project.open(tmp_path / "new", readonly=True) as project:
        (person,) = project.rows("participants")
        assert person["pseudonym"] == "Alex" and person["attributes"] == {"group": "peer"}
    notes = " | ".join(report["notes"])
    assert "pseudonym: removed control character U+001B (ESC)" in notes
    assert "attributes key" in notes


def _rewrite_payload(path: Path, change: object) -> Path:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    qde = members["project.qde"].decode("utf-8")
    head, marker, rest = qde.rpartition("qual-workbench-payload:\n")
    body, tail = rest.split("</Description>", 1)
    payload = json.loads(html.unescape(body))
    change(payload)  # type: ignore[operator]
    body = html.escape(json.dumps(payload), quote=False)
    members["project.qde"] = f"{head}{marker}{body}</Description>{tail}".encode()
    out = path.with_name("rewritten.qdpx")
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def test_a_qde_with_a_c0_character_reference_is_refused_in_one_line(tmp_path: Path) -> None:
    """XML 1.0 forbids `&#x1b;`; the parser's refusal is the import's, not an internal error."""
    path = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "project.qde",
            '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="a&#x1b;]0;x&#x7;"/>',
        )
    result = invoke("import", str(tmp_path / "new"), str(path), ok=False)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "bad.qdpx" in result.err and not (tmp_path / "new").exists()


def test_a_hostile_codebook_is_cleaned(tmp_path: Path) -> None:
    qdc = tmp_path / "codes.qdc"
    qdc.write_text(
        f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022"><Codes>
  <Code guid="{CODE}" name="{xml("Hope" + CSI)}" isCodable="true">
    <Description>{xml(RLO + "d")}</Description>
  </Code>
</Codes></CodeBook>""",
        encoding="utf-8",
    )
    report = import_file(tmp_path / "cb", qdc)
    assert stored_unsafe(tmp_path / "cb") == []
    assert any("code 'Hope' label: removed control character U+009B" in n for n in report["notes"])


def test_the_cli_import_prints_the_cleaned_fields_escaped_and_json_lists_them(tmp_path: Path) -> None:
    plain = invoke("import", str(tmp_path / "a"), str(qdpx(tmp_path)))
    assert UNSAFE.search(plain.out + plain.err) is None
    assert "removed control character U+009B (CSI)" in plain.out + plain.err
    data = json.loads(invoke("import", str(tmp_path / "b"), str(qdpx(tmp_path)), "--json").out)
    assert any("U+202E" in note for note in data["notes"])


# -- workbench archives ----------------------------------------------------------------------------------
def _archive(tmp_path: Path) -> Path:
    with Project.create(tmp_path / "orig", "Original") as project:
        (tmp_path / "t.txt").write_text("Interviewer: Hi.\nAlex: Hello there.\n", encoding="utf-8")
        from workbench.cli.main import read_transcript

        _path, _importer, imported = read_transcript(str(tmp_path / "t.txt"))
        project.add_source(imported, "t.txt", pseudonym="Alex")
        project.write_memo("A memo", "Its body")
    out = tmp_path / "orig.wbz"
    invoke("export", str(tmp_path / "orig"), "archive", "-o", str(out))
    return out


def _tamper(path: Path, member_suffix: str, change: object) -> Path:
    """Rewrite one member of an archive and its manifest hash, as an attacker with a text editor would."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    name = next(n for n in members if n.endswith(member_suffix))
    members[name] = change(members[name])  # type: ignore[operator]
    manifest = json.loads(members["manifest.json"])
    manifest["files"][name] = hashlib.sha256(members[name]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    out = path.with_name("tampered" + path.suffix)
    with zipfile.ZipFile(out, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return out


def test_an_archive_with_hostile_fields_restores_cleaned_and_names_them(tmp_path: Path) -> None:
    def change(data: bytes) -> bytes:
        docs = json.loads(data)
        docs[0]["title"] = "A memo" + ESC_TITLE
        docs[0]["body"] = "Its" + ESC_CLIPBOARD + " body"
        return json.dumps(docs).encode()

    tampered = _tamper(_archive(tmp_path), "project/memos.json", change)
    report = import_file(tmp_path / "restored", tampered)
    assert stored_unsafe(tmp_path / "restored") == []
    notes = " | ".join(report["notes"])
    assert "memo M1 title: removed control character U+001B (ESC)" in notes
    assert "memo M1 body" in notes
    with Project.open(tmp_path / "restored", readonly=True) as project:
        (memo,) = project.rows("memos")
        assert (memo["title"], memo["body"]) == ("A memo", "Its body")


def test_an_archive_whose_transcript_holds_an_escape_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    tampered = _tamper(_archive(tmp_path), ".txt", lambda data: data.replace(b"Hello", b"\x1b[2JHi!!"))
    result = invoke("import", str(tmp_path / "restored"), str(tampered), ok=False)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "control character U+001B (ESC) at line 2" in result.err
    assert not (tmp_path / "restored").exists()


# -- transcript files (docx, vtt) ------------------------------------------------------------------------
def _docx_with_comment(author: str, comment: str, body: str = "Alex: It was hard.") -> bytes:
    def build(document: object) -> None:
        paragraph = document.add_paragraph(body)  # type: ignore[attr-defined]
        document.add_comment(paragraph.runs, text=comment, author=author)  # type: ignore[attr-defined]

    return docx_bytes(build)


def test_a_docx_comments_hostile_author_and_text_are_cleaned_and_warned(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    invoke("new", str(tmp_path / "p"), "--title", "P")
    file = tmp_path / "t.docx"
    try:
        file.write_bytes(_docx_with_comment("Tran" + OSC + "scriber", "inaudible" + RLO))
    except AttributeError:
        pytest.skip("this python-docx cannot write comments")
    result = invoke("add", str(tmp_path / "p"), str(file), "--json")
    assert stored_unsafe(tmp_path / "p") == []
    (row,) = json.loads(result.out)
    assert any("transcriber note" in w and "U+009D (OSC)" in w for w in row["warnings"])
    with Project.open(tmp_path / "p", readonly=True) as project:
        (memo,) = project.rows("memos")
        assert "(Transcriber)" in memo["title"] and memo["body"].endswith("inaudible")


def test_an_odt_annotations_hostile_text_is_cleaned_and_warned(tmp_path: Path) -> None:
    from tests.interop.test_odt_import import _odt

    invoke("new", str(tmp_path / "p"), "--title", "P")
    file = tmp_path / "t.odt"
    file.write_bytes(_odt(["Alex: It was hard."], note="unclear" + RLO + " here"))
    (row,) = json.loads(invoke("add", str(tmp_path / "p"), str(file), "--json").out)
    assert any("transcriber note" in w and "U+202E (right-to-left override)" in w for w in row["warnings"])
    assert stored_unsafe(tmp_path / "p") == []


HOSTILE_FILES = {
    "bad.vtt": f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Al{ESC_TITLE}ex>Hello\n",
    "bad.srt": f"1\n00:00:01,000 --> 00:00:02,000\nAlex: Hel{ESC_CLIPBOARD}lo\n",
    "bad.txt": f"Interviewer: Hi.\nAlex: Hel{ESC_CLIPBOARD}lo\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_a_transcript_file_with_an_escape_is_refused_before_any_file_is_added(
    tmp_path: Path, name: str
) -> None:
    invoke("new", str(tmp_path / "p"), "--title", "P")
    good = tmp_path / "good.txt"
    good.write_text("Alex: Fine.\n", encoding="utf-8")
    bad = tmp_path / name
    bad.write_text(HOSTILE_FILES[name], encoding="utf-8")
    before = tree_digest(tmp_path / "p")
    result = invoke("add", str(tmp_path / "p"), str(good), str(bad), ok=False)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert name in result.err and "U+001B (ESC)" in result.err
    assert tree_digest(tmp_path / "p") == before


# -- coders' copies (team merge) -------------------------------------------------------------------------
def test_merging_a_coders_copy_cleans_its_memos_and_coder_names_and_reports_them(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Interviewer: Hi.\nAlex: Hello there, it was hard.\n", encoding="utf-8")
    invoke("new", str(tmp_path / "ours"), "--title", "Ours")
    invoke("add", str(tmp_path / "ours"), str(tmp_path / "t.txt"))
    shutil.copytree(tmp_path / "ours", tmp_path / "theirs")
    with Project.open(tmp_path / "theirs") as theirs:
        theirs.code("S1", 17, 28, "Hard times", coder="Sam")
        theirs.write_memo("Their memo", "Body")
    # An older version (or a hand edit) let unsafe text into their copy's documents.
    _plant(tmp_path / "theirs", "memos", "title", "Their memo" + ESC_TITLE)
    _plant(tmp_path / "theirs", "codings", "coder", "Sam" + CSI)
    result = invoke("icr", "merge", str(tmp_path / "ours"), str(tmp_path / "theirs"), "--json")
    data = json.loads(result.out)
    assert data["memos_added"] == 1 and data["codings_added"] == 1
    assert stored_unsafe(tmp_path / "ours") == []
    stripped = " | ".join(data["stripped"])
    assert "memo M1 title: removed control character U+001B (ESC)" in stripped
    assert "coder: removed control character U+009B (CSI)" in stripped


def _plant(directory: Path, table: str, field: str, value: str) -> None:
    """Write `value` into the first document of `table` behind the policy's back (a legacy project)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("workbench.core.project.refuse_unsafe_text", lambda changes: None)
        with Project.open(directory) as project:
            doc = sorted(project.rows(table), key=lambda d: str(d["id"]))[0]
            with project._operation("legacy.write", "project", "older version") as tx:
                tx.put(table, doc["id"], {**doc, field: value})
