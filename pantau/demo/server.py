"""Serve the sample site on loopback, answering the APIs the way the real ones page.

- ``POST /play/_/PlayStoreUi/data/batchexecute``: reads ``f.req`` (app, page size, token) and
  answers one page of reviews, newest first, with the next page's token;
- ``GET /youtube/v3/commentThreads``: ``allThreadsRelatedToChannelId`` or ``videoId``,
  ``maxResults`` (1-100), ``pageToken``; without a key (``key=`` or the ``X-Goog-Api-Key``
  header) the API's 403 error body;
- ``GET /mastodon/<instance>/api/v1/timelines/tag/<tag>``: ``limit`` (max 40), ``max_id``,
  ``since_id``, ``min_id`` as Mastodon defines them, with a ``Link`` header (next/prev);
- anything else: a static file of the folder (a folder answers its ``index.html``).
"""

from __future__ import annotations

import base64
import json
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from pantau.demo import formats


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _offset(token: str | None) -> int:
    if not token:
        return 0
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    return int(raw.removeprefix("o:"))


class SiteData:
    """The API records of a site folder, loaded once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        load = lambda folder: {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((root / "api" / folder).glob("*.json"))}  # noqa: E731
        self.play: dict[str, list[Any]] = load("play")
        self.youtube: dict[str, list[dict[str, Any]]] = load("youtube")
        self.mastodon: dict[str, list[dict[str, Any]]] = load("mastodon")

    def play_page(self, form: str) -> tuple[int, str, dict[str, str]]:
        try:
            outer = json.loads(parse_qs(form)["f.req"][0])
            inner = json.loads(outer[0][0][1])
            app, count, token = inner[3][0], int(inner[2][2][0]), inner[2][2][2]
            offset = _offset(token)
        except (KeyError, IndexError, ValueError, TypeError):
            return 400, ")]}'\n\n[[\"er\",null,null,null,null,400,null,null,null,3]]\n", {}
        reviews = self.play.get(app, [])
        page = reviews[offset: offset + count]
        more = _token(offset + count) if offset + count < len(reviews) else None
        return 200, formats.batchexecute(page, more), {"Content-Type": "application/json; charset=utf-8"}

    def youtube_page(self, query: dict[str, str], api_key: str | None) -> tuple[int, str, dict[str, str]]:
        json_type = {"Content-Type": "application/json; charset=UTF-8"}
        if not (query.get("key") or api_key):
            error = {"error": {"code": 403, "message": "The request is missing a valid API key.", "status": "PERMISSION_DENIED",
                               "errors": [{"message": "The request is missing a valid API key.", "domain": "global", "reason": "forbidden"}]}}
            return 403, json.dumps(error), json_type
        if "allThreadsRelatedToChannelId" in query:
            threads = self.youtube.get(query["allThreadsRelatedToChannelId"], [])
        else:
            threads = [t for ts in self.youtube.values() for t in ts if t["snippet"]["videoId"] == query.get("videoId")]
        size = max(1, min(100, int(query.get("maxResults", 20))))
        offset = _offset(query.get("pageToken"))
        body: dict[str, Any] = {"kind": "youtube#commentThreadListResponse", "etag": f"demo-{offset}",
                                "pageInfo": {"totalResults": len(threads[offset: offset + size]), "resultsPerPage": size},
                                "items": threads[offset: offset + size]}
        if offset + size < len(threads):
            body["nextPageToken"] = _token(offset + size)
        return 200, json.dumps(body, ensure_ascii=False), json_type

    def mastodon_page(self, path: str, instance: str, tag: str, query: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        statuses = [s for s in self.mastodon.get(instance, []) if any(t["name"] == tag.lower() for t in s["tags"])]
        limit = max(1, min(40, int(query.get("limit", 20))))
        newer_than = int(query.get("min_id") or query.get("since_id") or 0)
        older_than = int(query["max_id"]) if query.get("max_id") else None
        chosen = [s for s in statuses if int(s["id"]) > newer_than and (older_than is None or int(s["id"]) < older_than)]
        # min_id: the statuses just after it (the oldest of the newer ones); otherwise the newest.
        chosen = chosen[-limit:] if query.get("min_id") else chosen[:limit]
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if chosen:
            next_url = f"{path}?{urlencode({'limit': limit, 'max_id': chosen[-1]['id']})}"
            prev_url = f"{path}?{urlencode({'limit': limit, 'min_id': chosen[0]['id']})}"
            headers["Link"] = f'<{next_url}>; rel="next", <{prev_url}>; rel="prev"'
        return 200, json.dumps(chosen, ensure_ascii=False), headers


def _handler(site: SiteData, base: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # the demo's console stays readable
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            segments = [unquote(s) for s in parts.path.strip("/").split("/")]
            if segments[:3] == ["youtube", "v3", "commentThreads"]:
                self._send(*site.youtube_page(query, self.headers.get("X-Goog-Api-Key")))
            elif segments[:1] == ["mastodon"] and segments[2:6] == ["api", "v1", "timelines", "tag"] and len(segments) == 7:
                self._send(*site.mastodon_page(base.rstrip("/") + parts.path, segments[1], segments[6], query))
            else:
                self._static(parts.path)

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
            if urlsplit(self.path).path.endswith("/_/PlayStoreUi/data/batchexecute"):
                self._send(*site.play_page(body))
            else:
                self._send(404, "not found", {})

        def _static(self, path: str) -> None:
            target = (site.root / unquote(path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if site.root.resolve() not in target.parents or not target.is_file() or "api" == target.relative_to(site.root.resolve()).parts[0]:
                self._send(404, "not found", {})
                return
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if target.suffix == ".xml":
                ctype = "application/rss+xml" if target.name == "rss.xml" else "application/xml"
            self._send(200, target.read_bytes(), {"Content-Type": f"{ctype}; charset=utf-8"})

        def _send(self, status: int, body: str | bytes, headers: dict[str, str]) -> None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


class SiteServer:
    """The site folder served on ``host:port`` (port 0: a free one) in a background thread."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.httpd = ThreadingHTTPServer((host, port), BaseHTTPRequestHandler)
        self.httpd.daemon_threads = True
        self.host, self.port = host, self.httpd.server_address[1]
        self.root = root
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> SiteServer:
        """Load the folder's API records and start answering (call after the site is written)."""
        self.httpd.RequestHandlerClass = _handler(SiteData(self.root), self.base_url)
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="demo-site", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
        self.httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
