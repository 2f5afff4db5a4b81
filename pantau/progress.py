"""Progress bars for long work (rich), silent when the user asked for quiet or output is not a TTY."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


@contextmanager
def progress_bar(description: str, total: int | None, quiet: bool = False) -> Iterator[Progress]:
    """Yield a rich Progress with one task (id 0); call ``bar.advance(0, n)`` as work is done."""
    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(), disable=quiet, transient=False,
    )
    with progress:
        progress.add_task(description, total=total)
        yield progress
