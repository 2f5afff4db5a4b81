"""Suite-wide fixtures. Tests never reach the internet: pytest-socket (configured in
pyproject.toml) blocks every socket except loopback, so a stray connection fails loudly."""

pytest_plugins = ["tests.harness.http_server", "tests.harness.smtp", "tests.harness.osmem"]
