"""Non-blocking GT checks (METHODS.md 10.1 item 4), run by `workbench check` and the TUI.

They point at analytic gaps a supervisor would ask about — a relation asserted without evidence, a focused
code that came from nowhere, a category without properties, a category judged saturated with nothing
located on its dimensions — and never stop the researcher.
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench import Finding, Project

from .categories import LOCATION_KIND, PROPERTY_KIND
from .focused import focused_without_initials
from .profiles import PROFILE_KIND
from .relations import gt_links
from .saturation import statuses
from .vocab import CATEGORY_LEVELS


def is_gt(project: Project) -> bool:
    """GT checks run on GT studies (method gt, or a GT profile recorded), not on an IPA study's codes."""
    return project.method == "gt" or bool(project.records(PROFILE_KIND))


def _label(project: Project, ref: str) -> str:
    return str((project.get("codes", ref.partition(":")[2]) or {}).get("label", ref))


def relation_without_evidence(project: Project) -> Iterator[Finding]:
    if not is_gt(project):
        return
    for link in gt_links(project):
        if not link.get("evidence"):
            yield Finding(
                "warning",
                f"relation {_label(project, link['origin'])} —{link['relation']}→ "
                f"{_label(project, link['target'])} "
                "has no evidence segments (asserted, not grounded)",
                f"link:{link['id']}",
            )


def focused_code_without_initials(project: Project) -> Iterator[Finding]:
    if not is_gt(project):
        return
    for code in focused_without_initials(project):
        yield Finding(
            "warning",
            f"focused code {code['label']!r} was not promoted from any initial code (no lineage)",
            f"code:{code['id']}",
        )


def category_without_properties(project: Project) -> Iterator[Finding]:
    if not is_gt(project):
        return
    with_props = {r["data"]["category"] for r in project.records(PROPERTY_KIND)}
    for code in project.codes():
        if code["status"] == "active" and code["level"] in CATEGORY_LEVELS and code["id"] not in with_props:
            yield Finding(
                "warning", f"category {code['label']!r} has no properties yet", f"code:{code['id']}"
            )


def saturated_without_locations(project: Project) -> Iterator[Finding]:
    if not is_gt(project):
        return
    located = {r["data"]["property"] for r in project.records(LOCATION_KIND)}
    props: dict[str, list[str]] = {}
    for prop in project.records(PROPERTY_KIND):
        props.setdefault(prop["data"]["category"], []).append(prop["id"])
    for category_id, data in statuses(project).items():
        if data["status"] == "saturated" and not any(p in located for p in props.get(category_id, [])):
            yield Finding(
                "info",
                f"category {_label(project, 'code:' + category_id)!r} is marked saturated but no incident is "
                "located on its dimensions",
                f"code:{category_id}",
            )
