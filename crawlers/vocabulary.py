"""What makes a post relevant: the words of the province's services, agencies, regions and watch terms.

:class:`Relevance` takes plain term lists, so it can be built from anything; :func:`from_config`
builds it from the taxonomy (topic keywords, agency names) and the gazetteer (region names)
named in the config, plus ``taxonomy.watch_terms`` and the province's name.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable, Mapping

from nlp.taxonomy import PhraseMatcher, Taxonomy
from pantau.config import Config

log = logging.getLogger(__name__)


class Relevance:
    """Which kinds of term (``service``, ``agency``, ``region``, ``watch``) a text mentions."""

    def __init__(self, terms: Mapping[str, Iterable[str]]) -> None:
        phrases: dict[str, list[str]] = {}
        for kind, words in terms.items():
            for word in words:
                phrase = " ".join(word.lower().split())
                if phrase:
                    phrases.setdefault(phrase, []).append(kind)
        self.size = len(phrases)
        self._matcher = PhraseMatcher(phrases)

    def kinds(self, text: str) -> set[str]:
        return self._matcher.labels(text.lower())


def region_names(cfg: Config) -> list[str]:
    """Names and aliases of the province's regions, from the gazetteer."""
    if importlib.util.find_spec("nlp.gazetteer") is None:
        log.warning("nlp.gazetteer is not installed: region names do not count for relevance")
        return []
    from nlp.gazetteer import Gazetteer

    return Gazetteer.from_config(cfg).names()


def from_config(cfg: Config) -> Relevance:
    taxonomy = Taxonomy.from_config(cfg)
    agencies = [name for a in taxonomy.agencies.values() for name in (a.name, a.short)]
    return Relevance(
        {
            "service": taxonomy.keywords,
            "agency": agencies,
            "region": [cfg.province.name, *region_names(cfg)],
            "watch": cfg.taxonomy.watch_terms,
        }
    )
