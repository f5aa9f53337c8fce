"""Boolean code queries: parsing (with positions in errors) and segment-level semantics."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.model import ImportedTranscript
from workbench.core.project import CodedSegment, Project
from workbench.core.retrieval import (
    And,
    Code,
    Not,
    Or,
    QueryError,
    code_terms,
    parse,
    participants_of,
    quote_label,
    retrieve,
)

TEXT = (
    "Interviewer: How was it at first?\n\n"
    "Participant: I was hopeful at first, then I stopped trusting anyone. Later the worker earned "
    "my trust and hope came back slowly.\n"
)


def _span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


H1 = _span("I was hopeful at first")
DISTRUST = _span(", then I stopped trusting anyone")  # starts exactly where H1 ends: touching, no overlap
T2 = _span("the worker earned my trust and hope came back")
H2 = _span("hope came back slowly")  # overlaps T2 by "hope came back"


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    p = Project.create(tmp_path / "study", "Hope and trust", "gt", actor="ann")
    p.add_source(ImportedTranscript(TEXT), "alex.txt", participant_id="P01", pseudonym="Alex")
    p.add_source(ImportedTranscript(TEXT), "jas.txt", participant_id="P10", pseudonym="Jas")
    p.add_source(ImportedTranscript(TEXT), "kim.txt", participant_id="P2", pseudonym="Kim")
    # S1 (Alex): hope twice, trust overlapping the second hope, distrust touching the first.
    p.code("S1", *H2, "Holding hope")
    p.code("S1", *H1, "Holding hope")
    p.code("S1", *T2, "Testing trust")
    p.code("S1", *DISTRUST, "Distrust")
    # S2 (Jas): only the second hope; the trust span in S1 has the same offsets but another transcript.
    p.code("S2", *H2, "Holding hope")
    # S3 (Kim): hope coded by two coders on one segment, and trust.
    p.code("S3", *H2, "Holding hope")
    p.code("S3", *H2, "Holding hope", coder="bob")
    p.code("S3", *T2, "Testing trust")
    yield p
    p.close()


def _where(hits: list[CodedSegment]) -> list[tuple[str, str, str, str]]:
    return [(h.source, h.code, h.text, h.coder) for h in hits]


# -- parsing -------------------------------------------------------------------------------------------
def test_not_binds_tighter_than_and_which_binds_tighter_than_or() -> None:
    node = parse("A OR B AND NOT C")
    assert node == Or(Code("A", 0), And(Code("B", 5), Not(Code("C", 15), 11), 7), 2)


def test_keywords_are_case_insensitive() -> None:
    assert parse("a and not b") == parse("a AND NOT b") == parse("a And Not b")


def test_parentheses_override_precedence() -> None:
    node = parse("(A OR B) AND C")
    assert isinstance(node, And) and isinstance(node.left, Or)


def test_quoted_labels_may_hold_spaces_keywords_parentheses_and_escaped_quotes() -> None:
    node = parse(r'"Hope (and) trust" OR "say \"no\"" OR "back\\slash"')
    assert [c.name for c in code_terms(node)] == ["Hope (and) trust", 'say "no"', "back\\slash"]


def test_bare_words_in_a_row_read_as_one_label() -> None:
    node = parse("Holding hope AND NOT Testing   trust")
    assert [c.name for c in code_terms(node)] == ["Holding hope", "Testing trust"]


def test_quoting_any_label_parses_back_to_exactly_that_label() -> None:
    for label in ['He said "no"', "and", "a\\b", "(x)", "NOT this", "  spaced"]:
        (term,) = code_terms(parse(quote_label(label)))
        assert term.name == " ".join(label.split())


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("", "empty", 0),
        ("   ", "empty", 0),
        ('"Holding hope', "unclosed quote", 0),
        ('A AND ""', "empty code label", 6),
        ("A AND", "expected a code", 5),
        ("(A OR B", "never closed", 0),
        ("A OR B)", "unmatched", 6),
        ('"A" "B"', "expected AND or OR", 4),
        ("A AND OR B", "expected a code", 6),
        ("NOT", "expected a code", 3),
        ("()", "expected a code", 1),
    ],
)
def test_parse_errors_name_the_problem_and_its_position(query: str, message: str, position: int) -> None:
    with pytest.raises(QueryError, match=message) as caught:
        parse(query)
    assert caught.value.position == position
    assert f"column {position + 1}" in str(caught.value)
    assert isinstance(caught.value, BadInputError)


# -- evaluation ----------------------------------------------------------------------------------------
def test_one_code_gives_all_its_codings_sorted_by_participant_source_and_start(project: Project) -> None:
    hits = retrieve(project, '"Holding hope"')
    # P01 < P2 < P10 (natural order), and within S1 the earlier segment first although coded later.
    assert [(h.participant, h.source, h.start) for h in hits] == [
        ("P01", "S1", H1[0]),
        ("P01", "S1", H2[0]),
        ("P2", "S3", H2[0]),
        ("P2", "S3", H2[0]),
        ("P10", "S2", H2[0]),
    ]
    assert {h.coder for h in hits if h.source == "S3"} == {"ann", "bob"}


def test_codes_resolve_by_id_and_case_insensitive_label(project: Project) -> None:
    code_id = project.code_by_label("Holding hope")["id"]
    assert _where(retrieve(project, code_id)) == _where(retrieve(project, "holding HOPE"))


def test_and_keeps_segments_of_both_codes_that_overlap_in_the_same_transcript(project: Project) -> None:
    hits = retrieve(project, '"Holding hope" AND "Testing trust"')
    assert _where(hits) == [
        ("S1", "Testing trust", TEXT[slice(*T2)], "ann"),
        ("S1", "Holding hope", TEXT[slice(*H2)], "ann"),
        ("S3", "Testing trust", TEXT[slice(*T2)], "ann"),
        ("S3", "Holding hope", TEXT[slice(*H2)], "ann"),
        ("S3", "Holding hope", TEXT[slice(*H2)], "bob"),
    ]
    # Jas (S2) has hope at the same offsets as Alex's trust, but in another transcript: not a match.
    assert "S2" not in {h.source for h in hits}


def test_and_is_symmetric(project: Project) -> None:
    one = retrieve(project, '"Holding hope" AND "Testing trust"')
    other = retrieve(project, '"Testing trust" AND "Holding hope"')
    assert [h.coding_id for h in one] == [h.coding_id for h in other]


def test_segments_that_only_touch_do_not_overlap(project: Project) -> None:
    assert retrieve(project, '"Holding hope" AND Distrust') == []


def test_and_not_keeps_segments_overlapping_none_of_the_other_code(project: Project) -> None:
    hits = retrieve(project, '"Holding hope" AND NOT "Testing trust"')
    assert [(h.source, h.start) for h in hits] == [("S1", H1[0]), ("S2", H2[0])]
    assert {h.code for h in hits} == {"Holding hope"}


def test_not_may_come_first_in_a_conjunction(project: Project) -> None:
    assert _where(retrieve(project, 'NOT "Testing trust" AND "Holding hope"')) == _where(
        retrieve(project, '"Holding hope" AND NOT "Testing trust"')
    )


def test_two_negations_exclude_segments_overlapping_either(project: Project) -> None:
    hits = retrieve(project, '"Holding hope" AND NOT "Testing trust" AND NOT Distrust')
    assert [(h.source, h.start) for h in hits] == [("S1", H1[0]), ("S2", H2[0])]
    hits = retrieve(project, 'Distrust AND NOT ("Testing trust" OR "Holding hope")')
    assert [h.code for h in hits] == ["Distrust"]


def test_double_negation_is_the_code_itself(project: Project) -> None:
    assert _where(retrieve(project, "NOT NOT Distrust")) == _where(retrieve(project, "Distrust"))


def test_or_is_the_union_without_duplicates(project: Project) -> None:
    hits = retrieve(project, '"Holding hope" OR Distrust OR "Holding hope"')
    assert len(hits) == 6
    assert len({h.coding_id for h in hits}) == 6


def test_a_code_and_itself_is_the_code(project: Project) -> None:
    assert _where(retrieve(project, "Distrust AND Distrust")) == _where(retrieve(project, "Distrust"))


def test_parenthesised_combinations(project: Project) -> None:
    hits = retrieve(project, '(Distrust OR "Testing trust") AND "Holding hope"')
    assert {h.code for h in hits} == {"Testing trust", "Holding hope"}
    assert {h.source for h in hits} == {"S1", "S3"}


@pytest.mark.parametrize("query", ["NOT Distrust", 'Distrust OR NOT "Holding hope"', "NOT (A OR B)"])
def test_queries_without_a_positive_code_are_refused_with_the_reason(project: Project, query: str) -> None:
    project.create_code("A")
    project.create_code("B")
    with pytest.raises(QueryError, match="NOT"):
        retrieve(project, query)


def test_an_unknown_code_is_not_found_with_its_column(project: Project) -> None:
    with pytest.raises(NotFoundError, match=r"no code 'Holding hope Testing trust' \(column 1\)"):
        retrieve(project, "Holding hope Testing trust")


def test_a_merged_code_can_still_be_retrieved_by_id_and_has_no_codings_left(project: Project) -> None:
    old_id = project.code_by_label("Distrust")["id"]
    project.merge_codes(["Distrust"], "Wariness")
    assert retrieve(project, old_id) == []
    assert [h.code for h in retrieve(project, "Wariness")] == ["Wariness"]


def test_extracts_and_context_are_passed_through(project: Project) -> None:
    (hit,) = retrieve(project, "Distrust", extracts=True, context_lines=1)
    assert "I was hopeful" in hit.extract
    assert retrieve(project, "Distrust")[0].extract == ""


def test_segments_follow_a_corrected_transcript(project: Project) -> None:
    corrected = TEXT.replace("How was it at first?", "How was it, at the very first?")
    project.correct_source("S1", ImportedTranscript(corrected))
    hits = retrieve(project, '"Holding hope" AND "Testing trust"')
    assert {h.source for h in hits} == {"S1", "S3"}


def test_participants_of_groups_hits_in_order(project: Project) -> None:
    hits = retrieve(project, '"Holding hope"')
    assert participants_of(hits) == [("P01", "Alex", 2), ("P2", "Kim", 2), ("P10", "Jas", 1)]
