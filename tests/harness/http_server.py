"""A local HTTP server for hand-written copies of source pages (127.0.0.1, port 0).

Files under a folder are served by path. The query string chooses misbehaviour, in the manner
of Scrapy's mock server, so one copy serves many hostile cases:

- ``status=429&retry_after=2``: answer with that status (and Retry-After header) instead;
- ``delay=0.5``: wait before answering;
- ``charset=windows-1252``: re-encode the (UTF-8) file and declare that charset;
- ``truncate=100``: send only the first N bytes (with the full Content-Length);
- ``redirect=/other``: answer 302 to that location.

Paged APIs: a sibling file ``name@MARKER.ext`` is served instead of ``name.ext`` when MARKER
occurs in the request's decoded URL or POST body (the longest marker wins), so each page of a
saved API answer is its own file, chosen by the page token, cursor or ``min_id`` the client sent.

Every request is recorded (path and query) so tests can assert what a spider asked for.
"""

from __future__ import annotations

import mimetypes
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest

FILES = Path(__file__).resolve().parent.parent / "files"


@dataclass
class FileServer:
    root: Path
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[str] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}/{path.lstrip('/')}"


def _handler(server: FileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        request_body = ""

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(send_body=False)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            self.request_body = self.rfile.read(length).decode("utf-8", "replace")
            self._answer(send_body=True)

        def _answer(self, send_body: bool) -> None:
            server.requests.append(self.path)
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            if "delay" in query:
                time.sleep(float(query["delay"]))
            if "redirect" in query:
                self._send(302, b"", {"Location": query["redirect"]}, send_body)
                return
            if "status" in query:
                headers = {"Retry-After": query["retry_after"]} if "retry_after" in query else {}
                self._send(int(query["status"]), f"status {query['status']}".encode(), headers, send_body)
                return
            target = _page_variant((server.root / parts.path.lstrip("/")).resolve(),
                                   unquote_plus(self.path) + "\n" + unquote_plus(self.request_body))
            if target.is_dir():
                target = target / "index.html"
            if server.root.resolve() not in target.parents or not target.is_file():
                self._send(404, b"not found", {}, send_body)
                return
            body = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if "charset" in query:
                body = body.decode("utf-8").encode(query["charset"], errors="replace")
                ctype = f"{ctype}; charset={query['charset']}"
            length = len(body)
            if "truncate" in query:
                body = body[: int(query["truncate"])]
            self._send(200, body, {"Content-Type": ctype}, send_body, length=length)

        def _send(self, status: int, body: bytes, headers: dict[str, str], send_body: bool, length: int | None = None) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            if length is not None and length != len(body):
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if send_body:
                self.wfile.write(body)

    return Handler


def _page_variant(target: Path, request_text: str) -> Path:
    """``name@MARKER.ext`` when its MARKER occurs in the request, else ``target`` itself."""
    if not target.parent.is_dir():
        return target
    known_type = mimetypes.guess_type(target.name)[0] is not None  # "searchPosts" in "app.bsky.feed.searchPosts" is no type
    stem, suffix = (target.stem, target.suffix) if known_type else (target.name, "")
    best: tuple[int, Path] | None = None
    for candidate in target.parent.iterdir():
        name = candidate.name
        if not (name.startswith(f"{stem}@") and name.endswith(suffix)):
            continue
        marker = name[len(stem) + 1 : len(name) - len(suffix)]
        if marker and marker in request_text and (best is None or len(marker) > best[0]):
            best = (len(marker), candidate)
    return best[1] if best else target


def serve(root: Path) -> Iterator[FileServer]:
    """Serve ``root`` until the generator is closed."""
    server = FileServer(root=root)
    httpd = ThreadingHTTPServer((server.host, 0), _handler(server))
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def file_server() -> Iterator[FileServer]:
    """tests/files/ served on 127.0.0.1 for the whole session."""
    yield from serve(FILES)


@pytest.fixture
def serve_folder():
    """Serve any folder: ``server = serve_folder(path)``; stopped after the test."""
    generators = []

    def start(root: Path) -> FileServer:
        gen = serve(Path(root))
        generators.append(gen)
        return next(gen)

    yield start
    for gen in generators:
        gen.close()
