"""Interpretative Phenomenological Analysis (METHODS.md section 3): cases, notes, statements, PETs, GETs.

How the IPA objects are stored (all through the public `Project` API, each change one undoable, audited
operation):

* **Cases** are participants; an ``ipa.case`` record holds a case's status machine (IPA-1a), its place
  in the order of analysis (IPA-1d) and a history of status changes, "before next case" prompts and
  revisits (`cases`; a step on or back is `lifecycle`). The open case and every setting live in one
  ``ipa.settings`` record (`settings`).
* **Exploratory notes** are ``ipa.note`` records anchored to a span of a transcript version (`notes`).
* **Experiential statements** are ``ipa.statement`` records anchored to a span and linked to the notes
  they came from (`statements`). They are deliberately *not* core codes: core labels are unique across
  the project, so identical wording in two cases would silently become one code — the cross-case merge
  IPA-1b/4b forbid. Core codes at level "experiential-statement" (the ipa default level) remain usable
  for ordinary coding; the IPA workflow reads and writes only the records.
* **PETs, GETs and their sub-themes** are ``ipa.theme`` records with a fixed stored ``level`` (`board`,
  `gets`); the terminology setting (2022 by default, or 2009) changes labels only (`terminology`).
  Board snapshots are ``ipa.board-snapshot`` records; locking is the case's ``locked_at``; anything
  changed after it carries a ``post_lock`` entry, shown as "† post-lock revision" in the PET table.
* **Reading passes and the reflexive journal** are core memos (types reading-log and reflexive).

No saturation metrics are offered (IPA-0): IPA argues its sample by depth and homogeneity.

The CLI lives in `cli` (``workbench ipa ...``), registered tables in `tables` and the exploratory-notes
margin in `margin`. TUI screens (Textual is imported only in these two modules):

* **f7** — `screens`: the open case's three-column notes/statements view and its clustering board
  (IPA-3, IPA-4, IPA-5); binding ids ``ipa.*``.
* **f8** — `cross_case_screen`: the cross-case board (IPA-8a–d, IPA-9a): PETs of completed cases into GETs
  and sub-themes, GET × participant notes and extracts with the extract picker, recurrence flags and the
  idiographic check; binding ids ``ipa.cross_*`` and ``ipa.picker_*``. It opens only when the cross-case
  rule (`cases.cross_case_ready`) allows and no case is open under bracketing.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workbench import WorkflowStep, hookimpl

if TYPE_CHECKING:
    from workbench import (
        Project,
        RegisterCaseRule,
        RegisterCommand,
        RegisterTable,
        RegisterValidator,
        RegisterView,
        RegisterVocabulary,
        RegisterWorkflow,
    )

__version__ = "0.1.0"


def _configure(parser: argparse.ArgumentParser) -> None:
    from wb_ipa import cli

    cli.configure(parser)


def _run(args: argparse.Namespace) -> int:
    from wb_ipa import cli

    return cli.run(args)


@hookimpl
def register_commands(register: RegisterCommand) -> None:
    """``workbench ipa SUBCOMMAND DIR ...`` (see `wb_ipa.cli`)."""
    register(
        "ipa",
        "Interpretative Phenomenological Analysis: cases, notes, statements, PETs, GETs",
        _configure,
        _run,
    )


@hookimpl
def register_tables(register: RegisterTable) -> None:
    """Every METHODS.md 3.4 artefact as a table (CSV, Markdown, DOCX through `workbench table`)."""
    from wb_ipa.tables import TABLES

    for name, title, build, description in TABLES:
        register(name, title, build, description)


@hookimpl
def register_vocabularies(register: RegisterVocabulary) -> None:
    """Levels (with both terminologies' labels), note types D/L/C/F and the IPA memo types."""
    from wb_ipa import terminology

    register("code-levels", "ipa", terminology.level_terms())
    register("note-types", "ipa", terminology.note_terms())
    register("memo-types", "ipa", list(terminology.MEMO_TYPES))


@hookimpl
def register_workflows(register: RegisterWorkflow) -> None:
    """The case status machine (IPA-1a) followed by the cross-case steps (IPA-8, 9, 10)."""
    register(
        "ipa",
        [
            WorkflowStep(
                "reading",
                "Reading and re-reading",
                "log reading passes and first impressions",
                "case started (`workbench ipa start`)",
                "at least one reading pass logged",
            ),
            WorkflowStep(
                "noting",
                "Exploratory notes",
                "descriptive, linguistic and conceptual notes",
                "case reading",
                "notes across the transcript",
            ),
            WorkflowStep(
                "statements",
                "Experiential statements",
                "statements tied to segments and notes",
                "case noting",
                "statements written",
            ),
            WorkflowStep(
                "clustering",
                "Clustering into PETs",
                "board with technique tags and rationale",
                "case statements",
                "every statement clustered or discarded",
            ),
            WorkflowStep(
                "pets-complete",
                "Table of PETs (locked)",
                "illustrative extracts chosen; case locked",
                "case clustering",
                "status 'PETs complete'",
                skippable=False,
            ),
            WorkflowStep(
                "cross-case",
                "Group experiential themes",
                "PETs into GETs; convergence and divergence",
                "two cases (or all, by setting) 'PETs complete'",
                "recurrence table reviewed",
            ),
            WorkflowStep(
                "write-up",
                "Writing up",
                "extracts per GET; results skeleton",
                "GETs named",
                "results skeleton exported",
            ),
            WorkflowStep(
                "audit",
                "Audit bundle",
                "paper trail for an independent audit",
                "write-up drafted",
                "bundle written",
            ),
        ],
    )


@hookimpl
def register_validators(register: RegisterValidator) -> None:
    from wb_ipa import validators

    register(
        "ipa-statement-notes",
        validators.statements_without_notes,
        "experiential statement with no source notes",
    )
    register(
        "ipa-get-rule", validators.gets_below_rule, "GET illustrated by fewer participants than the rule"
    )
    register("ipa-note-version", validators.notes_on_old_versions, "note on an earlier transcript version")
    register("ipa-empty-pet", validators.pets_without_extracts, "PET of a completed case with no statements")


def _hidden_by_bracketing(project: Project) -> dict[str, str]:
    """IPA-1b: while a case is open with bracketing on, every other participant's transcripts are hidden."""
    if project.method != "ipa":
        return {}
    from wb_ipa import cases

    visible = cases.visible_cases(project)
    if not visible:
        return {}
    reason = f"bracketing: {visible[0]} is the open case"
    return {p["id"]: reason for p in project.participants() if p["id"] not in visible}


def _locked_cases(project: Project) -> dict[str, str]:
    """IPA-6: a locked case (its PETs complete) is not auto-coded; changes to it are post-lock revisions."""
    if project.method != "ipa":
        return {}
    from wb_ipa import cases

    return {
        case.participant: f"case {case.participant} is locked (PETs complete)"
        for case in cases.all_cases(project)
        if case.locked
    }


@hookimpl
def register_case_rules(register: RegisterCaseRule) -> None:
    """What the core's corpus search and auto-coding must respect: bracketing and locked cases."""
    register(
        "ipa",
        _hidden_by_bracketing,
        _locked_cases,
        "bracketing hides other cases while one is open; locked cases are not auto-coded",
    )


def _margin(project: Project, source_id: str) -> Mapping[int, str]:
    from wb_ipa.margin import margin_notes

    return margin_notes(project, source_id)


def _screen(project: Project) -> Any:
    from wb_ipa.screens import IpaScreen

    return IpaScreen(project)


def _cross_case_screen(project: Project) -> Any:
    from wb_ipa.cross_case_screen import CrossCaseScreen

    return CrossCaseScreen(project)


@hookimpl
def register_views(register: RegisterView) -> None:
    """The IPA screens and the notes margin.

    * f7 ``ipa-board``: the open case's three-column notes/statements view and its clustering board.
    * f8 ``ipa-cross-case``: the cross-case board (PETs into GETs, cells, extract picker, idiographic check).
    """
    register("ipa-board", "screen", "IPA case: notes, statements and board", _screen, key="f7")
    register("ipa-cross-case", "screen", "IPA cross-case: GETs from PETs", _cross_case_screen, key="f8")
    register("ipa-notes", "margin", "Exploratory notes", _margin, method="ipa")
