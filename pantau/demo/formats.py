"""The sample's posts in the sources' own formats, as the real spiders read them.

- news: RSS 2.0 feeds, a sitemap index with monthly news sitemaps, an HTML listing with
  ``rel=next`` paging, and article pages (``article:published_time`` meta, body in ``<p>``s);
- Google Play: review arrays by position, inside the ``)]}'`` batchexecute envelope whose
  ``wrb.fr`` entry carries the payload as a JSON string ending with the paging token;
- YouTube Data API v3: ``commentThread`` resources (``youtube#commentThreadListResponse``);
- Mastodon: ``Status`` entities of ``/api/v1/timelines/tag/:tag``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape
from typing import Any

from pantau.demo.items import Item
from pantau.demo.social import Video

RPC = "UsvDTd"


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rss(title: str, home: str, entries: list[tuple[Item, str]]) -> str:
    """An RSS 2.0 channel; ``entries`` are (article, absolute URL), newest first."""
    items = "".join(
        f"""
    <item>
      <title>{escape(a.title or '')}</title>
      <link>{escape(url)}</link>
      <guid isPermaLink="true">{escape(url)}</guid>
      <pubDate>{format_datetime(a.published_at.astimezone(timezone.utc), usegmt=True)}</pubDate>
      <dc:creator>{escape(a.author_name or '')}</dc:creator>
      <description>{escape(str(a.extra['paragraphs'][0])[:240])}</description>
    </item>""" for a, url in entries)
    built = entries[0][0].published_at if entries else datetime.now(timezone.utc)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>{escape(title)}</title>
    <link>{escape(home)}</link>
    <description>Berita terkini {escape(title)}</description>
    <language>id</language>
    <lastBuildDate>{format_datetime(built.astimezone(timezone.utc), usegmt=True)}</lastBuildDate>{items}
  </channel>
</rss>
"""


def article_html(a: Item, outlet_name: str) -> str:
    paragraphs = "\n".join(f"    <p>{escape(str(p))}</p>" for p in a.extra["paragraphs"])  # type: ignore[union-attr]
    title = escape(a.title or "")
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{title} - {escape(outlet_name)}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{a.published_at.isoformat()}">
<meta name="author" content="{escape(a.author_name or '')}">
</head>
<body>
<header class="site-header"><a href="/">Beranda</a> | <a href="#">Jateng</a> | <a href="#">Ekonomi</a> | <a href="#">Olahraga</a></header>
<aside class="sidebar"><h3>Terpopuler</h3><ul><li><a href="#">Jadwal Samsat keliling pekan ini</a></li><li><a href="#">Prakiraan cuaca Jawa Tengah</a></li></ul></aside>
<article class="detail">
  <h1 class="detail__title">{title}</h1>
  <div class="detail__meta">Penulis: {escape(a.author_name or '')}</div>
  <div class="detail__body">
{paragraphs}
  </div>
</article>
<footer>{escape(outlet_name)}. Contoh data sampel Pantau, ditulis untuk proyek.</footer>
</body>
</html>
"""


def listing_html(title: str, links: list[tuple[str, str]], next_href: str | None) -> str:
    rows = "\n".join(f'  <li><a href="{escape(href)}">{escape(text)}</a></li>' for href, text in links)
    more = f'<a class="next" rel="next" href="{escape(next_href)}">Berikutnya</a>' if next_href else ""
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{escape(title)}</title></head>
<body><h1>{escape(title)}</h1>
<ul class="berita">
{rows}
</ul>
<nav class="pagination">{more}</nav>
</body></html>
"""


def sitemap_index(locs: list[str]) -> str:
    body = "".join(f"\n  <sitemap><loc>{escape(loc)}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}\n</sitemapindex>\n'


def news_sitemap(entries: list[tuple[Item, str]], publication: str) -> str:
    body = "".join(f"""
  <url>
    <loc>{escape(url)}</loc>
    <news:news>
      <news:publication><news:name>{escape(publication)}</news:name><news:language>id</news:language></news:publication>
      <news:publication_date>{a.published_at.isoformat()}</news:publication_date>
      <news:title>{escape(a.title or '')}</news:title>
    </news:news>
  </url>""" for a, url in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{body}\n</urlset>\n')


def review_array(r: Item) -> list[Any]:
    """One review as the web client receives it: an array read by position."""
    seconds = int(r.published_at.timestamp())
    reply = None
    if "reply" in r.extra:
        at = r.extra["reply_at"]
        reply = [None, r.extra["reply"], [int(at.timestamp()), 0]]  # type: ignore[union-attr]
    avatar = [None, 2, [96, 96], [None, None, r.extra["avatar"]]]
    return [r.native_id, [r.author_name, avatar], r.extra["rating"], None, r.text, [seconds, 0], max(r.likes, 0),
            reply, None, None, r.extra.get("version"), None, None, None, None, None]


def batchexecute(reviews: list[list[Any]], token: str | None) -> str:
    """The ``)]}'`` envelope with the ``UsvDTd`` payload (a JSON string) and the next page's token."""
    payload: list[Any] = [reviews, [None, token]] if token else [reviews]
    envelope = [["wrb.fr", RPC, json.dumps(payload, ensure_ascii=False, separators=(",", ":")), None, None, None, "generic"],
                ["di", 84], ["af.httprm", 84, "-4398112233445566778", 7]]
    text = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
    return f")]}}'\n\n{text}\n"


def comment_thread(c: Item, video: Video) -> dict[str, Any]:
    published = _iso(c.published_at)
    snippet = {
        "channelId": video.channel, "videoId": video.id, "textDisplay": escape(c.text), "textOriginal": c.text,
        "authorDisplayName": c.author_name, "authorProfileImageUrl": f"https://yt3.ggpht.com/ytc/{c.author_id}=s48",
        "authorChannelUrl": f"http://www.youtube.com/{c.author_name}", "authorChannelId": {"value": c.author_id},
        "canRate": True, "viewerRating": "none", "likeCount": max(c.likes, 0), "publishedAt": published, "updatedAt": published,
    }
    thread_id = c.native_id
    return {
        "kind": "youtube#commentThread", "etag": f"e{thread_id[-10:]}", "id": thread_id,
        "snippet": {
            "channelId": video.channel, "videoId": video.id,
            "topLevelComment": {"kind": "youtube#comment", "etag": f"c{thread_id[-10:]}", "id": thread_id, "snippet": snippet},
            "canReply": True, "totalReplyCount": c.extra["replies"], "isPublic": True,
        },
    }


def status(t: Item, local_id: str, instance: str) -> dict[str, Any]:
    """A Mastodon Status as seen from ``instance`` (ids are per instance, the URI is global)."""
    home, handle = str(t.extra["instance"]), str(t.extra["handle"])
    remote = home != instance
    tags = list(t.extra["tags"])  # type: ignore[call-overload]
    links = " ".join(f'<a href="https://{home}/tags/{tag}" class="mention hashtag" rel="tag">#<span>{escape(tag)}</span></a>' for tag in tags)
    uri = f"https://{home}/users/{handle}/statuses/{t.native_id}"
    return {
        "id": local_id, "created_at": t.published_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "in_reply_to_id": None, "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "",
        "visibility": "public", "language": "id", "uri": uri, "url": f"https://{home}/@{handle}/{t.native_id}",
        "replies_count": t.extra["replies"], "reblogs_count": t.extra["reblogs"], "favourites_count": max(t.likes, 0),
        "edited_at": None, "content": f"<p>{escape(t.text)}</p><p>{links}</p>", "reblog": None,
        "account": {
            "id": str(int(t.native_id[:8], 16)), "username": handle, "acct": f"{handle}@{home}" if remote else handle,
            "display_name": t.author_name, "locked": False, "bot": False, "url": f"https://{home}/@{handle}",
            "avatar": f"https://{home}/avatars/original/missing.png",
        },
        "media_attachments": [], "mentions": [], "emojis": [], "card": None, "poll": None,
        "tags": [{"name": tag.lower(), "url": f"https://{instance}/tags/{tag.lower()}"} for tag in tags],
    }
