"""Typed records for the entities of METHODS.md 1.1.

The store keeps plain JSON dicts (TinyDB documents); these dataclasses are the
typed view the services and plugins use. `to_doc`/`from_doc` are the only
places that know the JSON shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["interviewer", "participant", "other", "unknown"]


@dataclass(frozen=True)
class Turn:
    """A speaker turn: `label` as written, `role` as mapped, code-point span [start, end)."""

    index: int
    label: str
    role: Role
    start: int
    end: int
    t_start: float | None = None
    t_end: float | None = None


@dataclass(frozen=True)
class TranscriberNote:
    """A transcriber's note on the transcript (a Word or ODF comment), kept apart from the words (TR-2).

    `quote` is the stretch of text the note was attached to, so the note can be read in place.
    """

    text: str
    author: str = ""
    quote: str = ""


@dataclass(frozen=True)
class ImportedTranscript:
    """What an importer hands the host: canonical text (LF, NFC) plus what it learnt about it.

    `turns` may be empty: the host then detects turns from speaker labels (TR-6).
    `warnings` are shown to the user (for example a Windows-1252 fallback).
    `notes` are transcriber notes found in the file; `workbench add` keeps each as a memo on the source.
    """

    text: str
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()
    turns: tuple[Turn, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    notes: tuple[TranscriberNote, ...] = ()
