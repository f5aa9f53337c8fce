"""User keymaps: rebind any action by its binding id, from a TOML file.

Every binding in the workbench has an id (`transcript.code`, `app.undo`, ...). A researcher whose
terminal swallows a key, or who prefers other keys, writes for example

    [keys]
    "transcript.code" = "k"
    "app.undo" = "ctrl+z,u"

in `$WORKBENCH_KEYMAP` or `~/.config/workbench/keymap.toml`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from workbench.core.errors import BadInputError


def keymap_path() -> Path:
    env = os.environ.get("WORKBENCH_KEYMAP")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "workbench" / "keymap.toml"


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """Binding id -> keys; a missing file is an empty keymap, a bad one a clear error."""
    path = path or keymap_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadInputError(f"cannot read keymap ({exc})", str(path)) from None
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keys.items()
    ):
        raise BadInputError('expected a [keys] table of "binding.id" = "key" strings', str(path))
    return dict(keys)
