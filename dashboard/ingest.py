"""Push ingest: channels that push posts to us (a complaint-system bridge, a WhatsApp inbox).

Each channel has its own token (``[dashboard] push_tokens``); its posts get ``source = "push"``
and ``site = <channel>``. A record carries the sender's raw account id as ``author_id``; it is
turned into the keyed author hash here and never stored. Records are validated one by one into
:class:`Post` records and every good one is spooled in one transaction, exactly like crawled
posts; the bad ones are named (index, field, problem) in a 422 answer.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from pantau.config import Config
from pantau.post import InvalidPost, Post
from pantau.privacy import author_hash, author_key

MAX_BATCH = 1000
#: What a pushed record may carry; tags are added by nlp/, ids and hashes by us.
FIELDS = frozenset({
    "native_id", "text", "published_at", "url", "title", "lang", "author_id", "author_name",
    "thread_id", "parent_id", "likes", "replies", "shares", "rating", "extra",
})


@dataclass(frozen=True)
class Rejected:
    index: int
    field: str
    problem: str

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "message": self.problem}


def channel_for(cfg: Config, token: str) -> str | None:
    """The channel whose token this is (compared in constant time), else None."""
    found = None
    for channel, expected in cfg.dashboard.push_tokens.items():
        if expected and hmac.compare_digest(expected.encode(), token.encode()):
            found = channel
    return found


def to_post(cfg: Config, key: bytes, channel: str, record: Any) -> Post:
    """One pushed record as a valid Post, or :class:`InvalidPost` naming the field."""
    if not isinstance(record, dict):
        raise InvalidPost("(record)", f"expected a JSON object, got {type(record).__name__}")
    unknown = sorted(set(record) - FIELDS)
    if unknown:
        raise InvalidPost(unknown[0], f"unknown field; allowed: {', '.join(sorted(FIELDS))}")
    values = dict(record)
    native_id = values.get("native_id")
    if isinstance(native_id, int) and not isinstance(native_id, bool):
        values["native_id"] = str(native_id)
    account = values.pop("author_id", None)
    if account is not None:
        if not isinstance(account, (str, int)) or isinstance(account, bool) or not str(account).strip():
            raise InvalidPost("author_id", "must be a non-empty string or number")
        values["author_hash"] = author_hash(key, "push", f"{channel}:{account}")
    if not cfg.crawl.keep_authors_names:
        values.pop("author_name", None)
    for name in ("text", "title", "url", "lang", "author_name", "thread_id", "parent_id"):
        if values.get(name) is not None and not isinstance(values[name], str):
            raise InvalidPost(name, f"must be a string, got {type(values[name]).__name__}")
    if "extra" in values and not isinstance(values["extra"], dict):
        raise InvalidPost("extra", "must be a JSON object")
    if "published_at" in values and not isinstance(values["published_at"], str):
        raise InvalidPost("published_at", "must be an ISO 8601 string with a time zone")
    try:
        post = Post.from_dict({**values, "source": "push", "site": channel})
    except TypeError as exc:
        raise InvalidPost("(record)", str(exc)) from exc
    return post.validate(max_text_chars=cfg.crawl.max_text_chars)


def validate_batch(cfg: Config, channel: str, records: list[Any]) -> tuple[list[Post], list[Rejected]]:
    key = author_key(cfg)
    good: dict[str, Post] = {}
    bad: list[Rejected] = []
    for index, record in enumerate(records):
        try:
            post = to_post(cfg, key, channel, record)
        except InvalidPost as exc:
            bad.append(Rejected(index, exc.field, exc.problem))
        else:
            good[post.id] = post  # the same native id twice in one batch: the last copy wins
    return list(good.values()), bad
