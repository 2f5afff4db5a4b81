"""``pantau alerts ...`` through the real CLI, a real store and a real SMTP server."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.embedded.store import EmbeddedStore
from indexer.factory import STORE_DIR
from pantau.cli import cli, main
from tests.alerts.conftest import NOW, make_post, weekly_traffic

RULES = '''
[[rule]]
name = "dpu-volume"
detector = "volume_spike"
agency = "dpu-bina-marga"
recipients = ["kadis@jatengprov.go.id"]
digest = false
'''


@pytest.fixture
def setup(tmp_path: Path, smtp_server) -> Path:
    (tmp_path / "rules.toml").write_text(RULES, encoding="utf-8")
    config = tmp_path / "pantau.toml"
    config.write_text(f'''
[paths]
data_dir = "data"
[smtp]
host = "127.0.0.1"
port = {smtp_server.port}
security = "plain"
sender = "Pantau <pantau@jatengprov.go.id>"
[alerts]
rules = "rules.toml"
dashboard_url = "https://pantau.example.go.id"
''', encoding="utf-8")
    posts = weekly_traffic(NOW)
    posts += [make_post(NOW - timedelta(minutes=m), "jalan ambles di ruas utama") for m in range(1, 120, 2)]
    with EmbeddedStore(tmp_path / "data" / STORE_DIR) as store:
        store.put_many(posts)
    return config


def run(config: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--config", str(config), "alerts", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_rules_lists_the_effective_rules(setup: Path) -> None:
    out = run(setup, "rules")
    assert "dpu-volume: volume_spike on [agency:dpu-bina-marga]" in out
    assert "to kadis@jatengprov.go.id; cooldown 2h..1d" in out and "min_ratio=2.0" in out
    line = json.loads(run(setup, "rules", "--json"))
    assert line["name"] == "dpu-volume" and line["options"]["window"] == "3h"


def test_check_then_history(setup: Path, smtp_server) -> None:
    out = run(setup, "check", "--at", NOW.isoformat())
    assert "alert    dpu-volume 66 vs 6 (11.0x)" in out
    assert "emails queued 1" in out and "sent 1" in out
    assert len(smtp_server.messages) == 1
    assert "notices 0" in run(setup, "check", "--at", NOW.isoformat())
    history = run(setup, "history", "--since", "3650d")
    assert "alert    dpu-volume" in history and "kadis@jatengprov.go.id: sent" in history
    assert "emails: sent 1" in history


def test_backtest_lists_what_would_have_fired(setup: Path, smtp_server) -> None:
    out = run(setup, "backtest", "--since", "2d", "--until", NOW.isoformat(), "--step", "1h")
    lines = [l for l in out.splitlines() if "dpu-volume" in l and "vs" in l]
    assert len(lines) == 1 and "alert" in lines[0] and lines[0].startswith("02/03/2026 11:00 WIB")  # an hour into the spike
    assert smtp_server.messages == []  # nothing is sent


def test_digest_command_sends_once_a_day(setup: Path, smtp_server) -> None:
    rules = setup.parent / "rules.toml"
    rules.write_text(RULES.replace("digest = false", "digest = true"), encoding="utf-8")
    assert "digests queued 1  sent 1" in run(setup, "digest", "--at", NOW.isoformat())
    assert "digests queued 0  sent 0" in run(setup, "digest", "--at", NOW.isoformat())
    assert "digests queued 0" in run(setup, "digest", "--at", NOW.replace(hour=23).isoformat())  # 06:00 WIB next day
    (received,) = smtp_server.messages
    assert "Ringkasan harian" in str(received.message["Subject"])
    assert run(setup, "history", "--since", "3650d").startswith("0 notices; emails: sent 1")  # digests are not alerts


def test_send_test(setup: Path, smtp_server) -> None:
    out = run(setup, "send-test", "ops@jatengprov.go.id")
    assert "sent a test email to ops@jatengprov.go.id" in out
    (received,) = smtp_server.messages
    assert str(received.message["Subject"]) == "Pantau: email uji" and received.rcpt_tos == ["ops@jatengprov.go.id"]


def test_send_test_with_the_server_down_is_one_line_error(setup: Path, smtp_server, capsys) -> None:
    smtp_server.stop()
    with pytest.raises(SystemExit) as stopped:
        main(["--config", str(setup), "alerts", "send-test", "ops@jatengprov.go.id"])
    assert stopped.value.code == 2
    assert "cannot connect to SMTP 127.0.0.1" in capsys.readouterr().err


def test_a_bad_rule_file_names_file_rule_and_key(setup: Path, capsys) -> None:
    (setup.parent / "rules.toml").write_text(RULES.replace('digest = false', 'min_ratoi = 3'), encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--config", str(setup), "alerts", "rules"])
    err = capsys.readouterr().err
    assert "rules.toml: rule 'dpu-volume': min_ratoi: unknown key for detector volume_spike" in err
