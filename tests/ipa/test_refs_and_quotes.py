"""Naming statements/themes by wording, anchoring by quote, and the extract picker (IPA-9a/9b)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.ipa.conftest import Wb


def _two_cases_with_same_wording(study: Path, wb: Wb) -> None:
    d = str(study)
    wb("ipa", "start", d, "P01")
    wb("ipa", "statement", d, "S1", "--quote", "I can see a future now.", "Hope")
    wb("ipa", "start", d, "P02", "--skip-reflexive")
    wb("ipa", "statement", d, "S2", "--quote", "Safe, honestly.", "Hope")


def test_a_statement_can_be_anchored_by_its_exact_words(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    wb("ipa", "statement", str(study), "S1", "--quote", "Like breathing out.", "Relief")
    quote = wb("ipa", "quote", str(study), "--statement", "Relief").out.strip()
    assert quote == '"Like breathing out." (Ann, 1:9)'


def test_a_quote_not_in_the_transcript_is_refused(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    refused = wb(
        "ipa", "note", str(study), "S1", "--quote", "never said", "--type", "D", "--text", "x", ok=False
    )
    assert refused.code == 2 and "not in S1" in refused.err


def test_an_ambiguous_wording_is_refused_with_the_candidates(study: Path, wb: Wb) -> None:
    _two_cases_with_same_wording(study, wb)
    wb("ipa", "pet", str(study), "P02", "Ben's PET")
    refused = wb("ipa", "move", str(study), "Hope", "Ben's PET", ok=False)
    assert (
        "names more than one statement" in refused.err and "(P01)" in refused.err and "(P02)" in refused.err
    )
    wb("ipa", "move", str(study), "P02:Hope", "Ben's PET")


def test_omitted_words_must_lie_inside_the_extract(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    wb("ipa", "statement", str(study), "S1", "--quote", "Like breathing out.", "Relief")
    refused = wb("ipa", "quote", str(study), "--statement", "Relief", "--omit", "hook", ok=False)
    assert "is not inside the extract" in refused.err


def test_extract_picker_counts_the_participants_already_quoted(study: Path, wb: Wb) -> None:
    d = str(study)
    for case, source, words in (("P01", "S1", "I can see a future now."), ("P02", "S2", "Safe, honestly.")):
        wb("ipa", "start", d, case, "--skip-reflexive")
        wb("ipa", "statement", d, source, "--quote", words, f"{case} hope")
        for status in ("noting", "statements", "clustering"):
            wb("ipa", "status", d, case, status)
        wb("ipa", "pet", d, case, f"{case} PET")
        wb("ipa", "move", d, f"{case} hope", f"{case} PET")
        wb("ipa", "status", d, case, "PETs complete")
    get = wb("ipa", "get", d, "Hope").out.strip()
    wb("ipa", "feed", d, "Hope", "P01 PET")
    wb("ipa", "feed", d, "Hope", "P02 PET")
    wb("ipa", "extract", d, get, "--participant", "P02", "--statement", "P02 hope")
    out = wb("table", d, "ipa-extract-picker", "--option", f"get={get}").out
    assert out.splitlines()[0] == "Extracts for Hope: 1 of 2 participants quoted"
    picked = list(
        csv.reader(
            io.StringIO(wb("table", d, "ipa-extract-picker", "--option", f"get={get}", "--format", "csv").out)
        )
    )
    assert [(r[0], r[5]) for r in picked[1:]] == [("Ann", ""), ("Ben", "✓ quoted")]
