from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from alerts.notice import Notice, dashboard_link
from alerts.render import render_alert

START = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)


def test_notice_survives_the_outbox_json() -> None:
    notice = Notice("k", "r", "alert", "volume_spike", "agency:dinkes", START, START + timedelta(hours=3), title="Dinkes",
                    finding={"unit": "voices", "observed": 40, "expected": 8, "ratio": 5.0, "z": 9.1, "severity": "high"},
                    regions=[("Kota Semarang", 12)], sources=[("x", 30)],
                    chart=[(datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Jakarta")), 4)])
    again = Notice.from_json(notice.to_json())
    assert again == notice


def test_resolved_notice_renders_without_figures() -> None:
    notice = Notice("k", "r", "resolved", "negative_share", "agency:dinkes", START, START + timedelta(hours=3), title="Dinkes",
                    language="en", link=dashboard_link("https://p.go.id", "agency:dinkes"))
    subject, text, html = render_alert([notice], [None], "en", "Asia/Jakarta", "Jawa Tengah")
    assert subject == "[Pantau Jawa Tengah] Resolved: Negative sentiment spike - Dinkes"
    assert "The rule's condition no longer holds." in text and "Observed" not in text
    assert "<img" not in html and 'href="https://p.go.id/search?q=agency%3Adinkes"' in html
