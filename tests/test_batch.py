"""`workbench batch DIR FILE|-`: a JSON-lines file of operations in one open, all or nothing, one audit
event per operation, one undo step for the whole batch, and one line naming the first bad line."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.benchsmoke import small_report
from tests.cli.conftest import TRANSCRIPT, WORKBENCH, tree_digest
from tests.cli_inprocess import invoke, run_cli
from workbench.core.batch import apply_batch, read_operations
from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.project import OperationEvent, Project
from workbench.core.store.store import JOURNAL

PHRASE = "she knows what the nights are like"
START = TRANSCRIPT.index(PHRASE)
CHARS = f"{START}:{START + len(PHRASE)}"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A project with one imported transcript (S1, participant P01 'Alex'), made in this process."""
    directory, transcript = tmp_path / "study", tmp_path / "p01.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    run_cli("new", str(directory), "--title", "Peer support", "--method", "gt")
    run_cli("add", str(directory), str(transcript), "--participant", "P01", "--pseudonym", "Alex")
    return directory


def lines(*ops: dict[str, Any] | str) -> str:
    return "".join((op if isinstance(op, str) else json.dumps(op)) + "\n" for op in ops)


def batch_file(tmp_path: Path, *ops: dict[str, Any] | str, name: str = "ops.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(lines(*ops), encoding="utf-8")
    return path


def state(directory: Path) -> dict[str, Any]:
    """The analytic tables, as read back: what a batch and its undo change."""
    with Project.open(directory, readonly=True) as project:
        return {
            table: project.store.all(table)
            for table in ("participants", "codes", "segments", "codings", "memos", "snapshots")
        }


def audit_actions(directory: Path) -> list[str]:
    with Project.open(directory, readonly=True) as project:
        return [event["action"] for event in project.audit_events()]


def code_of(directory: Path, label: str) -> dict[str, Any]:
    with Project.open(directory, readonly=True) as project:
        found = project.find_code(label, active_only=False)
        assert found is not None, label
        return found


EVERY_OP = (
    {"op": "codebook", "action": "create", "args": ["Trust"], "kind": "a-priori", "level": "focused"},
    {"op": "codebook", "action": "create", "args": ["Hope"], "parent": "Trust"},
    {"op": "code", "source": "S1", "lines": "3-4", "label": "Reluctance", "coder": "bea", "memo": "doubt"},
    {"op": "code", "source": "S1", "chars": CHARS, "label": "Trust", "kind": None},
    {"op": "code", "source": "S1", "chars": CHARS, "label": "Being known"},
    {"op": "uncode", "source": "S1", "chars": CHARS, "label": "Being known"},
    {"op": "memo", "title": "On trust", "body": "It grows.", "link": ["S1", "Trust"], "type": "theoretical"},
    {"op": "codebook", "action": "rename", "args": ["Reluctance", "Holding back"]},
    {"op": "codebook", "action": "redefine", "args": ["Holding back", "Not wanting to engage at first"]},
    {"op": "codebook", "action": "move", "args": ["Hope"]},
    {"op": "codebook", "action": "level", "args": ["Hope", "theoretical"]},
    {"op": "codebook", "action": "create", "args": ["Spare"]},
    {"op": "codebook", "action": "retire", "args": ["Spare"]},
    {"op": "codebook", "action": "create", "args": ["Odd one"]},
    {"op": "codebook", "action": "merge", "args": ["Odd one", "Hope", "Hope and more"]},
    {"op": "codebook", "action": "split", "args": ["Trust", "K2=Felt trust"]},
    {"op": "codebook", "action": "snapshot", "args": ["after the batch"]},
    {"op": "participant", "id": "P01", "pseudonym": "Sam", "attr": ["group=peer", "age=30-39"]},
)
EVERY_ACTION = [
    "code.create",
    "code.create",
    "coding.add",
    "coding.add",
    "coding.add",
    "coding.remove",
    "memo.create",
    "code.rename",
    "code.redefine",
    "code.move",
    "code.level",
    "code.create",
    "code.retire",
    "code.create",
    "code.merge",
    "code.split",
    "codebook.snapshot",
    "participant.update",
]


# -- each op, as its CLI command does it -----------------------------------------------------------------
def test_every_op_applies_as_its_command_does(study: Path, tmp_path: Path) -> None:
    out = run_cli("batch", str(study), str(batch_file(tmp_path, *EVERY_OP)))
    assert out.startswith(f"applied {len(EVERY_OP)} operations from ")
    with Project.open(study, readonly=True) as project:
        assert [(c.label, c.segments) for c in project.code_tree()] == [
            ("Being known", 0),  # made by its `code` line, then uncoded: the code stays, as with the CLI
            ("Felt trust", 1),  # Trust's one coding, split away
            ("Holding back", 1),
            ("Hope and more", 0),
        ]
        codings = project.store.all("codings")
        (back,) = [k for k in codings.values() if k["coder"] == "bea"]
        assert back["unit"] == "line" and back["code_id"] == code_of(study, "Holding back")["id"]
        assert len(codings) == 2  # "Being known" was coded, then uncoded
        memos = {m["title"]: m for m in project.rows("memos")}
        assert memos["On trust"]["type"] == "theoretical"
        trust = code_of(study, "Trust")["id"]
        assert memos["On trust"]["links"] == ["source:S1", f"code:{trust}"]
        assert memos["Reluctance @ S1"]["body"] == "doubt"  # `code --memo`
        assert project.get("participants", "P01") == {
            "id": "P01",
            "pseudonym": "Sam",
            "attributes": {"group": "peer", "age": "30-39"},
            "status": "active",
        }
        (snapshot,) = project.rows("snapshots")[-1:]
        assert snapshot["label"] == "after the batch"
    assert code_of(study, "Trust")["kind"] == "a-priori" and code_of(study, "Trust")["level"] == "focused"
    assert code_of(study, "Holding back")["definition"] == "Not wanting to engage at first"
    assert code_of(study, "Spare")["status"] == "retired"
    assert code_of(study, "Hope")["status"] == "merged"
    assert code_of(study, "Hope")["level"] == "theoretical"  # set before the merge
    assert code_of(study, "Trust")["status"] == "split"
    assert code_of(study, "Felt trust")["parent_id"] is None  # split keeps Trust's (top) parent
    assert "ok:" in run_cli("check", str(study))


def test_a_line_sees_what_the_lines_before_it_did(study: Path, tmp_path: Path) -> None:
    """A code made by line 1 is coded by line 2, and line 3 splits the coding line 2 made (K1)."""
    ops = (
        {"op": "codebook", "action": "create", "args": ["Trust"]},
        {"op": "code", "source": "S1", "chars": CHARS, "label": "Trust"},
        {"op": "codebook", "action": "split", "args": ["Trust", "K1=Earned trust"]},
    )
    run_cli("batch", str(study), str(batch_file(tmp_path, *ops)))
    with Project.open(study, readonly=True) as project:
        (segment,) = project.coded_segments("Earned trust")
        assert (segment.coding_id, segment.text) == ("K1", PHRASE)


def test_json_prints_the_count_of_each_op_and_every_lines_result(study: Path, tmp_path: Path) -> None:
    ops = (
        {"op": "code", "source": "S1", "chars": CHARS, "label": "Trust"},
        {"op": "codebook", "action": "create", "args": ["Hope"]},
        {"op": "memo", "title": "T", "body": "B", "link": "Hope"},
    )
    out = json.loads(run_cli("batch", str(study), str(batch_file(tmp_path, *ops)), "--json"))
    assert out["applied"] == 3
    assert out["operations"] == {"code": 1, "codebook create": 1, "memo": 1}
    assert out["results"] == [
        {"line": 1, "op": "code", "result": "K1"},
        {"line": 2, "op": "codebook create", "result": "C2"},
        {"line": 3, "op": "memo", "result": "M1"},
    ]
    assert out["undo"].startswith("batch of 3 operations from ops.jsonl")


# -- audit and undo -------------------------------------------------------------------------------------
def test_each_operation_is_one_audit_event_and_the_chain_holds(study: Path, tmp_path: Path) -> None:
    before = audit_actions(study)
    run_cli("batch", str(study), str(batch_file(tmp_path, *EVERY_OP)))
    after = audit_actions(study)
    assert after[: len(before)] == before
    assert after[len(before) :] == EVERY_ACTION
    assert "chain intact" in run_cli("audit", "verify", str(study))


def test_one_undo_takes_the_whole_batch_back_and_redo_puts_it_back(study: Path, tmp_path: Path) -> None:
    run_cli("memo", str(study), "--title", "Earlier", "--body", "before the batch")
    before = state(study)
    run_cli("batch", str(study), str(batch_file(tmp_path, *EVERY_OP)))
    applied = state(study)
    out = run_cli("undo", str(study))
    assert out.startswith(
        f"undone: batch of {len(EVERY_OP)} operations from ops.jsonl (codebook create 4, code 3,"
    )
    assert state(study) == before
    assert audit_actions(study)[-1] == "undo"  # the undo is one event too
    assert run_cli("redo", str(study)).startswith("redone: batch of")
    assert state(study) == applied
    run_cli("undo", str(study))
    assert run_cli("undo", str(study)) == "undone: memo 'Earlier'\n"  # the history before it is intact
    assert "ok:" in run_cli("check", str(study))


def test_a_batch_clears_the_redo_stack_as_any_operation_does(study: Path, tmp_path: Path) -> None:
    run_cli("code", str(study), "S1", "--lines", "3-4", "Earlier")
    run_cli("undo", str(study))
    run_cli("batch", str(study), str(batch_file(tmp_path, EVERY_OP[3])))
    assert invoke("redo", str(study), ok=False).err == "workbench: error: nothing to redo\n"


# -- all or nothing ---------------------------------------------------------------------------------------
GOOD = (
    {"op": "codebook", "action": "create", "args": ["Trust"]},
    {"op": "code", "source": "S1", "chars": CHARS, "label": "Trust"},
    {"op": "memo", "title": "T", "body": "B"},
)

BAD_LINES = [
    ("{not json", 2, "line 4: not JSON (Expecting property name enclosed in double quotes at column 2)"),
    ('["code"]', 2, 'line 4: expected a JSON object such as {"op": "code", ...}, got a list'),
    ('{"source": "S1"}', 2, 'line 4: no "op" field; give one of code, uncode, memo, codebook, participant'),
    ('{"op": "recode"}', 2, "line 4: unknown op 'recode'; ops are code, uncode, memo, codebook, participant"),
    (
        {"op": "code", "source": "S1", "chars": CHARS, "label": "X", "colour": "red"},
        2,
        "line 4: code: unknown field 'colour'; code takes source, label, lines, chars, coder, memo, kind",
    ),
    ({"op": "code", "source": "S1", "chars": CHARS}, 2, "line 4: code: 'label' is required"),
    ({"op": "code", "source": "S1", "label": "X"}, 2, 'line 4: code: give one of "lines" ("A-B")'),
    ({"op": "code", "source": "S1", "chars": 5, "label": "X"}, 2, "line 4: code: 'chars' must be a string"),
    ({"op": "memo", "title": "T", "body": "B", "link": [1]}, 2, "line 4: memo: 'link' must be a list of"),
    ('{"op": "memo", "title": "T", "title": "U", "body": "B"}', 2, "line 4: field 'title' is given twice"),
    ({"op": "code", "source": "S1", "chars": CHARS, "label": "X", "kind": "odd"}, 2, "unknown kind 'odd'"),
    ({"op": "codebook", "action": "lineage", "args": ["Trust"]}, 2, "line 4: codebook: unknown action"),
    ({"op": "codebook", "action": "rename", "args": ["Trust"]}, 2, 'line 4: codebook rename: "args" must be'),
    ({"op": "codebook", "action": "retire", "args": ["Trust"], "parent": "X"}, 2, "only for codebook create"),
    # refused by the operation itself, against the project as lines 1-3 left it:
    (
        {"op": "code", "source": "S1", "chars": "0:100000", "label": "Trust"},
        2,
        'line 4: code "chars": span 0:100000 is outside the text',
    ),
    ({"op": "code", "source": "S1", "lines": "2-x", "label": "T"}, 2, 'line 4: code "lines": expected A-B'),
    ({"op": "code", "source": "S9", "chars": CHARS, "label": "T"}, 3, 'line 4: code "source": no source'),
    ({"op": "code", "source": "S1", "chars": CHARS, "label": "Trust"}, 2, "'Trust' is already applied there"),
    ({"op": "uncode", "source": "S1", "lines": "3-4", "label": "Trust"}, 3, "'Trust' is not applied to S1"),
    ({"op": "codebook", "action": "create", "args": ["Trust"]}, 2, "a code labelled 'Trust' already exists"),
    ({"op": "codebook", "action": "rename", "args": ["Nope", "X"]}, 3, "no active code 'Nope'"),
    ({"op": "memo", "title": "T", "body": "B", "link": ["M9"]}, 3, "line 4: memo \"link\": no entity 'M9'"),
    ({"op": "participant", "id": "P09"}, 3, "line 4: participant \"id\": no participant 'P09'"),
    ({"op": "participant", "id": "P01", "attr": ["x"]}, 2, 'line 4: participant "attr": expected KEY=VALUE'),
    ({"op": "memo", "title": "T\u202e", "body": "B"}, 2, 'line 4: memo "title": '),
]


@pytest.mark.parametrize(("bad", "exit_code", "reason"), BAD_LINES, ids=[r for _b, _e, r in BAD_LINES])
def test_a_bad_line_is_named_and_nothing_is_applied(
    study: Path, tmp_path: Path, bad: dict[str, Any] | str, exit_code: int, reason: str
) -> None:
    file = batch_file(tmp_path, *GOOD, bad, {"op": "memo", "title": "after", "body": "B"})
    before = tree_digest(study)
    result = invoke("batch", str(study), str(file), ok=False)
    assert result.code == exit_code
    assert result.err.startswith(f"workbench: error: {file} line 4: ")
    assert reason in result.err
    assert result.err.endswith("; nothing was applied\n") and result.err.count("\n") == 1
    assert result.out == ""
    assert tree_digest(study) == before


def test_the_first_bad_line_is_named_even_when_a_later_one_is_not_json(study: Path, tmp_path: Path) -> None:
    file = batch_file(tmp_path, GOOD[0], {"op": "codebook", "action": "create", "args": ["Trust"]}, "{oops")
    result = invoke("batch", str(study), str(file), ok=False)
    assert f"{file} line 2: codebook create" in result.err


def test_a_line_that_is_not_utf8_is_named(study: Path, tmp_path: Path) -> None:
    file = tmp_path / "ops.jsonl"
    file.write_bytes(lines(*GOOD).encode() + b'{"op": "memo", "title": "caf\xe9", "body": "B"}\n')
    before = tree_digest(study)
    result = invoke("batch", str(study), str(file), ok=False)
    assert result.code == 2
    assert result.err == (
        f"workbench: error: {file} line 4: is not UTF-8 (byte 29); write the file as UTF-8; "
        "nothing was applied\n"
    )
    assert tree_digest(study) == before


def test_a_missing_file_is_one_line_and_changes_nothing(study: Path, tmp_path: Path) -> None:
    before = tree_digest(study)
    result = invoke("batch", str(study), str(tmp_path / "none.jsonl"), ok=False)
    assert (result.code, result.err) == (
        2,
        f"workbench: error: {tmp_path / 'none.jsonl'}: cannot read file (No such file or directory)\n",
    )
    assert tree_digest(study) == before


def test_a_real_process_refuses_in_one_line_without_a_traceback(study: Path, tmp_path: Path) -> None:
    file = batch_file(tmp_path, *GOOD, {"op": "uncode", "source": "S1", "chars": "0:5", "label": "Trust"})
    before = tree_digest(study)
    done = subprocess.run([WORKBENCH, "batch", str(study), str(file)], capture_output=True, text=True)
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"{file} line 4: uncode: S1: 'Trust' is not applied to S1 0:5" in done.stderr
    assert tree_digest(study) == before


# -- input forms ------------------------------------------------------------------------------------------
def test_dash_reads_the_batch_from_stdin(study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines(*GOOD).encode())))
    assert run_cli("batch", str(study), "-").startswith("applied 3 operations from stdin as one step")
    assert len(state(study)["codings"]) == 1


def test_stdin_in_a_real_process_and_its_errors_name_stdin(study: Path) -> None:
    done = subprocess.run(
        [WORKBENCH, "batch", str(study), "-", "--json"], input=lines(*GOOD), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["applied"] == 3
    bad = subprocess.run(
        [WORKBENCH, "batch", str(study), "-"], input=lines(GOOD[2], "[]"), capture_output=True, text=True
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("workbench: error: stdin line 2: expected a JSON object")


@pytest.mark.parametrize("content", ["", "\n", "  \n\n\t\n"], ids=["empty", "newline", "blank lines"])
def test_an_empty_batch_applies_nothing_and_changes_nothing(
    study: Path, tmp_path: Path, content: str
) -> None:
    file = tmp_path / "empty.jsonl"
    file.write_text(content, encoding="utf-8")
    before = tree_digest(study)
    assert run_cli("batch", str(study), str(file)) == f"no operations in {file}; nothing changed\n"
    out = json.loads(run_cli("batch", str(study), str(file), "--json"))
    assert (out["applied"], out["operations"], out["results"]) == (0, {}, [])
    assert tree_digest(study) == before
    assert run_cli("undo", str(study)).startswith("undone: import")  # no empty undo step was made


def test_blank_lines_crlf_and_a_bom_are_read_and_line_numbers_count_every_line(
    study: Path, tmp_path: Path
) -> None:
    file = tmp_path / "ops.jsonl"
    body = "\r\n".join([json.dumps(GOOD[0]), "", json.dumps(GOOD[1]), "", '{"op": 1}', ""])
    file.write_bytes(b"\xef\xbb\xbf" + body.encode())
    result = invoke("batch", str(study), str(file), ok=False)
    assert f"{file} line 5: unknown op a number" in result.err
    file.write_bytes(b"\xef\xbb\xbf" + body.replace('{"op": 1}', "").encode())
    assert run_cli("batch", str(study), str(file)).startswith("applied 2 operations")


# -- the service --------------------------------------------------------------------------------------------
class Recorder:
    def __init__(self) -> None:
        self.events: list[OperationEvent] = []
        self.journal_lines_seen: list[int] = []
        self.path: Path | None = None

    def project_opened(self, project: Project) -> None:
        self.path = project.path

    def project_closing(self, project: Project) -> None:
        pass

    def operation_applied(self, project: Project, event: OperationEvent) -> None:
        self.events.append(event)
        self.journal_lines_seen.append((project.path / JOURNAL).read_bytes().count(b"\n"))


def test_the_batch_is_one_journal_entry_and_observers_hear_of_it_once_it_is_durable(study: Path) -> None:
    recorder = Recorder()
    with Project.open(study, observer=recorder) as project:
        journal = project.path / JOURNAL
        entries = journal.read_bytes().count(b"\n")
        result = apply_batch(project, lines(*GOOD).encode(), "ops.jsonl")
        assert result.applied == 3
        assert journal.read_bytes().count(b"\n") == entries + 1
        assert [e.action for e in recorder.events] == ["code.create", "coding.add", "memo.create"]
        assert recorder.journal_lines_seen == [entries + 1] * 3  # each after the one append


def test_a_refused_batch_puts_memory_back_and_the_project_goes_on_working(study: Path) -> None:
    recorder = Recorder()
    bad = lines(*GOOD, {"op": "codebook", "action": "retire", "args": ["Nope"]}).encode()
    with Project.open(study, observer=recorder) as project:
        tables = {t: dict(project.store.all(t)) for t in ("codes", "codings", "segments", "memos", "_meta")}
        head, undo = project._audit_head, project.can_undo()
        with pytest.raises(
            NotFoundError, match=r"^ops.jsonl line 4: codebook retire \"args\": no active code"
        ):
            apply_batch(project, bad, "ops.jsonl")
        assert {t: dict(project.store.all(t)) for t in tables} == tables
        assert project.find_code("Trust") is None and not project.index.codings_by_code.get("C1")
        assert (project._audit_head, project.can_undo()) == (head, undo)
        assert recorder.events == []
        apply_batch(project, lines(*GOOD).encode(), "ops.jsonl")  # the same ids again, durable this time
    with Project.open(study, readonly=True) as project:
        assert project.find_code("Trust") is not None and set(project.store.all("codings")) == {"K1"}
    assert "ok:" in run_cli("check", str(study))


def test_deferred_store_writes_are_one_journal_entry_or_nothing(tmp_path: Path) -> None:
    from workbench.core.store.store import Store

    store = Store.create(tmp_path / "s")
    journal = tmp_path / "s" / JOURNAL
    size = journal.stat().st_size
    with pytest.raises(RuntimeError), store.deferred():
        with store.transaction() as tx:
            tx.put("brand_new", "X1", {"v": 1})
        assert store.get("brand_new", "X1") == {"v": 1}  # applied in memory, seen by what follows
        raise RuntimeError("refused")
    assert "brand_new" not in store._data and journal.stat().st_size == size
    with store.deferred():
        for doc_id in ("A", "B", "A"):
            with store.transaction() as tx:
                tx.put("t", doc_id, {"v": doc_id})
        with store.transaction() as tx:
            tx.delete("t", "B")  # made and removed inside: leaves no trace in the entry
        assert journal.stat().st_size == size  # nothing on disk until the block ends
    (line,) = journal.read_bytes().splitlines()
    assert json.loads(line[9:])["ops"] == [["t", "A", {"v": "A"}]]
    store.close()
    assert Store.open(tmp_path / "s", readonly=True).all("t") == {"A": {"v": "A"}}


def test_read_operations_checks_the_shape_of_every_line_without_a_project() -> None:
    ops = read_operations(lines(*GOOD).encode(), "ops.jsonl")
    assert [(o.line, o.name) for o in ops] == [(1, "codebook create"), (2, "code"), (3, "memo")]
    with pytest.raises(BadInputError, match=r"^ops.jsonl line 2: unknown op 'x'"):
        read_operations(lines(GOOD[0], {"op": "x"}).encode(), "ops.jsonl")


# -- the benchmark ---------------------------------------------------------------------------------------
def test_the_small_batch_benchmark_reports_every_figure() -> None:
    """`bench/batch.py --size small`, as `make bench` runs it large: figures exist and are positive (the
    benchmark itself checks counts, audit events, the undo step and the refusal's unchanged files)."""
    report = small_report(
        "batch.py",
        ("batch_s", "undo_s", "refuse_s", "inprocess_apply_s", "operations_per_s", "batch_codings"),
        timeout=120,
    )
    assert report["figures"]["batch_codings"] == 200
    assert "line 200: " in report["refusal"]
