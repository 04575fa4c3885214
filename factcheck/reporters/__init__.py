"""Reporters: the only place that turns results into text, and the only place using rich.

Text from files is data. ``terminal_safe`` strips control characters before anything
reaches a terminal, and every piece of file text is handed to rich as ``Text`` (never as
markup), so a statement cannot recolour the screen, move the cursor or open a link.
"""

from __future__ import annotations

import os
import re
import sys
from typing import ClassVar, TextIO

from rich.console import Console
from rich.text import Text

from factcheck.reporters.streams import neutralise

REPORT_FORMATS = ("table", "markdown", "json")
"""The formats of ``factcheck report``, ``diff`` and ``sources``/``parties``: named here so
that the command line offers them without importing every reporter; a test keeps them
equal to the registries."""
DIFF_FORMATS = ("table", "markdown", "json")
CATALOGUE_FORMATS = ("table", "json")

# C0 and C1 controls (but tab), DEL, and the bidirectional overrides that can make a
# terminal show text in another order than it is stored ("trojan source").
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str, *, annotation: bool = False) -> str:
    """File text made inert for a terminal, a CI log or a step summary: controls dropped,
    line breaks made spaces, and no workflow command can start in it (``neutralise``).

    This is the one escaping policy for file text: every reporter, every stream and every
    message built from a file goes through it (Markdown and JSON add their own escapes).
    ``annotation`` is for the message of a ``github`` annotation (see ``neutralise``).
    """
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return neutralise(_UNSAFE.sub("", text), anywhere=not annotation)


def make_console(stream: TextIO | None = None, color: str = "auto", width: int | None = None):
    """A rich console that never interprets markup, emoji codes or highlighting.

    ``color`` is ``auto`` (colour on a terminal unless NO_COLOR is set: no colour, and
    no bold or dim either), ``always`` or ``never``. When the stream is not a terminal and
    colour is not forced, rich writes plain text with no cursor movement, which keeps CI
    logs clean.
    """
    stream = stream if stream is not None else sys.stdout
    if color == "auto" and os.environ.get("NO_COLOR"):
        color = "never"  # rich's own NO_COLOR drops colours but keeps bold and dim
    options: dict[str, object] = {
        "file": stream,
        "markup": False,
        "emoji": False,
        "highlight": False,
        "width": width,
    }
    if color == "always":
        options.update(force_terminal=True, no_color=False, color_system="standard")
    elif color == "never":
        options.update(no_color=True, color_system=None)
    return Console(**options)


def safe(text: str | None, style: str = "") -> Text:
    """File text for the terminal: control characters stripped, never read as markup."""
    return Text(terminal_safe(text or ""), style=style)


class Reporter:
    """What every reporter is given: where to write, whether to colour (``auto``,
    ``always`` or ``never``), how wide to lay tables out (``None``: the terminal's), and
    what goes before every path it names (``path_prefix``: the workspace's place in its
    git repository, for GitHub annotations and Markdown, which GitHub resolves from the
    repository's root)."""

    name: ClassVar[str] = ""

    def __init__(
        self, stream: TextIO, color: str = "auto", width: int | None = None, path_prefix: str = ""
    ) -> None:
        self.stream = stream
        self.color = color
        self.width = width
        self.path_prefix = path_prefix
