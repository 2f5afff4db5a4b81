"""Pantau's exception family. Messages say what to do; the CLI prints them on one line."""

from __future__ import annotations

from pantau.config import ConfigError
from pantau.post import InvalidPost


class PantauError(Exception):
    """An error the user can act on (bad input, a service down, a missing file)."""


class SpoolError(PantauError):
    """The spool cannot be read or written (disk full, permissions, corruption)."""


class StoreUnavailable(PantauError):
    """The index cannot be reached; posts stay in the spool until it is back."""


#: Everything the CLI reports as a one-line error instead of a traceback.
USER_ERRORS: tuple[type[Exception], ...] = (PantauError, ConfigError, InvalidPost)
