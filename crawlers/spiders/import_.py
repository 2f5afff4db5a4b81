"""Import: posts from CSV, JSONL or Excel exports (LaporGub tickets, other tools' exports).

Run by ``pantau import FILE --source NAME``; the file's rows go through the same pipelines
as crawled posts (validate, dedup, relevance, spool). Columns are mapped to Post fields by
``[sources.import] columns``; ``author`` is hashed like any account id. A row that cannot be
read is logged and counted (``pantau/errors/row``); a file lacking a mapped required column
fails as a whole, naming the column.

Resumable: every ``CHECKPOINT_ROWS`` rows a :class:`~crawlers.backfill.Checkpoint` records how
many rows of this file (by path, size and modification time) are handled, saved once their
posts are spooled; a rerun skips those rows without building posts, and the few spooled after
the last point are dropped as seen. A changed file starts over (seen ids still skip its old rows).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from crawlers.backfill import IMPORT_PREFIX, Checkpoint
from crawlers.spiders.bases import PantauSpider
from crawlers.tabular import RowError, rows, to_int, to_text, to_time
from pantau.post import Post

REQUIRED = ("native_id", "text", "published_at")
TEXT_FIELDS = ("title", "url", "author_name", "lang", "thread_id", "parent_id")
COUNT_FIELDS = ("likes", "replies", "shares")
CHECKPOINT_ROWS = 200


def import_mark(path: Path) -> str:
    """The crawl-state key of a file's resume point: its path, size and modification time."""
    stat = path.stat()
    digest = hashlib.sha1(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return IMPORT_PREFIX + digest


class ImportSpider(PantauSpider):
    name = "import"

    def __init__(self, file: str = "", site: str = "import", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file = Path(file)
        self.site = site

    async def start(self) -> AsyncIterator[Post | Checkpoint]:
        section = self.settings_section
        columns = dict(section.columns)
        try:
            mark = import_mark(self.file)
            dry_run = self.settings.getbool("PANTAU_DRY_RUN")  # a dry run checks the whole file
            done = 0 if dry_run else int(self.crawl_state.mark(self.name, mark) or 0)
            if done:
                self.logger.info("import: %s: going on after row %d", self.file.name, done)
                self.count("import/resumed_after", done)
            records = rows(self.file, section.sheet)
            first, count = True, 0
            for count, row in enumerate(records, start=1):
                if count > done + 1 and (count - 1) % CHECKPOINT_ROWS == 0:
                    yield Checkpoint(self.name, mark, str(count - 1))  # the rows before this one are handled
                if isinstance(row, RowError):
                    if count > done:
                        self.fail("row", "import: %s: %s", self.file.name, row)
                    continue
                if first:
                    missing = [f"{field} (column {columns.get(field)!r})" for field in REQUIRED if columns.get(field) not in row]
                    if missing:
                        self.fail("bad_columns", "import: %s lacks %s; its columns are %s; fix [sources.import] columns",
                                  self.file.name, ", ".join(missing), ", ".join(map(str, row)))
                        return
                    self.page_ok()
                    first = False
                if count <= done:
                    continue
                try:
                    yield self.record(row, columns)
                except RowError as exc:
                    self.fail("row", "import: %s row %d: %s", self.file.name, count + 1, exc)
            if count > done:
                yield Checkpoint(self.name, mark, str(count))
        except (OSError, ValueError, KeyError) as exc:
            self.fail("bad_file", "import: cannot read %s: %s", self.file, exc)

    def record(self, row: dict[str, Any], columns: dict[str, str]) -> Post:
        def cell(field: str) -> Any:
            return row.get(columns[field]) if field in columns else None

        native_id = to_text(cell("native_id"))
        if not native_id:
            raise RowError("empty id")
        fields: dict[str, Any] = {name: to_text(cell(name)) for name in TEXT_FIELDS if name in columns}
        fields.update({name: to_int(cell(name)) for name in COUNT_FIELDS if name in columns})
        if "rating" in columns and cell("rating") not in (None, ""):
            fields["rating"] = float(to_int(cell("rating")) or 0)
        return self.make_post(
            native_id=f"{self.site}:{native_id}", site=self.site, text=to_text(cell("text")) or "",
            published_at=to_time(cell("published_at"), self.cfg.tz), author_id=to_text(cell("author")), **fields,
        )
