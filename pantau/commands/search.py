"""``pantau search QUERY``: the analysts' query language from the command line."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import click

from pantau.shell import AppContext, pass_app

SORTS = ("relevance", "newest", "oldest")


@click.command(name="search")
@click.argument("query", nargs=-1)
@click.option("--since", help="Only posts since an age (7d, 24h, 2w) or a local date (2025-01-31).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Hits to show.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (total and hits).")
@pass_app
def command(app: AppContext, query: tuple[str, ...], since: str | None, limit: int, sort: str, as_json: bool) -> None:
    """Search indexed posts, e.g. pantau search '(jalan OR jembatan) rusak -tol sentiment:negative since:7d'.

    Words match whole words in title and text; "..." is a phrase, word* a prefix; -word or NOT
    excludes; OR and parentheses combine. Fields: source, site, sentiment, kind, topic, agency,
    region, lang, author_hash, cluster_id; dates: since:, until:.
    """
    from indexer.factory import open_store
    from indexer.query import all_of, parse
    from indexer.store import Sort

    cfg = app.config
    tz = cfg.province.timezone
    parsed = parse(" ".join(query), tz=tz)
    if since:
        parsed = all_of(parsed, parse(f"since:{since}", tz=tz))
    with open_store(cfg) as store:
        result = store.search(parsed, sort=Sort(sort), size=limit)
    zone = ZoneInfo(tz)
    if as_json:
        click.echo(json.dumps({"total": result.total, "hits": [_hit_json(h, zone) for h in result.hits]}, ensure_ascii=False))
        return
    click.echo(f"{result.total} posts match" + (f"; the first {len(result.hits)}:" if result.total > len(result.hits) else ":"))
    for hit in result.hits:
        post = hit.post
        local = post.published_at.astimezone(zone)
        region = f"{post.region.code} {post.region.name}" if post.region else "-"
        sentiment = post.sentiment.label if post.sentiment else "-"
        click.echo(click.style(f"{local:%Y-%m-%d %H:%M} {local.tzname()}", bold=True)
                   + f"  {post.source}/{post.site}  {region}  {sentiment}")
        click.echo("  " + _styled(hit.snippet))
        if post.url:
            click.echo(click.style(f"  {post.url}", dim=True))


def _styled(snippet) -> str:
    out, last = [], 0
    for start, end in snippet.spans:
        out.append(snippet.text[last:start].replace("\n", " "))
        out.append(click.style(snippet.text[start:end], bold=True, fg="yellow"))
        last = end
    out.append(snippet.text[last:].replace("\n", " "))
    return "".join(out)


def _hit_json(hit, zone: ZoneInfo) -> dict:
    post = hit.post
    return {
        "id": post.id, "published_at": post.published_at.astimezone(zone).isoformat(), "source": post.source,
        "site": post.site, "url": post.url, "title": post.title,
        "region": {"code": post.region.code, "name": post.region.name} if post.region else None,
        "sentiment": post.sentiment.label if post.sentiment else None, "kind": post.kind,
        "topics": post.topics, "agencies": post.agencies,
        "snippet": hit.snippet.text, "snippet_html": hit.snippet.html(), "score": hit.score,
    }
