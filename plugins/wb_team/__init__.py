"""Team coding and research governance (METHODS.md sections 5 and 6), bundled as a plugin.

The rules live in the headless core (``workbench.core.icr`` and ``workbench.core.governance``); this
plugin gives them their shells:

* CLI — ``workbench icr ...`` (policy, rounds, blind coding, close, report, disagreements, decide,
  merge), ``coders``, ``roles``, ``withdraw``, ``redact``, ``names``, ``coreq``, ``govcheck`` (`cli`), ``key``
  (`identity_key`, GOV-3) and ``clipboard`` (`clipboard`, GOV-2a);
* tables — ``icr-report``, ``icr-disagreements``, ``icr-codebook-changes``, ``team-coders``,
  ``gov-coreq``, ``gov-identifiability``, ``gov-pseudonyms`` (`tables`);
* TUI — the adjudication screen over a closed round's disagreement list (`screens`, key ctrl+j) and
  the coder-layers margin with each coder's initial (`margin`);
* validators — pseudonyms occurring in transcripts, small cells (GOV-4, GOV-5).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from workbench import Finding, hookimpl

if TYPE_CHECKING:
    from workbench import Project, RegisterCommand, RegisterTable, RegisterValidator, RegisterView

__version__ = "0.1.0"


@hookimpl
def register_commands(register: RegisterCommand) -> None:
    from . import cli

    register(
        "icr",
        "team coding: ICR policy, blind rounds, agreement report, adjudication, merge",
        cli.configure_icr,
        cli.run_icr,
    )
    register(
        "coders",
        "coders, their initials and codings per layer (ICR-1/2)",
        cli.configure_coders,
        cli.run_coders,
    )
    register(
        "roles",
        "show or set project roles: lead, coder, auditor, data-manager (GOV-11)",
        cli.configure_roles,
        cli.run_roles,
    )
    register(
        "withdraw",
        "withdraw a participant: remove every trace of their words (GOV-12)",
        cli.configure_withdraw,
        cli.run_withdraw,
    )
    register(
        "redact",
        "identifier suggestions and redaction as a new transcript version (GOV-6..9)",
        cli.configure_redact,
        cli.run_redact,
    )
    register(
        "names",
        "the private list of names to look for when redacting (GOV-7)",
        cli.configure_names,
        cli.run_names,
    )
    register(
        "key",
        "the re-identification key, kept outside the project: init, attach, set, list, show, check (GOV-3)",
        _key_configure,
        _key_run,
    )
    register(
        "clipboard",
        "show or set whether the TUI may copy text to the local clipboard (OSC 52; off by default, GOV-2a)",
        _clipboard_configure,
        _clipboard_run,
    )
    register(
        "coreq",
        "the COREQ checklist pre-filled from the project (GOV-14)",
        cli.configure_coreq,
        cli.run_coreq,
    )
    register(
        "govcheck",
        "governance checks: permissions, pseudonyms, small cells (GOV-2/4/5)",
        cli.configure_govcheck,
        cli.run_govcheck,
    )


def _key_configure(parser: argparse.ArgumentParser) -> None:
    from .identity_key import configure

    configure(parser)


def _key_run(args: argparse.Namespace) -> int:
    from .identity_key import run

    return run(args)


def _clipboard_configure(parser: argparse.ArgumentParser) -> None:
    from .clipboard import configure

    configure(parser)


def _clipboard_run(args: argparse.Namespace) -> int:
    from .clipboard import run

    return run(args)


@hookimpl
def register_tables(register: RegisterTable) -> None:
    from .tables import register as register_all

    register_all(register)


def _adjudication_screen(project: Project) -> Any:
    from .screens import AdjudicationScreen

    return AdjudicationScreen(project)


def _layers_margin(project: Project, source_id: str) -> Mapping[int, str]:
    from .margin import layers_by_line

    return layers_by_line(project, source_id)


@hookimpl
def register_views(register: RegisterView) -> None:
    register("team.adjudicate", "screen", "ICR adjudication", _adjudication_screen, key="ctrl+j")
    register("team.layers", "margin", "Coder layers", _layers_margin)


def _pseudonyms(project: Project) -> Iterator[Finding]:
    from workbench.team import pseudonym_registry

    for row in pseudonym_registry(project):
        if row[4]:
            yield Finding("warning", f"{row[0]} ({row[1]}): {row[4]}", f"participant:{row[0]}")


def _small_cells(project: Project) -> Iterator[Finding]:
    from workbench.team import small_cells

    for cell in small_cells(project):
        yield Finding("warning", f"{cell.attributes} = {cell.values}: {cell.warning} (GOV-5)")


@hookimpl
def register_validators(register: RegisterValidator) -> None:
    register("gov-pseudonyms", _pseudonyms, "pseudonyms used twice or occurring in a transcript (GOV-4)")
    register("gov-small-cells", _small_cells, "attribute combinations that single a participant out (GOV-5)")
