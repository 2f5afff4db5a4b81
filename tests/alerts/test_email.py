"""Alert email end to end: real store, real SMTP server on loopback."""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import timedelta
from html.parser import HTMLParser

from alerts.check import check
from alerts.rules import parse_rule
from pantau.config import AlertsSettings
from tests.alerts.conftest import NOW, make_post, weekly_traffic

HOSTILE = 'jembatan ambrol <script>alert("x")</script><img src=x onerror=alert(1)> warga terjebak'
TITLES = {"dpu-bina-marga": "DPU Bina Marga"}


def rule(name: str = "dpu-volume", **extra):
    return parse_rule({"name": name, "detector": "volume_spike", "agency": "dpu-bina-marga",
                       "recipients": ["kadis@jatengprov.go.id"], "digest": False, **extra})


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def spike(store) -> None:
    posts = weekly_traffic(NOW)
    # 60 people; the three newest share one near-duplicate cluster
    posts += [make_post(NOW - timedelta(minutes=m), HOSTILE, cluster="dup" if m <= 5 else None) for m in range(1, 121, 2)]
    store.put_many(posts)


def test_alert_email_headers_parts_chart_and_escaping(store, config, smtp_server, caplog) -> None:
    spike(store)
    with caplog.at_level(logging.INFO, logger="pantau.alerts"):
        report = check(config, store, NOW, [rule()], TITLES)
    assert report.delivery.sent == 1 and report.evaluation.queued == 1
    assert "Alert sent to kadis@jatengprov.go.id" in caplog.text
    (received,) = smtp_server.messages
    message = received.message
    assert received.rcpt_tos == ["kadis@jatengprov.go.id"]
    assert message["To"] == "kadis@jatengprov.go.id" and message["From"] == "Pantau <pantau@jatengprov.go.id>"
    assert str(message["Subject"]).strip().startswith("[Pantau Jawa Tengah] Lonjakan volume - DPU Bina Marga (")
    assert message["Message-ID"].endswith("@jatengprov.go.id>") and message["Date"]
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content()
    # count vs expected and ratio, window in WIB, sentiment, terms, regions, sources, link
    assert "64 suara unik (biasanya 6.0, 10.7 kali lipat)" in text
    assert "Rentang waktu: 02/03/2026 09:00 WIB - 02/03/2026 12:00 WIB" in text
    assert "Sentimen: negatif" in text and "Kota Semarang (66)" in text and "mastodon (66)" in text
    assert "ambrol" in text.split("Kata pendorong:")[1].splitlines()[0]
    assert "https://pantau.example.go.id/search?q=agency%3Adpu-bina-marga" in text
    # at most five samples, one per cluster
    assert text.count(" terjebak\n") == 5
    # the chart is an inline PNG referenced by Content-ID from the HTML
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0].get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    cid = images[0]["Content-ID"].strip("<>")
    parsed = Tags()
    parsed.feed(html)
    assert ("img", {"src": f"cid:{cid}", "alt": parsed.tags[[t for t, _ in parsed.tags].index("img")][1]["alt"],
                    "width": "600", "height": "200"}) in parsed.tags
    # hostile post text arrives as text: no script element, no injected img, visible in the page text
    assert not any(tag == "script" for tag, _ in parsed.tags)
    assert [attrs for tag, attrs in parsed.tags if tag == "img"] == [{"src": f"cid:{cid}", "alt": parsed.tags[[t for t, _ in parsed.tags].index("img")][1]["alt"], "width": "600", "height": "200"}]
    assert "&lt;script&gt;" in html and '<img src=x' not in html
    assert any('<script>alert("x")</script>' in chunk for chunk in parsed.text)
    assert HOSTILE in text  # the text part shows it verbatim


def test_one_grouped_email_per_recipient_per_evaluation(store, config, smtp_server) -> None:
    spike(store)
    rules = [rule("dpu-volume"), rule("dpu-volume-posts", unit="posts"),
             parse_rule({"name": "other", "detector": "volume_spike", "agency": "dpu-bina-marga", "recipients": ["humas@jatengprov.go.id"],
                        "digest": False})]
    report = check(config, store, NOW, rules, TITLES)
    assert len(report.evaluation.notices) == 3 and report.delivery.sent == 2
    by_rcpt = {m.rcpt_tos[0]: m.message for m in smtp_server.messages}
    assert set(by_rcpt) == {"kadis@jatengprov.go.id", "humas@jatengprov.go.id"}
    kadis = by_rcpt["kadis@jatengprov.go.id"]
    assert str(kadis["Subject"]).strip().startswith("[Pantau Jawa Tengah] 2 peringatan:")
    assert len([p for p in kadis.walk() if p.get_content_type() == "image/png"]) == 2


def test_english_emails(store, config, smtp_server) -> None:
    spike(store)
    check(config, store, NOW, [rule(language="en")], TITLES)
    text = smtp_server.messages[0].message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "64 unique voices (expected 6.0, 10.7 times)" in text and "Window: 02/03/2026 09:00 WIB" in text


def test_a_copy_paste_campaign_alone_sends_nothing(store, config, smtp_server) -> None:
    posts = weekly_traffic(NOW)
    posts += [make_post(NOW - timedelta(minutes=m), "tolak proyek jalan tol sekarang juga", cluster="copy")
              for m in range(1, 101, 2)]
    posts += [make_post(NOW - timedelta(minutes=m), f"akun tunggal posting ke {m}", author="spammer") for m in range(1, 170)]
    store.put_many(posts)
    report = check(config, store, NOW, [rule()], TITLES)
    assert report.evaluation.notices == [] and smtp_server.messages == []


def test_a_real_spike_with_a_campaign_names_the_amplification(store, config, smtp_server) -> None:
    spike(store)
    store.put_many([make_post(NOW - timedelta(minutes=m), "tolak proyek jalan tol sekarang juga", cluster="copy")
                    for m in range(1, 180)])
    check(config, store, NOW, [rule()], TITLES)
    text = smtp_server.messages[0].message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    line = next(l for l in text.splitlines() if l.startswith("! Kemungkinan amplifikasi terkoordinasi: "))
    voices = int(re.search(r"245 unggahan dari hanya (\d+) suara unik\.", line).group(1))
    assert 60 <= voices <= 70  # distinct counts may be approximate (HyperLogLog) in the store
    assert line.endswith("Teks serupa terbanyak: 179 unggahan dari 179 akun. Unggahan berulang dihitung sebagai satu suara.")


def test_dashboard_link_is_the_exact_scope(store, config, smtp_server) -> None:
    spike(store)
    cfg = dataclasses.replace(config, alerts=AlertsSettings(dashboard_url="https://p.example.go.id/"))
    r = parse_rule({"name": "q", "detector": "volume_spike", "query": "jembatan OR ambrol", "agency": "dpu-bina-marga",
                    "recipients": ["a@jatengprov.go.id"], "digest": False})
    check(cfg, store, NOW, [r], TITLES)
    text = smtp_server.messages[0].message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "https://p.example.go.id/search?q=%28jembatan%20OR%20ambrol%29%20agency%3Adpu-bina-marga" in text


def test_watch_terms_alert_at_once_with_only_the_matching_posts(store, config, smtp_server) -> None:
    store.put_many([make_post(NOW - timedelta(minutes=20), "dua warga meninggal tertimpa pohon tumbang", cluster="w1"),
                    make_post(NOW - timedelta(minutes=25), "pohon tumbang menutup jalan")])
    watch = parse_rule({"name": "kritis", "detector": "watch_terms", "terms": ["meninggal", "korban jiwa"],
                        "recipients": ["humas@jatengprov.go.id"], "digest": False})
    report = check(config, store, NOW, [watch], TITLES)
    assert [n.kind for n in report.evaluation.notices] == ["watch"]
    text = smtp_server.messages[0].message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Unggahan dengan kata pantauan - kritis" in text and "Teramati: 1 unggahan" in text
    assert "dua warga meninggal" in text and "menutup jalan" not in text
    assert "search?q=%28meninggal%20OR%20%22korban%20jiwa%22%29" in text
    # the same post does not alert twice; a new one does
    assert check(config, store, NOW + timedelta(minutes=15), [watch], TITLES).evaluation.notices == []
    store.put_many([make_post(NOW + timedelta(minutes=20), "korban jiwa banjir bertambah")])
    later = check(config, store, NOW + timedelta(minutes=30), [watch], TITLES)
    assert [n.finding["observed"] for n in later.evaluation.notices] == [1.0]
    assert len(smtp_server.messages) == 2
