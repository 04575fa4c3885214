"""GitHub-flavoured Markdown shared by ``factcheck report`` and ``factcheck diff``.

Every text from a file is escaped (``md``) so that a ``|`` cannot break a table, ``<script>``
or ``[x](y)`` cannot inject markup, a backtick cannot open a code span, ``:smile:`` does not
become an emoji, ``@name`` does not notify anyone, and a bare URL, ``www.``, ``#123``, a
commit id or ``$x$`` is not turned into a link, a reference or math. Both commands write
step summaries, which GitHub refuses over ``STEP_SUMMARY_LIMIT``; ``size`` and ``fitting``
measure what fits.
"""

from __future__ import annotations

import re

from factcheck.reporters import terminal_safe

STEP_SUMMARY_LIMIT = 1 << 20

_BACKSLASHED = re.compile(r"([\\`*_\[\]#!~|])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML_CHARS = re.compile("[&<>]")
# ':name:' would become an emoji and '@name' a mention: GitHub applies both to the rendered
# text, after Markdown escapes are gone, so an empty element is put between the two halves.
_SHORTCODE_OR_MENTION = re.compile(r"([:@])(?=[\w+-])")
# GitHub also turns plain text into links: URLs and 'www.' (autolinks), '#123' and 'GH-123'
# (issues), hex runs of 7 or more (commits); '$...$' becomes math. The same empty element
# breaks each of them where a reader cannot see it, and '$' is written as an entity.
_LIVE_TEXT = re.compile(
    r"(?i)(?<![a-z])(https?|ftp|www)(?=[:.])"  # a URL scheme or www.
    r"|(\\#|gh-)(?=[0-9])"  # an issue reference (the '#' is already escaped)
    r"|(?<![0-9a-f])([0-9a-f]{4})(?=[0-9a-f]{3})"  # the head of a commit id
)


def md(text: str | None) -> str:
    """File text as inert Markdown on one line: controls gone, every markup character
    escaped, and nothing that GitHub would turn into a link, a reference or math."""
    text = terminal_safe(text or "")
    text = _HTML_CHARS.sub(lambda match: _HTML[match.group()], text)
    text = _BACKSLASHED.sub(r"\\\1", text)
    text = _LIVE_TEXT.sub(lambda match: match.group() + "<wbr>", text)
    text = text.replace("$", "&#36;")
    return _SHORTCODE_OR_MENTION.sub(r"\1<wbr>", text)


def row(cells: list[str]) -> str:
    """One table row; cells must already be escaped (``md``)."""
    return "| " + " | ".join(cell or " " for cell in cells) + " |\n"


def table(headers: list[str], rows: list[str]) -> str:
    """A GitHub table from escaped headers and rendered rows."""
    return row(headers) + "|" + " --- |" * len(headers) + "\n" + "".join(rows)


def size(text: str) -> int:
    """Bytes of UTF-8, the unit of GitHub's step-summary limit."""
    return len(text.encode("utf-8"))


def fitting(pieces: list[str], budget: int) -> tuple[list[str], int]:
    """The longest prefix of ``pieces`` that fits in ``budget`` bytes, and what is left."""
    kept: list[str] = []
    for piece in pieces:
        cost = size(piece) + 1
        if cost > budget:
            break
        kept.append(piece)
        budget -= cost
    return kept, budget
