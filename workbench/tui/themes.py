"""Themes as data files (`themes/*.toml`) turned into Textual themes.

A bad theme file is reported and skipped, never fatal: the researcher still gets a usable app.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

from textual.theme import Theme

DEFAULT_THEME = "workbench-dark"
_FIELDS = {f.name for f in fields(Theme)}


def theme_dirs() -> list[Path]:
    """Bundled themes: `workbench/_themes` in a wheel, the repo's `themes/` in a checkout."""
    package = Path(__file__).resolve().parents[1]
    return [d for d in (package / "_themes", package.parent / "themes") if d.is_dir()]


def load_themes(dirs: list[Path] | None = None) -> tuple[list[Theme], list[str]]:
    """All themes found, and one line per file that could not be used."""
    themes: list[Theme] = []
    errors: list[str] = []
    for directory in dirs if dirs is not None else theme_dirs():
        for path in sorted(directory.glob("*.toml")):
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
                unknown = set(data) - _FIELDS
                if unknown:
                    raise ValueError(f"unknown keys {', '.join(sorted(unknown))}")
                themes.append(Theme(**data))
            except (OSError, ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
                errors.append(f"{path}: theme skipped ({exc})")
    return themes, errors
