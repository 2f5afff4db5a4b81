"""The dashboard: server-rendered pages and a JSON API for humas, analysts and agency heads.

- ``app.py``: ``create_app(cfg)``; ``routes.py``: every route in one table; ``views/``: one
  module per page (and its JSON twin); ``data/``: what each page shows, as plain dicts, read
  through indexer's Store protocol and alerts' public API only.
- ``auth.py``, ``sessions.py``, ``csrf.py``, ``users.py``: roles (admin, humas, analyst,
  agency scoped to agency slugs), argon2 passwords, signed server-side sessions, CSRF on every
  form, login rate limiting. Nothing but ``/health`` is readable without a session.
- ``errors.py`` + ``handlers.py``: one error type, rendered by one handler as a page or as JSON
  ``{"error": {"status", "message", "field", "position"}}``.
- ``templates/`` (``base.html`` and ``_partials/``), ``static/`` (``app.js``, ``app.css`` and the
  vendored Chart.js): no inline script, no CDN; Content-Security-Policy ``script-src 'self'``.

Run it with ``pantau serve``; manage users with ``pantau users add|list|remove``.
"""
