"""Search API and page: filters, syntax errors with positions, facets, paging, exports, saved
searches, and the agency scope applied to all of it."""

from __future__ import annotations

import csv
import io

import openpyxl

from tests.dashboard.conftest import HOSTILE, csrf_of


def test_search_with_a_filter_returns_the_right_posts(client_for, posts):
    body = client_for("ana").get("/api/search", params={"q": "puskesmas", "f": "sentiment:negative", "size": 100}).json()
    expected = {p.id for p in posts if "puskesmas" in p.text and p.sentiment.label == "negative"}
    assert body["total"] == len(expected) > 0
    assert {h["post"]["id"] for h in body["hits"]} == expected
    assert all("<mark>puskesmas</mark>" in h["snippet_html"] for h in body["hits"])


def test_facets_count_the_matches(client_for, posts):
    facets = client_for("ana").get("/api/search", params={"q": "jalan"}).json()["facets"]
    roads = [p for p in posts if "jalan" in p.text]
    assert {b["key"]: b["count"] for b in facets["agency"]} == {"dpu-bina-marga": len(roads)}
    assert sum(b["count"] for b in facets["sentiment"]) == len(roads)


def test_syntax_error_carries_its_position(client_for):
    response = client_for("ana").get("/api/search", params={"q": "jalan AND (rusak"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "q" and error["position"] == 16


def test_syntax_error_on_the_page_marks_the_place(client_for):
    response = client_for("ana").get("/search", params={"q": "jalan foo:bar"})
    assert response.status_code == 400
    assert 'data-error-at="6"' in response.text
    assert '<span class="at">f</span>' in response.text


def test_bad_filter_and_paging_are_named(client_for):
    client = client_for("ana")
    assert client.get("/api/search", params={"f": "colour:red"}).json()["error"]["field"] == "f"
    assert client.get("/api/search", params={"page": "0"}).json()["error"]["field"] == "page"
    assert client.get("/api/search", params={"sort": "random"}).json()["error"]["field"] == "sort"


def test_paging_and_sort(client_for, posts):
    client = client_for("ana")
    first = client.get("/api/search", params={"size": 10, "sort": "newest"}).json()
    second = client.get("/api/search", params={"size": 10, "page": 2, "sort": "newest"}).json()
    assert first["total"] == len(posts) and first["pages"] == 4
    newest = sorted(posts, key=lambda p: p.published_at, reverse=True)
    assert [h["post"]["id"] for h in first["hits"] + second["hits"]] == [p.id for p in newest[:20]]


def test_agency_user_searches_only_their_agencies(client_for, posts):
    body = client_for("kadinkes").get("/api/search", params={"size": 100}).json()
    assert body["total"] == sum(1 for p in posts if "dinkes" in p.agencies)
    assert all(h["post"]["agencies"] == ["dinkes"] for h in body["hits"])
    assert [b["key"] for b in body["facets"]["agency"]] == ["dinkes"]


def test_csv_export_has_the_right_rows(client_for, posts):
    response = client_for("ana").get("/api/export.csv", params={"q": "jalan", "f": "source:news"})
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = {p.id for p in posts if "jalan" in p.text and p.source == "news"}
    assert {r["id"] for r in rows} == expected and len(rows) == len(expected)
    assert all(r["source"] == "news" and r["agencies"] == "dpu-bina-marga" for r in rows)


def test_xlsx_export_has_the_right_rows_and_no_formulas(client_for, posts):
    response = client_for("ana").get("/api/export.xlsx", params={"q": "rusak"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["posts"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert {r["id"] for r in rows} == {p.id for p in posts if "rusak" in p.text}
    hostile = next(r for r in rows if r["source"] == "mastodon")
    assert hostile["text"] == HOSTILE
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert book["query"]["A2"].value == "rusak"


def test_csv_defuses_formula_cells(client_for, cfg):
    from pantau.post import Post
    from indexer.factory import open_store
    from tests.dashboard.conftest import NOW

    client = client_for("ana")
    client.app.state.dashboard.close()
    with open_store(cfg) as store:
        store.put_many([Post("import", "formula", "=HYPERLINK(\"http://x\") jalan", NOW, agencies=["dinkes"])])
    rows = list(csv.reader(io.StringIO(client.get("/api/export.csv", params={"q": "hyperlink"}).content.decode("utf-8-sig"))))
    assert rows[1][6].startswith("'=HYPERLINK")


def test_agency_user_exports_only_their_scope(client_for, posts):
    response = client_for("kadinkes").get("/api/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == sum(1 for p in posts if "dinkes" in p.agencies)


def test_saved_searches_round_trip_and_are_per_user(client_for):
    ana = client_for("ana")
    created = ana.post("/searches", data={"csrf_token": csrf_of(ana), "name": "Jalan negatif", "q": "jalan",
                                          "f": "sentiment:negative"}, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/search?q=jalan&f=sentiment%3Anegative"
    saved = ana.get("/api/searches").json()
    assert [(s["name"], s["query"]) for s in saved] == [("Jalan negatif", "jalan sentiment:negative")]
    assert client_for("humas").get("/api/searches").json() == []
    assert "Jalan negatif" in ana.get("/search").text
    deleted = ana.post(f"/searches/{saved[0]['id']}/delete", data={"csrf_token": csrf_of(ana)}, follow_redirects=False)
    assert deleted.status_code == 303 and ana.get("/api/searches").json() == []


def test_saved_search_api_delete_of_someone_elses_is_404(client_for):
    ana, humas = client_for("ana"), client_for("humas")
    made = ana.post("/api/searches", params={"name": "mine", "q": "jalan"}, headers={"x-csrf-token": csrf_of(ana)}).json()
    response = humas.delete(f"/api/searches/{made['id']}", headers={"x-csrf-token": csrf_of(humas)})
    assert response.status_code == 404
    assert len(ana.get("/api/searches").json()) == 1


def test_search_page_renders_hits_facets_and_actions(client_for):
    page = client_for("ana").get("/search", params={"q": "jalan", "f": "source:news"}).text
    assert 'id="result-total"' in page and 'data-facet="sentiment"' in page
    assert "/api/export.csv?q=jalan&amp;f=source%3Anews" in page
    assert 'id="make-rule"' in page and "query=jalan+source%3Anews" in page
    assert 'id="chart-query-volume"' in page


def test_agency_user_has_no_rule_button(client_for):
    assert 'id="make-rule"' not in client_for("kadinkes").get("/search").text


def test_agency_user_naming_another_agency_gets_403(client_for):
    client = client_for("kadinkes")
    assert client.get("/api/search", params={"f": "agency:dpu-bina-marga"}).status_code == 403
    assert client.get("/api/search", params={"q": "jalan agency:dpu-bina-marga"}).status_code == 403
    assert client.get("/api/export.csv", params={"f": "agency:pdam"}).status_code == 403
    assert client.get("/search", params={"f": "agency:pdam"}).status_code == 403
    assert client.get("/api/search", params={"f": "agency:dinkes"}).json()["total"] == 10
