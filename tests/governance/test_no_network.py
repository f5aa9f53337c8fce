"""GOV-1: the main paths run with socket creation blocked, and nothing tries to connect."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from tests.icr.conftest import cli, make_study

ATTEMPTS: list[str] = []


class _Blocked(socket.socket):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        ATTEMPTS.append(f"socket{args}")
        raise OSError("network access is blocked in this test (GOV-1)")


def _blocked(*args: Any, **kwargs: Any) -> Any:
    ATTEMPTS.append(f"lookup{args}")
    raise OSError("network access is blocked in this test (GOV-1)")


def test_the_main_cli_paths_never_open_a_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ATTEMPTS.clear()
    monkeypatch.setattr(socket, "socket", _Blocked)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, _blocked)
    study = make_study(tmp_path)
    d = str(study)
    cli("code", d, "S1", "--lines", "3", "Shared experience")
    cli("memo", d, "--title", "m", "--body", "a memo", "--link", "S1")
    cli("icr", "round", d, "r", "--coders", "ann,bob", "--sources", "S1")
    cli("icr", "code", d, "r", "S1", "Hope", "--unit", "1", "--coder", "ann")
    cli("icr", "close", d, "r")
    cli("icr", "report", d, "--json")
    cli("redact", d, "S3")
    cli("coreq", d)
    cli("table", d, "gov-identifiability")
    cli("export", d, "archive", "-o", str(tmp_path / "a.zip"))
    cli("export", d, "qdpx", "-o", str(tmp_path / "a.qdpx"))
    cli("export", d, "icr-report", "-o", str(tmp_path / "r.docx"))
    cli("withdraw", d, "P02", "--reason", "asked")
    cli("check", d)
    cli("audit", "verify", d)
    cli("undo", d, ok=False)
    assert ATTEMPTS == []
