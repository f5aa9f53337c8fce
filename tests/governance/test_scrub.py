"""The scrubber's search of store files: JSON strings are searched, not the quotation marks around them."""

from __future__ import annotations

from workbench.core.governance.scrub import Scrubber

WITHDRAWN = "I waited three weeks before I said a word."
RETAINED = "Interviewer: How did trust develop? It grew slowly."


def scrubber() -> Scrubber:
    return Scrubber([WITHDRAWN], [RETAINED], ["Quentin"])


def test_a_json_key_that_is_a_word_they_said_is_not_a_quote_of_them() -> None:
    event = {"before": None, "after": {"memos/M1": {"title": "hmac:0011"}}}
    assert not scrubber().contains_json(event)
    assert scrubber().contains('{"before": null}')  # read as text, the key looks like a quote


def test_a_quote_inside_a_json_string_is_found() -> None:
    assert scrubber().contains_json({"body": 'She said "before I said" and stopped.'})


def test_their_words_and_names_are_found_anywhere_in_a_json_value() -> None:
    assert scrubber().contains_json([{"text": "then I waited three weeks before I said nothing"}])
    assert scrubber().contains_json({"speaker_participants": {"Quentin": "P02"}})
    assert not scrubber().contains_json({"text": RETAINED})


def test_contains_json_does_not_count_as_scrubbing() -> None:
    found = scrubber()
    assert found.contains_json({"body": "Quentin"}) and found.hits == 0
