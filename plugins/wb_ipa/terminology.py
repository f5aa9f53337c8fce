"""IPA vocabulary: the stored level ids and the two terminologies that label them (METHODS.md 3.1).

Smith, Flowers & Larkin renamed the IPA objects between the 2009 and 2022 editions ("emergent theme"
became "experiential statement", case-level "super-ordinate theme" became "personal experiential theme",
"master theme" became "group experiential theme"). Theses of both eras are examined today, so the label is
a project setting, while the *level* stored on every record is one fixed id: switching terminology
relabels the tables and screens and never touches a stored object.
"""

from __future__ import annotations

from workbench import BadInputError, Term

STATEMENT = "experiential-statement"
PET = "pet"
PET_SUB = "pet-subtheme"
GET = "get"
GET_SUB = "get-subtheme"

#: Every level the plugin stores, smallest first.
LEVELS = (STATEMENT, PET, PET_SUB, GET, GET_SUB)
CASE_LEVELS = (PET, PET_SUB)
GROUP_LEVELS = (GET, GET_SUB)
TERMINOLOGIES = ("2022", "2009")

_LABELS: dict[str, dict[str, str]] = {
    "2022": {
        STATEMENT: "Experiential statement",
        PET: "Personal experiential theme (PET)",
        PET_SUB: "PET sub-theme",
        GET: "Group experiential theme (GET)",
        GET_SUB: "GET sub-theme",
        "notes": "Exploratory notes",
        "pet-table": "Table of PETs",
        "get-table": "Table of GETs",
    },
    "2009": {
        STATEMENT: "Emergent theme",
        PET: "Super-ordinate theme",
        PET_SUB: "Sub-theme",
        GET: "Master theme",
        GET_SUB: "Master sub-theme",
        "notes": "Exploratory comments",
        "pet-table": "Table of themes",
        "get-table": "Master table of themes",
    },
}
_SHORT: dict[str, dict[str, str]] = {
    "2022": {STATEMENT: "Experiential statements", PET: "PET", GET: "GET"},
    "2009": {STATEMENT: "Emergent themes", PET: "Super-ordinate theme", GET: "Master theme"},
}


def check_terminology(value: str) -> str:
    """The terminology id, or a `BadInputError` naming the two choices."""
    if value not in TERMINOLOGIES:
        raise BadInputError(f"unknown terminology {value!r}; use 2022 or 2009", "--terminology")
    return value


def label(level: str, terminology: str) -> str:
    """What a level (or a table name key) is called under `terminology`."""
    return _LABELS[check_terminology(terminology)][level]


def short(level: str, terminology: str) -> str:
    """Short column form: "Experiential statements" / "Emergent themes", "PET" / "Super-ordinate theme"."""
    return _SHORT[check_terminology(terminology)][level]


def level_terms() -> list[Term]:
    """The code-levels vocabulary: one term per stored level, labelled with both terminologies."""
    glyphs = {STATEMENT: "e", PET: "P", PET_SUB: "p", GET: "G", GET_SUB: "g"}
    return [
        Term(
            level,
            _LABELS["2022"][level],
            f"2009 term: {_LABELS['2009'][level]}",
            glyphs[level],
        )
        for level in LEVELS
    ]


# -- exploratory note types (IPA-3a/3b) -------------------------------------------------------------------

#: letter -> (id, label, typographic style in Smith et al. 2009: normal / italic / underlined)
NOTE_TYPES: dict[str, tuple[str, str, str]] = {
    "D": ("descriptive", "Descriptive", "normal"),
    "L": ("linguistic", "Linguistic", "italic"),
    "C": ("conceptual", "Conceptual", "underline"),
    "F": ("free", "Free / other", "dim"),
}


def note_letter(value: str) -> str:
    """Accept D/L/C/F or the full names (descriptive, linguistic, conceptual, free/other)."""
    wanted = value.strip().casefold()
    for letter, (ident, _label, _style) in NOTE_TYPES.items():
        if wanted in (letter.casefold(), ident, "other" if letter == "F" else ident):
            return letter
    raise BadInputError(
        f"unknown note type {value!r}; use D (descriptive), L (linguistic), C (conceptual) or F (free)",
        "--type",
    )


def note_terms() -> list[Term]:
    return [
        Term(ident, label_, f"shown as '{letter}:' and {style} text", letter)
        for letter, (ident, label_, style) in NOTE_TYPES.items()
    ]


# -- memo types ------------------------------------------------------------------------------------------

REFLEXIVE = "reflexive"
READING_LOG = "reading-log"
CLUSTERING = "clustering-rationale"
CROSS_CASE = "cross-case"

MEMO_TYPES = (
    Term(REFLEXIVE, "Reflexive", "fore-understandings, the 'before next case' prompt, journal (IPA-1c, 10a)"),
    Term(READING_LOG, "Reading log", "one reading pass: first impressions, striking moments (IPA-2)"),
    Term(CLUSTERING, "Clustering rationale", "why statements were clustered as they were (IPA-5b)"),
    Term(CROSS_CASE, "Cross-case", "convergence and divergence across cases (IPA-8)"),
)

# -- clustering techniques (IPA-5b) ----------------------------------------------------------------------

TECHNIQUES = ("abstraction", "subsumption", "polarisation", "contextualisation", "numeration", "function")


def techniques(values: list[str]) -> list[str]:
    """Known techniques by name or unique prefix; anything else is kept as free text ("free: ...")."""
    out: list[str] = []
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        matches = [t for t in TECHNIQUES if t.startswith(value.casefold())]
        out.append(matches[0] if len(matches) == 1 else value)
    return out
