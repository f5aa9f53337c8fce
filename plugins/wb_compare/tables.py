"""The CMP artefacts of METHODS.md 4.3 as registered tables, built from a comparison workspace.

``workbench table W cmp-...`` and ``workbench export W cmp-... --format csv|md|docx -o OUT`` take the
workspace folder like any project: each builder opens the two linked studies read-only for the duration
of the build. Quotes are read from the studies at build time (the workspace stores references only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from workbench import BadInputError, TableData

from . import characteristics, mappings, overlap, suggest, synthesis
from .relations import BY_ID, symbol
from .workspace import Comparison

if TYPE_CHECKING:
    from workbench import Project, RegisterTable

    from .inventory import Concept
    from .mappings import Mapping as ConceptMapping

Builder = Callable[[Comparison, Mapping[str, str]], TableData]
MISSING = "⚠ required — not yet given"
GROUPS = ("shared", "refuted", "related", "unique to A", "unique to B")


def _study_name(comparison: Comparison, side: str) -> str:
    method = comparison.sources[side].method
    return f"Study {side} concept ({method.upper()})"


def _label(comparison: Comparison, concept_id: str, fallback: str = "") -> str:
    side = concept_id[:1]
    concept = comparison.inventory(side).concepts.get(concept_id)
    if concept is None:
        return f"{fallback or concept_id} (no longer in study {side})"
    return concept.label


def _evidence(comparison: Comparison, side: str, refs: Sequence[str]) -> str:
    cited = []
    for ref in refs:
        quote = comparison.quote(side, ref)
        cited.append(quote.cited() if quote else f"({ref}: no longer in study {side})")
    return "\n".join(cited) or "—"


def _quotes(concept: Concept, count: int = 2) -> str:
    return "\n".join(q.cited() for q in concept.quotes[:count]) or "—"


def _with_quotes(concept: Concept | None, fallback: str, count: int = 2) -> str:
    if concept is None:
        return fallback
    return f"{concept.label} [{concept.level_title}]\n{_quotes(concept, count)}"


# -- the tables -----------------------------------------------------------------------------------------
def characteristics_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """METHODS.md 4.3 #1 (CMP-2), with the participant-overlap flag (CMP-14) as its last row."""
    values = {side: characteristics.values(comparison, side) for side in ("A", "B")}
    rows = [("Study", comparison.studies["A"].title, comparison.studies["B"].title)]
    rows += [
        (title, values["A"].get(key, "—") or "—", values["B"].get(key, "—") or "—")
        for key, title in characteristics.SHOWN
    ]
    flag = overlap.detect(comparison)
    rows.append(("Participant overlap (CMP-14)", flag.describe(), flag.describe()))
    return TableData(("Characteristic", "Study A", "Study B"), tuple(rows), "Study characteristics")


def concepts_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """The concept inventory (CMP-3) of one study (option study=A|B) or both, at the shown levels."""
    sides = _sides(options)
    project = comparison.workspace
    rows = []
    for side in sides:
        for concept in comparison.inventory(side).shown():
            mapped = [
                f"{m.symbol} {_label(comparison, other)}"
                for other, m in mappings.counterparts(project, concept.id)
            ]
            rows.append(
                (
                    side,
                    concept.id,
                    concept.level_title,
                    concept.label,
                    concept.definition or "—",
                    str(concept.n),
                    _quotes(concept, 3),
                    "\n".join(mapped) or "—",
                )
            )
    columns = (
        "Study",
        "Id",
        "Level",
        "Concept",
        "Definition",
        "Participants",
        "Exemplar quotes",
        "Mapped to",
    )
    return TableData(columns, tuple(rows), "Concept inventory")


def _sides(options: Mapping[str, str]) -> tuple[str, ...]:
    study = options.get("study", "").upper()
    if study and study not in ("A", "B"):
        raise BadInputError("option study must be A or B", "--option")
    return (study,) if study else ("A", "B")


def concordance_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """METHODS.md 4.3 #2: every mapping, then the concepts unique to A and to B."""
    project = comparison.workspace
    rows = []
    for m in mappings.all_mappings(project):
        rel = BY_ID[m.relation]
        rows.append(
            (
                _label(comparison, m.a, m.a_label),
                f"{m.symbol} {rel.id if m.relation != 'related' else 'related'}",
                _label(comparison, m.b, m.b_label),
                m.rationale,
                _evidence(comparison, "A", m.evidence_a),
                _evidence(comparison, "B", m.evidence_b),
                m.confidence,
                m.method_note or "—",
            )
        )
    unique_a, unique_b = _unique(comparison)
    rows += [(c.label, "∅ no counterpart", "—", "unique to A", _quotes(c, 1), "—", "", "") for c in unique_a]
    rows += [("—", "∅ no counterpart", c.label, "unique to B", "—", _quotes(c, 1), "", "") for c in unique_b]
    columns = (
        _study_name(comparison, "A"),
        "Relation",
        _study_name(comparison, "B"),
        "Rationale (memo)",
        "Evidence A",
        "Evidence B",
        "Confidence",
        "Method note (CMP-13)",
    )
    return TableData(columns, tuple(rows), "Concordance table")


def _unique(comparison: Comparison) -> tuple[list[Concept], list[Concept]]:
    mapped = {concept for m in mappings.all_mappings(comparison.workspace) for concept in (m.a, m.b)}
    return (
        [c for c in comparison.inventory("A").shown() if c.id not in mapped],
        [c for c in comparison.inventory("B").shown() if c.id not in mapped],
    )


def matrix_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """CMP-6: rows A's concepts, columns B's, cell = the relation symbol(s) of their mapping."""
    a_list = comparison.inventory("A").shown()
    b_list = comparison.inventory("B").shown()
    cells: dict[tuple[str, str], str] = {}
    for m in mappings.all_mappings(comparison.workspace):
        cells[(m.a, m.b)] = m.symbol
    rows = tuple((a.label, *(cells.get((a.id, b.id), "") for b in b_list)) for a in a_list)
    return TableData(("A \\ B", *(b.label for b in b_list)), rows, "Concordance matrix")


def grouping(comparison: Comparison) -> dict[str, list[tuple[Concept, list[ConceptMapping]]]]:
    """Each shown concept in its group: shared (≡ ⊃ ⊂ ∩ ≈), refuted, related (other), unique."""
    project = comparison.workspace
    out: dict[str, list[tuple[Concept, list[ConceptMapping]]]] = {g: [] for g in GROUPS}
    for side in ("A", "B"):
        for concept in comparison.inventory(side).shown():
            found = [m for _other, m in mappings.counterparts(project, concept.id)]
            if any(BY_ID[m.relation].shared for m in found):
                group = "shared"
            elif any(m.relation == "refutes" for m in found):
                group = "refuted"
            elif found:
                group = "related"
            else:
                group = f"unique to {side}"
            out[group].append((concept, found))
    return out


def shared_unique_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """METHODS.md 4.3 #3, as lists: one row per concept with its group and counterparts."""
    rows = []
    for group, members in grouping(comparison).items():
        for concept, found in members:
            others = [f"{m.symbol} {_label(comparison, m.b if concept.side == 'A' else m.a)}" for m in found]
            rows.append((group, concept.side, concept.label, concept.level_title, "\n".join(others) or "—"))
    return TableData(
        ("Group", "Study", "Concept", "Level", "Counterparts"), tuple(rows), "Shared and unique concepts"
    )


def summary_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """METHODS.md 4.3 #3, as counts, with the participant-overlap flag."""
    rows = []
    for group, members in grouping(comparison).items():
        a = sum(1 for c, _m in members if c.side == "A")
        b = sum(1 for c, _m in members if c.side == "B")
        rows.append((group, str(a), str(b), "; ".join(c.label for c, _m in members) or "—"))
    flag = overlap.detect(comparison)
    if flag.flagged:
        rows.append(("⚠ participant overlap", "", "", flag.describe()))
    return TableData(("Group", "Study A", "Study B", "Concepts"), tuple(rows), "Shared vs unique summary")


def refutations_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """METHODS.md 4.3 #4 (CMP-8): every ✕ mapping with its required possible explanation."""
    rows = []
    for m in mappings.all_mappings(comparison.workspace):
        if m.relation != "refutes":
            continue
        factors = ", ".join(m.refutation.get("factors", []))
        explanation = str(m.refutation.get("explanation", "")) or MISSING
        rows.append(
            (
                _label(comparison, m.a, m.a_label),
                _label(comparison, m.b, m.b_label),
                str(m.refutation.get("nature", "")) or "—",
                f"{explanation} [{factors}]" if factors else explanation,
                m.rationale,
            )
        )
    columns = ("Concept A", "Concept B", "Nature of contradiction", "Possible explanations", "Memo")
    return TableData(columns, tuple(rows), "Refutational register")


def translation_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """CMP-7: third-order label | type | A's and B's second-order constructs with quotes | interpretation."""
    project = comparison.workspace
    rows = []
    for t in synthesis.translations(project):
        cells: dict[str, list[str]] = {"A": [], "B": []}
        for mid in t.mappings:
            m = mappings.get(project, mid)
            for side, concept_id, refs in (("A", m.a, m.evidence_a), ("B", m.b, m.evidence_b)):
                concept = comparison.inventory(side).concepts.get(concept_id)
                name = concept.label if concept else (m.a_label if side == "A" else m.b_label)
                quotes = (
                    _evidence(comparison, side, refs[:2]) if refs else (_quotes(concept) if concept else "—")
                )
                cells[side].append(f"{name} ({m.symbol})\n{quotes}")
        rows.append((t.label, t.type, "\n".join(cells["A"]), "\n".join(cells["B"]), t.interpretation))
    columns = ("Key concept (third order)", "Type", "Study A", "Study B", "Reviewer's interpretation")
    return TableData(columns, tuple(rows), "Translation grid")


def line_of_argument_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """CMP-9 in table form: each construct, its provenance (translations and concepts) and its edges."""
    project = comparison.workspace
    names = {c.id: c.label for c in synthesis.constructs(project)}
    by_translation = {t.id: t for t in synthesis.translations(project)}
    rows = []
    for c in synthesis.constructs(project):
        sources = [by_translation[t] for t in c.translations if t in by_translation]
        a_side: list[str] = []
        b_side: list[str] = []
        for t in sources:
            for mid in t.mappings:
                m = mappings.get(project, mid)
                a_side.append(_label(comparison, m.a, m.a_label))
                b_side.append(_label(comparison, m.b, m.b_label))
        rows.append(
            (
                c.label,
                c.description or "—",
                "\n".join(f"{t.label} ({t.type})" for t in sources) or "—",
                "\n".join(dict.fromkeys(a_side)) or "—",
                "\n".join(dict.fromkeys(b_side)) or "—",
                "\n".join(
                    f"→ {names.get(to, to)}{f' ({label})' if label else ''}" for to, label in c.leads_to
                )
                or "—",
            )
        )
    columns = (
        "Construct (third order)",
        "Description",
        "From translations",
        "Study A",
        "Study B",
        "Leads to",
    )
    return TableData(columns, tuple(rows), "Line-of-argument synthesis")


def audit_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """METHODS.md 4.3 #8: every mapping event (create, change, explain, delete), oldest first."""
    events = []
    for m in mappings.all_mappings(comparison.workspace, include_deleted=True):
        for entry in m.history:
            events.append(
                (
                    str(entry.get("at", "")),
                    str(entry.get("event", "")),
                    m.id,
                    _label(comparison, m.a, m.a_label),
                    symbol(str(entry.get("relation", "")), str(entry.get("label", ""))),
                    _label(comparison, m.b, m.b_label),
                    str(entry.get("by", "")),
                    str(entry.get("rationale", "")) or "—",
                )
            )
    events.sort(key=lambda row: (row[0], int(row[2][1:])))
    columns = (
        "Date",
        "Event",
        "Mapping",
        "Study A concept",
        "Relation",
        "Study B concept",
        "Author",
        "Rationale / reason",
    )
    return TableData(columns, tuple(events), "Mapping audit trail")


def suggestions_table(comparison: Comparison, options: Mapping[str, str]) -> TableData:
    """Candidate mappings (never applied): option limit=N (default 20)."""
    try:
        limit = int(options.get("limit", "20"))
    except ValueError:
        raise BadInputError("option limit must be a whole number", "--option") from None
    rows = tuple(
        (
            str(i),
            s.a_label,
            s.b_label,
            f"{s.score:.0f}",
            f"{s.label:.0f}",
            "—" if s.definition is None else f"{s.definition:.0f}",
            "—" if s.quotes is None else f"{s.quotes:.0f}",
        )
        for i, s in enumerate(suggest.suggest(comparison, limit=limit), start=1)
    )
    columns = ("Rank", "Study A concept", "Study B concept", "Score", "Label", "Definition", "Quotes")
    return TableData(columns, rows, "Suggested mappings (not applied)")


TABLES: tuple[tuple[str, str, Builder, str], ...] = (
    (
        "cmp-characteristics",
        "Study characteristics",
        characteristics_table,
        "CMP-2: method, aim, N, setting ...",
    ),
    (
        "cmp-concepts",
        "Concept inventory",
        concepts_table,
        "CMP-3: concepts with definition, N, quotes (study=A|B)",
    ),
    (
        "cmp-concordance",
        "Concordance table",
        concordance_table,
        "CMP-4: mappings with rationale and evidence",
    ),
    ("cmp-matrix", "Concordance matrix", matrix_table, "CMP-6: A concepts × B concepts, relation symbols"),
    ("cmp-shared-unique", "Shared and unique concepts", shared_unique_table, "shared, refuted, unique lists"),
    ("cmp-summary", "Shared vs unique summary", summary_table, "counts per group, overlap flag"),
    ("cmp-refutations", "Refutational register", refutations_table, "CMP-8: ✕ mappings and explanations"),
    ("cmp-translation", "Translation grid", translation_table, "CMP-7: third-order interpretations"),
    ("cmp-line-of-argument", "Line-of-argument synthesis", line_of_argument_table, "CMP-9 as a table"),
    ("cmp-audit", "Mapping audit trail", audit_table, "every mapping create/change/delete"),
    ("cmp-suggestions", "Suggested mappings", suggestions_table, "ranked candidates, never applied"),
)


def _adapt(builder: Builder) -> Callable[[Project, Mapping[str, str]], TableData]:
    def build(project: Project, options: Mapping[str, str]) -> TableData:
        with Comparison(project) as comparison:
            return builder(comparison, options)

    build.__doc__ = builder.__doc__
    return build


def register(register_table: RegisterTable) -> None:
    for name, title, builder, description in TABLES:
        register_table(name, title, _adapt(builder), description)
