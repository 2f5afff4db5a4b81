"""Sign-in, sessions, CSRF, rate limiting and the rule that nothing is readable without login."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from dashboard.auth import MAX_FAILURES_PER_USER
from dashboard.routes import ROUTES
from dashboard.sessions import COOKIE
from tests.dashboard.conftest import PASSWORD, csrf_of, login

OPEN = {"/health", "/login", "/lang/{code}"}


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.mark.parametrize("method,path", [(m, p) for m, p, _ in ROUTES if p not in OPEN])
def test_nothing_is_readable_without_login(client_for, method, path):
    client = client_for()
    response = client.request(method, _concrete(path), follow_redirects=False)
    if path == "/api/posts" and method == "POST":
        assert response.status_code == 401  # push ingest needs its channel token instead
    elif method == "GET" and not path.startswith("/api/"):
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    elif path.startswith("/api/"):
        assert response.status_code == 401
        assert response.json()["error"]["status"] == 401
    else:
        assert response.status_code in (401, 403)  # a form post: an error page, nothing done


def test_health_is_open_and_reports_stage_ages(client_for, cfg):
    from pantau.health import record_success

    response = client_for().get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok", "stages": {}}
    record_success(cfg.data_dir, "crawl:news")
    stages = client_for().get("/health").json()["stages"]
    assert list(stages) == ["crawl:news"] and 0 <= stages["crawl:news"] < 60


def test_login_sets_a_secure_http_only_session_cookie(client_for):
    client = client_for()
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token, "next": "/search"},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/search"
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(COOKIE))
    assert "HttpOnly" in cookie and "Secure" in cookie and "samesite=lax" in cookie.lower()
    assert client.get("/api/me").json()["role"] == "analyst"


def test_wrong_password_is_refused_and_says_so(client_for):
    client = client_for()
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"username": "ana", "password": "wrong password!", "csrf_token": token})
    assert response.status_code == 401
    assert "kata sandi salah" in response.text
    assert client.get("/api/me").status_code == 401


def test_login_without_csrf_token_is_refused(client_for):
    client = client_for()
    client.get("/login")
    response = client.post("/login", data={"username": "ana", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/api/me").status_code == 401


def test_login_is_rate_limited_per_user(client_for):
    client = client_for()
    for _ in range(MAX_FAILURES_PER_USER):
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        assert client.post("/login", data={"username": "ana", "password": "nope nope nope", "csrf_token": token}).status_code == 401
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    blocked = client.post("/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0


def test_next_cannot_redirect_off_site(client_for):
    client = client_for()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login?next=//evil.example").text).group(1)
    response = client.post("/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token,
                                           "next": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_tampered_session_cookie_is_rejected(client_for):
    client = client_for("ana")
    value = client.cookies.get(COOKIE)
    client.cookies.set(COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"), domain="testserver.local")
    assert client.get("/api/me").status_code == 401


def test_logout_needs_csrf_and_ends_the_session(client_for):
    client = client_for("ana")
    assert client.post("/logout", data={}).status_code == 403
    assert client.post("/logout", data={"csrf_token": csrf_of(client)}, follow_redirects=False).status_code == 303
    assert client.get("/api/me").status_code == 401


def test_removing_a_user_ends_their_sessions(client_for, ctx):
    client = client_for("humas")
    assert client.get("/api/me").status_code == 200
    ctx.users.remove("humas")
    assert client.get("/api/me").status_code == 401


def test_forms_without_csrf_token_are_refused(client_for):
    client = client_for("ana")
    response = client.post("/searches", data={"name": "x", "q": "jalan"})
    assert response.status_code == 403
    assert client.get("/api/searches").json() == []


def test_json_writes_need_the_csrf_header(client_for):
    client = client_for("ana")
    assert client.post("/api/searches", params={"name": "x", "q": "jalan"}).status_code == 403
    ok = client.post("/api/searches", params={"name": "x", "q": "jalan"}, headers={"x-csrf-token": csrf_of(client)})
    assert ok.status_code == 200 and ok.json()["name"] == "x"


def test_security_headers_on_pages(client_for):
    response = client_for("ana").get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text.replace('<script type="application/json"', "").replace("<script src=", "")


def test_language_switch(client_for):
    client = client_for("ana")
    assert "Ringkasan" in client.get("/").text
    client.get("/lang/en?next=/")
    assert "Overview" in client.get("/").text


def test_error_json_has_one_shape(client_for):
    body = client_for("ana").get("/api/overview?range=1y").json()
    assert body["error"]["status"] == 400 and body["error"]["field"] == "range"


def test_sign_in_with_unknown_user_fails_like_a_wrong_password(client_for):
    client = client_for()
    login_page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_page.text).group(1)
    response = client.post("/login", data={"username": "nobody", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 401


def test_secure_login_helper_round_trip(client_for):
    client: TestClient = login(client_for(), "admin")
    assert client.get("/api/me").json()["username"] == "admin"
