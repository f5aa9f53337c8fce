"""Interoperability plugin: transcripts in, projects exchanged, thesis material out (issue 7).

* importers (TR-2..TR-5): Word ``.docx``, OpenDocument ``.odt``, WebVTT ``.vtt`` (Teams and Zoom),
  SubRip ``.srt``; every one ends in the same text-and-turns shape as plain text (`transcript`);
* REFI-QDA (EXP-4): exporters ``qdpx`` and ``qdc`` (validated against the vendored schemas), and the
  ``workbench import DIR FILE`` command for ``.qdpx``/``.qdc`` files and workbench archives;
* the full project archive (EXP-5), the annotated transcript and coded-segments report (EXP-2, DOCX and
  HTML), diagrams as DOT and Mermaid (EXP-3), and the core tables ``codebook`` and ``coded-segments``.

Only hook implementations live here; each format has its own module, imported when first used.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import ImportedTranscript, hookimpl

if TYPE_CHECKING:
    from workbench import (
        ExportResult,
        Project,
        RegisterCommand,
        RegisterExporter,
        RegisterImporter,
        RegisterTable,
    )

__version__ = "0.1.0"

#: Exports holding participants' words (for the export manifest, GOV-2b).
RAW_TEXT_EXPORTS = frozenset({"qdpx", "archive", "annotated-transcript", "segments-report", "coded-segments"})


def _load_docx(path: Path, data: bytes) -> ImportedTranscript:
    from wb_interop.docx_import import load_docx

    return load_docx(path, data)


def _load_odt(path: Path, data: bytes) -> ImportedTranscript:
    from wb_interop.odt_import import load_odt

    return load_odt(path, data)


def _load_vtt(path: Path, data: bytes) -> ImportedTranscript:
    from wb_interop.vtt_import import load_vtt

    return load_vtt(path, data)


def _load_srt(path: Path, data: bytes) -> ImportedTranscript:
    from wb_interop.srt_import import load_srt

    return load_srt(path, data)


@hookimpl
def register_importers(register: RegisterImporter) -> None:
    """Transcript formats from transcribers and meeting tools."""
    register("docx", [".docx"], _load_docx, "Word: paragraphs, Speaker|Text tables, bold labels, comments")
    register("odt", [".odt"], _load_odt, "OpenDocument text: paragraphs, tables, comments")
    register("vtt", [".vtt"], _load_vtt, "WebVTT: Teams voice tags, Zoom 'Name:' cues, merged into turns")
    register("srt", [".srt"], _load_srt, "SubRip subtitles: 'Name:' prefixes and dialogue dashes")


def _report_option(options: Mapping[str, str], destination: Path) -> Path | None:
    """The ``--option report=OUT.json`` path, checked before anything is exported."""
    from wb_interop.fidelity import check_report_path

    report = Path(options["report"]) if options.get("report") else None
    if report is not None:
        check_report_path(report)
        if report.resolve() == destination.resolve():
            from workbench import BadInputError

            raise BadInputError("the report would overwrite the export; give another file name", "report")
    return report


def _reported(destination: Path, fidelity: dict[str, Any], report: Path | None) -> ExportResult:
    """The export's file (and the report's, when asked for), with the fidelity report and its summary."""
    from wb_interop.fidelity import write_report
    from workbench import ExportResult

    paths = [destination] if report is None else [destination, write_report(report, fidelity)]
    return ExportResult(paths, report=fidelity, summary=export_lines(fidelity, report))


def _export_qdpx(project: Project, destination: Path, options: Mapping[str, str]) -> ExportResult:
    """The project as .qdpx, with the fidelity report of the export (a file too with ``report=OUT.json``)."""
    from wb_interop.progress import for_terminal
    from wb_interop.refi_export import export_fidelity, export_qdpx
    from wb_interop.validate import validate_qdpx

    report = _report_option(options, destination)
    export_qdpx(project, destination, for_terminal())
    if options.get("validate", "yes").casefold() not in ("no", "false", "0"):
        validate_qdpx(destination)
    return _reported(destination, export_fidelity(project, destination).to_json(), report)


def _export_qdc(project: Project, destination: Path, options: Mapping[str, str]) -> ExportResult:
    """The codebook as .qdc, with the fidelity report of what a codebook cannot hold."""
    from wb_interop.refi_export import codebook_fidelity, export_qdc
    from wb_interop.validate import validate_qdc

    report = _report_option(options, destination)
    export_qdc(project, destination)
    validate_qdc(destination.read_bytes(), str(destination))
    return _reported(destination, codebook_fidelity(project, destination).to_json(), report)


def export_lines(report: Mapping[str, Any], report_path: Path | None) -> list[str]:
    """What `workbench export` prints (and the terminal workbench shows) after the files written: the
    fidelity table and items of a REFI-QDA export, as the import prints them."""
    from wb_interop.fidelity import SCREEN_ITEMS, counts_table, item_lines

    what = "the .qdpx" if report["file_format"] == "qdpx" else "the .qdc codebook"
    lines = [f"fidelity report (what {what} holds of the project):"]
    lines += ["  " + line for line in counts_table(dict(report))]
    hint = (
        f" (all of them in {report_path})"
        if report_path
        else " (all of them with the option report=OUT.json)"
    )
    lines += ["  " + line for line in item_lines(dict(report), SCREEN_ITEMS, hint)]
    return lines


def _export_archive(project: Project, destination: Path, options: Mapping[str, str]) -> Sequence[Path]:
    from wb_interop.archive import export_archive

    return [export_archive(project, destination)]


def _html_wanted(destination: Path, options: Mapping[str, str]) -> bool:
    fmt = options.get("format", "").casefold()
    return fmt == "html" or (not fmt and destination.suffix.lower() in (".html", ".htm"))


def _export_annotated(project: Project, destination: Path, options: Mapping[str, str]) -> Sequence[Path]:
    from wb_interop.output import write_bytes
    from wb_interop.reports import annotated_docx, annotated_html

    html = _html_wanted(destination, options)
    return [
        write_bytes(
            destination, annotated_html(project, options) if html else annotated_docx(project, options)
        )
    ]


def _export_segments(project: Project, destination: Path, options: Mapping[str, str]) -> Sequence[Path]:
    from wb_interop.output import write_bytes
    from wb_interop.reports import segments_report

    fmt = "html" if _html_wanted(destination, options) else "docx"
    return [write_bytes(destination, segments_report(project, options, fmt))]


def _export_diagram(project: Project, destination: Path, options: Mapping[str, str]) -> Sequence[Path]:
    from wb_interop.diagrams import to_dot, to_mermaid
    from wb_interop.output import write_bytes

    fmt = options.get("format", "").casefold() or (
        "mermaid" if destination.suffix.lower() in (".mmd", ".md") else "dot"
    )
    text = to_mermaid(project, options) if fmt == "mermaid" else to_dot(project, options)
    return [write_bytes(destination, text.encode("utf-8"))]


@hookimpl
def register_exporters(register: RegisterExporter) -> None:
    """Project exchange, archive, appendices and diagrams."""
    register(
        "qdpx",
        ".qdpx",
        _export_qdpx,
        "REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder); option report=OUT.json: what went where",
    )
    register("qdc", ".qdc", _export_qdc, "REFI-QDA codebook; option report=OUT.json: what it cannot hold")
    register("archive", ".zip", _export_archive, "full project archive with sha256 manifest (EXP-5)")
    register(
        "annotated-transcript",
        ".docx",
        _export_annotated,
        "line-numbered transcript with codes (options source=S1, columns=2|3; .docx or .html)",
    )
    register(
        "segments-report", ".docx", _export_segments, "coded segments with citations (option code=LABEL)"
    )
    register(
        "diagram", ".dot", _export_diagram, "codes, clusters and links as Graphviz DOT or Mermaid (.mmd)"
    )


@hookimpl
def register_tables(register: RegisterTable) -> None:
    """The two core tables every study has."""
    from wb_interop.builtin_tables import codebook, coded_segments

    register("codebook", "Codebook", codebook, "codes in tree order with level, kind, definition and counts")
    register(
        "coded-segments",
        "Coded segments",
        coded_segments,
        "every segment of --option code=LABEL with its citation and verbatim extract",
    )


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="project directory (created if it does not exist)")
    parser.add_argument(
        "file",
        metavar="FILE",
        help=".qdpx, .qdc, a workbench archive (.zip) or a project format from `workbench formats`",
    )
    parser.add_argument("--title", help="title of a new project (default: the file's project name)")
    parser.add_argument("--method", choices=["gt", "ipa", "none"], help="method of a new project")
    parser.add_argument(
        "--report",
        metavar="OUT.json",
        help="also write the fidelity report (every element found, imported, converted, dropped) as JSON",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="read and check the file and report; change nothing"
    )
    parser.add_argument("--json", action="store_true")


def _run_import(args: argparse.Namespace) -> int:
    from wb_interop.fidelity import check_report_path, write_report
    from wb_interop.progress import for_terminal
    from wb_interop.project_import import import_file
    from workbench import print_json

    report_path = Path(args.report) if args.report else None
    if report_path is not None:
        check_report_path(report_path)  # before anything is imported: a bad path must not half-finish
    report = import_file(
        Path(args.dir),
        Path(args.file),
        title=args.title,
        method=args.method,
        progress=for_terminal(),
        dry_run=args.dry_run,
    )
    if report_path is not None:
        write_report(report_path, report["fidelity"])
    if args.json:
        print_json(report)
        return 0
    for line in import_lines(report, args.file, args.dir, report_path):
        print(line)
    return 0


def import_lines(report: Mapping[str, Any], file: str, directory: str, report_path: Path | None) -> list[str]:
    """What `workbench import` prints: what came in, the fidelity table and items, then notes."""
    from wb_interop.fidelity import SCREEN_ITEMS, counts_table, item_lines

    counts = ", ".join(f"{n} {k}" for k, n in report["counts"].items() if n)
    target = f"new project {directory}" if report["new"] else directory
    if report.get("dry_run"):
        lines = [f"dry run: {file} would be imported into {target}: {counts or 'nothing'}; nothing written"]
    else:
        lines = [f"imported {file} into {target}: {counts or 'nothing'}"]
    fidelity = report["fidelity"]
    origin = f" (written by {fidelity['origin']})" if fidelity.get("origin") else ""
    lines.append(f"fidelity report{origin}:")
    lines += ["  " + line for line in counts_table(fidelity)]
    hint = f" (all of them in {report_path})" if report_path else " (all of them with --report OUT.json)"
    lines += ["  " + line for line in item_lines(fidelity, SCREEN_ITEMS, hint)]
    lines += [f"  note: {note}" for note in report["notes"]]
    if report_path is not None:
        lines.append(f"wrote {report_path}")
    return lines


@hookimpl
def register_commands(register: RegisterCommand) -> None:
    register(
        "import",
        "import a REFI-QDA project (.qdpx) or codebook (.qdc), a workbench archive, or another program's "
        "project (see `workbench formats`), into a project",
        _configure_import,
        _run_import,
    )
