"""JSON APIs: defensive decoding and lookups by path, so a changed shape is a counted failure.

Hooks for subclasses: none beyond :class:`PantauSpider`'s; use :meth:`ApiSpider.load_json` on
every response (None means "failed and counted, stop this page") and :func:`dig` for every
nested value (raises :class:`ShapeError`, which the spider catches per item or per page).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.spiders.bases.pantau import PantauSpider
from pantau.post import Post

_MISSING = object()


class ShapeError(ValueError):
    """The answer does not have the shape the spider was written for."""


def dig(data: Any, *path: int | str, kind: type | tuple[type, ...] | None = None, default: Any = _MISSING) -> Any:
    """``data[p0][p1]...`` checked at every step; ``kind`` checks the value found.

    Missing steps return ``default`` when one is given (an optional field), else raise
    :class:`ShapeError` naming the path, so a changed format is never read as zeros.
    """
    value = data
    for step in path:
        try:
            value = value[step]
        except (IndexError, KeyError, TypeError):
            if default is not _MISSING:
                return default
            raise ShapeError(f"nothing at {list(path)} (stopped at {step!r})") from None
    if value is None and default is not _MISSING:
        return default
    if kind is not None:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise ShapeError(f"{list(path)} is {type(value).__name__}, expected {names}")
    return value


class ApiSpider(PantauSpider):
    def load_json(self, response: Response, text: str | None = None) -> Any | None:
        """The decoded JSON body, or None after logging and counting the failure (bad JSON, or null)."""
        try:
            data = json.loads(text if text is not None else response.body)
        except (ValueError, UnicodeDecodeError) as exc:
            self.fail("bad_json", "%s: %s is not valid JSON (%d bytes): %s", self.name, response.url, len(response.body), exc)
            return None
        if data is None:
            self.shape_failure(response, ShapeError("the answer is JSON null"))
        return data

    def read_page(self, response: Response, *path: int | str, kind: type | tuple[type, ...],
                  what: str = "page") -> tuple[Any, Any] | None:
        """(the JSON body, the value at ``path`` in it), the page counted as read; None after
        logging and counting the failure (bad JSON, null, or a changed shape)."""
        data = self.load_json(response)
        if data is None:
            return None
        try:
            value = dig(data, *path, kind=kind)
        except ShapeError as exc:
            self.shape_failure(response, exc, what)
            return None
        self.page_ok()
        return data, value

    def parsed(self, response: Response, raws: Iterable[Any], parse: Callable[[Any], Post], what: str) -> Iterator[Post]:
        """``parse(raw)`` of each item of a page; an item of an unexpected shape is counted and skipped."""
        for raw in raws:
            try:
                post = parse(raw)
            except ShapeError as exc:
                self.shape_failure(response, exc, what)
                continue
            yield post

    def shape_failure(self, response: Response, exc: ShapeError, what: str = "page") -> None:
        self.fail("shape", "%s: unexpected %s shape from %s: %s (the source's format may have changed)",
                  self.name, what, response.url, exc)

    def error_detail(self, failure: Failure) -> tuple[int | None, str]:
        """(HTTP status, the API's own error message) of a failed request, for clear logs."""
        if not failure.check(HttpError):
            return None, str(failure.value)
        response = failure.value.response
        try:
            body = json.loads(response.body)
        except (ValueError, UnicodeDecodeError):
            return response.status, response.body[:200].decode("utf-8", "replace")
        if isinstance(body, dict):
            error = body.get("error")
            for candidate in (error.get("message") if isinstance(error, dict) else None, body.get("message"),
                              body.get("detail"), body.get("title"), error):
                if isinstance(candidate, str) and candidate:
                    return response.status, candidate
        return response.status, str(body)[:200]
