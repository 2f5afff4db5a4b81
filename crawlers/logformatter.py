"""Scrapy's log lines without post bodies: a dropped item is a counted, expected event.

The default formatter logs every dropped item at WARNING with its whole repr (text, author
hash); Pantau counts drops by reason in stats and logs each at DEBUG by source and id only.
"""

from __future__ import annotations

from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


def _label(item: Any) -> str:
    return f"{getattr(item, 'source', '?')} {getattr(item, 'native_id', '?')}"


class PantauLogFormatter(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None) -> LogFormatterResult:
        return {"level": 10, "msg": "dropped %(item)s: %(exception)s", "args": {"item": _label(item), "exception": exception}}

    def scraped(self, item: Any, response: Any, spider: Any = None) -> LogFormatterResult:
        return {"level": 10, "msg": "kept %(item)s", "args": {"item": _label(item)}}
