"""Build a large, deterministic, synthetic project for the store benchmark.

Everything goes through the public `Project` API (`Project.create`,
`add_source` with an `ImportedTranscript`, `create_code`, `code`), one durable
operation per coding, exactly as a user's session would produce it: the
benchmark must measure the state the real code path leaves behind (journal,
checkpoint, history, audit chain, indexes), not a shortcut's imitation of it.

The text is made-up interview talk: `Interviewer:` / `Participant:` turns of
invented words from a fixed vocabulary, with accented and non-Latin letters
so offsets are code points, not bytes. Codings are random word-aligned spans
of 3-40 words in participant talk; codes are drawn Zipf-like, so a few codes
are used a lot (the most used of 400 carries about 4% of the codings, roughly
1,900 of 50,000) and most are rare, as in real codebooks.

Run `python bench/generate.py OUT_DIR [--transcripts N --words N --codes N --codings N --seed N]`.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.model import ImportedTranscript
from workbench.core.project import Project

__all__ = [
    "ACTOR",
    "GENERATOR_VERSION",
    "Corpus",
    "Transcript",
    "coding_rng",
    "draw_codings",
    "generate",
    "make_corpus",
]

GENERATOR_VERSION = 1
"""Bump when the output changes for the same parameters, so cached benchmark projects are rebuilt."""

ACTOR = "bench"
ZIPF_EXPONENT = 0.6
"""Code-frequency skew. With 400 codes the top code gets ~3.8% of codings (1,887 of 50,000 at seed 1)."""
REUSE_SEGMENT_SHARE = 0.1
"""Share of codings that put a second code on an already coded span, as coders do."""
_VOCAB_SEED = 20_240_611  # the vocabulary is fixed, whatever the seed: only the text varies
_VOCAB_SIZE = 1500
_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr", "sk", "gl")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou", "ea")
_ACCENTED = ("é", "ø", "ü", "å", "ñ", "ç", "ï", "ô")
_CODAS = ("", "", "", "n", "r", "s", "l", "m", "k", "nd", "st")
_EXTRA_WORDS = ("don’t", "naïve", "café", "Zoë", "straße", "λόγος", "мир", "–", "façade", "señora")
_PSEUDONYMS = ("Ana", "Søren", "Zoë", "Malik", "Chloé", "Jürgen", "Aoife", "Tomás", "Mei", "Ola")
_LOG_EVERY = 5000


@dataclass
class Transcript:
    """One synthetic transcript and where its participant talk lies, so codings can be word-aligned."""

    filename: str
    pseudonym: str
    text: str
    # One list per participant turn: (start, end) code-point offsets of each word.
    participant_words: list[list[tuple[int, int]]] = field(default_factory=list)


@dataclass
class Corpus:
    transcripts: list[Transcript]
    code_labels: list[str]
    code_parents: list[str | None]
    code_weights: list[float]  # Zipf weights in the same order as code_labels


def _vocabulary() -> tuple[str, ...]:
    """A fixed vocabulary of pronounceable made-up words; about one in ten carries an accent."""
    rng = random.Random(_VOCAB_SEED)
    words: dict[str, None] = dict.fromkeys(_EXTRA_WORDS)
    while len(words) < _VOCAB_SIZE:
        syllables = []
        for _ in range(rng.choice((1, 1, 2, 2, 2, 3))):
            vowel = rng.choice(_ACCENTED) if rng.random() < 0.05 else rng.choice(_VOWELS)
            syllables.append(rng.choice(_ONSETS) + vowel + rng.choice(_CODAS))
        words.setdefault("".join(syllables))
    vocab = list(words)
    rng.shuffle(vocab)  # frequency rank is list order: the hand-picked words must not all be the commonest
    assert all(unicodedata.normalize("NFC", w) == w for w in vocab)
    return tuple(vocab)


VOCABULARY = _vocabulary()


def _zipf_cum_weights(n: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / rank**exponent for rank in range(1, n + 1)))


def _sentence(rng: random.Random, cum: Sequence[float], out: list[str]) -> None:
    words = rng.choices(VOCABULARY, cum_weights=cum, k=rng.randint(5, 18))
    words[0] = words[0][:1].upper() + words[0][1:]
    for i in range(len(words) - 1):
        if rng.random() < 0.08:
            words[i] += ","
    words[-1] += rng.choice((".", ".", ".", "?", "…"))
    out.extend(words)


def _transcript(rng: random.Random, index: int, words: int, cum: Sequence[float]) -> Transcript:
    """Alternate short interviewer questions and long participant answers until `words` words."""
    pseudonym = _PSEUDONYMS[index % len(_PSEUDONYMS)]
    parts: list[str] = []
    offset = 0
    participant_words: list[list[tuple[int, int]]] = []
    written = 0
    speaker = "Interviewer"
    while written < words:
        tokens: list[str] = []
        target = rng.randint(8, 30) if speaker == "Interviewer" else rng.randint(60, 260)
        while len(tokens) < target:
            _sentence(rng, cum, tokens)
        # A long answer is split into paragraphs; a continuation line never looks like a label.
        breaks = set() if speaker == "Interviewer" else set(range(120, len(tokens), rng.randint(90, 140)))
        label = f"{speaker}: "
        spans: list[tuple[int, int]] = []
        pos = offset + len(label)
        pieces = [label]
        for i, token in enumerate(tokens):
            if i:
                sep = "\n\n" if i in breaks else " "
                pieces.append(sep)
                pos += len(sep)
            pieces.append(token)
            spans.append((pos, pos + len(token)))
            pos += len(token)
        pieces.append("\n\n")
        chunk = "".join(pieces)
        parts.append(chunk)
        offset += len(chunk)
        if speaker == "Participant":
            participant_words.append(spans)
        written += len(tokens)
        speaker = "Participant" if speaker == "Interviewer" else "Interviewer"
    text = "".join(parts).rstrip("\n") + "\n"
    return Transcript(f"interview-{index + 1:03d}.txt", pseudonym, text, participant_words)


def _code_labels(rng: random.Random, codes: int) -> tuple[list[str], list[str | None]]:
    """Unique (case-insensitively) labels of one to three words; about one code in eight is a child."""
    labels: list[str] = []
    parents: list[str | None] = []
    seen: set[str] = set()
    while len(labels) < codes:
        label = " ".join(rng.sample(VOCABULARY[:600], rng.choice((1, 2, 2, 3))))
        label = label[:1].upper() + label[1:]
        if label.casefold() in seen or label.strip() != label:
            continue
        seen.add(label.casefold())
        parents.append(rng.choice(labels) if labels and rng.random() < 0.125 else None)
        labels.append(label)
    return labels, parents


def make_corpus(transcripts: int, words: int, codes: int, seed: int) -> Corpus:
    """The transcripts and codebook for `seed`: the same arguments always give the same corpus."""
    rng = random.Random(seed)
    word_cum = _zipf_cum_weights(len(VOCABULARY), 1.0)
    texts = [_transcript(rng, i, words, word_cum) for i in range(transcripts)]
    labels, parents = _code_labels(rng, codes)
    weights = [1.0 / rank**ZIPF_EXPONENT for rank in range(1, codes + 1)]
    rng.shuffle(weights)  # the most used code is not simply the first one created
    return Corpus(texts, labels, parents, weights)


def coding_rng(seed: int) -> random.Random:
    """The random stream `generate` draws its codings from; replaying it lets the benchmark continue it."""
    return random.Random(seed * 7919 + 1)


def draw_codings(
    corpus: Corpus, count: int, rng: random.Random, taken: set[tuple[int, int, int, int]] | None = None
) -> list[tuple[int, int, int, int]]:
    """`count` new codings (transcript index, start, end, code index), word-aligned and never repeated.

    `taken` holds codings already made (and is updated), so the benchmark can
    draw further codings for a project built earlier without colliding.
    """
    taken = set() if taken is None else taken
    turns = [(t, turn) for t, tr in enumerate(corpus.transcripts) for turn in tr.participant_words]
    turn_cum = list(itertools.accumulate(len(turn) for _t, turn in turns))
    code_cum = list(itertools.accumulate(corpus.code_weights))
    spans = sorted({(t, s, e) for t, s, e, _c in taken})
    out: list[tuple[int, int, int, int]] = []
    while len(out) < count:
        code = bisect.bisect_left(code_cum, rng.random() * code_cum[-1])
        if spans and rng.random() < REUSE_SEGMENT_SHARE:
            t, start, end = spans[rng.randrange(len(spans))]
        else:
            t, turn = turns[bisect.bisect_left(turn_cum, rng.random() * turn_cum[-1])]
            n = min(rng.randint(3, 40), len(turn))
            first = rng.randrange(len(turn) - n + 1)
            start, end = turn[first][0], turn[first + n - 1][1]
        key = (t, start, end, code)
        if key in taken:
            continue
        taken.add(key)
        spans.append((t, start, end))
        out.append(key)
    return out


def generate(
    path: Path,
    transcripts: int = 60,
    words: int = 9000,
    codes: int = 400,
    codings: int = 50000,
    seed: int = 1,
    *,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Create the project at `path` (which must not exist or be empty) and return `path`.

    One `project.code()` per coding, each an fsynced operation with its undo
    record and audit event, so the result is what 50,000 interactive codings
    would leave. At about 1 ms each (checkpoints included) 50,000 take about
    a minute here: affordable once, and the benchmark caches the result.
    """
    say = log or (lambda _msg: None)
    corpus = make_corpus(transcripts, words, codes, seed)
    rng = coding_rng(seed)
    started = time.perf_counter()
    with Project.create(path, "Synthetic benchmark study", "gt", actor=ACTOR) as project:
        source_ids = [
            project.add_source(ImportedTranscript(tr.text), tr.filename, pseudonym=tr.pseudonym)
            for tr in corpus.transcripts
        ]
        for label, parent in zip(corpus.code_labels, corpus.code_parents, strict=True):
            project.create_code(label, parent=parent)
        say(f"{transcripts} transcripts and {codes} codes in {time.perf_counter() - started:.1f} s")
        mark = time.perf_counter()
        for done, (t, start, end, code) in enumerate(draw_codings(corpus, codings, rng), start=1):
            project.code(source_ids[t], start, end, corpus.code_labels[code])
            if done % _LOG_EVERY == 0:
                rate = _LOG_EVERY / (time.perf_counter() - mark)
                say(f"{done:,} codings ({rate:,.0f}/s)")
                mark = time.perf_counter()
    say(f"generated {path} in {time.perf_counter() - started:.1f} s")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic benchmark project.")
    parser.add_argument("out_dir", type=Path, help="project directory to create (must not exist)")
    parser.add_argument("--transcripts", type=int, default=60)
    parser.add_argument("--words", type=int, default=9000, help="words per transcript")
    parser.add_argument("--codes", type=int, default=400)
    parser.add_argument("--codings", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out_dir.exists() and any(args.out_dir.iterdir()):
        parser.error(f"{args.out_dir} exists and is not empty")
    generate(
        args.out_dir,
        args.transcripts,
        args.words,
        args.codes,
        args.codings,
        args.seed,
        log=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
