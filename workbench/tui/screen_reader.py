"""Screen-reader mode: the terminal's cursor sits on what has focus, and every change is said in one line.

Blind researchers work over SSH with a console screen reader (speakup, NVDA or JAWS in the SSH client,
BRLTTY on a braille display). Such a reader speaks the line the terminal cursor is on and follows it,
so the workbench puts the cursor (Textual's public `App.cursor_position`) on the focused item after
every key and every focus change: the transcript's cursor cell, the highlighted row of a list or
table, the text box's caret (Textual's `Input` places that itself). Each change is also said on the
message line (`WorkbenchApp.notify`, F2 rereads), and the layout goes linear: one pane at a time,
no box drawing.

Turned on by ``workbench open --screen-reader``, ``WORKBENCH_SCREEN_READER=1`` or, as a lasting
setting, ``screen_reader = true`` under ``[tui]`` in ``~/.config/workbench/settings.toml``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from textual.geometry import Offset
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, Tree

from workbench.core.errors import BadInputError

__all__ = ["cursor_offset", "settings_path", "wanted"]


def settings_path() -> Path:
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "workbench" / "settings.toml"


def wanted(flag: bool, path: Path | None = None) -> bool:
    """Whether screen-reader mode is on: the flag, else the environment, else the settings file."""
    if flag:
        return True
    env = os.environ.get("WORKBENCH_SCREEN_READER", "").strip().lower()
    if env:
        return env not in ("0", "no", "false", "off")
    path = path or settings_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadInputError(f"cannot read settings ({exc})", str(path)) from None
    value = data.get("tui", {}).get("screen_reader", False) if isinstance(data.get("tui"), dict) else False
    if not isinstance(value, bool):
        raise BadInputError("[tui] screen_reader must be true or false", str(path))
    return value


def cursor_offset(widget: Widget | None) -> Offset | None:
    """Where the terminal cursor belongs for `widget` (screen coordinates), or None to leave it.

    Our own widgets say where their cursor is (`cursor_cell`); Textual's lists and tables are asked
    for their highlighted row; an `Input` places the cursor itself.
    """
    if widget is None or isinstance(widget, Input):
        return None
    region = widget.content_region
    if region.width <= 0 or region.height <= 0:
        return None
    cell = getattr(widget, "cursor_cell", None)
    if callable(cell):
        x, y = cell()
    elif isinstance(widget, OptionList):
        y = (widget.highlighted or 0) - int(widget.scroll_offset.y)
        x = 0
    elif isinstance(widget, DataTable):
        y = widget.cursor_coordinate.row + (widget.header_height if widget.show_header else 0)
        y -= int(widget.scroll_offset.y)
        x = 0
    elif isinstance(widget, Tree):
        y = widget.cursor_line - int(widget.scroll_offset.y)
        x = 0
    else:
        x, y = 0, 0
    x = max(0, min(region.width - 1, x))
    y = max(0, min(region.height - 1, y))
    return Offset(region.x + x, region.y + y)
