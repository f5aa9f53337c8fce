"""The full project archive (EXP-5): every file hashed in the manifest, restored with the same ids."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from wb_interop.archive import export_archive
from wb_interop.project_import import import_file

from workbench import BadInputError
from workbench.core.integrity import check_project
from workbench.core.project import Project


def test_the_manifest_holds_the_sha256_of_every_member(coded: Project, tmp_path: Path) -> None:
    with zipfile.ZipFile(export_archive(coded, tmp_path / "a.zip")) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        members = set(archive.namelist()) - {"manifest.json"}
        assert set(manifest["files"]) == members
        assert all(hashlib.sha256(archive.read(n)).hexdigest() == h for n, h in manifest["files"].items())
        assert "audit.jsonl" in members and any(
            n.startswith("texts/") and n.endswith(".txt") for n in members
        )


def test_an_archive_restores_the_same_project(coded: Project, tmp_path: Path) -> None:
    import_file(tmp_path / "restored", export_archive(coded, tmp_path / "a.zip"))
    with Project.open(tmp_path / "restored", readonly=True) as copy:
        for table in ("participants", "sources", "codes", "segments", "codings", "memos", "links", "records"):
            assert sorted(copy.rows(table), key=lambda d: d["id"]) == sorted(
                coded.rows(table), key=lambda d: d["id"]
            )
        assert check_project(copy) == []
    assert (tmp_path / "restored" / "archived-audit.jsonl").read_bytes().count(b"\n") == len(
        coded.audit_events()
    )


def test_an_altered_archive_is_refused(coded: Project, tmp_path: Path) -> None:
    path = export_archive(coded, tmp_path / "a.zip")
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(
                info, data.replace(b"Relief", b"Rel1ef") if info.filename.endswith("codes.json") else data
            )
    (tmp_path / "b.zip").write_bytes(out.getvalue())
    with pytest.raises(BadInputError, match="sha256"):
        import_file(tmp_path / "restored", tmp_path / "b.zip")
    assert not (tmp_path / "restored").exists()


def test_an_archive_is_not_merged_into_an_existing_project(coded: Project, tmp_path: Path) -> None:
    path = export_archive(coded, tmp_path / "a.zip")
    with pytest.raises(BadInputError, match="new folder"):
        import_file(coded.path, path)
