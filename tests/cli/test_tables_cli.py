"""`workbench table`: a plugin's table listed, built with options, printed or written in any format."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

PLUGIN = """
from workbench import BadInputError, TableData, hookimpl

def build(project, options):
    if "min" not in options:
        raise BadInputError("this table needs --option min=N", "--option")
    people = project.participants()
    rows = tuple((p["id"], p["pseudonym"]) for p in people if len(p["id"]) >= int(options["min"]))
    return TableData(("ID", "Pseudonym"), rows, "Participants")

@hookimpl
def register_tables(register):
    register("people", "Participants", build, "who took part")
"""


def _env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "people.py").write_text(PLUGIN)
    (tmp_path / "plugins.toml").write_text('[plugins]\nlocal = ["people.py"]\n')
    return {"WORKBENCH_PLUGINS_TOML": str(tmp_path / "plugins.toml")}


def test_table_without_a_name_lists_the_registered_tables(run: Run, study: Path, tmp_path: Path) -> None:
    out = run("table", str(study), env=_env(tmp_path)).stdout
    assert "people" in out and "Participants" in out


def test_table_passes_options_to_the_plugin(run: Run, study: Path, tmp_path: Path) -> None:
    out = run("table", str(study), "people", "--option", "min=3", "--format", "json", env=_env(tmp_path))
    assert json.loads(out.stdout) == [{"ID": "P01", "Pseudonym": "Alex"}]


def test_a_missing_table_option_is_one_clear_line(run: Run, study: Path, tmp_path: Path) -> None:
    result = run("table", str(study), "people", ok=False, env=_env(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "min=N" in result.stderr


def test_table_output_file_takes_its_format_from_the_extension(run: Run, study: Path, tmp_path: Path) -> None:
    out = tmp_path / "people.md"
    run("table", str(study), "people", "--option", "min=1", "--output", str(out), env=_env(tmp_path))
    assert "| P01 | Alex |" in out.read_text()


def test_table_as_docx_needs_an_output_file(run: Run, study: Path, tmp_path: Path) -> None:
    result = run(
        "table", str(study), "people", "--option", "min=1", "--format", "docx", ok=False, env=_env(tmp_path)
    )
    assert result.returncode == 2 and "--output" in result.stderr


def test_export_writes_any_registered_table_in_the_chosen_format(
    run: Run, study: Path, tmp_path: Path
) -> None:
    out = tmp_path / "people.tsv"
    run("export", str(study), "people", "--option", "min=1", "-o", str(out), env=_env(tmp_path))
    assert out.read_text().splitlines() == ["ID\tPseudonym", "P01\tAlex"]


def test_tables_lists_plugin_tables_as_json(run: Run, study: Path, tmp_path: Path) -> None:
    rows = json.loads(run("tables", str(study), "--json", env=_env(tmp_path)).stdout)
    assert {"name": "people", "title": "Participants", "description": "who took part"}.items() <= next(
        r for r in rows if r["name"] == "people"
    ).items()
