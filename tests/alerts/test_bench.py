"""``pantau bench alerts --json`` prints one JSON object with the figures the issue asks for."""

import json

from click.testing import CliRunner

from alerts.synthetic import generate
from pantau.cli import cli


def test_the_synthetic_traffic_has_spikes_and_storms_where_planted() -> None:
    traffic = generate(seed=3, spikes=50)
    assert len(traffic.spikes) == 50 and len({s.agency for s in traffic.spikes}) == len(traffic.agencies)
    storm = next(s for s in traffic.storms if s.kind == "copy_text")
    span = slice(storm.start, storm.start + storm.steps)
    assert traffic.posts[storm.agency][span].sum() >= storm.posts
    assert traffic.shared[storm.agency][span].sum() >= storm.posts - 1


def test_bench_alerts_json() -> None:
    result = CliRunner().invoke(cli, ["bench", "alerts", "--json", "--spikes", "50"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["spikes"] == 50
    for key in ("recall", "false_alerts_per_agency_week", "median_delay_min"):
        assert isinstance(figures[key], (int, float))
    assert 0 <= figures["recall"] <= 1
    assert set(figures["if_counting_posts"]) == {"recall", "false_alerts_per_agency_week", "false_alerts_during_storms"}
