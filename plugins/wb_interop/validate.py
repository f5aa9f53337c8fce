"""Checking our own REFI-QDA output against the standard's schemas, vendored in ``schemas/`` (MIT).

The online schema locations named in the files are never fetched: validation uses the local copies, so
it works on a server with no network.
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path
from typing import Any

from workbench import BadInputError

SCHEMAS = Path(__file__).with_name("schemas")


@functools.cache
def schema(name: str) -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMAS / name))


def project_schema() -> Any:
    return schema("Project-mrt2019.xsd")


def codebook_schema() -> Any:
    return schema("Codebook-mrt2019.xsd")


@functools.cache
def _fast(name: str) -> Any:
    """libxml2's validator (through lxml, which python-docx already needs): fast enough for 50,000 codings."""
    from lxml import etree  # type: ignore[import-untyped]

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name), parser))


def check_fast(name: str, data: bytes, where: str) -> None:
    """Validate our own output with libxml2; the message names the first problem."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    xsd = _fast(name)
    if not xsd.validate(etree.fromstring(data, parser)):
        first = xsd.error_log[0]
        raise BadInputError(
            f"the written file does not validate against {name}: {first.message} (line {first.line})", where
        )


def _check(xsd: Any, data: bytes, where: str) -> None:
    import xml.etree.ElementTree as ET

    errors = list(xsd.iter_errors(ET.fromstring(data)))
    if errors:
        first = errors[0]
        raise BadInputError(
            f"the written file does not validate against {Path(xsd.url or '').name}: {first.reason} "
            f"at {first.path} ({len(errors)} problem(s))",
            where,
        )


def validate_qdc(data: bytes, where: str) -> None:
    """Check a written codebook against the Codebook schema (libxml2)."""
    check_fast("Codebook-mrt2019.xsd", data, where)


def validate_qdpx(path: Path) -> None:
    """Check a written project's project.qde against the Project schema (libxml2)."""
    with zipfile.ZipFile(path) as archive:
        check_fast("Project-mrt2019.xsd", archive.read("project.qde"), str(path))


def validate_with_xmlschema(xsd: Any, data: bytes, where: str) -> None:
    """The same check with the pure-Python xmlschema library (the tests use both validators)."""
    _check(xsd, data, where)
