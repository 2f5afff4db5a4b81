"""``pantau bench cycles``: many crawl cycles from one long-lived process, as the daemon runs them.

Each cycle crawls the bundled sample site (served on loopback) through ``crawlers.run.crawl``,
which runs Scrapy in a child process; the figures are the parent's resident memory and open
file descriptors after each cycle, so growth would show a leak the daemon would accumulate.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import click


@click.command(name="cycles")
@click.option("--cycles", "count", type=int, default=100, show_default=True, help="Crawl cycles to run.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(count: int, as_json: bool) -> None:
    """Run COUNT crawl cycles in one process; report memory and open files per cycle."""
    with tempfile.TemporaryDirectory(prefix="pantau-cycles-") as tmp:
        result = measure(Path(tmp), count)
    click.echo(json.dumps(result, indent=None if as_json else 2))


def measure(data_dir: Path, count: int) -> dict[str, object]:
    import psutil

    from crawlers.run import crawl
    from pantau.demo.mailcatcher import free_port
    from pantau.demo.runner import LOOPBACK_SCRAPY, Demo

    me = psutil.Process()
    demo = Demo(data_dir, free_port(), quiet=True)
    rss_mb: list[float] = []
    fds: list[int] = []
    kept = 0
    started = time.monotonic()
    with demo.services() as (cfg, _manifest, _catcher):
        for _ in range(count):
            report = crawl(cfg, settings=LOOPBACK_SCRAPY, timeout_s=900)
            kept += sum(s.kept for s in report.sources)
            rss_mb.append(round(me.memory_info().rss / 2**20, 1))
            fds.append(me.num_fds())
    elapsed = time.monotonic() - started
    settled = min(10, count - 1)  # after the first cycles have loaded what a cycle needs
    return {
        "cycles": count,
        "posts_kept": kept,
        "seconds_per_cycle": round(elapsed / count, 2),
        "rss_mb_first": rss_mb[0], f"rss_mb_after_{settled + 1}": rss_mb[settled], "rss_mb_last": rss_mb[-1],
        "rss_growth_mb_after_warmup": round(rss_mb[-1] - rss_mb[settled], 1),
        "open_fds_first": fds[0], f"open_fds_after_{settled + 1}": fds[settled], "open_fds_last": fds[-1],
        "open_fds_growth_after_warmup": fds[-1] - fds[settled],
    }
