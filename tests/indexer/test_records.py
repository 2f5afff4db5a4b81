"""The record codec: the Post contract, round-tripped quickly."""

from __future__ import annotations

import json
from datetime import timezone

import pytest

from pantau.post import InvalidPost, Post
from indexer import records as rec
from tests.indexer.dataset import POSTS


def test_record_is_post_to_dict_without_nones():
    post = POSTS[10]
    expected = {k: v for k, v in post.to_dict().items() if v is not None and not (k == "extra" and not v)}
    expected["published_at"] = post.published_at.astimezone(timezone.utc).isoformat()  # times kept in UTC
    expected["collected_at"] = post.collected_at.astimezone(timezone.utc).isoformat()
    assert rec.to_record(post) == expected
    assert Post.from_dict(rec.to_record(post)) == post


def test_derived_keys_of_older_records_are_read_back_away():
    old = json.dumps({**rec.to_record(POSTS[0]), "_sentiment": "negative", "_region": "3374"})
    assert rec.decode(old) == rec.decode(old.encode()) == POSTS[0]


def test_a_broken_record_names_the_field():
    data = rec.to_record(POSTS[0])
    data["colour"] = "red"
    with pytest.raises(InvalidPost, match="colour"):
        rec.from_record(data)


@pytest.mark.parametrize("post", POSTS[:3])
def test_packed_record_round_trips_with_times_in_utc(post):
    packed = rec.pack(post)
    assert rec.decode(packed) == post
    data = json.loads(packed)
    assert data["published_at"] == post.published_at.astimezone(timezone.utc).isoformat()
    assert Post.from_dict(data) == post  # the Post contract's shape, empty fields as null


def test_the_stored_record_is_posts_own_json():
    data = json.loads(rec.pack(POSTS[0]))
    assert not any(k.startswith("_") for k in data) and data["sentiment"] == {"label": "negative", "score": 0.9}