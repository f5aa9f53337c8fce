"""ICR rounds (ICR-3/4/5): a blind double-coding exercise over a frozen sample, codebook and unit rule.

A round is one plugin-style record (kind ``icr.round``) created in the same operation as the codebook
snapshot it freezes (CORE-7 "before ICR rounds"). Its data holds everything a report must state:

* ``coders`` — exactly two coder ids (A and B); κ and the disagreement list are pairwise;
* ``rule`` — the unit rule (`units.UNIT_RULES`) and, for pre-segmented rules, the sampled ``units`` as
  ``[source, version, start, end]`` spans frozen at creation (a later correction cannot move them);
* ``sample`` — how the sample was drawn: ``random`` (seeded, so it can be redrawn and checked) by sources
  or by units, or ``chosen`` sources; the share of the corpus it covers;
* ``layer`` — the coding layer the coders code into (``icr:<name>``), apart from their ordinary work;
* ``status`` — ``open`` while coding (blind: no comparison, no report, no other coder's codings are
  shown for the round), then ``closed``: coding stops, agreements go to the ``consensus`` layer, and
  the disagreements wait for adjudication.

Coding in a round (`code_in_round`) checks the coder belongs to the round, the source is in the sample,
the code is in the frozen codebook snapshot, and (for pre-segmented rules) codes whole units.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.icr.units import UNIT_RULES, units_of

if TYPE_CHECKING:
    from workbench.core.project import Project
    from workbench.core.store.store import Transaction

ROUND_KIND = "icr.round"
POLICY_KIND = "icr.policy"
CONSENSUS = "consensus"
POLICIES = ("off", "dialogic", "reliability")
POLICY_TEXT = {
    "off": "no inter-coder comparison (the method's default: interpretative coding by one analyst)",
    "dialogic": "dialogic agreement: coders compare and discuss differences; no coefficient is reported",
    "reliability": "reliability: coefficients are computed and reported on a double-coded sample",
}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
Doc = dict[str, Any]


@dataclass(frozen=True)
class Unit:
    source: str
    version: str
    start: int
    end: int


@dataclass(frozen=True)
class Round:
    id: str
    name: str
    coders: tuple[str, str]
    rule: str
    units: tuple[Unit, ...]
    sources: tuple[str, ...]
    snapshot: str
    layer: str
    status: str
    sample: dict[str, Any] = field(hash=False)
    threshold: float
    created_at: str
    closed_at: str

    @classmethod
    def from_record(cls, doc: Doc) -> Round:
        data = doc["data"]
        return cls(
            id=doc["id"],
            name=data["name"],
            coders=(data["coders"][0], data["coders"][1]),
            rule=data["rule"],
            units=tuple(Unit(*u) for u in data.get("units", [])),
            sources=tuple(data["sources"]),
            snapshot=data["snapshot"],
            layer=data["layer"],
            status=data["status"],
            sample=dict(data.get("sample", {})),
            threshold=float(data.get("threshold", 0.9)),
            created_at=doc["created_at"],
            closed_at=data.get("closed_at", ""),
        )

    def versions(self, project: Project) -> dict[str, str]:
        """Source → the transcript version the round codes (the one current when it was created)."""
        frozen = {u.source: u.version for u in self.units}
        return {s: frozen.get(s) or self.sample.get("versions", {}).get(s, "") for s in self.sources}


# -- policy (ICR-0) --------------------------------------------------------------------------------------


def policy(project: Project) -> str:
    rows = project.records(POLICY_KIND)
    return str(rows[-1]["data"]["policy"]) if rows else "off"


def set_policy(project: Project, value: str, note: str = "") -> str:
    if value not in POLICIES:
        raise BadInputError(f"unknown ICR policy {value!r}; use one of {', '.join(POLICIES)}", "POLICY")
    rows = project.records(POLICY_KIND)
    data = {"policy": value, "note": note}
    if rows:
        project.update_record(rows[-1]["id"], data, summary=f"ICR policy: {value}")
        return str(rows[-1]["id"])
    return project.add_record(POLICY_KIND, data, summary=f"ICR policy: {value}")


# -- rounds ----------------------------------------------------------------------------------------------


def rounds(project: Project) -> list[Round]:
    return [Round.from_record(doc) for doc in project.records(ROUND_KIND)]


def get_round(project: Project, ref: str) -> Round:
    """A round by record id (R4) or by name."""
    for r in rounds(project):
        if ref in (r.id, r.name, f"record:{r.id}"):
            return r
    raise NotFoundError(f"no ICR round {ref!r} (see `workbench icr rounds`)", "ROUND")


def corpus_units(project: Project, rule: str) -> list[Unit]:
    """Every unit of every source's current version under `rule`."""
    out: list[Unit] = []
    for source in project.sources():
        vid, record = project.current_text(source["id"])
        turns = project.effective_turns(source["id"])
        out.extend(
            Unit(source["id"], vid, s, e) for s, e in units_of(rule, record.text, turns, record.linemap)
        )
    return out


def _draw(
    project: Project,
    rule: str,
    *,
    percent: float | None,
    chosen: Sequence[str],
    seed: int | None,
    by: str,
) -> tuple[list[str], list[Unit], dict[str, Any]]:
    all_sources = [s["id"] for s in project.sources()]
    if not all_sources:
        raise BadInputError("the project has no sources to sample", "DIR")
    if chosen:
        unknown = [s for s in chosen if s not in all_sources]
        if unknown:
            raise NotFoundError(f"no source {', '.join(unknown)}", "--sources")
        sources = sorted(set(chosen), key=all_sources.index)
        units = [u for u in corpus_units(project, rule) if u.source in sources] if rule != "free" else []
        return sources, units, {"method": "chosen", "by": "sources"}
    share = 20.0 if percent is None else percent
    if not 0 < share <= 100:
        raise BadInputError(f"sample percentage must be above 0 and at most 100, not {share}", "--percent")
    seed = random.SystemRandom().randrange(1, 10**6) if seed is None else seed
    rng = random.Random(seed)
    meta = {"method": "random", "by": by, "percent": share, "seed": seed}
    if by == "units":
        if rule in ("free", "document"):
            raise BadInputError(f"a {rule!r} round samples sources, not units", "--by")
        pool = corpus_units(project, rule)
        if not pool:
            raise BadInputError("no units to sample under that rule", "--unit")
        picked = sorted(rng.sample(range(len(pool)), max(1, math.ceil(len(pool) * share / 100))))
        units = [pool[i] for i in picked]
        sources = sorted({u.source for u in units}, key=all_sources.index)
        return sources, units, meta
    if by != "sources":
        raise BadInputError(f"sample by 'sources' or 'units', not {by!r}", "--by")
    count = max(1, math.ceil(len(all_sources) * share / 100))
    sources = sorted(rng.sample(all_sources, count), key=all_sources.index)
    units = [u for u in corpus_units(project, rule) if u.source in sources] if rule != "free" else []
    return sources, units, meta


def create_round(
    project: Project,
    name: str,
    coders: Sequence[str],
    rule: str = "turn",
    *,
    percent: float | None = None,
    sources: Sequence[str] = (),
    seed: int | None = None,
    by: str = "sources",
    threshold: float = 0.9,
) -> str:
    """Draw the sample, snapshot the codebook and open the round, as one undoable operation."""
    if not NAME.match(name):
        raise BadInputError("a round name is 1-40 letters, digits, '.', '_' or '-'", "NAME")
    if any(r.name == name for r in rounds(project)):
        raise BadInputError(f"a round named {name!r} already exists", "NAME")
    coder_ids = [c.strip() for c in coders if c.strip()]
    if len(coder_ids) != 2 or coder_ids[0] == coder_ids[1]:
        raise BadInputError("a round has exactly two different coders (--coders A,B)", "--coders")
    if rule not in UNIT_RULES:
        raise BadInputError(f"unknown unit rule {rule!r}; use one of {', '.join(UNIT_RULES)}", "--unit")
    if not 0 < threshold <= 1:
        raise BadInputError("the overlap threshold must be above 0 and at most 1", "--threshold")
    picked, units, sample = _draw(project, rule, percent=percent, chosen=sources, seed=seed, by=by)
    corpus = len(corpus_units(project, rule)) if rule != "free" else 0
    total_chars = sum(project.current_text(s["id"])[1].linemap.text_length for s in project.sources())
    chosen_chars = sum(project.current_text(s)[1].linemap.text_length for s in picked)
    sample["corpus_units"] = corpus
    sample["share"] = (
        len(units) / corpus * 100 if rule != "free" and corpus else chosen_chars / max(total_chars, 1) * 100
    )
    sample["versions"] = {s: project.source(s)["version_id"] for s in picked}
    with project._operation("icr.round.create", "record", f"open ICR round {name!r}") as tx:
        snapshot = project._put_snapshot(tx, f"ICR round {name}")
        refs = [f"snapshot:{snapshot}", *(f"source:{s}" for s in picked)]
        project._freeze_linked(tx, refs)
        rid = project._insert(
            tx,
            "R",
            {
                "kind": ROUND_KIND,
                "data": {
                    "name": name,
                    "coders": coder_ids,
                    "rule": rule,
                    "units": [[u.source, u.version, u.start, u.end] for u in units],
                    "sources": picked,
                    "snapshot": snapshot,
                    "layer": f"icr:{name}",
                    "status": "open",
                    "sample": sample,
                    "threshold": threshold,
                },
                "links": refs,
                "author": project.actor,
                "created_at": _now(),
                "modified_at": _now(),
            },
        )
        tx.entity = f"record:{rid}"
    return rid


def _now() -> str:
    from workbench.core.project import _now as now

    return now()


def snapshot_labels(project: Project, r: Round) -> dict[str, str]:
    """Code id → label in the round's frozen codebook snapshot (active codes only)."""
    snap = project.get("snapshots", r.snapshot) or {}
    return {c["id"]: c["label"] for c in snap.get("codes", []) if c.get("status", "active") == "active"}


def units_in(r: Round, source: str) -> list[Unit]:
    return [u for u in r.units if u.source == source]


def code_in_round(
    project: Project,
    ref: str,
    source: str,
    start: int,
    end: int,
    label: str,
    *,
    coder: str | None = None,
) -> list[str]:
    """Code [start, end) of `source` in the round's blind layer; returns the coding ids added.

    Under a pre-segmented rule every unit the span touches is coded whole, so coders can only differ
    in *which* units get a code, never in boundaries (that is what pre-segmenting is for).
    """
    r = get_round(project, ref)
    coder = coder or project.actor
    if r.status != "open":
        raise BadInputError(f"round {r.name!r} is closed; its codings are fixed", "ROUND")
    if coder not in r.coders:
        raise BadInputError(f"{coder} is not a coder of round {r.name!r} ({', '.join(r.coders)})", "--coder")
    if source not in r.sources:
        raise BadInputError(
            f"{source} is not in round {r.name!r}'s sample ({', '.join(r.sources)})", "SOURCE"
        )
    vid = r.versions(project)[source]
    if project.source(source)["version_id"] != vid:
        raise BadInputError(f"{source} was corrected after the round began; its sample is stale", source)
    labels = snapshot_labels(project, r)
    matches = [cid for cid, text in labels.items() if text == label] or [
        cid for cid, text in labels.items() if text.casefold() == label.casefold()
    ]
    if len(matches) != 1 or project.get("codes", matches[0]) is None:
        raise BadInputError(
            f"{label!r} is not in the round's frozen codebook (snapshot {r.snapshot})", "LABEL"
        )
    code_id = matches[0]
    text = project.text_record(vid).text
    if not 0 <= start < end <= len(text):
        raise BadInputError(f"span {start}:{end} is outside the text (0:{len(text)}) or empty", "--chars")
    if r.rule == "free":
        spans = [(start, end)]
        unit = "character"
    else:
        spans = [(u.start, u.end) for u in units_in(r, source) if u.start < end and start < u.end]
        unit = r.rule
        if not spans:
            raise BadInputError(f"{start}:{end} touches no sampled {r.rule} unit of {source}", "--chars")
    added: list[str] = []
    with project._operation(
        "icr.code",
        f"source:{source}",
        f"code {project.cite(source, start, end)} as {labels[code_id]!r} in round {r.name}",
    ) as tx:
        for s, e in spans:
            coding = add_coding(project, tx, vid, s, e, code_id, coder=coder, layer=r.layer, unit=unit)
            if coding:
                added.append(coding)
        if not added:
            raise BadInputError(f"{labels[code_id]!r} is already applied there by {coder}", source)
    return added


def add_coding(
    project: Project,
    tx: Transaction,
    vid: str,
    start: int,
    end: int,
    code_id: str,
    *,
    coder: str,
    layer: str,
    unit: str,
    any_coder: bool = False,
) -> str | None:
    """Add one coding inside an operation; None when the same code is already there in that layer.

    Looks at the operation's pending writes too, so one operation can add many codings to one span.
    """
    pending = {key: doc for key, doc in tx._pending.items() if doc is not None}
    segment_id = project.index.segment_by_anchor.get((vid, start, end))
    if segment_id is None or tx.get("segments", segment_id) is None:
        segment_id = next(
            (
                i
                for (table, i), doc in pending.items()
                if table == "segments" and (doc["version_id"], doc["start"], doc["end"]) == (vid, start, end)
            ),
            None,
        )
    if segment_id is not None:
        ids = set(project.index.codings_by_segment.get(segment_id, ()))
        ids |= {
            i for (table, i), doc in pending.items() if table == "codings" and doc["segment_id"] == segment_id
        }
        for coding_id in ids:
            other = tx.get("codings", coding_id)
            if (
                other
                and other["code_id"] == code_id
                and other["layer"] == layer
                and (any_coder or other["coder"] == coder)
            ):
                return None
    else:
        segment_id = project._segment(tx, vid, start, end)
    return project._put_coding(tx, vid, segment_id, code_id, coder=coder, layer=layer, unit=unit)


@dataclass(frozen=True)
class LayerCoding:
    coding_id: str
    source: str
    version: str
    start: int
    end: int
    code_id: str
    coder: str


def layer_codings(project: Project, r: Round, coder: str | None = None) -> list[LayerCoding]:
    """The round's codings (one coder's, or both), on the versions the round froze."""
    versions = r.versions(project)
    by_version = {v: s for s, v in versions.items()}
    out: list[LayerCoding] = []
    for doc in project.rows("codings"):
        if doc["layer"] != r.layer or (coder is not None and doc["coder"] != coder):
            continue
        segment = project.get("segments", doc["segment_id"])
        if segment is None or segment["version_id"] not in by_version:
            continue
        out.append(
            LayerCoding(
                doc["id"],
                by_version[segment["version_id"]],
                segment["version_id"],
                segment["start"],
                segment["end"],
                doc["code_id"],
                doc["coder"],
            )
        )
    return sorted(out, key=lambda c: (c.source, c.start, c.end, c.code_id, c.coder))


def require_closed(r: Round) -> None:
    """Blind mode (ICR-3): nobody compares a round's layers until it is closed."""
    if r.status == "open":
        raise BadInputError(
            f"round {r.name!r} is still open: its coders are blind to each other until "
            f"`workbench icr close DIR {r.name}`",
            "ROUND",
        )
