"""Bad archives and hostile XML are refused with one clear message and change nothing (EXP-4 safety)."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from wb_interop.project_import import import_file
from wb_interop.safe_zip import Limits, check_archive

from tests.cli.conftest import tree_digest
from workbench import BadInputError
from workbench.core.project import Project

GOOD_QDE = b"""<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">
<CodeBook><Codes>
<Code guid="00000000-0000-0000-0000-00000000000a" name="A" isCodable="true"/>
</Codes></CodeBook>
</Project>"""


def _zip(members: dict[str, bytes], *, symlink: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name == symlink:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return out.getvalue()


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    with Project.create(tmp_path / "existing", "Existing") as project:
        project.create_code("Keep me")
    return tmp_path / "existing"


CASES = {
    "path traversal": (_zip({"project.qde": GOOD_QDE, "../../evil.txt": b"x"}), "climbs out"),
    "absolute path": (_zip({"project.qde": GOOD_QDE, "/etc/evil.txt": b"x"}), "absolute path"),
    "symlink": (
        _zip({"project.qde": GOOD_QDE, "sources/a.txt": b"/etc/passwd"}, symlink="sources/a.txt"),
        "symbolic",
    ),
    "external entity": (
        _zip(
            {
                "project.qde": b'<?xml version="1.0"?><!DOCTYPE P [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>'
            }
        ),
        "DTD or entities",
    ),
    "entity expansion": (
        _zip(
            {
                "project.qde": b'<?xml version="1.0"?><!DOCTYPE P [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                b'<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>'
            }
        ),
        "DTD or entities",
    ),
    "zip bomb": (_zip({"project.qde": GOOD_QDE, "sources/big.txt": b"\0" * (20 * 1024 * 1024)}), "zip bomb"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_archive_is_refused_and_the_project_is_byte_identical(
    existing: Path, tmp_path: Path, case: str
) -> None:
    data, message = CASES[case]
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(data)
    before = tree_digest(existing)
    with pytest.raises(BadInputError, match=message):
        import_file(existing, bad)
    assert tree_digest(existing) == before


@pytest.mark.parametrize("case", ["path traversal", "zip bomb", "external entity"])
def test_a_bad_archive_into_a_new_folder_leaves_no_project(tmp_path: Path, case: str) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(CASES[case][0])
    with pytest.raises(BadInputError):
        import_file(tmp_path / "new", bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.qdpx"]


def test_too_many_members_are_refused() -> None:
    archive = zipfile.ZipFile(io.BytesIO(_zip({f"m{i}": b"x" for i in range(5)})))
    with pytest.raises(BadInputError, match="5 members"):
        check_archive(archive, "a.zip", Limits(max_members=4))


def test_an_import_naming_a_participant_it_lacks_leaves_the_project_byte_identical(existing: Path) -> None:
    from wb_interop import apply, incoming

    content = incoming.Incoming(
        title="x",
        codes=[incoming.Code("code:1", "New code")],
        sources=[
            incoming.Source("source:1", "a.txt", "Some words here.\n", participant="participant:missing")
        ],
    )
    before = tree_digest(existing)
    with (
        Project.open(existing) as project,
        pytest.raises(BadInputError, match=r"participant:missing.*does not hold"),
    ):
        apply.write(project, apply.to_content(content), "import", keep_ids=False, undoable=True)
    assert tree_digest(existing) == before
