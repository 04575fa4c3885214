"""Text helpers for messages: nearest names, lists of choices, text on one line.

Every message is built from these, so that the same idea reads the same way everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


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
