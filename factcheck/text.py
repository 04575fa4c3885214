"""Text helpers for messages: nearest names, lists of choices, text on one line.

Every message is built from these, so that the same idea reads the same way everywhere.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable

import orjson


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The known name closest to a misspelling, if any is reasonably close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A suffix for a message naming the nearest known name, or nothing."""
    match = nearest(word, candidates)
    return f" (did you mean '{match}'?)" if match else ""


def choices(values: Iterable[str]) -> str:
    """Allowed values as a message lists them: 'a', 'b' or 'c'."""
    quoted = [f"'{value}'" for value in values]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def one_line(text: str | None) -> str:
    """Text on one line, its runs of white space collapsed, for a message or a table cell."""
    return " ".join((text or "").split())


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(payload: object, indent: int | None = None) -> str:
    """JSON that keeps letters readable but escapes every control or bidi character, and
    the second character of ``##[`` and ``::`` (the same text once parsed, but no workflow
    command for a runner reading the lines); a name that is not UTF-8 is written escaped.

    Compact (no blanks between items) unless ``indent`` (two spaces, the only width
    used). orjson encodes it, four times faster than the standard library: the report's
    JSON records of ten thousand disputes are 50 MB. orjson refuses a lone surrogate (what
    a file name that is not UTF-8 leaves in a string), so such a payload takes the
    standard library's encoder, which writes the same JSON. Each escaping pass runs only
    when a fast test says it has something to do: every character it escapes is
    unprintable, and most records hold neither ``##[`` nor ``::``.
    """
    try:
        text = orjson.dumps(payload, option=orjson.OPT_INDENT_2 if indent else 0).decode()
    except orjson.JSONEncodeError:
        separators = (",", ": ") if indent else (",", ":")
        text = json.dumps(payload, ensure_ascii=False, indent=indent, separators=separators)
    unprintable = not text.isprintable()
    if unprintable:
        text = _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    if "##[" in text:
        text = text.replace("##[", "#\\u0023[")
    if "::" in text:
        text = text.replace("::", ":\\u003a")
    if not unprintable:
        return text
    return SURROGATE.sub(lambda match: shown_name(match.group()).replace("\\", "\\\\"), text)


def shown_name(name: str) -> str:
    """A file name as output shows it: bytes that are not UTF-8 as ``\\xNN`` escapes.

    Lossless (the escapes name the bytes) and always valid UTF-8, so a name that is not
    UTF-8 can be reported, written to JSON or to a step summary, and never crashes a
    command.
    """
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # only a lone surrogate cannot be encoded
        return SURROGATE.sub(_escaped, name)
    return name


SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: what a name that is not UTF-8 leaves in a Python string."""


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


_IRREGULAR = {"party": "parties", "analysis": "analyses"}


def plural(noun: str) -> str:
    """The plural of a noun of these messages ('party' -> 'parties', 'source' -> 'sources')."""
    *head, last = noun.split(" ")
    if last in _IRREGULAR:
        return " ".join([*head, _IRREGULAR[last]])
    if last.endswith("y") and last[-2:-1] not in ("a", "e", "o", "u"):
        return " ".join([*head, last[:-1] + "ies"])
    return noun + ("es" if last.endswith(("s", "x", "ch", "sh")) else "s")


def counted(number: int, noun: str) -> str:
    """A number with its noun, plural unless it is one: '1 party', '2 parties', '0 files'."""
    return f"{number} {noun if number == 1 else plural(noun)}"
