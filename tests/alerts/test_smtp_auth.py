"""SMTP authentication from config, the password from PANTAU_SMTP_PASSWORD, against a real
aiosmtpd server on loopback that checks credentials."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timezone
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from alerts.errors import DeliveryError
from alerts.notifiers.email import EmailNotifier
from pantau.config import load_config
from tests.harness.smtp import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            self.logins.append((auth_data.login, auth_data.password))
            ok = auth_data.login == b"pantau" and auth_data.password == b"rahasia-env"
            return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself
        return AuthResult(success=False, handled=False)


@pytest.fixture
def auth_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=inbox.authenticate,
                            auth_require_tls=False)
    controller.start()
    yield inbox, controller.port
    controller.stop()


def config(tmp_path: Path, port: int, password_in_file: str):
    path = tmp_path / "pantau.toml"
    path.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "plain"\nusername = "pantau"\ntimeout_s = 5.0\n'
                    f'password = "{password_in_file}"\n', encoding="utf-8")
    return path


def test_login_uses_the_password_from_the_environment(tmp_path: Path, auth_server) -> None:
    inbox, port = auth_server
    cfg = load_config(config(tmp_path, port, "stale-file-password"), env={"PANTAU_SMTP_PASSWORD": "rahasia-env"})
    notifier = EmailNotifier(cfg.smtp)
    now = datetime.now(timezone.utc)
    message = notifier.compose("kadis@jatengprov.go.id", "uji", "isi\n", "<p>isi</p>", {}, "k", now)
    with notifier.connection() as client:
        notifier.send(client, "kadis@jatengprov.go.id", notifier.serialize(message))
    assert inbox.logins == [(b"pantau", b"rahasia-env")]
    assert [str(m["Subject"]) for m in inbox.messages] == ["uji"]


def test_a_wrong_password_is_a_delivery_error_without_the_secret(tmp_path: Path, auth_server) -> None:
    inbox, port = auth_server
    cfg = load_config(config(tmp_path, port, "salah"), env={})
    with pytest.raises(DeliveryError) as caught:
        with EmailNotifier(cfg.smtp).connection():
            pass
    assert "535" in str(caught.value) and "salah" not in str(caught.value)
    assert inbox.messages == []
