"""Coder identities and layers (ICR-1, ICR-2).

Every coding carries ``coder`` (default: the OS user running the workbench) and ``layer``; memos and
records carry ``author``. A ``team.coder`` record maps a coder id to a display name and the initials the
margins print beside each coder's bars (a letter, never colour alone).
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.core.errors import BadInputError

if TYPE_CHECKING:
    from workbench.core.project import Project

CODER_KIND = "team.coder"


@dataclass(frozen=True)
class Coder:
    id: str
    name: str
    initials: str
    codings: int
    memos: int
    layers: dict[str, int] = field(hash=False)


def coders(project: Project) -> list[Coder]:
    """Everyone who coded or wrote, with counts per layer, plus named coders who have not yet."""
    codings: Counter[str] = Counter()
    layers: dict[str, Counter[str]] = {}
    for doc in project.rows("codings"):
        codings[doc["coder"]] += 1
        layers.setdefault(doc["coder"], Counter())[doc["layer"]] += 1
    memos = Counter(str(doc.get("author", "")) for doc in project.rows("memos"))
    named = {doc["data"]["id"]: doc["data"] for doc in project.records(CODER_KIND)}
    ids = sorted({*codings, *(m for m in memos if m), *named})
    out = []
    for coder in ids:
        data = named.get(coder, {})
        out.append(
            Coder(
                coder,
                str(data.get("name", coder)),
                str(data.get("initials", "")) or default_initials(coder),
                codings[coder],
                memos[coder],
                dict(sorted(layers.get(coder, Counter()).items())),
            )
        )
    return out


def default_initials(coder: str) -> str:
    parts = [p for p in coder.replace(".", " ").replace("_", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def initials(project: Project) -> dict[str, str]:
    return {c.id: c.initials for c in coders(project)}


def initials_of(project: Project, coder_ids: Iterable[str]) -> dict[str, str]:
    """Initials of the given coders from the ``team.coder`` records alone (no pass over the codings,
    so a margin can ask on every refresh of a 50,000-coding project)."""
    named = {
        str(doc["data"]["id"]): str(doc["data"].get("initials", "")) for doc in project.records(CODER_KIND)
    }
    return {coder: named.get(coder) or default_initials(coder) for coder in set(coder_ids)}


def set_coder(project: Project, coder: str, *, name: str | None = None, initials_: str | None = None) -> str:
    """Name a coder and choose their initials (1-3 letters, unique in the project)."""
    coder = coder.strip()
    if not coder:
        raise BadInputError("name the coder id", "CODER")
    if initials_ is not None and not (1 <= len(initials_) <= 3 and initials_.isalpha()):
        raise BadInputError("initials are 1-3 letters", "--initials")
    taken = {c.initials.upper(): c.id for c in coders(project) if c.id != coder}
    if initials_ and initials_.upper() in taken:
        raise BadInputError(
            f"initials {initials_.upper()} are already {taken[initials_.upper()]}'s", "--initials"
        )
    existing = [doc for doc in project.records(CODER_KIND) if doc["data"]["id"] == coder]
    data = dict(existing[0]["data"]) if existing else {"id": coder}
    if name is not None:
        data["name"] = name.strip()
    if initials_ is not None:
        data["initials"] = initials_.upper()
    if existing:
        project.update_record(existing[0]["id"], data, summary=f"coder {coder}")
        return str(existing[0]["id"])
    return project.add_record(CODER_KIND, data, summary=f"coder {coder}")


CONSENSUS_TAG = "="
"""The margin tag of the consensus layer (ICR-7) when several layers are drawn."""


def layer_tags(project: Project, coder_ids: Iterable[str]) -> dict[str, str]:
    """One distinct lower-case letter per coder for the transcript margin's layer entries (ICR-2).

    The coder's initial (their chosen initials, else from their id) when it is free, else the next
    free letter of their initials or id, else any free letter or digit. Reads only the ``team.coder``
    records, never the codings, so the transcript view can call it on every refresh.
    """
    chosen = {
        str(doc["data"]["id"]): str(doc["data"].get("initials", "")) for doc in project.records(CODER_KIND)
    }
    taken: set[str] = {CONSENSUS_TAG}
    out: dict[str, str] = {}
    for coder in sorted(set(coder_ids)):
        letters = (chosen.get(coder) or default_initials(coder)) + coder
        candidates = [c.lower() for c in letters if c.isalnum()] + list(
            string.ascii_lowercase + string.digits
        )
        tag = next((c for c in candidates if c not in taken), "?")
        taken.add(tag)
        out[coder] = tag
    return out
