"""The plugin-command cache: which subcommands the plugins add, known without importing any plugin.

`workbench --help` must list every plugin's commands, but importing the plugins to ask them takes longer
than the rest of start-up together (issue 25). So after each run that loaded the plugins, the CLI records
what they added (name, help line, plugin) and what the load reported (the one-line warnings), keyed by
everything that could change the answer. A later ``--help``, ``--version`` or core command builds its
parser from the record and imports no plugin; a plugin's own command still loads every plugin through
the host, isolated as always, and so does any run whose record is missing or stale.

The key (`_key`, compared whole, not hashed):

* the Python (version, executable, ``sys.path``) and the workbench version;
* every distribution on ``sys.path`` (its ``.dist-info`` or ``.egg-info`` name, which holds the version,
  and the size and modification time of its ``entry_points.txt``), so installing, removing, upgrading or
  re-declaring a plugin invalidates the record;
* ``WORKBENCH_DISABLE_PLUGINS``, ``WORKBENCH_PLUGINS_TOML``, and the plugins.toml that applies (its path,
  size and modification time);

and, checked after the key matches, the size and modification time of every plugin source file at the
time of the record (each entry point's package, walked, and each local plugin file), so editing a plugin
invalidates it too.

The record lives in ``$WORKBENCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/qual-workbench``, else
``~/.cache/qual-workbench``: a folder only its owner may enter, holding ``plugin-commands.json``
(mode 0600; the last few keys, so switching between two set-ups does not rebuild it each time). It holds
plugin names and help lines, never project data. A record that cannot be read, is not its owner's, or
does not parse is ignored; one that cannot be written is skipped. Neither is ever an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench._version import __version__

CACHE_ENV = "WORKBENCH_CACHE_DIR"
CACHE_FILENAME = "plugin-commands.json"
#: Bumped whenever the record's shape or its key changes: an older record is then simply stale.
FORMAT = 1
#: Records kept, most recent first (one per set-up: environment, plugins.toml, installed plugins).
MAX_RECORDS = 8
_MAX_BYTES = 1 << 20

# Restated from `workbench.plugins` so that checking the record does not import the plugin host
# (tests/cli/test_startup.py keeps them in step).
ENTRY_POINT_GROUP = "workbench.plugins"
CONFIG_ENV = "WORKBENCH_PLUGINS_TOML"
DISABLE_ENV = "WORKBENCH_DISABLE_PLUGINS"
CONFIG_FILENAME = "plugins.toml"


@dataclass(frozen=True)
class PluginCommand:
    """One plugin subcommand as ``workbench --help`` lists it."""

    name: str
    help: str
    plugin: str


@dataclass(frozen=True)
class Record:
    """What a run that loaded the plugins found: their commands, the plugin commands refused because a
    core command has the name, and every warning the loading printed."""

    commands: tuple[PluginCommand, ...]
    shadowed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the workbench keeps what it may rebuild at any time (never project data)."""
    env = os.environ if environ is None else environ
    chosen = env.get(CACHE_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is to be ignored
        return Path(xdg) / "qual-workbench"
    return Path.home() / ".cache" / "qual-workbench"


def config_file(environ: Mapping[str, str], cwd: Path | None = None) -> Path | None:
    """The plugins.toml the CLI's plugin host reads (`PluginHost.config_file` with its defaults)."""
    from_env = environ.get(CONFIG_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    try:
        candidate = (cwd or Path.cwd()) / CONFIG_FILENAME
        return candidate if candidate.is_file() else None
    except OSError:
        return None


def _stamp(path: str) -> list[Any]:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return [path, None, None]
    return [path, found.st_mtime_ns, found.st_size]


def _distributions() -> Iterator[list[Any]]:
    """Every distribution's metadata folder on ``sys.path``, stamped by its entry_points.txt."""
    for entry in sys.path:
        where = os.path.abspath(entry or os.curdir)
        try:
            with os.scandir(where) as listing:
                names = sorted(e.name for e in listing if e.name.endswith((".dist-info", ".egg-info")))
        except NotADirectoryError:  # a zip file on the path
            yield ["zip", *_stamp(where)]
            continue
        except OSError:
            continue
        for name in names:
            folder = os.path.join(where, name)
            # An old-style .egg-info may be one file; otherwise the entry points are a file inside.
            inside = os.path.join(folder, "entry_points.txt")
            yield ["dist", *_stamp(inside if os.path.isdir(folder) else folder)]


def _key(environ: Mapping[str, str], cwd: Path | None) -> dict[str, Any]:
    config = config_file(environ, cwd)
    return {
        "format": FORMAT,
        "workbench": __version__,
        "python": [sys.version, sys.executable, sys.prefix],
        "path": [os.path.abspath(entry or os.curdir) for entry in sys.path],
        "disabled": environ.get(DISABLE_ENV, ""),
        "config_env": environ.get(CONFIG_ENV, ""),
        "config": None if config is None else _stamp(os.path.abspath(config)),
        "distributions": list(_distributions()),
    }


def _read(path: Path) -> list[dict[str, Any]]:
    """The records in the cache file, or [] if it is missing, foreign, too big or not ours to trust."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return []
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or found.st_size > _MAX_BYTES or not _private(found):
            return []
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = json.loads(stream.read(_MAX_BYTES))
    except (OSError, ValueError):
        return []
    finally:
        os.close(fd)
    records = data.get("records") if isinstance(data, dict) and data.get("format") == FORMAT else None
    return [record for record in records if isinstance(record, dict)] if isinstance(records, list) else []


def _parse(record: dict[str, Any]) -> Record | None:
    try:
        commands = tuple(PluginCommand(*map(str, item)) for item in record["commands"])
        return Record(
            commands=commands,
            shadowed=tuple(str(name) for name in record["shadowed"]),
            warnings=tuple(str(line) for line in record["warnings"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def load(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Record | None:
    """The record for the current set-up if one is cached and nothing it depends on changed, else None.

    Never raises: whatever is wrong with the cache, the answer is to load the plugins."""
    try:
        return _load(os.environ if environ is None else environ, cwd)
    except Exception:  # a cache must never be why a command fails
        return None


def _load(env: Mapping[str, str], cwd: Path | None) -> Record | None:
    records = _read(cache_dir(env) / CACHE_FILENAME)
    if not records:
        return None
    key = _key(env, cwd)
    for record in records:
        if record.get("key") != key:
            continue
        files = record.get("files")
        if not isinstance(files, list) or any(
            not isinstance(item, list) or not item or _stamp(str(item[0])) != item for item in files
        ):
            return None
        return _parse(record)
    return None


def plugin_files(local: Iterable[Path] = ()) -> list[str]:
    """Every source file of every plugin the host may load: each entry point's package (walked) or
    module, and the local plugin files. Only called after the plugins were loaded, so the metadata
    and the plugins' modules are already imported."""
    import importlib.util
    from importlib import metadata

    files: list[str] = []
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        top = entry.value.split(":")[0].strip().split(".")[0]
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        if spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                files.extend(_sources(location))
        elif spec.origin and os.path.isfile(spec.origin):
            files.append(os.path.abspath(spec.origin))
    files.extend(os.path.abspath(path) for path in local)
    return sorted(set(files))


def _sources(folder: str) -> Iterator[str]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".py"):
                yield os.path.abspath(os.path.join(root, name))


def save(
    record: Record,
    files: Sequence[str],
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> bool:
    """Store `record` for the current set-up (replacing an older one for it); False if it could not be
    written, which only means the next run loads the plugins again."""
    env = os.environ if environ is None else environ
    directory = cache_dir(env)
    path = directory / CACHE_FILENAME
    entry = {
        "key": _key(env, cwd),
        "files": [_stamp(name) for name in files],
        "commands": [[c.name, c.help, c.plugin] for c in record.commands],
        "shadowed": list(record.shadowed),
        "warnings": list(record.warnings),
    }
    kept = [old for old in _read(path) if old.get("key") != entry["key"]]
    data = {"format": FORMAT, "records": [entry, *kept][:MAX_RECORDS]}
    try:
        from workbench.core.store.fsutil import ensure_private_dir

        ensure_private_dir(directory)
        if not _private(os.stat(directory)):
            return False  # a folder someone else can write to (or owns) is no place for the record
        _replace(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        return False
    return True


def _replace(path: Path, data: bytes) -> None:
    """Write beside `path`, then rename over it: a reader sees the old record or the new one, never half.
    No fsync: a record lost to a power cut is rebuilt on the next run."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):  # left by a killed run that had this process id
        os.unlink(tmp)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _private(found: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    getuid = getattr(os, "getuid", None)
    return not found.st_mode & 0o022 and (getuid is None or found.st_uid == getuid())
