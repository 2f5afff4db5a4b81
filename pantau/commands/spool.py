"""``pantau spool status|requeue-dead``: look into the queue between crawling and tagging."""

from __future__ import annotations

import click

from pantau.shell import AppContext, pass_app
from pantau.spool import Spool


def open_spool(app: AppContext) -> Spool:
    return Spool(app.data_path("spool.sqlite3"))


@click.group(name="spool")
def command() -> None:
    """Inspect the durable queue of crawled posts waiting to be tagged and indexed."""


@command.command()
@pass_app
def status(app: AppContext) -> None:
    """Counts of pending, claimed and dead-lettered posts."""
    with open_spool(app) as spool:
        s = spool.stats()
    click.echo(f"pending {s.pending}  claimed {s.claimed}  dead {s.dead}")


@command.command(name="requeue-dead")
@pass_app
def requeue_dead(app: AppContext) -> None:
    """Move dead-lettered posts back into the queue (after fixing what failed them)."""
    with open_spool(app) as spool:
        click.echo(f"requeued {spool.requeue_dead()}")
