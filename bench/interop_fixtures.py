# ruff: noqa: E501  (the tools' own SQL, kept one statement a line)
"""Other programs' projects written from the bench corpus, for the import routes of `bench/interop.py`.

The corpus is the store benchmark's (`bench/generate.py`: `make_corpus` and `draw_codings` with the same
seed), so each file holds the same transcripts, codes and codings as the generated project, in the
shape the importer plugins read and the tools themselves write:

* **QualCoder** (`plugins/wb_qualcoder`): a project folder ``NAME.qda`` with ``data.qda`` (QualCoder's
  own ``CREATE TABLE`` statements, database ``v11``, as `tests/interop/test_qualcoder.py` builds it) and
  an empty ``documents/``: every transcript a ``source`` with its ``fulltext``, a case per transcript
  (``cases``, ``case_text``) with one case attribute, every coding a ``code_text`` row at its character
  offsets. QualCoder codes hang under categories, not under codes, so each code with children gets a
  category ``LABEL (group)`` holding them (nested as the codes are): the import has one code more per
  such category.
* **Taguette** (`plugins/wb_taguette`): one ``.sqlite3`` (Taguette's tables at alembic revision
  ``db5e31a0233d``, as `tests/interop/test_taguette.py` builds them): a document per transcript as HTML,
  one ``<p>`` per paragraph; a tag per code with its ancestors' labels as a ``.`` path; a highlight per
  coded passage carrying the tags of every code on it, at Taguette's offsets (UTF-8 bytes of the text
  nodes), each made by a ``highlight_add`` command of the user ``bench``. Taguette keeps a paragraph a
  line, so the imported text has one line break where the transcript had a blank line.
* **qc** (`plugins/wb_qc`, qualitative-coding 1.7.8): ``settings.yaml``, ``codebook.yaml`` (the code
  tree), ``corpus/*.txt`` and qc's SQLite database (SQLAlchemy's tables, as in
  ``tests/interop/data/qc/qc-1.7.8``): documents with their SHA-1, paragraph locations, and a coded line
  for every line a coding touches (qc codes whole lines), once per line and code.

`expected` gives, for each route, what the import must give back: (code label, coded text) for every
coding, and how many codes and sources.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import itertools
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.generate import ACTOR, Corpus, coding_rng, draw_codings, make_corpus

# The two tools' schemas as the importers' tests state them (from each tool's own source): one copy.
from tests.interop.test_qualcoder import SCHEMA as QUALCODER_SCHEMA
from tests.interop.test_taguette import SCHEMA as TAGUETTE_SCHEMA

ROUTES = ("qualcoder", "taguette", "qc")
WHEN = "2026-12-07 10:00:00"
SITES = ("north", "south", "east")


TAGUETTE_REVISION = "db5e31a0233d"

QC_SCHEMA = [
    "CREATE TABLE document (file_path VARCHAR NOT NULL, file_hash VARCHAR NOT NULL, PRIMARY KEY (file_path))",
    "CREATE TABLE code (name VARCHAR NOT NULL, PRIMARY KEY (name))",
    "CREATE TABLE coder (name VARCHAR NOT NULL, PRIMARY KEY (name))",
    "CREATE TABLE document_index (id INTEGER NOT NULL, name VARCHAR NOT NULL, time_series BOOLEAN NOT NULL, document_id VARCHAR NOT NULL, PRIMARY KEY (id), UNIQUE (document_id, name), FOREIGN KEY(document_id) REFERENCES document (file_path))",
    "CREATE TABLE coded_line (id INTEGER NOT NULL, line INTEGER NOT NULL, coder_id VARCHAR NOT NULL, code_id VARCHAR NOT NULL, PRIMARY KEY (id), FOREIGN KEY(coder_id) REFERENCES coder (name), FOREIGN KEY(code_id) REFERENCES code (name))",
    "CREATE TABLE location (id INTEGER NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL, document_index_id INTEGER NOT NULL, PRIMARY KEY (id), CHECK (start_line <= end_line), FOREIGN KEY(document_index_id) REFERENCES document_index (id))",
    "CREATE TABLE coded_line_location_association (coded_line_id INTEGER NOT NULL, location_id INTEGER NOT NULL, PRIMARY KEY (coded_line_id, location_id), FOREIGN KEY(coded_line_id) REFERENCES coded_line (id), FOREIGN KEY(location_id) REFERENCES location (id))",
]
QC_DATABASE = "qualitative_coding.sqlite3"
QC_SETTINGS = """\
codebook: codebook.yaml
corpus_dir: corpus
database: qualitative_coding.sqlite3
log_file: qualitative_coding.log
memos_dir: memos
qc_version: 1.7.8
verbose: false
"""


@dataclass(frozen=True)
class Bench:
    """The corpus and codings (transcript index, start, end, code index) the generator draws for `seed`."""

    corpus: Corpus
    codings: list[tuple[int, int, int, int]]

    @classmethod
    def of(cls, transcripts: int, words: int, codes: int, codings: int, seed: int = 1) -> Bench:
        corpus = make_corpus(transcripts, words, codes, seed)
        return cls(corpus, draw_codings(corpus, codings, coding_rng(seed)))

    def parent_index(self) -> list[int | None]:
        index = {label: i for i, label in enumerate(self.corpus.code_labels)}
        return [None if p is None else index[p] for p in self.corpus.code_parents]


def _lines(text: str) -> list[tuple[int, int]]:
    """Each line's [start, end) in `text`, the line break left out (as qc counts lines, from 0)."""
    spans, start = [], 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        spans.append((start, end))
        start = end + 1
    return spans


def _qc_lines(bench: Bench) -> list[tuple[int, int, int]]:
    """(transcript, line, code) of every line a coding touches, once each, in coding order."""
    lines = [_lines(t.text) for t in bench.corpus.transcripts]
    starts = [[s for s, _ in spans] for spans in lines]
    seen: dict[tuple[int, int, int], None] = {}
    for t, start, end, code in bench.codings:
        first = bisect.bisect_right(starts[t], start) - 1
        for number in range(first, len(lines[t])):
            line_start, line_end = lines[t][number]
            if line_start >= end:
                break
            if line_end > start and line_end > line_start:
                seen.setdefault((t, number, code), None)
    return list(seen)


def _paragraphs(text: str) -> list[str]:
    return text.rstrip("\n").split("\n\n")


# --- QualCoder ---------------------------------------------------------------------------------------------


def write_qualcoder(bench: Bench, folder: Path) -> Path:
    """``folder`` (named ``*.qda``) as a QualCoder project; returns the folder."""
    folder.mkdir(parents=True)
    (folder / "documents").mkdir()
    db = sqlite3.connect(folder / "data.qda")
    for statement in QUALCODER_SCHEMA:
        db.execute(statement)
    db.execute("INSERT INTO project VALUES (?,?,?,?,?,?,?)", ("v11", WHEN, "", "QualCoder 3.5", 0, 0, ACTOR))
    corpus = bench.corpus
    db.executemany(
        "INSERT INTO source (id, name, fulltext, memo, owner, date) VALUES (?,?,?,'',?,?)",
        [(t + 1, tr.filename, tr.text, ACTOR, WHEN) for t, tr in enumerate(corpus.transcripts)],
    )
    db.executemany(
        "INSERT INTO cases VALUES (?,?,'',?,?)",
        [(t + 1, f"{tr.pseudonym} {t + 1:02d}", ACTOR, WHEN) for t, tr in enumerate(corpus.transcripts)],
    )
    db.executemany(
        "INSERT INTO case_text (caseid, fid, pos0, pos1, owner, date) VALUES (?,?,0,?,?,?)",
        [(t + 1, t + 1, len(tr.text), ACTOR, WHEN) for t, tr in enumerate(corpus.transcripts)],
    )
    db.execute("INSERT INTO attribute_type VALUES ('Site', ?, ?, '', 'case', 'character')", (WHEN, ACTOR))
    db.executemany(
        "INSERT INTO attribute (name, attr_type, value, id, date, owner) VALUES ('Site','case',?,?,?,?)",
        [(SITES[t % len(SITES)], t + 1, WHEN, ACTOR) for t in range(len(corpus.transcripts))],
    )
    parents = bench.parent_index()
    with_children = sorted({p for p in parents if p is not None})
    category = {code: number for number, code in enumerate(with_children, start=1)}

    def category_of(code: int) -> int | None:
        """The category a code sits in: its parent's."""
        parent = parents[code]
        return None if parent is None else category[parent]

    db.executemany(
        "INSERT INTO code_cat VALUES (?,?,?,?,'',?)",
        [
            (category[code], f"{corpus.code_labels[code]} (group)", ACTOR, WHEN, category_of(code))
            for code in with_children
        ],
    )
    db.executemany(
        "INSERT INTO code_name VALUES (?,?,'',?,?,?,'#cccccc')",
        [(code + 1, label, category_of(code), ACTOR, WHEN) for code, label in enumerate(corpus.code_labels)],
    )
    texts = [tr.text for tr in corpus.transcripts]
    db.executemany(
        "INSERT INTO code_text (ctid, cid, fid, seltext, pos0, pos1, owner, date, memo) VALUES (?,?,?,?,?,?,?,?,'')",
        [
            (number, code + 1, t + 1, texts[t][start:end], start, end, ACTOR, WHEN)
            for number, (t, start, end, code) in enumerate(bench.codings, start=1)
        ],
    )
    db.commit()
    db.close()
    return folder


# --- Taguette ------------------------------------------------------------------------------------------------


def _byte_marks(text: str) -> list[int]:
    """``marks[i]``: UTF-8 bytes of ``text[:i]`` (Taguette counts highlight offsets in bytes)."""
    return [0, *itertools.accumulate(len(ch.encode("utf-8")) for ch in text)]


def write_taguette(bench: Bench, file: Path) -> Path:
    """``file`` (``*.sqlite3``) as a Taguette project database; returns it."""
    file.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(file)
    for statement in TAGUETTE_SCHEMA:
        db.execute(statement)
    when = WHEN + ".000000"
    db.execute("INSERT INTO alembic_version VALUES (?)", (TAGUETTE_REVISION,))
    db.execute("INSERT INTO users (login, created, disabled) VALUES (?, ?, 0)", (ACTOR, when))
    db.execute("INSERT INTO projects VALUES (1, 'Synthetic benchmark study', '', ?)", (when,))
    db.execute("INSERT INTO project_members VALUES (1, ?, 'ADMIN')", (ACTOR,))
    corpus = bench.corpus
    # Per transcript: where each paragraph starts in the transcript, and the byte offsets of the text
    # nodes ("\n".join(paragraphs): the line break between two <p> is a text node Taguette counts too).
    starts: list[list[int]] = []
    marks: list[list[int]] = []
    documents = []
    for t, tr in enumerate(corpus.transcripts):
        paragraphs = _paragraphs(tr.text)
        starts.append(list(itertools.accumulate((len(p) + 2 for p in paragraphs[:-1]), initial=0)))
        marks.append(_byte_marks("\n".join(paragraphs)))
        contents = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
        documents.append((t + 1, tr.filename, "", tr.filename, when, 1, "LEFT_TO_RIGHT", contents))
    db.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?)", documents)
    parents = bench.parent_index()

    def path(code: int) -> str:
        parent = parents[code]
        label = corpus.code_labels[code]
        return label if parent is None else f"{path(parent)}.{label}"

    db.executemany(
        "INSERT INTO tags VALUES (?, 1, ?, '')", [(code + 1, path(code)) for code in range(len(parents))]
    )
    spans: dict[tuple[int, int, int], list[int]] = {}
    for t, start, end, code in bench.codings:
        spans.setdefault((t, start, end), []).append(code)
    highlights, links, commands = [], [], []
    for hid, ((t, start, end), codes) in enumerate(spans.items(), start=1):
        # a paragraph break ("\n\n") is one "\n" in the text nodes: shift by the paragraphs before
        first = marks[t][start - (bisect.bisect_right(starts[t], start) - 1)]
        last = marks[t][end - (bisect.bisect_right(starts[t], end - 1) - 1)]
        snippet = html.escape(corpus.transcripts[t].text[start:end], quote=False)
        highlights.append((hid, t + 1, first, last, snippet))
        links += [(hid, code + 1) for code in codes]
        payload = {"type": "highlight_add", "highlight_id": hid, "document_id": t + 1}
        payload |= {"start_offset": first, "end_offset": last, "tags": [code + 1 for code in codes]}
        commands.append((hid, when, ACTOR, 1, t + 1, json.dumps(payload)))
    db.executemany("INSERT INTO highlights VALUES (?,?,?,?,?)", highlights)
    db.executemany("INSERT INTO highlight_tags VALUES (?,?)", links)
    db.executemany("INSERT INTO commands VALUES (?,?,?,?,?,?)", commands)
    db.commit()
    db.close()
    return file


# --- qc ------------------------------------------------------------------------------------------------------


def write_qc(bench: Bench, folder: Path) -> Path:
    """``folder`` as a qc 1.7.8 project; returns its ``settings.yaml``."""
    corpus = bench.corpus
    (folder / "corpus").mkdir(parents=True)
    (folder / "memos").mkdir()
    (folder / "settings.yaml").write_text(QC_SETTINGS, encoding="utf-8")
    parents = bench.parent_index()
    children: dict[int | None, list[int]] = {}
    for code, parent in enumerate(parents):
        children.setdefault(parent, []).append(code)

    def node(code: int) -> object:
        label = corpus.code_labels[code]
        return {label: [node(c) for c in children[code]]} if code in children else label

    tree = [node(code) for code in children.get(None, [])]
    (folder / "codebook.yaml").write_text(
        yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    db = sqlite3.connect(folder / QC_DATABASE)
    for statement in QC_SCHEMA:
        db.execute(statement)
    location_of: list[list[int]] = []  # per transcript: line -> location id
    location_id = 0
    for t, tr in enumerate(corpus.transcripts):
        data = tr.text.encode("utf-8")
        (folder / "corpus" / tr.filename).write_bytes(data)
        db.execute("INSERT INTO document VALUES (?,?)", (tr.filename, hashlib.sha1(data).hexdigest()))
        db.execute("INSERT INTO document_index VALUES (?, 'paragraphs', 0, ?)", (t + 1, tr.filename))
        lines = _lines(tr.text)
        # qc's paragraphs: a run of lines up to the next line that follows a blank one
        paragraph_starts = [
            n for n, (s, e) in enumerate(lines) if s < e and (n == 0 or lines[n - 1][0] == lines[n - 1][1])
        ]
        ids: list[int] = []
        for first, stop in zip(paragraph_starts, [*paragraph_starts[1:], len(lines)], strict=True):
            location_id += 1
            db.execute("INSERT INTO location VALUES (?,?,?,?)", (location_id, first, stop, t + 1))
            ids += [location_id] * (stop - first)
        location_of.append(ids)
    coded = _qc_lines(bench)
    db.executemany("INSERT INTO code VALUES (?)", [(label,) for label in corpus.code_labels])
    db.execute("INSERT INTO coder VALUES (?)", (ACTOR,))
    db.executemany(
        "INSERT INTO coded_line VALUES (?,?,?,?)",
        [(n, line, ACTOR, corpus.code_labels[code]) for n, (_t, line, code) in enumerate(coded, start=1)],
    )
    db.executemany(
        "INSERT INTO coded_line_location_association VALUES (?,?)",
        [(n, location_of[t][line]) for n, (t, line, _code) in enumerate(coded, start=1)],
    )
    db.commit()
    db.close()
    return folder / "settings.yaml"


WRITERS = {"qualcoder": write_qualcoder, "taguette": write_taguette, "qc": write_qc}
#: Where each route's file goes in a scratch folder (what `workbench import DIR PATH` is given).
TARGETS = {"qualcoder": "study.qda", "taguette": "study.sqlite3", "qc": "qc-study"}


def write(route: str, bench: Bench, scratch: Path) -> Path:
    """Write `route`'s project under `scratch`; returns the path to import."""
    target = scratch / TARGETS[route]
    written = WRITERS[route](bench, target)
    return written if route != "qc" else written.parent


# --- what an import must give back ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    sources: int
    codes: int
    coded: Counter[tuple[str, str]]  # (code label, coded text) -> how many codings

    @property
    def codings(self) -> int:
        return sum(self.coded.values())


def expected(route: str, bench: Bench) -> Expected:
    corpus = bench.corpus
    labels, texts = corpus.code_labels, [tr.text for tr in corpus.transcripts]
    codes = len(labels)
    if route == "qc":
        lines = [_lines(text) for text in texts]
        coded = Counter(
            (labels[code], texts[t][slice(*lines[t][line])]) for t, line, code in _qc_lines(bench)
        )
    elif route == "taguette":
        coded = Counter(
            (labels[code], texts[t][start:end].replace("\n\n", "\n")) for t, start, end, code in bench.codings
        )
    else:
        coded = Counter((labels[code], texts[t][start:end]) for t, start, end, code in bench.codings)
        if route == "qualcoder":
            codes += len({p for p in bench.parent_index() if p is not None})  # the categories
    return Expected(len(texts), codes, coded)
