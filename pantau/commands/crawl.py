"""``pantau crawl [SOURCE ...] [--dry-run]``: one crawl cycle with a summary per source."""

from __future__ import annotations

import json

import click

from pantau.shell import AppContext, pass_app


def print_report(report: object, as_json: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))  # type: ignore[attr-defined]
        return
    table = Table(title=f"crawl{' (dry run: nothing spooled)' if report.dry_run else ''} in {report.elapsed_s:.1f} s")  # type: ignore[attr-defined]
    for column in ("source", "requests", "pages ok", "kept", "dropped", "errors", "status"):
        table.add_column(column, justify="left" if column in ("source", "dropped", "errors", "status") else "right")
    for s in report.sources:  # type: ignore[attr-defined]
        def detail(counts: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in counts.items()) or "-"
        table.add_row(s.source, str(s.requests), str(s.pages_ok), str(s.kept), detail(s.dropped), detail(s.errors),
                      "[red]FAILED[/red]" if s.failed else "ok")
    Console(stderr=False).print(table)


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

    level = "DEBUG" if app.verbose else "WARNING" if app.quiet else "INFO" if not as_json else "WARNING"
    report = crawl(app.config, sources or None, dry_run=dry_run, log_level=level)
    print_report(report, as_json)
    if report.failed:
        click.echo(f"failed entirely: {', '.join(report.failed)}", err=True)
        raise click.exceptions.Exit(1)
