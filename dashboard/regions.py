"""The province's regions for the tile grid: every regency and city of nlp's gazetteer."""

from __future__ import annotations

from pathlib import Path

from pantau.config import Config
from pantau.post import Region


def province_regions(cfg: Config) -> dict[str, Region]:
    """BPS code -> region, in the gazetteer's order (``taxonomy.gazetteer``, else the bundled one)."""
    from nlp.gazetteer import load_gazetteer

    path = cfg.taxonomy.gazetteer
    if path and not Path(path).expanduser().is_absolute() and cfg.source is not None:
        path = str(cfg.source.parent / path)
    return dict(load_gazetteer(path).regions)
