"""``pantau bench e2e``: the bundled sample site to searchable posts and alert emails.

One real demo run in a fresh data directory (sample site and mail catcher on loopback, the
real spiders, tagger, store and alerts): posts/s through crawl, tagging and indexing, and the
delay from each planted spike's last post to its alert email (see :mod:`pantau.demo.delay`).
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path

import click


@click.command(name="e2e")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Run in this data directory and keep it (default: a temporary one).")
def command(as_json: bool, keep: Path | None) -> None:
    """Crawl, tag and index the sample site; time the planted spikes' alerts."""
    if keep is not None:
        result = measure(keep)
    else:
        with tempfile.TemporaryDirectory(prefix="pantau-e2e-") as tmp:
            result = measure(Path(tmp))
    click.echo(json.dumps(result, indent=None if as_json else 2))


def measure(data_dir: Path) -> dict[str, object]:
    from indexer.factory import open_store
    from indexer.query import MATCH_ALL
    from pantau.demo.delay import expected_delay
    from pantau.demo.democonfig import head_of
    from pantau.demo.mailcatcher import alerts_to, caught, free_port
    from pantau.demo.runner import Demo
    from pantau.demo.sample import build

    demo = Demo(data_dir, free_port(), quiet=True)
    with demo.services() as (cfg, manifest, _catcher):
        outcome = demo.run(cfg, manifest)
        with open_store(cfg) as store:
            searchable = store.count(MATCH_ALL)
        mail = caught(demo.folder / "mail")
    pipeline_s = outcome.timings.crawl_s + outcome.timings.process_s
    sample = build(datetime.fromisoformat(demo.state["anchor"]))
    spikes: dict[str, object] = {}
    for spike in sample.spikes:
        to_head = alerts_to(mail, head_of(spike.agency))
        last = max((i for i in sample.items if i.spike == spike.name), key=lambda i: i.published_at)
        carriers = {i.source for i in sample.items if i.spike == spike.name and i.published_at == last.published_at}
        cadence = max(getattr(cfg.sources, s).every_minutes for s in carriers)
        entry: dict[str, object] = {"agency": spike.agency, "region": spike.region_name, "alerted": bool(to_head),
                                    "last_post_sources": sorted(carriers), "crawl_every_min": cadence}
        if to_head and outcome.check_started is not None:
            check_to_mail = (to_head[0].caught_at - outcome.check_started).total_seconds()
            entry.update(check_to_mail_s=round(check_to_mail, 3),
                         delay=expected_delay(last.published_at, cadence, cfg.alerts.check_every_minutes, pipeline_s, check_to_mail))
        spikes[spike.name] = entry
    delays = [e["delay"]["mean_s"] for e in spikes.values() if isinstance(e, dict) and "delay" in e]  # type: ignore[index]
    return {
        "posts": outcome.indexed,
        "posts_per_s": round(outcome.indexed / pipeline_s, 1) if pipeline_s else 0.0,
        "alert_delay_s": max(delays) if len(delays) == len(spikes) else None,
        "searchable": searchable,
        "served": sum(outcome.served.values()),
        "crawl_s": round(outcome.timings.crawl_s, 2),
        "tag_index_s": round(outcome.timings.process_s, 2),
        "tagger_load_s": round(outcome.timings.tagger_load_s, 2),
        "alerts_s": round(outcome.timings.alerts_s, 2),
        "alerts_fired": outcome.notices,
        "spikes": spikes,
        "check_every_min": cfg.alerts.check_every_minutes,
        "method": "alert_delay_s: expected delay (mean over random timetable phases) from a spike's last post (the later of the two spikes' delays) "
                  "to its email at the SMTP server = wait for the source's next crawl + measured crawl, tag and index "
                  "+ wait for the next alert check whose window holds the post + measured check-to-email time",
    }
