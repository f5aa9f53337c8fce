"""``workbench clipboard DIR [on|off]``: the project's clipboard setting (GOV-2a).

Without a value it shows the setting (off by default), who changed it, why, and how many copies were
recorded. ``on`` needs ``--reason`` and prints the warning; both changes are audited. The rules live
in ``workbench.core.governance.clipboard``.
"""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("value", nargs="?", choices=["on", "off"], help="turn clipboard copies on or off")
    parser.add_argument(
        "--reason", metavar="TEXT", default="", help="why copies must leave (required for on)"
    )
    parser.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    import sys

    from workbench import open_project, print_json
    from workbench.team import clipboard

    if args.value is not None:
        with open_project(args.dir, write=True) as project:
            clipboard.set_enabled(project, args.value == "on", args.reason)
        if args.value == "on":
            print(f"workbench: warning: {clipboard.WARNING}", file=sys.stderr)
        print(f"clipboard copies {args.value} (recorded in the audit log)")
        return 0
    with open_project(args.dir, write=False) as project:
        current = clipboard.state(project)
    if args.json:
        print_json(current)
    elif not current["enabled"]:
        changed = (
            f"; turned off by {current['by']} at {current['at']}" if current.get("by") else " (the default)"
        )
        print(f"clipboard copies: off{changed}")
    else:
        print(
            f"clipboard copies: on since {current['at']} by {current['by']} ({current['reason']}); "
            f"{current['copies']} cop{'y' if current['copies'] == 1 else 'ies'} recorded"
        )
    return 0
