"""What ``pantau demo`` does and says, step by step, then the dashboard in the foreground."""

from __future__ import annotations

import logging
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click

from pantau.demo.mailcatcher import caught, free_port
from pantau.demo.runner import Demo, Outcome
from pantau.lock import DataDirLock

DEFAULT_PORT = 8080


def _dashboard_port(asked: int | None) -> int:
    if asked:
        return asked
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", DEFAULT_PORT))
            return DEFAULT_PORT
        except OSError:
            return free_port()


def run_demo(data_dir: Path, port: int | None, serve: bool = True, quiet: bool = False, verbose: bool = False) -> Outcome:
    if not verbose:  # one line per email sent would bury the summary; the summary counts them
        logging.getLogger("pantau.alerts.email").setLevel(logging.WARNING)
    demo = Demo(data_dir, _dashboard_port(port), quiet=quiet)
    with DataDirLock(demo.data_dir), demo.services() as (cfg, manifest, catcher):
        outcome = demo.run(cfg, manifest)
        user = demo.login(cfg)
        _report(outcome, demo)
        if serve:
            _serve(cfg, user, demo.password)
    return outcome


def _report(o: Outcome, demo: Demo) -> None:
    t = o.timings
    click.echo(f"sample site: {sum(o.served.values())} posts served ({', '.join(f'{k} {v}' for k, v in sorted(o.served.items()))})")
    for s in getattr(o.crawl_report, "sources", []):
        dropped = ", ".join(f"{k} {v}" for k, v in s.dropped.items()) or "none"
        errors = ", ".join(f"{k} {v}" for k, v in s.errors.items()) or "none"
        click.echo(f"  crawled {s.source}: {s.kept} kept, dropped: {dropped}, errors: {errors}")
    click.echo(f"indexed {o.indexed} new posts ({o.total_in_store} in the store) in {t.crawl_s + t.process_s:.1f} s "
               f"(crawl {t.crawl_s:.1f} s, tag and index {t.process_s:.1f} s of which {t.tagger_load_s:.1f} s loading the models)")
    click.echo(f"alerts: {len(o.notices)} fired, {o.emails_sent} emails delivered to the local mail catcher")
    for notice in o.notices:
        click.echo(f"  - {notice}")
    mail = caught(demo.folder / "mail")
    click.echo(f"mail catcher: {len(mail)} messages kept in {demo.folder / 'mail'} (Maildir)")
    anchor = datetime.fromisoformat(demo.state["anchor"])
    if datetime.now(timezone.utc) - anchor > timedelta(hours=12):
        click.echo(f"note: the sample was anchored at the first run ({anchor:%Y-%m-%d %H:%M} UTC); "
                   f"delete {demo.data_dir} for a current sample with fresh spikes")


def _serve(cfg, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    from dashboard.app import create_app

    url = f"http://{cfg.dashboard.host}:{cfg.dashboard.port}/"
    click.echo("")
    click.echo(f"Dashboard: {url}")
    click.echo(f"Login:     {user} / {password}")
    click.echo(f"Alert emails as sent: {url}alerts (copies as received: {cfg.data_dir / 'demo' / 'mail'}). Ctrl-C stops the demo.")
    uvicorn.run(create_app(cfg), host=cfg.dashboard.host, port=cfg.dashboard.port, log_level="warning", server_header=False)
