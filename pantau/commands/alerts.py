"""``pantau alerts ...``: evaluate rules now, replay history to tune them, test email, history."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import click

from pantau.shell import AppContext, pass_app


def _duration(text: str) -> timedelta:
    from alerts.options import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _when(text: str | None) -> datetime:
    if not text:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"expected an ISO time such as 2025-03-01T09:00+07:00, got {text!r}") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give a time zone offset, e.g. +07:00")
    return moment


@click.group(name="alerts")
def command() -> None:
    """Spike alerts: evaluate the rules, tune them on history, check email delivery."""


@command.command()
@click.option("--no-send", is_flag=True, help="Evaluate and queue, but leave the emails in the outbox.")
@click.option("--at", "at", default=None, help="Evaluate as of this time (ISO 8601 with offset); default now.")
@pass_app
def check(app: AppContext, no_send: bool, at: str | None) -> None:
    """Evaluate every rule now, queue grouped emails and due digests, deliver what is due."""
    from alerts.check import check as run_check
    from indexer.factory import open_store

    cfg = app.config
    app.data_path()
    with open_store(cfg) as store:
        report = run_check(cfg, store, _when(at), send=not no_send)
    ev, dl = report.evaluation, report.delivery
    for notice in ev.notices:
        f = notice.finding
        figures = f" {f['observed']:g} vs {f['expected']:g} ({f['ratio']:.1f}x)" if f else ""
        click.echo(f"{notice.kind:8} {notice.rule}{figures}")
    click.echo(f"rules {ev.evaluated}  notices {len(ev.notices)}  emails queued {ev.queued}  digests {report.digests}  "
               f"sent {dl.sent}  failed {dl.failed}")
    for error in ev.errors:
        click.echo(f"not evaluated: {error}", err=True)
    if dl.error:
        click.echo(f"delivery: {dl.error} (next retry {dl.retry_at:%H:%M} UTC)", err=True)


@command.command()
@click.option("--at", "at", default=None, help="As of this time (ISO 8601 with offset); default now.")
@pass_app
def digest(app: AppContext, at: str | None) -> None:
    """Queue today's daily digests once the digest time has passed, then deliver what is due."""
    from alerts.check import digest as run_digest
    from indexer.factory import open_store

    cfg = app.config
    app.data_path()
    with open_store(cfg) as store:
        report = run_digest(cfg, store, _when(at))
    dl = report.delivery
    click.echo(f"digests queued {report.digests}  sent {dl.sent}  failed {dl.failed}")
    if dl.error:
        click.echo(f"delivery: {dl.error} (next retry {dl.retry_at:%H:%M} UTC)", err=True)


@command.command()
@click.option("--since", default="30d", show_default=True, help="How far back to replay (e.g. 30d, 2w).")
@click.option("--step", default="", help="Evaluate every ... (default: alerts.check_every_minutes, at least 1h).")
@click.option("--until", default=None, help="Replay up to this time (ISO 8601 with offset); default now.")
@click.option("--rule", "names", multiple=True, help="Only these rules (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@pass_app
def backtest(app: AppContext, since: str, step: str, until: str | None, names: tuple[str, ...], as_json: bool) -> None:
    """Replay history and list what would have fired, to tune thresholds (nothing is sent)."""
    from alerts.backtest import backtest as replay, per_week
    from alerts.defaults import effective_rules
    from alerts.render import local_time
    from alerts.series import SeriesReader
    from indexer.factory import open_store
    from pantau.errors import PantauError

    cfg = app.config
    rules = effective_rules(cfg)
    if names:
        unknown = sorted(set(names) - {r.name for r in rules})
        if unknown:
            raise PantauError(f"unknown rule {unknown[0]!r}; see `pantau alerts rules`")
        rules = [r for r in rules if r.name in names]
    every = _duration(step) if step else max(timedelta(minutes=cfg.alerts.check_every_minutes), timedelta(hours=1))
    end = _when(until).astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    start = end - _duration(since)
    with open_store(cfg) as store:
        replayed = replay(SeriesReader(store, cfg.province.timezone), rules, start, end, every)
    rates = per_week(replayed, start, end)
    if as_json:
        click.echo(json.dumps({"since": start.isoformat(), "until": end.isoformat(), "per_rule_per_week": rates,
                               "notices": [{**r.__dict__, "at": r.at.isoformat()} for r in replayed]}))
        return
    for r in replayed:
        click.echo(f"{local_time(r.at, cfg.tz)}  {r.kind:8} {r.rule:32} {r.observed:g} vs {r.expected:g} "
                   f"({r.ratio:.1f}x, z {r.z:.1f}) {r.detail}")
    click.echo(f"{len(replayed)} notices from {len(rules)} rules over {since}")
    for rule, rate in rates.items():
        click.echo(f"  {rule}: {rate} alerts/week")


@command.command(name="send-test")
@click.argument("email")
@pass_app
def send_test(app: AppContext, email: str) -> None:
    """Send a test email now through the configured SMTP server (not queued)."""
    from alerts.labels import labels
    from alerts.notifiers.email import EmailNotifier

    cfg = app.config
    words = labels(cfg.alerts.language)
    notifier = EmailNotifier(cfg.smtp)
    now = datetime.now(timezone.utc)
    message = notifier.compose(email, words["test_subject"], words["test_body"] + "\n", None, {}, f"test|{email}|{now.isoformat()}", now)
    with notifier.connection() as client:
        notifier.send(client, email, notifier.serialize(message))
    click.echo(f"sent a test email to {email} via {cfg.smtp.host}:{cfg.smtp.port} ({cfg.smtp.security})")


@command.command()
@click.option("--since", default="7d", show_default=True, help="How far back (e.g. 24h, 7d).")
@click.option("--rule", default=None, help="Only this rule.")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON lines.")
@pass_app
def history(app: AppContext, since: str, rule: str | None, limit: int, as_json: bool) -> None:
    """Notices written to the outbox and how their emails fared."""
    from alerts.check import open_outbox
    from alerts.render import local_time

    cfg = app.config
    app.data_path()
    with open_outbox(cfg) as outbox:
        rows = outbox.history(datetime.now(timezone.utc) - _duration(since), rule, limit)
        counts = outbox.counts()
    for row in rows:
        if as_json:
            click.echo(json.dumps({"key": row.key, "rule": row.rule, "kind": row.kind, "at": row.created_at.isoformat(),
                                   "deliveries": row.deliveries, "finding": row.payload.get("finding")}))
            continue
        f = row.payload.get("finding") or {}
        figures = f"{f['observed']:g} vs {f['expected']:g} ({f['ratio']:.1f}x)" if f else ""
        sent = ", ".join(f"{r}: {s}" + (f" after {a} tries" if a > 1 else "") for r, s, a in row.deliveries) or "no recipients"
        click.echo(f"{local_time(row.created_at, cfg.tz)}  {row.kind:8} {row.rule:32} {figures:24} {sent}")
    if not as_json:
        click.echo(f"{len(rows)} notices; emails: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"))


@command.command()
@click.option("--json", "as_json", is_flag=True, help="JSON lines.")
@pass_app
def rules(app: AppContext, as_json: bool) -> None:
    """The rules in force (the rules file, or the defaults from the taxonomy) with their options."""
    from alerts.defaults import effective_rules
    from alerts.options import format_duration

    cfg = app.config
    for rule in effective_rules(cfg):
        options = {k: format_duration(v) if isinstance(v, timedelta) else v for k, v in rule.detector.settings.items()}
        if as_json:
            click.echo(json.dumps({"name": rule.name, "detector": rule.detector.name, "scope": rule.scope.text(),
                                   "recipients": list(rule.recipients), "cooldown": format_duration(rule.cooldown),
                                   "enabled": rule.enabled, "source": rule.source, "options": options}))
            continue
        state = "" if rule.enabled else " (disabled)"
        click.echo(f"{rule.name}{state}: {rule.detector.name} on [{rule.scope.text() or 'everything'}]")
        click.echo(f"    to {', '.join(rule.recipients) or '(no recipients: history only)'}; cooldown {format_duration(rule.cooldown)}"
                   f"..{format_duration(rule.max_cooldown)}")
        click.echo("    " + "  ".join(f"{k}={v}" for k, v in options.items()))
