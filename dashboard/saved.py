"""Saved searches: a name and the search's URL parameters, per user."""

from __future__ import annotations

import time
from dataclasses import dataclass

from dashboard.db import Database
from dashboard.errors import DashboardError, NotFound
from dashboard.params import SearchParams

MAX_NAME = 80
MAX_PER_USER = 200


@dataclass(frozen=True)
class SavedSearch:
    id: int
    name: str
    query: str  # the whole search as one query-language string
    url: str  # the search page with its parameters
    created_at: float


class SavedSearches:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, username: str, name: str, params: SearchParams) -> SavedSearch:
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME:
            raise DashboardError(f"name: give the search a name of 1-{MAX_NAME} characters", field="name")
        url = params.url()
        now = time.time()
        with self.db.connect() as db:
            (count,) = db.execute("SELECT COUNT(*) FROM saved_searches WHERE username = ?", (username,)).fetchone()
            if count >= MAX_PER_USER:
                raise DashboardError(f"at most {MAX_PER_USER} saved searches; delete some first", field="name")
            cursor = db.execute(
                "INSERT INTO saved_searches (username, name, query, params, created_at) VALUES (?, ?, ?, ?, ?)",
                (username, name, params.text(), url, now),
            )
        return SavedSearch(int(cursor.lastrowid or 0), name, params.text(), url, now)

    def list(self, username: str) -> list[SavedSearch]:
        with self.db.connect() as db:
            rows = db.execute(
                "SELECT id, name, query, params, created_at FROM saved_searches WHERE username = ? ORDER BY name, id",
                (username,),
            ).fetchall()
        return [SavedSearch(r["id"], r["name"], r["query"], r["params"], r["created_at"]) for r in rows]

    def remove(self, username: str, search_id: int) -> None:
        with self.db.connect() as db:
            deleted = db.execute("DELETE FROM saved_searches WHERE id = ? AND username = ?", (search_id, username)).rowcount
        if not deleted:
            raise NotFound(f"no saved search {search_id} of yours")
