"""Detectors: one class per file, each a small judgement over an :class:`Observation`."""
