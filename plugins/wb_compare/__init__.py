"""Comparing two qualitative studies side by side (METHODS.md section 4, CMP).

A *comparison workspace* is a workbench project of method ``compare`` that links two studies — typically
a grounded-theory study (A) and an IPA study (B) of the same field — and holds only the comparison's own
work. The two studies are opened read-only and never written (CMP-1). What lives where:

* ``cmp.link`` — the two studies' paths, identities and state digests (`workspace`);
* ``cmp.settings`` — the concept levels shown per study (CMP-3, `inventory`);
* ``cmp.characteristics`` — the researcher's study characteristics (CMP-2, `characteristics`);
* ``cmp.mapping`` — concept A → concept B with relation, rationale memo, evidence references, confidence,
  the CMP-13 method note and, for ✕, the refutation's explanation (CMP-4, CMP-8, `mappings`);
* ``cmp.translation`` / ``cmp.construct`` — translation-grid rows and line-of-argument constructs
  (CMP-7, CMP-9, `synthesis`, `diagram`);
* ``cmp.overlap`` — the researcher's decision on the participant-overlap flag (CMP-14, `overlap`).

Concepts come from the studies as they are now (`inventory`): GT categories, focused codes and the core
category are core codes at those levels; IPA GETs, sub-themes and PETs are ``ipa.theme`` records. Their
exemplar quotes are read from the studies when first shown or scored, so opening a comparison of two
large studies costs little more than opening the two projects (`heap` keeps their data out of the
garbage collector's scans while open). Suggestions (`suggest`, rapidfuzz) are computed on demand and
never applied.

Shells: ``workbench compare ...`` (`cli`), the registered ``cmp-*`` tables (`tables`) usable with
``workbench table``/``export`` on the workspace folder, the ``cmp-loa-diagram`` exporter, and the
side-by-side screen (`screen`, key f9, binding ids ``cmp.*``) — also opened by ``workbench compare A B``
in a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import WorkflowStep, hookimpl

if TYPE_CHECKING:
    import argparse

    from workbench import (
        Project,
        RegisterCommand,
        RegisterExporter,
        RegisterTable,
        RegisterValidator,
        RegisterView,
        RegisterVocabulary,
        RegisterWorkflow,
    )

__version__ = "0.1.0"
METHOD = "compare"


def _configure(parser: argparse.ArgumentParser) -> None:
    from .cli import configure

    configure(parser)


def _run(args: argparse.Namespace) -> int:
    from .cli import run

    return run(args)


@hookimpl
def register_commands(register: RegisterCommand) -> None:
    from .cli import HELP

    register("compare", HELP, _configure, _run)


@hookimpl
def register_tables(register: RegisterTable) -> None:
    from .tables import register as register_all

    register_all(register)


def _export_diagram(project: Project, destination: Path, options: Mapping[str, str]) -> Sequence[Path]:
    from workbench import write_private_file

    from .diagram import render
    from .workspace import Comparison

    fmt = options.get("format", "").casefold() or (
        "mermaid" if destination.suffix.lower() in (".mmd", ".md") else "dot"
    )
    with Comparison(project) as comparison:
        text = render(comparison, fmt)
    return [write_private_file(destination, text)]


@hookimpl
def register_exporters(register: RegisterExporter) -> None:
    register(
        "cmp-loa-diagram",
        ".dot",
        _export_diagram,
        "comparison workspace: line-of-argument diagram with legend, DOT or Mermaid (.mmd)",
    )


@hookimpl
def register_vocabularies(register: RegisterVocabulary) -> None:
    from .relations import MEMO_TYPES, TERMS

    register("relations", METHOD, TERMS)
    register("memo-types", METHOD, MEMO_TYPES)


@hookimpl
def register_workflows(register: RegisterWorkflow) -> None:
    register(
        METHOD,
        (
            WorkflowStep("link", "Link two studies", "CMP-1: both stay read-only", exit="workspace created"),
            WorkflowStep("characteristics", "Study characteristics", "CMP-2: the first synthesis table"),
            WorkflowStep("inventory", "Concept inventory", "CMP-3: choose the levels compared"),
            WorkflowStep("map", "Map concepts", "CMP-4/5: relation, rationale, evidence", exit="≥ 1 mapping"),
            WorkflowStep("refute", "Refutational register", "CMP-8: explain every contradiction"),
            WorkflowStep("translate", "Translation grid", "CMP-7: third-order interpretations"),
            WorkflowStep("argue", "Line of argument", "CMP-9: constructs with provenance"),
            WorkflowStep("export", "Export", "concordance, matrix, shared/unique, refutations, audit trail"),
        ),
    )


@hookimpl
def register_validators(register: RegisterValidator) -> None:
    from . import validators

    register("cmp-mapping-rationale", validators.mapping_without_rationale, "mapping without rationale")
    register(
        "cmp-refutation-explanation",
        validators.refutation_without_explanation,
        "refutation without a possible explanation",
    )
    register("cmp-studies", validators.studies_reachable, "linked studies readable, changed, overlapping")


def _screen(project: Project) -> Any:
    from .screen import open_screen

    return open_screen(project)


@hookimpl
def register_views(register: RegisterView) -> None:
    register("cmp.compare", "screen", "Compare two studies", _screen, key="f9")
