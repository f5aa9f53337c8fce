"""The concept inventory of one study (CMP-3): its second-order constructs, built from the project itself.

Where the concepts live in the source projects (see the GT and IPA plugins' package docstrings):

* **GT** — core codes at levels core, category, subcategory, focused (and initial): a category's members
  are its children in the code tree. Definition: the code's definition, else the memo that promoted it
  (``gt.promotion``); a category's ``gt.property`` records are appended. Participants and quotes are the
  coded segments of the code *and its descendants*, so a category is illustrated by its members' data.
* **IPA** — ``ipa.theme`` records: GETs and GET sub-themes (members = PET ids, ``cells`` = the extracts
  chosen per participant), PETs and PET sub-themes (their ``ipa.statement`` records point at them through
  ``cluster``). Definition: the cells' convergence/divergence notes or the PETs' clustering-rationale
  memos, else the member statements' wording. Quotes: the chosen extracts first, then the statements'
  anchors.
* **Any method** — core codes at their levels (an IPA project's coded experiential statements too).

Concept ids name the side and the source entity (``A:code:C12``, ``B:record:R50``), so they are stable
across reopenings and survive renames. A concept keeps only its participant *count* (never compared
across studies, CMP-14). Exemplar quotes prefer one per participant, in study order, and are read from
the study only when first shown or scored (`Exemplars`): building both inventories of two 400-code
studies reads no transcript text, which keeps opening a comparison within its one-second budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench import BadInputError, NotFoundError

from .quotes import Quote, QuoteReader, extract_ref

if TYPE_CHECKING:
    from workbench import Project

MAX_QUOTES = 5
LEVEL_TITLES = {
    "core": "Core category",
    "category": "Category",
    "subcategory": "Subcategory",
    "focused": "Focused code",
    "initial": "Initial code",
    "get": "GET",
    "get-subtheme": "GET sub-theme",
    "pet": "PET",
    "pet-subtheme": "PET sub-theme",
    "experiential-statement": "Experiential statement",
    "code": "Code",
}
LEVEL_ORDER = tuple(LEVEL_TITLES)
GLYPHS = {
    "core": "★",
    "category": "■",
    "subcategory": "□",
    "focused": "◇",
    "initial": "○",
    "get": "◆",
    "get-subtheme": "◈",
    "pet": "●",
    "pet-subtheme": "◦",
}
DEFAULT_LEVELS = {
    "gt": ("core", "category", "subcategory", "focused"),
    "ipa": ("get", "get-subtheme"),
}
#: What kind of construct a study's concepts are (CMP-13): GT builds processes, IPA experiential meanings.
KIND_OF_METHOD = {"gt": "process", "ipa": "experiential"}
THEME_KIND = "ipa.theme"
STATEMENT_KIND = "ipa.statement"


@dataclass(frozen=True)
class Concept:
    id: str  # "A:code:C12"
    side: str  # "A" or "B"
    label: str
    level: str
    kind: str  # "process", "experiential" or "code"
    definition: str
    n: int  # participants within this study (never compared with the other study's, CMP-14)
    parent: str | None  # the concept id of its parent in the full tree
    exemplars: Exemplars = field(compare=False, repr=False)  # reads `quotes` on first need

    @property
    def quotes(self) -> tuple[Quote, ...]:
        """Up to MAX_QUOTES exemplar quotes with citations, read from the study the first time asked."""
        return self.exemplars.quotes(self.id)

    def first_quotes(self, count: int) -> tuple[Quote, ...]:
        """The first `count` exemplar quotes, reading no more than those."""
        return self.exemplars.quotes(self.id, count)

    @property
    def level_title(self) -> str:
        return LEVEL_TITLES.get(self.level, self.level)

    @property
    def glyph(self) -> str:
        return GLYPHS.get(self.level, "·")


@dataclass
class Inventory:
    """All concepts of one study, in tree order, and the levels shown (the rest stay addressable)."""

    side: str
    title: str
    method: str
    exemplars: Exemplars
    concepts: dict[str, Concept] = field(default_factory=dict)
    levels: tuple[str, ...] = ()

    def present_levels(self) -> tuple[str, ...]:
        found = {c.level for c in self.concepts.values()}
        return tuple(sorted(found, key=lambda lv: (LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else 99, lv)))

    def shown(self) -> list[Concept]:
        """The concepts at the selected levels, in tree order."""
        return [c for c in self.concepts.values() if c.level in self.levels]

    def shown_parent(self, concept: Concept) -> str | None:
        """The nearest ancestor at a shown level (the tree a researcher sees skips hidden levels)."""
        parent = concept.parent
        while parent is not None:
            found = self.concepts.get(parent)
            if found is None:
                return None
            if found.level in self.levels:
                return parent
            parent = found.parent
        return None

    def get(self, concept_id: str) -> Concept:
        found = self.concepts.get(concept_id)
        if found is None:
            raise NotFoundError(f"no concept {concept_id!r} in study {self.side}", "CONCEPT")
        return found

    def find(self, ref: str) -> Concept:
        """A concept by id (``A:code:C12``, ``code:C12``, ``C12``, ``R50``) or by its label."""
        text = ref.strip()
        side, _, rest = text.partition(":")
        if side in ("A", "B") and rest:
            if side != self.side:
                raise BadInputError(f"{text!r} is a concept of study {side}, not {self.side}", "CONCEPT")
            text = rest
        for candidate in (f"{self.side}:{text}", f"{self.side}:code:{text}", f"{self.side}:record:{text}"):
            if candidate in self.concepts:
                return self.concepts[candidate]
        exact = [c for c in self.concepts.values() if c.label == text]
        folded = exact or [c for c in self.concepts.values() if c.label.casefold() == text.casefold()]
        shown = [c for c in folded if c.level in self.levels]
        if len(folded) == 1 or len(shown) == 1:
            return folded[0] if len(folded) == 1 else shown[0]
        if len(folded) > 1:
            ids = ", ".join(c.id for c in folded)
            raise BadInputError(f"{ref!r} names several concepts of study {self.side}: {ids}", "CONCEPT")
        raise NotFoundError(
            f"no concept {ref!r} in study {self.side} (see `workbench compare concepts`)", "CONCEPT"
        )


def choose_levels(inventory: Inventory, wanted: Sequence[str] | None) -> tuple[str, ...]:
    """The levels to show: the researcher's choice, else the method's default, else every level present."""
    present = inventory.present_levels()
    if wanted:
        unknown = [lv for lv in wanted if lv not in present]
        if unknown:
            raise BadInputError(
                f"study {inventory.side} has no concepts at level {', '.join(unknown)}; "
                f"levels present: {', '.join(present) or 'none'}",
                "--levels",
            )
        return tuple(lv for lv in present if lv in wanted)
    default = tuple(lv for lv in present if lv in DEFAULT_LEVELS.get(inventory.method, ()))
    return default or present


def build(project: Project, side: str, levels: Sequence[str] | None = None) -> Inventory:
    """The inventory of `project` as study `side`; reads only, and reads no participant's words yet."""
    exemplars = Exemplars(project)
    inventory = Inventory(side, project.title, project.method, exemplars)
    kind = KIND_OF_METHOD.get(project.method, "code")
    concepts: list[Concept] = []
    concepts.extend(_themes(project, side, exemplars))
    concepts.extend(_codes(project, side, exemplars, kind))
    inventory.concepts = {c.id: c for c in concepts}
    inventory.levels = choose_levels(inventory, levels)
    return inventory


class Exemplars:
    """Where each concept's exemplar quotes come from, and the quotes once read (per study, per open).

    Building an inventory records only *where* a concept's quotes are — its codes (itself and its
    descendants) or its IPA anchors — so opening a comparison reads no transcript text. The quotes are
    read the first time they are asked for (the detail pane, ``compare show``, a table, suggestions),
    as many as asked for (suggestions use the first two), and kept. For codes, the first request groups
    every coding's segment by code in one pass; each concept then orders only its own segments.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self._reader: QuoteReader | None = None
        self._rank: dict[str, int] | None = None  # participant id -> position in the study's order
        self._codes: dict[str, tuple[str, ...]] = {}  # concept id -> code ids whose segments it shows
        self._anchors: dict[str, Sequence[dict[str, Any]]] = {}  # concept id -> IPA extracts, statements
        self._segments_of: dict[str, list[str]] | None = None  # code id -> its coded segment ids
        self._pending: dict[str, Iterator[str]] = {}  # concept id -> quote references not yet read
        self._read: dict[str, list[Quote]] = {}

    @property
    def reader(self) -> QuoteReader:
        """The study's quote reader (one per open study, so line maps and speakers are looked up once)."""
        if self._reader is None:
            self._reader = QuoteReader(self.project)
        return self._reader

    def from_codes(self, concept_id: str, code_ids: Sequence[str]) -> None:
        self._codes[concept_id] = tuple(code_ids)

    def from_anchors(self, concept_id: str, anchors: Sequence[dict[str, Any]]) -> None:
        self._anchors[concept_id] = anchors

    def read(self, concept_id: str) -> int:
        """How many of this concept's quotes have been read so far (0 until first asked for)."""
        return len(self._read.get(concept_id, ()))

    def quotes(self, concept_id: str, count: int = MAX_QUOTES) -> tuple[Quote, ...]:
        """The concept's first `count` exemplar quotes (at most MAX_QUOTES), reading only those not read."""
        count = min(count, MAX_QUOTES)
        read = self._read.setdefault(concept_id, [])
        if len(read) < count:
            pending = self._pending.get(concept_id)
            if pending is None:
                pending = self._pending[concept_id] = self._references(concept_id)
            for ref in pending:
                try:
                    read.append(self.reader.resolve(ref))
                except BadInputError:
                    continue
                if len(read) >= count:
                    break
        return tuple(read[:count])

    def _references(self, concept_id: str) -> Iterator[str]:
        if concept_id in self._codes:
            return iter([f"segment:{g}" for g in self._spread_segments(self._codes[concept_id])])
        return _anchor_refs(self._anchors.get(concept_id, ()))

    def _spread_segments(self, code_ids: Sequence[str]) -> list[str]:
        """Up to MAX_QUOTES of the codes' segments, one per participant first (in study order), then the
        rest, each group by transcript version and position."""
        segments_of = self._segments()
        rank = self._ranks()
        participant_of_version: dict[str, str] = {}
        keyed: list[tuple[int, str, int, str]] = []
        for segment_id in {g for cid in code_ids for g in segments_of.get(cid, ())}:
            segment = self.project.get("segments", segment_id)
            if segment is None:
                continue
            version = segment["version_id"]
            who = participant_of_version.get(version)
            if who is None:
                who = participant_of_version[version] = self._participant_of_version(version)
            keyed.append((rank.get(who, len(rank)), version, int(segment["start"]), segment_id))
        return _spread(sorted(keyed))

    def _participant_of_version(self, version_id: str) -> str:
        version = self.project.get("versions", version_id) or {}
        source = self.project.get("sources", str(version.get("source_id", ""))) or {}
        return str(source.get("participant_id") or "")

    def _ranks(self) -> dict[str, int]:
        if self._rank is None:
            self._rank = {p["id"]: i for i, p in enumerate(self.project.participants())}
        return self._rank

    def _segments(self) -> dict[str, list[str]]:
        if self._segments_of is None:
            segments_of: dict[str, list[str]] = {}
            for coding in self.project.rows("codings"):
                segments_of.setdefault(coding["code_id"], []).append(coding["segment_id"])
            self._segments_of = segments_of
        return self._segments_of


# -- core codes ------------------------------------------------------------------------------------------
def _codes(project: Project, side: str, exemplars: Exemplars, kind: str) -> list[Concept]:
    """Every active code as a concept; a code with descendants counts the participants of them all.

    A code without descendants takes its participant count from the project's index (`code_tree`);
    only codes inside a hierarchy need the participant sets of their codings, gathered in one pass.
    """
    tree = project.code_tree()
    if not tree:
        return []
    by_id = {row.id: row for row in tree}
    children: dict[str | None, list[str]] = {}
    for row in tree:
        children.setdefault(row.parent_id, []).append(row.id)
    families = {row.id for row in tree if row.id in children or row.parent_id in by_id}
    people_of = _participants_of_codes(project, families) if families else {}
    definitions = _gt_definitions(project)
    out: list[Concept] = []
    for row in tree:
        members: list[str] = []
        todo = [row.id]
        while todo:
            cid = todo.pop()
            members.append(cid)
            todo.extend(children.get(cid, ()))
        if len(members) == 1:
            n = row.participants
        else:
            n = len(set().union(*(people_of.get(cid, ()) for cid in members)))
        parent = row.parent_id if row.parent_id in by_id else None
        concept_id = f"{side}:code:{row.id}"
        exemplars.from_codes(concept_id, members)
        out.append(
            Concept(
                id=concept_id,
                side=side,
                label=row.label,
                level=row.level,
                kind=kind,
                definition=definitions.get(row.id, ""),
                n=n,
                parent=f"{side}:code:{parent}" if parent else None,
                exemplars=exemplars,
            )
        )
    return out


def _participants_of_codes(project: Project, code_ids: set[str]) -> dict[str, set[str]]:
    """Code id -> the study IDs of the participants its codings are on, for the given codes only."""
    sources = {s["id"]: str(s.get("participant_id") or "") for s in project.rows("sources")}
    participant_of_version = {
        v["id"]: sources.get(str(v.get("source_id", "")), "") for v in project.rows("versions")
    }
    people_of: dict[str, set[str]] = {}
    for coding in project.rows("codings"):
        code_id = coding["code_id"]
        if code_id not in code_ids:
            continue
        segment = project.get("segments", coding["segment_id"])
        who = participant_of_version.get(segment["version_id"], "") if segment else ""
        if who:
            people_of.setdefault(code_id, set()).add(who)
    return people_of


def _spread(segments: list[tuple[int, str, int, str]]) -> list[str]:
    """Up to MAX_QUOTES segment ids, one per participant first (in study order), then the rest."""
    firsts: list[str] = []
    rest: list[str] = []
    met: set[int] = set()
    for who, _version, _start, segment_id in segments:
        if who not in met:
            firsts.append(segment_id)
            met.add(who)
        elif len(rest) < MAX_QUOTES:
            rest.append(segment_id)
    return (firsts + rest)[:MAX_QUOTES]


def _gt_definitions(project: Project) -> dict[str, str]:
    """Fallback definitions for GT codes (the promotion memo) with a category's properties appended."""
    promoted: dict[str, str] = {}
    for record in project.records("gt.promotion"):
        data = record["data"]
        memo = project.get("memos", str(data.get("memo") or ""))
        if memo and data.get("focused"):
            promoted[str(data["focused"])] = str(memo.get("body", "")).strip()
    properties: dict[str, list[str]] = {}
    for record in project.records("gt.property"):
        data = record["data"]
        span = f" ({data.get('low')}–{data.get('high')})" if data.get("low") or data.get("high") else ""
        properties.setdefault(str(data.get("category")), []).append(f"{data.get('name')}{span}")
    out: dict[str, str] = {}
    for code in project.codes():
        lead = str(code.get("definition") or "").strip() or promoted.get(code["id"], "")
        props = properties.get(code["id"])
        text = f"{lead} Properties: {'; '.join(props)}." if props else lead
        if text.strip():
            out[code["id"]] = text.strip()
    return out


# -- IPA themes -------------------------------------------------------------------------------------------
def _themes(project: Project, side: str, exemplars: Exemplars) -> list[Concept]:
    records = project.records(THEME_KIND)
    if not records:
        return []
    order = {p["id"]: i for i, p in enumerate(project.participants())}
    themes = {r["id"]: r["data"] for r in records}
    statements: dict[str, list[dict[str, Any]]] = {}
    for record in project.records(STATEMENT_KIND):
        data = record["data"]
        if data.get("cluster") and not data.get("excluded"):
            statements.setdefault(str(data["cluster"]), []).append(data)

    def family(theme_id: str) -> list[str]:
        return [theme_id, *(t for t, d in themes.items() if d.get("parent") == theme_id)]

    def case_statements(theme_id: str) -> list[dict[str, Any]]:
        return [s for member in family(theme_id) for s in statements.get(member, [])]

    def rationale(theme_id: str) -> str:
        memo = project.get("memos", str(themes[theme_id].get("rationale") or ""))
        return str(memo.get("body", "")).strip() if memo else ""

    fed_by: dict[str, str] = {}
    for theme_id, data in themes.items():
        for member in data.get("members", []):
            fed_by.setdefault(str(member), theme_id)
    out: list[Concept] = []
    ordered = sorted(themes, key=lambda t: (_rank(themes, t), int(t[1:])))
    for theme_id in ordered:
        data = themes[theme_id]
        level = str(data.get("level"))
        if level in ("get", "get-subtheme"):
            nodes = family(theme_id) if level == "get" else [theme_id]
            pets = [str(m) for n in nodes for m in themes[n].get("members", []) if m in themes]
            who = {str(themes[p].get("case")) for p in pets if themes[p].get("case")}
            notes = [
                str(cell.get("note", "")).strip()
                for n in nodes
                for cell in themes[n].get("cells", {}).values()
                if str(cell.get("note", "")).strip()
            ]
            definition = " ".join(notes) or " ".join(r for r in (rationale(p) for p in pets) if r)
            if not definition and pets:
                definition = "From PETs: " + "; ".join(str(themes[p].get("name")) for p in pets)
            extracts = [
                (order.get(who_, len(order)), e)
                for n in nodes
                for who_, cell in themes[n].get("cells", {}).items()
                for e in cell.get("extracts", [])
            ]
            anchors = [e for _o, e in sorted(extracts, key=lambda pair: pair[0])]
            anchors += [s for p in pets for s in case_statements(p)]
            parent = themes[theme_id].get("parent") if level == "get-subtheme" else None
        else:
            case = str(data.get("case") or "")
            who = {case} if case else set()
            own = case_statements(theme_id) if level == "pet" else statements.get(theme_id, [])
            definition = rationale(theme_id) or "; ".join(str(s.get("text", "")) for s in own)
            anchors = [*data.get("extracts", []), *own]
            parent = data.get("parent") if level == "pet-subtheme" else fed_by.get(theme_id)
        concept_id = f"{side}:record:{theme_id}"
        exemplars.from_anchors(concept_id, anchors)
        out.append(
            Concept(
                id=concept_id,
                side=side,
                label=str(data.get("name", theme_id)),
                level=level,
                kind="experiential",
                definition=definition,
                n=len(who),
                parent=f"{side}:record:{parent}" if parent else None,
                exemplars=exemplars,
            )
        )
    return out


def _rank(themes: dict[str, dict[str, Any]], theme_id: str) -> int:
    """Tree order: GETs and their sub-themes, then PETs and theirs (creation order inside each)."""
    level = themes[theme_id].get("level")
    return 0 if level in ("get", "get-subtheme") else 1


def _anchor_refs(anchors: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The distinct quote references of IPA anchors (extracts, statements), in order; malformed skipped."""
    seen: set[str] = set()
    for anchor in anchors:
        try:
            ref = extract_ref(
                str(anchor["version"]), int(anchor["start"]), int(anchor["end"]), anchor.get("omit")
            )
        except (KeyError, TypeError, ValueError):
            continue
        if ref not in seen:
            seen.add(ref)
            yield ref
