"""``pantau import FILE --source NAME``: posts from a CSV, JSONL or Excel export into the spool."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pantau.commands.crawl import print_report
from pantau.shell import AppContext, pass_app


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", "site", required=True, help="Name of the channel the file comes from (e.g. laporgub); stored as the posts' site.")
@click.option("--dry-run", is_flag=True, help="Read and check the file, but spool nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@pass_app
def command(app: AppContext, file: Path, site: str, dry_run: bool, as_json: bool) -> None:
    """Import FILE (.csv, .tsv, .jsonl, .xlsx) using the column mapping of [sources.import]."""
    from crawlers.run import crawl
    from crawlers.tabular import FORMATS, file_format
    from pantau.errors import PantauError

    if file_format(file) is None:
        raise PantauError(f"{file.name}: unknown file type; use one of {', '.join(sorted(FORMATS))}")
    report = crawl(app.config, ["import"], dry_run=dry_run, log_level="DEBUG" if app.verbose else "WARNING",
                   spider_args={"import": {"file": str(file.resolve()), "site": site}})
    print_report(report, as_json)
    if report.failed:
        sys.exit(1)
