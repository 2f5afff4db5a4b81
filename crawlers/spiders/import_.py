"""Import: posts from CSV, JSONL or Excel exports (LaporGub tickets, other tools' exports).

Run by ``pantau import FILE --source NAME``; the file's rows go through the same pipelines
as crawled posts (validate, dedup, relevance, spool). Columns are mapped to Post fields by
``[sources.import] columns``; ``author`` is hashed like any account id. A row that cannot be
read is logged and counted (``pantau/errors/row``); a file lacking a mapped required column
fails as a whole, naming the column.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from crawlers.spiders.bases import PantauSpider
from crawlers.tabular import RowError, rows, to_int, to_text, to_time
from pantau.post import Post

REQUIRED = ("native_id", "text", "published_at")
TEXT_FIELDS = ("title", "url", "author_name", "lang", "thread_id", "parent_id")
COUNT_FIELDS = ("likes", "replies", "shares")


class ImportSpider(PantauSpider):
    name = "import"

    def __init__(self, file: str = "", site: str = "import", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file = Path(file)
        self.site = site

    async def start(self) -> AsyncIterator[Post]:
        section = self.settings_section
        columns = dict(section.columns)
        try:
            records = rows(self.file, section.sheet)
            first = True
            for number, row in enumerate(records, start=2):
                if isinstance(row, RowError):
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
                try:
                    yield self.record(row, columns)
                except RowError as exc:
                    self.fail("row", "import: %s row %d: %s", self.file.name, number, exc)
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
