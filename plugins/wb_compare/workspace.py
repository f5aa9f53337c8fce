"""The comparison workspace (CMP-1): a workbench project of method "compare" linking two studies.

The workspace holds only the comparison's own work — mappings, characteristics, translations,
refutations, line-of-argument constructs (``cmp.*`` records), rationale memos and its own audit log.
One ``cmp.link`` record names the two studies: absolute path, title, method, an *identity* (a digest of
title, method, creation time and creator, so a different project moved into the same folder is refused)
and a *state* digest of the project files when linked (so "changed since linking" can be shown).

Both studies are opened with ``Project.open(path, readonly=True)``: no lock is taken and nothing is
written to them, ever. Their files (and so their audit logs) stay byte-identical.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from workbench import BadInputError, NotFoundError, Project, Scrubber

from . import heap
from . import inventory as inventory_mod
from .quotes import Quote

if TYPE_CHECKING:
    from .inventory import Concept, Inventory

METHOD = "compare"
LINK_KIND = "cmp.link"
SETTINGS_KIND = "cmp.settings"
SIDES = ("A", "B")
STATE_FILES = ("project.json", "journal.log")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity(project: Project) -> str:
    meta = project.meta
    key = "\x1f".join(str(meta.get(k, "")) for k in ("title", "method", "created_at", "created_by"))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def state_digest(path: Path) -> str:
    """A digest of the files that hold a project's state (its checkpoint and journal)."""
    digest = hashlib.sha256()
    for name in STATE_FILES:
        file = path / name
        digest.update(name.encode())
        if file.is_file():
            with file.open("rb") as fh:
                while block := fh.read(1 << 20):
                    digest.update(block)
    return digest.hexdigest()


def default_workspace(a: Path, b: Path) -> Path:
    """``compare-<A>-<B>`` beside study A."""
    return a.resolve().parent / f"compare-{a.resolve().name}-{b.resolve().name}"


@dataclass(frozen=True)
class Study:
    side: str
    path: Path
    title: str
    method: str
    identity: str
    state: str
    linked_at: str

    def to_json(self) -> dict[str, str]:
        return {
            "path": str(self.path),
            "title": self.title,
            "method": self.method,
            "identity": self.identity,
            "state": self.state,
            "linked_at": self.linked_at,
        }

    @classmethod
    def from_json(cls, side: str, data: dict[str, Any]) -> Study:
        return cls(
            side,
            Path(str(data["path"])),
            str(data.get("title", "")),
            str(data.get("method", "")),
            str(data.get("identity", "")),
            str(data.get("state", "")),
            str(data.get("linked_at", "")),
        )


def _open_source(path: Path, side: str) -> Project:
    try:
        project = Project.open(path, readonly=True)
    except NotFoundError:
        raise NotFoundError(f"study {side}: {path} is not a workbench project", str(path)) from None
    if project.method == METHOD:
        project.close()
        raise BadInputError(f"study {side}: {path} is itself a comparison workspace", str(path))
    return project


def _describe(project: Project, side: str, scrub: Scrubber) -> Study:
    """Study `side` as the workspace keeps it; its title is a copy, cleaned like any imported text."""
    title = scrub.text(project.title, f"study {side} title", lines=False)
    return Study(side, project.path.resolve(), title, project.method, identity(project), "", now())


def link_record(workspace: Project) -> dict[str, Any]:
    found = workspace.records(LINK_KIND)
    if workspace.method != METHOD or not found:
        raise BadInputError(
            f"{workspace.path} is not a comparison workspace (create one with `workbench compare A B`)",
            "WORKSPACE",
        )
    return found[-1]


def studies(workspace: Project) -> dict[str, Study]:
    data = link_record(workspace)["data"]
    return {side: Study.from_json(side, data[side]) for side in SIDES}


def create_or_open(
    a: Path, b: Path, workspace: Path, title: str | None = None
) -> tuple[Path, bool, list[str]]:
    """Create the workspace linking A and B (created=True), or check an existing one links them.

    Also returns what the input policy removed from the studies' text the workspace copies.
    """
    if a.resolve() == b.resolve():
        raise BadInputError("A and B are the same project; a comparison needs two studies", "B")
    scrub = Scrubber()
    with _open_source(a, "A") as project_a, _open_source(b, "B") as project_b:
        study_a, study_b = _describe(project_a, "A", scrub), _describe(project_b, "B", scrub)
    if (workspace / "project.json").is_file():
        with Project.open(workspace, readonly=True) as existing:
            linked = studies(existing)
        for side, study in (("A", study_a), ("B", study_b)):
            if linked[side].path != study.path:
                raise BadInputError(
                    f"{workspace} compares {linked['A'].path} with {linked['B'].path}; "
                    f"choose another --workspace for these two studies",
                    "--workspace",
                )
        return workspace.resolve(), False, scrub.report()
    name = title or f"Comparison: {study_a.title} × {study_b.title}"
    with Project.create(workspace, name[:200], method=METHOD) as project:
        data = {
            "A": {**study_a.to_json(), "state": state_digest(study_a.path)},
            "B": {**study_b.to_json(), "state": state_digest(study_b.path)},
        }
        project.add_record(LINK_KIND, data, summary=f"link {study_a.title!r} (A) and {study_b.title!r} (B)")
    return workspace.resolve(), True, scrub.report()


def settings(workspace: Project) -> dict[str, Any]:
    found = workspace.records(SETTINGS_KIND)
    return dict(found[-1]["data"]) if found else {}


def save_settings(workspace: Project, changes: dict[str, Any], summary: str) -> None:
    found = workspace.records(SETTINGS_KIND)
    if found:
        workspace.update_record(found[-1]["id"], {**found[-1]["data"], **changes}, summary=summary)
    else:
        workspace.add_record(SETTINGS_KIND, changes, summary=summary)


class Comparison:
    """An open workspace with both studies open read-only and their inventories built on first use.

    The studies are opened once and reused by everything the comparison shows; while it is open their
    data is frozen out of the garbage collector's scans (`heap`), and `close` releases that.
    """

    def __init__(self, workspace: Project) -> None:
        self.workspace = workspace
        self.studies = studies(workspace)
        self.sources: dict[str, Project] = {}
        self._inventories: dict[str, Inventory] = {}
        self._holding = False
        try:
            with heap.collector_paused():
                for side in SIDES:
                    study = self.studies[side]
                    project = _open_source(study.path, side)
                    self.sources[side] = project
                    if identity(project) != study.identity:
                        raise BadInputError(
                            f"study {side} at {study.path} is no longer the project this workspace linked "
                            f"({study.title!r})",
                            str(study.path),
                        )
                # frozen before the collector resumes, which would otherwise scan it all at once
                heap.hold()
                self._holding = True
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        while self.sources:  # no local is left referring to a study when `heap.release` collects
            self.sources.popitem()[1].close()
        self._inventories.clear()
        if self._holding:
            self._holding = False
            heap.release()

    def __enter__(self) -> Comparison:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def changed(self) -> list[str]:
        """Sides whose project files changed since the workspace linked them (shown, never an error)."""
        return [s for s in SIDES if state_digest(self.studies[s].path) != self.studies[s].state]

    def inventory(self, side: str) -> Inventory:
        side = side.upper()
        if side not in SIDES:
            raise BadInputError(f"study must be A or B, not {side!r}", "--study")
        found = self._inventories.get(side)
        if found is None:
            wanted = settings(self.workspace).get("levels", {}).get(side)
            found = inventory_mod.build(self.sources[side], side, wanted or None)
            self._inventories[side] = found
        return found

    def set_levels(self, side: str, levels: Sequence[str]) -> tuple[str, ...]:
        """Choose the levels shown for one study (CMP-3); an empty choice restores the method's default."""
        inv = self.inventory(side)
        chosen = inventory_mod.choose_levels(inv, list(levels))
        current = dict(settings(self.workspace).get("levels", {}))
        current[side] = list(chosen) if levels else []
        save_settings(
            self.workspace, {"levels": current}, f"levels of study {side}: {', '.join(chosen) or 'default'}"
        )
        inv.levels = chosen  # the concepts themselves do not depend on the levels shown
        return inv.levels

    def quote(self, side: str, ref: str) -> Quote | None:
        """A stored evidence reference read from its study (None when the words are no longer there)."""
        try:
            return self.inventory(side).exemplars.reader.resolve(ref)
        except BadInputError:
            return None

    def concept(self, ref: str, side: str | None = None) -> Concept:
        """A concept by reference: ``A:``/``B:`` ids name their study; otherwise `side`, else either study."""
        prefix = ref.strip()[:2]
        if prefix in ("A:", "B:"):
            return self.inventory(prefix[0]).find(ref)
        if side is not None:
            return self.inventory(side).find(ref)
        found = []
        for each in SIDES:
            try:
                found.append(self.inventory(each).find(ref))
            except NotFoundError:
                continue
        if len(found) == 1:
            return found[0]
        if found:
            raise BadInputError(f"{ref!r} names a concept in both studies; write A:... or B:...", "CONCEPT")
        raise NotFoundError(
            f"no concept {ref!r} in either study (see `workbench compare concepts`)", "CONCEPT"
        )


def open_comparison(workspace: Project) -> Comparison:
    return Comparison(workspace)
