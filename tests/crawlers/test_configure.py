"""Config to Scrapy settings: politeness comes from pantau.toml."""

from crawlers.configure import source_settings
from tests.crawlers.helpers import make_config


def test_user_agent_carries_the_contact(tmp_path):
    cfg = make_config(tmp_path, '[crawl]\ncontact = "humas@jatengprov.go.id"\n')
    assert source_settings(cfg, "news")["USER_AGENT"].endswith("contact: humas@jatengprov.go.id")


def test_robots_txt_only_for_html_sources(tmp_path):
    cfg = make_config(tmp_path)
    assert source_settings(cfg, "news")["ROBOTSTXT_OBEY"] is True
    assert source_settings(cfg, "youtube")["ROBOTSTXT_OBEY"] is False


def test_per_source_concurrency(tmp_path):
    cfg = make_config(tmp_path, "[crawl]\nconcurrency_per_domain = 3\nsource_concurrency = { playstore = 1 }\n")
    assert source_settings(cfg, "playstore")["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    assert source_settings(cfg, "mastodon")["CONCURRENT_REQUESTS_PER_DOMAIN"] == 3


def test_jobdir_is_per_source_under_the_data_dir(tmp_path):
    cfg = make_config(tmp_path, '[crawl]\njobdir = "jobs"\n')
    assert source_settings(cfg, "news")["JOBDIR"] == str(tmp_path / "data" / "jobs" / "news")
    assert "JOBDIR" not in source_settings(make_config(tmp_path), "news")


def test_no_jobdir_for_a_source_whose_login_body_holds_a_password(tmp_path):
    cfg = make_config(tmp_path, '[crawl]\njobdir = "jobs"\n')
    assert "JOBDIR" not in source_settings(cfg, "bluesky")
