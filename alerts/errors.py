"""The errors of the alerts package: each says what to fix."""

from __future__ import annotations

from pantau.errors import PantauError


class AlertRuleError(PantauError):
    """A wrong alert rule: names the file, the rule and the key, and what was expected."""

    def __init__(self, file: str, rule: str, key: str, message: str) -> None:
        self.file, self.rule, self.key = file, rule, key
        super().__init__(f"{file}: rule {rule!r}: {key}: {message}")


class DeliveryError(PantauError):
    """The mail server refused or could not be reached; the outbox keeps the message and retries.

    ``per_message`` is True when only this message was refused (the session is still usable).
    """

    def __init__(self, message: str, per_message: bool = False) -> None:
        super().__init__(message)
        self.per_message = per_message
