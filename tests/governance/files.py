"""What a governance test searches for words that must be gone: every file, archives opened."""

from __future__ import annotations

import zipfile
from pathlib import Path


def files(*folders: Path) -> list[Path]:
    """Every file under `folders`, in a stable order."""
    return [p for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()]


def all_text(paths: list[Path]) -> str:
    """The text of `paths`, zip archives (exports, backups) read member by member."""
    chunks = []
    for path in paths:
        data = path.read_bytes()
        if data[:2] == b"PK":
            with zipfile.ZipFile(path) as archive:
                chunks += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        else:
            chunks.append(data.decode("utf-8", "replace"))
    return "\n".join(chunks)
