"""Theme nodes and the clustering board (IPA-5): the digital "cut-up" of one case's statements.

Every theme is an ``ipa.theme`` record ``{level, case, name, parent, techniques, rationale,
label_statement, members, member_statements, extracts, cells, post_lock}``. ``level`` is one of the
stored ids in `terminology` (pet, pet-subtheme, get, get-subtheme) and never changes with the
terminology setting. Records rather than core clusters, because a board is edited all the time (renamed,
re-tagged, restructured) and core clusters cannot be changed once made.

A statement's place on the board is its own ``cluster`` field (one move = one undoable operation). PETs
are lettered A, B, ... and sub-themes A1, A2 in the order they were made: counts of statements and the
line spread are shown beside each (numeration, IPA-5d) but never used to order or rank anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wb_ipa import cases, statements
from wb_ipa.anchors import line_range, page_line
from wb_ipa.terminology import CASE_LEVELS, CLUSTERING, GET, GET_SUB, PET, PET_SUB, techniques
from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project

KIND = "ipa.theme"
SNAPSHOT = "ipa.board-snapshot"


@dataclass(frozen=True)
class Theme:
    id: str
    level: str
    case: str | None
    name: str
    parent: str | None
    techniques: tuple[str, ...] = ()
    rationale: str | None = None
    label_statement: str | None = None
    members: tuple[str, ...] = ()
    member_statements: dict[str, list[str]] = field(default_factory=dict)
    extracts: tuple[dict[str, Any], ...] = ()
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)
    post_lock: tuple[dict[str, Any], ...] = ()


def _theme(doc: dict[str, Any]) -> Theme:
    d = doc["data"]
    return Theme(
        doc["id"],
        d["level"],
        d.get("case"),
        d["name"],
        d.get("parent"),
        tuple(d.get("techniques", [])),
        d.get("rationale"),
        d.get("label_statement"),
        tuple(d.get("members", [])),
        dict(d.get("member_statements", {})),
        tuple(d.get("extracts", [])),
        dict(d.get("cells", {})),
        tuple(d.get("post_lock", [])),
    )


def themes(project: Project, *, case: str | None = None, levels: Sequence[str] | None = None) -> list[Theme]:
    """Themes in creation order, optionally of one case and some levels."""
    found = [_theme(d) for d in project.records(KIND)]
    return [t for t in found if (case is None or t.case == case) and (levels is None or t.level in levels)]


def get(project: Project, theme_id: str) -> Theme:
    doc = project.record(theme_id)
    if doc["kind"] != KIND:
        raise BadInputError(f"{theme_id} is not a theme", theme_id)
    return _theme(doc)


def labels(project: Project, case: str) -> dict[str, str]:
    """Theme id -> A, A1, B ... for one case's PETs and sub-themes, in creation order."""
    out: dict[str, str] = {}
    pets = themes(project, case=case, levels=(PET,))
    subs = themes(project, case=case, levels=(PET_SUB,))
    for i, pet in enumerate(pets):
        letter = _letters(i)
        out[pet.id] = letter
        for j, sub in enumerate(s for s in subs if s.parent == pet.id):
            out[sub.id] = f"{letter}{j + 1}"
    return out


def _letters(index: int) -> str:
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(65 + rest) + text
    return text


def _save(project: Project, theme: Theme, what: str, **changes: Any) -> None:
    """Change a theme (one operation); a case-level theme of a locked case logs a post-lock revision."""
    doc = project.record(theme.id)
    data = {**doc["data"], **changes}
    if theme.case is not None:
        case = cases.check_writable(project, theme.case)
        data["post_lock"] = [*data.get("post_lock", []), *cases.post_lock_mark(case, what)]
    project.update_record(theme.id, data, summary=f"{what}: {theme.id} {theme.name!r}")


def create(project: Project, case: str, name: str, *, parent: str | None = None) -> str:
    """A new PET (or, under `parent`, a PET sub-theme) on the case's board."""
    if not name.strip():
        raise BadInputError("a theme needs a name", "NAME")
    found = cases.check_writable(project, case)
    level = PET
    if parent is not None:
        above = get(project, parent)
        if above.level != PET or above.case != case:
            raise BadInputError(f"{parent} is not a PET of {case}; sub-themes go under a PET", "--parent")
        level = PET_SUB
    data = {
        "level": level,
        "case": case,
        "name": name.strip(),
        "parent": parent,
        "techniques": [],
        "rationale": None,
        "label_statement": None,
        "extracts": [],
        "post_lock": cases.post_lock_mark(found, "theme added"),
    }
    return project.add_record(
        KIND, data, links=[f"participant:{case}"], summary=f"{level} {name.strip()!r} for {case}"
    )


def move(project: Project, statement_id: str, theme_id: str | None) -> None:
    """Drop a statement into a PET or sub-theme of its own case, or back to "not yet clustered"."""
    statement = statements.get(project, statement_id)
    if theme_id is not None:
        theme = get(project, theme_id)
        if theme.level not in CASE_LEVELS or theme.case != statement.case:
            raise BadInputError(
                f"{theme_id} is not a PET of {statement.case}; statements cluster within their case", "THEME"
            )
        if statement.excluded:
            raise BadInputError(f"{statement_id} is discarded; restore it first", statement_id)
    if statement.cluster == theme_id:
        raise BadInputError(f"{statement_id} is already there", "THEME")
    statements.update(project, statement, "moved", cluster=theme_id)


def tag(project: Project, theme_id: str, tags: Sequence[str], rationale: str = "") -> None:
    """Record the techniques behind a clustering decision (IPA-5b), with an optional rationale memo."""
    theme = get(project, theme_id)
    chosen = techniques(list(tags))
    if not chosen and not rationale.strip():
        raise BadInputError("name at least one technique or give a rationale", "--technique")
    memo = theme.rationale
    if rationale.strip():
        memo = project.write_memo(
            f"Clustering rationale: {theme.name}",
            rationale.strip(),
            links=[f"record:{theme.id}"],
            memo_type=CLUSTERING,
        )
    merged = list(dict.fromkeys([*theme.techniques, *chosen]))
    _save(project, theme, "techniques", techniques=merged, rationale=memo)


def subsume(project: Project, theme_id: str, statement_id: str) -> None:
    """Subsumption (IPA-5c): the statement becomes the theme's label and joins it; its anchor is kept."""
    theme = get(project, theme_id)
    statement = statements.get(project, statement_id)
    if theme.level not in CASE_LEVELS or theme.case != statement.case:
        raise BadInputError(f"{statement_id} and {theme_id} are not of the same case", "STATEMENT")
    if statement.cluster != theme_id:
        move(project, statement_id, theme_id)
    techs = list(dict.fromkeys([*theme.techniques, "subsumption"]))
    _save(project, theme, "subsumption", name=statement.text, label_statement=statement_id, techniques=techs)


def rename(project: Project, theme_id: str, name: str) -> None:
    if not name.strip():
        raise BadInputError("a theme needs a name", "NAME")
    theme = get(project, theme_id)
    _save(project, theme, "renamed", name=name.strip(), label_statement=None)


def members(project: Project, theme: Theme, *, deep: bool = True) -> list[statements.Statement]:
    """Statements in a case-level theme (and its sub-themes when `deep`), chronological."""
    ids = {theme.id}
    if deep:
        ids |= {t.id for t in themes(project, case=theme.case, levels=(PET_SUB,)) if t.parent == theme.id}
    return [s for s in statements.all_statements(project, case=theme.case) if s.cluster in ids]


def numeration(project: Project, items: Sequence[statements.Statement]) -> str:
    """ "3 statements, lines 12–88": shown, never used to rank (IPA-5d)."""
    if not items:
        return "0 statements"
    lines = [line_range(project, s.anchor) for s in items]
    low = min(first.number for first, _ in lines)
    high = max(last.number for _, last in lines)
    return f"{len(items)} statement{'s' * (len(items) != 1)}, lines {low}–{high}"


def tree(project: Project, case: str) -> list[str]:
    """The case's board as an ASCII tree (IPA-5 keyboard/print equivalent, METHODS.md 3.4 #5)."""
    names = labels(project, case)
    out: list[str] = []
    all_subs = themes(project, case=case, levels=(PET_SUB,))
    for pet in themes(project, case=case, levels=(PET,)):
        out.append(
            f"{names[pet.id]}. {pet.name}  "
            f"({numeration(project, members(project, pet))}){_tags(project, pet)}"
        )
        subs = [s for s in all_subs if s.parent == pet.id]
        own = members(project, pet, deep=False)
        children: list[tuple[str, Any]] = [("s", s) for s in own] + [("t", t) for t in subs]
        for i, (kind, item) in enumerate(children):
            last = i == len(children) - 1
            branch, stem = ("└─ ", "   ") if last else ("├─ ", "│  ")
            if kind == "s":
                out.append(f"{branch}{statements.card(project, item)}")
                continue
            inner = members(project, item, deep=False)
            out.append(
                f"{branch}{names[item.id]} {item.name}  ({numeration(project, inner)}){_tags(project, item)}"
            )
            for j, statement in enumerate(inner):
                twig = "└─ " if j == len(inner) - 1 else "├─ "
                out.append(f"{stem}{twig}{statements.card(project, statement)}")
    rest = [s for s in statements.all_statements(project, case=case) if s.cluster is None]
    waiting = [s for s in rest if not s.excluded]
    dropped = [s for s in rest if s.excluded]
    if waiting:
        out.append(f"Not yet clustered ({len(waiting)})")
        out.extend(f"  · {statements.card(project, s)}" for s in waiting)
    if dropped:
        out.append(f"Discarded ({len(dropped)})")
        out.extend(f"  ✗ {s.text} [{page_line(project, s.anchor)}] — reason: {s.reason}" for s in dropped)
    return out


def _tags(project: Project, theme: Theme) -> str:
    parts = list(theme.techniques)
    if theme.label_statement:
        parts = [p if p != "subsumption" else f'subsumption of "{theme.name}"' for p in parts]
    text = f"  ← {', '.join(parts)}" if parts else ""
    if theme.rationale:
        text += f"  [rationale {theme.rationale}]"
    return text


def snapshot(project: Project, scope: str, *, label: str = "", lines: Sequence[str] | None = None) -> str:
    """Keep the board as it is now (ASCII tree with technique tags) as an ``ipa.board-snapshot`` record."""
    body = list(lines) if lines is not None else tree(project, scope)
    data = {"scope": scope, "label": label or f"board {scope}", "at": cases.now(), "tree": body}
    return project.add_record(SNAPSHOT, data, summary=f"snapshot of the {scope} board")


def snapshots(project: Project, scope: str | None = None) -> list[dict[str, Any]]:
    return [d for d in project.records(SNAPSHOT) if scope is None or d["data"]["scope"] == scope]


def delete(project: Project, theme_id: str) -> None:
    """Remove an empty theme (its statements and sub-themes must have been moved out first)."""
    theme = get(project, theme_id)
    if theme.case is not None:
        cases.check_writable(project, theme.case)
    if theme.level in CASE_LEVELS and members(project, theme):
        raise BadInputError(f"{theme_id} still holds statements; move them out first", theme_id)
    if theme.level in (GET, GET_SUB) and theme.members:
        raise BadInputError(f"{theme_id} still has PETs feeding it; take them out first", theme_id)
    if any(t.parent == theme_id for t in themes(project)):
        raise BadInputError(f"{theme_id} still has sub-themes", theme_id)
    if theme.level == PET and any(theme_id in t.members for t in themes(project, levels=(GET, GET_SUB))):
        raise BadInputError(f"{theme_id} feeds a GET; take it out of the GET first", theme_id)
    project.delete_record(theme_id, summary=f"delete theme {theme.name!r}")
