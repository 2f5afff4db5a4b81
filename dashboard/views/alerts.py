"""The alerts page: rules (list, create, edit, mute), history, and the emails as sent."""

from __future__ import annotations

from typing import Any

from fastapi import Body, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboard.auth import api_writer, current_user, editor, form_of
from dashboard.context import context
from dashboard.data.alerts_feed import history, sent_email
from dashboard.data.rules import LIST_FIELDS, options_text, rules, table_from_form
from dashboard.errors import DashboardError, NotFound
from dashboard.labels import Labels
from dashboard.render import language, render
from dashboard.rule_file import RuleFile
from dashboard.users import User


def rules_api(request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    """The alert rules in force (within the caller's agencies), and whether the dashboard may edit them."""
    return rules(context(request), user)


def history_api(request: Request, rule: str | None = None, limit: int = 100,
                user: User = Depends(current_user)) -> list[dict[str, Any]]:
    """Alert notices, newest first, with their email deliveries (recipient, status, attempts)."""
    return history(context(request), user, rule=rule, limit=max(1, min(limit, 500)))


def rule_create_api(request: Request, table: dict[str, Any] = Body(..., description="a [[rule]] table as JSON"),
                    user: User = Depends(api_writer)) -> dict[str, Any]:
    """Create a rule (admin, humas, analyst); validated like a rule file. CSRF token in X-CSRF-Token."""
    editor(user)
    RuleFile(context(request).cfg).save(table)
    return {"created": table.get("name")}


def rule_update_api(request: Request, name: str, table: dict[str, Any] = Body(...),
                    user: User = Depends(api_writer)) -> dict[str, Any]:
    """Replace a dashboard-managed rule."""
    editor(user)
    RuleFile(context(request).cfg).save(table, replacing=name)
    return {"updated": name}


def rule_mute_api(request: Request, name: str, muted: bool = True, user: User = Depends(api_writer)) -> dict[str, Any]:
    """Mute (``muted=true``) or unmute a dashboard-managed rule."""
    editor(user)
    RuleFile(context(request).cfg).set_enabled(name, not muted)
    return {"name": name, "muted": muted}


def alerts_page(request: Request, user: User = Depends(current_user)) -> HTMLResponse:
    ctx = context(request)
    return render(request, "alerts.html", rules=rules(ctx, user), history=history(ctx, user, limit=50),
                  labels=Labels(ctx, language(request)))


def rule_form(request: Request, query: str = "", user: User = Depends(current_user)) -> HTMLResponse:
    editor(user)
    return _form(request, {"query": query, "detector": "volume_spike"}, None)


def rule_edit_form(request: Request, name: str, user: User = Depends(current_user)) -> HTMLResponse:
    editor(user)
    return _form(request, RuleFile(context(request).cfg).get(name), name)


def _form(request: Request, table: dict[str, Any], editing: str | None, error: DashboardError | None = None) -> HTMLResponse:
    from alerts.registry import DETECTORS

    ctx = context(request)
    return render(request, "rule_form.html", status=error.status if error else 200, table=table, editing=editing,
                  options=options_text(table), detectors=sorted(DETECTORS), error=error, list_fields=LIST_FIELDS,
                  agencies=ctx.taxonomy.agencies, writable=RuleFile(ctx.cfg).writable,
                  labels=Labels(ctx, language(request)))


async def rule_save(request: Request) -> Response:
    form = await form_of(request)
    editor(current_user(request))
    values: dict[str, Any] = {k: form.get(k) for k in form.keys()}
    values["agency"] = form.getlist("agency")
    editing = str(form.get("editing") or "") or None
    table = table_from_form(values)
    try:
        RuleFile(context(request).cfg).save(table, replacing=editing)
    except DashboardError as exc:
        if isinstance(exc, NotFound):
            raise
        return _form(request, table, editing, exc)
    return RedirectResponse("/alerts", status_code=303)


async def rule_mute(request: Request, name: str) -> Response:
    form = await form_of(request)
    editor(current_user(request))
    RuleFile(context(request).cfg).set_enabled(name, form.get("muted") != "true")
    return RedirectResponse("/alerts", status_code=303)


def _notice_in_scope(request: Request, user: User, key: str) -> dict[str, Any]:
    found = [item for item in history(context(request), user, limit=500) if item["key"] == key]
    if not found:
        raise NotFound("no such alert in your scope")
    return found[0]


def email_page(request: Request, key: str, user: User = Depends(current_user)) -> HTMLResponse:
    """One notice's email exactly as it was queued and sent (subject, text part, inline chart);
    a notice of a rule without recipients sent no email and is shown as composed."""
    from alerts.notice import Notice
    from alerts.render import render_alert

    ctx = context(request)
    item = _notice_in_scope(request, user, key)
    sent = sent_email(ctx, key)
    if sent is not None:
        body = sent.get_body(("plain",))
        images = [part["Content-ID"].strip("<>") for part in sent.walk()
                  if part.get_content_maintype() == "image" and part["Content-ID"]]
        return render(request, "email.html", item=item, subject=str(sent["Subject"]), sent=True,
                      body=body.get_content() if body else "", images=images)
    notice = Notice.from_json(item["payload"])
    subject, text, _html = render_alert([notice], [None], notice.language, ctx.cfg.province.timezone, ctx.cfg.province.name)
    return render(request, "email.html", item=item, subject=subject, body=text, sent=False, images=[])


def email_image(request: Request, key: str, cid: str, user: User = Depends(current_user)) -> Response:
    """An inline image (the 7-day chart) of a sent alert email."""
    _notice_in_scope(request, user, key)
    sent = sent_email(context(request), key)
    for part in sent.walk() if sent is not None else []:
        if part.get_content_maintype() == "image" and (part["Content-ID"] or "").strip("<>") == cid:
            return Response(part.get_content(), media_type=part.get_content_type())
    raise NotFound("no such image in this email")
