"""A progress bar on stderr while a long run parses claim files.

A cold run over ten thousand claim files takes seconds; on a terminal a bar shows it is
working. In a pipe or a CI log there is no bar at all (``progress_bar`` gives ``None``), and
the run asks for one only when parsing will take more than about a second
(``engine.incremental.FILES_PER_SECOND``), so short runs never flash one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TextIO

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from factcheck.reporters import make_console


class ProgressBar:
    """What ``engine.incremental.Progress`` asks for, drawn with rich.progress."""

    def __init__(self, stream: TextIO, color: str) -> None:
        self._progress = Progress(
            TextColumn("parsing claim files"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=make_console(stream, color),
            transient=True,
        )
        self._task: int | None = None

    def start(self, total: int) -> None:
        self._task = self._progress.add_task("parse", total=total)
        self._progress.start()

    def advance(self, count: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, count)

    def stop(self) -> None:
        if self._task is not None:
            self._progress.stop()


@contextlib.contextmanager
def progress_bar(stream: TextIO, color: str = "auto") -> Iterator[ProgressBar | None]:
    """A bar for the block's run when ``stream`` is a terminal, else ``None``."""
    if not stream.isatty():
        yield None
        return
    bar = ProgressBar(stream, color)
    try:
        yield bar
    finally:
        bar.stop()
