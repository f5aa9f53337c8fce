"""The audit chain: append-only, hash-linked, free of participants' words."""

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
        )
        events[audit.event_key(seq)] = event.to_doc()
        prev = event.hash
    return events


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


def test_events_keep_digests_not_words() -> None:
    event = audit.make_event(
        1,
        audit.GENESIS,
        "ann",
        "memo.create",
        "memo:M1",
        None,
        {"memos/M1": {"body": "she said she felt safe", "title": "safety", "id": "M1"}},
    )
    assert "felt safe" not in str(event.to_doc())
    assert str(event.after["memos/M1"]["body"]).startswith("sha256:")
    assert event.after["memos/M1"]["id"] == "M1"
