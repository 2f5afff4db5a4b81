"""Overview, post, agency and sources: the API numbers, the pages, scoping and escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.messages import MESSAGES

TEMPLATES = Path(__file__).resolve().parents[2] / "dashboard" / "templates"


def _hostile(posts):
    return next(p for p in posts if p.native_id == "hostile")


def test_overview_api_counts_the_window(client_for, posts):
    body = client_for("humas").get("/api/overview", params={"range": "7d"}).json()
    assert body["total"] == len(posts)
    assert sum(b["count"] for b in body["volume"]) == len(posts)
    assert sum(b["negative"] for b in body["volume"]) == sum(1 for p in posts if p.sentiment.label == "negative")
    assert {t["key"]: t["count"] for t in body["topics"]} == {"roads": 21, "health": 10}
    assert body["regions"]["3374"]["count"] == 21
    assert body["authors"] == 4


def test_overview_interval_and_range(client_for):
    client = client_for("humas")
    hourly = client.get("/api/overview", params={"range": "24h"}).json()
    assert hourly["interval"] == "hour" and 24 <= len(hourly["volume"]) <= 25
    assert client.get("/api/overview", params={"range": "7d", "interval": "week"}).json()["interval"] == "week"


def test_agency_user_overview_is_scoped(client_for, posts):
    body = client_for("kadinkes").get("/api/overview").json()
    assert body["total"] == sum(1 for p in posts if "dinkes" in p.agencies)
    assert [a["key"] for a in body["agencies"]] == ["dinkes"]


def test_new_since_last_visit(client_for, ctx):
    client_for("humas")  # first visit
    with ctx.db.connect() as db:  # pretend that visit was five hours ago
        db.execute("UPDATE users SET last_seen_at = last_seen_at - 5 * 3600 WHERE username = 'humas'")
    body = client_for("humas").get("/api/overview").json()
    assert body["new"]["since"] is not None
    assert body["new"]["count"] == 3  # posts of the last five hours: 1 h, 2 h (hostile) and 4 h old
    assert len(body["new"]["posts"]) == 3


def test_overview_page_embeds_clickable_chart_data(client_for):
    page = client_for("humas").get("/").text
    spec = re.search(r'<script type="application/json" id="chart-topics">(.*?)</script>', page).group(1)
    assert '"links"' in spec and "/search?f=topic%3Aroads" in spec
    tiles = re.findall(r'data-region="(\d+)"[^>]*>\s*([^<]+)<b>(\d+)</b>', page)
    assert len(tiles) == 35  # Central Java: 29 regencies and 6 cities, quiet ones included
    counts = {code: int(n) for code, _name, n in tiles}
    assert counts["3374"] == 21 and counts["3372"] == 10 and sum(counts.values()) == 31


def test_post_page_escapes_hostile_text_and_does_not_link_javascript(client_for, posts):
    page = client_for("ana").get(f"/posts/{_hostile(posts).id}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page and "onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in page


def test_search_page_escapes_hostile_snippets(client_for):
    page = client_for("ana").get("/search", params={"q": "parah"}).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "<mark>parah</mark>" in page


def test_post_api_gives_cluster_and_author_posts(client_for, posts):
    road = next(p for p in posts if p.cluster_id == "c-road")
    body = client_for("ana").get(f"/api/posts/{road.id}").json()
    assert body["post"]["id"] == road.id
    assert {p["id"] for p in body["cluster"]} == {p.id for p in posts if p.cluster_id == "c-road"} - {road.id}
    assert {p["id"] for p in body["author_posts"]} == {p.id for p in posts if p.author_hash == road.author_hash} - {road.id}


def test_agency_user_gets_403_for_another_agencys_post_and_page(client_for, posts):
    client = client_for("kadinkes")
    road = next(p for p in posts if "dpu-bina-marga" in p.agencies)
    health = next(p for p in posts if "dinkes" in p.agencies)
    assert client.get(f"/api/posts/{road.id}").status_code == 403
    assert client.get(f"/posts/{road.id}").status_code == 403
    assert client.get(f"/api/posts/{health.id}").status_code == 200
    assert client.get("/api/agencies/dpu-bina-marga").status_code == 403
    assert client.get("/agencies/dpu-bina-marga").status_code == 403
    assert client.get("/api/agencies/dinkes").json()["total"] == 10
    assert [a["slug"] for a in client.get("/api/agencies").json()] == ["dinkes"]


def test_agency_page_for_analysts_and_unknown_agency(client_for):
    client = client_for("ana")
    body = client.get("/api/agencies/dpu-bina-marga").json()
    assert body["total"] == 21 and body["agency"] == "dpu-bina-marga"
    assert client.get("/api/agencies/nope").status_code == 404
    assert len(client.get("/api/agencies").json()) > 10
    assert "DPU Bina Marga" in client.get("/agencies/dpu-bina-marga").text


def test_missing_post_is_404(client_for):
    response = client_for("ana").get("/api/posts/0123")
    assert response.status_code == 404 and response.json()["error"]["status"] == 404


def test_sources_counts_and_scope(client_for, cfg):
    from pantau.health import record_success
    from pantau.spool import Spool

    from crawlers.state import STATE_FILE, CrawlState

    record_success(cfg.data_dir, "crawl:news")
    record_success(cfg.data_dir, "crawl:youtube")
    with Spool(cfg.data_dir / "spool.sqlite3"):
        pass
    state = CrawlState(cfg.data_dir / STATE_FILE)
    state.mark_seen("news", ["a", "b", "c"])
    state.close()
    body = client_for("admin").get("/api/sources").json()
    counts = {s["source"]: s["posts"] for s in body["sources"]}
    assert counts == {"news": 15, "playstore": 15, "mastodon": 1, "youtube": 0}
    crawled = {s["source"]: s["last_crawl"] for s in body["sources"]}
    assert crawled["news"] and crawled["youtube"] and crawled["playstore"] is None
    assert body["spool"] == {"pending": 0, "claimed": 0, "dead": 0}
    seen = {s["source"]: s["delivered"] for s in body["sources"]}
    assert seen["news"] == 3 and seen["playstore"] is None
    assert client_for("kadinkes").get("/api/sources").status_code == 403
    assert 'data-source="news"' in client_for("admin").get("/sources").text


@pytest.mark.parametrize("path", ["/", "/search", "/agencies", "/alerts", "/sources", "/agencies/dinkes"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_pages_render_in_both_languages(client_for, path, lang):
    client = client_for("admin")
    client.get(f"/lang/{lang}")
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text


def test_every_message_used_by_a_template_exists_in_both_languages():
    used = set()
    for template in TEMPLATES.rglob("*.html"):
        used |= set(re.findall(r"""\bt\(["']([a-z0-9_]+)["']\)""", template.read_text(encoding="utf-8")))
    for lang, words in MESSAGES.items():
        assert used - set(words) == set(), lang
    assert set(MESSAGES["id"]) == set(MESSAGES["en"])


def test_openapi_lists_the_json_api(client_for):
    paths = client_for("ana").get("/api/openapi.json").json()["paths"]
    for path in ("/api/overview", "/api/search", "/api/posts", "/api/posts/{post_id}", "/api/export.csv",
                 "/api/agencies/{slug}", "/api/alerts/rules", "/api/sources"):
        assert path in paths
    assert "requestBody" in paths["/api/posts"]["post"]


def test_sources_show_the_last_crawl_run_with_failure_reasons(client_for, cfg):
    from crawlers.history import record_crawl
    from crawlers.report import CrawlReport, SourceReport

    record_crawl(cfg.data_dir, CrawlReport([
        SourceReport("news", requests=12, pages_ok=11, kept=7, dropped={"irrelevant": 4}, finish_reason="finished"),
        SourceReport("x", requests=1, errors={"auth_rejected": 1}, finish_reason="finished"),
    ]))
    body = client_for("admin").get("/api/sources").json()
    runs = {s["source"]: s["last_run"] for s in body["sources"]}
    assert runs["news"]["kept"] == 7 and runs["news"]["dropped"] == {"irrelevant": 4} and not runs["news"]["failed"]
    assert runs["x"]["failed"] and runs["x"]["errors"] == {"auth_rejected": 1}
    page = client_for("admin").get("/sources").text
    assert "auth_rejected 1" in page and "GAGAL" in page
