"""One evaluation of the rules: observe, detect, apply the cooldown, write notices and emails to
the outbox (one grouped email per recipient). Sending is :mod:`alerts.delivery`'s.

The notices of an evaluation, the rules' new states and the emails are written in a single
transaction, so a crash leaves either all of them or none; delivery happens after.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

from alerts.chart import render_chart
from alerts.cooldown import RESOLVED, EpisodeState, step
from alerts.details import enrich
from alerts.notice import Notice, dashboard_link
from alerts.notifiers.email import EmailNotifier
from alerts.outbox import Outbox
from alerts.render import render_alert
from alerts.rules import Rule, Scope
from alerts.series import SeriesReader, scope_query
from pantau.config import Config
from pantau.errors import PantauError

log = logging.getLogger("pantau.alerts")


@dataclass
class Evaluation:
    notices: list[Notice] = field(default_factory=list)
    queued: int = 0
    evaluated: int = 0
    errors: list[str] = field(default_factory=list)  # rules that could not be evaluated, and why


class _Raced(Exception):
    """Another process recorded one of this evaluation's notices first (two checks at once)."""


def window_end(now: datetime, every_minutes: int) -> datetime:
    """``now`` floored to the check cadence: two checks in one period judge the same window."""
    now = now.astimezone(timezone.utc)
    minutes = now.hour * 60 + now.minute
    floored = minutes - minutes % max(every_minutes, 1)
    return now.replace(hour=floored // 60, minute=floored % 60, second=0, microsecond=0)


def notice_key(rule: Rule, start: datetime, end: datetime, kind: str) -> str:
    return f"{rule.name}|{rule.scope.key}|{start.isoformat()}|{end.isoformat()}|{kind}"


def judge(reader: SeriesReader, rule: Rule, end: datetime, state: EpisodeState, outbox: Outbox | None,
          cfg: Config, titles: dict[str, str]) -> tuple[Notice | None, EpisodeState, list[str]]:
    """The notice this rule gives at ``end`` (or None), its next state and newly reported post ids."""
    obs = reader.observe(rule, end)
    finding = rule.detector.evaluate(obs)
    language = rule.language or cfg.alerts.language
    fresh: list[str] = []
    if rule.detector.name == "watch_terms":
        fresh = outbox.unseen(rule.name, obs.matches) if outbox else list(obs.matches)
        if finding is None or not fresh:
            return None, state, []
        kind = "watch"
        key = f"{rule.name}|{rule.scope.key}|watch|" + hashlib.sha256("|".join(sorted(fresh)).encode()).hexdigest()[:16]
        finding.observed = float(len(fresh))
        new_state = state
    else:
        action, new_state = step(state, finding is not None, end, cooldown=rule.cooldown,
                                 max_cooldown=rule.max_cooldown, resolve_after=rule.detector.window)
        if action is None:
            return None, new_state, []
        kind = action
        key = notice_key(rule, obs.start, obs.end, kind)
    title = ", ".join(titles.get(a, a) for a in rule.agencies) or rule.name
    scope = notice_scope(rule)
    notice = Notice(key, rule.name, kind, rule.detector.name, scope, obs.start, obs.end, title=title,
                    description=rule.description, language=language, link=dashboard_link(cfg.alerts.dashboard_url, scope))
    if finding is not None:
        notice.finding = {"unit": finding.unit, "observed": finding.observed, "expected": round(finding.expected, 3),
                          "ratio": round(finding.ratio, 2), "z": round(finding.z, 2), "severity": finding.severity}
    if kind != RESOLVED:
        enrich(reader, notice, scope_query(Scope(scope), reader.tz), obs, finding)
    return notice, new_state, fresh


def notice_scope(rule: Rule) -> str:
    """What a notice is about, in the query language: the scope, and for watch terms the terms
    (so samples, counts and the dashboard link show the matching posts only)."""
    text = rule.scope.text()
    if rule.detector.name == "watch_terms":
        terms = " OR ".join(f'"{t}"' if " " in t.strip() else t.strip() for t in rule.detector.terms)
        text = f"{text} ({terms})".strip()
    return text


def evaluate(cfg: Config, reader: SeriesReader, rules: list[Rule], outbox: Outbox, notifier: EmailNotifier,
             now: datetime, titles: dict[str, str] | None = None) -> Evaluation:
    """Evaluate every enabled rule at ``now`` and queue the emails; nothing is sent here."""
    end = window_end(now, cfg.alerts.check_every_minutes)
    result = Evaluation()
    pending: list[tuple[Rule, Notice | None, EpisodeState, list[str]]] = []
    for rule in rules:
        if not rule.enabled:
            continue
        result.evaluated += 1
        state = outbox.state(rule.name, rule.scope.key)
        try:
            notice, new_state, fresh = judge(reader, rule, end, state, outbox, cfg, titles or {})
        except PantauError as exc:  # one rule's trouble (e.g. the store timing out) spares the others
            log.error("rule %s not evaluated: %s", rule.name, exc)
            result.errors.append(f"{rule.name}: {exc}")
            continue
        if notice is not None and outbox.has_notice(notice.key):
            continue  # this window was already judged and recorded
        pending.append((rule, notice, new_state, fresh))
    notices = [n for _, n, _, _ in pending if n is not None]
    by_recipient: dict[str, list[Notice]] = defaultdict(list)
    for rule, notice, _, _ in pending:
        for recipient in rule.recipients if notice is not None else ():
            by_recipient[recipient].append(notice)
    # composed (charts rendered) before the write lock is taken
    messages = []
    for recipient, group in sorted(by_recipient.items()):
        key = "alert|" + hashlib.sha256((recipient + "|" + "|".join(sorted(n.key for n in group))).encode()).hexdigest()
        messages.append((key, recipient, group, compose_alert(cfg, notifier, recipient, group, key, now)))
    try:
        with outbox.transaction():
            for rule, notice, new_state, fresh in pending:
                if rule.detector.name != "watch_terms":
                    outbox.set_state(rule.name, rule.scope.key, new_state)
                if notice is not None:
                    if not outbox.add_notice(notice.key, rule.name, notice.kind, notice.to_json(), now):
                        raise _Raced(notice.key)
                    outbox.mark_seen(rule.name, fresh, now)
            for key, recipient, group, message in messages:
                result.queued += outbox.enqueue(key, recipient, str(message["Subject"]), notifier.serialize(message),
                                                [n.key for n in group], now)
    except _Raced as raced:
        log.info("another check recorded %s first; leaving this period to it", raced)
        return Evaluation(evaluated=result.evaluated, errors=result.errors)
    result.notices = notices
    for notice in result.notices:
        log.info("alert %s: %s %s", notice.kind, notice.rule, notice.finding or "")
    return result


def compose_alert(cfg: Config, notifier: EmailNotifier, recipient: str, notices: list[Notice], key: str, now: datetime):
    images: dict[str, bytes] = {}
    cids: list[str | None] = []
    for notice in notices:
        if notice.chart:
            cid = f"chart{len(images) + 1}.{hashlib.sha256(key.encode()).hexdigest()[:12]}@pantau"
            images[cid] = render_chart(notice.chart, (notice.window_start, notice.window_end), cfg.province.timezone)
            cids.append(cid)
        else:
            cids.append(None)
    language = notices[0].language
    subject, text, html = render_alert(notices, cids, language, cfg.province.timezone, cfg.province.name)
    return notifier.compose(recipient, subject, text, html, images, key, now)
