"""``workbench gt SUBCOMMAND DIR ...``: every GT step from the command line.

Argument parsing lives here and stays cheap (the CLI builds its parser on every run); each handler opens
the project, calls one of the concept modules, and prints one line per change, or a table / JSON for the
listing and reporting subcommands. Bad input raises `BadInputError` before anything changes wherever
the check can be made up front.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import BadInputError, TableData

if TYPE_CHECKING:
    from workbench import Project

Handler = Callable[[argparse.Namespace], int]
_LINES = re.compile(r"^([0-9]+)(?:-([0-9]+))?$")
_CHARS = re.compile(r"^([0-9]+):([0-9]+)$")


def _table_text(table: TableData) -> str:
    flat = [[" / ".join(c.splitlines()) for c in row] for row in table.rows]
    widths = [max([len(c), *(len(r[i]) for r in flat)]) for i, c in enumerate(table.columns)]
    lines = [table.title, "  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in flat]
    return "\n".join(lines)


def _print_table(table: TableData, as_json: bool) -> None:
    from workbench import print_json

    if as_json:
        print_json([dict(zip(table.columns, row, strict=True)) for row in table.rows])
    else:
        print(_table_text(table))


def _open(args: argparse.Namespace, write: bool) -> Project:
    from workbench import open_project

    return open_project(args.dir, write=write)


# -- handlers ------------------------------------------------------------------------------------------
def run_setup(args: argparse.Namespace) -> int:
    from .profiles import setup_study

    with _open(args, True) as project:
        for message in setup_study(
            project,
            profile=args.profile,
            questions=args.question,
            position=args.position,
            sensitising=args.sensitising,
            paradigm=args.paradigm,
        ):
            print(message)
    return 0


def run_profile(args: argparse.Namespace) -> int:
    from workbench import print_json

    from .profiles import active_profile, paradigm_mode, profile_record

    with _open(args, False) as project:
        profile = active_profile(project)
        record = profile_record(project)
        data = {
            "profile": profile.id,
            "title": profile.title,
            "reference": profile.reference,
            "questions": record["data"].get("questions", []) if record else [],
            "levels": profile.level_labels,
            "default_unit": profile.default_unit,
            "paradigm_mode": paradigm_mode(project),
            "memos": record["links"] if record else [],
        }
    if args.json:
        print_json(data)
        return 0
    print(f"{profile.title} — {profile.reference}")
    for question in data["questions"]:
        print(f"  research question: {question}")
    print("  levels: " + ", ".join(f"{k} = {v}" for k, v in profile.level_labels.items()))
    print(f"  default coding unit: {profile.default_unit}; paradigm terms: {data['paradigm_mode']}")
    return 0


def run_steps(args: argparse.Namespace) -> int:
    from workbench import print_json

    from .profiles import active_profile
    from .progress import steps

    with _open(args, False) as project:
        found = steps(project)
        title = active_profile(project).title
    if args.json:
        print_json([asdict(s) for s in found])
        return 0
    print(f"{title}: steps")
    for number, step in enumerate(found, start=1):
        print(f"{number:>2}. {step.title} [{step.id}]\n      {step.status}")
    return 0


def run_skip(args: argparse.Namespace) -> int:
    from .profiles import skip_step

    with _open(args, True) as project:
        record, memo = skip_step(project, args.step, args.reason)
    print(f"skipped {args.step} ({record}); reason in memo {memo}")
    return 0


def run_checklist(args: argparse.Namespace) -> int:
    from workbench import print_json

    from .progress import checklist

    with _open(args, False) as project:
        items = checklist(project)
    if args.json:
        print_json([{"done": ok, "item": text} for ok, text in items])
    else:
        for ok, text in items:
            print(f"[{'✓' if ok else ' '}] {text}")
    return 0


def run_guide(args: argparse.Namespace) -> int:
    from .collection import add_guide

    if (args.text is None) == (args.file is None):
        raise BadInputError("give the guide with --text or --file (one of them)", "--text")
    text = args.text
    if args.file is not None:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInputError(f"cannot read the guide ({exc})", args.file) from None
    with _open(args, True) as project:
        record = add_guide(project, args.version, text, changes=args.changes or "", date=args.date or "")
    print(f"interview guide {args.version} saved ({record})")
    return 0


def run_log(args: argparse.Namespace) -> int:
    from .collection import log_interview

    with _open(args, True) as project:
        record = log_interview(
            project,
            args.source,
            date=args.date,
            duration=args.duration,
            setting=args.setting,
            interviewer=args.interviewer,
            guide_version=args.guide,
            purpose=args.purpose,
        )
    print(f"logged {args.source} ({record})")
    return 0


def run_coded(args: argparse.Namespace) -> int:
    from .collection import mark_coded

    with _open(args, True) as project:
        snapshot, day = mark_coded(project, args.source, args.on)
    extra = f"; codebook snapshot {snapshot}" if snapshot else ""
    print(f"{args.source} coded on {day}{extra}")
    return 0


def _span(project: Project, args: argparse.Namespace) -> tuple[int, int]:
    from .coding import find_quote

    if args.lines is not None:
        match = _LINES.match(args.lines.strip())
        if match is None:
            raise BadInputError(f"expected A-B line numbers, got {args.lines!r}", "--lines")
        first = int(match[1])
        span: tuple[int, int] = project.span_of_lines(args.source, first, int(match[2] or first))
        return span
    if args.chars is not None:
        match = _CHARS.match(args.chars.strip())
        if match is None:
            raise BadInputError(f"expected START:END code-point offsets, got {args.chars!r}", "--chars")
        return int(match[1]), int(match[2])
    if args.quote is not None:
        return find_quote(project, args.source, args.quote)
    if args.in_vivo:
        return find_quote(project, args.source, args.label)
    raise BadInputError("say where: --lines A-B, --quote TEXT or --chars START:END", "--lines")


def run_code(args: argparse.Namespace) -> int:
    from .coding import code_initial

    with _open(args, True) as project:
        coded = code_initial(
            project,
            args.source,
            _span(project, args),
            args.label,
            in_vivo=args.in_vivo,
            unit=args.unit,
            note=args.note,
            coder=args.coder,
        )
    for hint in coded.hints:
        print(hint, file=sys.stderr)
    memo = f"; note {coded.memo}" if coded.memo else ""
    print(
        f"coded {args.source} {coded.start}:{coded.end} ({coded.unit}) as {coded.label!r} "
        f"({coded.coding_id}){memo}"
    )
    return 0


def run_compare(args: argparse.Namespace) -> int:
    from workbench import print_json

    from .comparison import incidents, side_by_side

    with _open(args, False) as project:
        if args.other:
            table = side_by_side(project, args.code, args.other)
            if args.json:
                _print_table(table, True)
                return 0
            for row in table.rows:
                print(f"== {row[0]}")
                for title, cell in ((table.columns[1], row[1]), (table.columns[2], row[2])):
                    for item in cell.splitlines():
                        print(f"  [{title}] {item}")
            return 0
        found = incidents(project, args.code, context=args.context, sort=args.sort)
    if args.json:
        print_json([asdict(i) for i in found])
        return 0
    if not found:
        print(f"no segments coded {args.code!r}")
    current = None
    for incident in found:
        if incident.participant != current:
            current = incident.participant
            print(f"== {incident.pseudonym} ({incident.participant})")
        print(
            f"  {incident.citation}  [{incident.code}; {incident.coder}, {incident.coded_on}] "
            f"{incident.segment_id}"
        )
        for line in incident.text.splitlines() or [""]:
            print(f"    {line}")
    return 0


def run_memo(args: argparse.Namespace) -> int:
    from .memos import write_memo

    with _open(args, True) as project:
        links = list(args.link or [])
        memo = write_memo(project, args.title, args.body, memo_type=args.type, links=links, stage=args.stage)
    print(f"memo {memo} saved")
    return 0


def run_promote(args: argparse.Namespace) -> int:
    from .focused import promote

    with _open(args, True) as project:
        code_id = promote(project, args.codes, args.to, memo=args.memo)
        label = (project.get("codes", code_id) or {}).get("label", code_id)
    print(f"focused code {label!r} ({code_id}) from {', '.join(args.codes)}")
    return 0


def run_category(args: argparse.Namespace) -> int:
    from .categories import create_category

    with _open(args, True) as project:
        code_id = create_category(
            project,
            args.name,
            definition=args.definition or "",
            members=args.member or [],
            parent=args.parent,
            level=args.level,
        )
    print(f"{args.level} {args.name!r} ({code_id}) with {len(args.member or [])} member code(s)")
    return 0


def run_member(args: argparse.Namespace) -> int:
    from .categories import add_member

    with _open(args, True) as project:
        for code in args.codes:
            add_member(project, args.category, code)
    print(f"moved {', '.join(args.codes)} under {args.category!r}")
    return 0


def run_core(args: argparse.Namespace) -> int:
    from .categories import set_level

    with _open(args, True) as project:
        set_level(project, args.category, "core")
    print(f"{args.category!r} is the core category")
    return 0


def run_property(args: argparse.Namespace) -> int:
    from .categories import add_property

    with _open(args, True) as project:
        record = add_property(
            project,
            args.category,
            args.name,
            low=args.low,
            high=args.high,
            definition=args.definition or "",
            steps=args.step or [],
            memo=args.memo,
        )
    print(f"property {args.name!r} of {args.category!r} ({record}): {args.low} ↔ {args.high}")
    return 0


def run_locate(args: argparse.Namespace) -> int:
    from .categories import locate

    with _open(args, True) as project:
        record = locate(
            project, args.category, args.property, args.segment, args.position, note=args.note or ""
        )
    print(f"located {args.segment} at {args.position!r} on {args.property!r} ({record})")
    return 0


def run_relate(args: argparse.Namespace) -> int:
    from .relations import relate

    with _open(args, True) as project:
        link = relate(
            project,
            args.origin,
            args.relation,
            args.target,
            evidence=args.evidence or [],
            memo_text=args.memo,
        )
    print(f"relation {link}: {args.origin} —{args.relation}→ {args.target}")
    return 0


def run_paradigm(args: argparse.Namespace) -> int:
    from .relations import paradigm

    with _open(args, True) as project:
        link = paradigm(
            project,
            args.phenomenon,
            args.slot,
            args.category,
            evidence=args.evidence or [],
            memo_text=args.memo,
        )
    grounded = "" if args.evidence else " (no evidence yet: asserted, not grounded)"
    print(f"paradigm {link}: {args.category} is {args.slot} of {args.phenomenon}{grounded}")
    return 0


def run_sample(args: argparse.Namespace) -> int:
    from .sampling import record_decision

    with _open(args, True) as project:
        record, memo = record_decision(
            project,
            category_label=args.category,
            reason=args.reason,
            criterion=args.criterion,
            gap=args.gap or "",
            questions=args.questions or "",
            participants=args.participant or [],
            existing_data=args.existing_data,
            date=args.date,
        )
    print(f"sampling decision {record} (memo {memo}) to develop {args.category!r}")
    return 0


def run_saturation(args: argparse.Namespace) -> int:
    from workbench import print_json

    from .memos import write_memo
    from .saturation import WARNING, guest, interview_rows, saturation_table, set_status, sparkline

    if args.status and not args.category:
        raise BadInputError("--status needs --category", "--status")
    if args.category and not args.status:
        raise BadInputError("--category needs --status (and --why)", "--category")
    if args.memo is not None or args.status:
        with _open(args, True) as project:
            if args.status:
                record, memo = set_status(project, args.category, args.status, args.why or "")
                print(f"{args.category!r} is {args.status} ({record}); justification memo {memo}")
            if args.memo is not None:
                memo = write_memo(
                    project, "Saturation", args.memo, memo_type="saturation", stage="theoretical"
                )
                print(f"saturation memo {memo} saved")
        return 0
    options = {"base": str(args.base), "run": str(args.run), "threshold": str(args.threshold)}
    with _open(args, False) as project:
        rows = interview_rows(project)
        table = saturation_table(project, options)
    result = guest(rows, args.base, args.run, args.threshold)
    news = [len(r.new_initial) for r in rows]
    if args.json:
        print_json(
            {
                "interviews": [asdict(r) for r in rows],
                "new_codes": news,
                "sparkline": sparkline(news),
                "guest": {**asdict(result), "summary": result.summary()},
                "warning": WARNING,
            }
        )
        return 0
    print(_table_text(table))
    print(f"\nnew codes per interview: {sparkline(news)}  {' '.join(str(n) for n in news)}")
    print(result.summary())
    print(f"note: {WARNING}")
    return 0


def run_diagram(args: argparse.Namespace) -> int:
    from .diagrams import render, to_dot
    from .memos import write_memo

    with _open(args, args.memo is not None) as project:
        text = render(project, args.format)
        if args.memo is not None:
            body = f"{args.memo}\n\n```dot\n{to_dot(project)}```\n"
            memo = write_memo(project, "Diagram", body, memo_type="diagram")
            print(f"diagram memo {memo} saved", file=sys.stderr)
    if args.output:
        from workbench import write_private_file

        write_private_file(Path(args.output), text)
        print(f"{args.format} diagram written to {args.output}")
    else:
        print(text, end="")
    return 0


def run_snapshot(args: argparse.Namespace) -> int:
    with _open(args, True) as project:
        snapshot = project.snapshot_codebook(args.label)
    print(f"snapshot {snapshot}")
    return 0


# -- parser ----------------------------------------------------------------------------------------------
def configure(parser: argparse.ArgumentParser) -> None:
    from .vocab import MEMO_TYPE_IDS, PARADIGM_SLOTS, RELATION_IDS, SATURATION_STATUSES, STAGES

    sub = parser.add_subparsers(dest="gt_command", required=True, metavar="SUBCOMMAND")

    def command(name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("dir", metavar="DIR", help="project directory")
        p.set_defaults(gt_handler=handler)
        return p

    p = command("setup", run_setup, "GT-1: profile, research questions, sensitising position")
    p.add_argument("--profile", choices=["constructivist", "straussian", "glaserian"])
    p.add_argument("--question", action="append", metavar="TEXT", help="a research question (repeatable)")
    p.add_argument(
        "--position", metavar="TEXT", help="pre-analysis reflexive memo: the researcher's position"
    )
    p.add_argument("--sensitising", metavar="TEXT", help="sensitising concepts and prior reading")
    p.add_argument("--paradigm", choices=["1990", "2008"], help="paradigm slot terms")

    p = command("profile", run_profile, "show the active profile, its labels and research questions")
    p.add_argument("--json", action="store_true")

    p = command("steps", run_steps, "the active profile's steps and how far each has got")
    p.add_argument("--json", action="store_true")

    p = command("skip", run_skip, "skip a step, with a memo saying why")
    p.add_argument("step", metavar="STEP")
    p.add_argument("--reason", required=True)

    p = command("checklist", run_checklist, "the active profile's checklist, ticked from the project")
    p.add_argument("--json", action="store_true")

    p = command("guide", run_guide, "GT-2: save a new version of the interview guide")
    p.add_argument("version", metavar="VERSION", help="v1, v2 ...")
    p.add_argument("--text")
    p.add_argument("--file")
    p.add_argument("--changes", help="what changed and why (e.g. the category that prompted it)")
    p.add_argument("--date", metavar="YYYY-MM-DD")

    p = command("log", run_log, "GT-2: log an interview (date, duration, setting, interviewer, guide)")
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.add_argument("--duration", type=int, metavar="MINUTES")
    p.add_argument("--setting")
    p.add_argument("--interviewer")
    p.add_argument("--guide", metavar="VERSION")
    p.add_argument("--purpose", help="why this participant (e.g. initial purposive)")

    p = command("coded", run_coded, "mark a transcript coded (snapshots the codebook) on a date")
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="the day it was coded (default today)")

    p = command("code", run_code, "GT-3: initial coding of a line, an incident or a quote")
    p.add_argument("source", metavar="SOURCE_ID")
    span = p.add_mutually_exclusive_group()
    span.add_argument(
        "--lines", metavar="A-B", help="tool line numbers; one line = line unit, more = incident"
    )
    span.add_argument("--quote", metavar="TEXT", help="the exact words to code (must occur once)")
    span.add_argument("--chars", metavar="START:END")
    p.add_argument("label", metavar="LABEL", help="the code; with --in-vivo, the participant's words")
    p.add_argument(
        "--in-vivo",
        action="store_true",
        help="in-vivo code: LABEL is the participant's words (found if no span)",
    )
    p.add_argument("--unit", choices=["line", "incident", "sentence", "word", "turn"])
    p.add_argument("--note", metavar="TEXT", help="a question or clue to consider later (code-note memo)")
    p.add_argument("--coder", metavar="NAME")

    p = command("compare", run_compare, "GT-4: a code's segments across participants; or two side by side")
    p.add_argument("code", metavar="CODE")
    p.add_argument("other", metavar="OTHER", nargs="?", help="a second code, for side by side")
    p.add_argument("--context", type=int, default=0, metavar="N")
    p.add_argument("--sort", choices=["participant", "interview"], default="participant")
    p.add_argument("--json", action="store_true")

    p = command("memo", run_memo, "GT-5: write a typed memo (comparison, theoretical, ...) at a stage")
    p.add_argument("--type", required=True, choices=MEMO_TYPE_IDS)
    p.add_argument("--title", required=True)
    p.add_argument("--body", required=True)
    p.add_argument("--link", action="append", metavar="ENTITY")
    p.add_argument("--stage", choices=STAGES, help="default: the stage the analysis is in")

    p = command("promote", run_promote, "GT-6: raise initial code(s) to a focused code (n:1 merges)")
    p.add_argument("codes", nargs="+", metavar="CODE")
    p.add_argument("--to", metavar="LABEL", help="the focused code (new or existing)")
    p.add_argument("--memo", metavar="TEXT", help="why (a focused-coding memo)")

    p = command("category", run_category, "GT-7: create a category with member codes")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--definition")
    p.add_argument("--member", action="append", metavar="CODE")
    p.add_argument("--parent", metavar="CATEGORY")
    p.add_argument("--level", choices=["category", "subcategory", "core"], default="category")

    p = command("member", run_member, "GT-7: move codes under a category")
    p.add_argument("category", metavar="CATEGORY")
    p.add_argument("codes", nargs="+", metavar="CODE")

    p = command("core", run_core, "GT-10: mark the core category")
    p.add_argument("category", metavar="CATEGORY")

    p = command("property", run_property, "GT-7: add a property with its dimensional range")
    p.add_argument("category", metavar="CATEGORY")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--low", required=True)
    p.add_argument("--high", required=True)
    p.add_argument("--definition")
    p.add_argument("--step", action="append", metavar="POSITION", help="ordinal steps between low and high")
    p.add_argument("--memo", metavar="TEXT")

    p = command("locate", run_locate, "GT-7: place a segment on a property's dimension")
    p.add_argument("category", metavar="CATEGORY")
    p.add_argument("property", metavar="PROPERTY")
    p.add_argument("segment", metavar="SEGMENT", help="G5, a coding id K5, or S1:quoted words")
    p.add_argument("--position", required=True, help="low, high, a step, an end's name, or 0..1")
    p.add_argument("--note")

    p = command("relate", run_relate, "GT-9: relate two codes/categories with evidence")
    p.add_argument("origin", metavar="FROM")
    p.add_argument("relation", metavar="RELATION", choices=RELATION_IDS)
    p.add_argument("target", metavar="TO")
    p.add_argument("--evidence", action="append", metavar="SEGMENT")
    p.add_argument("--memo", metavar="TEXT")

    p = command("paradigm", run_paradigm, "GT-8: put a category in a paradigm slot of a phenomenon")
    p.add_argument("phenomenon", metavar="PHENOMENON")
    p.add_argument("slot", metavar="SLOT", choices=PARADIGM_SLOTS)
    p.add_argument("category", metavar="CATEGORY")
    p.add_argument("--evidence", action="append", metavar="SEGMENT")
    p.add_argument("--memo", metavar="TEXT")

    p = command("sample", run_sample, "GT-11: record a theoretical sampling decision")
    p.add_argument("--category", required=True)
    p.add_argument("--reason", required=True, help="why (the sampling memo)")
    p.add_argument("--criterion", required=True, help="e.g. service users who ended peer support early")
    p.add_argument("--gap", help="the property or gap to develop")
    p.add_argument("--questions", help="questions to add to the guide")
    p.add_argument("--participant", action="append", metavar="ID")
    p.add_argument("--existing-data", action="store_true", help="re-read existing transcripts instead")
    p.add_argument("--date", metavar="YYYY-MM-DD")

    p = command("saturation", run_saturation, "GT-12: saturation evidence; or record a status or memo")
    p.add_argument("--json", action="store_true")
    p.add_argument("--base", type=int, default=3)
    p.add_argument("--run", type=int, default=2)
    p.add_argument("--threshold", type=float, default=5.0)
    p.add_argument("--memo", metavar="TEXT", help="write the study's saturation memo")
    p.add_argument("--category")
    p.add_argument("--status", choices=SATURATION_STATUSES)
    p.add_argument("--why", metavar="TEXT")

    p = command("diagram", run_diagram, "GT-13: categories and links as DOT, Mermaid or an ASCII tree")
    p.add_argument("--format", choices=["dot", "mermaid", "ascii"], default="ascii")
    p.add_argument("--output", metavar="FILE")
    p.add_argument("--memo", metavar="TEXT", help="save this version as a diagram memo")

    p = command("snapshot", run_snapshot, "GT-15: snapshot the codebook now")
    p.add_argument("label", metavar="LABEL")


def run(args: argparse.Namespace) -> int:
    handler: Handler = args.gt_handler
    return handler(args)
