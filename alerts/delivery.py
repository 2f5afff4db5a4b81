"""Delivery: send what the outbox holds due, once each; retry later what the server refused."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from alerts.errors import DeliveryError
from alerts.notifiers.email import EmailNotifier
from alerts.outbox import Outbox

log = logging.getLogger("pantau.alerts")


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    retry_at: datetime | None = None
    error: str = ""


def deliver(outbox: Outbox, notifier: EmailNotifier, now: datetime | None = None) -> Delivery:
    """Send every due email once. A refused message is retried later on its own; when the
    server cannot be reached, every message of this run is scheduled for a retry."""
    now = now or datetime.now(timezone.utc)
    result = Delivery()
    due = outbox.claim_due(now)
    if not due:
        return result
    done: set[int] = set()
    try:
        with notifier.connection() as client:
            for message in due:
                try:
                    notifier.send(client, message.recipient, message.mime)
                except DeliveryError as exc:
                    if not exc.per_message:
                        raise
                    result.failed += 1
                    result.retry_at = outbox.mark_failed(message.id, str(exc), now)
                    result.error = str(exc)
                else:
                    outbox.mark_sent(message.id, now)
                    result.sent += 1
                done.add(message.id)
    except DeliveryError as exc:
        log.warning("delivery failed, will retry: %s", exc)
        result.error = str(exc)
        for message in due:
            if message.id not in done:
                result.failed += 1
                result.retry_at = outbox.mark_failed(message.id, str(exc), now)
    return result
