"""CSRF protection: every state-changing request from a browser carries a token.

Signed-in forms send the session's token in a hidden ``csrf_token`` field (the JSON API sends
it in the ``X-CSRF-Token`` header). The login form, which has no session yet, uses a
double-submit token: a signed cookie and the same value in the form.
"""

from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer

from dashboard.errors import Forbidden

FIELD = "csrf_token"
HEADER = "x-csrf-token"
LOGIN_COOKIE = "pantau_login_csrf"
LOGIN_MAX_AGE_S = 3600


def check(expected: str, given: str | None) -> None:
    if not given or not hmac.compare_digest(expected.encode(), given.encode()):
        raise Forbidden("the form expired or did not come from this site (CSRF check failed); reload the page and try again")


class LoginToken:
    """Double-submit token for the login form."""

    def __init__(self, key: str) -> None:
        self.signer = URLSafeTimedSerializer(key, salt="pantau-login-csrf")

    def issue(self) -> tuple[str, str]:
        """(form value, cookie value)."""
        token = secrets.token_urlsafe(24)
        return token, self.signer.dumps(token)

    def check(self, cookie: str | None, given: str | None) -> None:
        try:
            expected = self.signer.loads(cookie or "", max_age=LOGIN_MAX_AGE_S)
        except BadSignature:
            expected = None
        if not expected:
            raise Forbidden("the login form expired (CSRF check failed); reload the page and sign in again")
        check(expected, given)
