"""Bundled importer for plain-text and Markdown transcripts (.txt, .md).

It is loaded exactly like a third-party plugin, through the ``workbench.plugins`` entry point, and uses
only the public API of the ``workbench`` package root: that keeps the public API honest, and makes this the
example to copy when writing an importer.

Markdown is imported as the text it is (markup included), because anchors must count the characters the
transcriber wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench import ImportedTranscript, decode_transcript, detect_turns, hookimpl

if TYPE_CHECKING:
    from workbench import RegisterImporter

__version__ = "0.1.0"

EXTENSIONS = (".txt", ".md")


def load_plaintext(path: Path, data: bytes) -> ImportedTranscript:
    """Decode a transcript's bytes (UTF-8, UTF-16 with BOM, or Windows-1252 with a warning) and find turns.

    Raises ``BadInputError`` naming ``path`` for files that are not usable text.
    """
    decoded = decode_transcript(data, where=str(path))
    return ImportedTranscript(
        text=decoded.text,
        encoding=decoded.encoding,
        warnings=tuple(decoded.warnings),
        turns=detect_turns(decoded.text),
    )


@hookimpl
def register_importers(register: RegisterImporter) -> None:
    """Contribute the ``plaintext`` importer for .txt and .md files."""
    register(
        "plaintext",
        EXTENSIONS,
        load_plaintext,
        description="plain text or Markdown; UTF-8, UTF-16 (with BOM) or Windows-1252",
    )
