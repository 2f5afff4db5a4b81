"""``check``: one full turn of the alerts stage (rules, digests, delivery), for the CLI and the
daemon; ``digest``: only the daily digests (``pantau alerts digest``; ``check`` queues them too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from alerts.defaults import agency_names, effective_rules
from alerts.digest import queue_digests
from alerts.delivery import Delivery, deliver
from alerts.engine import Evaluation, evaluate
from alerts.notifiers.email import EmailNotifier
from alerts.outbox import FILE_NAME, Outbox
from alerts.rules import Rule
from alerts.series import SeriesReader
from indexer.store import Store
from pantau.config import Config


@dataclass
class CheckReport:
    evaluation: Evaluation
    digests: int
    delivery: Delivery


def open_outbox(cfg: Config) -> Outbox:
    return Outbox(cfg.data_dir / FILE_NAME)


def check(cfg: Config, store: Store, now: datetime | None = None, rules: list[Rule] | None = None,
          titles: dict[str, str] | None = None, send: bool = True) -> CheckReport:
    """Evaluate the rules at ``now``, queue due digests, then (``send``) deliver what is due."""
    now = now or datetime.now(timezone.utc)
    titles = agency_names(cfg) if titles is None else titles
    rules = effective_rules(cfg, titles) if rules is None else rules
    notifier = EmailNotifier(cfg.smtp)
    reader = SeriesReader(store, cfg.province.timezone)
    with open_outbox(cfg) as outbox:
        evaluation = evaluate(cfg, reader, rules, outbox, notifier, now, titles)
        digests = queue_digests(cfg, reader, rules, outbox, notifier, now, titles)
        delivery = deliver(outbox, notifier, now) if send else Delivery()
    return CheckReport(evaluation, digests, delivery)


def digest(cfg: Config, store: Store, now: datetime | None = None, rules: list[Rule] | None = None,
           titles: dict[str, str] | None = None) -> CheckReport:
    """Queue the day's digests when due (once per agency and day), then deliver what is due."""
    now = now or datetime.now(timezone.utc)
    titles = agency_names(cfg) if titles is None else titles
    rules = effective_rules(cfg, titles) if rules is None else rules
    notifier = EmailNotifier(cfg.smtp)
    with open_outbox(cfg) as outbox:
        digests = queue_digests(cfg, SeriesReader(store, cfg.province.timezone), rules, outbox, notifier, now, titles)
        delivery = deliver(outbox, notifier, now)
    return CheckReport(Evaluation(), digests, delivery)
