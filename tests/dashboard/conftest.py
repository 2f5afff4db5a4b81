"""Fixtures for the dashboard: a config in tmp_path, real posts in a real embedded store (opened
through indexer's factory), users of every role, and signed-in in-process clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from dashboard.app import create_app
from dashboard.context import Dashboard
from indexer.factory import open_store
from pantau.config import Config, load_config
from pantau.post import Post, Region, Sentiment

PASSWORD = "correct horse battery"
PUSH_TOKEN = "push-token-bridge-0123456789"
HOSTILE = '<script>alert("x")</script> jalan <img src=x onerror=alert(1)> rusak parah'
NOW = datetime.now(timezone.utc)
#: argon2 with a small cost: the same algorithm and checks, without 0.5 s per hash in every test.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def make_posts() -> list[Post]:
    """Posts of the last week: roads/DPU in Semarang, health/Dinkes in Solo, one hostile text."""
    posts = []
    for i in range(30):
        road = i % 3 != 0
        posts.append(Post(
            source="playstore" if i % 2 else "news", native_id=f"n{i}", site="app.example" if i % 2 else "berita.example",
            url=f"https://berita.example/{i}", title=None if i % 2 else f"Berita {i}",
            text=(f"jalan rusak berlubang di Semarang nomor {i}" if road else f"antrean puskesmas lama sekali nomor {i}"),
            published_at=NOW - timedelta(hours=3 * i + 1), author_hash=f"author{i % 4}",
            sentiment=Sentiment("negative" if i % 4 else "positive", 0.9), kind="complaint" if i % 4 else "praise",
            topics=["roads"] if road else ["health"], agencies=["dpu-bina-marga"] if road else ["dinkes"],
            region=Region("3374", "Kota Semarang") if road else Region("3372", "Kota Surakarta"),
            cluster_id="c-road" if road and i < 6 else None, lang="id",
        ))
    posts.append(Post(source="mastodon", native_id="hostile", text=HOSTILE, published_at=NOW - timedelta(hours=2),
                      url="javascript:alert(1)", author_hash="author0", sentiment=Sentiment("negative", 0.8),
                      kind="complaint", topics=["roads"], agencies=["dpu-bina-marga"], region=Region("3374", "Kota Semarang")))
    return posts


@pytest.fixture
def cfg(tmp_path) -> Config:
    (tmp_path / "rules").mkdir()
    (tmp_path / "pantau.toml").write_text(
        '[paths]\ndata_dir = "data"\n'
        f'[dashboard]\nsecret_key = "test-secret-key"\npush_tokens = {{ bridge = "{PUSH_TOKEN}" }}\n'
        '[alerts]\nrules = "rules"\n'
        '[privacy]\nauthor_key = "test-author-key"\n', encoding="utf-8")
    return load_config(tmp_path / "pantau.toml", env={})


@pytest.fixture
def posts() -> list[Post]:
    return make_posts()


@pytest.fixture
def indexed(cfg, posts) -> list[Post]:
    with open_store(cfg) as store:
        store.put_many(posts)
    return posts


@pytest.fixture
def app(cfg, indexed):
    application = create_app(cfg)
    users = application.state.dashboard.users
    users.hasher = FAST_HASHER
    users.add("admin", PASSWORD, "admin")
    users.add("ana", PASSWORD, "analyst")
    users.add("humas", PASSWORD, "humas")
    users.add("kadinkes", PASSWORD, "agency", ("dinkes",))
    yield application
    application.state.dashboard.close()


@pytest.fixture
def ctx(app) -> Dashboard:
    return app.state.dashboard


def login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token, "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def csrf_of(client: TestClient) -> str:
    return client.get("/api/me").json()["csrf_token"]


@pytest.fixture
def client_for(app) -> Iterator[Callable[[str], TestClient]]:
    clients: list[TestClient] = []

    def make(username: str | None = None) -> TestClient:
        client = TestClient(app, base_url="https://testserver")
        clients.append(client)
        return login(client, username) if username else client

    yield make
    for client in clients:
        client.close()
