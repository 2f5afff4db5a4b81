"""SMTP down at daemon level: ``pantau run`` is running, a complaint spike makes an alert fire
while the mail server (real aiosmtpd on loopback) is stopped; the email waits in the outbox and
goes out exactly once when the server is back, with no second copy after further checks or a
restart of the daemon."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from alerts.outbox import FILE_NAME, Outbox
from indexer.factory import open_store
from pantau.config import load_config
from pantau.health import read_health
from tests.alerts.conftest import make_post, weekly_traffic

ROOT = Path(__file__).resolve().parents[2]
QUIET_SOURCES = "".join(f"[sources.{s}]\nenabled = false\n" for s in ("news", "playstore", "youtube", "mastodon", "bluesky", "x"))
RULES = """
[[rule]]
name = "dpu-volume"
detector = "volume_spike"
agency = "dpu-bina-marga"
recipients = ["kadis@jatengprov.go.id"]
digest = false
"""


def outbox_counts(data_dir: Path) -> dict[str, int]:
    if not (data_dir / FILE_NAME).exists():
        return {}
    with Outbox(data_dir / FILE_NAME) as outbox:
        return outbox.counts()


def wait_until(condition, timeout: float, what: str, daemon: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert daemon.poll() is None, "the daemon died"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def start_daemon(config: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pantau.cli", "--config", str(config), "run", "--no-serve"], cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def checks_after(data_dir: Path, moment: datetime) -> bool:
    at = read_health(data_dir).get("alerts")
    return at is not None and datetime.fromisoformat(at) > moment


@pytest.fixture
def setup(tmp_path: Path, smtp_server) -> Path:
    (tmp_path / "rules.toml").write_text(RULES, encoding="utf-8")
    config = tmp_path / "pantau.toml"
    config.write_text(f"""[paths]
data_dir = "data"
[smtp]
host = "127.0.0.1"
port = {smtp_server.port}
security = "plain"
sender = "Pantau <pantau@jatengprov.go.id>"
timeout_s = 5.0
[alerts]
rules = "rules.toml"
check_every_minutes = 1
dashboard_url = "https://pantau.example.go.id"
{QUIET_SOURCES}""", encoding="utf-8")
    now = datetime.now(timezone.utc)
    posts = weekly_traffic(now) + [make_post(now - timedelta(minutes=m), "jalan ambles di ruas utama") for m in range(1, 120, 2)]
    with open_store(load_config(config, env={})) as store:
        store.put_many(posts)
    return config


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_alert_fired_while_smtp_is_down_is_sent_once_when_it_returns(setup, smtp_server):
    config = setup
    cfg = load_config(config, env={})
    smtp_server.stop()
    daemon = start_daemon(config)
    try:
        # The first check fires the alert; delivery fails and is scheduled again (1 minute later).
        wait_until(lambda: outbox_counts(cfg.data_dir).get("pending") == 1, 120, "the alert queued", daemon)
        with Outbox(cfg.data_dir / FILE_NAME) as outbox:
            attempts, error = outbox.db.execute("SELECT attempts, last_error FROM messages").fetchone()
        assert attempts >= 1 and error, "the failed delivery was not recorded"
        assert smtp_server.messages == []

        smtp_server.start()
        wait_until(lambda: outbox_counts(cfg.data_dir).get("sent") == 1, 240, "the email sent", daemon)
        assert len(smtp_server.messages) == 1
        message = smtp_server.messages[0]
        assert message.rcpt_tos == ["kadis@jatengprov.go.id"] and "dpu" in message.message["Subject"].lower()

        sent_at = datetime.now(timezone.utc)
        wait_until(lambda: checks_after(cfg.data_dir, sent_at), 120, "a further check", daemon)
        manual = subprocess.run([sys.executable, "-m", "pantau.cli", "--config", str(config), "alerts", "check"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert manual.returncode == 0, manual.stderr
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=60) == 0

        restarted = datetime.now(timezone.utc)
        daemon = start_daemon(config)  # its first check runs as soon as the spool is drained
        wait_until(lambda: checks_after(cfg.data_dir, restarted), 120, "the restarted daemon's check", daemon)
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=60) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    assert len(smtp_server.messages) == 1  # exactly once
    assert outbox_counts(cfg.data_dir) == {"sent": 1}
