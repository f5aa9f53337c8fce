"""Parsing XML that someone else wrote: defusedxml, with DTDs, entities and external references forbidden.

REFI-QDA files come from other programs and other people. An XML document type declaration is the door
for external entities (reading a file off the server into the project) and entity expansion ("billion
laughs"); no REFI-QDA writer needs one, so any DTD is refused outright with a clear message.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

from workbench import BadInputError


def parse(data: bytes, where: str) -> ET.Element:
    """The root element of `data`, or `BadInputError` for unsafe or malformed XML."""
    try:
        root: ET.Element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadInputError(
            f"the XML declares a DTD or entities ({type(exc).__name__}); refusing it as unsafe", where
        ) from None
    except ET.ParseError as exc:
        raise BadInputError(f"not well-formed XML ({exc})", where) from None
    return root


def local(tag: str) -> str:
    """An element's name without its namespace: ``{urn:QDA-XML:project:1.0}Code`` -> ``Code``."""
    return tag.rsplit("}", 1)[-1]
