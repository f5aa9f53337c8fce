"""Reflexive thematic analysis (Braun & Clarke) for Qualitative Workbench: an example method plugin.

It is a separate distribution (``pip install ./examples/workbench-rta``) found through the
``workbench.plugins`` entry point ``rta``, and it uses only the public API of the ``workbench`` package root
(``hookimpl``, ``Project``, ``Term``, ...) — the plugin guide (docs/plugin-guide.md) builds it step by step.

How reflexive TA maps onto the workbench:

* **Codes** are core codes (levels ``code`` for semantic, ``latent``), applied with ``workbench code``.
* **The six phases** are the method's workflow; moving between them (forwards or back: the method is
  recursive) is an ``rta.phase`` record (`phases`).
* **Themes** are ``rta.theme`` records built around a central organising concept, linked to their codes,
  with status candidate → reviewed → defined (or discarded) (`themes`); the **thematic map** is drawn from
  them as DOT or Mermaid (`thematic_map`).
* **Familiarisation notes and the reflexivity journal** are core memos of types ``familiarisation`` and
  ``reflexive`` (`journal`). Inter-coder coefficients are not computed, by design (METHODS.md 5.1): a
  validator and the phases table say so, and warn if the project's ICR policy asks for them.

Shells: ``workbench rta ...`` (`cli`), the tables ``rta-themes``, ``rta-journal``, ``rta-phases``
(`tables`), the themes screen on F10 (`screen`) and a themes margin beside transcripts (`margin`).
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


@hookimpl
def register_vocabularies(register: RegisterVocabulary) -> None:
    """Code levels, thematic-map relations and memo types of the method ``rta``."""
    from .vocab import LEVELS, MEMO_TYPES, METHOD, RELATIONS

    register("code-levels", METHOD, LEVELS)
    register("relations", METHOD, RELATIONS)
    register("memo-types", METHOD, MEMO_TYPES)


@hookimpl
def register_workflows(register: RegisterWorkflow) -> None:
    """The six phases; registering a workflow is also what makes ``workbench new DIR --method rta`` work."""
    from .vocab import METHOD, PHASES

    register(METHOD, PHASES)


@hookimpl
def register_tables(register: RegisterTable) -> None:
    from .tables import register_all

    register_all(register)


@hookimpl
def register_commands(register: RegisterCommand) -> None:
    from .cli import configure, run

    register("rta", "reflexive thematic analysis: phases, themes, thematic map, journal", configure, run)


@hookimpl
def register_validators(register: RegisterValidator) -> None:
    from . import validators

    register("rta-no-coefficients", validators.no_coefficients, "states the ICR policy of reflexive TA")
    register("rta-journal", validators.journal_kept, "coding without a reflexivity journal")
    register("rta-theme-codes", validators.themes_have_codes, "themes with no codes, or only one")


def _themes_screen(project: Project) -> Any:
    from .screen import open_themes

    return open_themes(project)


def _themes_margin(project: Project, source_id: str) -> Mapping[int, str]:
    from .margin import themes_by_line

    return themes_by_line(project, source_id)


@hookimpl
def register_views(register: RegisterView) -> None:
    register("rta.themes", "screen", "Reflexive TA themes", _themes_screen, key="f10")
    register("rta.margin", "margin", "RTA themes", _themes_margin)
