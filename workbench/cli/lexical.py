"""CLI forms of the lexical toolkit: `search` (keyword-in-context), `autocode` and `words`.

Thin like the rest of the CLI: parse, ask the plugin host which cases are hidden or locked (IPA
bracketing), call `workbench.core.search`, print. Search and words never write; autocode is one
operation (`--dry-run` prints what it would code and opens the project read-only).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.cli.session import CliError, host, open_project, print_json, warn

if TYPE_CHECKING:  # the search modules are imported by the commands that use them, not by `--help`
    from workbench.core.search.corpus import Hit, SearchOptions

WIDTH = 80
#: `workbench.core.search.autocode.SCOPES` and `frequency.BY`, restated so that building the parser
#: does not import the search toolkit (tests/cli/test_startup.py keeps them in step).
SCOPES = ("hit", "sentence", "turn", "paragraph")
BY = ("participant", "source", "code")


def _options(args: argparse.Namespace, hidden: dict[str, str], *, limit: bool = True) -> SearchOptions:
    from workbench.core.search.corpus import SearchOptions

    return SearchOptions(
        regex=getattr(args, "regex", False),
        stem=getattr(args, "stem", False),
        ignore_accents=getattr(args, "ignore_accents", False),
        near=getattr(args, "near", None),
        sources=tuple(args.source or ()),
        participants=tuple(args.participant or ()),
        speakers=tuple(args.speaker or ()),
        codes=tuple(args.code or ()),
        context=getattr(args, "context", 8),
        limit=args.limit if limit else None,
        hidden={} if getattr(args, "all", False) else hidden,
    )


def _clip_left(text: str, width: int) -> str:
    return text if len(text) <= width else "…" + text[len(text) - width + 1 :]


def _clip_right(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def kwic_lines(hits: list[Hit], width: int = WIDTH) -> list[str]:
    """An aligned keyword-in-context table: citation, left context, the hit, right context."""
    if not hits:
        return []
    cite = min(max(len(h.citation) for h in hits), 18)
    keyword = min(max(len(" ".join(h.text.split())) for h in hits), 24)
    side = max(8, (width - cite - keyword - 4) // 2)
    lines = []
    for h in hits:
        word = _clip_right(" ".join(h.text.split()), keyword)
        left = _clip_left(h.before, side)
        right = _clip_right(h.after, width - cite - side - len(word) - 4)
        lines.append(f"{_clip_right(h.citation, cite):<{cite}}  {left:>{side}} {word} {right}".rstrip())
    return lines


def cmd_search(args: argparse.Namespace) -> int:
    from workbench.core.search.corpus import search

    with open_project(args.dir, write=False) as project:
        access = host().case_access(project)
        result = search(project, args.query, _options(args, access.hidden))
    for note in result.notes:
        warn(note)
    if args.json:
        print_json([h.to_json() for h in result.hits])
        if len(result.hits) < result.total:
            warn(f"showing {len(result.hits)} of {result.total} hits (--limit)")
        return 0
    if not result.hits:
        print(f"no hits for {args.query!r}")
        return 0
    for line in kwic_lines(result.hits):
        print(line)
    shown_count = (
        f"{len(result.hits)} of {result.total}" if len(result.hits) < result.total else str(result.total)
    )
    sources = len({h.source for h in result.hits})
    print(f"{shown_count} hit{'s' * (result.total != 1)} in {sources} source{'s' * (sources != 1)}")
    return 0


def cmd_autocode(args: argparse.Namespace) -> int:
    from workbench.core.search.autocode import autocode
    from workbench.core.search.corpus import SearchOptions

    if args.query is None and not args.speaker:
        raise argparse_error("give --query Q (with search options) or --speaker LABEL|ROLE")
    speakers = tuple(args.speaker or ()) if args.query is None else ()
    with open_project(args.dir, write=not args.dry_run) as project:
        access = host().case_access(project)
        options = _options(args, access.hidden, limit=False)
        if args.query is None:  # --speaker names what to code, not a filter of hits
            options = SearchOptions(
                sources=options.sources, participants=options.participants, hidden=options.hidden
            )
        result = autocode(
            project,
            args.label,
            query=args.query,
            options=options,
            scope=args.scope,
            speakers=speakers,
            coder=args.coder,
            dry_run=args.dry_run,
            locked=access.locked,
        )
    if args.json:
        print_json(result.to_json())
        return 0
    verb = "would code" if args.dry_run else "coded"
    for passage in result.passages:
        mark = "=" if passage.already else "+"
        print(f"{mark} {passage.citation:<18} {_clip_right(' '.join(passage.text.split()), WIDTH - 22)}")
    already = f" ({result.already} already coded)" if result.already else ""
    new = " (new code)" if result.created and (args.dry_run or result.coded) else ""
    print(f"{verb} {result.coded} passage{'s' * (result.coded != 1)} as {result.code!r}{new}{already}")
    return 0


def argparse_error(message: str) -> Exception:
    return CliError(message, "autocode")


def cmd_words(args: argparse.Namespace) -> int:
    from workbench.core.search.frequency import word_frequencies

    with open_project(args.dir, write=False) as project:
        access = host().case_access(project)
        rows = word_frequencies(
            project,
            top=args.top,
            by=args.by,
            stopwords=args.stopwords or "",
            min_length=args.min_length,
            stem=args.stem,
            options=_options(args, access.hidden, limit=False),
            codes=tuple(args.code or ()),
        )
    if args.json:
        print_json([r.to_json(args.by) for r in rows])
        return 0
    if not rows:
        print("no words counted")
        return 0
    width = min(max(len(r.word) for r in rows), 30)
    unit = None
    for r in rows:
        if args.by and r.unit != unit:
            unit = r.unit
            print(f"== {unit}")
        print(
            f"  {_clip_right(r.word, width):<{width}}  {r.count:>7}"
            f"  {r.sources:>4} src  {r.participants:>4} ppt"
        )
    return 0


def _search_options(p: argparse.ArgumentParser, *, matching: bool = True) -> None:
    if matching:
        p.add_argument("--regex", action="store_true", help="the query is one regular expression")
        p.add_argument("--stem", action="store_true", help="match inflections (the project's language)")
        p.add_argument("--ignore-accents", action="store_true", help="fold diacritics: cafe finds café")
        p.add_argument("--near", type=int, metavar="N", help="every term within N words of the others")
    p.add_argument("--source", action="append", metavar="ID", help="only this source (repeatable)")
    p.add_argument("--participant", action="append", metavar="ID", help="only this participant (repeatable)")
    p.add_argument("--speaker", action="append", metavar="LABEL|ROLE", help="only turns of this speaker")
    p.add_argument("--code", action="append", metavar="LABEL", help="only inside segments of this code")
    p.add_argument("--all", action="store_true", help="include cases hidden by IPA bracketing")


def add_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command(
        "search", cmd_search, "find words, phrases or a pattern in every transcript (keyword in context)"
    )
    p.add_argument("query", metavar="QUERY", help='words (all in one turn), "phrases", OR, -word, prefix*')
    _search_options(p)
    p.add_argument("--context", type=int, default=8, metavar="WORDS", help="words of context each side")
    p.add_argument("--limit", type=int, metavar="N", help="at most N hits")
    p.add_argument("--json", action="store_true")

    p = command(
        "autocode", cmd_autocode, "code every hit of a search, or every turn of a speaker, in one step"
    )
    p.add_argument("label", metavar="LABEL")
    p.add_argument("--query", metavar="Q", help="the search whose hits are coded")
    _search_options(p)
    p.add_argument(
        "--scope", choices=SCOPES, default="hit", help="code the hit, or its sentence/turn/paragraph"
    )
    p.add_argument("--coder", metavar="NAME")
    p.add_argument("--dry-run", action="store_true", help="print what would be coded; change nothing")
    p.add_argument("--json", action="store_true")

    p = command("words", cmd_words, "word frequencies (stop words left out)")
    p.add_argument("--top", type=int, default=50, metavar="N", help="rows (per unit with --by); default 50")
    p.add_argument("--by", choices=BY)
    p.add_argument(
        "--stopwords", metavar="LANG|none|FILE", help="stop-word list (default: the project's language)"
    )
    p.add_argument("--min-length", type=int, default=1, metavar="N")
    p.add_argument("--stem", action="store_true", help="count inflections together")
    _search_options(p, matching=False)
    p.add_argument("--json", action="store_true")
