"""The province's regions for the tile grid, from nlp's gazetteer."""

from __future__ import annotations

from pantau.config import Config
from pantau.post import Region


def province_regions(cfg: Config) -> dict[str, Region]:
    try:
        import nlp.gazetteer  # noqa: F401
    except ImportError:
        return {}
    return {}
