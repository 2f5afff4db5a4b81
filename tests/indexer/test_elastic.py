"""What only the Elasticsearch backend has: its layout, its failure modes, its retries."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from elasticsearch import Elasticsearch

from pantau.config import load_config
from pantau.errors import PantauError, StoreUnavailable
from indexer.elastic import mapping
from indexer.elastic.store import ElasticStore
from indexer.factory import open_store
from indexer.query import parse
from tests.harness.osmem import JsonMediaTypeNode
from tests.harness.smtp import free_port
from tests.indexer.dataset import POSTS

pytestmark = pytest.mark.es


@pytest.fixture
def prefix(es_client) -> Iterator[str]:
    name = f"test{uuid.uuid4().hex[:10]}"
    yield name
    es_client.options(ignore_status=404).indices.delete(index=f"{name}-posts-*")
    es_client.options(ignore_status=404).indices.delete_index_template(name=f"{name}-posts")


def _analyzer(es_server) -> str:
    return "standard" if es_server.emulated else "indonesian"


def test_template_maps_keywords_and_twice_analysed_text():
    body = mapping.template("pantau", shards=3, replicas=2, ilm_policy="pantau-90d")
    props = body["template"]["mappings"]["properties"]
    assert props["text"] == {"type": "text", "analyzer": "indonesian", "fields": {"std": {"type": "text", "analyzer": "standard"}}}
    assert props["sentiment"]["properties"]["label"] == {"type": "keyword"}
    assert props["topics"] == {"type": "keyword"} and props["region"]["properties"]["code"] == {"type": "keyword"}
    assert body["template"]["settings"] == {"number_of_shards": 3, "number_of_replicas": 2, "index.lifecycle.name": "pantau-90d"}
    assert body["template"]["aliases"] == {"pantau-posts": {}}
    assert body["index_patterns"] == ["pantau-posts-*"]


def test_posts_land_in_monthly_indices_behind_the_alias(es_server, es_client, prefix):
    store = ElasticStore(es_client, prefix=prefix, replicas=0, analyzer=_analyzer(es_server))
    store.put_many(POSTS)
    behind_alias = set(es_client.indices.get_alias(name=f"{prefix}-posts"))
    assert behind_alias == {f"{prefix}-posts-2024.11", f"{prefix}-posts-2025.03"}


def test_real_cluster_analyses_text_in_indonesian(es_server, es_client, prefix):
    if es_server.emulated:
        pytest.skip("emulator-limited: osmem-server 0.1.6 answers 'the [indonesian] analyzer is not supported by osmem'")
    store = ElasticStore(es_client, prefix=prefix, replicas=0)
    store.put_many(POSTS[:1])
    tokens = es_client.indices.analyze(index=f"{prefix}-posts", field="text", text="pembangunan jalanan")["tokens"]
    assert [t["token"] for t in tokens] != ["pembangunan", "jalanan"]  # stemmed


def test_unreachable_cluster_is_store_unavailable():
    dead = Elasticsearch(f"http://127.0.0.1:{free_port()}", node_class=JsonMediaTypeNode, max_retries=0, request_timeout=2)
    with pytest.raises(StoreUnavailable, match="cannot reach Elasticsearch at http://127.0.0.1"):
        ElasticStore(dead)


def test_open_store_reads_the_store_settings(tmp_path, es_server):
    cfg_file = tmp_path / "pantau.toml"
    cfg_file.write_text('[store]\nbackend = "elasticsearch"\nes_url = "http://127.0.0.1:1"\n')
    with pytest.raises(StoreUnavailable, match="127.0.0.1:1"):
        open_store(load_config(cfg_file, env={}))
    with pytest.raises(PantauError, match="es_url"):
        ElasticStore.from_settings(load_config(None, env={}).store)


class _TooManyRequestsOnce:
    """A loopback proxy to the cluster that answers the first bulk request with 429."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.bulk_calls = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.split("?")[0].endswith("/_bulk"):
                    proxy.bulk_calls += 1
                    if proxy.bulk_calls == 1:
                        payload = b'{"error":{"type":"es_rejected_execution_exception","reason":"queue full"},"status":429}'
                        self.send_response(429)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(payload)))
                        self.end_headers()
                        self.wfile.write(payload)
                        return
                request = urllib.request.Request(proxy.upstream + self.path, data=body or None, method=self.command,
                                                 headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
                try:
                    response = urllib.request.urlopen(request, timeout=30)
                except urllib.error.HTTPError as exc:
                    response = exc
                data = response.read()
                self.send_response(response.status)
                for name, value in response.headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_bulk_is_retried_after_429(es_server, es_client, prefix):
    if not es_server.emulated:
        pytest.skip("the 429 proxy sits in front of the local emulator only")
    proxy = _TooManyRequestsOnce(es_server.url)
    client = Elasticsearch(proxy.url, node_class=JsonMediaTypeNode)
    try:
        store = ElasticStore(client, prefix=prefix, replicas=0, analyzer="standard")
        assert store.put_many(POSTS) == len(POSTS)
        assert proxy.bulk_calls >= 2
        assert store.count(parse("")) == len(POSTS)
    finally:
        client.close()
        proxy.close()
