"""The audit chain: append-only, hash-linked, free of words, digests keyed by salts kept apart."""

from __future__ import annotations

from workbench.core import audit


def _chain(n: int) -> dict[str, dict[str, object]]:
    events: dict[str, dict[str, object]] = {}
    prev = audit.GENESIS
    for seq in range(1, n + 1):
        event = audit.make_event(
            seq,
            prev,
            "ann",
            "coding.add",
            f"coding:K{seq}",
            None,
            {"codings/K1": {"label": "hope", "start": 3}},
            salt=audit.new_salt(),
        )
        events[audit.event_key(seq)] = event.to_doc()
        prev = event.hash
    return events


def _memo_event(salt: str | None) -> audit.AuditEvent:
    return audit.make_event(
        1,
        audit.GENESIS,
        "ann",
        "memo.create",
        "memo:M1",
        None,
        {"memos/M1": {"body": "she said she felt safe", "title": "Amira", "id": "M1"}},
        salt=salt,
    )


def test_an_intact_chain_verifies() -> None:
    assert audit.verify(_chain(5)) == (5, None)


def test_an_altered_event_is_named() -> None:
    events = _chain(5)
    events[audit.event_key(3)]["actor"] = "mallory"
    count, broken = audit.verify(events)
    assert count == 2
    assert broken is not None and broken.startswith("event 3")


def test_a_deleted_event_is_named() -> None:
    events = _chain(5)
    del events[audit.event_key(2)]
    assert audit.verify(events)[1] is not None


def test_events_keep_keyed_digests_not_words() -> None:
    event = _memo_event(audit.new_salt())
    assert "felt safe" not in str(event.to_doc())
    assert str(event.after["memos/M1"]["body"]).startswith("hmac:")
    assert event.after["memos/M1"]["id"] == "M1"


def test_the_same_value_gets_a_different_digest_in_each_event() -> None:
    first, second = _memo_event(audit.new_salt()), _memo_event(audit.new_salt())
    assert first.after["memos/M1"]["title"] != second.after["memos/M1"]["title"]


def test_the_salt_is_not_in_the_event_but_in_a_row_beside_it() -> None:
    event = _memo_event(audit.new_salt())
    assert event.salt is not None and event.salt not in str(event.to_doc())
    rows = audit.store_rows(event)
    assert rows == [
        (audit.AUDIT_TABLE, "000000001", event.to_doc()),
        (audit.SALT_TABLE, "000000001", {"salt": event.salt}),
    ]


def test_without_the_salt_a_guess_cannot_be_tested_against_the_digest() -> None:
    event = _memo_event(audit.new_salt())
    recorded = event.after["memos/M1"]["title"]
    assert audit.digest("Amira", event.salt) == recorded
    assert recorded not in {audit.digest("Amira"), audit.digest("Amira", audit.new_salt())}


def test_the_digest_scheme_is_chained_so_it_cannot_be_swapped_unseen() -> None:
    doc = _memo_event(audit.new_salt()).to_doc()
    assert doc["digests"] == audit.SCHEME and audit.verify({"000000001": doc}) == (1, None)
    doc.pop("digests")
    assert audit.verify({"000000001": doc})[1] == "event 1: content does not match its hash (altered)"


def test_legacy_events_keep_unsalted_digests_and_no_scheme_field() -> None:
    event = _memo_event(None)
    doc = event.to_doc()
    assert "digests" not in doc and doc["after"]["memos/M1"]["title"] == audit.digest("Amira")
    assert audit.store_rows(event) == [(audit.AUDIT_TABLE, "000000001", doc)]


def test_salted_events_also_digest_speaker_maps_that_legacy_events_kept_in_clear() -> None:
    source = {"id": "S1", "speaker_participants": {"Amira": "P02"}}
    assert "Amira" in str(audit.redact(source))
    assert "Amira" not in str(audit.redact(source, audit.new_salt()))


def test_a_document_matches_its_image_under_its_own_scheme() -> None:
    doc = {"body": "she said she felt safe", "title": "Amira", "id": "M1"}
    salt = audit.new_salt()
    salted, legacy = _memo_event(salt).to_doc(), _memo_event(None).to_doc()
    assert audit.matches(salted["after"]["memos/M1"], doc, salted, salt)
    assert not audit.matches(salted["after"]["memos/M1"], {**doc, "title": "Ben"}, salted, salt)
    assert audit.matches(legacy["after"]["memos/M1"], doc, legacy, None)


def test_without_its_salt_an_image_vouches_only_for_the_fields_without_words() -> None:
    doc = {"body": "she said she felt safe", "title": "Amira", "id": "M1"}
    event = _memo_event(audit.new_salt()).to_doc()
    image = event["after"]["memos/M1"]
    assert audit.matches(image, {**doc, "title": "anything"}, event, None)
    assert not audit.matches(image, {**doc, "id": "M2"}, event, None)


def test_salt_of_reads_the_salt_row_of_the_event() -> None:
    event = _memo_event(audit.new_salt())
    salts = {key: doc for table, key, doc in audit.store_rows(event) if table == audit.SALT_TABLE}
    assert audit.salt_of(event.to_doc(), salts) == event.salt
    assert audit.salt_of(event.to_doc(), {}) is None


def test_word_digests_lists_every_digest_by_its_place() -> None:
    image = audit.redact({"title": "Amira", "links": ["memo:M2"], "data": {"x": 1}}, audit.new_salt())
    assert set(audit.word_digests(image)) == {("title",), ("data",)}
