"""The Post record: the one contract between Pantau's stages.

A crawler builds a Post, the spool stores it as JSON, the tagger fills in the tag fields and the
indexer stores it. Nothing else of the project is imported here, so every package may import it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

#: The kinds of source Pantau reads. A configured instance of a kind (a feed, an app id, an
#: import channel) is the post's ``site``.
SOURCES: frozenset[str] = frozenset(
    {"news", "playstore", "youtube", "mastodon", "bluesky", "x", "import", "push"}
)
SENTIMENT_LABELS: tuple[str, ...] = ("positive", "neutral", "negative")
KINDS: tuple[str, ...] = ("complaint", "question", "suggestion", "praise", "info")
DEFAULT_MAX_TEXT_CHARS = 20_000


class InvalidPost(ValueError):
    """A record that breaks the contract. ``field`` names the offending field."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"invalid post: {field_name}: {problem}")
        self.field = field_name
        self.problem = problem


def post_id(source: str, native_id: str) -> str:
    """The stable id of a post: the same source and native id give the same id everywhere.

    A keyless hash (not Python's salted ``hash``) so that ids agree across processes and runs,
    which is what makes re-crawls and replays idempotent.
    """
    digest = hashlib.blake2b(f"{source}\x1f{native_id}".encode(), digest_size=16)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: str
    score: float


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # BPS code, e.g. "3374" for Kota Semarang
    name: str


@dataclass(slots=True)
class Post:
    """One public post. Times are UTC-aware; tag fields are empty until nlp/ fills them.

    ``extra`` holds source-specific facts that are worth keeping but not worth a column:
    for Play Store reviews ``app_version``, ``reply_text`` and ``reply_at`` (the agency's answer
    and its time, ISO 8601).
    """

    source: str
    native_id: str
    text: str
    published_at: datetime
    site: str = ""
    url: str | None = None
    thread_id: str | None = None
    parent_id: str | None = None
    author_hash: str | None = None
    author_name: str | None = None
    title: str | None = None
    lang: str | None = None
    collected_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    likes: int | None = None
    replies: int | None = None
    shares: int | None = None
    rating: float | None = None
    sentiment: Sentiment | None = None
    kind: str | None = None
    topics: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    region: Region | None = None
    cluster_id: str | None = None
    model_version: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id and self.source and self.native_id:
            self.id = post_id(self.source, self.native_id)

    def validate(self, max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> Post:
        """Raise :class:`InvalidPost` naming the first bad field; return self when valid."""
        if self.source not in SOURCES:
            raise InvalidPost("source", f"unknown source {self.source!r}; known: {', '.join(sorted(SOURCES))}")
        if not isinstance(self.native_id, str) or not self.native_id.strip():
            raise InvalidPost("native_id", "must be a non-empty string")
        if self.id != post_id(self.source, self.native_id):
            raise InvalidPost("id", "does not match post_id(source, native_id)")
        if not isinstance(self.text, str) or not self.text.strip():
            raise InvalidPost("text", "must not be empty")
        if len(self.text) > max_text_chars:
            raise InvalidPost("text", f"{len(self.text)} characters, over the limit of {max_text_chars}")
        for name in ("published_at", "collected_at"):
            _check_aware(name, getattr(self, name))
        for name in ("likes", "replies", "shares"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise InvalidPost(name, f"must be a non-negative integer, got {value!r}")
        if self.rating is not None and not 0 <= self.rating <= 5:
            raise InvalidPost("rating", f"must be between 0 and 5, got {self.rating!r}")
        if self.sentiment is not None:
            if self.sentiment.label not in SENTIMENT_LABELS:
                raise InvalidPost("sentiment", f"unknown label {self.sentiment.label!r}")
            if not 0.0 <= self.sentiment.score <= 1.0:
                raise InvalidPost("sentiment", f"score must be in [0, 1], got {self.sentiment.score!r}")
        if self.kind is not None and self.kind not in KINDS:
            raise InvalidPost("kind", f"unknown kind {self.kind!r}; known: {', '.join(KINDS)}")
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (datetimes as ISO 8601 strings)."""
        data = dataclasses.asdict(self)
        data["published_at"] = self.published_at.isoformat()
        data["collected_at"] = self.collected_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Post:
        """Inverse of :meth:`to_dict`; unknown keys are an error naming the key."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidPost(unknown[0], "unknown field")
        values = dict(data)
        for name in ("published_at", "collected_at"):
            if isinstance(values.get(name), str):
                values[name] = _parse_time(name, values[name])
        if isinstance(values.get("sentiment"), dict):
            values["sentiment"] = Sentiment(**values["sentiment"])
        if isinstance(values.get("region"), dict):
            values["region"] = Region(**values["region"])
        for required in ("source", "native_id", "text", "published_at"):
            if required not in values:
                raise InvalidPost(required, "missing")
        return cls(**values)


def _check_aware(name: str, value: Any) -> None:
    if not isinstance(value, datetime):
        raise InvalidPost(name, f"must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidPost(name, "naive datetime; give a time zone (UTC is stored)")


def _parse_time(name: str, text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidPost(name, f"not an ISO 8601 time: {text!r}") from exc
