"""``create_app(cfg)``: the dashboard's FastAPI application.

Pages are server-rendered (Jinja2), the JSON API under ``/api`` is described by OpenAPI at
``/api/openapi.json`` (for signed-in users, like everything but ``/health``), and static files,
including the vendored chart library, are served from ``dashboard/static``: the dashboard works
on a network without internet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from dashboard.context import Dashboard
from dashboard.handlers import install_error_handlers
from dashboard.routes import ROUTES
from dashboard.security import SecurityHeaders
from indexer.store import Store
from pantau.config import Config

STATIC = Path(__file__).parent / "static"


def create_app(cfg: Config, store: Store | None = None) -> FastAPI:
    """The app for ``cfg``; ``store`` reuses an open store (default: ``open_store(cfg)`` on first use)."""
    dashboard = Dashboard(cfg, store_override=store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        dashboard.close()

    app = FastAPI(
        title="Pantau",
        summary="Social listening for local government: posts, sentiment, alerts.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by views/api.py, behind the login like everything else
    )
    app.state.dashboard = dashboard
    for method, path, endpoint in ROUTES:
        app.add_api_route(path, endpoint, methods=[method], include_in_schema=path.startswith("/api"),
                          response_model=None, openapi_extra=getattr(endpoint, "openapi_extra", None))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    return app
