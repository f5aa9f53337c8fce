"""Governance checks that read a project: small cells (GOV-5), the pseudonym registry (GOV-3/4), file
permissions (GOV-2) and the identifier scan of an export (GOV-7, GOV-2b)."""

from __future__ import annotations

import re
import stat
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.governance.identifiers import scan_summary

if TYPE_CHECKING:
    from workbench.core.project import Project


@dataclass(frozen=True)
class SmallCell:
    attributes: str
    values: str
    count: int
    warning: str


def small_cells(project: Project, k: int = 2, depth: int = 3) -> list[SmallCell]:
    """Attribute combinations (up to `depth` attributes) shared by fewer than `k` active participants.

    Only minimal combinations are listed: once "service=A" alone singles someone out, the combinations
    that add more attributes to it are not repeated.
    """
    people = [p for p in project.participants() if p.get("status") != "withdrawn" and p.get("attributes")]
    keys = sorted({key for p in people for key in p["attributes"]})
    flagged: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    out: list[SmallCell] = []
    for size in range(1, min(depth, len(keys)) + 1):
        for combo in combinations(keys, size):
            values = Counter(
                tuple(str(p["attributes"][key]) for key in combo)
                for p in people
                if all(key in p["attributes"] for key in combo)
            )
            for value, count in sorted(values.items()):
                if count >= k:
                    continue
                pairs = set(zip(combo, value, strict=True))
                if any(set(zip(c, v, strict=True)) <= pairs for c, v in flagged):
                    continue
                flagged.append((combo, value))
                out.append(
                    SmallCell(
                        ", ".join(combo),
                        ", ".join(value),
                        count,
                        f"{'unique' if count == 1 else 'rare'} combination: "
                        f"fewer than {k} participants share it",
                    )
                )
    return out


def pseudonym_registry(project: Project) -> list[list[str]]:
    """One row per participant; warns on duplicate pseudonyms and pseudonyms that occur in a transcript."""
    texts = [project.current_text(s["id"])[1].text for s in project.sources()]
    counts = Counter(p["pseudonym"].casefold() for p in project.participants())
    rows = []
    for p in project.participants():
        warnings = []
        name = p["pseudonym"]
        if counts[name.casefold()] > 1:
            warnings.append("pseudonym used twice")
        if name != p["id"] and name != "[withdrawn]":
            pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
            if any(pattern.search(t) for t in texts):
                warnings.append("pseudonym occurs in a transcript (a real name?)")
        sources = sum(1 for s in project.sources() if s.get("participant_id") == p["id"])
        rows.append([p["id"], name, p.get("status", "active"), str(sources), "; ".join(warnings)])
    return rows


def loose_permissions(root: Path) -> list[str]:
    """Files or folders under `root` that group or others may read, write or enter (GOV-2)."""
    loose = []
    for path in [root, *sorted(root.rglob("*"))]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            loose.append(f"{path.relative_to(root) if path != root else '.'} {oct(mode)}")
    return loose


def export_scan(project: Project, paths: list[Path]) -> dict[str, Any]:
    """The identifier scan of files about to leave the project, for the export manifest (GOV-7)."""
    from workbench.core.governance.anonlog import names
    from workbench.core.governance.withdrawal import _file_text

    texts = []
    for path in paths:
        text = _file_text(path)
        if path.suffix in (".docx", ".xlsx", ".odt", ".qdpx"):
            text = re.sub(r"<[^>]+>", " ", text)
        texts.append(text)
    found = scan_summary(texts, names(project))
    return {"identifiers": found, "clean": not found}
