"""The alert-delay model of ``pantau bench e2e``: waits for the next crawl and alert check."""

from __future__ import annotations

from datetime import datetime, timezone

from pantau.demo.delay import expected_delay

POST = datetime(2026, 11, 25, 9, 47, 0, tzinfo=timezone.utc)


def test_the_delay_is_bounded_by_the_cadences_and_the_measured_parts() -> None:
    found = expected_delay(POST, crawl_every_min=30, check_every_min=15, pipeline_s=40.0, check_to_mail_s=2.0)
    assert 42.0 <= found["mean_s"] <= found["p95_s"] <= found["max_s"]
    # at worst: a whole crawl cadence, the pipeline, two check cadences (the window floor), the mail
    assert found["max_s"] <= 30 * 60 + 40 + 2 * 15 * 60 + 2
    # on average about half of each cadence
    assert 15 * 60 <= found["mean_s"] <= 30 * 60


def test_a_slower_source_waits_longer() -> None:
    fast = expected_delay(POST, 30, 15, 40.0, 2.0)["mean_s"]
    slow = expected_delay(POST, 60, 15, 40.0, 2.0)["mean_s"]
    assert slow > fast + 10 * 60


def test_a_check_whose_window_ends_before_the_post_does_not_count() -> None:
    # posted one second before a quarter hour ends: a check in the next minutes judges the window
    # ending at that quarter hour, which holds the post; posted just after it, the next quarter.
    before = expected_delay(datetime(2026, 11, 25, 9, 59, 59, tzinfo=timezone.utc), 1, 15, 0.0, 0.0)
    after = expected_delay(datetime(2026, 11, 25, 10, 0, 1, tzinfo=timezone.utc), 1, 15, 0.0, 0.0)
    assert after["mean_s"] > before["mean_s"] + 5 * 60
