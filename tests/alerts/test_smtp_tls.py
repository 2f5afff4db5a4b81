"""STARTTLS and implicit TLS against a real aiosmtpd server with a certificate made for the test;
the client verifies it through ``smtp.ca_file`` and refuses it without."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from alerts.errors import DeliveryError
from alerts.notifiers.email import EmailNotifier
from pantau.config import SmtpSettings
from tests.harness.smtp import free_port


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (it is its own CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pantau-test-smtp")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "server.pem", folder / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@pytest.fixture
def tls(tmp_path: Path):
    cert_file, key_file = certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return cert_file, context


class Inbox:
    def __init__(self) -> None:
        self.subjects: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.subjects.append(str(message["Subject"]))
        return "250 OK"


def serve(**kwargs) -> tuple[Controller, list[str]]:
    inbox = Inbox()
    received = inbox.subjects
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller, received


def send(settings: SmtpSettings) -> None:
    notifier = EmailNotifier(settings)
    message = notifier.compose("kadis@jatengprov.go.id", "uji TLS", "isi\n", None, {}, "k",
                               dt.datetime.now(dt.timezone.utc))
    with notifier.connection() as client:
        notifier.send(client, "kadis@jatengprov.go.id", notifier.serialize(message))


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_the_configured_ca(tls, security: str) -> None:
    cert_file, context = tls
    kwargs = {"tls_context": context, "require_starttls": True} if security == "starttls" else {"ssl_context": context}
    controller, received = serve(**kwargs)
    try:
        settings = SmtpSettings(host="127.0.0.1", port=controller.port, security=security, ca_file=str(cert_file), timeout_s=5.0)
        send(settings)
        assert received == ["uji TLS"]
        with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
            send(dataclasses.replace(settings, ca_file=""))
        assert len(received) == 1
    finally:
        controller.stop()


def test_starttls_against_a_server_without_it_is_refused(tls) -> None:
    cert_file, _context = tls
    controller, received = serve()
    try:
        with pytest.raises(DeliveryError, match="STARTTLS"):
            send(SmtpSettings(host="127.0.0.1", port=controller.port, security="starttls", ca_file=str(cert_file), timeout_s=5.0))
        assert received == []
    finally:
        controller.stop()
