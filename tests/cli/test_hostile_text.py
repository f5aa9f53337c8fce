"""Untrusted text never reaches a terminal raw, and no input gives an internal error (issue 24).

A hostile-text corpus is fed through every CLI command that stores free text: each is refused with one
line naming the field, exit code non-zero, the project byte-for-byte unchanged. Text already in a project
(written by an older version) is printed escaped by every read command, warned about once per field by
`check`, and removed by `clean` as an audited, undoable operation.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import tree_digest
from tests.cli_inprocess import invoke, run_cli
from workbench.core.cleaning import unsafe_fields
from workbench.core.project import Project
from workbench.core.untrusted import UNSAFE

HOSTILE = {
    "window-title": "Al\x1b]0;owned\x07ex",
    "clipboard": "x\x1b]52;c;cm0gLXJmIH4=\x07y",
    "clear-screen": "a\x1b[2Jb",
    "c1-csi": "B\x9b2J",
    "rtl-override": "\u202eevil.csv",
    "isolate": "a\u2066b\u2069",
    "nul": "a\x00b",
    "undecodable-byte": "B\udc9b2J",  # what Python makes of `$'B\x9b2J'` passed by a shell
}
TRANSCRIPT = "Interviewer: How did it start?\nParticipant: On the ward. She had been there herself.\n"


REFUSALS = ("control character", "bidirectional control", "not UTF-8 text")


def raw_unsafe(text: str) -> list[str]:
    """Unsafe characters a terminal would obey (tab and newline are fine in output)."""
    return UNSAFE.findall(text)


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A small GT study and IPA study (made once) and a transcript file to add or correct with."""
    root = tmp_path_factory.mktemp("hostile")
    transcript = root / "t.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    corrected = root / "corrected.txt"
    corrected.write_text(TRANSCRIPT.replace("ward", "unit"), encoding="utf-8")
    gt, ipa = root / "gt", root / "ipa"
    run_cli("new", str(gt), "--title", "GT", "--method", "gt")
    run_cli("add", str(gt), str(transcript))
    run_cli("code", str(gt), "S1", "--lines", "2-2", "Being there")
    run_cli("new", str(ipa), "--title", "IPA", "--method", "ipa")
    run_cli("add", str(ipa), str(transcript))
    run_cli("ipa", "start", str(ipa), "P01")
    run_cli("ipa", "statement", str(ipa), "S1", "A statement", "--lines", "2-2")
    run_cli("ipa", "pet", str(ipa), "P01", "Theme one")
    return gt, ipa, root


# (study, argv with X where the hostile text goes, the field the refusal must name)
WRITES: list[tuple[str, list[str], str]] = [
    ("gt", ["memo", "{dir}", "--title", "X", "--body", "b"], "--title"),
    ("gt", ["memo", "{dir}", "--title", "t", "--body", "X"], "--body"),
    ("gt", ["participant", "{dir}", "P01", "--pseudonym", "X"], "--pseudonym"),
    ("gt", ["participant", "{dir}", "P01", "--attr", "group=X"], "--attr"),
    ("gt", ["participant", "{dir}", "P01", "--attr", "X=young"], "--attr"),
    ("gt", ["add", "{dir}", "{file}", "--pseudonym", "X"], "--pseudonym"),
    ("gt", ["code", "{dir}", "S1", "--lines", "1-1", "X"], "LABEL"),
    ("gt", ["code", "{dir}", "S1", "--lines", "1-1", "New code", "--coder", "X"], "--coder"),
    ("gt", ["code", "{dir}", "S1", "--lines", "1-1", "New code", "--memo", "X"], "--memo"),
    ("gt", ["codebook", "{dir}", "create", "X"], "LABEL"),
    ("gt", ["codebook", "{dir}", "rename", "Being there", "X"], "LABEL"),
    ("gt", ["codebook", "{dir}", "redefine", "Being there", "X"], "DEFINITION"),
    ("gt", ["link", "{dir}", "S1", "P01", "--relation", "X"], "--relation"),
    ("gt", ["set", "{dir}", "X"], "NAME"),
    ("gt", ["cluster", "{dir}", "X"], "NAME"),
    ("gt", ["cluster", "{dir}", "Group", "--technique", "X"], "--technique"),
    ("gt", ["settings", "{dir}", "--citation", "X"], "--citation"),
    ("gt", ["correct", "{dir}", "S1", "{corrected}", "--reason", "X"], "--reason"),
    ("gt", ["gt", "memo", "{dir}", "--type", "theoretical", "--title", "X", "--body", "b"], "title"),
    ("gt", ["gt", "memo", "{dir}", "--type", "theoretical", "--title", "t", "--body", "X"], "body"),
    ("gt", ["gt", "category", "{dir}", "X"], ""),
    ("gt", ["gt", "category", "{dir}", "Cat", "--definition", "X"], ""),
    ("gt", ["clipboard", "{dir}", "on", "--reason", "X"], ""),
    ("gt", ["coders", "{dir}", "--set", "X"], ""),
    ("gt", ["withdraw", "{dir}", "P01", "--reason", "X"], ""),
    ("gt", ["names", "{dir}", "add", "X"], "NAME"),
    ("gt", ["names", "{dir}", "add", "Evan", "--replacement", "X"], "--replacement"),
    ("ipa", ["ipa", "note", "{dir}", "S1", "--lines", "2-2", "--type", "D", "--text", "X"], ""),
    ("ipa", ["ipa", "statement", "{dir}", "S1", "X", "--lines", "2-2"], ""),
    ("ipa", ["ipa", "reflect", "{dir}", "--body", "X"], ""),
    ("ipa", ["ipa", "pet", "{dir}", "P01", "X"], ""),
    ("ipa", ["ipa", "read", "{dir}", "S1", "--impressions", "X"], ""),
]


def _argv(template: list[str], value: str, directory: Path, root: Path) -> list[str]:
    names = {
        "{dir}": str(directory),
        "{file}": str(root / "t.txt"),
        "{corrected}": str(root / "corrected.txt"),
    }
    return [names.get(a, a.replace("X", value) if a in ("X", "group=X", "X=young") else a) for a in template]


@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize(("study", "template", "field"), WRITES, ids=[" ".join(w[1][:3]) for w in WRITES])
def test_a_write_command_refuses_hostile_text_with_one_line_and_changes_nothing(
    studies: tuple[Path, Path, Path], study: str, template: list[str], field: str, kind: str
) -> None:
    gt, ipa, root = studies
    directory = gt if study == "gt" else ipa
    before = tree_digest(directory)
    result = invoke(*_argv(template, HOSTILE[kind], directory, root), ok=False)
    assert result.code not in (0, 70), result.err
    assert result.err.count("\n") == 1 and result.err.startswith("workbench: error: "), result.err
    assert "internal error" not in result.err
    assert raw_unsafe(result.err) == [] and raw_unsafe(result.out) == []
    if kind == "undecodable-byte":  # refused before any command reads it: a positional is named by place
        field = "argument " if field.isupper() else field
    assert field in result.err
    assert any(words in result.err for words in REFUSALS), result.err  # refused for the text, not by chance
    assert tree_digest(directory) == before


def test_a_new_project_with_a_hostile_title_is_not_created(tmp_path: Path) -> None:
    result = invoke("new", str(tmp_path / "p"), "--title", HOSTILE["window-title"], ok=False)
    assert result.code == 2 and "--title" in result.err
    assert not (tmp_path / "p").exists()


def test_an_undecodable_command_line_byte_gets_one_clear_line(studies: tuple[Path, Path, Path]) -> None:
    gt, _ipa, _root = studies
    err = run_cli("memo", str(gt), "--title", "t", "--body", "B\udc9b2J", ok=False)
    assert (
        err == "workbench: error: --body: contains a byte that is not UTF-8 text (0x9B) at character 2; "
        "pass it as UTF-8 text\n"
    )


def test_rich_markup_and_long_lines_are_ordinary_text_and_kept_verbatim(tmp_path: Path) -> None:
    study = tmp_path / "s"
    run_cli("new", str(study), "--title", "[bold]Study[/]")
    body = "[/] closes nothing; " + "w" * 10_000
    run_cli("memo", str(study), "--title", "[/]", "--body", body)
    memos = json.loads(run_cli("show", str(study), "memos", "--json"))
    assert memos[0]["title"] == "[/]" and memos[0]["body"] == body


# -- text written by an older version ---------------------------------------------------------------


def plant(directory: Path) -> None:
    """Write hostile text the way an older version (or a hand edit) could: past today's policy."""
    with Project.open(directory) as project:
        participant = project.store.get("participants", "P01")
        assert participant is not None
        memo = {
            "id": "M90",
            "type": "analytic",
            "title": "T" + HOSTILE["clear-screen"],
            "body": "body " + HOSTILE["clipboard"],
            "links": [],
            "author": "ann",
            "created_at": "2026-01-01T00:00:00Z",
            "modified_at": "2026-01-01T00:00:00Z",
            "revisions": [],
        }
        with project._operation("legacy.write", "participant:P01", "older version") as tx:
            tx.put(
                "participants",
                "P01",
                {
                    **participant,
                    "pseudonym": HOSTILE["window-title"],
                    "attributes": {"group": HOSTILE["c1-csi"], "site" + HOSTILE["rtl-override"]: "A"},
                },
            )
            tx.put("memos", "M90", memo)


@pytest.fixture
def legacy(
    tmp_path: Path, studies: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    directory = tmp_path / "legacy"
    shutil.copytree(studies[0], directory)
    with monkeypatch.context() as patch:
        patch.setattr("workbench.core.project.refuse_unsafe_text", lambda changes: None)
        plant(directory)
    yield directory


READS = [
    ["show", "{dir}", "participants"],
    ["show", "{dir}", "memos"],
    ["show", "{dir}", "participants", "--json"],
    ["show", "{dir}", "memos", "--json"],
    ["sources", "{dir}"],
    ["sources", "{dir}", "--json"],
    ["segments", "{dir}", "Being there"],
    ["segments", "{dir}", "Being there", "--json"],
    ["check", "{dir}"],
    ["govcheck", "{dir}"],
    ["audit", "list", "{dir}"],
    ["table", "{dir}", "codebook"],
    ["tables", "{dir}"],
    ["open", "{dir}", "--summary"],
]


@pytest.mark.parametrize("template", READS, ids=" ".join)
def test_a_read_command_prints_stored_hostile_text_escaped(legacy: Path, template: list[str]) -> None:
    result = invoke(*[str(legacy) if a == "{dir}" else a for a in template], ok=False)
    assert "internal error" not in result.err
    assert raw_unsafe(result.out) == [] and raw_unsafe(result.err) == []
    if "--json" in template:
        json.loads(result.out)  # still a valid document


def test_json_output_keeps_the_stored_value_exact(legacy: Path) -> None:
    rows = json.loads(run_cli("show", str(legacy), "participants", "--json"))
    assert rows[0]["pseudonym"] == HOSTILE["window-title"]


def test_plain_output_shows_the_escape_instead_of_the_character(legacy: Path) -> None:
    out = run_cli("show", str(legacy), "participants")
    assert "Al\\u001b]0;owned\\u0007ex" in out


def test_check_warns_once_per_field_with_the_command_that_cleans_it(legacy: Path) -> None:
    out = run_cli("check", str(legacy))
    lines = [line for line in out.splitlines() if "holds unsafe characters" in line]
    assert len(lines) == 5, lines
    assert any(f"workbench clean {legacy} --field participants/P01/pseudonym" in line for line in lines)


def test_clean_removes_every_unsafe_character_as_one_undoable_audited_operation(legacy: Path) -> None:
    run_cli("clean", str(legacy))
    with Project.open(legacy, readonly=True) as project:
        assert unsafe_fields(project) == []
        assert project.get("participants", "P01")["pseudonym"] == "Alex"  # the escape sequence went whole
        assert project.audit_events()[-1]["action"] == "text.clean"
    assert "holds unsafe characters" not in run_cli("check", str(legacy))
    run_cli("undo", str(legacy))
    with Project.open(legacy, readonly=True) as project:
        assert project.get("participants", "P01")["pseudonym"] == HOSTILE["window-title"]


def test_clean_of_one_field_leaves_the_others(legacy: Path) -> None:
    run_cli("clean", str(legacy), "--field", "memos/M90/title")
    with Project.open(legacy, readonly=True) as project:
        refs = {f.ref for f in unsafe_fields(project)}
    assert "memos/M90/title" not in refs and "memos/M90/body" in refs


def test_clean_of_a_field_that_is_not_unsafe_is_refused(legacy: Path) -> None:
    before = tree_digest(legacy)
    err = run_cli("clean", str(legacy), "--field", "memos/M90/links", ok=False)
    assert "--field" in err and err.count("\n") == 1
    assert tree_digest(legacy) == before


def test_other_work_on_a_record_holding_old_unsafe_text_is_not_blocked(legacy: Path) -> None:
    run_cli("participant", str(legacy), "P01", "--attr", "band=30-39")
    with Project.open(legacy, readonly=True) as project:
        assert project.get("participants", "P01")["attributes"]["band"] == "30-39"
