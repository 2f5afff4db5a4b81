"""The index of tagged posts: search, aggregations, retention.

Code against three modules only: :mod:`indexer.query` (the query model and the analysts'
language), :mod:`indexer.store` (the Store protocol and its request/result types) and
:mod:`indexer.factory` (``open_store(cfg)``). Backends live in ``embedded/`` (tantivy +
SQLite, the default) and ``elastic/`` (Elasticsearch); nothing but the factory imports them.
"""
