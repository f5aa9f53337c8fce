"""Another tool's SQLite database, opened so that nothing can be written to it (QualCoder, Taguette).

Importers read the researcher's original file; a ``mode=ro`` URI makes the read-only promise the
database engine's, not ours. The header and ``PRAGMA quick_check`` are checked first, so a corrupt,
truncated or non-SQLite file is one clear line, not an error half-way through an import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from workbench.core.errors import BadInputError

__all__ = ["SQLITE_HEADER", "open_sqlite_read_only"]

SQLITE_HEADER = b"SQLite format 3\x00"


@contextmanager
def open_sqlite_read_only(database: Path, *, what: str, missing: str) -> Iterator[sqlite3.Connection]:
    """The database opened read-only; `what` names the file expected ("a QualCoder data.qda"),
    `missing` is the message when there is no such file."""
    where = str(database)
    try:
        with database.open("rb") as handle:
            head = handle.read(100)
    except FileNotFoundError:
        raise BadInputError(missing, where) from None
    except OSError as exc:
        raise BadInputError(f"cannot read the database ({exc.strerror})", where) from None
    if not head.startswith(SQLITE_HEADER):
        raise BadInputError(f"not an SQLite database: the file is corrupt or not {what}", where)
    uri = database.resolve().as_uri() + "?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise BadInputError(f"cannot open the database read-only: {exc}", where) from None
    with closing(connection):
        try:
            check = connection.execute("PRAGMA quick_check").fetchone()
        except sqlite3.Error as exc:
            raise BadInputError(f"the database is damaged or truncated: {exc}", where) from None
        if not check or check[0] != "ok":
            raise BadInputError(f"the database is damaged or truncated: {check[0] if check else '?'}", where)
        yield connection
