"""Grounded-theory method plugin: METHODS.md section 2 (GT-1..GT-15) on the workbench core.

How GT objects map onto the core (core entities wherever one fits, plugin records for the rest):

* **Codes and levels.** Initial, focused, subcategory, category and core are *levels* of core codes
  (vocabulary ``code-levels``/``gt``, each with a glyph). In-vivo codes are codes of kind ``in-vivo``
  whose label keeps the participant's words in quotation marks (`coding`).
* **Focused coding** (`focused`): promotion raises an initial code's level (1:1) or merges initial codes
  into a focused code (n:1). Core lineage records both, and every coding keeps the code it was made with,
  so the lineage table shows each focused code's initial codes *and their segments*. ``gt.promotion``
  records keep the memo explaining the choice.
* **Categories** (`categories`): codes at level category with their member codes beneath them in the
  tree; ``gt.property`` records hold properties and dimensional ranges, ``gt.dimensional-location``
  records place segments on them.
* **Relations** (`relations`): core links typed by a paradigm slot (GT-8) or a coding family (GT-9),
  with evidence segments and a memo; the phenomenon is the link's target.
* **Memos** (`memos`): core memos with GT memo types; ``gt.memo-stage`` records the stage (set-up,
  initial, focused, theoretical) for the memo trail.
* **Profile and steps** (`profiles`, `progress`): one ``gt.profile`` record (profile, research questions,
  paradigm terms; links to the reflexive and sensitising memos); ``gt.skip`` records with a memo for each
  skipped step. The registered workflow is the constructivist default; ``workbench gt steps`` shows the
  active profile's own steps with their progress.
* **Collection and sampling** (`collection`, `sampling`): ``gt.collection`` per interview (date, duration,
  setting, interviewer, guide version, purpose, date coded), ``gt.guide`` per guide version,
  ``gt.sampling`` per theoretical sampling decision.
* **Saturation** (`saturation`): metrics computed from codings in interview order; ``gt.saturation``
  records hold a category's status with its justification memo.
* **Diagrams** (`diagrams`): DOT, Mermaid and ASCII drawn from the codes and links on demand; a diagram
  saved with ``--memo`` becomes a ``diagram`` memo holding the DOT source.
* **Codebook evolution** (`codebook`): core snapshots (taken when a transcript is marked coded, before
  merges, on demand) compared pairwise.

Shells: ``workbench gt ...`` (`cli`), the tables of METHODS.md 2.4 (`tables`, ``workbench table DIR
gt-...``), the constant-comparison screen (`screens`, key F6) and the codes ∣ text margin (`margin`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench import hookimpl

if TYPE_CHECKING:
    from collections.abc import Mapping

    from workbench import (
        Project,
        RegisterCommand,
        RegisterTable,
        RegisterValidator,
        RegisterView,
        RegisterVocabulary,
        RegisterWorkflow,
    )

__version__ = "0.1.0"
METHOD = "gt"


@hookimpl
def register_vocabularies(register: RegisterVocabulary) -> None:
    """Code levels with glyphs, relation types (paradigm slots, coding families) and memo types."""
    from .vocab import LEVELS, MEMO_TYPES, RELATIONS

    register("code-levels", METHOD, LEVELS)
    register("relations", METHOD, RELATIONS)
    register("memo-types", METHOD, MEMO_TYPES)


@hookimpl
def register_workflows(register: RegisterWorkflow) -> None:
    """The constructivist (default) steps; `workbench gt steps` shows the active profile's."""
    from .profiles import DEFAULT_PROFILE

    register(METHOD, DEFAULT_PROFILE.steps)


@hookimpl
def register_validators(register: RegisterValidator) -> None:
    from . import validators

    register(
        "gt-relation-evidence", validators.relation_without_evidence, "relation without evidence segments"
    )
    register(
        "gt-focused-lineage", validators.focused_code_without_initials, "focused code with no initial codes"
    )
    register("gt-category-properties", validators.category_without_properties, "category without properties")
    register(
        "gt-saturated-unlocated",
        validators.saturated_without_locations,
        "category marked saturated with nothing located on its dimensions",
    )


@hookimpl
def register_tables(register: RegisterTable) -> None:
    from .tables import register as register_all

    register_all(register)


@hookimpl
def register_commands(register: RegisterCommand) -> None:
    from .cli import configure, run

    register(
        "gt", "grounded theory: profile, coding, comparison, categories, sampling, saturation", configure, run
    )


def _comparison_screen(project: Project) -> Any:
    from .screens import open_comparison

    return open_comparison(project)


def _codes_margin(project: Project, source_id: str) -> Mapping[int, str]:
    from .margin import codes_by_line

    return codes_by_line(project, source_id)


@hookimpl
def register_views(register: RegisterView) -> None:
    register("gt.compare", "screen", "Constant comparison", _comparison_screen, key="f6")
    register("gt.codes", "margin", "GT codes", _codes_margin, method="gt")
