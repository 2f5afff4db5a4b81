"""``@fixture <path>``: a `scrapy check` contract that fetches a saved copy instead of the web.

The path is relative to ``tests/files/`` (``PANTAU_FIXTURES`` overrides the folder) and is
fetched as a ``file://`` URL, so contracts run offline and on any machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.contracts import Contract

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "files"


class FixtureContract(Contract):
    """Use a saved copy as the callback's response: ``@fixture news/feeds/tribun.xml``."""

    name = "fixture"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["url"] = (FIXTURES / self.args[0]).resolve().as_uri()
        return args
