"""``pantau index rebuild|stats|prune``: look after the index of tagged posts."""

from __future__ import annotations

import click

from pantau.errors import PantauError
from pantau.shell import AppContext, pass_app


@click.group(name="index")
def command() -> None:
    """The index of tagged posts (embedded tantivy + SQLite, or Elasticsearch)."""


@command.command()
@click.option("--commit-every", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Posts between checkpoints: an interrupted rebuild resumes from the last one.")
@pass_app
def rebuild(app: AppContext, commit_every: int) -> None:
    """Reindex every stored post from its record (after an upgrade or a damaged index).

    Resumable: after Ctrl-C or a crash, run it again and it carries on from its last
    checkpoint. Searches keep using the old index (or keep refusing, if it is stale) until the
    new one is complete.
    """
    from indexer.factory import open_store
    from indexer.store import Rebuildable
    from pantau.progress import progress_bar

    with open_store(app.config) as store:
        if not isinstance(store, Rebuildable):
            raise PantauError("the elasticsearch backend keeps no separate records to rebuild from; "
                              "use Elasticsearch's _reindex API to copy indices (see docs/elasticsearch.md)")
        with progress_bar("reindexing", None, quiet=app.quiet) as bar:
            started: list[int] = []

            def advance(done: int, total: int) -> None:
                if not started:
                    started.append(done)
                    if done:
                        bar.console.print(f"resuming an interrupted rebuild: {done} of {total} posts already reindexed")
                bar.update(0, completed=done, total=total)

            try:
                count = store.rebuild(advance, commit_every=commit_every)
            except KeyboardInterrupt:
                raise PantauError("rebuild interrupted; run `pantau index rebuild` again to resume from the last "
                                  "checkpoint (searches still use the old index)") from None
    click.echo(f"reindexed {count} posts" + (f" ({started[0]} of them before the interruption)" if started and started[0] else ""))


@command.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_app
def stats(app: AppContext, as_json: bool) -> None:
    """Posts indexed, size on disk, oldest and newest post."""
    import json
    from dataclasses import asdict

    from indexer.factory import open_store

    with open_store(app.config) as store:
        s = store.stats()
    if as_json:
        click.echo(json.dumps(asdict(s), default=str))
        return
    zone = app.config.tz
    show = lambda t: f"{t.astimezone(zone):%Y-%m-%d %H:%M %Z}" if t else "-"  # noqa: E731
    click.echo(f"backend   {s.backend} (schema v{s.schema_version})\nlocation  {s.location}\nposts     {s.docs}\n"
               f"size      {s.size_bytes / 2**20:.1f} MB\noldest    {show(s.oldest)}\nnewest    {show(s.newest)}")


@command.command()
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Delete posts published more than this many days ago (default: store.retention_days).")
@pass_app
def prune(app: AppContext, days: int | None) -> None:
    """Apply the retention period: delete old posts from the index and the records."""
    from indexer.factory import open_store

    days = days or app.config.store.retention_days
    if not days:
        raise PantauError("store.retention_days is 0 (keep everything); give --days to prune anyway")
    with open_store(app.config) as store:
        click.echo(f"deleted {store.delete_older_than(days)} posts older than {days} days")
