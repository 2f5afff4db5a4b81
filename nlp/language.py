"""Language of a post: Indonesian (``id``), Javanese (``jv``), English (``en``) or ``other``.

Counting hits in small lists of frequent words is enough to tell these apart and costs a set
lookup per word. Indonesian counts its informal spellings (the slang dictionary's keys) and
Javanese the words the normaliser maps; a word in both lists counts for both.

It reads :func:`nlp.normalize.clean` output, before slang and Javanese are mapped away.
"""

from __future__ import annotations

from functools import lru_cache

from nlp.lexicon import DATA_DIR, lexicon, read_pairs

LANGS = ("id", "jv", "en", "other")
_SHORT = 3  # posts of this many words or fewer, with no known word, get the default language
_MIN_LATIN = 0.5


@lru_cache(maxsize=1)
def _wordsets() -> dict[str, frozenset[str]]:
    lex = lexicon()
    slang = read_pairs(DATA_DIR / "slang.tsv")
    return {
        "id": lex.wordlists["id"] | frozenset(k for k in slang if " " not in k),
        "jv": lex.wordlists["jv"] | frozenset(k for k in lex.javanese),
        "en": lex.wordlists["en"],
    }


def detect(cleaned: str, default: str = "id") -> str:
    """The language of one cleaned text; ``default`` for short texts with no known word."""
    words = [t for t in cleaned.split() if t[0].isalpha()]
    if not words:
        return "other"
    letters = "".join(words)
    if sum(c < "\u0250" for c in letters) < _MIN_LATIN * len(letters):
        return "other"  # Arabic, Chinese, ... scripts
    sets = _wordsets()
    hits = {lang: sum(w in sets[lang] for w in words) for lang in ("id", "jv", "en")}
    best = max(hits, key=lambda lang: hits[lang])  # ties keep the first: id, then jv
    if hits[best] == 0:
        return default if len(words) <= _SHORT else "other"
    if best == "en" and hits["en"] < 2 and hits["id"] + hits["jv"] == 0 and len(words) > 2:
        return default  # one English loan word in an otherwise unknown text
    return best


def detect_many(cleaned: list[str], default: str = "id") -> list[str]:
    return [detect(text, default) for text in cleaned]
