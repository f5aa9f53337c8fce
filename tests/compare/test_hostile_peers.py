"""A comparison copies text from its studies; one holding unsafe text (issue 24) is cleaned, not fatal.

A study written by an older version may hold control characters in its title or a code label (its own
`workbench check` reports them). Linking it and mapping its concepts must work, store only clean
copies, and say what was removed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.compare.conftest import Cli
from workbench.core.project import Project
from workbench.core.untrusted import UNSAFE, unsafe_strings

TITLE_ATTACK = "\x1b]0;owned\x07"
LABEL = "The product of disclosure"


def _legacy(directory: Path) -> str:
    """Plant an unsafe title and code label as an older version could have; returns the code's id."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("workbench.core.project.refuse_unsafe_text", lambda changes: None)
        with Project.open(directory) as project:
            code = project.code_by_label(LABEL)
            with project._operation("legacy.write", "project", "older version") as tx:
                tx.put("_meta", "project", {**project.meta, "title": "GT" + TITLE_ATTACK + " study"})
                tx.put("codes", code["id"], {**code, "label": "The product\x9b2J of disclosure"})
    return str(code["id"])


def _stored_unsafe(directory: Path) -> list[tuple[str, str]]:
    with Project.open(directory, readonly=True) as project:
        found = list(unsafe_strings(dict(project.meta)))
        for table in ("records", "memos"):
            for doc in project.rows(table):
                found += list(unsafe_strings(doc))
    return found


@pytest.fixture
def hostile_a(tmp_path: Path, demos: tuple[Path, Path]) -> tuple[Path, str]:
    directory = Path(shutil.copytree(demos[0], tmp_path / "gt"))
    return directory, _legacy(directory)


def test_linking_a_study_with_an_unsafe_title_stores_a_clean_copy_and_says_so(
    cli: Cli, hostile_a: tuple[Path, str], demos: tuple[Path, Path], tmp_path: Path
) -> None:
    code, out, err = cli("compare", str(hostile_a[0]), str(demos[1]), "--workspace", str(tmp_path / "ws"))
    assert code == 0, err
    assert "note: study A title: removed control character U+001B (ESC)" in err
    assert UNSAFE.search(out + err) is None
    assert _stored_unsafe(tmp_path / "ws") == []


def test_mapping_a_concept_whose_label_is_unsafe_stores_the_cleaned_label(
    cli: Cli, hostile_a: tuple[Path, str], demos: tuple[Path, Path], tmp_path: Path
) -> None:
    ws = str(tmp_path / "ws")
    assert cli("compare", str(hostile_a[0]), str(demos[1]), "--workspace", ws)[0] == 0
    code, _out, err = cli(
        "compare",
        "map",
        ws,
        f"A:code:{hostile_a[1]}",
        "Safety through shared experience",
        "--relation",
        "equivalent",
        "--rationale",
        "both are about being understood",
    )
    assert code == 0, err
    assert _stored_unsafe(tmp_path / "ws") == []
    with Project.open(tmp_path / "ws", readonly=True) as workspace:
        (mapping,) = workspace.records("cmp.mapping")
    assert mapping["data"]["a_label"] == "The product of disclosure"
