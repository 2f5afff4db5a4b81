"""The demo's user error."""

from pantau.errors import PantauError


class DemoError(PantauError):
    """The demo cannot run (a busy port, a missing stage); the message says what to do."""
