"""``pantau demo --no-serve`` end to end: the real spiders, tagger, store and alerts, offline."""

from __future__ import annotations

import pytest

from pantau.demo.console import run_demo
from pantau.demo.democonfig import head_of
from pantau.demo.mailcatcher import alerts_to, caught, free_port

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    first = run_demo(data_dir, free_port(), serve=False, quiet=True)
    mail_after_first = caught(data_dir / "demo" / "mail")
    second = run_demo(data_dir, free_port(), serve=False, quiet=True)
    return data_dir, first, second, mail_after_first


def test_the_sample_is_crawled_tagged_and_indexed(runs) -> None:
    _, first, _, _ = runs
    assert first.indexed >= 1500
    assert first.total_in_store == first.indexed


@pytest.mark.parametrize("agency, service, region", [("pdam", "PDAM", "Semarang"), ("dpu-bina-marga", "DPU Bina Marga", "Grobogan")])
def test_both_planted_spikes_alert_their_agency_by_email(runs, agency, service, region) -> None:
    _, _, _, mail = runs
    to_head = alerts_to(mail, head_of(agency))
    assert to_head, f"no alert email reached {head_of(agency)}"
    text = to_head[0].subject + "\n" + to_head[0].text()
    assert service in text and region in text


def test_a_second_run_adds_no_duplicates_and_sends_nothing_twice(runs) -> None:
    data_dir, first, second, mail = runs
    assert second.indexed == 0, f"first run: {_per_source(first)}; second run: {_per_source(second)}"
    assert second.total_in_store == first.total_in_store
    assert len(caught(data_dir / "demo" / "mail")) == len(mail)


def _per_source(outcome) -> str:
    """What each source kept, dropped and failed on: the explanation a failure needs."""
    return "; ".join(f"{s.source} kept {s.kept} dropped {s.dropped} errors {s.errors}" for s in outcome.crawl_report.sources)
