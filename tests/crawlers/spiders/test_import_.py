"""Import: CSV, JSONL and Excel rows through the column mapping; bad rows counted, not fatal."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import Workbook

from crawlers.backfill import Checkpoint
from crawlers.spiders.import_ import CHECKPOINT_ROWS, ImportSpider, import_mark
from tests.crawlers.helpers import FILES, make_config, make_spider, stat

WIB = timezone(timedelta(hours=7))
TOML = """[sources.import]
columns = { native_id = "No Tiket", text = "Isi Laporan", published_at = "Tanggal Lapor", author = "Pelapor", title = "Kategori" }
"""


def run(tmp_path, path, toml=TOML):
    spider = make_spider(ImportSpider, make_config(tmp_path, toml), file=str(path), site="laporgub")

    async def drain():
        return [p async for p in spider.start()]

    out = asyncio.run(drain())
    return spider, [p for p in out if not isinstance(p, Checkpoint)]


@pytest.fixture
def csv_posts(tmp_path):
    return run(tmp_path, FILES / "import/laporgub.csv")


def test_csv_semicolon_rows_become_posts(csv_posts):
    spider, posts = csv_posts
    assert [p.native_id for p in posts] == ["laporgub:LG-2026-110001", "laporgub:LG-2026-110002", "laporgub:LG-2026-110003"]


def test_unreadable_date_row_is_counted(csv_posts):
    spider, _ = csv_posts
    assert stat(spider, "errors/row") == 1


def test_text_keeps_quoted_semicolons(csv_posts):
    assert csv_posts[1][1].text == "Pengajuan KIP Kuliah anak saya belum diverifikasi sekolah; sudah 2 minggu."


def test_naive_time_is_read_in_the_province_time_zone(csv_posts):
    assert csv_posts[1][0].published_at == datetime(2026, 11, 20, 8, 15, tzinfo=WIB)


def test_site_and_source(csv_posts):
    post = csv_posts[1][0]
    assert (post.source, post.site) == ("import", "laporgub")


def test_author_column_is_hashed(csv_posts):
    post = csv_posts[1][0]
    assert post.author_hash and "3307" not in post.author_hash and post.author_name is None


def test_mapped_title(csv_posts):
    assert csv_posts[1][0].title == "Infrastruktur"


def test_jsonl_reads_objects_and_counts_bad_lines(tmp_path):
    spider, posts = run(tmp_path, FILES / "import/laporgub.jsonl")
    assert [p.native_id for p in posts] == ["laporgub:LG-2026-110101", "laporgub:LG-2026-110102"]
    assert posts[0].published_at == datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc)
    assert stat(spider, "errors/row") == 2


def test_excel_first_sheet(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["No Tiket", "Tanggal Lapor", "Isi Laporan", "Pelapor"])
    sheet.append([110201, datetime(2026, 11, 20, 14, 0), "Sampah menumpuk di Pasar Johar.", "NIK-1"])
    sheet.append([None, None, None, None])
    book.save(tmp_path / "laporgub.xlsx")
    _, posts = run(tmp_path, tmp_path / "laporgub.xlsx")
    assert [(p.native_id, p.published_at, p.text) for p in posts] == [
        ("laporgub:110201", datetime(2026, 11, 20, 14, 0, tzinfo=WIB), "Sampah menumpuk di Pasar Johar.")]


def test_missing_mapped_column_fails_the_file_naming_it(tmp_path, caplog):
    spider, posts = run(tmp_path, FILES / "import/laporgub.csv", '[sources.import]\ncolumns = { native_id = "id", text = "Isi Laporan", published_at = "Tanggal Lapor" }\n')
    assert posts == [] and stat(spider, "errors/bad_columns") == 1
    assert "native_id (column 'id')" in caplog.text and "No Tiket" in caplog.text


def test_unknown_file_type_is_a_counted_error(tmp_path):
    spider, posts = run(tmp_path, FILES / "import/notes.txt")
    assert posts == [] and stat(spider, "errors/bad_file") == 1


def _rows_csv(path, n):
    lines = ["No Tiket;Tanggal Lapor;Isi Laporan"] + [f"T{i};20/11/2026 08:15;Jalan rusak nomor {i}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


MAPPING = '[sources.import]\ncolumns = { native_id = "No Tiket", text = "Isi Laporan", published_at = "Tanggal Lapor" }\n'


def test_a_checkpoint_every_block_of_rows_and_at_the_end(tmp_path):
    path = _rows_csv(tmp_path / "t.csv", CHECKPOINT_ROWS * 2 + 7)
    spider = make_spider(ImportSpider, make_config(tmp_path, MAPPING), file=str(path), site="laporgub")

    async def drain():
        return [p async for p in spider.start()]

    out = asyncio.run(drain())
    points = [(i, p.value) for i, p in enumerate(out) if isinstance(p, Checkpoint)]
    assert [v for _, v in points] == [str(CHECKPOINT_ROWS), str(CHECKPOINT_ROWS * 2), str(CHECKPOINT_ROWS * 2 + 7)]
    assert points[0][0] == CHECKPOINT_ROWS  # after exactly the rows it counts
    assert {p.mark for p in out if isinstance(p, Checkpoint)} == {import_mark(path)}


def test_a_rerun_skips_the_rows_before_the_saved_point(tmp_path):
    path = _rows_csv(tmp_path / "t.csv", 450)
    spider = make_spider(ImportSpider, make_config(tmp_path, MAPPING), file=str(path), site="laporgub")
    spider.crawl_state.set_marks("import", {import_mark(path): "400"})

    async def drain():
        return [p async for p in spider.start()]

    posts = [p for p in asyncio.run(drain()) if not isinstance(p, Checkpoint)]
    assert [p.native_id for p in posts] == [f"laporgub:T{i}" for i in range(400, 450)]
    assert stat(spider, "import/resumed_after") == 400


def test_a_changed_file_starts_over(tmp_path):
    path = _rows_csv(tmp_path / "t.csv", 10)
    before = import_mark(path)
    _rows_csv(path, 11)
    assert import_mark(path) != before
