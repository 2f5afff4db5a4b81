"""The province's regions as a tile grid: one tile per regency/city, shaded by post volume."""

from __future__ import annotations

from typing import Any

from dashboard.context import Dashboard
from dashboard.params import SearchParams

LEVELS = 4


def region_tiles(ctx: Dashboard, counts: dict[str, dict[str, int]], base: SearchParams) -> list[dict[str, Any]]:
    """Every region of the gazetteer (zero when quiet), in gazetteer order, with its search link."""
    peak = max((c["count"] for c in counts.values()), default=0)
    tiles = []
    for code, region in ctx.regions.items():
        found = counts.get(code, {"count": 0, "negative": 0})
        level = 0 if not found["count"] or not peak else 1 + min(LEVELS - 1, int(found["count"] / peak * LEVELS))
        tiles.append({
            "code": code, "name": region.name.replace("Kabupaten ", "Kab. "), "count": found["count"],
            "negative_pct": round(100 * found["negative"] / found["count"]) if found["count"] else 0,
            "level": min(level, LEVELS), "url": base.toggled("region", code).url(),
        })
    return tiles
