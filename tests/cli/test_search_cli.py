"""The CLI contract of `workbench search`, `autocode` and `words`: JSON shapes, one-line refusals that
change nothing, and auto-coding as one undoable, audited operation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run, tree_digest
from tests.cli_inprocess import invoke, run_cli

HIT_KEYS = [
    "source",
    "participant",
    "speaker",
    "turn",
    "start",
    "end",
    "line",
    "citation",
    "text",
    "before",
    "after",
]


def hits(study: Path, *args: str) -> list[dict[str, object]]:
    return json.loads(run_cli("search", str(study), *args, "--json"))  # type: ignore[no-any-return]


def test_search_json_is_a_list_of_hits_with_the_contract_keys(study: Path) -> None:
    found = hits(study, "ward")
    assert found and all(list(h) == HIT_KEYS for h in found)


def test_search_json_offsets_slice_the_matched_text_out_of_the_transcript(study: Path) -> None:
    from workbench.core.project import Project

    with Project.open(study, readonly=True) as project:
        text = project.current_text("S1")[1].text
    found = hits(study, "she OR ward")
    assert found and all(text[h["start"] : h["end"]] == h["text"] for h in found)  # type: ignore[misc]


def test_search_context_sets_the_kwic_words_each_side(study: Path) -> None:
    hit = hits(study, '"same ward"', "--context", "2")[0]
    assert (hit["before"], hit["text"], hit["after"]) == ("on the", "same ward", ", years")


def test_search_without_json_prints_an_aligned_kwic_table_within_80_columns(study: Path) -> None:
    lines = run_cli("search", str(study), "she").splitlines()
    assert lines[-1] == "2 hits in 1 source"
    assert all(len(line) <= 80 for line in lines)
    assert len({line.index(" she ") for line in lines[:-1]}) == 1


def test_search_limit_prints_at_most_n_hits(study: Path) -> None:
    assert len(hits(study, "the", "--limit", "2")) == 2


def test_search_speaker_role_filter(study: Path) -> None:
    assert {h["speaker"] for h in hits(study, "the", "--speaker", "interviewer")} == {"Interviewer"}


def test_search_code_filter_keeps_hits_inside_that_codes_segments(study: Path) -> None:
    run_cli("code", str(study), "S1", "--lines", "5-6", "Shared ward")
    inside = hits(study, "ward OR she", "--code", "Shared ward")
    everywhere = hits(study, "ward OR she")
    assert 0 < len(inside) < len(everywhere)


@pytest.mark.parametrize(
    "args",
    [
        ("",),
        ('"same ward',),
        ("ward(", "--regex"),
        ("ward", "--participant", "P99"),
        ("ward", "--speaker", "Nobody"),
        ("ward", "--code", "No such code"),
        ("ward", "--source", "S42"),
        ("ward", "--regex", "--near", "3"),
    ],
)
def test_bad_search_input_is_one_line_non_zero_and_changes_nothing(
    study: Path, run: Run, args: tuple[str, ...]
) -> None:
    before = tree_digest(study)
    result = run("search", str(study), *args, ok=False)
    assert result.returncode != 0 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert tree_digest(study) == before


def test_search_never_writes(study: Path) -> None:
    before = tree_digest(study)
    run_cli("search", str(study), "ward", "--json")
    run_cli("words", str(study), "--json")
    assert tree_digest(study) == before


def test_autocode_codes_every_hit_as_one_audited_operation(study: Path) -> None:
    events = len(json.loads(run_cli("audit", "list", str(study), "--json")))
    out = json.loads(run_cli("autocode", str(study), "Ward", "--query", "ward", "--json"))
    assert out["coded"] == len(hits(study, "ward")) and out["created"] is True
    after = json.loads(run_cli("audit", "list", str(study), "--json"))
    assert len(after) == events + 1 and after[-1]["action"] == "coding.autocode"
    segments = json.loads(run_cli("segments", str(study), "Ward", "--json"))
    assert [s["text"] for s in segments] == ["ward"] * out["coded"]


def test_one_undo_removes_the_whole_autocode(study: Path) -> None:
    run_cli("autocode", str(study), "Ward", "--query", "ward OR she")
    run_cli("undo", str(study))
    assert invoke("segments", str(study), "Ward", ok=False).code != 0  # the code it created is gone too


def test_autocode_scope_sentence_codes_the_sentence_around_each_hit(study: Path) -> None:
    out = json.loads(
        run_cli("autocode", str(study), "Nights", "--query", "nights", "--scope", "sentence", "--json")
    )
    assert [p["text"] for p in out["passages"]] == [
        "I remember thinking, she knows what the nights are like."
    ]


def test_autocode_twice_adds_nothing_the_second_time(study: Path) -> None:
    run_cli("autocode", str(study), "Ward", "--query", "ward")
    again = json.loads(run_cli("autocode", str(study), "Ward", "--query", "ward", "--json"))
    assert again["coded"] == 0 and again["already_coded"] >= 1


def test_autocode_dry_run_prints_the_passages_and_changes_nothing(study: Path) -> None:
    before = tree_digest(study)
    out = run_cli("autocode", str(study), "Ward", "--query", "ward", "--dry-run")
    assert "would code" in out and "ward" in out
    assert tree_digest(study) == before


def test_autocode_every_turn_of_a_speaker(study: Path) -> None:
    out = json.loads(run_cli("autocode", str(study), "Questions", "--speaker", "interviewer", "--json"))
    assert [p["text"][:8] for p in out["passages"]] == ["Can you ", "What was"]


def test_autocode_bad_input_is_refused_and_changes_nothing(study: Path, run: Run) -> None:
    before = tree_digest(study)
    for args in (
        ("X",),
        ("X", "--query", '"open'),
        ("X", "--query", "ward", "--scope", "page"),
        ("", "--query", "w"),
    ):
        result = run("autocode", str(study), *args, ok=False)
        assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert tree_digest(study) == before


def test_words_json_rows_have_word_count_sources_participants(study: Path) -> None:
    rows = json.loads(run_cli("words", str(study), "--top", "5", "--json"))
    assert len(rows) == 5 and all(list(r) == ["word", "count", "sources", "participants"] for r in rows)
    assert rows == sorted(rows, key=lambda r: -r["count"])


def test_words_leaves_out_stop_words_by_default_and_keeps_them_with_none(study: Path) -> None:
    default = {r["word"] for r in json.loads(run_cli("words", str(study), "--top", "200", "--json"))}
    everything = {
        r["word"]
        for r in json.loads(run_cli("words", str(study), "--top", "500", "--stopwords", "none", "--json"))
    }
    assert "the" not in default and "the" in everything and "ward" in default


def test_words_does_not_count_transcription_notation(study: Path) -> None:
    words = {
        r["word"]
        for r in json.loads(run_cli("words", str(study), "--top", "500", "--stopwords", "none", "--json"))
    }
    assert "laughs" not in words


def test_words_by_participant_adds_the_unit_key(study: Path) -> None:
    rows = json.loads(run_cli("words", str(study), "--by", "participant", "--top", "3", "--json"))
    assert rows and all(r["participant"] == "P01" for r in rows)


def test_words_stopword_file_and_min_length(study: Path, tmp_path: Path) -> None:
    stops = tmp_path / "stops.txt"
    stops.write_text("ward\nnights\n", encoding="utf-8")
    rows = json.loads(run_cli("words", str(study), "--stopwords", str(stops), "--min-length", "5", "--json"))
    words = {r["word"] for r in rows}
    assert "ward" not in words and "nights" not in words and all(len(w) >= 5 for w in words)


def test_redacted_words_are_never_found(study: Path) -> None:
    d = str(study)
    run_cli("names", d, "add", "Honestly", "--replacement", "[word]")
    suggestions = json.loads(run_cli("redact", d, "S1", "--kinds", "name", "--json"))
    accept = ",".join(str(s["n"]) for s in suggestions)
    run_cli("redact", d, "S1", "--kinds", "name", "--accept", accept)
    assert hits(study, "honestly") == [] and hits(study, "honestly", "--regex") == []
    assert [h["text"] for h in hits(study, r"\[word\]", "--regex")] == ["[word]"]


def test_a_withdrawn_participants_words_are_never_found(study: Path) -> None:
    assert hits(study, "ward")
    run_cli("withdraw", str(study), "P01", "--reason", "asked to withdraw", "--json")
    assert hits(study, "ward") == [] and json.loads(run_cli("words", str(study), "--json")) == []
