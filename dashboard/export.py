"""Export of a whole result set as CSV or XLSX (openpyxl), newest first.

Rows are read from the store page by page and written as they come (CSV is streamed).
Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) are
written as text: in XLSX as typed string cells, in CSV behind a leading apostrophe (OWASP's
advice on CSV injection), so a hostile post cannot become a formula on an analyst's machine.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from indexer.query import Query
from indexer.store import Sort, Store
from pantau.post import Post

PAGE = 500
COLUMNS = ("id", "published_at", "source", "site", "url", "title", "text", "sentiment", "sentiment_score", "kind",
           "topics", "agencies", "region_code", "region_name", "author_hash", "likes", "replies", "shares", "rating",
           "cluster_id")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows(store: Store, query: Query, tz: tzinfo, limit: int) -> Iterator[list[Any]]:
    """At most ``limit`` posts matching ``query`` as rows of :data:`COLUMNS`."""
    done, page = 0, 1
    while done < limit:
        found = store.search(query, Sort.NEWEST, page, PAGE)
        for hit in found.hits[: limit - done]:
            yield _row(hit.post, tz)
            done += 1
        if len(found.hits) < PAGE or page * PAGE >= found.total:
            return
        page += 1


def _row(post: Post, tz: tzinfo) -> list[Any]:
    return [
        post.id, post.published_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S %Z"), post.source, post.site, post.url,
        post.title, post.text, post.sentiment.label if post.sentiment else None,
        round(post.sentiment.score, 4) if post.sentiment else None, post.kind, ";".join(post.topics),
        ";".join(post.agencies), post.region.code if post.region else None, post.region.name if post.region else None,
        post.author_hash, post.likes, post.replies, post.shares, post.rating, post.cluster_id,
    ]


def _defused(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def csv_chunks(records: Iterator[list[Any]]) -> Iterator[str]:
    """The CSV text in chunks (UTF-8 BOM first, so spreadsheet programs read the encoding)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for n, record in enumerate(records, start=1):
        writer.writerow([_defused(v) for v in record])
        if n % PAGE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(records: Iterator[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet("posts")
    sheet.append(list(COLUMNS))
    for record in records:
        cells = []
        for value in record:
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)  # control characters XLSX cannot hold
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    info = book.create_sheet("query")
    info.append(["query"])
    query_cell = WriteOnlyCell(info, value=title)
    query_cell.data_type = "s"
    info.append([query_cell])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
