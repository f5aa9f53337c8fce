"""The study characteristics table (CMP-2): the first table of any synthesis (eMERGe phase 3).

Each field is derived from the study where the project knows it (method and GT profile or IPA
terminology, research questions, N analysed, interviews and their settings and dates from the GT
collection log, the output structure from the concept inventory) and can be set or overridden by the
researcher per study; the researcher's values live in one ``cmp.characteristics`` record per study.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project

    from .workspace import Comparison

KIND = "cmp.characteristics"
FIELDS: tuple[tuple[str, str], ...] = (
    ("method", "Method / variant"),
    ("stance", "Epistemological stance"),
    ("aim", "Aim / research question"),
    ("setting", "Setting"),
    ("sampling", "Sampling"),
    ("n", "N analysed (planned)"),
    ("planned", "N planned"),
    ("data", "Data collection"),
    ("unit", "Analysis unit"),
    ("date", "Date"),
    ("position", "Researcher position"),
    ("output", "Output structure"),
)
KEYS = tuple(key for key, _title in FIELDS)
SHOWN = tuple(f for f in FIELDS if f[0] != "planned")  # "planned" is shown inside "N analysed (planned)"


def _record(workspace: Project, side: str) -> dict[str, Any] | None:
    return next((r for r in workspace.records(KIND) if r["data"].get("side") == side), None)


def researcher_values(workspace: Project, side: str) -> dict[str, str]:
    found = _record(workspace, side)
    return dict(found["data"].get("values", {})) if found else {}


def set_values(workspace: Project, side: str, values: dict[str, str]) -> dict[str, str]:
    """Set (or, with an empty value, clear) fields of one study's characteristics."""
    unknown = [k for k in values if k not in KEYS]
    if unknown:
        raise BadInputError(f"unknown field {', '.join(unknown)}; fields: {', '.join(KEYS)}", "--set")
    current = researcher_values(workspace, side)
    for key, value in values.items():
        if value.strip():
            current[key] = value.strip()
        else:
            current.pop(key, None)
    found = _record(workspace, side)
    data = {"side": side, "values": current}
    summary = f"characteristics of study {side}: {', '.join(values)}"
    if found:
        workspace.update_record(found["id"], data, summary=summary)
    else:
        workspace.add_record(KIND, data, summary=summary)
    return current


def derived(comparison: Comparison, side: str) -> dict[str, str]:
    """What the study itself says about each field (empty where it cannot know)."""
    project = comparison.sources[side]
    out: dict[str, str] = {}
    if project.method == "gt":
        profile = next(iter(project.records("gt.profile")), None)
        variant = str(profile["data"].get("profile", "")) if profile else ""
        out["method"] = f"Grounded theory ({variant})" if variant else "Grounded theory"
        if profile:
            out["aim"] = " ".join(str(q) for q in profile["data"].get("questions", []))
    elif project.method == "ipa":
        out["method"] = "Interpretative phenomenological analysis"
    else:
        out["method"] = project.method
    sources = project.sources()
    kinds = Counter(str(s.get("kind") or "transcript") for s in sources)
    collection = [r["data"] for r in project.records("gt.collection")]
    data = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in sorted(kinds.items()))
    durations = [int(c["duration"]) for c in collection if str(c.get("duration", "")).isdigit()]
    if durations:
        data += f" (mean {round(sum(durations) / len(durations))} min)"
    out["data"] = data
    settings = sorted({str(c["setting"]) for c in collection if c.get("setting")})
    if settings:
        out["setting"] = "; ".join(settings)
    dates = sorted(str(c["date"]) for c in collection if c.get("date"))
    if dates:
        out["date"] = dates[0] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}"
    out["n"] = str(len([p for p in project.participants() if p.get("status", "active") == "active"]))
    inventory = comparison.inventory(side)
    counts = Counter(c.level_title for c in inventory.shown() if inventory.shown_parent(c) is None)
    subs = Counter(c.level_title for c in inventory.shown() if inventory.shown_parent(c) is not None)
    parts = [f"{n} × {title}" for title, n in counts.items()] + [
        f"{n} × {title}" for title, n in subs.items()
    ]
    out["output"] = ", ".join(parts)
    return out


def values(comparison: Comparison, side: str) -> dict[str, str]:
    """Derived values overridden by the researcher's; "N analysed (planned)" combines n and planned."""
    merged = {**derived(comparison, side), **researcher_values(comparison.workspace, side)}
    if merged.get("planned"):
        merged["n"] = f"{merged.get('n', '?')} ({merged['planned']})"
    return merged
