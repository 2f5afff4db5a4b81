"""`pantau serve` starts the dashboard on the configured host and port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_on_the_configured_port(tmp_path):
    port = _free_port()
    config = tmp_path / "pantau.toml"
    config.write_text(f'[paths]\ndata_dir = "data"\n[dashboard]\nhost = "127.0.0.1"\nport = {port}\n', encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "pantau.cli", "--config", str(config), "serve"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "pantau serve did not answer within 60 s"
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert page.status_code == 303 and page.headers["location"] == "/login?next=%2F"
        assert "content-security-policy" in page.headers
    finally:
        server.terminate()
        server.wait(timeout=30)
