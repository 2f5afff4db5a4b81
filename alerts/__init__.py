"""Alerts: spike detection on indexed counts, alert emails through a durable outbox, digests.

Rules (TOML, :mod:`alerts.rules`) name a scope, a detector (:mod:`alerts.registry`) and
recipients. :mod:`alerts.series` turns a scope into the counts a detector needs, reading only
through indexer's query layer. :mod:`alerts.engine` evaluates the rules, applies the growing
cooldown, and writes every notice to the outbox (:mod:`alerts.outbox`) before
:class:`alerts.notifiers.email.EmailNotifier` sends it.
"""
