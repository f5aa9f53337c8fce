"""``workbench compare ...``: open a comparison of two studies, and every comparison step as a command.

One plugin command whose first word is either a subcommand (``map``, ``suggest`` ...; each takes the
workspace folder W next) or, when it is not one, study A: ``workbench compare A B [--workspace W]``
creates or reopens the workspace (default: ``compare-<A>-<B>`` beside A) and, in a terminal, opens the
comparison screen on it; otherwise (scripts, tests) it prints a summary (``--json`` for a JSON object).
The inner parsers are built only when the command runs, so the CLI's start-up stays cheap.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from workbench import BadInputError

if TYPE_CHECKING:
    from .workspace import Comparison

HELP = "compare two studies side by side: concordance, translations, refutations, line of argument"
USAGE = """\
usage:
  workbench compare A B [--workspace W] [--title T] [--json]     create or open a comparison workspace
  workbench compare SUBCOMMAND W ...                             (W = the workspace folder)

subcommands:
  summary W [--json]                    what the workspace holds, flags and changes
  concepts W [--study A|B] [--json]     the concept inventory at the shown levels (CMP-3)
  levels W --study A|B [--set L,L]      show or choose the levels compared (empty --set: default)
  show W CONCEPT [--json]               one concept: definition, participants, quotes, mappings
  map W A_CONCEPT B_CONCEPT --relation equivalent|broader|narrower|overlap|content|refutes|related
        --rationale TEXT [--label L] [--evidence-a N ...] [--evidence-b N ...]
        [--confidence low|medium|high] [--explanation TEXT]   map (or re-map) two concepts (CMP-4)
  unmap W (MAPPING | A_CONCEPT B_CONCEPT) [--reason TEXT]     delete a mapping (kept in the audit trail)
  mappings W [--all] [--json]           the mappings (--all: deleted ones too)
  suggest W [--limit N] [--concept C] [--json]   candidate mappings by similarity; never applied
  characteristics W [--study A|B --set FIELD=VALUE ...] [--json]   study characteristics (CMP-2)
  refute W (MAPPING | A_CONCEPT B_CONCEPT) --explanation TEXT [--nature TEXT] [--factor F ...]  (CMP-8)
  interpret W MAPPING ... --label L --interpretation TEXT [--type reciprocal|refutational]  (CMP-7)
  construct W --label L [--description D] [--from TRANSLATION ...] [--leads-to CONSTRUCT[:LABEL] ...]
  diagram W [--format dot|mermaid] [-o OUT]   the line-of-argument diagram with its legend (CMP-9)
  overlap W [--declare|--dismiss --reason TEXT] [--json]   participant-overlap flag (CMP-14)

Concepts are named by id (A:code:C12, B:record:R50, or C12 / R50 on their side) or by label. Tables:
`workbench tables W`, `workbench table W cmp-concordance`, `workbench export W cmp-matrix -o m.docx`."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadInputError(message, self.prog)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = HELP
    parser.epilog = USAGE
    parser.add_argument("words", nargs=argparse.REMAINDER, metavar="A B | SUBCOMMAND W ...")


def run(args: argparse.Namespace) -> int:
    words: list[str] = list(args.words)
    if not words:
        raise BadInputError(
            "give two study folders (A B) or a subcommand; see `workbench compare --help`", "compare"
        )
    handlers = _subcommands()
    if words[0] in handlers:
        parser, handler = handlers[words[0]]
        return handler(parser.parse_args(words[1:]))
    return run_open(_open_parser().parse_args(words))


# -- helpers -----------------------------------------------------------------------------------------
def _print_json(value: Any) -> None:
    from workbench import print_json

    print_json(value)


class _Session:
    """The workspace (writable or not) with its comparison; closes both on exit."""

    def __init__(self, directory: str, write: bool) -> None:
        from workbench import open_project

        from .workspace import Comparison

        self.project = open_project(directory, write=write)
        try:
            self.comparison = Comparison(self.project)
        except BaseException:
            self.project.close()
            raise

    def __enter__(self) -> Comparison:
        return self.comparison

    def __exit__(self, *exc: object) -> None:
        self.comparison.close()
        self.project.close()


def _shorten(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# -- open / summary ---------------------------------------------------------------------------------------
def _open_parser() -> _Parser:
    p = _Parser(prog="workbench compare", description=HELP)
    p.add_argument("a", metavar="A", help="study A (project folder)")
    p.add_argument("b", metavar="B", help="study B (project folder)")
    p.add_argument(
        "--workspace", metavar="W", help="the workspace folder (default: compare-<A>-<B> beside A)"
    )
    p.add_argument("--title", metavar="T", help="the workspace's title when it is created")
    p.add_argument("--json", action="store_true")
    return p


def summary(comparison: Comparison) -> dict[str, Any]:
    from . import mappings, overlap
    from .tables import grouping

    groups = grouping(comparison)
    active = mappings.all_mappings(comparison.workspace)
    counts: dict[str, int] = {}
    for m in active:
        counts[m.symbol] = counts.get(m.symbol, 0) + 1
    flag = overlap.detect(comparison)
    studies = {}
    for side in ("A", "B"):
        study = comparison.studies[side]
        inv = comparison.inventory(side)
        studies[side] = {
            "path": str(study.path),
            "title": study.title,
            "method": study.method,
            "levels": list(inv.levels),
            "concepts": len(inv.shown()),
            "unique": len(groups[f"unique to {side}"]),
        }
    return {
        "workspace": str(comparison.workspace.path),
        "title": comparison.workspace.title,
        "studies": studies,
        "mappings": len(active),
        "relations": counts,
        "shared": len(groups["shared"]),
        "refuted": len(groups["refuted"]),
        "participant_overlap": {"flagged": flag.flagged, "message": flag.describe()},
        "changed_since_linking": comparison.changed(),
    }


def _print_summary(data: dict[str, Any], opened: str = "") -> None:
    print(f"comparison workspace{f' ({opened})' if opened else ''}: {data['workspace']}")
    for side in ("A", "B"):
        s = data["studies"][side]
        print(
            f"{side}: {s['title']} [{s['method']}] {s['path']}\n"
            f"   {s['concepts']} concepts at {', '.join(s['levels']) or 'no level'}; {s['unique']} unique"
        )
    relations = ", ".join(f"{glyph} {n}" for glyph, n in data["relations"].items())
    print(
        f"mappings: {data['mappings']}{f' ({relations})' if relations else ''}; "
        f"shared concepts: {data['shared']}"
    )
    if data["participant_overlap"]["flagged"]:
        print(f"⚠ {data['participant_overlap']['message']}")
    for side in data["changed_since_linking"]:
        print(f"note: study {side} has changed since the workspace linked it; the inventory shows it now")


def run_open(args: argparse.Namespace) -> int:
    from .workspace import create_or_open, default_workspace

    a, b = Path(args.a), Path(args.b)
    target = Path(args.workspace) if args.workspace else default_workspace(a, b)
    path, created, cleaned = create_or_open(a, b, target, args.title)
    for line in cleaned:
        print(f"note: {line}", file=sys.stderr)
    if sys.stdin.isatty() and sys.stdout.isatty() and not args.json:
        from .screen import run_app

        return run_app(path)
    with _Session(str(path), write=False) as comparison:
        data = summary(comparison)
    if args.json:
        _print_json({**data, "created": created})
    else:
        _print_summary(data, "created" if created else "opened")
    return 0


def run_summary(args: argparse.Namespace) -> int:
    with _Session(args.dir, write=False) as comparison:
        data = summary(comparison)
    if args.json:
        _print_json(data)
    else:
        _print_summary(data)
    return 0


# -- concepts ---------------------------------------------------------------------------------------------
def _concept_json(comparison: Comparison, concept: Any) -> dict[str, Any]:
    from . import mappings

    inv = comparison.inventory(concept.side)
    return {
        "id": concept.id,
        "study": concept.side,
        "label": concept.label,
        "level": concept.level,
        "kind": concept.kind,
        "definition": concept.definition,
        "participants": concept.n,
        "parent": inv.shown_parent(concept),
        "quotes": [{"ref": q.ref, "text": q.text, "citation": q.citation} for q in concept.quotes],
        "mappings": [
            {"mapping": m.id, "relation": m.relation, "symbol": m.symbol, "other": other}
            for other, m in mappings.counterparts(comparison.workspace, concept.id)
        ],
    }


def run_concepts(args: argparse.Namespace) -> int:
    sides = [args.study.upper()] if args.study else ["A", "B"]
    with _Session(args.dir, write=False) as comparison:
        rows = [_concept_json(comparison, c) for side in sides for c in comparison.inventory(side).shown()]
        depth: dict[str, int] = {}
        for side in sides:
            inv = comparison.inventory(side)
            for c in inv.shown():
                parent = inv.shown_parent(c)
                depth[c.id] = 0 if parent is None else depth.get(parent, 0) + 1
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        marks = " ".join(m["symbol"] for m in row["mappings"]) or "·"
        indent = "  " * depth[row["id"]]
        print(f"{row['id']:<16} {marks:<6} {indent}{row['label']}  [{row['level']}, n={row['participants']}]")
    return 0


def run_levels(args: argparse.Namespace) -> int:
    with _Session(args.dir, write=args.set is not None) as comparison:
        side = args.study.upper()
        if args.set is not None:
            chosen = [lv.strip() for lv in args.set.split(",") if lv.strip()]
            levels = comparison.set_levels(side, chosen)
        else:
            levels = comparison.inventory(side).levels
        present = comparison.inventory(side).present_levels()
    print(f"study {side}: showing {', '.join(levels) or 'nothing'} (present: {', '.join(present) or 'none'})")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with _Session(args.dir, write=False) as comparison:
        concept = comparison.concept(args.concept, args.study.upper() if args.study else None)
        data = _concept_json(comparison, concept)
        others = {m["other"]: comparison.concept(m["other"]).label for m in data["mappings"]}
    if args.json:
        _print_json(data)
        return 0
    print(f"{data['id']}  {data['label']}  [{data['level']}, {data['kind']}, n={data['participants']}]")
    print(f"definition: {data['definition'] or '—'}")
    for number, quote in enumerate(data["quotes"], start=1):
        print(f'  {number}. "{_shorten(quote["text"], 90)}" ({quote["citation"]})')
    for m in data["mappings"]:
        print(f"  {m['mapping']}: {m['symbol']} {others[m['other']]} ({m['other']})")
    return 0


# -- mappings ---------------------------------------------------------------------------------------------
def run_map(args: argparse.Namespace) -> int:
    from .mappings import map_concepts

    with _Session(args.dir, write=True) as comparison:
        mapping, created = map_concepts(
            comparison,
            args.a_concept,
            args.b_concept,
            args.relation,
            args.rationale,
            label=args.label or "",
            evidence_a=args.evidence_a,
            evidence_b=args.evidence_b,
            confidence=args.confidence,
            explanation=args.explanation or "",
        )
    verb = "mapped" if created else "changed"
    print(f"{verb} {mapping.id}: {mapping.a_label} {mapping.symbol} {mapping.b_label}")
    if mapping.method_note:
        print(f"note (CMP-13): {mapping.method_note}")
    if mapping.relation == "refutes" and not mapping.refutation.get("explanation"):
        print(
            "note: a refutation needs a possible explanation: "
            f"workbench compare refute {args.dir} {mapping.id} --explanation TEXT"
        )
    return 0


def run_unmap(args: argparse.Namespace) -> int:
    from .mappings import unmap

    with _Session(args.dir, write=True) as comparison:
        mapping = unmap(comparison, args.ref, args.b_concept, reason=args.reason or "")
    print(
        f"deleted {mapping.id}: {mapping.a_label} {mapping.symbol} {mapping.b_label} "
        "(kept in the audit trail)"
    )
    return 0


def run_mappings(args: argparse.Namespace) -> int:
    from .mappings import all_mappings

    with _Session(args.dir, write=False) as comparison:
        found = all_mappings(comparison.workspace, include_deleted=args.all)
    if args.json:
        _print_json(
            [
                {
                    "id": m.id,
                    "a": m.a,
                    "b": m.b,
                    "a_label": m.a_label,
                    "b_label": m.b_label,
                    "relation": m.relation,
                    "label": m.label,
                    "symbol": m.symbol,
                    "rationale": m.rationale,
                    "rationale_memo": m.rationale_memo,
                    "evidence_a": list(m.evidence_a),
                    "evidence_b": list(m.evidence_b),
                    "confidence": m.confidence,
                    "method_note": m.method_note,
                    "status": m.status,
                    "refutation": m.refutation,
                    "author": m.author,
                    "created_at": m.created_at,
                }
                for m in found
            ]
        )
        return 0
    for m in found:
        status = "" if m.active else "  [deleted]"
        print(f"{m.id:<6}{m.a_label} {m.symbol} {m.b_label}{status}\n      {_shorten(m.rationale)}")
    return 0


def run_suggest(args: argparse.Namespace) -> int:
    from .suggest import suggest

    with _Session(args.dir, write=False) as comparison:
        found = suggest(comparison, limit=args.limit, concept=args.concept)
    if args.json:
        _print_json([s.to_json() for s in found])
        return 0
    if not found:
        print("no suggestions (every pair is mapped or nothing is similar enough)")
    for rank, s in enumerate(found, start=1):
        print(f"{rank:>3}. {s.score:5.1f}  {s.a_label}  ⇄  {s.b_label}   ({s.a} / {s.b})")
    print(
        "suggestions are not applied: map a pair with "
        "`workbench compare map W A B --relation R --rationale TEXT`"
    )
    return 0


# -- characteristics, refutations, synthesis --------------------------------------------------------------
def run_characteristics(args: argparse.Namespace) -> int:
    from . import characteristics as chars
    from .tables import characteristics_table

    if args.set:
        if not args.study:
            raise BadInputError("--set needs --study A or B", "--study")
        values: dict[str, str] = {}
        for item in args.set:
            key, sep, value = item.partition("=")
            if not sep:
                raise BadInputError(f"expected FIELD=VALUE, got {item!r}", "--set")
            values[key.strip()] = value
        with _Session(args.dir, write=True) as comparison:
            chars.set_values(comparison.workspace, args.study.upper(), values)
    with _Session(args.dir, write=False) as comparison:
        table = characteristics_table(comparison, {})
    if args.json:
        _print_json([dict(zip(table.columns, row, strict=True)) for row in table.rows])
    else:
        for row in table.rows:
            print(f"{row[0]:<28} A: {_shorten(row[1], 60)}\n{'':<28} B: {_shorten(row[2], 60)}")
    return 0


def run_refute(args: argparse.Namespace) -> int:
    from .mappings import refute

    with _Session(args.dir, write=True) as comparison:
        mapping = refute(
            comparison,
            args.ref,
            args.b_concept,
            explanation=args.explanation,
            nature=args.nature or "",
            factors=args.factor or [],
        )
    print(f"explained refutation {mapping.id}: {mapping.a_label} ✕ {mapping.b_label}")
    return 0


def run_interpret(args: argparse.Namespace) -> int:
    from .synthesis import translate

    with _Session(args.dir, write=True) as comparison:
        record = translate(comparison.workspace, args.mappings, args.label, args.interpretation, args.type)
    print(f"translation {record}: {args.label}")
    return 0


def run_construct(args: argparse.Namespace) -> int:
    from .synthesis import construct

    edges = []
    for item in args.leads_to or []:
        target, _sep, label = item.partition(":")
        edges.append((target.strip(), label.strip()))
    with _Session(args.dir, write=True) as comparison:
        record = construct(
            comparison.workspace,
            args.label,
            description=args.description or "",
            translation_ids=args.source or [],
            leads_to=edges,
        )
    print(f"construct {record}: {args.label}")
    return 0


def run_diagram(args: argparse.Namespace) -> int:
    from .diagram import render

    fmt = args.format or ("mermaid" if args.output and Path(args.output).suffix in (".mmd", ".md") else "dot")
    with _Session(args.dir, write=False) as comparison:
        text = render(comparison, fmt)
    if args.output:
        from workbench import write_private_file

        write_private_file(Path(args.output), text.encode("utf-8"))
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def run_overlap(args: argparse.Namespace) -> int:
    from . import overlap

    decision = "declared" if args.declare else "dismissed" if args.dismiss else ""
    with _Session(args.dir, write=bool(decision)) as comparison:
        found = (
            overlap.decide(comparison, decision, args.reason or "")
            if decision
            else overlap.detect(comparison)
        )
    if args.json:
        _print_json(
            {
                "flagged": found.flagged,
                "shared_transcripts": [list(p) for p in found.shared_transcripts],
                "shared_ids": list(found.shared_ids),
                "decision": found.decision,
                "reason": found.reason,
                "message": found.describe(),
            }
        )
    else:
        print(("⚠ " if found.flagged else "") + found.describe())
    return 0


# -- the parsers ------------------------------------------------------------------------------------------
Handler = Callable[[argparse.Namespace], int]


def _parser(name: str, text: str) -> _Parser:
    p = _Parser(prog=f"workbench compare {name}", description=text)
    p.add_argument("dir", metavar="W", help="the comparison workspace folder")
    return p


def _subcommands() -> dict[str, tuple[_Parser, Handler]]:
    out: dict[str, tuple[_Parser, Handler]] = {}

    def add(name: str, text: str, handler: Handler) -> _Parser:
        p = _parser(name, text)
        out[name] = (p, handler)
        return p

    p = add("summary", "what the workspace holds", run_summary)
    p.add_argument("--json", action="store_true")
    p = add("concepts", "the concept inventory at the shown levels (CMP-3)", run_concepts)
    p.add_argument("--study", choices=["A", "B", "a", "b"])
    p.add_argument("--json", action="store_true")
    p = add("levels", "show or choose the levels compared", run_levels)
    p.add_argument("--study", required=True, choices=["A", "B", "a", "b"])
    p.add_argument("--set", metavar="L,L", help="comma-separated levels; empty for the method's default")
    p = add("show", "one concept in detail", run_show)
    p.add_argument("concept", metavar="CONCEPT")
    p.add_argument("--study", choices=["A", "B", "a", "b"])
    p.add_argument("--json", action="store_true")
    p = add("map", "map (or re-map) A's concept to B's (CMP-4)", run_map)
    p.add_argument("a_concept", metavar="A_CONCEPT")
    p.add_argument("b_concept", metavar="B_CONCEPT")
    p.add_argument("--relation", required=True, metavar="R")
    p.add_argument("--rationale", required=True, metavar="TEXT")
    p.add_argument("--label", metavar="L", help="the free label of a 'related' mapping")
    p.add_argument("--evidence-a", nargs="+", type=int, metavar="N", help="A's quote numbers (see `show`)")
    p.add_argument("--evidence-b", nargs="+", type=int, metavar="N", help="B's quote numbers (see `show`)")
    p.add_argument("--confidence", default="medium", choices=["low", "medium", "high"])
    p.add_argument("--explanation", metavar="TEXT", help="a refutation's possible explanation (CMP-8)")
    p = add("unmap", "delete a mapping (it stays in the audit trail)", run_unmap)
    p.add_argument("ref", metavar="MAPPING_OR_A_CONCEPT")
    p.add_argument("b_concept", nargs="?", metavar="B_CONCEPT")
    p.add_argument("--reason", metavar="TEXT")
    p = add("mappings", "list the mappings", run_mappings)
    p.add_argument("--all", action="store_true", help="deleted mappings too")
    p.add_argument("--json", action="store_true")
    p = add("suggest", "candidate mappings by similarity (never applied)", run_suggest)
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--concept", metavar="CONCEPT", help="only this concept's candidates (A:... or B:...)")
    p.add_argument("--json", action="store_true")
    p = add("characteristics", "study characteristics table (CMP-2)", run_characteristics)
    p.add_argument("--study", choices=["A", "B", "a", "b"])
    p.add_argument("--set", action="append", metavar="FIELD=VALUE")
    p.add_argument("--json", action="store_true")
    p = add("refute", "a refutation's nature and possible explanation (CMP-8)", run_refute)
    p.add_argument("ref", metavar="MAPPING_OR_A_CONCEPT")
    p.add_argument("b_concept", nargs="?", metavar="B_CONCEPT")
    p.add_argument("--explanation", required=True, metavar="TEXT")
    p.add_argument("--nature", metavar="TEXT")
    p.add_argument(
        "--factor", action="append", choices=["sample", "setting", "method", "researcher", "other"]
    )
    p = add("interpret", "a translation-grid row with the reviewer's interpretation (CMP-7)", run_interpret)
    p.add_argument("mappings", nargs="+", metavar="MAPPING")
    p.add_argument("--label", required=True, metavar="L", help="the third-order working label")
    p.add_argument("--interpretation", required=True, metavar="TEXT")
    p.add_argument("--type", choices=["reciprocal", "refutational"])
    p = add("construct", "a line-of-argument construct (CMP-9)", run_construct)
    p.add_argument("--label", required=True, metavar="L")
    p.add_argument("--description", metavar="TEXT")
    p.add_argument("--from", dest="source", action="append", metavar="TRANSLATION")
    p.add_argument("--leads-to", action="append", metavar="CONSTRUCT[:LABEL]")
    p = add("diagram", "the line-of-argument diagram (DOT or Mermaid, with legend)", run_diagram)
    p.add_argument("--format", choices=["dot", "mermaid"])
    p.add_argument("-o", "--output", metavar="OUT")
    p = add("overlap", "the participant-overlap flag (CMP-14)", run_overlap)
    decision = p.add_mutually_exclusive_group()
    decision.add_argument("--declare", action="store_true", help="declare a possible overlap")
    decision.add_argument("--dismiss", action="store_true", help="dismiss the flag")
    p.add_argument("--reason", metavar="TEXT")
    p.add_argument("--json", action="store_true")
    return out
