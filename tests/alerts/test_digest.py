from __future__ import annotations

from datetime import timedelta

from alerts.check import check
from alerts.digest import digest_due, digest_recipients
from alerts.rules import parse_rule
from tests.alerts.conftest import NOW, make_post, weekly_traffic

TITLES = {"dpu-bina-marga": "DPU Bina Marga"}


def rules():
    common = {"agency": "dpu-bina-marga", "recipients": ["kadis@jatengprov.go.id"]}
    return [parse_rule({"name": "v", "detector": "volume_spike", **common}),
            parse_rule({"name": "n", "detector": "negative_share", **common, "recipients": ["kadis@jatengprov.go.id", "humas@jatengprov.go.id"]}),
            parse_rule({"name": "e", "detector": "emerging_terms", **common, "digest": False, "recipients": ["other@jatengprov.go.id"]})]


def test_digest_recipients_come_from_rules_that_ask_for_it() -> None:
    assert digest_recipients(rules()) == {"dpu-bina-marga": ["kadis@jatengprov.go.id", "humas@jatengprov.go.id"]}


def test_digest_is_due_after_the_local_time(config) -> None:
    before = NOW.replace(hour=23, minute=59) - timedelta(days=1)  # 06:59 WIB
    assert digest_due(config, before) is None
    end, date = digest_due(config, NOW)
    assert date == "2026-03-02" and end.hour == 7 and end.tzname() == "WIB"


def test_one_digest_per_agency_per_day(store, config, smtp_server) -> None:
    posts = weekly_traffic(NOW, weeks=2)
    posts += [make_post(NOW - timedelta(hours=6, minutes=i), "tolak proyek tol", cluster="copy") for i in range(150)]
    store.put_many(posts)
    first = check(config, store, NOW, rules(), TITLES)
    assert first.digests == 2  # one per recipient
    again = check(config, store, NOW + timedelta(hours=3), rules(), TITLES)
    assert again.digests == 0
    digests = [m for m in smtp_server.messages if "Ringkasan harian" in str(m.message["Subject"])]
    assert sorted(m.rcpt_tos[0] for m in digests) == ["humas@jatengprov.go.id", "kadis@jatengprov.go.id"]
    text = digests[0].message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Ringkasan harian: DPU Bina Marga (01/03/2026 07:00 WIB - 02/03/2026 07:00 WIB)" in text
    assert "Volume 24 jam: 198 unggahan" in text  # 48 steady posts + 150 copies
    assert "Kemungkinan amplifikasi terkoordinasi" in text
    assert "Peringatan 24 jam terakhir: tidak ada" in text
    tomorrow = check(config, store, NOW + timedelta(days=1), rules(), TITLES)
    assert tomorrow.digests == 2
