"""Variant profiles (GT-1): classic/Glaserian, Straussian and constructivist grounded theory.

A profile switches what the researcher reads — step names, level labels, the default coding unit, the
checklist — and which steps are offered at all (Glaser rejects the paradigm model as forcing, so the
Glaserian profile has no axial-coding step). It never changes what is stored: a study can switch profile
and keep every code, memo and record. The active profile is one ``gt.profile`` record (created by
``workbench gt setup``); without one the study is constructivist, the default.

Every step is skippable with a memo saying why (``gt.skip`` records, see `skip_step`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench import BadInputError, Project, WorkflowStep

PROFILE_KIND = "gt.profile"
SKIP_KIND = "gt.skip"


@dataclass(frozen=True)
class Profile:
    """What one GT variant calls things, which steps it has, and what its checklist asks."""

    id: str
    title: str
    reference: str
    level_labels: dict[str, str]
    default_unit: str
    gerund_hint: bool
    paradigm_mode: str | None
    literature_early: bool
    steps: tuple[WorkflowStep, ...]
    checklist: tuple[tuple[str, str], ...]

    def level_label(self, level: str) -> str:
        return self.level_labels.get(level, level)

    def step(self, step_id: str) -> WorkflowStep:
        for step in self.steps:
            if step.id == step_id:
                return step
        ids = ", ".join(s.id for s in self.steps)
        raise BadInputError(f"the {self.title} profile has no step {step_id!r}; steps: {ids}", "STEP")


def _step(ident: str, title: str, description: str, entry: str = "", exit_: str = "") -> WorkflowStep:
    return WorkflowStep(ident, title, description, entry=entry, exit=exit_, skippable=True)


_SETUP = _step(
    "setup",
    "Study set-up and sensitising position (GT-1)",
    "Research questions, profile, sensitising concepts and a pre-analysis reflexive memo.",
    exit_="reflexive memo written",
)
_COLLECTION = _step(
    "collection",
    "Data collection log and interview guide (GT-2)",
    "Log each interview (date, duration, setting, interviewer, guide version); revise the guide.",
    exit_="every interview logged with its guide version",
)
_COMPARISON = _step(
    "comparison",
    "Constant comparison (GT-4)",
    "Compare incidents with incidents, codes with codes, categories with categories; write comparison memos.",
)
_MEMOS = _step("memos", "Memo-writing at every stage (GT-5)", "Typed memos: initial, focused, theoretical.")
_CATEGORIES = _step(
    "categories",
    "Categories, properties and dimensions (GT-7)",
    "Group concepts into categories; give each property a dimensional range; locate incidents on it.",
    exit_="every category has at least one property",
)
_SAMPLING = _step(
    "sampling",
    "Theoretical sampling (GT-11)",
    "Decide whom (or which existing data) to sample next to develop a category; record why.",
)
_SATURATION = _step(
    "saturation",
    "Theoretical saturation (GT-12)",
    "Read the saturation evidence (new codes per interview) and justify stopping in a saturation memo.",
    exit_="saturation memo written",
)
_DIAGRAMS = _step(
    "diagrams", "Diagramming (GT-13)", "Draw the categories and their links; export DOT/Mermaid."
)
_AUDIT = _step(
    "audit",
    "Codebook evolution and audit (GT-15)",
    "Snapshots of the codebook (taken when a transcript is marked coded), lineage and change report.",
)
_INTEGRATION = _step(
    "integration",
    "Integration around a core category (GT-10)",
    "Mark the core category, relate the major categories to it, write the storyline.",
)

CONSTRUCTIVIST = Profile(
    id="constructivist",
    title="Constructivist (Charmaz)",
    reference="Charmaz 2006/2014",
    level_labels={
        "initial": "initial",
        "focused": "focused",
        "subcategory": "subcategory",
        "category": "theoretical category",
        "core": "core category",
    },
    default_unit="line",
    gerund_hint=True,
    paradigm_mode=None,
    literature_early=True,
    steps=(
        _SETUP,
        _COLLECTION,
        _step(
            "initial-coding",
            "Initial coding, line by line (GT-3)",
            "Name what happens in each line with gerunds; keep participants' own words as in-vivo codes.",
            exit_="each transcript marked coded",
        ),
        _COMPARISON,
        _MEMOS,
        _step(
            "focused-coding",
            "Focused coding (GT-6)",
            "Raise the most significant or frequent initial codes to focused codes and recode with them.",
            exit_="every focused code traces back to initial codes",
        ),
        _CATEGORIES,
        _step(
            "axial",
            "Axial coding (optional) (GT-8)",
            "Charmaz treats axial coding as optional: relate subcategories to a category if it helps.",
        ),
        _step(
            "theoretical-coding",
            "Theoretical coding (GT-9)",
            "Specify how categories relate, using coding families where they fit, without forcing.",
        ),
        _SAMPLING,
        _SATURATION,
        _DIAGRAMS,
        _INTEGRATION,
        _AUDIT,
    ),
    checklist=(
        ("reflexive-memo", "A pre-analysis reflexive memo records the researcher's position"),
        ("gerunds", "Most initial codes are action-oriented (gerunds)"),
        ("in-vivo", "Participants' own words are kept as in-vivo codes"),
        ("focused-lineage", "Every focused code traces back to initial codes"),
        ("memo-stages", "Memos exist at the initial, focused and theoretical stages"),
        ("properties", "Every category has at least one property with a dimensional range"),
        ("sampling", "Theoretical sampling decisions are recorded"),
        ("saturation-memo", "A saturation memo justifies stopping"),
    ),
)

STRAUSSIAN = Profile(
    id="straussian",
    title="Straussian (Strauss & Corbin)",
    reference="Strauss & Corbin 1990/1998; Corbin & Strauss 2008/2015",
    level_labels={
        "initial": "open code (concept)",
        "focused": "refined concept",
        "subcategory": "subcategory",
        "category": "category",
        "core": "central category",
    },
    default_unit="line",
    gerund_hint=False,
    paradigm_mode="2008",
    literature_early=True,
    steps=(
        _SETUP,
        _COLLECTION,
        _step(
            "initial-coding",
            "Open coding (GT-3)",
            "Break the data into concepts; attach provisional properties and dimensions from the segment.",
            exit_="each transcript marked coded",
        ),
        _COMPARISON,
        _MEMOS,
        _step(
            "focused-coding",
            "Refining concepts (GT-6)",
            "Merge and raise concepts that recur into refined concepts before building categories.",
        ),
        _CATEGORIES,
        _step(
            "axial",
            "Axial coding with the paradigm model (GT-8)",
            "Around one category at a time: conditions, actions/interactions, consequences, with evidence.",
            exit_="every paradigm link has evidence",
        ),
        _SAMPLING,
        _SATURATION,
        _DIAGRAMS,
        _step(
            "integration",
            "Selective coding around a central category (GT-10)",
            "Choose the central category, relate all major categories to it, write the storyline.",
        ),
        _AUDIT,
    ),
    checklist=(
        ("reflexive-memo", "A pre-analysis reflexive memo records the researcher's position"),
        ("properties", "Every category has at least one property with a dimensional range"),
        ("locations", "Incidents are located on the dimensions of each property"),
        ("paradigm", "The paradigm model relates conditions, actions/interactions and consequences"),
        ("evidence", "Every relation between categories cites evidence segments"),
        ("memo-stages", "Memos exist at the initial, focused and theoretical stages"),
        ("sampling", "Theoretical sampling decisions are recorded"),
        ("saturation-memo", "A saturation memo justifies stopping"),
    ),
)

GLASERIAN = Profile(
    id="glaserian",
    title="Classic (Glaser & Strauss; Glaser)",
    reference="Glaser & Strauss 1967; Glaser 1978",
    level_labels={
        "initial": "substantive code (open)",
        "focused": "selective code",
        "subcategory": "property",
        "category": "category",
        "core": "core variable",
    },
    default_unit="incident",
    gerund_hint=False,
    paradigm_mode=None,
    literature_early=False,
    steps=(
        _SETUP,
        _COLLECTION,
        _step(
            "initial-coding",
            "Open (substantive) coding of incidents (GT-3)",
            "Code incident by incident, comparing each with the previous incidents of the same category.",
            exit_="each transcript marked coded",
        ),
        _COMPARISON,
        _MEMOS,
        _step(
            "focused-coding",
            "Selective coding around the core variable (GT-6)",
            "Once a core variable emerges, code only for it and the categories that relate to it.",
        ),
        _CATEGORIES,
        _step(
            "theoretical-coding",
            "Theoretical coding with coding families (GT-9)",
            "Let coding families (the six Cs, process, degree, type, strategy ...) emerge; do not force.",
        ),
        _SAMPLING,
        _SATURATION,
        _DIAGRAMS,
        _step(
            "integration",
            "Core variable, delimiting and sorting (GT-10/14)",
            "Delimit around the core variable; sort memos into the theory's outline.",
        ),
        _AUDIT,
    ),
    checklist=(
        ("literature-delayed", "The literature is not read as sensitising before coding (delayed)"),
        ("incidents", "Coding is incident by incident"),
        ("memo-stages", "Memos exist at the initial, focused and theoretical stages"),
        ("core", "A core variable is marked"),
        ("evidence", "Every relation between categories cites evidence segments"),
        ("sampling", "Theoretical sampling decisions are recorded"),
        ("saturation-memo", "A saturation memo justifies stopping"),
    ),
)

PROFILES: dict[str, Profile] = {p.id: p for p in (CONSTRUCTIVIST, STRAUSSIAN, GLASERIAN)}
DEFAULT_PROFILE = CONSTRUCTIVIST


def profile_named(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise BadInputError(
            f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}", "--profile"
        ) from None


def profile_record(project: Project) -> dict[str, Any] | None:
    """The study's ``gt.profile`` record (the newest, should there ever be two), or None."""
    found = project.records(PROFILE_KIND)
    return found[-1] if found else None


def active_profile(project: Project) -> Profile:
    record = profile_record(project)
    if record is None:
        return DEFAULT_PROFILE
    return PROFILES.get(str(record["data"].get("profile")), DEFAULT_PROFILE)


def paradigm_mode(project: Project) -> str:
    """'1990' (causal/context/intervening) or '2008' (conditions); a study's own choice wins."""
    record = profile_record(project)
    chosen = record["data"].get("paradigm_mode") if record else None
    return str(chosen or active_profile(project).paradigm_mode or "2008")


def setup_study(
    project: Project,
    *,
    profile: str | None = None,
    questions: list[str] | None = None,
    position: str | None = None,
    sensitising: str | None = None,
    paradigm: str | None = None,
) -> list[str]:
    """Record the profile, research questions and sensitising position; returns messages for the user.

    The position and the sensitising concepts are memos (types ``reflexive`` and ``sensitising-concepts``)
    so they start the memo audit trail; the profile record links to them.
    """
    if profile is not None:
        profile_named(profile)
    if paradigm is not None and paradigm not in ("1990", "2008"):
        raise BadInputError(
            "paradigm mode is 1990 (causal/context/intervening) or 2008 (conditions)", "--paradigm"
        )
    record = profile_record(project)
    data: dict[str, Any] = (
        dict(record["data"]) if record else {"profile": DEFAULT_PROFILE.id, "questions": []}
    )
    links: list[str] = list(record["links"]) if record else []
    messages: list[str] = []
    if profile is not None:
        data["profile"] = profile
    if questions:
        data["questions"] = [*data.get("questions", []), *(q.strip() for q in questions if q.strip())]
    if paradigm is not None:
        data["paradigm_mode"] = paradigm
    chosen = PROFILES[str(data["profile"])]
    if position:
        memo = project.write_memo("Pre-analysis reflexive position", position, memo_type="reflexive")
        links.append(f"memo:{memo}")
        messages.append(f"reflexive memo {memo} saved")
    if sensitising:
        memo = project.write_memo("Sensitising concepts", sensitising, memo_type="sensitising-concepts")
        links.append(f"memo:{memo}")
        messages.append(f"sensitising-concepts memo {memo} saved")
        if not chosen.literature_early:
            messages.append("note: classic GT delays the literature; the concepts are recorded, not imposed")
    if record is None:
        rid = project.add_record(PROFILE_KIND, data, links=links, summary=f"GT profile {chosen.id}")
    else:
        rid = record["id"]
        project.update_record(rid, data, links=links, summary=f"GT profile {chosen.id}")
    messages.insert(0, f"profile {chosen.id} ({chosen.title}) recorded in {rid}")
    return messages


def skip_step(project: Project, step_id: str, reason: str) -> tuple[str, str]:
    """Skip a step of the active profile with a methodological memo saying why; returns (record, memo)."""
    step = active_profile(project).step(step_id)
    if not reason.strip():
        raise BadInputError("say why the step is skipped (--reason)", "--reason")
    if any(r["data"].get("step") == step_id for r in project.records(SKIP_KIND)):
        raise BadInputError(f"step {step_id!r} is already skipped", "STEP")
    from .memos import write_memo

    memo = write_memo(project, f"Skipped: {step.title}", reason.strip(), memo_type="methodological")
    rid = project.add_record(
        SKIP_KIND, {"step": step_id, "memo": memo}, links=[f"memo:{memo}"], summary=f"skip GT step {step_id}"
    )
    return rid, memo


def skipped_steps(project: Project) -> dict[str, str]:
    """Step id -> the memo saying why it was skipped."""
    return {str(r["data"]["step"]): str(r["data"]["memo"]) for r in project.records(SKIP_KIND)}
