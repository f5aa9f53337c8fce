"""``workbench key``: the re-identification key kept outside the project (GOV-3).

Subcommands (first positional DIR; the key file by ``--file PATH`` or ``$WORKBENCH_IDENTITY_KEY``):

* ``init`` — create an empty owner-only key file outside the project and bind the project to it;
* ``attach`` — bind the project to an existing key file (``--replace`` to swap keys);
* ``set PARTICIPANT`` — keep an identity: read from the terminal without echo, or from stdin, never
  from the command line (which shell history and ``ps`` would keep);
* ``remove PARTICIPANT`` — drop an identity from the key;
* ``list`` — which participants the key holds, by study ID and pseudonym: never identities;
* ``show PARTICIPANT`` — whether the key holds them; the identity only with ``--reveal`` (audited);
* ``check`` — the key's state, and every place in the project where part of an identity occurs.

The rules live in ``workbench.core.governance.identity_key``; these handlers parse, call and print.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from workbench import BadInputError

Handler = Callable[[argparse.Namespace], int]


def _read_identity(participant: str) -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"identity of {participant} (not echoed, kept only in the key file): ")
    return sys.stdin.read()


def key_init(args: argparse.Namespace) -> int:
    from workbench import open_project
    from workbench.team import identity_key as ik

    path = ik.key_path(args.file)
    with open_project(args.dir, write=True) as project:
        key = ik.create(project, path)
    print(f"identity key created (owner-only, outside the project): {key.path}")
    print(f"the project keeps only its fingerprint {key.fingerprint}; keep the file off every export path")
    return 0


def key_attach(args: argparse.Namespace) -> int:
    from workbench import open_project
    from workbench.team import identity_key as ik

    path = ik.key_path(args.file)
    with open_project(args.dir, write=True) as project:
        key = ik.attach(project, path, replace=args.replace)
    print(f"identity key attached ({len(key.entries)} identit{'y' if len(key.entries) == 1 else 'ies'}); "
          f"fingerprint {key.fingerprint}")  # fmt: skip
    return 0


def key_set(args: argparse.Namespace) -> int:
    from workbench import open_project
    from workbench.team import identity_key as ik

    path = ik.key_path(args.file)
    with open_project(args.dir, write=True) as project:
        ik.load(project, path)  # a wrong key or participant is refused before anything is asked
        if project.get("participants", args.participant) is None:
            raise BadInputError(f"no participant {args.participant!r}", "PARTICIPANT")
        ik.set_identity(project, path, args.participant, _read_identity(args.participant))
    print(f"identity of {args.participant} kept in the key file (not in the project)")
    return 0


def key_remove(args: argparse.Namespace) -> int:
    from workbench import open_project
    from workbench.team import identity_key as ik

    path = ik.key_path(args.file)
    with open_project(args.dir, write=True) as project:
        ik.remove_identity(project, path, args.participant)
    print(f"identity of {args.participant} removed from the key file")
    return 0


def key_list(args: argparse.Namespace) -> int:
    from workbench import open_project, print_json
    from workbench.team import identity_key as ik

    path = ik.key_path(args.file)
    with open_project(args.dir, write=False) as project:
        rows, orphans = ik.listing(project, ik.load(project, path))
    if args.json:
        print_json(
            {
                "participants": [
                    {
                        "participant": r.participant,
                        "pseudonym": r.pseudonym,
                        "status": r.status,
                        "in_key": r.in_key,
                    }
                    for r in rows
                ],
                "not_in_project": orphans,
            }
        )
        return 0
    for r in rows:
        print(f"{r.participant:<8}{r.pseudonym:<20}{r.status:<11}{'in key' if r.in_key else '-'}")
    for pid in orphans:
        print(f"{pid:<8}{'':<20}{'':<11}in key, not in the project")
    return 0


def key_show(args: argparse.Namespace) -> int:
    from workbench import open_project
    from workbench.team import identity_key as ik

    path = ik.key_path(args.file)
    if args.reveal:
        with open_project(args.dir, write=True) as project:
            identity = ik.reveal(project, path, args.participant)
        print(identity)
        return 0
    with open_project(args.dir, write=False) as project:
        key = ik.load(project, path)
        held = args.participant in key.entries
        if project.get("participants", args.participant) is None and not held:
            raise BadInputError(f"no participant {args.participant!r}", "PARTICIPANT")
    print(
        f"{args.participant}: identity held in the key (add --reveal to print it; revealing is audited)"
        if held
        else f"{args.participant}: the key holds no identity"
    )
    return 0


def key_check(args: argparse.Namespace) -> int:
    from workbench import open_project, print_json
    from workbench.team import identity_key as ik

    with open_project(args.dir, write=False) as project:
        bound = ik.binding(project)
        result: dict[str, object] = {"attached": bool(bound), "fingerprint": (bound or {}).get("fingerprint")}
        if bound and (args.file or os.environ.get(ik.ENV)):
            key = ik.load(project, ik.key_path(args.file))
            rows, orphans = ik.listing(project, key)
            result["missing"] = [r.participant for r in rows if not r.in_key and r.status != "withdrawn"]
            result["not_in_project"] = orphans
            result["identities_in_project"] = [f"{pid} in {place}" for pid, place in ik.leaks(project, key)]
    if args.json:
        print_json(result)
    elif not bound:
        print("no identity key attached (workbench key init DIR --file PATH, outside the project)")
    else:
        print(f"identity key attached; fingerprint {result['fingerprint']} (no path kept in the project)")
        for name in ("missing", "not_in_project", "identities_in_project"):
            if name in result:
                items = result[name]
                assert isinstance(items, list)
                print(f"{name.replace('_', ' ')}: {', '.join(items) if items else 'none'}")
    return 1 if result.get("identities_in_project") else 0


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="key_command", required=True)

    def command(
        name: str, handler: Handler, help_text: str, participant: bool = False
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("dir", metavar="DIR")
        if participant:
            p.add_argument("participant", metavar="PARTICIPANT", help="study ID, e.g. P01")
        p.add_argument(
            "--file", metavar="PATH", help="the key file, outside the project ($WORKBENCH_IDENTITY_KEY)"
        )
        p.set_defaults(key_handler=handler)
        return p

    command("init", key_init, "create an owner-only identity key file outside the project")
    p = command("attach", key_attach, "use an existing identity key file for this project")
    p.add_argument("--replace", action="store_true", help="replace the key the project has")
    command("set", key_set, "keep a participant's identity in the key (read from stdin, not argv)", True)
    command("remove", key_remove, "remove a participant's identity from the key", True)
    p = command("list", key_list, "participants the key holds (study IDs and pseudonyms, never identities)")
    p.add_argument("--json", action="store_true")
    p = command("show", key_show, "whether the key holds a participant; --reveal prints the identity", True)
    p.add_argument("--reveal", action="store_true", help="print the identity (the reveal is audited)")
    p = command("check", key_check, "the key's state, and identities that occur in the project")
    p.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    handler: Handler = args.key_handler
    return handler(args)
