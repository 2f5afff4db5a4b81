"""``pantau import FILE --source NAME``: posts from a CSV, JSONL or Excel export into the spool.

A progress bar follows the rows handled (the file's resume point in the crawl state). The
import is resumable: the point is saved every few hundred rows once their posts are spooled,
so running the same command again after Ctrl-C or a crash skips what was already spooled.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pantau.commands.crawl import print_report
from pantau.shell import AppContext, pass_app


def row_estimate(path: Path) -> int | None:
    """About how many rows the file holds (lines less the header), for the bar; None for Excel."""
    from crawlers.tabular import file_format

    kind = file_format(path)
    if kind == "excel":
        return None
    lines = 0
    last = b"\n"
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    lines += last != b"\n"
    return max(0, lines - 1) if kind == "csv" else lines


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", "site", required=True, help="Name of the channel the file comes from (e.g. laporgub); stored as the posts' site.")
@click.option("--dry-run", is_flag=True, help="Read and check the file, but spool nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@pass_app
def command(app: AppContext, file: Path, site: str, dry_run: bool, as_json: bool) -> None:
    """Import FILE (.csv, .tsv, .jsonl, .xlsx) using the column mapping of [sources.import].

    Run it again after an interruption: it goes on after the rows already spooled.
    """
    from crawlers.longjob import run_watched
    from crawlers.run import crawl
    from crawlers.spiders.import_ import import_mark
    from crawlers.state import STATE_FILE, CrawlState
    from crawlers.tabular import FORMATS, file_format
    from pantau.errors import PantauError
    from pantau.progress import progress_bar

    if file_format(file) is None:
        raise PantauError(f"{file.name}: unknown file type; use one of {', '.join(sorted(FORMATS))}")
    cfg = app.config
    mark = import_mark(file)
    state = CrawlState(cfg.data_dir / STATE_FILE)
    total = row_estimate(file)

    def job() -> object:
        return crawl(cfg, ["import"], dry_run=dry_run, log_level="DEBUG" if app.verbose else "WARNING",
                     spider_args={"import": {"file": str(file.resolve()), "site": site}})

    try:
        with progress_bar(f"importing {file.name}", total, quiet=app.quiet or as_json or dry_run) as bar:
            def poll() -> None:
                done = int(state.mark("import", mark) or 0)
                bar.update(0, completed=done if total is None else min(done, total))

            report = run_watched(job, poll)
    except KeyboardInterrupt:
        click.echo(f"interrupted after row {state.mark('import', mark) or 0}; run the same command again to go on", err=True)
        sys.exit(130)
    finally:
        state.close()
    print_report(report, as_json)
    if report.failed:
        sys.exit(1)
