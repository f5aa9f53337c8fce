"""Unsafe text a project already holds: found by `workbench check`, removed by `workbench clean`.

New text is refused at the door (untrusted.py, `Project._operation`), but a project written by an
older version, imported before the policy, or edited by hand may still hold escape sequences or bidi
overrides. They are shown escaped everywhere; this module names each such field, once, and cleans
them as one audited, undoable operation, never silently on open (data is not "repaired" behind the
researcher's back).

Transcript text is reported but not cleaned here: removing characters would move every anchor after
them, which is what `workbench correct` (a new version, anchors remapped) is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.core import untrusted
from workbench.core.errors import BadInputError

if TYPE_CHECKING:
    from workbench.core.project import Project

# Not analytic state: the undo record must restore exactly what was there, the audit log is append-only
# (its word fields are digests), and the store's own bookkeeping holds no text.
SKIPPED_TABLES = frozenset({"history", "audit", "audit_salts", "_store"})
TRANSCRIPTS = "texts"


@dataclass(frozen=True)
class UnsafeField:
    """One stored field holding unsafe characters; `ref` is what `workbench clean --field` takes."""

    table: str
    doc_id: str
    path: str
    value: str

    @property
    def ref(self) -> str:
        return f"{self.table}/{self.doc_id}/{self.path}"

    @property
    def cleanable(self) -> bool:
        return self.table != TRANSCRIPTS

    def describe(self, project: Project) -> str:
        """One warning line: where, what (escaped), and the command that cleans it."""
        from workbench.core.project import field_name

        doc = project.store.get(self.table, self.doc_id) or {}
        name = field_name(self.table, self.doc_id, doc, self.path)
        quoted = untrusted.shown(_excerpt(self.value), lines=False)
        if not self.cleanable:
            source = doc.get("source_id") or self.doc_id
            return (
                f"{name} holds unsafe characters ({untrusted.problem(self.value, lines=True)}); "
                f"they are shown escaped; remove them with `workbench correct {project.path} {source} FILE`"
            )
        return (
            f'{name} holds unsafe characters: "{quoted}"; they are shown escaped; '
            f"clean with `workbench clean {project.path} --field {self.ref}`"
        )


def _excerpt(value: str, width: int = 60) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def unsafe_fields(project: Project) -> list[UnsafeField]:
    """Every stored field holding unsafe characters, in table and id order (one per field)."""
    found: list[UnsafeField] = []
    data = project.store._data
    for table in sorted(data):
        if table in SKIPPED_TABLES:
            continue
        rows = data[table]
        if not untrusted.may_hold_unsafe(list(rows.values())):
            continue
        for doc_id in sorted(rows):
            for path, value in untrusted.unsafe_strings(rows[doc_id]):
                found.append(UnsafeField(table, doc_id, path, value))
    return found


def clean(project: Project, refs: list[str] | None = None) -> list[UnsafeField]:
    """Strip unsafe characters from the named fields (all cleanable ones when `refs` is None).

    One operation (`text.clean`): undoable, and audited like any other change. Returns what it cleaned;
    a ref that names no unsafe field is refused before anything changes.
    """
    fields = [f for f in unsafe_fields(project) if f.cleanable]
    if refs is not None:
        by_ref = {f.ref: f for f in fields}
        unknown = [ref for ref in refs if ref not in by_ref]
        if unknown:
            raise BadInputError(
                f"{untrusted.shown(unknown[0], lines=False)} is not a field with unsafe characters "
                "(`workbench check` lists them)",
                "--field",
            )
        fields = [by_ref[ref] for ref in dict.fromkeys(refs)]
    if not fields:
        return []
    docs: dict[tuple[str, str], list[UnsafeField]] = {}
    for f in fields:
        docs.setdefault((f.table, f.doc_id), []).append(f)
    with project._operation(
        "text.clean", "project", f"remove unsafe characters from {len(fields)} field(s)"
    ) as tx:
        for (table, doc_id), chosen in docs.items():
            doc = tx.get(table, doc_id)
            assert doc is not None
            paths = {f.path for f in chosen}
            tx.put(table, doc_id, _clean_paths(doc, paths, ""))
    return fields


def _clean_paths(value: Any, paths: set[str], path: str) -> Any:
    """A copy of `value` with the strings at `paths` (as `unsafe_strings` names them) cleaned."""
    if isinstance(value, str):
        return untrusted.cleaned(value) if path in paths else value
    if isinstance(value, dict):
        key_path = f"{path}#key"
        result: dict[Any, Any] = {}
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            unsafe_key = isinstance(key, str) and key_path in paths and not untrusted.is_safe(key)
            result[untrusted.cleaned(key) if unsafe_key else key] = _clean_paths(item, paths, name)
        return result
    if isinstance(value, list):
        return [_clean_paths(item, paths, f"{path}[{index}]") for index, item in enumerate(value)]
    return value
