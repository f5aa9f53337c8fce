"""Corpus search: the query language, exact spans; texts with CRLF, NFD accents, emoji and curly quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project
from workbench.core.retrieval import QueryError
from workbench.core.search.corpus import SearchOptions, search
from workbench.core.search.matching import SearchTimeout
from workbench.core.search.query import parse
from workbench.core.text import decode_transcript

# Written to disk with CRLF line ends and the accents decomposed (NFD), as some Mac and Windows
# tools save them; the emoji sits before the hits so a UTF-16 offset would be off by one.
RAW = (
    "Interviewer: Tell me about your peer worker.\r\n\r\n"
    "Participant: 🙂 She said she’d been on the same ward. The cafe\u0301 on the ward was our place. "
    "I didn’t trust anyone, but I trusted her. “Peer support” was just a phrase before.\r\n\r\n"
    "Interviewer: And hope?\r\n\r\n"
    "Participant: Hope came later. Hoping felt dangerous. She was supportive, never the manager.\r\n"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("search")
    decoded = decode_transcript(RAW.encode("utf-8"), "p01.txt")
    second = "Interviewer: Any hope?\n\nParticipant: Trust and hope, the manager said, peer-support too.\n"
    with Project.create(root / "p", "Search", actor="ann") as p:
        p.add_source(ImportedTranscript(decoded.text), "p01.txt", participant_id="P01", pseudonym="Alex")
        p.add_source(ImportedTranscript(second), "p02.txt", participant_id="P02", pseudonym="Sam")
    return Project.open(root / "p", readonly=True)


def texts(project: Project, query: str, **options: object) -> list[str]:
    result = search(project, query, SearchOptions(**options))  # type: ignore[arg-type]
    return [h.text for h in result.hits]


def test_every_hit_is_an_exact_code_point_span_of_the_current_text(project: Project) -> None:
    for hit in search(project, "ward OR hope OR trust*").hits:
        text = project.current_text(hit.source)[1].text
        assert text[hit.start : hit.end] == hit.text


def test_a_crlf_file_is_searched_in_its_canonical_lf_text(project: Project) -> None:
    hit = search(project, "ward").hits[0]
    text = project.current_text("S1")[1].text
    assert "\r" not in text and text[hit.start : hit.end] == "ward"


def test_an_emoji_before_a_hit_counts_as_one_code_point(project: Project) -> None:
    text = project.current_text("S1")[1].text
    hit = search(project, "she", SearchOptions(sources=("S1",))).hits[0]
    assert hit.start == text.index("🙂") + 2 and hit.text == "She"


def test_a_decomposed_accent_in_the_file_matches_a_composed_query(project: Project) -> None:
    assert texts(project, "café") == ["café"]


def test_ignore_accents_folds_diacritics_and_reports_the_accented_span(project: Project) -> None:
    assert texts(project, "cafe") == []
    assert texts(project, "cafe", ignore_accents=True) == ["café"]


def test_search_is_case_insensitive(project: Project) -> None:
    assert texts(project, "HOPE", sources=("S1",)) == ["hope", "Hope"]


def test_a_straight_apostrophe_matches_a_curly_one(project: Project) -> None:
    assert texts(project, "didn't") == ["didn’t"]


def test_a_phrase_in_curly_quotes_is_a_phrase(project: Project) -> None:
    assert texts(project, "“peer support”") == ["Peer support", "peer-support"]


def test_a_bare_hyphenated_word_is_the_phrase(project: Project) -> None:
    assert texts(project, "peer-support") == ["Peer support", "peer-support"]


def test_words_must_all_occur_in_the_same_turn(project: Project) -> None:
    assert texts(project, "ward hope") == []
    assert texts(project, "trust hope") == ["Trust", "hope"]


def test_or_finds_either(project: Project) -> None:
    assert texts(project, "manager OR cafe", sources=("S1",)) == ["manager"]


def test_an_excluded_word_drops_the_whole_turn(project: Project) -> None:
    assert "Hope" in texts(project, "hope", sources=("S1",))
    assert texts(project, "hope -manager", sources=("S1",)) == ["hope"]


def test_a_prefix_finds_every_word_that_starts_with_it(project: Project) -> None:
    assert texts(project, "trust*") == ["trust", "trusted", "Trust"]


def test_a_word_is_whole_unless_it_is_a_prefix(project: Project) -> None:
    assert texts(project, "trust", sources=("S1",)) == ["trust"]


def test_stemming_matches_inflections_but_not_other_words(project: Project) -> None:
    assert texts(project, "hope", stem=True, sources=("S1",)) == ["hope", "Hope", "Hoping"]
    assert texts(project, "trusting", stem=True) == ["trust", "trusted", "Trust"]


def test_near_keeps_only_terms_within_n_words_as_one_span(project: Project) -> None:
    assert texts(project, "trust hope", near=2) == ["Trust and hope"]
    assert texts(project, "trust hope", near=1) == []
    assert texts(project, "trust manager", near=2) == []


def test_a_regular_expression_finds_its_matches(project: Project) -> None:
    assert texts(project, r"hop(e|ing)", regex=True, sources=("S1",)) == ["hope", "Hope", "Hoping"]


def test_a_speaker_label_is_never_a_hit(project: Project) -> None:
    assert texts(project, "participant OR interviewer") == []


def test_filters_narrow_by_speaker_role_and_participant(project: Project) -> None:
    assert texts(project, "hope", speakers=("interviewer",)) == ["hope", "hope"]
    assert texts(project, "hope", participants=("P02",), speakers=("Participant",)) == ["hope"]


def test_a_hit_carries_line_citation_and_kwic_context(project: Project) -> None:
    hit = search(project, '"same ward"', SearchOptions(context=3)).hits[0]
    assert hit.speaker == "Participant" and hit.turn == 2 and hit.participant == "P01"
    assert hit.citation.startswith("Alex, ") and hit.line >= 1
    assert hit.before == "been on the" and hit.after == ". The café"


def test_limit_keeps_the_first_hits_and_the_total(project: Project) -> None:
    result = search(project, "the", SearchOptions(limit=2))
    assert len(result.hits) == 2 and result.total > 2


def test_hidden_participants_are_not_searched_and_said_so(project: Project) -> None:
    result = search(project, "hope", SearchOptions(hidden={"P01": "bracketing: P02 is the open case"}))
    assert {h.participant for h in result.hits} == {"P02"}
    assert result.notes == ["bracketing: P02 is the open case: P01's transcripts were not searched"]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("", "empty"),
        ('"peer support', "unbalanced quote"),
        ("-hope", "only exclusions"),
        ("hope OR", "OR needs"),
        ("-hope OR trust", "excluded term"),
        ("sup*ort", "'*' may only end"),
        ("!!!", "nothing to search for"),
    ],
)
def test_a_bad_query_is_refused_naming_the_problem(query: str, problem: str) -> None:
    with pytest.raises(QueryError, match=problem):
        parse(query)


def test_an_invalid_regular_expression_is_refused_with_its_column(project: Project) -> None:
    with pytest.raises(QueryError, match=r"invalid regular expression.*column"):
        search(project, "hope(", SearchOptions(regex=True))


def test_a_runaway_regular_expression_is_stopped_by_the_time_limit(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p", "Slow", actor="ann") as p:
        p.add_source(ImportedTranscript("Participant: " + "a" * 5000 + "!\n"), "a.txt", participant_id="P01")
        with pytest.raises(SearchTimeout, match="took longer"):
            search(p, r"(a|aa)+$", SearchOptions(regex=True, timeout=0.2))


def test_unknown_filters_are_refused(project: Project) -> None:
    for options in (
        SearchOptions(sources=("S9",)),
        SearchOptions(participants=("P9",)),
        SearchOptions(speakers=("Bob",)),
        SearchOptions(codes=("Nope",)),
    ):
        with pytest.raises(WorkbenchError):
            search(project, "hope", options)
