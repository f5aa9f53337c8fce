"""A REFI-QDA source's plain text, decoded from its bytes: the member a ``<TextSource>`` names, or a
``.txt`` rich-text document (`rich_text`).

Its own module because both readers use it: `refi_import` for the plain-text members and `rich_text`
for ``.txt`` documents, and `refi_import` builds on `rich_text` (docs/architecture-imports.md).
"""

from __future__ import annotations

from workbench import BadInputError

__all__ = ["decode_text"]


def decode_text(data: bytes, where: str) -> str:
    """A source's plain text: UTF-8 (BOM dropped), else UTF-16 with a BOM; line breaks left for `offsets`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadInputError("source text is not valid UTF-16", where) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInputError("source text is not UTF-8 as REFI-QDA requires", where) from None
