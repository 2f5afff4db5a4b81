"""The sample's post record, before it is written in each source's own format."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Item:
    """One post of the sample, with what each source's format needs (``extra`` per source)."""

    source: str
    native_id: str
    published_at: datetime
    text: str
    topic: str
    region: str | None = None
    spike: str | None = None
    author_id: str | None = None
    author_name: str | None = None
    title: str | None = None
    likes: int = 0
    extra: dict[str, object] = field(default_factory=dict)


def stable_id(*parts: object, size: int = 12) -> str:
    """A short id from the generator's own state (not the clock), so it survives re-anchoring."""
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=size).hexdigest()
