"""Keyed author hashes: the same account always maps to the same hash, which cannot be
reversed or recomputed without the installation's key.

The key comes from ``privacy.author_key`` (or ``PANTAU_AUTHOR_KEY``); when neither is set, a
random key is created once in the data directory (mode 0600) and reused from then on.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from pantau.config import Config

KEY_FILE = "author.key"


def author_key(cfg: Config) -> bytes:
    configured = cfg.privacy.author_key.reveal()
    if configured:
        return configured.encode()
    path = cfg.data_dir / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return Path(path).read_text().strip().encode()


def author_hash(key: bytes, source: str, account_id: str) -> str:
    """HMAC-SHA256 of the source and account id, 32 hex characters."""
    return hmac.new(key, f"{source}\x1f{account_id}".encode(), hashlib.sha256).hexdigest()[:32]
