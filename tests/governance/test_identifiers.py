"""GOV-7 detection aids: suggestions only, each with a bracketed replacement (GOV-8)."""

from __future__ import annotations

from pathlib import Path

from workbench.core.governance.identifiers import nhs_number_valid, scan_summary, scan_text


def kinds(text: str, names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in scan_text(text, names)]


def test_nhs_numbers_need_a_valid_modulus_11_check_digit() -> None:
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")
    assert kinds("number 943 476 5919 and 943 476 5918") == [("nhs-number", "943 476 5919")]


def test_postcodes_phones_emails_urls_and_dates_are_suggested() -> None:
    found = kinds("At SW1A 1AA, ring 07700 900123, mail a.b@nhs.net, see www.example.org, born 3 March 1980.")
    assert [k for k, _ in found] == ["postcode", "phone", "email", "url", "date"]


def test_listed_names_and_one_letter_misspellings_are_found_as_whole_words() -> None:
    found = scan_text("Then Sarrah came, and Sarah too. Sarahs? no.", {"Sarah": "[PSW's name]"})
    assert [(s.text, s.replacement) for s in found if s.kind == "name"] == [
        ("Sarrah", "[PSW's name]"),
        ("Sarah", "[PSW's name]"),
        ("Sarahs", "[PSW's name]"),
    ]


def test_unlisted_names_get_numbered_codes() -> None:
    found = scan_text("Ann met Bob", {"Ann": "", "Bob": ""})
    assert [s.replacement for s in found if s.kind == "name"] == ["[NAME-1]", "[NAME-2]"]


def test_capitalised_words_inside_a_sentence_are_a_weak_hint_only() -> None:
    assert kinds("I went to Ashford on Monday.") == [("capitalised", "Ashford")]


def test_the_export_scan_counts_strong_kinds_only() -> None:
    assert scan_summary(["mail x@y.org", "In Ashford"]) == {"email": 1}


def test_the_export_scan_reads_inside_word_files_for_the_manifest(tmp_path: Path) -> None:
    from workbench.core.governance.checks import export_scan
    from workbench.core.project import Project
    from workbench.registry import TableData
    from workbench.tables import write_table

    out = write_table(TableData(("quote",), (("ring 07700 900123",),)), tmp_path / "t.docx")
    with Project.create(tmp_path / "p", "t") as project:
        assert export_scan(project, [out]) == {"identifiers": {"phone": 1}, "clean": False}
