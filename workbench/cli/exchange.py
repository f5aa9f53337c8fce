"""CLI forms of getting things out: ``export`` (one command for everything), ``tables`` and ``formats``.

``workbench export DIR WHAT -o OUT`` runs the exporter named WHAT (``qdpx``, ``qdc``, ``archive``,
``annotated-transcript``, ... as plugins register them) or writes the table named WHAT in ``--format``
(or the format the output's extension names). Every export leaves a manifest entry in the project
(GOV-2b): what, in which format, to which file with its sha256, who, when, and whether it holds
participants' words.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.cli.session import host, open_project, print_json, warn
from workbench.core.errors import BadInputError, NotFoundError, WorkbenchError
from workbench.core.governance import manifest


def _pairs(values: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        key, sep, item = value.partition("=")
        if not sep or not key.strip():
            raise BadInputError(f"expected KEY=VALUE, got {value!r}", "--option")
        out[key.strip()] = item.strip()
    return out


def cmd_export(args: argparse.Namespace) -> int:
    from workbench.tables import format_for, write_table

    exporters = {e.name: e for e in host().all_exporters()}
    tables = {t.name: t for t in host().all_tables()}
    options = _pairs(args.option)
    output = Path(args.output)
    if args.what in exporters:
        exporter = exporters[args.what]
        if args.format:
            options["format"] = args.format
        with open_project(args.dir, write=False) as project:
            result = host().run_exporter(exporter, project, output, options)
            raw = manifest.exporter_holds_words(args.what)
        paths: list[Path] = list(result)
        report, summary = result.report, result.summary  # what the exporter says it kept and left out
        fmt = args.format or exporter.extension.lstrip(".")
    elif args.what in tables:
        fmt = format_for(output, args.format)
        if fmt == "text" and args.format is None and output.suffix.lower() != ".txt":
            raise BadInputError("give --format (csv, tsv, md, xlsx, docx, json, text)", "--format")
        with open_project(args.dir, write=False) as project:
            table = host().build_table(tables[args.what], project, options)
            paths = [write_table(table, output, fmt, bom=args.bom)]
            report, summary = None, ()
            raw = manifest.holds_words(project, args.what, [c for r in table.rows for c in r])
    else:
        choices = sorted(exporters) + sorted(tables)
        raise NotFoundError(
            f"nothing to export called {args.what!r}; choose one of: {', '.join(choices)}", "WHAT"
        )
    _record(args, fmt, paths, raw, options)
    if args.json:
        out: dict[str, Any] = {
            "what": args.what,
            "format": fmt,
            "files": [str(p) for p in paths],
            "raw_text": raw,
        }
        if report is not None:
            out["fidelity"] = dict(report)
        print_json(out)
    else:
        for path in paths:
            print(f"wrote {path}")
        for line in summary:
            print(line)
    return 0


def _record(
    args: argparse.Namespace, fmt: str, paths: list[Path], raw: bool, options: dict[str, str]
) -> None:
    """The export manifest entry (GOV-2b): a project record, so it is audited and travels with the project."""
    try:
        with open_project(args.dir, write=True) as project:
            scan = manifest.record_export(project, args.what, fmt, paths, raw, options)
    except WorkbenchError as exc:
        warn(f"the export was written but its manifest entry was not recorded: {exc}")
        return
    if not scan["clean"]:
        warn(f"possible identifiers in the export: {manifest.scan_line(scan)} (see the export manifest)")


def cmd_tables(args: argparse.Namespace) -> int:
    rows = [
        {"name": t.name, "title": t.title, "description": t.description, "plugin": t.plugin}
        for t in host().all_tables()
    ]
    if args.json:
        print_json(rows)
    elif not rows:
        print("no tables are registered (see `workbench plugins`)")
    else:
        for row in rows:
            print(f"{row['name']:<28}{row['title']:<34}[{row['plugin']}] {row['description']}")
    return 0


def cmd_formats(args: argparse.Namespace) -> int:
    from workbench.tables import FORMATS

    data: dict[str, list[Any]] = {
        "importers": [
            {
                "name": i.name,
                "extensions": list(i.extensions),
                "description": i.description,
                "plugin": i.plugin,
            }
            for i in host().importers()
        ],
        "exporters": [
            {"name": e.name, "extension": e.extension, "description": e.description, "plugin": e.plugin}
            for e in host().all_exporters()
        ],
        "table_formats": list(FORMATS),
        "project_imports": [
            ".qdpx",
            ".qdc",
            ".zip (workbench archive)",
            *(f"{', '.join(f.extensions)} ({f.name})" for f in host().project_formats() if f.extensions),
            *(
                f"a folder holding {' or '.join(f.markers)} ({f.name})"
                for f in host().project_formats()
                if f.markers
            ),
        ]
        if any(c.name == "import" for c in host().commands())
        else [],
        "project_formats": [
            {
                "name": f.name,
                "extensions": list(f.extensions),
                "markers": list(f.markers),
                "description": f.description,
                "plugin": f.plugin,
            }
            for f in host().project_formats()
        ],
    }
    if args.json:
        print_json(data)
        return 0
    print("transcripts (workbench add DIR FILE...):")
    for row in data["importers"]:
        print(f"  {', '.join(row['extensions']):<16}{row['name']:<12}{row['description']}")
    if data["project_imports"]:
        print(f"projects (workbench import DIR FILE|FOLDER): {', '.join(data['project_imports'])}")
        claims = [
            ", ".join([*row["extensions"], *(f"FOLDER/{m}" for m in row["markers"])])
            for row in data["project_formats"]
        ]
        width = max([16, *(len(c) + 2 for c in claims)])
        for row, claim in zip(data["project_formats"], claims, strict=True):
            print(f"  {claim:<{width}}{row['name']:<12}{row['description']}")
    print("exports (workbench export DIR WHAT -o OUT):")
    for row in data["exporters"]:
        print(f"  {row['name']:<24}{row['extension']:<7}{row['description']}")
    print(f"  any table (workbench tables DIR) --format {'|'.join(FORMATS)}")
    return 0


def add_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add this module's subcommands through `main.build_parser`'s `command` helper."""
    p = command("export", cmd_export, "export a project (qdpx, qdc, archive, ...) or a table (-o OUT)")
    p.add_argument("what", metavar="WHAT", help="qdpx, qdc, archive, an exporter or a table name")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--format", metavar="F", help="table: csv, tsv, md, xlsx, docx, json, text; or exporter's")
    p.add_argument("--bom", action="store_true", help="CSV/TSV with a UTF-8 byte-order mark (for Excel)")
    p.add_argument("--option", action="append", metavar="KEY=VALUE")
    p.add_argument("--json", action="store_true")

    p = command("tables", cmd_tables, "list the tables plugins register (export them with `export`)")
    p.add_argument("--json", action="store_true")

    p = command("formats", cmd_formats, "list transcript, project and export formats", project=False)
    p.add_argument("--json", action="store_true")
