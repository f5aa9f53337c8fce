"""The bundled plain-text importer, loaded through its entry point exactly like a third-party plugin."""

from __future__ import annotations

import ast
import importlib.util
from importlib import metadata
from pathlib import Path

import pytest

from workbench.core.errors import BadInputError
from workbench.plugins import PluginHost


def test_plaintext_is_declared_as_an_entry_point_of_the_workbench_distribution() -> None:
    (entry_point,) = [ep for ep in metadata.entry_points(group="workbench.plugins") if ep.name == "plaintext"]
    assert entry_point.value == "wb_plaintext"
    assert entry_point.dist is not None
    assert entry_point.dist.name == "qual-workbench"


def test_plaintext_loads_as_an_active_bundled_plugin(wb_host: PluginHost) -> None:
    (status,) = [s for s in wb_host.statuses() if s.name == "plaintext"]
    assert (status.source, status.status, status.error) == ("bundled", "active", "")
    assert status.version == metadata.version("qual-workbench")


def test_plaintext_imports_a_utf8_transcript_with_turns(wb_host: PluginHost, tmp_path: Path) -> None:
    path = tmp_path / "p01.txt"
    path.write_bytes("Interviewer: How was the ward?\nP01: Calmer — naïvely so.\n".encode())
    importer = wb_host.importer_for(path)
    assert (importer.name, importer.plugin) == ("plaintext", "plaintext")

    transcript = wb_host.run_importer(importer, path, path.read_bytes())

    assert transcript.encoding == "utf-8"
    assert transcript.warnings == ()
    assert "naïvely" in transcript.text
    assert [(turn.label, turn.role) for turn in transcript.turns] == [
        ("Interviewer", "interviewer"),
        ("P01", "participant"),
    ]


def test_plaintext_imports_a_windows_1252_transcript_with_a_visible_warning(
    wb_host: PluginHost, tmp_path: Path
) -> None:
    path = tmp_path / "p02.MD"  # extension matching is case-insensitive
    path.write_bytes("Interviewer: And then?\nP02: The café closed – “for good”.\n".encode("cp1252"))

    transcript = wb_host.run_importer(wb_host.importer_for(path), path, path.read_bytes())

    assert transcript.encoding == "cp1252"
    assert "café closed – “for good”" in transcript.text
    assert any("Windows-1252" in warning for warning in transcript.warnings)
    assert len(transcript.turns) == 2


def test_an_unreadable_file_is_the_users_problem_not_a_plugin_failure(
    wb_host: PluginHost, tmp_path: Path
) -> None:
    path = tmp_path / "empty.txt"
    with pytest.raises(BadInputError, match="empty"):
        wb_host.run_importer(wb_host.importer_for(path), path, b"")
    assert {s.name: s.status for s in wb_host.statuses()}["plaintext"] == "active"


def test_plaintext_uses_only_the_public_package_root() -> None:
    spec = importlib.util.find_spec("wb_plaintext")
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    modules = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module is not None
    }
    assert {module for module in modules if module.startswith("workbench")} == {"workbench"}
