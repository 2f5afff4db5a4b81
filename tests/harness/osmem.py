"""An Elasticsearch for tests: ``osmem-server`` on loopback, or a real cluster when ES_URL is set.

``osmem-server`` (PyPI ``osmem-server``) is an in-memory OpenSearch-API emulator; it is a test
double for the wire protocol, not a store. The ES 9 client sends
``Accept/Content-Type: application/vnd.elasticsearch+json; compatible-with=9``, which the
emulator does not read, so :class:`JsonMediaTypeNode` rewrites those two headers to plain
``application/json`` (``x-ndjson`` for bulk) on the way out. Nothing of the library is patched.

Fixtures:

- ``es_server`` (session): an :class:`EsServer` with ``url``, ``client`` and ``emulated``. With
  ``ES_URL`` set (and optionally ``ES_API_KEY``) it is that real cluster, untouched otherwise;
  without it an ``osmem-server`` process is started on a free loopback port, waited for until it
  answers, and stopped after the session.
- ``es_client``: the session's ``elasticsearch.Elasticsearch`` client.

Tests that need what the emulator lacks check ``es_server.emulated`` and say why.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from elastic_transport import Urllib3HttpNode
from elastic_transport.client_utils import DEFAULT

from tests.harness.smtp import free_port

_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)(\s*;\s*compatible-with=\d+)?")


class JsonMediaTypeNode(Urllib3HttpNode):
    """Sends ``application/json`` where the ES client asks for its versioned media type."""

    def perform_request(self, method, target, body=None, headers=None, request_timeout=DEFAULT):  # type: ignore[override]
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _COMPAT.sub(r"application/\1", headers[name])
        return super().perform_request(method, target, body=body, headers=headers, request_timeout=request_timeout)


@dataclass
class EsServer:
    url: str
    client: object  # elasticsearch.Elasticsearch
    emulated: bool
    process: subprocess.Popen | None = None

    def stop(self) -> None:
        self.client.close()  # type: ignore[attr-defined]
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait_until_answering(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"osmem-server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url + "/", timeout=1.0) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"osmem-server did not answer on {url} within {timeout} s")


def start_osmem() -> EsServer:
    from elasticsearch import Elasticsearch
    from osmem_server import resolve_binary

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()  # never a pipe: a full pipe would stall the server
    process = subprocess.Popen(
        [resolve_binary(), "--addr", f"127.0.0.1:{port}", "--no-ja", "--no-stdin-watch", "--parent-pid", str(os.getpid())],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log,
    )
    try:
        _wait_until_answering(url, process)
    except RuntimeError as exc:
        log.seek(0)
        raise RuntimeError(f"{exc}; its output: {log.read()[-2000:].decode(errors='replace')}") from None
    finally:
        log.close()
    client = Elasticsearch(url, node_class=JsonMediaTypeNode, request_timeout=30)
    return EsServer(url, client, emulated=True, process=process)


def connect_real(url: str) -> EsServer:
    from elasticsearch import Elasticsearch

    api_key = os.environ.get("ES_API_KEY") or None
    return EsServer(url, Elasticsearch(url, api_key=api_key, request_timeout=30), emulated=False)


@pytest.fixture(scope="session")
def es_server() -> Iterator[EsServer]:
    url = os.environ.get("ES_URL")
    server = connect_real(url) if url else start_osmem()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def es_client(es_server: EsServer):
    if not es_server.emulated:  # pytest-socket allows loopback only; let this test reach the cluster
        from urllib.parse import urlsplit

        from pytest_socket import socket_allow_hosts

        socket_allow_hosts(["127.0.0.1", "localhost", "::1", urlsplit(es_server.url).hostname or ""], allow_unix_socket=True)
    return es_server.client
