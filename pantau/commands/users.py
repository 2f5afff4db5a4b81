"""``pantau users add|list|remove``: who may sign in to the dashboard."""

from __future__ import annotations

import sys

import click

from pantau.shell import AppContext, pass_app


def _store(app: AppContext):  # -> dashboard.users.UserStore (imported lazily: keeps --help fast)
    from dashboard.db import FILE_NAME, Database
    from dashboard.users import UserStore

    return UserStore(Database(app.data_path(FILE_NAME)))


@click.group(name="users")
def command() -> None:
    """Manage dashboard users (roles: admin, humas, analyst, agency)."""


@command.command()
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "humas", "analyst", "agency"]), required=True,
              help="admin: everything; humas, analyst: all data and alert rules; agency: only its agencies.")
@click.option("--agency", "agencies", multiple=True, metavar="SLUG",
              help="Agency slug an agency user may see (repeat for several); see the taxonomy.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_app
def add(app: AppContext, username: str, role: str, agencies: tuple[str, ...], password_stdin: bool) -> None:
    """Add a user; the password is asked for twice (or read from stdin)."""
    from nlp.taxonomy import Taxonomy
    from pantau.errors import PantauError

    known = Taxonomy.from_config(app.config).agencies
    unknown = [a for a in agencies if a not in known]
    if unknown:
        raise PantauError(f"unknown agency {unknown[0]!r}; known: {', '.join(known)}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = _store(app).add(username, password, role, tuple(agencies))
    scope = f" for {', '.join(user.agencies)}" if user.agencies else ""
    click.echo(f"added {user.username} ({user.role}{scope})")


@command.command(name="list")
@pass_app
def list_(app: AppContext) -> None:
    """List users with their role and agencies."""
    from datetime import datetime

    users = _store(app).list()
    if not users:
        click.echo("no users yet; add one with `pantau users add NAME --role admin`")
    for user in users:
        created = datetime.fromtimestamp(user.created_at, app.config.tz).strftime("%Y-%m-%d %H:%M %Z")
        scope = ",".join(user.agencies) or "-"
        click.echo(f"{user.username:<24} {user.role:<8} {scope:<30} added {created}")


@command.command()
@click.argument("username")
@pass_app
def remove(app: AppContext, username: str) -> None:
    """Remove a user; their open sessions end at once."""
    _store(app).remove(username)
    click.echo(f"removed {username}")
