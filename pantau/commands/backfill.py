"""``pantau backfill SOURCE --since DATE``: collect a source's history back to DATE.

A normal crawl stops at the newest post it already has; a backfill pages back through the
source until DATE (or as far as the source lets it), with a progress bar of the days covered.
It is resumable: each page's point is saved once its posts are spooled, so running the same
command again after Ctrl-C, a crash or kill -9 goes on where it stopped, spooling nothing twice.
It never moves the normal crawl's high-water marks.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, time, timezone, tzinfo

import click

from crawlers.backfill import BACKFILL_PREFIX, Resume
from pantau.errors import PantauError
from pantau.shell import AppContext, pass_app

SOURCES = ("news", "playstore", "youtube", "mastodon", "bluesky", "x")
#: How far back each source can go, said before the job starts.
LIMITS = {
    "news": "RSS/Atom feeds hold only their latest items; the history comes from the configured sitemaps "
            "(every child sitemap) and listings (paged to the end); articles older than --since are skipped",
    "playstore": "reviews are read newest first with no date filter, page by page back to --since; a page token "
                 "may expire, so a rerun long after an interruption starts again from the newest (seen reviews are skipped)",
    "youtube": "comment threads newest first, one quota unit per page of 100; the backfill stops at "
               "sources.youtube.daily_quota and goes on when run again after the quota resets (midnight Pacific)",
    "mastodon": "each instance's tag timeline holds only the statuses that reached that instance",
    "bluesky": "the search (since/until) reaches only what the search index holds",
    "x": "recent search reaches back 7 days only; older tweets need full-archive search (Pro or Enterprise access)",
}


class BackfillError(PantauError):
    pass


def parse_since(value: str, tz: tzinfo, now: datetime) -> datetime:
    """A date (midnight in the province's time zone) or an ISO time, as aware UTC, in the past."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BackfillError(f"--since {value!r} is not a date; write YYYY-MM-DD or an ISO time (2026-10-01T08:00)") from None
    if len(value.strip()) == 10:
        parsed = datetime.combine(parsed.date(), time())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    parsed = parsed.astimezone(timezone.utc)
    if parsed >= now:
        raise BackfillError(f"--since {value} is not in the past; give the date to collect back to")
    return parsed


@click.command(name="backfill")
@click.argument("source", type=click.Choice(SOURCES))
@click.option("--since", "since_text", required=True, metavar="DATE",
              help="Collect back to this date (YYYY-MM-DD in the province's time zone, or an ISO time).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@pass_app
def command(app: AppContext, source: str, since_text: str, as_json: bool) -> None:
    """Collect SOURCE's posts back to --since; run it again to resume after an interruption."""
    from crawlers.longjob import run_watched
    from crawlers.run import crawl
    from crawlers.state import STATE_FILE, CrawlState
    from pantau.commands.crawl import print_report
    from pantau.progress import progress_bar

    cfg = app.config
    now = datetime.now(timezone.utc)
    since = parse_since(since_text, cfg.tz, now)
    if not as_json:
        click.echo(f"{source}: backfill to {since.astimezone(cfg.tz):%Y-%m-%d %H:%M %Z}. Limit: {LIMITS[source]}.", err=True)
    state = CrawlState(cfg.data_dir / STATE_FILE)
    seen_before = state.seen_count(source)
    span_days = (now - since).total_seconds() / 86400

    def points() -> dict[str, Resume]:
        return {k.removeprefix(BACKFILL_PREFIX): Resume.from_json(v) for k, v in state.marks(source, BACKFILL_PREFIX).items()}

    def job() -> object:
        return crawl(cfg, [source], spider_args={source: {"since": since.isoformat()}}, settings={"JOBDIR": ""},
                     log_level="DEBUG" if app.verbose else "WARNING")

    label = f"{source} back to {since.astimezone(cfg.tz):%Y-%m-%d}"
    try:
        with progress_bar(label, round(span_days, 1), quiet=app.quiet or as_json) as bar:
            def poll() -> None:
                covered = [_covered_days(p, now, since) for p in points().values()]
                posts = state.seen_count(source) - seen_before
                bar.update(0, completed=round(sum(covered) / len(covered), 1) if covered else 0,
                           description=f"{label} ({posts} new posts)")

            report = run_watched(job, poll)
    except KeyboardInterrupt:
        click.echo(f"interrupted; run `pantau backfill {source} --since {since_text}` again to go on from where it stopped",
                   err=True)
        sys.exit(130)
    finally:
        final = points()
        posts = state.seen_count(source) - seen_before
        state.close()
    if as_json:
        click.echo(json.dumps({**report.to_dict(), "since": since.isoformat(), "new_posts": posts,
                               "points": {k: vars(p) for k, p in final.items()}}, ensure_ascii=False))
    else:
        print_report(report, as_json=False)
        for key, point in sorted(final.items()):
            click.echo(f"  {key}: {_status(point, since, cfg.tz)}")
    if report.failed:
        sys.exit(1)


def _covered_days(point: Resume, now: datetime, since: datetime) -> float:
    if point.reached(since):
        return (now - since).total_seconds() / 86400
    return (now - datetime.fromisoformat(point.oldest)).total_seconds() / 86400 if point.oldest else 0.0


def _status(point: Resume, since: datetime, tz: tzinfo) -> str:
    oldest = datetime.fromisoformat(point.oldest) if point.oldest else None
    reached = f"reached {oldest.astimezone(tz):%Y-%m-%d %H:%M}" if oldest else "nothing read yet"
    counts = f"{point.pages} pages, {point.posts} posts"
    if point.exhausted and not (oldest and oldest <= since):
        return f"{reached}: the source has nothing older ({counts})"
    if point.reached(since):
        return f"{reached}: done ({counts})"
    return f"{reached}: not finished ({counts}); run the same command again to go on"
