"""QualCoder projects in (issue 19): a ``NAME.qda`` folder, whose ``data.qda`` is an SQLite database.

Registered through ``register_project_formats`` exactly as a third-party plugin would, using only what the
``workbench`` package exports. The format claims a ``NAME.qda`` folder by its name and any other folder
holding a ``data.qda`` (its marker), so a project folder renamed or unpacked without the ``.qda`` imports
too. The database is opened read-only (``mode=ro``) and never modified.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench import hookimpl

if TYPE_CHECKING:
    from workbench import ProjectRead, RegisterProjectFormat

__version__ = "0.1.0"


def _read(path: Path) -> ProjectRead:
    from wb_qualcoder.reader import read_project

    return read_project(path)


@hookimpl
def register_project_formats(register: RegisterProjectFormat) -> None:
    register(
        "qualcoder",
        [".qda"],
        _read,
        "QualCoder project folder (data.qda): texts, code tree, codings per coder, cases, memos",
        markers=["data.qda"],  # a project folder renamed or unpacked without its .qda
    )
