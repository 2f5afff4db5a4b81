"""``pantau serve``: the dashboard and JSON API on [dashboard] host and port."""

from __future__ import annotations

import logging

import click

from pantau.shell import AppContext, pass_app

log = logging.getLogger("pantau.dashboard")


@click.command(name="serve")
@click.option("--host", default=None, help="Override [dashboard] host.")
@click.option("--port", type=int, default=None, help="Override [dashboard] port.")
@pass_app
def command(app: AppContext, host: str | None, port: int | None) -> None:
    """Serve the dashboard (pages, JSON API at /api, OpenAPI at /api/openapi.json)."""
    import uvicorn

    from dashboard.app import create_app

    cfg = app.config
    host = host or cfg.dashboard.host
    port = port or cfg.dashboard.port
    if cfg.dashboard.secure_cookies and host not in ("127.0.0.1", "localhost", "::1"):
        log.info("session cookies are Secure: serve behind HTTPS (a reverse proxy) on %s", host)
    log.info("dashboard on http://%s:%d (data in %s)", host, port, cfg.data_dir)
    uvicorn.run(create_app(cfg), host=host, port=port, log_level="warning" if app.quiet else "info",
                proxy_headers=True, server_header=False)
