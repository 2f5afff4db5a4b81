"""``open_store(cfg)``: the one place that chooses and imports an index backend.

``[store] backend = "embedded"`` (default) opens tantivy + SQLite in ``<data_dir>/store``;
``"elasticsearch"`` connects to ``[store] es_url`` (see docs/elasticsearch.md). Backends are
imported here only, lazily, so that code using the Store protocol never depends on one.

Any number of processes may open the embedded store to read; the first write takes the writer
lock, and a second writer gets ``StoreUnavailable``.
"""

from __future__ import annotations

from pathlib import Path

from pantau.config import Config
from indexer.store import Store

STORE_DIR = "store"


def store_path(cfg: Config) -> Path:
    return cfg.data_dir / STORE_DIR


def open_store(cfg: Config) -> Store:
    if cfg.store.backend == "elasticsearch":
        from indexer.elastic.store import ElasticStore

        return ElasticStore.from_settings(cfg.store, tz=cfg.province.timezone)
    from indexer.embedded.store import EmbeddedStore

    return EmbeddedStore(store_path(cfg), tz=cfg.province.timezone)
