"""Benchmarks for ``pantau bench``: each module exposes a click ``command`` printing JSON."""
