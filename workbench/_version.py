"""The workbench's version, in one plain literal that hatch reads (``[tool.hatch.version]``).

A module of its own, below everything else, so that the core (COREQ item 27 names the software) and the
CLI (``--version``, the plugin-command cache key) can read it without importing the `workbench` package
root, which re-exports the CLI's and the TUI's public helpers (docs/architecture-imports.md).
"""

__version__ = "0.1.0"
