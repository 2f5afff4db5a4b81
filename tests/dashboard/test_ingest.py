"""Push ingest: tokens per channel, records validated into Posts and spooled, bad ones named."""

from __future__ import annotations

from pantau.privacy import author_hash
from pantau.spool import Spool
from tests.dashboard.conftest import PUSH_TOKEN

AUTH = {"authorization": f"Bearer {PUSH_TOKEN}"}


def _record(native_id: str, **over):
    return {"native_id": native_id, "text": f"Lampu jalan mati {native_id}", "published_at": "2025-01-31T08:00:00+07:00",
            "author_id": "6281234", **over}


def _spooled(cfg) -> list:
    with Spool(cfg.data_dir / "spool.sqlite3") as spool:
        batch = spool.claim(1000)
    return batch.posts if batch else []


def test_good_batch_is_spooled_as_push_posts_with_hashed_authors(client_for, cfg):
    response = client_for().post("/api/posts", json={"posts": [_record("a1"), _record("a2", author_name="Budi")]}, headers=AUTH)
    assert response.status_code == 202
    assert response.json()["accepted"] == 2 and response.json()["channel"] == "bridge"
    posts = sorted(_spooled(cfg), key=lambda p: p.native_id)
    assert [p.native_id for p in posts] == ["a1", "a2"]
    assert all(p.source == "push" and p.site == "bridge" for p in posts)
    assert posts[0].author_hash == author_hash(b"test-author-key", "push", "bridge:6281234")
    assert "6281234" not in str(posts[0].to_dict())


def test_bad_record_gets_422_naming_the_field_and_good_ones_are_kept(client_for, cfg):
    batch = [_record("b1"), _record("b2", text=""), _record("b3", published_at="yesterday"), _record("b4", likes=-1)]
    response = client_for().post("/api/posts", json={"posts": batch}, headers=AUTH)
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["field"] == "posts[1].text"
    assert [(r["index"], r["field"]) for r in body["rejected"]] == [(1, "text"), (2, "published_at"), (3, "likes")]
    assert body["accepted"] == 1
    assert [p.native_id for p in _spooled(cfg)] == ["b1"]


def test_unknown_field_and_naive_time_are_named(client_for):
    batch = [_record("c1", author_hash="forged"), _record("c2", published_at="2025-01-31T08:00:00")]
    rejected = client_for().post("/api/posts", json={"posts": batch}, headers=AUTH).json()["rejected"]
    assert [r["field"] for r in rejected] == ["author_hash", "published_at"]


def test_wrong_or_missing_token_is_401_and_nothing_is_spooled(client_for, cfg):
    client = client_for()
    assert client.post("/api/posts", json={"posts": [_record("d1")]}, headers={"authorization": "Bearer nope"}).status_code == 401
    assert client.post("/api/posts", json={"posts": [_record("d1")]}).status_code == 401
    assert _spooled(cfg) == []


def test_shape_errors(client_for):
    client = client_for()
    assert client.post("/api/posts", content=b"{not json", headers={**AUTH, "content-type": "application/json"}).status_code == 400
    assert client.post("/api/posts", json=[_record("e1")], headers=AUTH).json()["error"]["field"] == "posts"
    too_many = client.post("/api/posts", json={"posts": [_record(str(i)) for i in range(1001)]}, headers=AUTH)
    assert too_many.status_code == 413


def test_resending_a_batch_is_idempotent(client_for, cfg):
    client = client_for()
    for _ in range(2):
        assert client.post("/api/posts", json={"posts": [_record("f1")]}, headers=AUTH).status_code == 202
    assert len(_spooled(cfg)) == 1
