"""Language of a post: Indonesian (``id``), Javanese (``jv``), English (``en``) or ``other``.

Counting hits in small lists of frequent words is enough to tell these apart and costs a set
lookup per word. Indonesian counts its informal spellings (the slang dictionary's keys) and
Javanese the words the normaliser maps; a word in both lists counts for both.

It reads :func:`nlp.normalize.clean` output, before slang and Javanese are mapped away.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.lexicon import DATA_DIR, lexicon, read_pairs

LANGS = ("id", "jv", "en", "other")
_SHORT = 3  # posts of this many words or fewer, with no known word, get the default language
# Indonesian affixation (meN-, ber-, ter-, di-, peN-, ke-, -kan, -nya): evidence for headlines
# made only of content words that the lists do not hold.
_ID_AFFIXED = re.compile(r"(?:meng|meny|mem|men|me|ber|ter|per|peng|peny|pem|pen|di|ke)[a-z]{4,}|[a-z]{3,}(?:kan|nya)")
_MIN_LATIN = 0.5


@lru_cache(maxsize=1)
def _membership() -> dict[str, tuple[int, int, int]]:
    """word -> (is Indonesian, is Javanese, is English), for one lookup per word."""
    lex = lexicon()
    slang = read_pairs(DATA_DIR / "slang.tsv")
    sets = (
        lex.wordlists["id"] | frozenset(k for k in slang if " " not in k),
        lex.wordlists["jv"] | frozenset(lex.javanese),
        lex.wordlists["en"],
    )
    return {w: (int(w in sets[0]), int(w in sets[1]), int(w in sets[2])) for w in frozenset().union(*sets)}


def detect(cleaned: str, default: str = "id") -> str:
    """The language of one cleaned text; ``default`` for short texts with no known word."""
    words = [t for t in cleaned.split() if t[0].isalpha()]
    if not words:
        return "other"
    letters = "".join(words)
    if not letters.isascii() and sum(c < "\u0250" for c in letters) < _MIN_LATIN * len(letters):
        return "other"  # Arabic, Chinese, ... scripts
    membership = _membership()
    known = [membership[word] for word in words if word in membership]
    counts = [sum(column) for column in zip(*known)] if known else [0, 0, 0]
    hits = dict(zip(("id", "jv", "en"), counts))
    best = max(hits, key=lambda lang: hits[lang])  # ties keep the first: id, then jv
    if hits[best] == 0:
        if len(words) <= _SHORT:
            return default
        affixed = sum(1 for w in words if _ID_AFFIXED.fullmatch(w))
        return "id" if affixed >= 2 and affixed * 4 >= len(words) else "other"
    if best == "en" and hits["en"] < 2 and hits["id"] + hits["jv"] == 0 and len(words) > 2:
        return default  # one English loan word in an otherwise unknown text
    return best


def detect_many(cleaned: list[str], default: str = "id") -> list[str]:
    return [detect(text, default) for text in cleaned]
