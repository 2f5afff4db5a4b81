"""Alerts: spike detection on indexed counts, alert emails through a durable outbox, digests.

Rules (TOML, :mod:`alerts.rules`; defaults from the taxonomy, :mod:`alerts.defaults`) name a
scope, a detector (:mod:`alerts.registry`) and recipients. :mod:`alerts.series` turns a scope
into the counts a detector needs, reading only through indexer's query layer.
:mod:`alerts.engine` evaluates the rules with the growing cooldown of :mod:`alerts.cooldown`
and writes every notice, with its grouped email, to the outbox (:mod:`alerts.outbox`) before
:mod:`alerts.delivery` sends it through :class:`alerts.notifiers.email.EmailNotifier`.
:mod:`alerts.check` is one turn of all this (``pantau alerts check``), :mod:`alerts.digest`
the daily digest, :mod:`alerts.backtest` the replay used to tune rules. See docs/alerts.md.
"""
