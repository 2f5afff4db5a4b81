"""Rows of CSV, JSONL and Excel files as dicts, and typed values from their cells.

CSV: UTF-8 (with or without BOM), else Windows-1252; the delimiter (``,`` ``;`` tab ``|``) is
sniffed. JSONL: one object per line; a bad line is reported, not fatal. Excel: the first sheet
(or a named one), header in the first row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "excel", ".xlsm": "excel"}
_TIME_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M",
                 "%d-%m-%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S")


class RowError(ValueError):
    """One row or line that cannot be read; the file goes on."""


def file_format(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def rows(path: Path, sheet: str = "") -> Iterator[dict[str, Any] | RowError]:
    kind = file_format(path)
    if kind == "csv":
        yield from _csv_rows(path)
    elif kind == "jsonl":
        yield from _jsonl_rows(path)
    elif kind == "excel":
        yield from _excel_rows(path, sheet)
    else:
        raise ValueError(f"{path.name}: unknown file type; use one of {', '.join(sorted(FORMATS))}")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _csv_rows(path: Path) -> Iterator[dict[str, Any]]:
    text = _decode(path.read_bytes())
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    yield from csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)


def _jsonl_rows(path: Path) -> Iterator[dict[str, Any] | RowError]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(_decode(line))
            except ValueError as exc:
                yield RowError(f"line {number}: not JSON: {exc}")
                continue
            yield value if isinstance(value, dict) else RowError(f"line {number}: not a JSON object")


def _excel_rows(path: Path, sheet: str) -> Iterator[dict[str, Any]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = book[sheet] if sheet else book.worksheets[0]
        values = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(values, ())]
        for row in values:
            if any(cell not in (None, "") for cell in row):
                yield dict(zip(header, row))
    finally:
        book.close()


def to_time(value: Any, tz: ZoneInfo) -> datetime:
    """A cell as an aware datetime; naive values are read in the province's time zone."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, ZoneInfo("UTC"))
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            for fmt in _TIME_FORMATS:
                try:
                    parsed = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
            else:
                raise RowError(f"not a time: {value!r}") from None
    else:
        raise RowError(f"not a time: {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def to_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(float(str(value).replace(",", "")))
    except ValueError:
        raise RowError(f"not a number: {value!r}") from None


def to_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)
