"""Grounded-theory method plugin (under construction)."""

__version__ = "0.1.0"
