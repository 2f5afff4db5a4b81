"""The alerts page: rules created, edited and muted from the dashboard into the rules folder the
engine reads; history and the emails from the alerts outbox; agency scoping."""

from __future__ import annotations

from datetime import timedelta

from alerts.defaults import effective_rules
from alerts.outbox import FILE_NAME, Outbox
from tests.dashboard.conftest import NOW, csrf_of


def _create(client, **fields):
    data = {"csrf_token": csrf_of(client), "name": "dinkes-antrean", "detector": "volume_spike",
            "query": "puskesmas", "agency": ["dinkes"], "recipients": "kadinkes@example.go.id", "cooldown": "3h", **fields}
    return client.post("/alerts/rules", data=data, follow_redirects=False)


def test_create_rule_from_the_form_lands_where_the_engine_reads(client_for, cfg):
    client = client_for("ana")
    assert _create(client).status_code == 303
    rules = {r.name: r for r in effective_rules(cfg)}
    rule = rules["dinkes-antrean"]
    assert rule.detector.name == "volume_spike" and rule.agencies == ("dinkes",)
    assert rule.recipients == ("kadinkes@example.go.id",) and rule.cooldown == timedelta(hours=3)
    listed = client.get("/api/alerts/rules").json()
    assert listed["writable"] and [r["name"] for r in listed["rules"]] == ["dinkes-antrean"]
    assert listed["rules"][0]["editable"]


def test_bad_rule_is_refused_with_the_reason_and_nothing_written(client_for, cfg):
    client = client_for("ana")
    response = _create(client, query="(puskesmas")
    assert response.status_code == 422
    assert "query" in response.text and "expected" in response.text
    assert not (cfg.data_dir.parent / "rules" / "dashboard.toml").exists()


def test_edit_and_mute_a_rule(client_for, cfg):
    client = client_for("humas")
    _create(client)
    form = client.get("/alerts/rules/dinkes-antrean/edit")
    assert form.status_code == 200 and 'value="puskesmas"' in form.text
    edited = _create(client, editing="dinkes-antrean", query="puskesmas OR rsud", options="min_ratio = 4.0")
    assert edited.status_code == 303
    rule = next(r for r in effective_rules(cfg) if r.name == "dinkes-antrean")
    assert rule.scope.query == "puskesmas OR rsud" and rule.detector.min_ratio == 4.0
    muted = client.post("/alerts/rules/dinkes-antrean/mute", data={"csrf_token": csrf_of(client), "muted": "true"},
                        follow_redirects=False)
    assert muted.status_code == 303
    assert not next(r for r in effective_rules(cfg) if r.name == "dinkes-antrean").enabled
    api = client.post("/api/alerts/rules/dinkes-antrean/mute", params={"muted": "false"},
                      headers={"x-csrf-token": csrf_of(client)})
    assert api.json() == {"name": "dinkes-antrean", "muted": False}
    assert next(r for r in effective_rules(cfg) if r.name == "dinkes-antrean").enabled


def test_rule_api_create_and_duplicate_name(client_for, cfg):
    client = client_for("ana")
    table = {"name": "watch", "detector": "watch_terms", "terms": ["banjir bandang"], "recipients": ["a@example.go.id"]}
    assert client.post("/api/alerts/rules", json=table, headers={"x-csrf-token": csrf_of(client)}).status_code == 200
    again = client.post("/api/alerts/rules", json=table, headers={"x-csrf-token": csrf_of(client)})
    assert again.status_code == 422 and "duplicate" in again.json()["error"]["message"]
    assert [r.name for r in effective_rules(cfg)] == ["watch"]


def test_agency_users_cannot_edit_rules(client_for):
    client = client_for("kadinkes")
    assert _create(client).status_code == 403
    assert client.get("/alerts/rules/new").status_code == 403
    assert client.post("/api/alerts/rules", json={"name": "x"}, headers={"x-csrf-token": csrf_of(client)}).status_code == 403


def _sent_mime(title: str, key: str) -> bytes:
    """A real alert email as the notifier composes it: text, HTML and an inline chart."""
    from alerts.chart import render_chart
    from alerts.notifiers.email import EmailNotifier
    from pantau.config import SmtpSettings

    notifier = EmailNotifier(SmtpSettings())
    png = render_chart([(NOW - timedelta(days=d), 3 + d) for d in range(7)], (NOW - timedelta(hours=3), NOW))
    message = notifier.compose("kadinkes@example.go.id", f"[Pantau] {title}", f"Lonjakan keluhan {title}\n<script>x</script>",
                               f"<p>{title}</p><img src='cid:chart@pantau'>", {"chart@pantau": png}, key, NOW)
    return notifier.serialize(message)


def _notice(outbox: Outbox, key: str, scope: str, title: str) -> None:
    payload = {"key": key, "rule": key.split("|")[0], "kind": "alert", "detector": "volume_spike", "scope": scope,
               "window_start": (NOW - timedelta(hours=1)).isoformat(), "window_end": NOW.isoformat(), "title": title,
               "description": "", "language": "id",
               "finding": {"unit": "voices", "observed": 12.0, "expected": 2.0, "ratio": 6.0},
               "sentiment": {"negative": 10}, "terms": ["antre"], "regions": [], "sources": [], "samples": [],
               "amplification": None, "chart": [], "link": ""}
    with outbox.transaction():
        outbox.add_notice(key, payload["rule"], "alert", payload, NOW)
        outbox.enqueue(f"mail|{key}", "kadinkes@example.go.id", f"[Pantau] {title}", _sent_mime(title, key), [key], NOW)


def test_history_and_emails_are_scoped(client_for, cfg):
    with Outbox(cfg.data_dir / FILE_NAME) as outbox:
        _notice(outbox, "dinkes-volume|k1", "kind:complaint agency:dinkes", "Dinkes")
        _notice(outbox, "dpu-volume|k2", "kind:complaint agency:dpu-bina-marga", "DPU Bina Marga")
    analyst = client_for("ana").get("/api/alerts/history").json()
    assert sorted(h["rule"] for h in analyst) == ["dinkes-volume", "dpu-volume"]
    assert analyst[0]["deliveries"][0] == {"recipient": "kadinkes@example.go.id", "status": "pending", "attempts": 0}
    agency = client_for("kadinkes")
    assert [h["rule"] for h in agency.get("/api/alerts/history").json()] == ["dinkes-volume"]
    assert "Dinkes" in agency.get("/").text
    email = agency.get("/alerts/emails/dinkes-volume|k1")
    assert email.status_code == 200 and "Lonjakan keluhan Dinkes" in email.text
    assert "&lt;script&gt;x&lt;/script&gt;" in email.text and "<script>x</script>" not in email.text
    chart = agency.get("/alerts/email-image", params={"key": "dinkes-volume|k1", "cid": "chart@pantau"})
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    assert chart.content.startswith(b"\x89PNG")
    assert agency.get("/alerts/emails/dpu-volume|k2").status_code == 404
    assert agency.get("/alerts/email-image", params={"key": "dpu-volume|k2", "cid": "chart@pantau"}).status_code == 404


def test_alerts_page_lists_rules_and_history(client_for, cfg):
    client = client_for("ana")
    _create(client)
    with Outbox(cfg.data_dir / FILE_NAME) as outbox:
        _notice(outbox, "dinkes-antrean|k1", "puskesmas agency:dinkes", "Dinkes")
    page = client.get("/alerts").text
    assert 'data-rule="dinkes-antrean"' in page and 'data-notice="dinkes-antrean|k1"' in page
    assert "/search?q=puskesmas+agency%3Adinkes" in page


def test_a_new_install_creates_edits_and_mutes_rules_beside_the_defaults(client_for, tmp_path):
    (tmp_path / "pantau.toml").write_text((tmp_path / "pantau.toml").read_text().replace('rules = "rules"', 'rules = ""'))
    from dashboard.app import create_app
    from fastapi.testclient import TestClient
    from pantau.config import load_config
    from tests.dashboard.conftest import FAST_HASHER, PASSWORD, login

    cfg = load_config(tmp_path / "pantau.toml", env={})
    app = create_app(cfg)
    app.state.dashboard.users.hasher = FAST_HASHER
    app.state.dashboard.users.add("editor", PASSWORD, "analyst")
    with TestClient(app, base_url="https://testserver") as client:
        login(client, "editor")
        body = client.get("/api/alerts/rules").json()
        assert body["writable"]
        assert {r["name"]: r["editable"] for r in body["rules"]}["dinkes-volume"]

        assert _create(client).status_code == 303
        in_force = {r.name: r for r in effective_rules(cfg)}
        assert "dinkes-antrean" in in_force and "dinkes-volume" in in_force  # beside the defaults

        muted = client.post("/alerts/rules/dinkes-volume/mute", data={"csrf_token": csrf_of(client), "muted": "true"},
                            follow_redirects=False)
        assert muted.status_code == 303
        in_force = {r.name: r for r in effective_rules(cfg)}
        assert not in_force["dinkes-volume"].enabled and in_force["dinkes-negative"].enabled
        assert [r.name for r in effective_rules(cfg)].count("dinkes-volume") == 1

        form = client.get("/alerts/rules/dinkes-negative/edit")
        assert form.status_code == 200 and "negative_share" in form.text
        clash = _create(client, name="dinkes-negative")
        assert clash.status_code == 422 and "duplicate rule name" in clash.text


def test_rule_api_update_replaces_the_rule(client_for, cfg):
    client = client_for("ana")
    headers = {"x-csrf-token": csrf_of(client)}
    table = {"name": "dpu", "detector": "negative_share", "agency": "dpu-bina-marga"}
    assert client.post("/api/alerts/rules", json=table, headers=headers).status_code == 200
    updated = client.put("/api/alerts/rules/dpu", json={**table, "description": "jalan rusak", "cooldown": "4h"},
                         headers=headers)
    assert updated.json() == {"updated": "dpu"}
    rule = next(r for r in effective_rules(cfg) if r.name == "dpu")
    assert rule.description == "jalan rusak" and rule.cooldown == timedelta(hours=4)
    assert client.put("/api/alerts/rules/nope", json=table, headers=headers).status_code == 404


def test_a_notice_without_recipients_shows_as_composed(client_for, cfg):
    with Outbox(cfg.data_dir / FILE_NAME) as outbox:
        _notice(outbox, "dinkes-volume|k3", "kind:complaint agency:dinkes", "Dinkes")
        with outbox.transaction():
            outbox.db.execute("DELETE FROM message_notices WHERE notice_key = ?", ("dinkes-volume|k3",))
    page = client_for("ana").get("/alerts/emails/dinkes-volume|k3")
    assert page.status_code == 200 and 'id="email-not-sent"' in page.text and "Dinkes" in page.text
