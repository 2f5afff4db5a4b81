"""One ``pantau run`` per data directory: an advisory lock file that dies with its process."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from pantau.errors import PantauError

LOCK_NAME = "pantau.lock"


class AlreadyRunning(PantauError):
    pass


class DataDirLock:
    """Hold ``<data_dir>/pantau.lock`` exclusively; the kernel releases it if the process dies."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LOCK_NAME
        self._handle: IO[str] | None = None

    def acquire(self) -> DataDirLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="ascii")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise AlreadyRunning(
                f"pantau is already running on {self.path.parent} (pid {holder}); stop it first, "
                "or give this instance its own data directory (paths.data_dir)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> DataDirLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
