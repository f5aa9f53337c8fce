"""Identifier detection aids (GOV-7): suggestions a researcher confirms one by one, never automatic edits.

Detectors, each a `Suggestion` with the span, the kind and a bracketed replacement (GOV-8):

* ``name`` — entries of the project's private name list, exactly or misspelt by one letter (UKDS: "so
  ... misspelt words are not missed"), matched as whole words;
* ``nhs-number`` — ten digits, optionally 3-3-4 spaced or hyphenated, whose Modulus 11 check digit is
  valid (so ordinary long numbers are not flagged);
* ``postcode`` — UK postcodes (outward and inward code);
* ``phone`` — UK phone numbers (0…, +44…) of 10-11 digits;
* ``email``, ``url``;
* ``date`` — day-month-year dates (dates of birth, admission dates) in numeric or written form;
* ``capitalised`` — a capitalised word inside a sentence that is not a common word: the weakest hint,
  for names and places not yet on the list.

`scan_text` is also what runs over an export before it leaves the project (GOV-7/GOV-2b): its counts go
into the export manifest.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

KINDS = ("name", "nhs-number", "postcode", "phone", "email", "url", "date", "capitalised")
DEFAULT_REPLACEMENT = {
    "nhs-number": "[NHS number]",
    "postcode": "[postcode]",
    "phone": "[phone number]",
    "email": "[email address]",
    "url": "[web address]",
    "date": "[date]",
    "capitalised": "[name]",
}

_NHS = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ'’-]+")
_COMMON = frozenset(
    [
        "i",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "a",
        "an",
        "and",
        "the",
        "but",
        "so",
        "or",
        "if",
        "then",
        "when",
        "what",
        "where",
        "who",
        "why",
        "how",
        "yes",
        "no",
        "ok",
        "okay",
        "well",
        "oh",
        "um",
        "uh",
        "er",
        "erm",
        "yeah",
        "she",
        "he",
        "they",
        "we",
        "you",
        "it",
        "this",
        "that",
        "there",
        "here",
        "my",
        "her",
        "his",
        "their",
        "our",
        "your",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "nhs",
        "gp",
        "a&e",
        "mr",
        "mrs",
        "ms",
        "dr",
        "christmas",
        "easter",
        "god",
        "english",
        "interviewer",
        "participant",
    ]
)


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    kind: str
    text: str
    replacement: str
    note: str = ""


def nhs_number_valid(digits: str) -> bool:
    """Modulus 11: weights 10..2 on the first nine digits; check = 11 − (sum mod 11), 11→0, 10 invalid."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _one_edit(a: str, b: str) -> bool:
    """True when `a` and `b` differ by one insertion, deletion or substitution (case-insensitive)."""
    a, b = a.casefold(), b.casefold()
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _names(text: str, name_list: Mapping[str, str]) -> list[Suggestion]:
    out: list[Suggestion] = []
    codes: dict[str, str] = {}
    for number, (name, replacement) in enumerate(sorted(name_list.items()), start=1):
        codes[name] = replacement or f"[NAME-{number}]"
    for name, replacement in codes.items():
        parts = name.split()
        exact = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(p) for p in parts) + r"(?!\w)", re.IGNORECASE)
        for m in exact.finditer(text):
            out.append(Suggestion(m.start(), m.end(), "name", m.group(), replacement, "on the name list"))
        if len(parts) == 1 and len(name) >= 4:
            for m in _WORD.finditer(text):
                word = m.group()
                if word.casefold() != name.casefold() and word[:1].isupper() and _one_edit(word, name):
                    out.append(
                        Suggestion(
                            m.start(), m.end(), "name", word, replacement, f"possible misspelling of {name}"
                        )
                    )
    return out


def _capitalised(text: str, taken: list[tuple[int, int]]) -> list[Suggestion]:
    out: list[Suggestion] = []
    for m in _WORD.finditer(text):
        word = m.group().strip("'’-")
        if len(word) < 3 or not word[0].isupper() or word.isupper() or word.casefold() in _COMMON:
            continue
        before = text[: m.start()].rstrip(" \t")
        if not before or before[-1] in '.!?:\n"“(':  # a sentence or turn starts with a capital anyway
            continue
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        out.append(Suggestion(m.start(), m.end(), "capitalised", m.group(), "[name]", "capitalised word"))
    return out


def scan_text(
    text: str, name_list: Mapping[str, str] | None = None, *, kinds: tuple[str, ...] = KINDS
) -> list[Suggestion]:
    """Every suggestion in `text`, in text order, overlapping ones resolved in favour of the stronger kind."""
    found: list[Suggestion] = []
    if "name" in kinds and name_list:
        found += _names(text, name_list)
    if "nhs-number" in kinds:
        for m in _NHS.finditer(text):
            if nhs_number_valid("".join(m.groups())):
                found.append(
                    Suggestion(m.start(), m.end(), "nhs-number", m.group(), DEFAULT_REPLACEMENT["nhs-number"])
                )
    for kind, pattern in (
        ("email", _EMAIL),
        ("url", _URL),
        ("postcode", _POSTCODE),
        ("date", _DATE),
        ("phone", _PHONE),
    ):
        if kind in kinds:
            for m in pattern.finditer(text):
                found.append(Suggestion(m.start(), m.end(), kind, m.group(), DEFAULT_REPLACEMENT[kind]))
    strength = {kind: rank for rank, kind in enumerate(KINDS)}
    chosen: list[Suggestion] = []
    for s in sorted(found, key=lambda s: (strength[s.kind], s.start, -(s.end - s.start))):
        if not any(c.start < s.end and s.start < c.end for c in chosen):
            chosen.append(s)
    if "capitalised" in kinds:
        chosen += _capitalised(text, [(c.start, c.end) for c in chosen])
    return sorted(chosen, key=lambda s: (s.start, s.end))


def scan_summary(texts: list[str], name_list: Mapping[str, str] | None = None) -> dict[str, int]:
    """Counts per kind over several texts (what an export manifest records), the weak hint left out."""
    counts: Counter[str] = Counter()
    strong = tuple(k for k in KINDS if k != "capitalised")
    for text in texts:
        counts.update(s.kind for s in scan_text(text, name_list, kinds=strong))
    return dict(sorted(counts.items()))
