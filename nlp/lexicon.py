"""The word lists behind normalisation and language detection, loaded once from nlp/data/.

A wrong data file is a bug of the project, so loading checks it and fails loudly: every
mapping must land on a fixed point (a standard word that is not itself mapped elsewhere),
which is what makes :func:`nlp.normalize.normalize` idempotent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
LANGUAGES = ("id", "jv", "en")


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, str]  # one informal word -> standard Indonesian (one or more words)
    phrases: dict[str, str]  # two-word informal phrase -> standard Indonesian
    phrase_heads: frozenset[str]  # first words of ``phrases``
    javanese: dict[str, str]  # the Javanese part of ``words``, for possessive stems
    emoji: dict[str, str]
    emoji_pattern: re.Pattern[str]
    wordlists: dict[str, frozenset[str]]  # language -> its frequent words
    vocabulary: frozenset[str]  # every word the normaliser knows (elongation, hashtags)


def read_pairs(path: Path) -> dict[str, str]:
    """A two-column TSV (``#`` comments allowed) as a dict; duplicates must agree."""
    pairs: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition("\t")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"{path}:{number}: expected 'word<TAB>replacement', got {line!r}")
        key, value = key.strip(), value.strip()
        if pairs.get(key, value) != value:
            raise ValueError(f"{path}:{number}: {key!r} maps to both {pairs[key]!r} and {value!r}")
        pairs[key] = value
    return pairs


def read_words(path: Path) -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


def _check_fixed_points(words: dict[str, str], phrases: dict[str, str]) -> None:
    for key, value in {**words, **phrases}.items():
        for token in value.split():
            if words.get(token, token) != token:
                raise ValueError(f"{key!r} maps to {value!r}, but {token!r} is mapped again to {words[token]!r}")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    slang = read_pairs(DATA_DIR / "slang.tsv")
    javanese = read_pairs(DATA_DIR / "javanese.tsv")
    merged = {**javanese, **slang}  # Indonesian slang wins where a word is both
    words = {k: v for k, v in merged.items() if " " not in k and k != v}
    phrases = {k: v for k, v in merged.items() if " " in k}
    _check_fixed_points(words, phrases)
    emoji = read_pairs(DATA_DIR / "emoji.tsv")
    pattern = re.compile("|".join(re.escape(e) for e in sorted(emoji, key=len, reverse=True)))
    wordlists = {lang: read_words(DATA_DIR / f"words_{lang}.txt") for lang in LANGUAGES}
    vocabulary = set().union(*wordlists.values(), emoji.values())
    for key, value in merged.items():
        vocabulary.update(key.split())
        vocabulary.update(value.split())
    return Lexicon(
        words=words,
        phrases=phrases,
        phrase_heads=frozenset(k.split()[0] for k in phrases),
        javanese={k: v for k, v in javanese.items() if " " not in k and slang.get(k, v) == v},
        emoji=emoji,
        emoji_pattern=pattern,
        wordlists=wordlists,
        vocabulary=frozenset(vocabulary),
    )
