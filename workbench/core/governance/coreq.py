"""COREQ checklist (GOV-14): the 32 items of Tong, Sainsbury & Craig (2007), pre-filled from the project.

Each row: ``item | description | source in project | draft text | page no. (manual)``. What the project
knows is drafted from it (method and variant, participants and withdrawals, coders and the ICR policy,
the code tree, code kinds, software); what only the team knows (credentials, relationship with
participants) is entered once with ``workbench coreq DIR --set N=TEXT`` (``gov.coreq`` records) and
reflexive memos tagged ``coreq:N`` are cited. Page numbers are for the author to fill in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workbench._version import __version__
from workbench.core.errors import BadInputError

if TYPE_CHECKING:
    from workbench.core.project import Project

COLUMNS = ("item", "description", "source in project", "draft text", "page no. (manual)")
ANSWER_KIND = "gov.coreq"
ITEMS = (
    ("1", "Interviewer/facilitator: which author(s) conducted the interviews?"),
    ("2", "Credentials: what were the researcher's credentials?"),
    ("3", "Occupation: what was their occupation at the time of the study?"),
    ("4", "Gender: was the researcher male or female?"),
    ("5", "Experience and training: what experience or training did the researcher have?"),
    ("6", "Relationship established: was a relationship established prior to study commencement?"),
    ("7", "Participant knowledge of the interviewer: what did the participants know about the researcher?"),
    (
        "8",
        "Interviewer characteristics: what was reported about the interviewer (bias, assumptions)?",
    ),
    ("9", "Methodological orientation and theory underpinning the study"),
    ("10", "Sampling: how were participants selected?"),
    ("11", "Method of approach: how were participants approached?"),
    ("12", "Sample size: how many participants were in the study?"),
    ("13", "Non-participation: how many people refused to participate or dropped out? Reasons?"),
    ("14", "Setting of data collection: where was the data collected?"),
    ("15", "Presence of non-participants: was anyone else present besides the participants and researchers?"),
    ("16", "Description of sample: what are the important characteristics of the sample?"),
    ("17", "Interview guide: were questions, prompts, guides provided by the authors? Was it pilot tested?"),
    ("18", "Repeat interviews: were repeat interviews carried out? If yes, how many?"),
    ("19", "Audio/visual recording: did the research use audio or visual recording to collect the data?"),
    ("20", "Field notes: were field notes made during and/or after the interview or focus group?"),
    ("21", "Duration: what was the duration of the interviews or focus group?"),
    ("22", "Data saturation: was data saturation discussed?"),
    ("23", "Transcripts returned: were transcripts returned to participants for comment and/or correction?"),
    ("24", "Number of data coders: how many data coders coded the data?"),
    ("25", "Description of the coding tree: did authors provide a description of the coding tree?"),
    ("26", "Derivation of themes: were themes identified in advance or derived from the data?"),
    ("27", "Software: what software, if applicable, was used to manage the data?"),
    ("28", "Participant checking: did participants provide feedback on the findings?"),
    ("29", "Quotations presented: were participant quotations presented and each quotation identified?"),
    (
        "30",
        "Data and findings consistent: was there consistency between the data presented and the findings?",
    ),
    ("31", "Clarity of major themes: were major themes clearly presented in the findings?"),
    ("32", "Clarity of minor themes: is there a description of diverse cases or discussion of minor themes?"),
)
_TAG = re.compile(r"coreq:(\d{1,2})\b", re.IGNORECASE)


def set_answer(project: Project, item: str, text: str) -> str:
    if item not in {number for number, _ in ITEMS}:
        raise BadInputError(f"COREQ items are numbered 1-32, not {item!r}", "--set")
    for doc in project.records(ANSWER_KIND):
        if doc["data"]["item"] == item:
            project.update_record(doc["id"], {"item": item, "text": text}, summary=f"COREQ item {item}")
            return str(doc["id"])
    return project.add_record(ANSWER_KIND, {"item": item, "text": text}, summary=f"COREQ item {item}")


def _record_values(project: Project, key: str) -> list[str]:
    return sorted({str(doc["data"][key]) for doc in project.records() if doc["data"].get(key)})


def checklist(project: Project) -> list[tuple[str, str, str, str, str]]:
    from workbench.core.icr.coders import coders
    from workbench.core.icr.rounds import POLICY_TEXT, policy, rounds

    answers = {doc["data"]["item"]: doc["data"]["text"] for doc in project.records(ANSWER_KIND)}
    tagged: dict[str, list[str]] = {}
    for memo in project.rows("memos"):
        for number in _TAG.findall(f"{memo['title']} {memo['body']}"):
            tagged.setdefault(number, []).append(memo["id"])
    people = project.participants()
    active = [p for p in people if p.get("status") != "withdrawn"]
    withdrawn = [p for p in people if p.get("status") == "withdrawn"]
    active_coders = [c for c in coders(project) if c.codings]
    codes = project.code_tree()
    kinds: dict[str, int] = {}
    for code in codes:
        kinds[code.kind] = kinds.get(code.kind, 0) + 1
    levels = sorted({c.level for c in codes})
    profile = project.records("gt.profile")
    variant = f" ({profile[-1]['data'].get('profile')})" if profile else ""
    saturation = project.records("gt.saturation")
    drafts: dict[str, tuple[str, str]] = {
        "1": ("interviewer per source", ", ".join(_record_values(project, "interviewer"))),
        "9": ("project method and variant profile", f"{project.method}{variant}"),
        "12": ("participants", f"{len(active)} participants"),
        "13": (
            "withdrawals (GOV-12)",
            f"{len(withdrawn)} withdrew after interview" if withdrawn else "none recorded",
        ),
        "14": ("source metadata: setting", ", ".join(_record_values(project, "setting"))),
        "16": (
            "participant attributes",
            ", ".join(sorted({k for p in active for k in p.get("attributes", {})})),
        ),
        "17": ("interview guide versions", f"{len(project.records('gt.guide'))} guide version(s) recorded"),
        "21": ("source metadata: duration", ", ".join(_record_values(project, "duration"))),
        "22": (
            "saturation evidence (GT-12) or method rationale",
            f"{len(saturation)} saturation judgement(s) recorded"
            if saturation
            else ("IPA: idiographic depth, not saturation" if project.method == "ipa" else ""),
        ),
        "24": (
            "coders (ICR-1) and ICR policy (ICR-0)",
            f"{len(active_coders)} coder(s): {', '.join(c.name for c in active_coders)}; "
            f"{POLICY_TEXT[policy(project)]}; {len(rounds(project))} ICR round(s)",
        ),
        "25": ("code tree", f"{len(codes)} active codes at levels: {', '.join(levels)}"),
        "26": (
            "code kinds",
            ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
            + ("; a-priori codes present" if kinds.get("a-priori") else "; all derived from the data"),
        ),
        "27": ("software", f"Qualitative Workbench {__version__}"),
        "29": ("citation style", f"quotations identified as {project.citation_template()}"),
    }
    rows = []
    for number, description in ITEMS:
        where, draft = drafts.get(number, ("", ""))
        if number in answers:
            where, draft = "entered by the team (gov.coreq)", answers[number]
        if number in tagged:
            where = "; ".join(
                filter(None, [where, "memos tagged coreq:" + number + " " + ", ".join(tagged[number])])
            )
        rows.append((number, description, where or "not in the project: enter it", draft, ""))
    return rows
