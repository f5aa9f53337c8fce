"""Outputs the workbench itself registers (not a method plugin): word frequencies, the analysis matrices
and the co-occurrence network diagram.

Registered beside the plugins' tables so every table route applies (`workbench table NAME`,
`workbench export`, csv/tsv/md/xlsx/docx/json, the Outputs view). Built here rather than in a plugin
because they need the host's `case_access` (IPA bracketing hides other cases' words and codings too).

Matrix JSON rows are ``{"Code": label, <column>: cell, ...}``; a footnote (suppressed cells) is a last
row whose "Code" cell holds the note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from workbench.core import matrix as matrices
from workbench.core.errors import BadInputError
from workbench.core.search.corpus import SearchOptions
from workbench.core.search.frequency import word_frequencies
from workbench.registry import CaseAccess, Exporter, TableData, TableSpec

if TYPE_CHECKING:
    from workbench.core.project import Project

__all__ = ["CaseRules", "builtin_exporters", "builtin_tables"]


class CaseRules(Protocol):
    """What these outputs need of the plugin host: the method plugins' case rules, merged.

    `workbench.plugins.PluginHost` is one and passes itself; the host imports this module, never the other
    way round (docs/architecture-imports.md).
    """

    def case_access(self, project: Project) -> CaseAccess: ...

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


def _words(host: CaseRules, project: Project, options: Mapping[str, str]) -> TableData:
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


def _check_options(name: str, options: Mapping[str, str], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise BadInputError(
            f"unknown option {unknown[0]!r}; the {name} table takes {', '.join(allowed)}", "--option"
        )


def _yes(options: Mapping[str, str], key: str, default: str) -> bool:
    value = options.get(key, default).strip().lower()
    if value not in ("yes", "no", "on", "off"):
        raise BadInputError(f"option {key} is yes or no, got {value!r}", f"--option {key}")
    return value in ("yes", "on")


def small_cell(project: Project) -> int:
    return int(project.meta.get("small_cell") or matrices.DEFAULT_SMALL_CELL)


def _matrix_table(
    matrix: matrices.Matrix, project: Project, options: Mapping[str, str], title: str, percent: str = "none"
) -> TableData:
    """The matrix as a table: the small-cell legend in the title, withheld complements as footnote rows
    (so the JSON rows stay one per code, plus a footnote row only when cells were withheld so)."""
    shown = matrices.displayed(
        matrix, small_cell=small_cell(project), suppress=_yes(options, "suppress", "on"), percent=percent
    )
    legend = [n for n in shown.notes if n not in shown.footnotes]
    width = len(shown.columns)
    notes = tuple((note, *([""] * (width - 1))) for note in shown.footnotes)
    full_title = title + "".join(f"; {note}" for note in legend)
    return TableData(columns=shown.columns, rows=shown.rows + notes, title=full_title)


_COOCCURRENCE = ("codes", "unit", "measure", "rollup")
_CASE = ("codes", "measure", "label", "rollup", "suppress")
_CROSSTAB = ("attr", "codes", "measure", "percent", "rollup", "suppress")


def _cooccurrence_matrix(host: CaseRules, project: Project, options: Mapping[str, str]) -> matrices.Matrix:
    return matrices.cooccurrence(
        project,
        codes=_list(options, "codes") or None,
        unit=options.get("unit", "overlap"),
        measure=options.get("measure", "segments"),
        rollup=_yes(options, "rollup", "no"),
        hidden=host.case_access(project).hidden,
    )


def _cooccurrence(host: CaseRules, project: Project, options: Mapping[str, str]) -> TableData:
    _check_options("cooccurrence", options, _COOCCURRENCE)
    matrix = _cooccurrence_matrix(host, project, options)
    return _matrix_table(
        matrix, project, options, f"Code co-occurrence ({matrix.measure}, {options.get('unit', 'overlap')})"
    )


def _code_by_case(host: CaseRules, project: Project, options: Mapping[str, str]) -> TableData:
    _check_options("code-by-case", options, _CASE)
    matrix = matrices.code_by_case(
        project,
        codes=_list(options, "codes") or None,
        measure=options.get("measure", "segments"),
        label=options.get("label", "id"),
        rollup=_yes(options, "rollup", "no"),
        hidden=host.case_access(project).hidden,
    )
    return _matrix_table(matrix, project, options, f"Codes by case ({matrix.measure})")


def _crosstab(host: CaseRules, project: Project, options: Mapping[str, str]) -> TableData:
    _check_options("crosstab", options, _CROSSTAB)
    matrix = matrices.crosstab(
        project,
        attr=options.get("attr", ""),
        codes=_list(options, "codes") or None,
        measure=options.get("measure", "segments"),
        rollup=_yes(options, "rollup", "no"),
        hidden=host.case_access(project).hidden,
    )
    return _matrix_table(
        matrix,
        project,
        options,
        f"Codes by {options.get('attr')} ({matrix.measure})",
        percent=options.get("percent", "none"),
    )


def builtin_tables(host: CaseRules) -> list[TableSpec]:
    return [
        TableSpec(
            "words",
            "Word frequencies",
            partial(_words, host),
            "most frequent words (stop words left out); options top, by, stopwords, min-length, stem, "
            "source, participant, speaker, code",
            BUILTIN,
        ),
        TableSpec(
            "cooccurrence",
            "Code co-occurrence",
            partial(_cooccurrence, host),
            "segments of each row code that co-occur with the column code; options codes=A,B "
            "unit=overlap|turn|source measure=segments|participants rollup=yes",
            BUILTIN,
        ),
        TableSpec(
            "code-by-case",
            "Codes by case",
            partial(_code_by_case, host),
            "codes x participants; options codes= measure=segments|words|participants|presence "
            "label=id|pseudonym rollup=yes suppress=off",
            BUILTIN,
        ),
        TableSpec(
            "crosstab",
            "Codes by attribute",
            partial(_crosstab, host),
            "codes x the values of a participant attribute; options attr=KEY codes= "
            "measure=segments|participants|words percent=row|column|none rollup=yes suppress=off",
            BUILTIN,
        ),
    ]


def _node(label: str) -> str:
    return '"' + label.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mermaid_label(label: str) -> str:
    return '"' + re.sub(r'["\n]', "'", label) + '"'


def _edges(matrix: matrices.Matrix, minimum: int) -> list[tuple[int, int, int]]:
    """Undirected edges (row, row, weight): the larger of the two cells, at least `minimum`."""
    out = []
    for a in range(len(matrix.rows)):
        for b in range(a + 1, len(matrix.rows)):
            weight = max(matrix.cells[a][b].value, matrix.cells[b][a].value)
            if weight >= minimum and weight > 0:
                out.append((a, b, weight))
    return out


def cooccurrence_diagram(
    host: CaseRules, project: Project, destination: Path, options: Mapping[str, str]
) -> Sequence[Path]:
    """The co-occurrence network as Graphviz DOT or Mermaid (by the file's extension or format=)."""
    from workbench.core.store.fsutil import write_private_file

    allowed = (*_COOCCURRENCE, "min", "format")
    _check_options("cooccurrence-diagram", options, allowed)
    matrix = _cooccurrence_matrix(host, project, options)
    minimum = _int(options, "min", 1)
    fmt = options.get("format", "").casefold() or (
        "mermaid" if destination.suffix.lower() in (".mmd", ".md") else "dot"
    )
    if fmt not in ("dot", "mermaid"):
        raise BadInputError(f"format={fmt!r} is not dot or mermaid", "--format")
    edges = _edges(matrix, minimum)
    if fmt == "dot":
        lines = ["graph cooccurrence {", "  node [shape=box];"]
        lines += [f"  c{i} [label={_node(label)}];" for i, label in enumerate(matrix.rows)]
        lines += [
            f'  c{a} -- c{b} [label="{w}", weight={w}, penwidth={min(1 + w / 2, 8):g}];' for a, b, w in edges
        ]
        lines.append("}")
    else:
        lines = ["graph LR"]
        lines += [f"  c{i}[{_mermaid_label(label)}]" for i, label in enumerate(matrix.rows)]
        lines += [f"  c{a} ---|{w}| c{b}" for a, b, w in edges]
    write_private_file(destination, ("\n".join(lines) + "\n").encode("utf-8"))
    return [destination]


def builtin_exporters(host: CaseRules) -> list[Exporter]:
    return [
        Exporter(
            "cooccurrence-diagram",
            ".dot",
            partial(cooccurrence_diagram, host),
            "code co-occurrence network as DOT or Mermaid (.mmd), edges weighted by the cell count; "
            "options min=N codes= unit= measure= rollup=",
            BUILTIN,
        )
    ]
