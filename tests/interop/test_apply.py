"""From a lenient reader's `Incoming` to the host's strict `Content`: what cannot be imported is left out
and noted, so a foreign file imports instead of being refused as a whole."""

from __future__ import annotations

from wb_interop import apply
from wb_interop import incoming as inc

TEXT = "Participant: we laughed a lot.\n"


def _incoming(**changes: object) -> inc.Incoming:
    result = inc.Incoming(
        title="Other tool",
        participants=[inc.Participant("participant:p", "Kim")],
        codes=[inc.Code("code:joy", "Joy")],
        sources=[inc.Source("source:s", "kim.txt", TEXT, "participant:p")],
    )
    for name, value in changes.items():
        setattr(result, name, value)
    return result


def test_a_reference_to_something_the_file_does_not_hold_is_left_out_and_noted() -> None:
    incoming = _incoming(memos=[inc.Memo("memo:m", "On joy", "", links=["code:joy", "code:gone"])])
    content = apply.to_content(incoming)
    assert content.memos[0].links == ("code:joy",)
    assert any("1 reference(s)" in note for note in incoming.notes)


def test_a_link_whose_end_was_not_imported_is_skipped_with_a_note() -> None:
    incoming = _incoming(links=[inc.Link("link:l", "code:joy", "code:gone", "causes")])
    assert apply.to_content(incoming).links == ()
    assert incoming.notes == ["link 'causes' skipped: one of its ends was not imported"]


def test_a_code_applied_twice_to_one_passage_by_one_coder_is_kept_once() -> None:
    twice = [inc.Coding("code:joy", "ana"), inc.Coding("code:joy", "ana"), inc.Coding("code:joy", "bo")]
    source = inc.Source("source:s", "kim.txt", TEXT, "participant:p", segments=[inc.Segment(13, 20, twice)])
    content = apply.to_content(_incoming(sources=[source]))
    assert [c.coder for c in content.sources[0].segments[0].codings] == ["ana", "bo"]


def test_a_codings_layer_unit_and_comment_become_fields_and_the_rest_its_provenance() -> None:
    extra = {"layer": "consensus", "comment": "agreed", "merged_from": "C4"}
    coding = inc.Coding("code:joy", "ana", extra=extra)
    source = inc.Source(
        "source:s", "kim.txt", TEXT, "participant:p", segments=[inc.Segment(13, 20, [coding])]
    )
    (kept,) = apply.to_content(_incoming(sources=[source])).sources[0].segments[0].codings
    assert (kept.layer, kept.unit, kept.comment, dict(kept.provenance)) == (
        "consensus",
        "character",
        "agreed",
        {"merged_from": "C4"},
    )
