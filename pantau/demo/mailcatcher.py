"""The demo's mail catcher: a real SMTP server (aiosmtpd) on loopback that keeps every message.

Messages are kept in a Maildir (``<data_dir>/demo/mail``), each with an ``X-Pantau-Caught-At``
header (UTC, ISO 8601) added on arrival, so what the alerts sent can be read with any mail
client or `python -m mailbox`-style tools after the demo, and the benchmark can time arrival.
"""

from __future__ import annotations

import email
import email.policy
import logging
import mailbox
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

CAUGHT_AT = "X-Pantau-Caught-At"
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection at INFO


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Caught:
    recipients: tuple[str, ...]
    message: EmailMessage
    caught_at: datetime

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    def text(self) -> str:
        """The plain-text part (or the only part), decoded."""
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


class _Keeper:
    def __init__(self, box: mailbox.Maildir) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's hook)
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        message[CAUGHT_AT] = datetime.now(timezone.utc).isoformat()
        message["X-Pantau-Rcpt-To"] = ", ".join(envelope.rcpt_tos)
        self.box.add(message)
        return "250 OK: kept by the Pantau demo mail catcher"


class MailCatcher:
    """``with MailCatcher(folder) as catcher:`` an SMTP server on 127.0.0.1:``catcher.port``."""

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.folder = folder
        self.host = host
        self.port = port or free_port(host)
        folder.parent.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(_Keeper(mailbox.Maildir(folder, create=True)), hostname=host, port=self.port)

    def start(self) -> MailCatcher:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> MailCatcher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def caught(folder: Path) -> list[Caught]:
    """Every message the catcher kept in ``folder``, oldest first."""
    if not folder.exists():
        return []
    found = []
    for raw in mailbox.Maildir(folder, create=False):
        message = email.message_from_bytes(raw.as_bytes(), policy=email.policy.default)
        rcpt = tuple(r.strip() for r in str(message["X-Pantau-Rcpt-To"] or "").split(",") if r.strip())
        found.append(Caught(rcpt, message, datetime.fromisoformat(str(message[CAUGHT_AT]))))  # type: ignore[arg-type]
    return sorted(found, key=lambda c: c.caught_at)


def alerts_to(mail: list[Caught], address: str) -> list[Caught]:
    """The alert emails (not the daily digests, which the same check may send) to ``address``."""
    from alerts.labels import labels

    digests = tuple(labels(language)["digest_subject"].split("{")[0] for language in ("id", "en"))
    return [m for m in mail if address in m.recipients and not any(d in m.subject for d in digests)]
