"""The dashboard's one error type, rendered by one handler as a page or as JSON of one shape.

Every failure a user can see is a :class:`DashboardError` (or is converted to one): its
``status`` is the HTTP status, ``field`` names the input at fault and ``position`` points into
a query string. JSON answers are ``{"error": {"status", "message", "field", "position"}}``.
"""

from __future__ import annotations

from typing import Any

from pantau.errors import PantauError


class DashboardError(PantauError):
    status = 400

    def __init__(self, message: str, *, status: int | None = None, field: str | None = None,
                 position: int | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.field = field
        self.position = position
        self.extra = extra or {}

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.position is not None:
            body["position"] = self.position
        return {"error": body, **self.extra}


class NotAuthenticated(DashboardError):
    status = 401


class Forbidden(DashboardError):
    status = 403


class NotFound(DashboardError):
    status = 404


class TooManyRequests(DashboardError):
    status = 429


class Unprocessable(DashboardError):
    status = 422
