"""Opening a comparison reads no participant's words; quotes are read when shown or scored, and then the
same as if they had been read at open (the open-in-one-second budget of issue 8)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from rapidfuzz import fuzz, utils
from wb_compare import heap
from wb_compare.inventory import Concept
from wb_compare.suggest import MAX_WORDS, QUOTES_USED, WEIGHTS, suggest
from wb_compare.workspace import Comparison, create_or_open

from tests.compare.conftest import Cli
from workbench import ImportedTranscript, NotFoundError, Project, detect_turns


@pytest.fixture
def comparison(workspace: Path) -> Iterator[Comparison]:
    with Project.open(workspace, readonly=True) as project, Comparison(project) as opened:
        yield opened


def _all(comparison: Comparison) -> list[Concept]:
    return [c for side in ("A", "B") for c in comparison.inventory(side).concepts.values()]


def test_building_both_inventories_reads_no_quotes(comparison: Comparison) -> None:
    concepts = _all(comparison)
    assert len(concepts) > 10 and all(c.n >= 0 and c.label for c in concepts)
    assert [c.id for c in concepts if c.exemplars.read(c.id)] == []


def test_a_concepts_quotes_are_read_when_it_is_shown(comparison: Comparison) -> None:
    concept = comparison.concept("The product of disclosure")
    quotes = concept.quotes
    assert len(quotes) == 5 and all(q.text and q.citation for q in quotes)
    assert concept.exemplars.read(concept.id) == 5
    assert concept.quotes == quotes  # read once, then kept


def test_the_shown_quotes_appear_in_compare_show(workspace: Path, cli: Cli) -> None:
    out = cli("compare", "show", str(workspace), "Safety through shared experience")[1]
    assert "I could put it down in front of someone and they wouldn't drop it" in out
    assert "(Helen, 2:41–42)" in out


def test_quotes_read_in_part_first_are_the_same_as_read_in_full(workspace: Path) -> None:
    with Project.open(workspace, readonly=True) as project:
        with Comparison(project) as first:
            full = {c.id: c.quotes for c in _all(first)}
        with Comparison(project) as second:
            concepts = _all(second)
            assert {c.id: c.first_quotes(2) for c in concepts} == {k: q[:2] for k, q in full.items()}
            assert {c.id: c.quotes for c in concepts} == full


def test_suggestions_read_at_most_the_quotes_they_score(comparison: Comparison) -> None:
    assert suggest(comparison, limit=5)
    read = {c.id: c.exemplars.read(c.id) for c in _all(comparison)}
    assert max(read.values()) == QUOTES_USED


def test_changing_the_levels_shown_keeps_the_concepts_and_quotes_already_read(workspace: Path) -> None:
    with Project.open(workspace) as project, Comparison(project) as comparison:
        concept = comparison.concept("B:record:R49")
        quotes = concept.quotes
        comparison.set_levels("B", ["get", "pet"])
        assert comparison.concept("B:record:R49") is concept
        assert quotes and concept.exemplars.read(concept.id) == len(quotes)
        assert {c.level for c in comparison.inventory("B").shown()} == {"get", "pet"}


def _reference(comparison: Comparison, minimum: float) -> list[tuple[str, str, float]]:
    """Every shown pair scored in full, the way the suggestion score is defined (suggest's docstring)."""

    def norm(text: str, words: bool) -> str:
        clean = utils.default_process(text)
        return " ".join(sorted(set(clean.split()))[:MAX_WORDS]) if words else clean

    def ratio(x: str, y: str) -> float:
        return float(fuzz.token_set_ratio(x, y, processor=None, score_cutoff=1))

    out = []
    for a in comparison.inventory("A").shown():
        for b in comparison.inventory("B").shown():
            total, weight = (
                WEIGHTS["label"] * ratio(norm(a.label, False), norm(b.label, False)),
                WEIGHTS["label"],
            )
            da, db = norm(a.definition, True), norm(b.definition, True)
            if da and db:
                total, weight = total + WEIGHTS["definition"] * ratio(da, db), weight + WEIGHTS["definition"]
            qa = norm(" ".join(q.text for q in a.quotes[:QUOTES_USED]), True)
            qb = norm(" ".join(q.text for q in b.quotes[:QUOTES_USED]), True)
            if qa and qb:
                total, weight = total + WEIGHTS["quotes"] * ratio(qa, qb), weight + WEIGHTS["quotes"]
            if total / weight >= minimum:
                out.append((a.id, b.id, total / weight))
    return out


@pytest.mark.parametrize("minimum", [0.0, 40.0])
def test_suggestions_equal_scoring_every_pair_in_full(workspace: Path, minimum: float) -> None:
    with Project.open(workspace, readonly=True) as project:
        with Comparison(project) as fresh:
            found = [(s.a, s.b, s.score) for s in suggest(fresh, limit=12, minimum=minimum)]
        with Comparison(project) as full:
            expected = _reference(full, minimum)
    expected.sort(key=lambda item: -item[2])  # stable: ties stay in A then B order, as suggest breaks them
    assert [(a, b) for a, b, _s in found] == [(a, b) for a, b, _s in expected[:12]]
    assert [s for _a, _b, s in found] == pytest.approx([s for _a, _b, s in expected[:12]])


def _study(path: Path, lines: dict[str, str]) -> Path:
    """A GT study with one transcript: one participant turn per code, coded with that code."""
    text = "".join(f"Interviewer: And then?\n\nParticipant: {said}\n\n" for said in lines.values())
    with Project.create(path, f"study {path.name}", "gt") as project:
        transcript = ImportedTranscript(text=text, encoding="utf-8", warnings=(), turns=detect_turns(text))
        source = project.add_source(transcript, "t.txt", participant_id="P01", pseudonym="Sam")
        for label, said in lines.items():
            start = text.index(said)
            project.create_code(label)
            project.code(source, start, start + len(said), label)
    return path


def test_suggestions_rank_a_pair_with_like_quotes_above_one_with_a_like_label_only(tmp_path: Path) -> None:
    said = "She had been there too, and that made it safe to talk about the ward."
    a = _study(tmp_path / "a", {"Safety": said})
    b = _study(
        tmp_path / "b",
        {
            "Safety at home": "The kettle was broken again on Tuesday morning.",
            "Safety at work": "She had been there too, so it felt safe to talk about the ward.",
        },
    )
    workspace, _created, _cleaned = create_or_open(a, b, tmp_path / "ws")
    with Project.open(workspace, readonly=True) as project, Comparison(project) as comparison:
        found = suggest(comparison, minimum=0)
    assert [s.b_label for s in found] == ["Safety at work", "Safety at home"]
    assert found[0].label == found[1].label == 100
    assert found[0].quotes is not None and found[1].quotes is not None and found[0].quotes > found[1].quotes


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Start with nothing frozen (the TUI's tests may have frozen their heap); restore that after."""
    frozen = gc.get_freeze_count() > 0
    gc.unfreeze()
    yield
    if frozen:
        gc.freeze()


def test_closing_the_last_comparison_lets_the_collector_scan_the_studies_again(
    workspace: Path, unfrozen: None
) -> None:
    assert heap.holders() == 0
    with Project.open(workspace, readonly=True) as project:
        with Comparison(project), Comparison(project):
            assert heap.holders() == 2 and gc.get_freeze_count() > 0
        assert heap.holders() == 0 and gc.get_freeze_count() == 0


def test_a_host_that_froze_its_data_keeps_it_frozen_and_the_closed_studies_are_freed(
    workspace: Path, unfrozen: None
) -> None:
    gc.freeze()  # as the TUI does with its open project
    with Project.open(workspace, readonly=True) as project:
        with Comparison(project) as comparison:
            studies = [weakref.ref(study) for study in comparison.sources.values()]
            assert all(ref() is not None for ref in studies)
        assert heap.holders() == 0 and gc.get_freeze_count() > 0
        assert [ref() for ref in studies] == [None, None]


def test_a_comparison_that_fails_to_open_holds_nothing(
    tmp_path: Path, demos: tuple[Path, Path], unfrozen: None
) -> None:
    a = tmp_path / "gone"
    _study(a, {"Safety": "It was safe."})
    workspace, _created, _cleaned = create_or_open(a, demos[1], tmp_path / "ws")
    (a / "project.json").unlink()
    with Project.open(workspace, readonly=True) as project, pytest.raises(NotFoundError):
        Comparison(project)
    assert heap.holders() == 0 and gc.get_freeze_count() == 0
