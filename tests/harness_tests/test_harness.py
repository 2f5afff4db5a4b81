"""The test harness itself: no internet, the local file server's behaviours, the SMTP server."""

import smtplib
import socket
import urllib.error
import urllib.request
from email.message import EmailMessage

import pytest
from pytest_socket import SocketConnectBlockedError


def test_reaching_the_internet_fails_loudly():
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("203.0.113.10", 80), timeout=1)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def site(tmp_path, serve_folder):
    (tmp_path / "page.html").write_text("<p>Jalan rusak — café</p>", encoding="utf-8")
    return serve_folder(tmp_path)


def test_serves_files_and_records_requests(site):
    status, headers, body = fetch(site.url("page.html"))
    assert status == 200 and "text/html" in headers["Content-Type"]
    assert body.decode() == "<p>Jalan rusak — café</p>"
    assert site.requests == ["/page.html"]


def test_missing_file_is_404(site):
    assert fetch(site.url("nope.html"))[0] == 404


def test_status_and_retry_after(site):
    status, headers, _ = fetch(site.url("page.html?status=429&retry_after=7"))
    assert status == 429 and headers["Retry-After"] == "7"


def test_charset_reencodes(site):
    _, headers, body = fetch(site.url("page.html?charset=windows-1252"))
    assert headers["Content-Type"].endswith("charset=windows-1252")
    assert body.decode("windows-1252") == "<p>Jalan rusak — café</p>"


def test_truncate_sends_less_than_announced(site):
    with pytest.raises(Exception):  # the client sees an incomplete read
        with urllib.request.urlopen(site.url("page.html?truncate=5"), timeout=10) as response:
            response.read()


def test_smtp_server_receives_messages_and_survives_restart(smtp_server):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.id", "b@example.id", "Uji"
    message.set_content("Halo")
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as client:
        client.send_message(message)
    smtp_server.stop()
    with pytest.raises(OSError):
        smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=2)
    smtp_server.start()
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as client:
        client.send_message(message)
    assert [m.message["Subject"] for m in smtp_server.messages] == ["Uji", "Uji"]
    assert smtp_server.messages[0].rcpt_tos == ["b@example.id"]
