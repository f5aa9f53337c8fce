"""The project's language, as `workbench.core.language` defines it (moved there, issue 21).

Kept so that code importing it from here (the terminal workbench's search and transcript screens and
its find line) keeps working; new code imports `workbench.core.language`.
"""

from __future__ import annotations

from workbench.core.language import (
    DEFAULT_LANGUAGE,
    check_language,
    language_of,
    languages,
    stemmer,
    stop_words,
)

__all__ = ["DEFAULT_LANGUAGE", "check_language", "language_of", "languages", "stemmer", "stop_words"]
