"""Notifiers: one class per channel (``EmailNotifier``)."""
