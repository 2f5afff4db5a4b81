"""A large local copy of every source kind, and a loopback server for it (``pantau bench crawl``).

:func:`build` writes news feeds with their article pages, Play Store batchexecute pages, YouTube,
Bluesky and X API pages (paged by the same tokens the real APIs use) and a Mastodon timeline,
in the formats of ``tests/files``. :func:`serve` answers from memory; a file ``name@MARKER``
answers instead of ``name`` when MARKER occurs in the request's URL or body (one file per page).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

APPS = ("bench.app.one", "bench.app.two")
START = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
TOPICS = ["jalan rusak di Kecamatan Tembalang", "air PDAM mati di Semarang Barat", "antrean KTP di Disdukcapil",
          "banjir di Pekalongan", "pelayanan RSUD lambat", "bansos belum cair di Brebes", "sampah menumpuk di pasar"]


def _text(i: int) -> str:
    return f"Laporan {i}: warga mengeluhkan {TOPICS[i % len(TOPICS)]}, mohon ditindaklanjuti. Terima kasih."


def _stamp(i: int) -> datetime:
    return START - timedelta(minutes=i)


def _write(root: Path, rel: str, body: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")


def _news(root: Path, feeds: int, per_feed: int) -> int:
    for f in range(feeds):
        items = []
        for j in range(per_feed):
            n = f * per_feed + j
            items.append(f"<item><title>Berita {n}</title><link>/news/a/{n}.html</link><guid>{n}</guid>"
                         f"<pubDate>{_stamp(n).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>")
            paras = "".join(f"<p>{_text(n + k)} Paragraf {k} berisi keterangan pejabat dan warga setempat.</p>" for k in range(4))
            _write(root, f"news/a/{n}.html", f"<html><head><title>Berita {n}</title></head><body><nav><a href='/'>Beranda</a></nav>"
                   f"<article><h1>Berita {n}</h1>{paras}</article><footer>Redaksi</footer></body></html>")
        _write(root, f"news/feed{f}.xml", f"<?xml version='1.0'?><rss version='2.0'><channel><title>F{f}</title>{''.join(items)}</channel></rss>")
    return feeds * per_feed


def _paged(root: Path, path: str, pages: int, marker: str, body: Callable[[int, str | None], str], first: str = "") -> None:
    """Page 0 at ``path`` (or ``path@first``), page p at ``path@marker(p)``; each names the next token."""
    for p in range(pages):
        name = (f"{path}@{first}" if first else path) if p == 0 else f"{path}@{marker.format(p)}"
        _write(root, name, body(p, marker.format(p + 1).split("=", 1)[-1] if p + 1 < pages else None))


def build(root: Path, pages: int = 10, per_page: int = 100, feeds: int = 3, per_feed: int = 100) -> dict[str, int]:
    """Write the site under ``root``; return the posts each source holds."""
    from crawlers.spiders.playstore import RPC

    def review(i: int) -> list:
        return [f"gp:bench{i}", [f"User {i}", [None, 2, None, [None, None, f"https://img/{i % 500}"]]], 1 + i % 5, None,
                _text(i), [int(_stamp(i).timestamp()), 0], i % 7, None, None, None, "1.0.0"]

    def play(offset: int) -> Callable[[int, str | None], str]:
        def page(p: int, token: str | None) -> str:
            payload = json.dumps([[review(offset + p * per_page + k) for k in range(per_page)], [None, token]])
            return ")]}'\n\n" + json.dumps([["wrb.fr", RPC, payload, None, None, None, "generic"]])
        return page

    def youtube(p: int, token: str | None) -> str:
        items = [{"id": f"t{i}", "snippet": {"channelId": "UCbench", "videoId": "v1", "totalReplyCount": 0, "topLevelComment": {
            "id": f"c{i}", "snippet": {"textOriginal": _text(i), "authorDisplayName": f"@u{i}", "authorChannelId": {"value": f"UC{i % 300}"},
                                       "likeCount": i % 9, "publishedAt": _stamp(i).isoformat().replace("+00:00", "Z")}}}}
                 for i in (p * per_page + k for k in range(per_page))]
        return json.dumps({"items": items, **({"nextPageToken": token} if token else {})})

    def bluesky(p: int, cursor: str | None) -> str:
        posts = [{"uri": f"at://did:plc:u{i % 300}/app.bsky.feed.post/{i}", "author": {"did": f"did:plc:u{i % 300}", "handle": f"u{i}.bsky.social"},
                  "record": {"text": _text(i), "createdAt": _stamp(i).isoformat(), "langs": ["id"]}, "likeCount": 1}
                 for i in (p * per_page + k for k in range(per_page))]
        return json.dumps({"posts": posts, **({"cursor": cursor} if cursor else {})})

    def x(p: int, token: str | None) -> str:
        data = [{"id": str(10**18 - i), "text": _text(i), "created_at": _stamp(i).isoformat(), "author_id": str(i % 300),
                 "public_metrics": {"like_count": 1, "reply_count": 0, "retweet_count": 0, "quote_count": 0}}
                for i in (p * per_page + k for k in range(per_page))]
        return json.dumps({"data": data, "meta": {"newest_id": data[0]["id"], **({"next_token": token} if token else {})}})

    counts = {"news": _news(root, feeds, per_feed)}
    for number, app in enumerate(APPS):
        _paged(root, "playstore/_/PlayStoreUi/data/batchexecute", pages, "tok{}" + app, play(number * 10**6), first=app)
    counts["playstore"] = 2 * pages * per_page
    _paged(root, "youtube/commentThreads", pages, "pageToken=yt{}", youtube)
    _paged(root, "bluesky/xrpc/app.bsky.feed.searchPosts", pages, "cursor=bs{}", bluesky)
    _paged(root, "x/2/tweets/search/recent", pages, "next_token=x{}", x)
    counts.update(youtube=pages * per_page, bluesky=pages * per_page, x=pages * per_page)
    _write(root, "bluesky/xrpc/com.atproto.server.createSession", json.dumps({"accessJwt": "bench", "did": "did:plc:bench"}))
    statuses = [{"id": str(10**17 + i), "uri": f"https://m.example/s/{i}", "created_at": _stamp(i).isoformat(), "content": f"<p>{_text(i)}</p>",
                 "account": {"url": f"https://m.example/@u{i}", "acct": f"u{i}"}} for i in range(40)]
    _write(root, "mastodon/api/v1/timelines/tag/jateng", json.dumps(statuses))
    counts["mastodon"] = 40
    return counts


class _Site:
    def __init__(self, root: Path) -> None:
        self.files: dict[str, bytes] = {}
        self.variants: dict[str, list[tuple[str, str]]] = {}
        for path in root.rglob("*"):
            if path.is_file():
                rel = "/" + path.relative_to(root).as_posix()
                self.files[rel] = path.read_bytes()
                base, _, marker = rel.partition("@")
                if marker:
                    self.variants.setdefault(base, []).append((marker, rel))

    def answer(self, path: str, request_text: str) -> bytes | None:
        for marker, rel in sorted(self.variants.get(path, ()), key=lambda v: -len(v[0])):
            if marker in request_text:
                return self.files[rel]
        return self.files.get(path)


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) until the block ends; yields the base URL."""
    site = _Site(root)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer("")

        def do_POST(self) -> None:  # noqa: N802
            self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace"))

        def _answer(self, body: str) -> None:
            path = urlsplit(self.path).path
            data = site.answer(path, unquote_plus(self.path) + "\n" + unquote_plus(body))
            self.send_response(200 if data is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8" if path.endswith(".html") else "application/octet-stream")
            self.send_header("Content-Length", str(len(data or b"")))
            self.end_headers()
            self.wfile.write(data or b"")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
