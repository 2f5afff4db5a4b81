"""The dashboard in real headless Chromium (Debian's package, driven by Playwright), served by
uvicorn on loopback. Screenshots of the main pages go to test-artifacts/dashboard/."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dashboard.conftest import PASSWORD

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run scripts/system-deps (Debian packages chromium, chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def server(app) -> Iterator[str]:
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page_for(browser, server):
    contexts = []

    def make(username: str, **options):
        context = browser.new_context(base_url=server, accept_downloads=True, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # script errors and CSP violations fail the test
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
        page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.goto("/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(f"{server}/")
        return page

    yield make
    for context in contexts:
        context.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _chart_total(page, chart_id: str) -> float:
    return page.evaluate(
        """id => { const c = Chart.getChart(document.querySelector(`canvas[data-chart="${id}"]`));
                   return c.data.datasets[0].data.reduce((a, b) => a + b, 0); }""", chart_id)


def test_login_and_overview_shows_charts_with_data(page_for, posts):
    page = page_for("humas")
    page.wait_for_selector('canvas[data-chart="chart-volume"][data-ready="1"]')
    assert page.inner_text("#kpi-total") == str(len(posts))
    assert _chart_total(page, "chart-volume") == len(posts)
    assert _chart_total(page, "chart-topics") == len(posts)
    assert page.locator("#region-tiles a.tile").count() == 35
    assert page.errors == []
    _shot(page, "overview")


def test_clicking_a_chart_opens_the_filtered_search(page_for):
    page = page_for("humas")
    canvas = page.locator('canvas[data-chart="chart-topics"]')
    canvas.wait_for()
    page.wait_for_selector('canvas[data-chart="chart-topics"][data-ready="1"]')
    point = page.evaluate("""() => { const c = Chart.getChart(document.querySelector('canvas[data-chart="chart-topics"]'));
                                      const bar = c.getDatasetMeta(0).data[0]; return {x: bar.x, y: bar.y}; }""")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + point["x"] - 5, box["y"] + point["y"])
    page.wait_for_url("**/search?**")
    assert "f=topic%3Aroads" in page.url
    assert page.inner_text("#result-total") == "21"


def test_search_with_a_filter_returns_the_right_posts(page_for, posts):
    page = page_for("ana")
    page.goto("/search")
    page.fill("#q", "puskesmas")
    page.click("#search-form button[type=submit]")
    page.click('ul[data-facet="sentiment"] a:text("negatif")')
    page.wait_for_url("**f=sentiment%3Anegative**")
    expected = {p.id for p in posts if "puskesmas" in p.text and p.sentiment.label == "negative"}
    shown = set(page.eval_on_selector_all("article.hit", "els => els.map(e => e.dataset.post)"))
    assert shown == expected
    assert page.inner_text("#result-total") == str(len(expected))
    assert page.locator("article.hit mark").first.inner_text() == "puskesmas"
    assert page.errors == []
    _shot(page, "search")


def test_syntax_error_is_shown_at_its_place(page_for):
    page = page_for("ana")
    page.goto("/search")
    page.fill("#q", "jalan AND (rusak")
    page.click("#search-form button[type=submit]")
    page.wait_for_selector("#query-error")
    assert page.get_attribute("#query-error", "data-position") == "16"
    assert "17" in page.inner_text("#query-error b")  # shown 1-based to people
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.evaluate("document.getElementById('q').selectionStart") == 16
    _shot(page, "search-syntax-error")


def test_export_downloads_a_file_with_the_right_rows(page_for, posts):
    page = page_for("ana")
    page.goto("/search?q=jalan&f=source%3Anews")
    with page.expect_download() as info:
        page.click("#export-csv")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert {r["id"] for r in rows} == {p.id for p in posts if "jalan" in p.text and p.source == "news"}


def test_hostile_post_renders_as_text(page_for, posts):
    hostile = next(p for p in posts if p.native_id == "hostile")
    page = page_for("ana")
    page.goto(f"/posts/{hostile.id}")
    text = page.inner_text("#post-text")
    assert '<script>alert("x")</script>' in text and "onerror=alert(1)" in text
    assert page.locator("#post img, #post script").count() == 0
    assert page.locator("#source-link").count() == 0  # javascript: URL is not made a link
    page.goto("/search?q=parah")
    assert page.locator("#hits img, #hits script").count() == 0
    assert "<script>" in page.inner_text("#hits")
    assert not any(e.startswith("dialog") for e in page.errors)
    _shot(page, "post-hostile")


def test_agency_user_sees_only_their_scope(page_for, posts):
    page = page_for("kadinkes")
    assert page.inner_text("#kpi-total") == str(sum(1 for p in posts if "dinkes" in p.agencies))
    assert page.locator(".nav a[href='/sources']").count() == 0
    page.goto("/search")
    agencies = page.eval_on_selector_all('ul[data-facet="agency"] li a', "els => els.map(e => e.textContent)")
    assert agencies == ["Dinkes"]
    response = page.goto("/agencies/dpu-bina-marga")
    assert response.status == 403
    _shot(page, "agency-forbidden")
    page.goto("/agencies/dinkes")
    page.wait_for_selector('canvas[data-chart="chart-volume"][data-ready="1"]')
    _shot(page, "agency")


def test_phone_layout(page_for):
    page = page_for("humas", viewport={"width": 390, "height": 844}, is_mobile=True)
    page.wait_for_selector('canvas[data-chart="chart-volume"][data-ready="1"]')
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # nothing wider than the phone
    _shot(page, "overview-phone")
    page.goto("/alerts")
    _shot(page, "alerts")
    page.goto("/sources")
    _shot(page, "sources")
