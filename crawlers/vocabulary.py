"""What makes a post relevant: the province's services, agencies, regions or watch terms.

:class:`Relevance` takes plain term lists (and, optionally, a region resolver), so it can be
built from anything; :func:`from_config` builds it from the taxonomy (topic keywords, agency
names), the gazetteer (regions and districts, resolved with its own guards so that ``Batang``
the word is not Batang the regency) and ``taxonomy.watch_terms`` plus the province's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from nlp.gazetteer import load_gazetteer
from nlp.normalize import normalize
from nlp.taxonomy import PhraseMatcher, Taxonomy
from pantau.config import Config


class Relevance:
    """Which kinds of term (``service``, ``agency``, ``region``, ``watch``) a text mentions."""

    def __init__(self, terms: Mapping[str, Iterable[str]], region_of: Callable[[str], object | None] | None = None) -> None:
        phrases: dict[str, list[str]] = {}
        for kind, words in terms.items():
            for word in words:
                phrase = " ".join(word.lower().split())
                if phrase:
                    phrases.setdefault(phrase, []).append(kind)
        self.size = len(phrases)
        self._matcher = PhraseMatcher(phrases)
        self._region_of = region_of

    def kinds(self, text: str) -> set[str]:
        found = self._matcher.labels(text.lower())
        if self._region_of is not None and self._region_of(text) is not None:
            found.add("region")
        return found


def _config_path(cfg: Config, value: str) -> str:
    if value and not Path(value).expanduser().is_absolute() and cfg.source is not None:
        return str(cfg.source.parent / value)
    return value


def from_config(cfg: Config) -> Relevance:
    taxonomy = Taxonomy.from_config(cfg)
    gazetteer = load_gazetteer(_config_path(cfg, cfg.taxonomy.gazetteer))
    agencies = [name for a in taxonomy.agencies.values() for name in (a.name, a.short)]
    return Relevance(
        {"service": taxonomy.keywords, "agency": agencies, "region": [cfg.province.name],
         "watch": cfg.taxonomy.watch_terms},
        region_of=lambda text: gazetteer.resolve(normalize(text)),
    )
