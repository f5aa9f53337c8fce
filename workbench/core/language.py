"""The project's language: which stemmer `--stem` uses and which stop words `words` leaves out.

Both come from maintained packages rather than hand-typed lists: Snowball stemmers (snowballstemmer,
which uses PyStemmer's C code when it is installed) and the stop-words package's lists. The language
is a project setting (`workbench settings DIR --language german`), English by default, because a
study's transcripts share one language.

Under the core itself rather than in `workbench.core.search`, which builds on it: the project checks the
setting (`Project.change_settings`), and the search toolkit works on a project, so the core's packages
import each other in one direction only (docs/architecture-imports.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from workbench.core.errors import BadInputError

__all__ = ["DEFAULT_LANGUAGE", "check_language", "language_of", "languages", "stemmer", "stop_words"]

DEFAULT_LANGUAGE = "english"


def languages() -> list[str]:
    """Languages with a Snowball stemmer (the stop-word lists cover most of them)."""
    import snowballstemmer

    return sorted(a for a in snowballstemmer.algorithms() if a not in ("porter", "dutch_porter"))


def check_language(language: str) -> str:
    name = language.strip().lower()
    if name not in languages():
        raise BadInputError(
            f"unknown language {language!r}; choose one of: {', '.join(languages())}", "--language"
        )
    return name


def language_of(meta: dict[str, object]) -> str:
    return str(meta.get("language") or DEFAULT_LANGUAGE)


@lru_cache(maxsize=8)
def stemmer(language: str) -> Callable[[str], str]:
    """A cached word → stem function (lower-cased words in, stems out)."""
    import snowballstemmer

    algorithm = snowballstemmer.stemmer(check_language(language))
    cache: dict[str, str] = {}

    def stem(word: str) -> str:
        found = cache.get(word)
        if found is None:
            found = cache[word] = algorithm.stemWord(word)
        return found

    return stem


@lru_cache(maxsize=8)
def _package_list(language: str) -> frozenset[str]:
    from stop_words import StopWordError, get_stop_words

    try:
        return frozenset(w.casefold() for w in get_stop_words(language))
    except StopWordError:
        raise BadInputError(
            f"no stop-word list for {language!r}; use a file or 'none'", "--stopwords"
        ) from None


def stop_words(choice: str, project_language: str) -> frozenset[str]:
    """`choice`: "" (the project's language), a language name, "none", or a file with one word per line."""
    if choice == "none":
        return frozenset()
    if not choice:
        return _package_list(project_language)
    path = Path(choice)
    if path.is_file() or "/" in choice or choice.endswith(".txt"):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise BadInputError(f"cannot read stop-word file ({exc.strerror})", choice) from None
        try:
            lines: Iterable[str] = data.decode("utf-8-sig").splitlines()
        except UnicodeDecodeError:
            raise BadInputError("stop-word file is not UTF-8 text", choice) from None
        return frozenset(w.strip().casefold() for w in lines if w.strip() and not w.startswith("#"))
    return _package_list(choice.strip().lower())
