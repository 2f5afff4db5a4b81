"""The outbox with the SMTP server stopped and restarted: delivered once, never twice."""

from __future__ import annotations

from datetime import timedelta

from alerts.check import check, open_outbox
from alerts.delivery import deliver
from alerts.notifiers.email import EmailNotifier
from alerts.rules import parse_rule
from tests.alerts.conftest import NOW, make_post, weekly_traffic

TITLES = {"dpu-bina-marga": "DPU Bina Marga"}


def rules():
    return [parse_rule({"name": "dpu-volume", "detector": "volume_spike", "agency": "dpu-bina-marga",
                        "recipients": ["kadis@jatengprov.go.id"], "digest": False})]


def spike(store, minutes: int = 120) -> None:
    posts = weekly_traffic(NOW)
    posts += [make_post(NOW - timedelta(minutes=m), "jalan ambles di ruas utama") for m in range(1, minutes, 2)]
    store.put_many(posts)


def test_smtp_down_then_back_delivers_exactly_once(store, config, smtp_server) -> None:
    spike(store)
    smtp_server.stop()
    report = check(config, store, NOW, rules(), TITLES)
    assert report.evaluation.queued == 1
    assert report.delivery.sent == 0 and report.delivery.failed == 1
    assert "cannot connect to SMTP" in report.delivery.error
    assert report.delivery.retry_at == NOW + timedelta(minutes=1)
    # the next check in the same period judges the same window: nothing new is queued
    again = check(config, store, NOW + timedelta(seconds=30), rules(), TITLES)
    assert again.evaluation.queued == 0 and again.delivery.sent == 0 and again.delivery.failed == 0
    # still down at the first retry: the backoff doubles
    notifier = EmailNotifier(config.smtp)
    with open_outbox(config) as outbox:
        second = deliver(outbox, notifier, NOW + timedelta(minutes=1))
    assert second.failed == 1 and second.retry_at == NOW + timedelta(minutes=3)
    smtp_server.start()
    with open_outbox(config) as outbox:
        early = deliver(outbox, notifier, NOW + timedelta(minutes=2))
        assert early.sent == 0  # not due yet
        back = deliver(outbox, notifier, NOW + timedelta(minutes=3))
        assert back.sent == 1
        assert deliver(outbox, notifier, NOW + timedelta(hours=2)).sent == 0
        (row,) = outbox.history()
        assert row.deliveries == [("kadis@jatengprov.go.id", "sent", 3)]
    # a later check while the condition still holds sends no duplicate
    later = check(config, store, NOW + timedelta(minutes=15), rules(), TITLES)
    assert later.evaluation.queued == 0
    assert len(smtp_server.messages) == 1


def test_a_growing_cooldown_repeats_then_resolves(store, config, smtp_server) -> None:
    spike(store, minutes=400)
    kinds = []
    for quarter in range(0, 16):  # four hours of checks every 15 minutes
        report = check(config, store, NOW + quarter * timedelta(minutes=15), rules(), TITLES)
        kinds += [(quarter, n.kind) for n in report.evaluation.notices]
    # the spike runs until NOW and the 3h window keeps seeing it for a while after
    assert kinds[0] == (0, "alert")
    assert (8, "repeat") in kinds  # after the first 2h cooldown
    assert all(kind in ("alert", "repeat") for _, kind in kinds)
    with open_outbox(config) as outbox:
        state = outbox.state("dpu-volume", rules()[0].scope.key)
    assert state.cooldown == timedelta(hours=4)  # doubled once
    quiet = [check(config, store, NOW + timedelta(hours=h), rules(), TITLES) for h in (4, 5, 6, 7)]
    resolved = [n for r in quiet for n in r.evaluation.notices if n.kind == "resolved"]
    assert len(resolved) == 1
    subjects = [str(m.message["Subject"]).strip() for m in smtp_server.messages]
    assert subjects[-1].startswith("[Pantau Jawa Tengah] Sudah mereda: Lonjakan volume - DPU Bina Marga")
