"""The output streams, made unable to carry a GitHub workflow command from a file.

CI runs the tool on pull requests from anyone, and the GitHub runner reads every line a
step writes, on stdout and on stderr, for commands: ``::name ...::`` at the start of a line
(after any white space, which the runner trims) and the legacy ``##[name ...]`` anywhere
in a line. File text is neutralised where it is put into output (``terminal_safe`` calls
``neutralise``), and every stream the command line writes is wrapped in a
``GuardedStream`` that neutralises whatever reaches it all the same, so a reporter that
forgets cannot let a command through. A zero-width space between the two characters keeps
the text as a reader sees it and breaks the command for the runner.

Under GitHub Actions the streams are also wrapped in the runner's own guard for untrusted
text, ``::stop-commands::TOKEN`` with a random token and ``::TOKEN::`` at the end, so even
text that slipped past both is not run. The ``github`` format, whose annotations are
meant to be run, turns both the guard and the line-start rule off for its stream, and the
formats read by programs (JSON, Markdown) carry no guard lines (``machine_readable``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import stat
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

from factcheck.text import shown_name

_BREAK = "\u200b"
_LINE_START = re.compile(r"^(\s*)::", re.MULTILINE)
_COMMAND_START = re.compile(r"\s*::")
"""``_LINE_START`` at the start of one line: tried line by line, it finds in a few steps
what a search of a JSON line, full of colons, takes thousands to rule out."""


def neutralise(text: str, *, anywhere: bool = True) -> str:
    """Text in which no workflow command can start: every ``##[`` and ``::`` is broken.

    For file text, which is never a command wherever it lands on a line (a table may wrap
    it to a line's start). ``anywhere=False`` leaves ``::`` alone: for the message of the
    tool's own annotation, which follows the command's own ``::`` and so cannot start
    one (it then reaches GitHub exactly). Lone surrogates, which a file name that is not
    UTF-8 leaves in a string, become ``\\xNN`` escapes, so the text is always UTF-8.
    """
    text = _break_legacy(text)
    if anywhere:
        text = text.replace("::", ":" + _BREAK + ":")
    return shown_name(text)


def _break_legacy(text: str) -> str:
    """``##[`` broken wherever it is: the legacy command form, which needs no line start."""
    return text.replace("##[", "#" + _BREAK + "#[")


def _neutralise_lines(text: str, annotations: bool) -> str:
    """The stream-level rule: ``##[`` anywhere; ``::`` at a line's start unless the stream
    carries the tool's own annotations."""
    text = _break_legacy(text)
    if not annotations and any(map(_COMMAND_START.match, text.split("\n"))):
        text = _LINE_START.sub(lambda match: match.group(1) + ":" + _BREAK + ":", text)
    return shown_name(text)


class GuardedStream(io.TextIOBase):
    """A text stream that passes whole lines on, neutralised (see the module's docstring).

    A partial line is held back until its end arrives (or the stream is finished), so a
    command split over two writes is seen whole.
    """

    def __init__(self, stream: TextIO, token: str | None) -> None:
        self.stream = stream
        self.token = token
        self.annotations = False
        self.started = False
        self._pending = ""

    def write(self, text: str) -> int:
        if not self.started:
            self.started = True
            if self.token:
                self._emit(f"::stop-commands::{self.token}\n")
        self._pending += text
        end = self._pending.rfind("\n")
        if end >= 0:
            lines, self._pending = self._pending[: end + 1], self._pending[end + 1 :]
            self._emit(_neutralise_lines(lines, self.annotations))
        return len(text)

    def write_bytes(self, data: bytes) -> None:
        """Write UTF-8 that already obeys this guard's rules (see ``writer_of_json``): what
        is held back of the current line goes first, checked as ever."""
        if not self.started:
            self.write("")
        if self._pending:
            self._emit(_neutralise_lines(self._pending, self.annotations))
            self._pending = ""
        if self.closed_by_reader:
            return
        try:
            _write_bytes(self.stream, data)
        except BrokenPipeError:
            self._reader_left()

    def finish(self) -> None:
        """Write what is held back, then lift the runner's guard if it was raised."""
        if self._pending:
            self._emit(_neutralise_lines(self._pending, self.annotations))
            if self.token:
                self._emit("\n")
            self._pending = ""
        if self.started and self.token:
            self._emit(f"::{self.token}::\n")
        self.flush()

    def flush(self) -> None:
        if not self.closed_by_reader:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._reader_left()

    closed_by_reader = False
    """The reader went away (``factcheck validate | head -0``): the rest is discarded and
    the command ends with its own exit code, as if the output had been read."""

    def _emit(self, text: str) -> None:
        if self.closed_by_reader:
            return
        try:
            self.stream.write(text)
        except BrokenPipeError:
            self._reader_left()

    def _reader_left(self) -> None:
        """Discard what is still to come, down to the descriptor, so that Python's own
        flush at exit does not fail on the closed pipe either."""
        self.closed_by_reader = True
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")


def writer_of_json(stream: TextIO) -> Callable[[bytes], object]:
    """How to write UTF-8 JSON that ``json_text`` made to a text stream.

    Such JSON holds no ``##[``, no ``::`` and only printable characters: nothing a guard
    would change. So it goes straight to the stream's binary buffer, which spares the 50 MB
    of JSON records of a large report a decode, the guard's checks and an encode.
    """
    if isinstance(stream, GuardedStream):
        return stream.write_bytes
    return lambda data: _write_bytes(stream, data)


def _write_bytes(stream: TextIO, data: bytes) -> None:
    """Bytes to a text stream, after the text written before them; as text if it has no
    binary buffer (a ``StringIO``)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8"))
        return
    stream.flush()
    buffer.write(data)


def machine_readable(output_format: str) -> None:
    """Say what this command's stdout carries, before anything is written to it.

    ``json`` and ``markdown`` are read by programs (``jq``, a pull-request comment), so no
    guard lines go into them; their file text is neutralised losslessly (JSON escapes) or
    escaped (Markdown). ``github`` annotations are meant to be run: the line-start rule is
    off for stdout, and the guard is dropped on both streams, since a guard raised on
    stderr would silence stdout too. Human formats (text, table) keep everything.
    """
    if output_format not in ("json", "markdown", "github"):
        return
    if isinstance(sys.stdout, GuardedStream):
        sys.stdout.token = None
        sys.stdout.annotations = output_format == "github"
    if output_format == "github" and isinstance(sys.stderr, GuardedStream):
        sys.stderr.token = None


@contextlib.contextmanager
def guarded_output() -> Iterator[None]:
    """Run a command with stdout and stderr guarded; the runner's guard only under GitHub
    Actions, and only on streams the runner reads (not a file such as the step summary)."""
    under_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    token = secrets.token_hex(16) if under_actions else None
    saved = sys.stdout, sys.stderr
    guarded = [
        GuardedStream(stream, None if _is_regular_file(stream) else token) for stream in saved
    ]
    sys.stdout, sys.stderr = guarded
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
        for stream in guarded:
            with contextlib.suppress(OSError, ValueError):
                stream.finish()


def _is_regular_file(stream: TextIO) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation, AttributeError):
        return False
