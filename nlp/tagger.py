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
import json
import logging
import time
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

log = logging.getLogger(__name__)
# The parts of :meth:`Tagger.tag`, in order, as counted in ``Tagger.stage_seconds``.
STAGES = ("pii", "normalise", "language", "sentiment", "kind", "topics", "region", "dedup", "record")

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
        versions: dict[str, str] | None = None,
    ) -> None:
        self.sentiment = sentiment
        self.kind = kind
        self.topics = topics
        self.taxonomy = taxonomy
        self.gazetteer = gazetteer or load_gazetteer()
        self.dedup = dedup
        self.mask_plates = mask_plates
        self.default_lang = default_lang
        components = {"sentiment": sentiment, "kind": kind, "topics": topics}
        self.model_version = _version(components, versions or {})
        self.stage_seconds = dict.fromkeys(STAGES, 0.0)  # wall time spent in each stage so far
        self.posts_tagged = 0

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
                cfg.model.sentiment_model or None, threads=cfg.model.threads, batch_size=cfg.model.inference_batch)
        if "taxonomy" not in components:
            components["taxonomy"] = Taxonomy.from_config(cfg)
        versions: dict[str, str] = {}
        if "kind" not in components:
            components["kind"], versions["kind"] = _shipped_kind()
        if "topics" not in components:
            components["topics"], versions["topics"] = _shipped_topics(components["taxonomy"])
        if "gazetteer" not in components:
            path = cfg.taxonomy.gazetteer
            if path and not Path(path).expanduser().is_absolute() and cfg.source is not None:
                path = str(cfg.source.parent / path)
            components["gazetteer"] = load_gazetteer(path)
        if "dedup" not in components:
            components["dedup"] = DedupIndex(cfg.data_dir / "nlp" / "dedup")
        return cls(**components, mask_plates=cfg.privacy.mask_plates, versions=versions)

    def tag(self, posts: Sequence[Post]) -> list[Post]:
        """Tagged copies of ``posts``, in order (the inputs are not modified)."""
        if not posts:
            return []
        clock = time.perf_counter
        marks = [clock()]
        texts = [pii.mask(p.text, plates=self.mask_plates) for p in posts]
        titles = [pii.mask(p.title, plates=self.mask_plates) if p.title else p.title for p in posts]
        marks.append(clock())
        cleaned = [clean(f"{title} . {text}" if title else text) for title, text in zip(titles, texts)]
        normalised = [map_words(c) for c in cleaned]
        marks.append(clock())
        langs = language.detect_many(cleaned, self.default_lang)
        marks.append(clock())
        sentiments = self._sentiments(normalised)
        marks.append(clock())
        kinds = self.kind.predict(normalised) if self.kind is not None else [None] * len(posts)
        marks.append(clock())
        topics = self._topics(normalised)
        taxonomy = self.taxonomy
        agencies = [taxonomy.agencies_for(t) if taxonomy is not None else [] for t in topics]
        marks.append(clock())
        regions = [self.gazetteer.resolve(n) for n in normalised]
        marks.append(clock())
        if self.dedup is not None:
            clusters = self.dedup.assign([(p.id, n) for p, n in zip(posts, normalised)])
        else:
            clusters = [p.id for p in posts]
        marks.append(clock())
        tagged = [
            dataclasses.replace(
                post, text=texts[i], title=titles[i], lang=langs[i], sentiment=sentiments[i], kind=kinds[i],
                topics=topics[i], agencies=agencies[i], region=regions[i], cluster_id=clusters[i],
                model_version=self.model_version,
            )
            for i, post in enumerate(posts)
        ]
        marks.append(clock())
        for stage, start, stop in zip(STAGES, marks, marks[1:]):
            self.stage_seconds[stage] += stop - start
        self.posts_tagged += len(posts)
        return tagged

    def _sentiments(self, normalised: list[str]) -> list[Sentiment | None]:
        """The model runs once per distinct normalised text of the batch (reposts, campaigns)."""
        if self.sentiment is None:
            return [None] * len(normalised)
        unique = list(dict.fromkeys(normalised))
        found = {text: Sentiment(label=s.label, score=float(s.score))
                 for text, s in zip(unique, self.sentiment.predict(unique, normalized=True))}
        return [found[text] for text in normalised]

    def _topics(self, normalised: list[str]) -> list[list[str]]:
        if self.topics is not None:
            return [list(t) for t in self.topics.predict(normalised)]
        if self.taxonomy is not None:
            return [self.taxonomy.match(n) for n in normalised]
        return [[] for _ in normalised]


def _shipped_kind() -> tuple[KindPredictor, str]:
    """The shipped kind model and its version; its cue rules alone when the folder is missing."""
    from nlp.kind import MODEL_DIR, KindClassifier

    if (MODEL_DIR / "config.json").is_file():
        return KindClassifier.load(MODEL_DIR), _folder_version(MODEL_DIR)
    log.warning("no kind model in %s: using the kind rules alone", MODEL_DIR)
    return KindClassifier(None, "rules"), "rules"


def _shipped_topics(taxonomy: Taxonomy) -> tuple[TopicPredictor, str]:
    """The shipped topic model and its version; the keyword rules alone when the folder is missing."""
    from nlp.topics import MODEL_DIR, TopicClassifier

    if (MODEL_DIR / "config.json").is_file():
        return TopicClassifier.load(taxonomy, MODEL_DIR), _folder_version(MODEL_DIR)
    log.warning("no topic model in %s: using the taxonomy's keyword rules alone", MODEL_DIR)
    return TopicClassifier(taxonomy, None, "rules"), "rules"


def _folder_version(folder: Path) -> str:
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    return str(config.get("version") or folder.name)


def _version(components: dict[str, object], known: dict[str, str]) -> str:
    """``sentiment@<version>+kind@<version>+topics@<version>`` for the components present."""
    parts = []
    for name in ("sentiment", "kind", "topics"):
        component = components.get(name)
        if component is not None:
            mode = getattr(component, "mode", None)
            fallback = f"{type(component).__name__}:{mode}" if mode else type(component).__name__
            parts.append(f"{name}@{known.get(name) or getattr(component, 'version', None) or fallback}")
    return "+".join(parts) or "rules"
