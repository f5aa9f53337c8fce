"""Interoperability plugin: transcript importers, REFI-QDA exchange, thesis exports (under construction)."""

__version__ = "0.1.0"
