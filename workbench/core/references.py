"""Where entities refer to one another, and keeping those references whole when a coding goes.

Memos, records (ICR adjudications and the like), sets and links refer to codings, segments, codes and
other entities as ``"kind:id"`` strings. `workbench check` refuses a reference to nothing, so an
operation that removes a coding (uncoding it, a merge folding a duplicate away) first points whatever
referred to it at its passage (the segment), which it then keeps.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.store.store import Store, Transaction

Doc = dict[str, Any]

REFERRING = (
    ("memos", ("links",)),
    ("records", ("links",)),
    ("sets", ("members",)),
    ("links", ("origin", "target", "evidence")),
)
"""(table, the fields of its documents that hold references)."""


def references(store: Store) -> Iterator[tuple[str, str, Doc, str, list[str]]]:
    """(table, id, document, field, the references in it) of everything that refers to entities."""
    for table, fields in REFERRING:
        for doc_id, doc in store.all(table).items():
            for name in fields:
                value = doc.get(name)
                if isinstance(value, str):
                    yield table, doc_id, doc, name, [value]
                elif isinstance(value, list):
                    yield table, doc_id, doc, name, value


def referenced(store: Store, ref: str) -> bool:
    """Whether anything refers to `ref` (``"segment:G12"``)."""
    return any(ref in refs for *_place, refs in references(store))


def refer_to_passages(store: Store, tx: Transaction, removed: Mapping[str, str]) -> bool:
    """Point what referred to the codings `removed` (coding id -> its segment id) at their segments
    instead, in `tx`; True if anything did (the caller then keeps those segments)."""
    swap = {f"coding:{cid}": f"segment:{sid}" for cid, sid in removed.items()}
    changed: dict[tuple[str, str], Doc] = {}
    for table, doc_id, doc, name, refs in references(store):
        if not any(ref in swap for ref in refs):
            continue
        current = changed.setdefault((table, doc_id), dict(doc))
        moved = list(dict.fromkeys(swap.get(ref, ref) for ref in refs))
        current[name] = moved if isinstance(doc.get(name), list) else moved[0]
    for (table, doc_id), doc in changed.items():
        tx.put(table, doc_id, doc)
    return bool(changed)
