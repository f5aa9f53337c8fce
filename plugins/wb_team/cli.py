"""CLI forms of team coding and governance: ``icr``, ``coders``, ``withdraw``, ``redact``, ``names``,
``roles``, ``coreq`` and ``govcheck``. Every subcommand's first positional is DIR; listings take ``--json``.

The governance and ICR logic lives in ``workbench.core`` (headless, shared with the TUI); these handlers
parse, call one function, and print.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import BadInputError, WorkbenchError

if TYPE_CHECKING:
    from workbench import Project

Handler = Callable[[argparse.Namespace], int]
_CHARS = re.compile(r"^([0-9]+):([0-9]+)$")
_LINES = re.compile(r"^([0-9]+)(?:-([0-9]+))?$")


def _open(args: argparse.Namespace, write: bool) -> Project:
    from workbench import open_project

    return open_project(args.dir, write=write)


def _span(project: Project, source: str, args: argparse.Namespace) -> tuple[int, int]:
    if getattr(args, "lines", None):
        match = _LINES.match(args.lines)
        if not match:
            raise BadInputError(f"expected A-B line numbers, got {args.lines!r}", "--lines")
        first = int(match[1])
        return project.span_of_lines(source, first, int(match[2] or first))
    if getattr(args, "chars", None):
        match = _CHARS.match(args.chars)
        if not match:
            raise BadInputError(f"expected START:END, got {args.chars!r}", "--chars")
        return int(match[1]), int(match[2])
    raise BadInputError("give --lines A-B, --chars START:END or --unit N", "--lines")


def _print_rows(columns: tuple[str, ...], rows: list[tuple[str, ...]], title: str = "") -> None:
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    if title:
        print(title)
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


# -- icr -----------------------------------------------------------------------------------------------
def icr_policy(args: argparse.Namespace) -> int:
    from workbench.team import POLICY_TEXT, policy, set_policy

    if args.value is None:
        with _open(args, False) as project:
            value = policy(project)
        print(f"{value}: {POLICY_TEXT[value]}")
        return 0
    with _open(args, True) as project:
        set_policy(project, args.value, args.note or "")
    print(f"ICR policy set to {args.value}: {POLICY_TEXT[args.value]}")
    return 0


def icr_round(args: argparse.Namespace) -> int:
    from workbench.team import create_round, get_round

    sources = [s for s in (args.sources or "").split(",") if s.strip()]
    with _open(args, True) as project:
        rid = create_round(
            project,
            args.name,
            (args.coders or "").split(","),
            args.unit,
            percent=args.percent,
            sources=sources,
            seed=args.seed,
            by=args.by,
            threshold=args.threshold,
        )
        r = get_round(project, rid)
    print(
        f"round {r.name} ({rid}) open: coders {', '.join(r.coders)}, {r.rule} units, "
        f"{len(r.units)} unit(s) in {', '.join(r.sources)} ({r.sample['share']:.0f}% of the corpus), "
        f"codebook snapshot {r.snapshot}, layer {r.layer}"
    )
    return 0


def icr_rounds(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import rounds

    with _open(args, False) as project:
        found = rounds(project)
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "name": r.name,
                    "coders": list(r.coders),
                    "rule": r.rule,
                    "sources": list(r.sources),
                    "units": len(r.units),
                    "snapshot": r.snapshot,
                    "layer": r.layer,
                    "status": r.status,
                    "sample": r.sample,
                }
                for r in found
            ]
        )
    elif not found:
        print("no ICR rounds yet (workbench icr round DIR NAME --coders A,B)")
    else:
        _print_rows(
            ("id", "round", "status", "coders", "unit", "sources", "units", "snapshot"),
            [
                (
                    r.id,
                    r.name,
                    r.status,
                    ",".join(r.coders),
                    r.rule,
                    ",".join(r.sources),
                    str(len(r.units)),
                    r.snapshot,
                )
                for r in found
            ],
        )
    return 0


def icr_units(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import get_round, units_in

    with _open(args, False) as project:
        r = get_round(project, args.round)
        units = units_in(r, args.source) if args.source else list(r.units)
        rows = [
            {
                "unit": number,
                "source": u.source,
                "start": u.start,
                "end": u.end,
                "text": " ".join(project.text_record(u.version).text[u.start : u.end].split()),
            }
            for number, u in enumerate(units, start=1)
        ]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['unit']:>4} {row['source']} {row['start']}:{row['end']}  {str(row['text'])[:60]}")
    return 0


def icr_code(args: argparse.Namespace) -> int:
    from workbench.team import code_in_round, get_round, units_in

    with _open(args, True) as project:
        if args.unit is not None:
            r = get_round(project, args.round)
            units = units_in(r, args.source)
            if args.source not in r.sources:
                raise BadInputError(f"{args.source} is not in round {r.name!r}'s sample", "SOURCE_ID")
            if not 1 <= args.unit <= len(units):
                raise BadInputError(f"{args.source} has units 1-{len(units)} in round {r.name}", "--unit")
            start, end = units[args.unit - 1].start, units[args.unit - 1].end
        else:
            start, end = _span(project, args.source, args)
        added = code_in_round(project, args.round, args.source, start, end, args.label, coder=args.coder)
    print(
        f"coded {len(added)} unit(s) of {args.source} as {args.label!r} "
        f"in round {args.round} ({', '.join(added)})"
    )
    return 0


def icr_mine(args: argparse.Namespace) -> int:
    """A coder's own codings in an open round: blind, so never the other coder's (ICR-3)."""
    from workbench import print_json
    from workbench.team import get_round, layer_codings

    with _open(args, False) as project:
        r = get_round(project, args.round)
        coder = args.coder or project.actor
        rows = [
            {
                "coding": c.coding_id,
                "source": c.source,
                "start": c.start,
                "end": c.end,
                "code": (project.get("codes", c.code_id) or {}).get("label", c.code_id),
            }
            for c in layer_codings(project, r, coder)
        ]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['coding']:<7}{row['source']:<5}{row['start']}:{row['end']}  {row['code']}")
    return 0


def icr_close(args: argparse.Namespace) -> int:
    from workbench.team import close_round

    with _open(args, True) as project:
        agreed = close_round(project, args.round)
    print(f"round {args.round} closed; {agreed} agreement(s) copied to the consensus layer")
    return 0


def icr_report(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import REPORT_COLUMNS, report_rows

    coefficients = True if args.coefficients else None
    with _open(args, False) as project:
        rows = report_rows(project, args.round, coefficients=coefficients)
    if args.json:
        print_json(rows)
    elif not rows:
        print("no closed ICR rounds to report")
    else:
        _print_rows(REPORT_COLUMNS, [tuple(str(r[c]) for c in REPORT_COLUMNS) for r in rows], "ICR report")
    return 0


def icr_disagreements(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import DISAGREEMENT_COLUMNS, disagreement_rows

    with _open(args, False) as project:
        rows = disagreement_rows(project, args.round)
    if args.json:
        print_json([asdict(r) for r in rows])
    elif not rows:
        print("no disagreements")
    else:
        _print_rows(
            DISAGREEMENT_COLUMNS,
            [(f"D{r.number}", r.citation, r.code, r.a, r.b, r.type, r.resolution, r.memo[:40]) for r in rows],
        )
    return 0


def icr_decide(args: argparse.Namespace) -> int:
    from workbench.team import decide

    span = None
    if args.chars:
        match = _CHARS.match(args.chars)
        if not match:
            raise BadInputError(f"expected START:END, got {args.chars!r}", "--chars")
        span = (int(match[1]), int(match[2]))
    with _open(args, True) as project:
        decision = decide(
            project, args.round, args.key, args.choice, memo=args.memo or "", label=args.label, span=span
        )
    print(f"{args.key}: {args.choice} ({decision})")
    return 0


def icr_merge(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import merge_project

    with _open(args, True) as project:
        result = merge_project(project, Path(args.other))
    if args.json:
        print_json(asdict(result))
    else:
        print(
            f"merged {args.other}: {result.sources_matched} source(s) matched, {result.codes_added} code(s), "
            f"{result.codings_added} coding(s), {result.memos_added} memo(s) added"
        )
        for conflict in result.conflicts:
            print(f"conflict: {conflict}")
        for line in result.stripped:
            print(f"cleaned: {line}")
    return 0


def configure_icr(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="icr_command", required=True)

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("dir", metavar="DIR")
        p.set_defaults(team_handler=handler)
        return p

    p = command("policy", icr_policy, "show or set the ICR policy: off, dialogic, reliability (ICR-0)")
    p.add_argument("value", nargs="?", choices=["off", "dialogic", "reliability"])
    p.add_argument("--note", metavar="TEXT")
    p = command("round", icr_round, "open a blind double-coding round over a sample (ICR-3/4/5)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--coders", required=True, metavar="A,B")
    p.add_argument(
        "--unit", default="turn", choices=["turn", "line", "sentence", "paragraph", "document", "free"]
    )
    p.add_argument("--percent", type=float, metavar="P", help="random sample share (default 20)")
    p.add_argument("--by", default="sources", choices=["sources", "units"], help="sample sources or units")
    p.add_argument("--sources", metavar="S1,S2", help="choose the sample instead of drawing it")
    p.add_argument("--seed", type=int, help="seed for a reproducible random sample")
    p.add_argument("--threshold", type=float, default=0.9, help="minimum overlap for free units (0-1]")
    p = command("rounds", icr_rounds, "list ICR rounds")
    p.add_argument("--json", action="store_true")
    p = command("units", icr_units, "a round's units, numbered (no codings shown)")
    p.add_argument("round", metavar="ROUND")
    p.add_argument("source", nargs="?", metavar="SOURCE_ID")
    p.add_argument("--json", action="store_true")
    p = command("code", icr_code, "code in a round's blind layer")
    p.add_argument("round", metavar="ROUND")
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("label", metavar="LABEL")
    span = p.add_mutually_exclusive_group(required=True)
    span.add_argument("--unit", type=int, metavar="N", help="unit number (see `icr units`)")
    span.add_argument("--lines", metavar="A-B")
    span.add_argument("--chars", metavar="START:END")
    p.add_argument("--coder", metavar="ID")
    p = command("mine", icr_mine, "your own codings in a round (blind: never the other coder's)")
    p.add_argument("round", metavar="ROUND")
    p.add_argument("--coder", metavar="ID")
    p.add_argument("--json", action="store_true")
    p = command("close", icr_close, "end blind coding; agreements go to the consensus layer")
    p.add_argument("round", metavar="ROUND")
    p = command("report", icr_report, "agreement per code and overall (ICR-9)")
    p.add_argument("--round", metavar="ROUND")
    p.add_argument("--coefficients", action="store_true", help="show coefficients under a dialogic policy")
    p.add_argument("--json", action="store_true")
    p = command("disagreements", icr_disagreements, "the disagreement list with types and resolutions")
    p.add_argument("--round", metavar="ROUND")
    p.add_argument("--json", action="store_true")
    p = command("decide", icr_decide, "adjudicate a disagreement into the consensus layer (ICR-7)")
    p.add_argument("round", metavar="ROUND")
    p.add_argument("key", metavar="DISAGREEMENT", help="D3, 3, or the full key")
    p.add_argument("choice", choices=["A", "B", "both", "neither", "edit"])
    p.add_argument("--memo", metavar="TEXT")
    p.add_argument("--label", metavar="CODE", help="edit: the code to apply")
    p.add_argument("--chars", metavar="START:END", help="edit: the span to code")
    p = command("merge", icr_merge, "merge another coder's copy of this project (ICR-8)")
    p.add_argument("other", metavar="OTHER_DIR")
    p.add_argument("--json", action="store_true")


def run_icr(args: argparse.Namespace) -> int:
    handler: Handler = args.team_handler
    return handler(args)


# -- coders, roles, coreq ---------------------------------------------------------------------------------
def configure_coders(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("--set", metavar="CODER", help="name a coder / choose their initials")
    parser.add_argument("--name")
    parser.add_argument("--initials")
    parser.add_argument("--json", action="store_true")


def run_coders(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import coders, set_coder

    if args.set:
        with _open(args, True) as project:
            set_coder(project, args.set, name=args.name, initials_=args.initials)
        print(f"coder {args.set} saved")
        return 0
    with _open(args, False) as project:
        found = coders(project)
    if args.json:
        print_json([asdict(c) for c in found])
    elif not found:
        print("no coders yet")
    else:
        _print_rows(
            ("coder", "name", "initials", "codings", "memos", "layers"),
            [
                (
                    c.id,
                    c.name,
                    c.initials,
                    str(c.codings),
                    str(c.memos),
                    ", ".join(f"{k} {v}" for k, v in c.layers.items()),
                )
                for c in found
            ],
        )
    return 0


def configure_roles(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--set", nargs=2, metavar=("USER", "ROLE"))
    group.add_argument("--group", nargs=2, metavar=("OS_GROUP", "ROLE"))
    group.add_argument("--remove", metavar="USER")
    parser.add_argument("--json", action="store_true")


def run_roles(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import config, role_of, set_role

    if args.set or args.group or args.remove:
        with _open(args, True) as project:
            if args.set:
                set_role(project, args.set[0], args.set[1])
            elif args.group:
                set_role(project, args.group[0], args.group[1], group=True)
            else:
                set_role(project, args.remove, None)
            cfg = config(project)
    else:
        with _open(args, False) as project:
            cfg = config(project)
            cfg["you"] = {project.actor: role_of(project, project.actor) or "(roles not configured)"}
    if args.json:
        print_json(cfg)
    else:
        for kind in ("users", "groups"):
            for who, role in sorted(cfg.get(kind, {}).items()):
                print(f"{kind[:-1]:<6}{who:<20}{role}")
        for who, role in cfg.get("you", {}).items():
            print(f"you   {who:<20}{role}")
    return 0


def configure_coreq(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("--set", action="append", metavar="N=TEXT", help="enter the team's answer to item N")
    parser.add_argument("--json", action="store_true")


def run_coreq(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import COLUMNS, checklist, set_answer

    if args.set:
        with _open(args, True) as project:
            for value in args.set:
                item, sep, text = value.partition("=")
                if not sep:
                    raise BadInputError(f"expected N=TEXT, got {value!r}", "--set")
                set_answer(project, item.strip(), text.strip())
        print(f"saved {len(args.set)} COREQ answer(s)")
        return 0
    with _open(args, False) as project:
        rows = checklist(project)
    if args.json:
        print_json([dict(zip(COLUMNS, r, strict=True)) for r in rows])
    else:
        for row in rows:
            print(f"{row[0]:>2}. {row[1]}\n    [{row[2]}] {row[3]}")
    return 0


# -- withdrawal, redaction --------------------------------------------------------------------------------
def configure_withdraw(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("participant", metavar="PARTICIPANT")
    parser.add_argument("--reason", required=True, help="justification (kept as a withdrawal memo)")
    parser.add_argument("--mode", default="remove-all", choices=["remove-all", "retain-analysis"])
    parser.add_argument(
        "--keep-exports", action="store_true", help="report, not delete, exports holding their words"
    )
    parser.add_argument(
        "--key-file",
        metavar="PATH",
        help="the identity key (else $WORKBENCH_IDENTITY_KEY): their entry goes too",
    )
    parser.add_argument("--json", action="store_true")


def run_withdraw(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import withdraw

    with _open(args, True) as project:
        report = withdraw(
            project,
            args.participant,
            justification=args.reason,
            mode=args.mode,
            purge_exports=not args.keep_exports,
        )
        key_note = _forget_identity(project, args.participant, args.key_file)
    if args.json:
        print_json(report.to_json())
    else:
        c = report.counts
        print(
            f"{report.participant} withdrawn ({report.mode}): {c['sources']} source(s), "
            f"{c['versions']} version(s), {c['codings']} coding(s) removed; "
            f"{c['memos_changed']} memo(s) and {c['records_changed']} record(s) "
            f"scrubbed; {c['history_entries']} undo entries dropped; audit event {report.audit_seq}"
        )
        for path in report.backups_rewritten:
            print(f"rewritten: {path}")
        for path in report.exports_deleted:
            print(f"deleted export (make it again): {path}")
        for path in report.exports_kept:
            print(f"export still holds their words: {path}")
        if report.shared_sources:
            print(
                f"shared source(s) {', '.join(report.shared_sources)}: {c['turns_withdrawn']} turn(s) "
                f"now read '{report.participant}: [withdrawn]' in {c['versions_rewritten']} version(s), "
                f"other speakers' lines unchanged; {c['shared_codings_removed']} coding(s) on their turns "
                "removed, "
                f"{c['segments_clipped']} segment(s) clipped and flagged for review"
            )
        print(
            f"audit chain: {'intact' if report.audit_ok else 'BROKEN'} ({report.audit_events} events); "
            f"{c['audit_salts_destroyed']} event salt(s) destroyed, so their digests can no longer be tested"
        )
    if report.legacy_audit_events:
        print(
            f"workbench: warning: {report.legacy_audit_events} audit event(s) made before salted digests "
            f"concern {report.participant}; their unsalted digests cannot be withdrawn without breaking the "
            "chain (a short value such as the pseudonym could be matched by guessing)",
            file=sys.stderr,
        )
    if key_note:
        print(key_note, file=sys.stderr if key_note.startswith("workbench: warning") else sys.stdout)
    for path in report.residue:
        print(f"workbench: warning: their words remain in {path}")
    return 0 if report.audit_ok and not report.residue else 1


def _forget_identity(project: Project, participant: str, key_file: str | None) -> str:
    """GOV-12 reaches the identity key too: the withdrawn person's entry leaves the key file (which
    lives outside the project, so only a path the researcher gives can reach it)."""
    from workbench import NotFoundError
    from workbench.team import identity_key

    if identity_key.binding(project) is None:
        return ""
    try:
        path = identity_key.key_path(key_file)
    except WorkbenchError:
        return (
            f"workbench: warning: an identity key is attached; remove {participant}'s entry with "
            f"`workbench key remove DIR {participant} --file PATH`"
        )
    try:
        identity_key.remove_identity(project, path, participant)
    except NotFoundError:
        return f"the identity key held no entry for {participant}"
    return f"{participant}'s identity removed from the key {path}"


def configure_redact(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("source", metavar="SOURCE_ID")
    parser.add_argument("--kinds", metavar="K,K", help="detectors to run (default all)")
    parser.add_argument("--accept", metavar="N,N", help="confirm these suggestions (numbers as listed)")
    parser.add_argument(
        "--replace", action="append", metavar="N=[TEXT]", help="own replacement for suggestion N"
    )
    parser.add_argument("--span", action="append", metavar="START:END", help="redact a span by hand")
    parser.add_argument("--find", metavar="WORDS", help="redact every occurrence of WORDS")
    parser.add_argument("--replacement", metavar="[TEXT]", help="replacement for --span/--find")
    parser.add_argument("--purge-original", action="store_true", help="remove the unredacted version(s)")
    parser.add_argument("--log", action="store_true", help="print the anonymisation log (never exported)")
    parser.add_argument("--json", action="store_true")


def run_redact(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import KINDS, Suggestion, anonlog, redaction

    kinds = tuple(k.strip() for k in args.kinds.split(",")) if args.kinds else KINDS
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise BadInputError(f"unknown detector {', '.join(unknown)}; use {', '.join(KINDS)}", "--kinds")
    if args.log:
        with _open(args, False) as project:
            project.source(args.source)
            rows = [asdict(e) for e in anonlog.entries(project) if e.source == args.source]
        if args.json:
            print_json(rows)
        for row in [] if args.json else rows:
            print(
                f"{row['when']} {row['who']} {row['from_version']}→{row['to_version']} "
                f"{row['start']}:{row['end']} "
                f"{row['original']!r} → {row['replacement']} ({row['kind']})"
            )
        return 0
    if args.purge_original:
        with _open(args, True) as project:
            count = redaction.purge_unredacted(project, args.source)
        print(f"removed {count} unredacted version(s) of {args.source}")
        return 0
    write = bool(args.accept or args.span or args.find)
    with _open(args, write) as project:
        found = redaction.suggestions(project, args.source, kinds)
        if not write:
            if args.json:
                print_json([{"n": n, **asdict(s)} for n, s in enumerate(found, start=1)])
            elif not found:
                print(f"no suggestions for {args.source}")
            else:
                text = project.current_text(args.source)[1].text
                for n, s in enumerate(found, start=1):
                    context = " ".join(text[max(0, s.start - 25) : s.end + 25].split())
                    print(f"{n:>3} {s.kind:<12}{s.start}:{s.end}  {s.text!r} → {s.replacement}   …{context}…")
            return 0
        chosen: list[Suggestion] = []
        if args.accept:
            overrides = {}
            for value in args.replace or []:
                number, sep, replacement = value.partition("=")
                if not sep or not number.strip().isdigit():
                    raise BadInputError(f"expected N=[TEXT], got {value!r}", "--replace")
                overrides[int(number)] = replacement
            for token in args.accept.split(","):
                if not token.strip().isdigit() or not 1 <= int(token) <= len(found):
                    raise BadInputError(f"no suggestion {token.strip()!r} (1-{len(found)})", "--accept")
                s = found[int(token) - 1]
                chosen.append(
                    Suggestion(s.start, s.end, s.kind, s.text, overrides.get(int(token), s.replacement))
                )
        if args.span or args.find:
            if not args.replacement:
                raise BadInputError("give --replacement [TEXT] for --span or --find", "--replacement")
            for value in args.span or []:
                match = _CHARS.match(value)
                if not match:
                    raise BadInputError(f"expected START:END, got {value!r}", "--span")
                start, end = int(match[1]), int(match[2])
                text = project.current_text(args.source)[1].text
                chosen.append(Suggestion(start, end, "manual", text[start:end], args.replacement))
            if args.find:
                chosen += redaction.find_all(project, args.source, args.find, args.replacement)
        result = redaction.redact(project, args.source, chosen)
    print(
        f"redacted {result.replaced} identifier(s) in {args.source}: new version {result.version}"
        + (f"; {result.flagged} anchor(s) flagged for review" if result.flagged else "")
    )
    return 0


def configure_names(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("action", choices=["list", "add", "remove"])
    parser.add_argument("name", nargs="?", metavar="NAME")
    parser.add_argument("--replacement", default="", metavar="[TEXT]")
    parser.add_argument("--json", action="store_true")


def run_names(args: argparse.Namespace) -> int:
    from workbench import print_json
    from workbench.team import anonlog

    if args.action == "list":
        with _open(args, False) as project:
            current = anonlog.names(project)
        if args.json:
            print_json(current)
        for name, replacement in [] if args.json else sorted(current.items()):
            print(f"{name}  →  {replacement or '[NAME-n]'}")
        return 0
    if not args.name:
        raise BadInputError("name the name to add or remove", "NAME")
    with _open(args, True) as project:
        anonlog.set_name(project, args.name, args.replacement, remove=args.action == "remove")
    print(f"{'added' if args.action == 'add' else 'removed'} a name ({'private list, never exported'})")
    return 0


def configure_govcheck(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("--json", action="store_true")


def run_govcheck(args: argparse.Namespace) -> int:
    """GOV-2 permissions, GOV-4 pseudonyms and GOV-5 small cells, in one report."""
    from workbench import print_json
    from workbench.team import (
        loose_permissions,
        pseudonym_registry,
        small_cells,
    )

    with _open(args, False) as project:
        result = {
            "loose_permissions": loose_permissions(project.path),
            "pseudonym_warnings": [f"{r[0]}: {r[4]}" for r in pseudonym_registry(project) if r[4]],
            "small_cells": [f"{c.attributes} = {c.values} ({c.count})" for c in small_cells(project)],
        }
    if args.json:
        print_json(result)
    else:
        for key, items in result.items():
            print(f"{key.replace('_', ' ')}: {'none' if not items else ''}")
            for item in items:
                print(f"  {item}")
    return 0 if not any(result.values()) else 1
