"""Every route of the dashboard in one table: (method, path, handler).

Paths under ``/api`` are the JSON API and appear in the OpenAPI document; the others are pages
and form posts (each form carries the session's CSRF token).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dashboard.views import account, agency, alerts, api, ingest, overview, post, search, sources

ROUTES: list[tuple[str, str, Callable[..., Any]]] = [
    ("GET", "/health", account.health),
    ("GET", "/login", account.login_form),
    ("POST", "/login", account.login),
    ("POST", "/logout", account.logout),
    ("GET", "/lang/{code}", account.switch_language),
    # pages
    ("GET", "/", overview.overview_page),
    ("GET", "/search", search.search_page),
    ("POST", "/searches", search.saved_create),
    ("POST", "/searches/{search_id}/delete", search.saved_delete),
    ("GET", "/posts/{post_id}", post.post_page),
    ("GET", "/agencies", agency.agencies_page),
    ("GET", "/agencies/{slug}", agency.agency_page),
    ("GET", "/alerts", alerts.alerts_page),
    ("GET", "/alerts/rules/new", alerts.rule_form),
    ("POST", "/alerts/rules", alerts.rule_save),
    ("GET", "/alerts/rules/{name}/edit", alerts.rule_edit_form),
    ("POST", "/alerts/rules/{name}/mute", alerts.rule_mute),
    ("GET", "/alerts/email-image", alerts.email_image),
    ("GET", "/alerts/emails/{key:path}", alerts.email_page),
    ("GET", "/sources", sources.sources_page),
    # JSON API
    ("GET", "/api/openapi.json", api.openapi),
    ("GET", "/api/me", api.me),
    ("GET", "/api/overview", overview.overview_api),
    ("GET", "/api/search", search.search_api),
    ("GET", "/api/export.csv", search.export_csv),
    ("GET", "/api/export.xlsx", search.export_xlsx),
    ("GET", "/api/searches", search.saved_list_api),
    ("POST", "/api/searches", search.saved_create_api),
    ("DELETE", "/api/searches/{search_id}", search.saved_delete_api),
    ("GET", "/api/posts/{post_id}", post.post_api),
    ("POST", "/api/posts", ingest.push_posts),
    ("GET", "/api/agencies", agency.agencies_api),
    ("GET", "/api/agencies/{slug}", agency.agency_api),
    ("GET", "/api/alerts/rules", alerts.rules_api),
    ("POST", "/api/alerts/rules", alerts.rule_create_api),
    ("PUT", "/api/alerts/rules/{name}", alerts.rule_update_api),
    ("POST", "/api/alerts/rules/{name}/mute", alerts.rule_mute_api),
    ("GET", "/api/alerts/history", alerts.history_api),
    ("GET", "/api/sources", sources.sources_api),
]
