"""``store``: the same behaviour suite over each backend, loaded with the dataset's posts.

``elasticsearch`` runs against osmem-server on loopback, or a real cluster when ES_URL is set
(see tests/harness/osmem.py). Each test gets its own index prefix, removed afterwards.
"""

from __future__ import annotations

import uuid

import pytest

from indexer.store import Store
from tests.indexer.dataset import POSTS

BACKENDS = ["embedded", pytest.param("elasticsearch", marks=pytest.mark.es)]


def open_backend(name: str, tmp_path, request) -> Store:
    if name == "embedded":
        from indexer.embedded.store import EmbeddedStore

        return EmbeddedStore(tmp_path / "store")
    from indexer.elastic.store import ElasticStore

    server = request.getfixturevalue("es_server")
    client = request.getfixturevalue("es_client")
    prefix = f"test{uuid.uuid4().hex[:10]}"
    # osmem-server has no `indonesian` analyzer ("the [indonesian] analyzer is not supported by
    # osmem"); only the ranking field uses it, matching runs on the `standard` subfields.
    store = ElasticStore(client, prefix=prefix, replicas=0, analyzer="standard" if server.emulated else "indonesian")

    def drop() -> None:
        client.options(ignore_status=404).indices.delete(index=f"{prefix}-posts-*")
        client.options(ignore_status=404).indices.delete_index_template(name=f"{prefix}-posts")

    request.addfinalizer(drop)
    return store


@pytest.fixture(params=BACKENDS)
def empty_store(request, tmp_path):
    store = open_backend(request.param, tmp_path, request)
    yield store
    store.close()


@pytest.fixture
def store(empty_store):
    assert empty_store.put_many(POSTS) == len(POSTS)
    return empty_store
