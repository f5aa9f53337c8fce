"""Tables the workbench itself registers (not a method plugin): word frequencies.

Registered beside the plugins' tables so every table route applies (`workbench table words`,
`workbench export`, csv/tsv/md/xlsx/docx/json, the Outputs view). Built here rather than in a plugin
because they need the host's `case_access` (IPA bracketing hides other cases' words too).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

from workbench.core.errors import BadInputError
from workbench.core.search.corpus import SearchOptions
from workbench.core.search.frequency import word_frequencies
from workbench.registry import TableData, TableSpec

if TYPE_CHECKING:
    from workbench.core.project import Project
    from workbench.plugins import PluginHost

__all__ = ["builtin_tables"]

BUILTIN = "workbench"
_WORDS_OPTIONS = ("top", "by", "stopwords", "min-length", "stem", "source", "participant", "speaker", "code")


def _list(options: Mapping[str, str], key: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in options.get(key, "").split(",") if v.strip())


def _int(options: Mapping[str, str], key: str, default: int) -> int:
    value = options.get(key, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise BadInputError(f"option {key} needs a whole number, got {value!r}", f"--option {key}")
    return int(value)


def _words(host: PluginHost, project: Project, options: Mapping[str, str]) -> TableData:
    unknown = sorted(set(options) - set(_WORDS_OPTIONS))
    if unknown:
        raise BadInputError(
            f"unknown option {unknown[0]!r}; the words table takes {', '.join(_WORDS_OPTIONS)}", "--option"
        )
    by = options.get("by") or None
    stem = options.get("stem", "no").strip().lower()
    if stem not in ("yes", "no"):
        raise BadInputError(f"option stem is yes or no, got {stem!r}", "--option stem")
    rows = word_frequencies(
        project,
        top=_int(options, "top", 50),
        by=by,
        stopwords=options.get("stopwords", ""),
        min_length=_int(options, "min-length", 1),
        stem=stem == "yes",
        options=SearchOptions(
            sources=_list(options, "source"),
            participants=_list(options, "participant"),
            speakers=_list(options, "speaker"),
            hidden=host.case_access(project).hidden,
        ),
        codes=_list(options, "code"),
    )
    lead = (by.capitalize(),) if by else ()
    return TableData(
        columns=(*lead, "Word", "Count", "Sources", "Participants"),
        rows=tuple(
            ((r.unit,) if by else ()) + (r.word, str(r.count), str(r.sources), str(r.participants))
            for r in rows
        ),
        title="Word frequencies" + (f" by {by}" if by else ""),
    )


def builtin_tables(host: PluginHost) -> list[TableSpec]:
    return [
        TableSpec(
            "words",
            "Word frequencies",
            partial(_words, host),
            "most frequent words (stop words left out); options top, by, stopwords, min-length, stem, "
            "source, participant, speaker, code",
            BUILTIN,
        )
    ]
