"""GOV-12 for focus groups, through the real CLI: withdrawing a participant who spoke in a transcript
owned by someone else purges their turns from every version of it, keeps every other speaker's words,
codings, line numbers and citations exactly as they were, and leaves no file holding their words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.governance.files import all_text, files
from tests.icr.conftest import cli, cli_json, make_study
from workbench.core.governance.withdrawn_turns import label_key, rewrite
from workbench.core.project import Project
from workbench.core.text import LineMap, LineSettings, detect_turns

FOCUS_GROUP = (
    "Facilitator: Thank you all for coming. What helped most when you first met your peer support "
    "worker?\n\n"
    "Amira: The kettle was always on and nobody rushed me. I sat with my coat on for three weeks before "
    "I said a single word to anyone in that room, and still they saved me a chair by the window.\n\n"
    "Bilal: For me it was hearing that she had been sectioned too. That changed everything about how I "
    "listened to her.\n\n"
    "Cerys: I was suspicious at first. I waited to see whether she would report back to the ward staff.\n\n"
    "Facilitator: And later on, what kept you coming back?\n\n"
    "Amira: Honestly the biscuits in the blue tin, and knowing my notes stayed in that room.\n\n"
    "Bilal: The walking group on Thursdays gave my week a shape again.\n\n"
    "Cerys: Being asked to help run a session myself.\n"
)
CORRECTED = FOCUS_GROUP.replace("I was suspicious at first.", "I was wary at first.")
#: Amira is P02's speaker label; Quentin their pseudonym; the rest their words (focus group and interview).
WITHDRAWN_WORDS = (
    "Amira",
    "Quentin",
    "kettle was always on",
    "coat on for three weeks",
    "biscuits in the blue tin",
    "saved me a chair",
    "warm radiator",
    "week by week",
)
OTHERS = ("Testing trust", "Hope", "Shared experience")


@dataclass
class Scenario:
    study: Path
    report: dict[str, Any]
    before_segments: dict[str, list[dict[str, Any]]]
    before_lines: list[dict[str, Any]]


def _span(study: Path, source: str, words: str, until: str | None = None) -> str:
    with Project.open(study, readonly=True) as project:
        text = project.current_text(source)[1].text
    start = text.index(words)
    end = text.index(until) + len(until) if until else start + len(words)
    return f"{start}:{end}"


def _segments(d: str, label: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = cli_json("segments", d, label)
    return rows


def _without_offsets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in ("start", "end")} for row in rows]


def build(folder: Path) -> Path:
    """Four interviews (P01..P04) and a focus group S5 owned by the group, speakers mapped to P01-P03."""
    study = make_study(folder)
    d = str(study)
    group = folder / "focus-group.txt"
    group.write_text(FOCUS_GROUP, encoding="utf-8")
    cli("add", d, str(group), "--participant", "G1", "--pseudonym", "Group one")
    cli(
        "speakers",
        d,
        "S5",
        "--participant",
        "Amira=P02",
        "--participant",
        "Bilal=P01",
        "--participant",
        "Cerys=P03",
        "--role",
        "Facilitator=interviewer",
    )
    cli("code", d, "S5", "--chars", _span(study, "S5", "hearing that she had been sectioned too"), OTHERS[2])
    corrected = folder / "focus-group-corrected.txt"
    corrected.write_text(CORRECTED, encoding="utf-8")
    cli("correct", d, "S5", str(corrected))  # V5 (with Amira's words) stays as the earlier version
    cli("code", d, "S5", "--chars", _span(study, "S5", "I waited to see", "ward staff."), OTHERS[0])
    cli("code", d, "S5", "--chars", _span(study, "S5", "The walking group", "shape again."), OTHERS[1])
    cli("code", d, "S5", "--chars", _span(study, "S5", "The kettle", "by the window."), "Welcome")
    kettle = _span(study, "S5", "kettle was always on")
    cli("code", d, "S5", "--chars", kettle, '"kettle"', "--kind", "in-vivo")
    cli("code", d, "S5", "--chars", _span(study, "S5", "What helped most", "nobody rushed me."), "Opening")
    cli("code", d, "S2", "--lines", "3", '"warm radiator"', "--kind", "in-vivo")
    cli(
        "memo",
        d,
        "--title",
        "Hospitality",
        "--body",
        'Amira said "nobody rushed me" - and the biscuits in the blue tin were remembered by all.',
    )
    return study


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    study = build(tmp_path_factory.mktemp("focus"))
    d = str(study)
    before_segments = {label: _segments(d, label) for label in OTHERS}
    before_lines = cli_json("text", d, "S5")["lines"]
    report = cli_json("withdraw", d, "P02", "--reason", "Asked to withdraw on 2 June")
    return Scenario(study, report, before_segments, before_lines)


def test_no_file_in_the_project_holds_the_withdrawn_speakers_words(scenario: Scenario) -> None:
    everything = all_text(files(scenario.study)).casefold()
    assert [w for w in WITHDRAWN_WORDS if w.casefold() in everything] == []
    assert scenario.report["residue"] == []
    assert "walking group on thursdays" in everything  # the others' words stay


def test_every_version_of_the_shared_transcript_is_rewritten(scenario: Scenario) -> None:
    assert scenario.report["shared_sources"] == ["S5"]
    counts = scenario.report["counts"]
    assert (counts["shared_sources"], counts["versions_rewritten"], counts["turns_withdrawn"]) == (1, 2, 2)
    with Project.open(scenario.study, readonly=True) as project:
        versions = [v for v in project.rows("versions") if v["source_id"] == "S5"]
        texts = [project.text_record(v["id"]).text for v in versions]
    assert len(versions) == 2 and all(v["withdrawn_participants"] == ["P02"] for v in versions)
    assert all(t.count("P02: [withdrawn]") == 2 and "kettle" not in t for t in texts)


def test_withdrawn_turns_keep_their_lines_so_every_line_number_stays(scenario: Scenario) -> None:
    after = cli_json("text", str(scenario.study), "S5")["lines"]
    assert len(after) == len(scenario.before_lines)
    for old, new in zip(scenario.before_lines, after, strict=True):
        assert (old["line"], old["page"], old["number"]) == (new["line"], new["page"], new["number"])
        if old["text"].startswith("Amira:"):
            assert new["text"] == "P02: [withdrawn]"
        elif "Amira" not in old["text"] and not _continues_amira(old, scenario.before_lines):
            assert new["text"] == old["text"]


def _continues_amira(line: dict[str, Any], lines: list[dict[str, Any]]) -> bool:
    """Whether a wrapped line belongs to an Amira turn (the nearest labelled line above is hers)."""
    for earlier in reversed(lines[: lines.index(line) + 1]):
        if ":" in earlier["text"].split(" ", 1)[0]:
            return bool(earlier["text"].startswith("Amira:"))
    return False


def test_other_speakers_codings_keep_their_text_and_citations(scenario: Scenario) -> None:
    for label in OTHERS:
        after = _segments(str(scenario.study), label)
        assert _without_offsets(after) == _without_offsets(scenario.before_segments[label]), label
        assert after and all(row["flag"] == "" for row in after)


def test_codings_wholly_on_withdrawn_turns_are_removed(scenario: Scenario) -> None:
    d = str(scenario.study)
    assert scenario.report["counts"]["shared_codings_removed"] == 2
    assert _segments(d, "Welcome") == []
    with Project.open(scenario.study, readonly=True) as project:
        in_vivo = [c for c in project.codes() if c["kind"] == "in-vivo"]
    assert [(c["label"], c["status"]) for c in in_vivo] == [
        (f"[withdrawn in-vivo code {c['id']}]", "retired") for c in in_vivo
    ]
    assert len(in_vivo) == 2  # their focus-group label and their interview's


def test_a_coding_that_overlaps_a_withdrawn_turn_is_clipped_to_the_retained_words_and_flagged(
    scenario: Scenario,
) -> None:
    (row,) = _segments(str(scenario.study), "Opening")
    assert row["text"] == "What helped most when you first met your peer support worker?"
    assert row["flag"].startswith("clipped: a withdrawn turn of P02")
    assert scenario.report["counts"]["segments_clipped"] == 1


def test_a_memo_quoting_the_withdrawn_speaker_reads_withdrawn(scenario: Scenario) -> None:
    with Project.open(scenario.study, readonly=True) as project:
        (memo,) = [m for m in project.rows("memos") if m["title"] == "Hospitality"]
    assert memo["body"] == '[withdrawn] said "[withdrawn]" - and [withdrawn] were remembered by all.'


def test_the_participants_own_sources_are_gone_as_before(scenario: Scenario) -> None:
    sources = {s["id"] for s in cli_json("sources", str(scenario.study))}
    assert sources == {"S1", "S3", "S4", "S5"}
    assert scenario.report["counts"]["sources"] == 1 and scenario.report["counts"]["codings"] == 3


def test_the_speaker_map_names_the_study_id_not_the_label(scenario: Scenario) -> None:
    rows = cli_json("speakers", str(scenario.study), "S5")
    assert {r["label"]: r["participant"] for r in rows} == {
        "Bilal": "P01",
        "Cerys": "P03",
        "Facilitator": "",
        "P02": "P02",
    }


def test_audit_chain_and_integrity_check_stay_clean(scenario: Scenario) -> None:
    d = str(scenario.study)
    assert scenario.report["audit_chain_ok"]
    assert "ok: " in cli("audit", "verify", d)
    assert "ok" in cli("check", d)


def test_the_cli_says_what_was_done_to_the_shared_transcript(tmp_path: Path) -> None:
    study = build(tmp_path)
    out = cli("withdraw", str(study), "P02", "--reason", "asked")
    assert (
        "shared source(s) S5: 2 turn(s) now read 'P02: [withdrawn]' in 2 version(s), other speakers' lines "
        "unchanged; 2 coding(s) on their turns removed, 1 segment(s) clipped and flagged for review"
    ) in out
    assert "event salt(s) destroyed" in out


def _version(text: str, width: int = 40) -> dict[str, Any]:
    turns = detect_turns(text)
    linemap = LineMap.build(text, LineSettings(width=width), turns)
    return {"text": text, "turns": [t.__dict__ for t in turns], "linemap": linemap.to_json()}


def test_a_turn_without_a_written_label_becomes_a_bare_withdrawn_line() -> None:
    doc = _version("Ann: hello there\n\nBen: fine thanks\n")
    doc["turns"][1]["label"] = "Voice 2"  # a VTT voice tag: the label is not written in the text
    result = rewrite("V1", doc, {label_key("Voice 2")}, "P07", {"ann"})
    assert result is not None and result.text == "Ann: hello there\n\n[withdrawn]\n"


def test_if_the_study_id_is_another_speakers_label_the_turn_is_labelled_withdrawn() -> None:
    result = rewrite("V1", _version("P07: hello there\n\nBen: fine thanks\n"), {"ben"}, "P07", {"p07"})
    assert result is not None and result.text == "P07: hello there\n\n[withdrawn]\n"


def test_a_wrapped_turn_right_before_the_next_speaker_keeps_every_line() -> None:
    text = "Ann: one two three four five six seven eight nine ten eleven twelve thirteen\nBen: ok\n"
    doc = _version(text, width=30)
    doc_map = LineMap.from_json(doc["linemap"])
    result = rewrite("V1", doc, {"ann"}, "P07", {"ben"})
    assert result is not None and len(result.linemap.lines) == len(doc_map.lines)
    assert result.text.startswith("P07: [withdrawn]\n") and result.text.endswith("\nBen: ok\n")
    assert [t.label for t in result.turns] == ["P07", "Ben"]


def test_anonymisation_log_entries_inside_withdrawn_turns_go_and_the_others_follow(tmp_path: Path) -> None:
    study = build(tmp_path)
    d = str(study)
    cli("redact", d, "S5", "--find", "window", "--replacement", "[place]")  # in Amira's turn
    cli("redact", d, "S5", "--find", "Thursdays", "--replacement", "[day]")  # in Bilal's
    cli_json("withdraw", d, "P02", "--reason", "asked")
    log = cli_json("redact", d, "S5", "--log")
    assert [e["original"] for e in log] == ["Thursdays"]
    with Project.open(study, readonly=True) as project:
        text = project.text_record(log[0]["from_version"]).text
    assert text[log[0]["start"] : log[0]["end"]] == "Thursdays"


def test_an_anchor_spanning_a_withdrawn_turn_keeps_both_ends_and_is_marked_clipped() -> None:
    text = "Ann: before it\n\nBen: the middle bit\n\nCal: after it\n"
    result = rewrite("V1", _version(text), {"ben"}, "P07", {"ann", "cal"})
    assert result is not None
    start, end, clipped = result.map_span(text.index("it"), text.index("after") + 5) or (0, 0, False)
    assert result.text[start:end] == "it\n\nP07: [withdrawn]\n\nCal: after" and clipped


def test_an_anchor_after_a_withdrawn_turn_moves_by_the_exact_shift() -> None:
    text = "Ann: before it\n\nBen: the middle bit\n\nCal: after it\n"
    result = rewrite("V1", _version(text), {"ben"}, "P07", {"ann", "cal"})
    assert result is not None
    start = text.index("after it")
    assert result.map_span(start, start + 8) == (
        result.text.index("after it"),
        result.text.index("after it") + 8,
        False,
    )
