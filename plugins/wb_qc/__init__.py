"""qc (qualitative-coding) projects in: the project's ``settings.yaml`` and what it names.

qc is Chris Proctor's command-line coder (PyPI ``qualitative-coding``). Registered through
``register_project_formats`` exactly as a third-party plugin would, using only what the ``workbench``
package exports. A qc project has no file of its own to name, so the format is chosen by the project
folder's marker file ``settings.yaml`` (``workbench import DIR PROJECT/``) or by the settings file itself
(``workbench import DIR PROJECT/settings.yaml``); its corpus texts, codebook, database or code files and
memos are read from where the settings put them, and none of them is changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench import hookimpl

if TYPE_CHECKING:
    from workbench import ProjectRead, RegisterProjectFormat

__version__ = "0.1.0"


def _read(path: Path) -> ProjectRead:
    from wb_qc.reader import read_project

    return read_project(path)


@hookimpl
def register_project_formats(register: RegisterProjectFormat) -> None:
    register(
        "qc",
        [".yaml", ".yml"],
        _read,
        "qc (qualitative-coding) project, its folder or settings.yaml: corpus texts, YAML codebook as a "
        "code tree, line codings per coder (SQLite database, or the older per-coder .codes files), memos",
        markers=["settings.yaml"],
    )
