"""Non-blocking checks for reflexive-TA projects (``workbench check``); quiet on projects of other methods.

They nudge towards the method's own quality markers (Braun & Clarke's 15-point checklist) instead of an
agreement coefficient: a journal, themes built on codes, themes that are more than one code.
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench import Finding, Project

from . import journal
from .themes import themes
from .vocab import METHOD, NO_COEFFICIENTS


def no_coefficients(project: Project) -> Iterator[Finding]:
    """State the ICR policy; warn when the project was switched to reporting coefficients."""
    if project.method != METHOD:
        return
    yield Finding("info", NO_COEFFICIENTS)
    policies = project.records("icr.policy")
    if policies and policies[-1]["data"].get("policy") == "reliability":
        yield Finding(
            "warning",
            "the ICR policy is 'reliability', which reflexive TA rejects; set it to 'off' or 'dialogic'",
            entity=f"record:{policies[-1]['id']}",
        )


def journal_kept(project: Project) -> Iterator[Finding]:
    if project.method != METHOD:
        return
    if project.codes() and not journal.entries(project):
        yield Finding(
            "warning", "coding has started but the reflexivity journal is empty (`workbench rta journal`)"
        )


def themes_have_codes(project: Project) -> Iterator[Finding]:
    if project.method != METHOD:
        return
    for theme in themes(project, include_discarded=False):
        if not theme.codes:
            yield Finding("warning", f"theme {theme.name!r} has no codes", entity=f"record:{theme.id}")
        elif len(theme.codes) == 1:
            yield Finding(
                "info",
                f"theme {theme.name!r} rests on one code: is it a theme or a code?",
                entity=f"record:{theme.id}",
            )
