"""``EmailNotifier``: builds multipart alert emails and sends them over SMTP.

Security (``smtp.security``): ``starttls`` upgrades a plain connection, ``ssl`` connects over
TLS (port 465), ``plain`` sends unencrypted (only for a local relay or tests). The server's
certificate is verified against the system's CAs, or ``smtp.ca_file``. Authentication
is used when ``smtp.username`` is set; the password comes from ``smtp.password`` or the
environment variable ``PANTAU_SMTP_PASSWORD`` and is never logged.
"""

from __future__ import annotations

import email.policy
import hashlib
import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from alerts.errors import DeliveryError
from pantau.config import SmtpSettings

log = logging.getLogger("pantau.alerts.email")


class EmailNotifier:
    name = "email"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    # -- composing ----------------------------------------------------------------------------
    def compose(self, recipient: str, subject: str, text: str, html: str | None, images: dict[str, bytes],
                key: str, now: datetime) -> EmailMessage:
        """A text + HTML message; ``images`` (Content-ID -> PNG) are inline parts of the HTML.

        The Message-ID derives from ``key`` so a re-sent copy carries the same id.
        """
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = self.settings.sender
        message["To"] = recipient
        message["Date"] = format_datetime(now)
        domain = parseaddr(self.settings.sender)[1].rpartition("@")[2] or "pantau.local"
        message["Message-ID"] = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(text)
        if html is not None:
            message.add_alternative(html, subtype="html")
            html_part = message.get_payload()[1]
            for cid, png in images.items():
                html_part.add_related(png, "image", "png", cid=f"<{cid}>", filename=f"{cid.split('@')[0]}.png")
        return message

    @staticmethod
    def serialize(message: EmailMessage) -> bytes:
        """Wire form with CRLF line ends (smtplib sends bytes as given)."""
        return message.as_bytes(policy=email.policy.SMTP)

    # -- sending ------------------------------------------------------------------------------
    @contextmanager
    def connection(self) -> Iterator[smtplib.SMTP]:
        """One SMTP session (several messages may go through it); errors become DeliveryError."""
        s = self.settings
        try:
            context = ssl.create_default_context(cafile=s.ca_file or None)
            if s.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_s, context=context)
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
                if s.security == "starttls":
                    client.starttls(context=context)
            if s.username:
                client.login(s.username, s.password.reveal())
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"cannot connect to SMTP {s.host}:{s.port} ({s.security}): {exc}; "
                                "check [smtp] in pantau.toml") from exc
        try:
            yield client
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def send(self, client: smtplib.SMTP, recipient: str, mime: bytes) -> None:
        sender = parseaddr(self.settings.sender)[1]
        try:
            client.sendmail(sender, [recipient], mime)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            raise DeliveryError(f"SMTP refused the message to {recipient}: {exc}", per_message=True) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP connection lost while sending to {recipient}: {exc}") from exc
        log.info("Alert sent to %s", recipient)
