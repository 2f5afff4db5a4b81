"""The batch tagger: one call fills every nlp tag of a list of posts.

For each post the stored text and title are PII-masked (the original wording otherwise kept);
the masked text is cleaned and normalised once, and every model and rule reads that same
normalised text in one batch call each: language, sentiment, kind, topics (and the agencies
responsible for them), region, near-duplicate cluster. Nothing is called per post.

The components are constructor arguments, so a caller (or a test) can choose them;
:meth:`Tagger.from_config` builds the shipped ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from pantau.config import Config
from pantau.post import Post, Sentiment
from nlp import language, pii
from nlp.dedup import DedupIndex
from nlp.gazetteer import Gazetteer, load_gazetteer
from nlp.normalize import clean, map_words
from nlp.taxonomy import Taxonomy


class SentimentPredictor(Protocol):
    version: str

    def predict(self, texts: Sequence[str], *, normalized: bool = False) -> Sequence[Any]:
        """One object with ``label`` and ``score`` per text."""


class KindPredictor(Protocol):
    def predict(self, normalised_texts: Sequence[str]) -> list[str]: ...


class TopicPredictor(Protocol):
    def predict(self, normalised_texts: Sequence[str]) -> list[list[str]]: ...


class Tagger:
    """Tags batches of posts. Components left out leave their tag empty, except topics,
    which fall back to the taxonomy's keyword rules, and region, which uses the bundled
    gazetteer."""

    def __init__(
        self,
        *,
        sentiment: SentimentPredictor | None = None,
        kind: KindPredictor | None = None,
        topics: TopicPredictor | None = None,
        taxonomy: Taxonomy | None = None,
        gazetteer: Gazetteer | None = None,
        dedup: DedupIndex | None = None,
        mask_plates: bool = True,
        default_lang: str = "id",
    ) -> None:
        self.sentiment = sentiment
        self.kind = kind
        self.topics = topics
        self.taxonomy = taxonomy
        self.gazetteer = gazetteer or load_gazetteer()
        self.dedup = dedup
        self.mask_plates = mask_plates
        self.default_lang = default_lang
        self.model_version = _version(sentiment, kind, topics)

    @classmethod
    def from_config(cls, cfg: Config, **components: Any) -> Tagger:
        """The shipped models (or the configured sentiment directory), the configured taxonomy
        and gazetteer, and the near-duplicate index in ``<data_dir>/nlp/dedup``.

        A component given by keyword (``sentiment=model``, ``dedup=DedupIndex(tmp)``) is used
        instead of being loaded, e.g. by a benchmark that must not touch the daemon's index.
        """
        unknown = set(components) - {"sentiment", "kind", "topics", "taxonomy", "gazetteer", "dedup"}
        if unknown:
            raise TypeError(f"unknown tagger components: {', '.join(sorted(unknown))}")
        if "sentiment" not in components:
            from nlp.sentiment import load_sentiment_model

            components["sentiment"] = load_sentiment_model(
                cfg.model.sentiment_model or None, threads=cfg.model.threads, batch_size=cfg.model.batch_size)
        if "kind" not in components:
            from nlp.kind import KindClassifier

            components["kind"] = KindClassifier.load()
        if "taxonomy" not in components:
            components["taxonomy"] = Taxonomy.from_config(cfg)
        if "gazetteer" not in components:
            path = cfg.taxonomy.gazetteer
            if path and not Path(path).expanduser().is_absolute() and cfg.source is not None:
                path = str(cfg.source.parent / path)
            components["gazetteer"] = load_gazetteer(path)
        if "dedup" not in components:
            components["dedup"] = DedupIndex(cfg.data_dir / "nlp" / "dedup")
        return cls(**components, mask_plates=cfg.privacy.mask_plates)

    def tag(self, posts: Sequence[Post]) -> list[Post]:
        """Tagged copies of ``posts``, in order (the inputs are not modified)."""
        if not posts:
            return []
        texts = [pii.mask(p.text, plates=self.mask_plates) for p in posts]
        titles = [pii.mask(p.title, plates=self.mask_plates) if p.title else p.title for p in posts]
        cleaned = [clean(f"{title} . {text}" if title else text) for title, text in zip(titles, texts)]
        normalised = [map_words(c) for c in cleaned]
        langs = language.detect_many(cleaned, self.default_lang)
        sentiments = self._sentiments(normalised)
        kinds = self.kind.predict(normalised) if self.kind is not None else [None] * len(posts)
        topics = self._topics(normalised)
        taxonomy = self.taxonomy
        agencies = [taxonomy.agencies_for(t) if taxonomy is not None else [] for t in topics]
        regions = [self.gazetteer.resolve(n) for n in normalised]
        if self.dedup is not None:
            clusters = self.dedup.assign([(p.id, n) for p, n in zip(posts, normalised)])
        else:
            clusters = [p.id for p in posts]
        return [
            dataclasses.replace(
                post, text=texts[i], title=titles[i], lang=langs[i], sentiment=sentiments[i], kind=kinds[i],
                topics=topics[i], agencies=agencies[i], region=regions[i], cluster_id=clusters[i],
                model_version=self.model_version,
            )
            for i, post in enumerate(posts)
        ]

    def _sentiments(self, normalised: list[str]) -> list[Sentiment | None]:
        if self.sentiment is None:
            return [None] * len(normalised)
        return [Sentiment(label=s.label, score=float(s.score)) for s in self.sentiment.predict(normalised, normalized=True)]

    def _topics(self, normalised: list[str]) -> list[list[str]]:
        if self.topics is not None:
            return [list(t) for t in self.topics.predict(normalised)]
        if self.taxonomy is not None:
            return [self.taxonomy.match(n) for n in normalised]
        return [[] for _ in normalised]


def _version(*components: object) -> str:
    """``sentiment@<version>+kind@<version>+...`` from the components that say their version."""
    parts = []
    for name, component in zip(("sentiment", "kind", "topics"), components):
        if component is not None:
            parts.append(f"{name}@{getattr(component, 'version', None) or type(component).__name__}")
    return "+".join(parts) or "rules"
