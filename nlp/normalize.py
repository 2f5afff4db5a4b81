"""Social text to standard Indonesian: what every model and rule of the tagger reads.

Two steps, both idempotent:

* :func:`clean` makes the surface uniform without changing words' language: HTML entities,
  zero-width and control characters, URLs, emails, mentions, hashtags (``#JalanRusak`` ->
  ``jalan rusak``), emoji (a few mapped to words, the rest dropped), lowercasing, elongations
  (``lamaaa`` -> ``lama``), reduplication (``jalan2`` -> ``jalan-jalan``), laughter, and
  punctuation split into tokens the way SmSA writes it (``rusak , ya !``), and a detached
  ``nya`` re-attached (``tempat nya`` -> ``tempatnya``).
  Language detection reads this.
* :func:`normalize` also maps slang, abbreviations and Javanese words to standard Indonesian
  (``nlp/data/slang.tsv``, ``nlp/data/javanese.tsv``).

Everything is a pre-compiled regex or a dict lookup: this runs on every post.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from nlp.lexicon import lexicon

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|id|ly|co|io|me|gl)\b(?:/\S*)?",
    re.IGNORECASE,
)
# Every URL ``_URL`` removes contains "://", "www." (any case) or one of these endings: cheap
# tests that spare most posts its scan. Spelled out case by case (with the two Turkish i's that
# IGNORECASE also matches) so that the regex engine can jump from one "." to the next.
_I = "[iIİı]"
_URL_ENDING = re.compile(
    rf"\.(?:[cC][oO][mM]|[nN][eE][tT]|[oO][rR][gG]|{_I}[dD]|[lL][yY]|[cC][oO]|{_I}[oO]|[mM][eE]|[gG][lL])\b"
)
_MENTION = re.compile(r"(?<![\w@])@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_EMOJI_REST = re.compile(
    "[\U0001f000-\U0001faff\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f"
    "\u2b00-\u2bff\ufe00-\ufe0f\u20e3\U000e0000-\U000e007f]"
)
_PUNCT_RUN = re.compile(r"([^\w\s])\1+")
_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)+|[^\W_]+(?:['’-][^\W_]+)*|[^\w\s]")
_REDUP = re.compile(r"([^\W\d_]{2,})2")
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
_LAUGH = re.compile(r"a?(?:wk)+w?|(?:ha){2,}h?|(?:ah){2,}|(?:he){2,}h?|(?:hi){2,}h?|(?:xi){2,}x?")
_MAX_SEGMENT = 40


def clean(text: str) -> str:
    """Uniform surface form: lowercase tokens separated by single spaces.

    Each step runs only when a cheap test says it can match: most posts are plain ASCII
    without links, mentions or hashtags.
    """
    if "&" in text:
        text = html.unescape(text)
    if not text.isprintable():  # every character _CONTROL removes is unprintable
        text = _CONTROL.sub("", text)
    if not text.isascii():
        lex = lexicon()
        text = unicodedata.normalize("NFKC", text)
        text = _CONTROL.sub("", text)
        text = lex.emoji_pattern.sub(lambda m: f" {lex.emoji[m.group()]} ", text)
        text = _EMOJI_REST.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", _EMAIL.sub(" ", text))
    if "." in text and ("://" in text or _URL_ENDING.search(text) or "www." in text.lower()):
        text = _URL.sub(" ", text)
    if "#" in text:
        text = _HASHTAG.sub(lambda m: " " + _split_hashtag(m.group(1)) + " ", text)
    tokens = [token for chunk in text.replace("_", " ").lower().split() for token in _chunk_tokens(chunk)]
    if "nya" in tokens:
        tokens = _attach_nya(tokens)
    return " ".join(tokens)


@lru_cache(maxsize=65536)
def _chunk_tokens(chunk: str) -> tuple[str, ...]:
    """The fixed tokens of one lowercase piece of text without spaces. Neither a punctuation
    run nor a token spans a space, so a text is its pieces' tokens in order, and pieces recur."""
    return tuple(map(_fix_token, _TOKEN.findall(_PUNCT_RUN.sub(r"\1", chunk))))


def _attach_nya(tokens: list[str]) -> list[str]:
    """SmSA and some posts write ``tempat nya`` for ``tempatnya``."""
    out: list[str] = []
    start = 0
    for i in [i for i, token in enumerate(tokens) if token == "nya"]:
        out += tokens[start:i]
        start = i + 1
        if out and out[-1][-1].isalpha():
            out[-1] = _fix_token(out[-1] + "nya")
        else:
            out.append("nya")
    return out + tokens[start:]


def normalize(text: str) -> str:
    """Standard Indonesian for the models: :func:`clean`, then the word maps."""
    return map_words(clean(text))


def map_words(cleaned: str) -> str:
    """Map slang and Javanese words of a :func:`clean` text to standard Indonesian."""
    lex = lexicon()
    tokens = cleaned.split()
    if lex.phrase_heads.isdisjoint(tokens):  # the common case: word by word, each map cached
        return " ".join(map(_mapped, tokens))
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in lex.phrase_heads and i + 1 < len(tokens):
            pair = lex.phrases.get(f"{token} {tokens[i + 1]}")
            if pair is not None:
                out.extend(pair.split())
                i += 2
                continue
        mapped = _map_token(token)
        if mapped is not None:
            out.extend(mapped)
        else:
            out.append(token)
        i += 1
    return " ".join(out)


@lru_cache(maxsize=65536)
def _mapped(token: str) -> str:
    """The standard form of one token (itself when nothing maps it), words single-spaced."""
    mapped = _map_token(token)
    return " ".join(mapped) if mapped is not None else token


@lru_cache(maxsize=65536)
def _map_token(token: str) -> tuple[str, ...] | None:
    mapped = lexicon().words.get(token) or _javanese_possessive(token)
    return tuple(mapped.split()) if mapped is not None else None


def _javanese_possessive(token: str) -> str | None:
    """``dalane`` -> ``jalannya``, ``baune`` -> ``baunya``: Javanese -e/-ne on a Javanese stem
    (translated) or a frequent Indonesian one (kept)."""
    lex = lexicon()
    if len(token) < 5 or token[-1] != "e" or token in lex.vocabulary:
        return None
    for stem in (token[:-2], token[:-1]) if token.endswith("ne") else (token[:-1],):
        standard = lex.javanese.get(stem) or (stem if stem in lex.wordlists["id"] and len(stem) > 2 else None)
        if standard is not None and " " not in standard:
            return standard + "nya"
    return None


@lru_cache(maxsize=65536)
def _fix_token(token: str) -> str:
    if not token[0].isalnum():
        return token
    redup = _REDUP.fullmatch(token)
    if redup:
        token = f"{redup.group(1)}-{redup.group(1)}"
    if _REPEAT.search(token):
        token = "-".join(_shorten(part) for part in token.split("-"))
    if _LAUGH.fullmatch(token):
        return "haha"
    return token


def _shorten(word: str) -> str:
    """Collapse letters repeated 3+ times to one, or to two when only that is a known word."""
    single = _REPEAT.sub(r"\1", word)
    vocabulary = lexicon().vocabulary
    if single in vocabulary:
        return single
    double = _REPEAT.sub(r"\1\1", word)
    return double if double in vocabulary else single


def _split_hashtag(tag: str) -> str:
    parts = _CAMEL.findall(tag)
    if len(parts) == 1 and parts[0].isalpha() and parts[0].islower():
        return _segment(parts[0])
    return " ".join(parts) if parts else tag


@lru_cache(maxsize=4096)
def _segment(word: str) -> str:
    """Split an all-lowercase hashtag into known words (fewest pieces), or keep it whole."""
    vocabulary = lexicon().vocabulary
    if word in vocabulary or len(word) > _MAX_SEGMENT:
        return word
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 20), end - 1):
            head = best[start]
            piece = word[start:end]
            if head is not None and piece in vocabulary and (best[end] is None or len(head) + 1 < len(best[end])):
                best[end] = head + [piece]
    found = best[len(word)]
    return " ".join(found) if found else word
