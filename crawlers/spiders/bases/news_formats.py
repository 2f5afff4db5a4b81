"""Parsers of news formats, independent of Scrapy so each can be tested on a saved copy.

- :func:`feed_entries`: RSS 0.9x/1.0/2.0 and Atom through feedparser;
- :func:`sitemap_entries`: sitemaps and sitemap indexes, with the Google News extension;
- :func:`listing_links`: article links and the next page of an HTML listing;
- :func:`article`: main text, title and time of an article page through trafilatura.

Each raises :class:`FormatError` when the input is not what it claims to be.
"""

from __future__ import annotations

import calendar
import gzip
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
import trafilatura
from lxml import etree, html


class FormatError(ValueError):
    """The body is not a feed / sitemap / page of the expected kind."""


@dataclass(frozen=True)
class Entry:
    url: str
    title: str | None = None
    published_at: datetime | None = None
    summary: str | None = None


def canonical_url(url: str) -> str:
    """The URL without fragment, used as a news post's native id."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time (``Z`` allowed) as aware UTC; None when absent or unreadable.

    A date without a time zone is read as UTC midnight, which is what sitemaps mean by a date.
    """
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def feed_entries(body: bytes, url: str, content_type: str | None = None) -> list[Entry]:
    headers = {"content-location": url, **({"content-type": content_type} if content_type else {})}
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.entries and not parsed.get("bozo") and not parsed.get("version"):
        raise FormatError("not an RSS or Atom feed")
    entries = []
    for item in parsed.entries:
        link = item.get("link")
        if not link:
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = datetime.fromtimestamp(calendar.timegm(stamp), timezone.utc) if stamp else None
        summary = _strip_tags(item.get("summary") or "")
        entries.append(Entry(urljoin(url, link), item.get("title"), published, summary))
    if not entries and parsed.get("bozo"):
        raise FormatError(f"not a readable feed: {parsed.get('bozo_exception')}")
    return entries


def _strip_tags(fragment: str) -> str | None:
    if not fragment.strip():
        return None
    try:
        return html.fromstring(fragment).text_content().strip() or None
    except (etree.ParserError, ValueError):
        return None


def _xml_root(body: bytes) -> tuple[Any, str | None]:
    """The root element, and what was wrong when the XML had to be recovered (truncated, broken)."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError) as exc:
            raise FormatError(f"broken gzip: {exc}") from None
    options = {"resolve_entities": False, "no_network": True, "huge_tree": False}
    try:
        return etree.fromstring(body, parser=etree.XMLParser(**options)), None
    except etree.XMLSyntaxError as exc:
        problem = str(exc)
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=True, **options))
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise FormatError(f"not XML: {problem}")
    return root, problem


def sitemap_entries(body: bytes, url: str) -> tuple[list[Entry], list[str], str | None]:
    """(articles, child sitemaps, what was broken if the XML was recovered).

    Raises FormatError for anything but a urlset or sitemapindex, or broken XML with nothing in it.
    """
    root, problem = _xml_root(body)
    kind = etree.QName(root).localname
    if kind == "sitemapindex":
        locs = root.xpath("./*[local-name()='sitemap']/*[local-name()='loc']/text()")
        children = [urljoin(url, loc.strip()) for loc in locs if loc.strip()]
        if problem and not children:
            raise FormatError(f"broken XML: {problem}")
        return [], children, problem
    if kind != "urlset":
        raise FormatError(f"root element <{kind}> is neither urlset nor sitemapindex")
    entries = []
    for node in root.xpath("./*[local-name()='url']"):
        loc = node.xpath("string(./*[local-name()='loc'])").strip()
        if not loc:
            continue
        news = ".//*[local-name()='news']/*[local-name()='{}']"
        title = node.xpath(f"string({news.format('title')})").strip() or None
        when = node.xpath(f"string({news.format('publication_date')})") or node.xpath("string(./*[local-name()='lastmod'])")
        entries.append(Entry(urljoin(url, loc), title, parse_time(when)))
    if problem and not entries:
        raise FormatError(f"broken XML: {problem}")
    return entries, [], problem


def listing_links(page_html: str, page_url: str) -> tuple[list[str], str | None]:
    """Article links under the listing's path (one level deeper), and the next page's URL."""
    if not page_html.strip():
        raise FormatError("empty page")
    try:
        tree = html.fromstring(page_html)
    except (etree.ParserError, ValueError) as exc:
        raise FormatError(f"not HTML: {exc}") from None
    base = urlsplit(page_url)
    prefix = base.path if base.path.endswith("/") else base.path.rsplit("/", 1)[0] + "/"
    prefix = prefix.split("/page/")[0].rstrip("/") + "/"
    links: list[str] = []
    next_url = None
    for anchor in tree.xpath("//a[@href]"):
        url = canonical_url(urljoin(page_url, anchor.get("href")))
        parts = urlsplit(url)
        if "next" in (anchor.get("rel") or "").split() or "next" in (anchor.get("class") or "").split():
            next_url = next_url or url
            continue
        rest = parts.path[len(prefix):].strip("/")
        if parts.netloc != base.netloc or not parts.path.startswith(prefix) or not rest or rest.startswith("page/"):
            continue
        if url not in links:
            links.append(url)
    if not links:
        raise FormatError("no article links (the listing's layout may have changed)")
    return links, next_url


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None
    published_at: datetime | None
    author: str | None


def article(page_html: str, url: str) -> Article | None:
    """Main text and metadata; None when the page has no extractable text."""
    doc = trafilatura.bare_extraction(page_html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False)
    if doc is None or not (doc.text or "").strip():
        return None
    published = None
    try:
        tree = html.fromstring(page_html)
        meta = tree.xpath("string(//meta[@property='article:published_time' or @itemprop='datePublished']/@content)")
        published = parse_time(meta)
    except (etree.ParserError, ValueError):
        published = None
    return Article(doc.text, doc.title, published or parse_time(doc.date), doc.author)
