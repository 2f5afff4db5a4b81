"""``pantau crawl [SOURCE ...] [--dry-run]``: one crawl cycle with a summary per source."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from pantau.shell import AppContext, pass_app

if TYPE_CHECKING:
    from crawlers.report import CrawlReport


def print_report(report: CrawlReport, as_json: bool) -> None:
    """One JSON object, or a table of requests, posts kept, drops and errors per source."""
    from rich.console import Console
    from rich.table import Table

    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"crawl{' (dry run: nothing spooled)' if report.dry_run else ''} in {report.elapsed_s:.1f} s")
    for column in ("source", "requests", "pages ok", "kept", "dropped", "errors", "status"):
        table.add_column(column, justify="left" if column in ("source", "dropped", "errors", "status") else "right")
    for s in report.sources:
        table.add_row(s.source, str(s.requests), str(s.pages_ok), str(s.kept), _detail(s.dropped), _detail(s.errors),
                      "[red]FAILED[/red]" if s.failed else "ok")
    Console(width=max(100, Console().width)).print(table)


def _detail(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "-"


@click.command(name="crawl")
@click.argument("sources", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Fetch and parse, but spool nothing and move no marks.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@pass_app
def command(app: AppContext, sources: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Crawl SOURCES once (default: every enabled source): news, playstore, youtube, mastodon, bluesky, x.

    Exits with status 1 when a source failed entirely (nothing usable came back).
    """
    from crawlers.run import crawl

    report = crawl(app.config, sources or None, dry_run=dry_run, log_level="DEBUG" if app.verbose else "WARNING")
    print_report(report, as_json)
    if report.failed:
        click.echo(f"failed entirely: {', '.join(report.failed)}", err=True)
        sys.exit(1)
