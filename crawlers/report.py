"""What one crawl cycle did, per source: from a crawler's stats to a small, JSON-ready report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class SourceReport:
    source: str
    requests: int = 0
    pages_ok: int = 0
    kept: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    finish_reason: str = ""

    @property
    def failed(self) -> bool:
        """Failed entirely: nothing usable came back and something went wrong (or it never ran)."""
        return self.finish_reason != "finished" or (bool(self.errors) and self.pages_ok == 0)

    @classmethod
    def from_stats(cls, source: str, stats: dict[str, Any]) -> SourceReport:
        def prefixed(prefix: str) -> dict[str, int]:
            return {k[len(prefix):]: int(v) for k, v in sorted(stats.items()) if k.startswith(prefix)}

        skipped = prefixed("pantau/skipped/")
        if stats.get("robotstxt/forbidden"):
            skipped["robots_txt"] = int(stats["robotstxt/forbidden"])
        return cls(
            source=source,
            requests=int(stats.get("downloader/request_count", 0)),
            pages_ok=int(stats.get("pantau/pages/ok", 0)),
            kept=int(stats.get("item_scraped_count", 0)),
            dropped=prefixed("pantau/dropped/"),
            skipped=skipped,
            errors=prefixed("pantau/errors/"),
            finish_reason=str(stats.get("finish_reason", "not started")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "failed": self.failed}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceReport:
        return cls(**{k: v for k, v in data.items() if k != "failed"})


@dataclass
class CrawlReport:
    sources: list[SourceReport]
    elapsed_s: float = 0.0
    dry_run: bool = False
    #: time inside the crawl process from engine start to the last spider closed (no start-up)
    crawl_s: float = 0.0

    @property
    def failed(self) -> list[str]:
        return [s.source for s in self.sources if s.failed]

    def get(self, source: str) -> SourceReport:
        return next(s for s in self.sources if s.source == source)

    def to_dict(self) -> dict[str, Any]:
        return {"elapsed_s": self.elapsed_s, "crawl_s": self.crawl_s, "dry_run": self.dry_run,
                "sources": [s.to_dict() for s in self.sources]}
