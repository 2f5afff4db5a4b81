"""Rule scopes -> counts, through the real embedded store."""

from __future__ import annotations

from datetime import timedelta

from alerts.rules import parse_rule
from alerts.series import SeriesReader
from tests.alerts.conftest import NOW, make_post, weekly_traffic


def test_voices_fold_one_account_and_one_copied_text(store) -> None:
    window = NOW - timedelta(hours=1)
    posts = [make_post(window + timedelta(seconds=10 * i), f"teks berbeda {i}", author="one-account") for i in range(200)]
    posts += [make_post(window + timedelta(seconds=7 * i), "salin tempel kampanye", cluster="copied") for i in range(50)]
    posts += [make_post(window + timedelta(minutes=i), f"warga {i} mengeluh") for i in range(10)]
    store.put_many(posts)
    reader = SeriesReader(store)
    rule = parse_rule({"name": "r", "detector": "volume_spike", "agency": "dpu-bina-marga", "window": "1h"})
    counts = reader.counts(reader.query(rule), window, NOW)
    assert counts.posts == 260
    assert counts.shared == 49
    assert 11 <= counts.voices <= 13  # ten people, one account, one copied text (distinct counts may be approximate)


def test_baseline_weeks_before_the_first_post_are_left_out(store) -> None:
    store.put_many(weekly_traffic(NOW, weeks=3))
    rule = parse_rule({"name": "r", "detector": "volume_spike", "agency": "dpu-bina-marga"})
    obs = SeriesReader(store).observe(rule, NOW)
    assert len(obs.baseline) == 2  # three weeks of data hold two whole earlier windows
    assert [c.posts for c in obs.baseline] == [6, 6]


def test_scope_filters_apply(store) -> None:
    store.put_many([make_post(NOW - timedelta(minutes=5), "banjir rob", agency="bpbd"),
                    make_post(NOW - timedelta(minutes=5), "jalan rusak", agency="dpu-bina-marga")])
    reader = SeriesReader(store)
    rule = parse_rule({"name": "r", "detector": "volume_spike", "agency": "bpbd", "query": "banjir"})
    assert reader.counts(reader.query(rule), NOW - timedelta(hours=1), NOW).posts == 1


def test_watch_terms_find_matching_posts(store) -> None:
    hit = make_post(NOW - timedelta(minutes=30), "dua warga meninggal tertimpa pohon")
    store.put_many([hit, make_post(NOW - timedelta(minutes=20), "pohon tumbang di jalan")])
    rule = parse_rule({"name": "w", "detector": "watch_terms", "terms": ["meninggal", "korban jiwa"], "window": "1h"})
    obs = SeriesReader(store).observe(rule, NOW)
    assert obs.matches == (hit.id,)
    assert rule.detector.evaluate(obs) is not None


def test_emerging_terms_read_lift_from_the_store(store) -> None:
    posts = weekly_traffic(NOW, weeks=4)
    posts += [make_post(NOW - timedelta(minutes=3 * i), f"jembatan ambrol warga {i} terjebak") for i in range(20)]
    store.put_many(posts)
    rule = parse_rule({"name": "e", "detector": "emerging_terms", "agency": "dpu-bina-marga"})
    obs = SeriesReader(store).observe(rule, NOW)
    lifts = {t.term: t.lift for t in obs.terms}
    assert lifts["ambrol"] > 5 and lifts.get("jalan", 0) < lifts["ambrol"]
    finding = rule.detector.evaluate(obs)
    assert finding is not None and "ambrol" in [t["term"] for t in finding.summary["terms"]]
