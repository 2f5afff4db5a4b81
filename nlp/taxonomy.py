"""The taxonomy of public services: topics, the agency (OPD) responsible for each, and keywords.

The data lives in a TOML file (bundled: ``nlp/data/taxonomy.toml``; ``taxonomy.topics`` in the
config points at another). It is validated on load: an error names the file, the key and what
was expected. Read by the topic classifier, the crawlers' relevance filter, the default alert
rules (one per agency) and the dashboard.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pantau.config import Config
from pantau.errors import PantauError

BUNDLED_PATH = Path(__file__).parent / "data" / "taxonomy.toml"
AGENCY_KINDS = ("opd", "bumd", "bumn")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KEYWORD = re.compile(r"[^\s*A-Z][^*A-Z]*\*?")


class TaxonomyError(PantauError):
    """The taxonomy file is missing or wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Agency:
    slug: str
    name: str
    short: str
    kind: str


@dataclass(frozen=True)
class Topic:
    slug: str
    name_id: str
    name_en: str
    agency: str
    keywords: tuple[str, ...]


_WORDS = re.compile(r"[^\W_]+")
_Candidate = tuple[tuple[str, ...], bool, tuple[str, ...]]  # a phrase's words, trailing star, labels
# A word's phrases: longer candidates, their exact second words, starred second words, fallback labels.
_Entry = tuple[list[_Candidate], frozenset[str], tuple[str, ...], tuple[str, ...]]


class PhraseMatcher:
    """Finds which labels' phrases occur in a text, as whole words, in one pass over its words.

    ``phrases`` maps a phrase to its labels. A trailing ``*`` matches any word continuing the
    phrase; spaces and hyphens inside a phrase match spaces or hyphens in the text. Where two
    phrases start at one word the longest wins, and matching goes on after it.
    """

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        self._exact: dict[str, list[_Candidate]] = {}
        self._prefix: dict[str, tuple[str, ...]] = {}
        for phrase, labels in phrases.items():
            words = tuple(_WORDS.findall(phrase.rstrip("*")))
            star = phrase.endswith("*")
            if not words:
                continue
            if len(words) == 1 and star:
                self._prefix[words[0]] = tuple(sorted({*self._prefix.get(words[0], ()), *labels}))
            else:
                self._exact.setdefault(words[0], []).append((words, star, tuple(labels)))
        for candidates in self._exact.values():
            candidates.sort(key=lambda c: -sum(map(len, c[0])))
        self._prefix_lengths = sorted({len(w) for w in self._prefix}, reverse=True)
        self._cache: dict[str, _Entry | None] = {}

    def labels(self, text: str) -> set[str]:
        """The labels of every phrase found in ``text`` (expected lowercase)."""
        words = _words(text)
        cache = self._cache
        missing = {w for w in words if w not in cache}
        if missing:
            if len(cache) > 100_000:
                cache.clear()
                missing = set(words)
            for word in missing:
                cache[word] = self._lookup(word)
        found: set[str] = set()
        n, following = len(words), 0  # the first word not consumed by a longer phrase
        for i in [i for i, w in enumerate(words) if cache[w] is not None]:
            if i < following:
                continue
            longer, seconds, starred_seconds, fallback = cache[words[i]]
            following_word = words[i + 1] if i + 1 < n else ""
            if following_word in seconds or (starred_seconds and following_word.startswith(starred_seconds)):
                for candidate, star, labels in longer:
                    size = len(candidate)
                    if i + size <= n and _matches(candidate, star, words, i):
                        found.update(labels)
                        following = i + size
                        break
                else:
                    found.update(fallback)
            else:  # no longer phrase can match: its second word is not next
                found.update(fallback)
        return found

    def _lookup(self, word: str) -> _Entry | None:
        """For phrases starting with ``word``: those of two or more words, longest first, the
        second words they need (exactly, or as a prefix for a starred two-word phrase), and the
        labels that apply when none of them matches (the word's own phrase, else a starred word
        it continues); None for the many words that start nothing."""
        candidates = self._exact.get(word, [])
        longer = [c for c in candidates if len(c[0]) > 1]
        exact = [c for c in candidates if len(c[0]) == 1]
        fallback: tuple[str, ...] = exact[0][2] if exact else ()
        if not exact:
            for length in self._prefix_lengths:
                if len(word) >= length and word[:length] in self._prefix:
                    fallback = self._prefix[word[:length]]
                    break
        if not longer and not fallback:
            return None
        seconds = frozenset(c[0][1] for c in longer if not (c[1] and len(c[0]) == 2))
        starred = tuple(c[0][1] for c in longer if c[1] and len(c[0]) == 2)
        return longer, seconds, starred, fallback


@lru_cache(maxsize=512)
def _words(text: str) -> tuple[str, ...]:
    """The words of a text, remembered for the last few hundred texts: the kind cues and the
    topic keywords are matched on the same batch one after the other."""
    return tuple(_WORDS.findall(text))


def _matches(candidate: tuple[str, ...], star: bool, words: Sequence[str], start: int) -> bool:
    last = len(candidate) - 1
    for offset, expected in enumerate(candidate):
        word = words[start + offset]
        if word != expected and not (star and offset == last and word.startswith(expected)):
            return False
    return True


class Taxonomy:
    """Topics and agencies, in file order; ``source`` is the file they came from."""

    def __init__(self, topics: Iterable[Topic], agencies: Iterable[Agency], source: Path | None = None) -> None:
        self.topics: dict[str, Topic] = {t.slug: t for t in topics}
        self.agencies: dict[str, Agency] = {a.slug: a for a in agencies}
        self.source = source

    @classmethod
    def load(cls, path: str | Path | None = None) -> Taxonomy:
        """Read and validate a taxonomy file; None or "" reads the bundled one."""
        return load_taxonomy(path)

    @classmethod
    def from_config(cls, config: Config) -> Taxonomy:
        """The taxonomy named by ``taxonomy.topics`` (relative to the config file), else the bundled one."""
        path = config.taxonomy.topics
        if path and not Path(path).expanduser().is_absolute() and config.source is not None:
            return load_taxonomy(config.source.parent / path)
        return load_taxonomy(path or None)

    @property
    def slugs(self) -> list[str]:
        return list(self.topics)

    def agencies_for(self, topics: Iterable[str]) -> list[str]:
        """Agency slugs responsible for ``topics`` (topic slugs), once each, in taxonomy order."""
        wanted = set()
        for slug in topics:
            if slug not in self.topics:
                raise TaxonomyError(f"unknown topic {slug!r}; known: {', '.join(self.topics)}")
            wanted.add(self.topics[slug].agency)
        return [a for a in self.agencies if a in wanted]

    def topics_of(self, agency: str) -> list[str]:
        """Topic slugs an agency is responsible for (used by the default alert rules)."""
        if agency not in self.agencies:
            raise TaxonomyError(f"unknown agency {agency!r}; known: {', '.join(self.agencies)}")
        return [t.slug for t in self.topics.values() if t.agency == agency]

    @property
    def keywords(self) -> list[str]:
        """Every keyword of every topic, once each (for relevance filters)."""
        return list(dict.fromkeys(k for t in self.topics.values() for k in t.keywords))

    @cached_property
    def _matcher(self) -> PhraseMatcher:
        phrases: dict[str, list[str]] = {}
        for topic in self.topics.values():
            for keyword in topic.keywords:
                phrases.setdefault(keyword, []).append(topic.slug)
        return PhraseMatcher(phrases)

    def match(self, text: str) -> list[str]:
        """Topic slugs whose keywords occur in ``text`` (lowercased here), in taxonomy order."""
        found = self._matcher.labels(text.lower())
        return [slug for slug in self.topics if slug in found]


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy file; raise :class:`TaxonomyError` listing every problem."""
    file = Path(path).expanduser() if path else BUNDLED_PATH
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"{file}: taxonomy file not found; fix taxonomy.topics or leave it empty for the bundled one") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{file}: cannot read the taxonomy: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{file}: not valid TOML: {exc}") from None
    problems: list[str] = []
    _check_keys(data, "", {"version", "agencies", "topics"}, problems)
    agencies = [_agency(slug, raw, problems) for slug, raw in _tables(data, "agencies", problems)]
    known = {a.slug for a in agencies}
    topics = [_topic(slug, raw, known, problems) for slug, raw in _tables(data, "topics", problems)]
    if problems:
        raise TaxonomyError(f"{file}: " + f"; {file}: ".join(problems))
    return Taxonomy(topics, agencies, file.resolve())


def _tables(data: dict[str, Any], key: str, problems: list[str]) -> list[tuple[str, dict[str, Any]]]:
    section = data.get(key)
    if not isinstance(section, dict) or not section:
        problems.append(f"{key}: expected at least one [{key}.<slug>] table")
        return []
    result = []
    for slug, raw in section.items():
        if not _SLUG.fullmatch(slug):
            problems.append(f"{key}.{slug}: a slug must be lowercase letters, digits and single hyphens")
        elif not isinstance(raw, dict):
            problems.append(f"{key}.{slug}: expected a table, got {type(raw).__name__}")
        else:
            result.append((slug, raw))
    return result


def _check_keys(raw: dict[str, Any], prefix: str, allowed: set[str], problems: list[str]) -> None:
    for key in raw:
        if key not in allowed:
            problems.append(f"{prefix}{key}: unknown key; expected one of {', '.join(sorted(allowed))}")


def _text(raw: dict[str, Any], prefix: str, key: str, problems: list[str]) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{prefix}{key}: expected a non-empty string, got {value!r}")
        return ""
    return value.strip()


def _agency(slug: str, raw: dict[str, Any], problems: list[str]) -> Agency:
    prefix = f"agencies.{slug}."
    _check_keys(raw, prefix, {"name", "short", "kind"}, problems)
    kind = raw.get("kind", "opd")
    if kind not in AGENCY_KINDS:
        problems.append(f"{prefix}kind: expected one of {', '.join(AGENCY_KINDS)}, got {kind!r}")
    return Agency(slug, _text(raw, prefix, "name", problems), _text(raw, prefix, "short", problems), str(kind))


def _topic(slug: str, raw: dict[str, Any], agencies: set[str], problems: list[str]) -> Topic:
    prefix = f"topics.{slug}."
    _check_keys(raw, prefix, {"name_id", "name_en", "agency", "keywords"}, problems)
    agency = _text(raw, prefix, "agency", problems)
    if agency and agency not in agencies:
        problems.append(f"{prefix}agency: unknown agency {agency!r}; declare [agencies.{agency}] or use one of {', '.join(sorted(agencies))}")
    keywords = raw.get("keywords")
    if not isinstance(keywords, list) or not keywords:
        problems.append(f"{prefix}keywords: expected a non-empty list of lowercase phrases")
        keywords = []
    for keyword in keywords:
        if not isinstance(keyword, str) or not _KEYWORD.fullmatch(keyword) or keyword != keyword.strip():
            problems.append(f"{prefix}keywords: {keyword!r} is not a lowercase phrase (a `*` is allowed only at the end)")
    name_id, name_en = _text(raw, prefix, "name_id", problems), _text(raw, prefix, "name_en", problems)
    return Topic(slug, name_id, name_en, agency, tuple(dict.fromkeys(k for k in keywords if isinstance(k, str))))
