from datetime import datetime, timedelta, timezone

from crawlers.history import latest_runs, record_crawl
from crawlers.report import CrawlReport, SourceReport

T0 = datetime(2026, 11, 25, 1, 0, tzinfo=timezone.utc)


def test_latest_run_per_source(tmp_path):
    record_crawl(tmp_path, CrawlReport([SourceReport("news", requests=3, kept=1, finish_reason="finished")]), T0)
    record_crawl(tmp_path, CrawlReport([SourceReport("news", requests=5, kept=4, errors={"timeout": 1}, pages_ok=4,
                                                     finish_reason="finished")]), T0 + timedelta(hours=1))
    record_crawl(tmp_path, CrawlReport([SourceReport("mastodon", finish_reason="shutdown")]), T0)
    runs = latest_runs(tmp_path)
    assert runs["news"].finished_at == T0 + timedelta(hours=1)
    assert runs["news"].report.kept == 4 and runs["news"].report.errors == {"timeout": 1}
    assert runs["mastodon"].report.failed


def test_dry_runs_are_not_kept_and_nothing_reads_as_empty(tmp_path):
    assert latest_runs(tmp_path) == {}
    record_crawl(tmp_path, CrawlReport([SourceReport("news", finish_reason="finished")], dry_run=True))
    assert latest_runs(tmp_path) == {}


def test_crawl_state_shared_by_threads_takes_turns(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from crawlers.state import CrawlState

    state = CrawlState(tmp_path / "state.sqlite3")
    chunks = [[f"p{i}-{j}" for j in range(50)] for i in range(12)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda ids: state.mark_seen("youtube", ids), chunks))
        list(pool.map(lambda i: state.set_marks("youtube", {f"k{i}": str(i)}), range(12)))
    assert state.seen_count("youtube") == 600 and state.mark("youtube", "k7") == "7"
    state.close()
