"""A synthetic .qdpx written the way NVivo for Mac 15 writes one (issue 19), built in code: made-up words.

What makes it "real": each TextSource's plain-text member is nearly empty (a BOM and a line break) and the
words are in the .docx its ``richTextPath`` names, positions count UTF-16 code units with a paragraph
break as one character; ``Sources/`` is capitalised and the archive carries ``sources/.root`` and a
member nothing refers to. Around that: a PDF source, a source with no text at all, an RTF-only source, a
plain-text source with a source variable, codes without selections (one not codable), a set, cases with
variables, notes, users (one unnamed, one idle), links and a graph; one selection lies outside its text.

`EXPECTED` is every figure the fidelity report must show for it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.interop.conftest import docx_bytes

ORIGIN = "NVivo for Mac 15.0.0"
U_ANA, U_NONAME, U_BO, U_IDLE = (f"0000000{n}-AAAA-4AAA-8AAA-00000000000{n}" for n in (1, 2, 3, 4))
C_JOY, C_FEAR, C_THEMES, C_HOPE = (f"C000000{n}-CCCC-4CCC-8CCC-00000000000{n}" for n in (1, 2, 3, 4))
V_AGE, V_ROLE, V_UNUSED = (f"V000000{n}-DDDD-4DDD-8DDD-00000000000{n}" for n in (1, 2, 3))
S_RICH, S_PDF, S_EMPTY, S_PLAIN, S_RTF = (
    f"5000000{n}-EEEE-4EEE-8EEE-00000000000{n}" for n in (1, 2, 3, 4, 5)
)
CASE_ALEX, CASE_SAM = "CA000001-FFFF-4FFF-8FFF-000000000001", "CA000002-FFFF-4FFF-8FFF-000000000002"
N_JOY, N_PDF = "N0000001-9999-4999-8999-000000000001", "N0000002-9999-4999-8999-000000000002"
SET, LINK_OK, LINK_PDF = (
    "5E700001-1111-4111-8111-000000000001",
    "11000001-2222-4222-8222-000000000001",
    "11000002-2222-4222-8222-000000000002",
)
GRAPH = "6A000001-3333-4333-8333-000000000001"

PARAGRAPHS = [
    "Interviewer: What was the first meeting like?",
    "Alex: Honestly I didn't want to go 😀 at first.",
    "Alex: Later it felt like home.",
]
#: What the import stores for the rich-text source: the paragraphs, LF between them.
RICH_TEXT = "\n".join(PARAGRAPHS)
PLAIN_TEXT = "Participant: We laughed a lot, even on bad days.\n"


def utf16_position(words: str) -> tuple[int, int]:
    """Where NVivo for Mac puts `words`: UTF-16 code units, a paragraph break counting one."""
    start = RICH_TEXT.index(words)
    before = len(RICH_TEXT[:start].encode("utf-16-le")) // 2
    return before, before + len(words.encode("utf-16-le")) // 2


def _selection(guid: str, words: str, coding_guid: str, user: str, code: str = C_JOY, extra: str = "") -> str:
    start, end = utf16_position(words)
    return f"""
      <PlainTextSelection guid="{guid}" name="{words}" startPosition="{start}" endPosition="{end}"
          creatingUser="{user}">{extra}
        <Coding guid="{coding_guid}" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding>
      </PlainTextSelection>"""


def project_qde() -> str:
    first = _selection(
        "A0000001-0000-4000-8000-000000000001",
        "first meeting",
        "B0000001-0000-4000-8000-000000000001",
        U_ANA,
        extra="<Description>Alex hesitates here.</Description>",
    )
    second = _selection(
        "A0000002-0000-4000-8000-000000000002",
        "felt like home",
        "B0000002-0000-4000-8000-000000000002",
        U_NONAME,
    )
    plain_start = PLAIN_TEXT.index("laughed a lot")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Peer support (NVivo)" origin="{ORIGIN}">
  <Users>
    <User guid="{U_ANA}" name="Ana"/>
    <User guid="{U_NONAME}"/>
    <User guid="{U_BO}" name="Bo"/>
    <User guid="{U_IDLE}" name="Idle"/>
  </Users>
  <CodeBook><Codes>
    <Code guid="{C_JOY}" name="Joy" isCodable="true" color="#FF0000"><NoteRef targetGUID="{N_JOY}"/></Code>
    <Code guid="{C_FEAR}" name="Fear" isCodable="true"/>
    <Code guid="{C_THEMES}" name="Themes" isCodable="false">
      <Code guid="{C_HOPE}" name="Hope" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{V_AGE}" name="Age" typeOfVariable="Integer"/>
    <Variable guid="{V_ROLE}" name="Role" typeOfVariable="Text"/>
    <Variable guid="{V_UNUSED}" name="Shift" typeOfVariable="Boolean"/>
  </Variables>
  <Cases>
    <Case guid="{CASE_ALEX}" name="Alex">
      <Description>Ward nurse</Description>
      <VariableValue><VariableRef targetGUID="{V_AGE}"/><IntegerValue>34</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{V_ROLE}"/><TextValue>nurse</TextValue></VariableValue>
      <SourceRef targetGUID="{S_RICH}"/>
    </Case>
    <Case guid="{CASE_SAM}" name="Sam">
      <VariableValue><VariableRef targetGUID="{V_AGE}"/><IntegerValue>forty</IntegerValue></VariableValue>
      <SourceRef targetGUID="{S_PDF}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{S_RICH}" name="Interview Alex" plainTextPath="internal://{S_RICH}.txt"
        richTextPath="internal://{S_RICH}.docx" creatingUser="{U_ANA}">{first}{second}
      <PlainTextSelection guid="A0000003-0000-4000-8000-000000000003" name="beyond" startPosition="5000"
          endPosition="5010" creatingUser="{U_ANA}">
        <Coding guid="B0000003-0000-4000-8000-000000000003" creatingUser="{U_ANA}">
          <CodeRef targetGUID="{C_JOY}"/></Coding>
      </PlainTextSelection>
      <Coding guid="B0000004-0000-4000-8000-000000000004" creatingUser="{U_ANA}">
        <CodeRef targetGUID="{C_HOPE}"/></Coding>
    </TextSource>
    <PDFSource guid="{S_PDF}" name="Scanned consent" path="internal://{S_PDF}.pdf">
      <PDFSelection guid="A0000005-0000-4000-8000-000000000005" page="1" firstX="1" firstY="1" secondX="9"
          secondY="9">
        <Coding guid="B0000005-0000-4000-8000-000000000005" creatingUser="{U_ANA}">
          <CodeRef targetGUID="{C_JOY}"/></Coding>
      </PDFSelection>
      <NoteRef targetGUID="{N_PDF}"/>
    </PDFSource>
    <TextSource guid="{S_EMPTY}" name="Blank transcript" plainTextPath="internal://{S_EMPTY}.txt">
      <PlainTextSelection guid="A0000006-0000-4000-8000-000000000006" startPosition="0" endPosition="4">
        <Coding guid="B0000006-0000-4000-8000-000000000006" creatingUser="{U_ANA}">
          <CodeRef targetGUID="{C_JOY}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="{S_PLAIN}" name="Focus group.txt" plainTextPath="internal://{S_PLAIN}.txt">
      <PlainTextSelection guid="A0000007-0000-4000-8000-000000000007" name="laughed a lot"
          startPosition="{plain_start}" endPosition="{plain_start + len("laughed a lot")}">
        <Coding guid="B0000007-0000-4000-8000-000000000007" creatingUser="{U_ANA}">
          <CodeRef targetGUID="{C_JOY}"/></Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="{V_ROLE}"/><TextValue>teacher</TextValue></VariableValue>
    </TextSource>
    <TextSource guid="{S_RTF}" name="Old notes" plainTextPath="internal://{S_RTF}.txt"
        richTextPath="internal://{S_RTF}.rtf"/>
  </Sources>
  <Notes>
    <Note guid="{N_JOY}" name="Memo on joy" creatingUser="{U_BO}">
      <PlainTextContent>Joy comes late in most interviews.</PlainTextContent>
    </Note>
    <Note guid="{N_PDF}" name="About the scan" creatingUser="{U_BO}">
      <PlainTextContent>Consent form, scanned.</PlainTextContent>
    </Note>
  </Notes>
  <Links>
    <Link guid="{LINK_OK}" name="tempers" direction="OneWay" originGUID="{C_JOY}" targetGUID="{C_FEAR}"/>
    <Link guid="{LINK_PDF}" name="seen in" direction="OneWay" originGUID="{C_JOY}" targetGUID="{S_PDF}"/>
  </Links>
  <Sets>
    <Set guid="{SET}" name="Key material">
      <MemberCode targetGUID="{C_JOY}"/>
      <MemberSource targetGUID="{S_RICH}"/>
      <MemberSource targetGUID="{S_PDF}"/>
    </Set>
  </Sets>
  <Graphs>
    <Graph guid="{GRAPH}" name="Early model">
      <Vertex guid="6B000001-3333-4333-8333-000000000001" representedGUID="{C_JOY}" name="Joy" firstX="0"
          firstY="0"/>
      <Vertex guid="6B000002-3333-4333-8333-000000000002" representedGUID="{C_FEAR}" name="Fear" firstX="9"
          firstY="0"/>
      <Edge guid="6C000001-3333-4333-8333-000000000001" sourceVertex="6B000001-3333-4333-8333-000000000001"
          targetVertex="6B000002-3333-4333-8333-000000000002" direction="OneWay" name="tempers"/>
    </Graph>
  </Graphs>
</Project>"""


def rich_docx() -> bytes:
    def build(document: object) -> None:
        for paragraph in PARAGRAPHS:
            document.add_paragraph(paragraph)  # type: ignore[attr-defined]

    return docx_bytes(build)


def members() -> dict[str, bytes]:
    return {
        "project.qde": project_qde().encode("utf-8"),
        f"Sources/{S_RICH}.txt": b"\xef\xbb\xbf\r\n",  # NVivo for Mac: a BOM and a line break, no words
        f"Sources/{S_RICH}.docx": rich_docx(),
        f"Sources/{S_PDF}.pdf": b"%PDF-1.4\n% made-up\n",
        f"Sources/{S_EMPTY}.txt": b"  \n",
        f"Sources/{S_PLAIN}.txt": PLAIN_TEXT.encode("utf-8"),
        f"Sources/{S_RTF}.txt": b"",
        f"Sources/{S_RTF}.rtf": b"{\\rtf1\\ansi Old notes.}",
        "sources/.root": b"",
        "Sources/ORPHAN.txt": b"nobody refers to me",
    }


def write_qdpx(path: Path, files: dict[str, bytes] | None = None) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (files if files is not None else members()).items():
            archive.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


#: element -> (found, imported, converted, dropped)
EXPECTED = {
    "project": (1, 1, 0, 0),
    "sources": (5, 2, 1, 3),  # rich text (converted) and plain text in; PDF, blank and RTF-only out
    "selections": (6, 3, 2, 3),  # two placed in the rich text; outside the text, in the PDF, in the blank
    "codings": (7, 4, 1, 3),  # the whole-source coding is converted; three go with their selections
    "codes": (4, 4, 1, 0),  # "Themes" is not codable
    "notes": (2, 2, 1, 0),  # the note on the PDF loses its link
    "cases": (2, 2, 1, 0),  # Alex's description becomes an attribute
    "variables": (5, 3, 1, 2),  # 4 values + 1 unused variable; "forty" is no integer; a source's value
    "sets": (1, 1, 1, 0),  # loses the PDF
    "links": (2, 1, 0, 1),
    "users": (4, 3, 1, 1),  # one without a name; "Idle" made nothing
    "graphs": (1, 1, 1, 0),
    "members": (10, 7, 0, 3),  # the PDF, sources/.root and an orphan are not used
}
