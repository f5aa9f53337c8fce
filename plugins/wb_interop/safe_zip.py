"""Reading zip archives (.qdpx, project archives, .docx, .odt) that someone else made, safely.

An archive is checked whole before any member is used, with `zipfile` reading the central directory:
too many members, too many bytes once unpacked, a compression ratio no real document has (a zip bomb),
a member name that is absolute or climbs out with ``..``, and a member stored as a symbolic link are each
refused with one line naming the problem. Sizes are checked again while reading, because the sizes in the
directory are only what the archive claims. Nothing is ever unpacked onto the disk.
"""

from __future__ import annotations

import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from workbench import BadInputError


@dataclass(frozen=True)
class Limits:
    """Caps for one archive; the defaults fit a 60-interview study with room to spare."""

    max_members: int = 20_000
    max_total_bytes: int = 1024 * 1024 * 1024
    max_member_bytes: int = 512 * 1024 * 1024
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1024 * 1024  # tiny members may compress well beyond the ratio (a run of spaces)


DEFAULT_LIMITS = Limits()
OFFICE_LIMITS = Limits(max_members=5_000, max_total_bytes=256 * 1024 * 1024)


def open_zip(data: bytes, where: str) -> zipfile.ZipFile:
    """Open `data` as a zip archive or refuse it with a message naming `where`."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadInputError(f"not a readable zip archive ({exc})", where) from None


def check_archive(archive: zipfile.ZipFile, where: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse the archive if any member is unsafe or the whole is too large; return quietly otherwise."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise BadInputError(
            f"archive has {len(members):,} members; the limit is {limits.max_members:,}", where
        )
    total = 0
    for info in members:
        name = info.filename
        unsafe = unsafe_name(name)
        if unsafe:
            raise BadInputError(f"archive member {name!r} {unsafe}; refusing the archive", where)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise BadInputError(f"archive member {name!r} is a symbolic link; refusing the archive", where)
        if info.flag_bits & 0x1:
            raise BadInputError(f"archive member {name!r} is encrypted; refusing the archive", where)
        if info.file_size > limits.max_member_bytes:
            raise BadInputError(
                f"archive member {name!r} unpacks to {info.file_size:,} bytes; the limit is "
                f"{limits.max_member_bytes:,}",
                where,
            )
        if info.file_size > limits.ratio_floor_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise BadInputError(
                    f"archive member {name!r} expands {ratio:,.0f} times (limit {limits.max_ratio:,.0f}); "
                    "this looks like a zip bomb",
                    where,
                )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise BadInputError(
                f"archive unpacks to more than {limits.max_total_bytes:,} bytes; refusing it", where
            )


def unsafe_name(name: str) -> str:
    """Why a member name is unsafe ("is an absolute path", "climbs out of the archive"), or ""."""
    if not name or "\x00" in name:
        return "has an empty or binary name"
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive:
        return "is an absolute path"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        return "climbs out of the archive with '..'"
    return ""


def read_member(archive: zipfile.ZipFile, name: str, where: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A member's bytes, read in chunks and cut off at the member cap whatever the directory claimed."""
    info = archive.getinfo(name)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > limits.max_member_bytes or size > max(
                    limits.ratio_floor_bytes, info.compress_size * limits.max_ratio
                ):
                    raise BadInputError(
                        f"archive member {name!r} unpacks to more than it declares; "
                        "this looks like a zip bomb",
                        where,
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise BadInputError(f"archive member {name!r} cannot be read ({exc})", where) from None
    return b"".join(chunks)


def check_office_zip(data: bytes, where: str) -> None:
    """Check a .docx or .odt before a library opens it: safe members, and no DTD in any XML part.

    python-docx and odfpy parse the parts themselves; refusing document type declarations here means no
    entity can be defined, so neither an external entity nor an entity-expansion attack can reach them.
    """
    with open_zip(data, where) as archive:
        check_archive(archive, where, OFFICE_LIMITS)
        for info in archive.infolist():
            if info.filename.lower().endswith((".xml", ".rels")):
                head = read_member(archive, info.filename, where, OFFICE_LIMITS)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise BadInputError(
                        f"document part {info.filename!r} declares a DTD or entities; refusing it", where
                    )
