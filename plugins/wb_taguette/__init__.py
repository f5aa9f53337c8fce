"""Taguette projects in: a ``NAME.sqlite3`` file, Taguette's own SQLite database.

Registered through ``register_project_formats`` exactly as a third-party plugin would, using only what the
``workbench`` package exports. The database is opened read-only (``mode=ro``) and never modified.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench import hookimpl

if TYPE_CHECKING:
    from workbench import ProjectRead, RegisterProjectFormat

__version__ = "0.1.0"


def _read(path: Path) -> ProjectRead:
    from wb_taguette.reader import read_project

    return read_project(path)


@hookimpl
def register_project_formats(register: RegisterProjectFormat) -> None:
    register(
        "taguette",
        [".sqlite3"],
        _read,
        "Taguette project database (.sqlite3): documents, tag tree, highlights, descriptions as memos",
    )
