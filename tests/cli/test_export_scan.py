"""GOV-7: every export is scanned for identifiers first, and the result goes into its manifest entry."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run


def _manifests(run: Run, study: Path) -> list[dict[str, object]]:
    rows = json.loads(run("show", str(study), "records", "--json").stdout)
    return [r["data"] for r in rows if r["kind"] == "export.manifest"]


def test_a_clean_export_records_a_clean_scan(run: Run, study: Path, tmp_path: Path) -> None:
    run("export", str(study), "codebook", "-o", str(tmp_path / "codebook.csv"))
    (manifest,) = _manifests(run, study)
    assert manifest["identifier_scan"] == {"identifiers": {}, "clean": True}


def test_an_export_holding_an_email_address_is_flagged_in_its_manifest_and_a_warning(
    run: Run, tmp_path: Path
) -> None:
    study = tmp_path / "s"
    transcript = tmp_path / "t.txt"
    transcript.write_text("Participant: you can write to me at jo.bloggs@example.org any time.\n")
    run("new", str(study), "--title", "T", "--method", "gt")
    run("add", str(study), str(transcript))
    run("code", str(study), "S1", "--lines", "1", "Keeping in touch")
    result = run(
        "export",
        str(study),
        "coded-segments",
        "--option",
        "code=Keeping in touch",
        "-o",
        str(tmp_path / "s.csv"),
    )
    assert "possible identifiers" in result.stderr and "email" in result.stderr
    (manifest,) = _manifests(run, study)
    scan = manifest["identifier_scan"]
    assert isinstance(scan, dict) and scan["clean"] is False and scan["identifiers"].get("email") == 1
