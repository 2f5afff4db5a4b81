"""Everything a request handler needs, built once per app by ``create_app``.

The store is opened on first use (not at import or start-up), so the dashboard starts and
answers ``/health`` even while the index is being built or the cluster is down.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

from fastapi import Request

from dashboard.cache import TimedCache
from dashboard.csrf import LoginToken
from dashboard.db import FILE_NAME, Database
from dashboard.saved import SavedSearches
from dashboard.sessions import SessionStore, secret_key
from dashboard.users import UserStore
from indexer.store import Store
from nlp.taxonomy import Taxonomy
from pantau.config import Config
from pantau.post import Region


@dataclass
class Dashboard:
    cfg: Config
    store_override: Store | None = None
    _store: Store | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        from dashboard.auth import LoginLimiter

        self.db = Database(self.cfg.data_dir / FILE_NAME)
        key = secret_key(self.cfg)
        self.users = UserStore(self.db)
        self.sessions = SessionStore(self.db, key)
        self.login_token = LoginToken(key)
        self.limiter = LoginLimiter(self.db)
        self.saved = SavedSearches(self.db)
        self.cache = TimedCache(self.cfg.dashboard.cache_seconds)

    @property
    def store(self) -> Store:
        if self.store_override is not None:
            return self.store_override
        with self._lock:
            if self._store is None:
                from indexer.factory import open_store

                self._store = open_store(self.cfg)
            return self._store

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return Taxonomy.from_config(self.cfg)

    @cached_property
    def regions(self) -> dict[str, Region]:
        """The province's regions (BPS code -> region) in gazetteer order, for the tile grid."""
        from dashboard.regions import province_regions

        return province_regions(self.cfg)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def context(request: Request) -> Dashboard:
    return request.app.state.dashboard
