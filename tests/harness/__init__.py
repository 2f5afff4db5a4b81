"""Pytest fixtures shared by the whole suite (registered as plugins in tests/conftest.py)."""
