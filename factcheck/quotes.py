"""Quote normalisation and matching: the one place that decides whether a quote is verbatim.

Archived documents and hand-typed YAML disagree on typography, not on words: curly versus
straight quotes, dashes, ellipses, no-break spaces and line wrapping. Both texts are
normalised the same way (SPEC section 3) and then compared exactly, case included. An
elision (``...``, ``…`` or ``[...]``) splits a quote into fragments that must appear in
order. The normalised source keeps a map back to the original text, so a match (or the
closest passage to a miss) is reported at its real line and column.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from factcheck.yamlnodes import Location

MIN_QUOTE_LENGTH = 20

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\u02bc\uff07"
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\uff02"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_TRANSLATION = str.maketrans(
    {**dict.fromkeys(_SINGLE, "'"), **dict.fromkeys(_DOUBLE, '"'), **dict.fromkeys(_DASHES, "-")}
    | {"\u2026": "..."}
)
_ELISION = re.compile(r"\s*(?:\[\.\.\.\]|\.\.\.)\s*")
_WORD = re.compile(r"\S+")
_TYPOGRAPHY = re.compile("[" + re.escape("".join(map(chr, _TRANSLATION))) + "]")


def normalise(text: str) -> str:
    """The comparable form of a text: NFC, plain quotes and dashes, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_TRANSLATION).split())


def fragments(quote: str) -> list[str]:
    """The parts of a quote between elisions, each normalised; empty parts are dropped."""
    return [part for part in _ELISION.split(normalise(quote)) if part]


@dataclass(frozen=True, slots=True)
class Closest:
    """The passage of a source that comes nearest to a quote that was not found."""

    at: Location
    passage: str
    shared_words: int
    difference: str


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """Where a quote was found (each fragment's start), or the closest passage to it."""

    found: bool
    fragments: tuple[Location, ...] = ()
    closest: Closest | None = None
    missing_fragment: str = ""

    @property
    def at(self) -> Location | None:
        return self.fragments[0] if self.fragments else None


class SourceText:
    """A source document prepared for matching: its normalised text and a map back."""

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFC", text)
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self.text)]
        self.normal, self._origin = _normalise_with_origin(self.text)

    def location(self, normal_index: int) -> Location:
        """The line and column in the document of a position in the normalised text."""
        index = self._origin[min(normal_index, len(self._origin) - 1)] if self._origin else 0
        line = bisect.bisect_right(self._line_starts, index)
        return Location(line, index - self._line_starts[line - 1] + 1)

    def find(self, quote: str) -> QuoteMatch:
        """Match a quote, fragment after fragment, or describe the closest passage."""
        parts = fragments(quote)
        found: list[Location] = []
        start = 0
        for part in parts:
            index = self.normal.find(part, start)
            if index < 0:
                closest = self.closest(part, 1)
                return QuoteMatch(False, (), closest[0] if closest else None, part)
            found.append(self.location(index))
            start = index + len(part)
        return QuoteMatch(bool(parts), tuple(found))

    def closest(self, fragment: str, count: int = 3) -> list[Closest]:
        """The passages sharing most words, in order, with a fragment that was not found.

        Each word of the source that also occurs in the fragment votes for the passage that
        would start where the fragment's first word would be; the passages with most votes
        win. This is linear in the source's length, so a miss never slows a run down.
        """
        wanted = fragment.split()
        if not wanted:
            return []
        offsets: dict[str, list[int]] = {}
        for index, word in enumerate(wanted):
            offsets.setdefault(word, []).append(index)
        words = [(m.start(), m.group()) for m in _WORD.finditer(self.normal)]
        votes: Counter[int] = Counter()
        for position, (_, word) in enumerate(words):
            for offset in offsets.get(word, ()):
                votes[position - offset] += 1
        chosen: list[Closest] = []
        taken: list[int] = []
        for start, shared in votes.most_common():
            if len(chosen) == count:
                break
            if any(abs(start - other) < len(wanted) for other in taken):
                continue
            taken.append(start)
            first = max(start, 0)
            window = words[first : max(start + len(wanted), first + 1)]
            if not window:
                continue
            begin = window[0][0]
            end = window[-1][0] + len(window[-1][1])
            passage = self.normal[begin:end]
            chosen.append(
                Closest(
                    self.location(begin), passage, shared, describe_difference(fragment, passage)
                )
            )
        return chosen


def describe_difference(quote: str, passage: str) -> str:
    """Say in words where a quote first departs from the passage it resembles."""
    if quote.casefold() == passage.casefold():
        return "they differ only in letter case"
    quoted, source = quote.split(), passage.split()
    for index, (have, want) in enumerate(zip(quoted, source, strict=False)):
        if have != want:
            context = _clip(" ".join(quoted[max(index - 2, 0) : index]))
            lead = f"after '{context}' " if context else ""
            return f"{lead}the quote has '{_clip(have)}' where the source has '{_clip(want)}'"
    if len(quoted) > len(source):
        return f"the quote goes on with '{_clip(' '.join(quoted[len(source) :][:5]))}'"
    return "the source goes on where the quote stops"


def _clip(text: str, limit: int = 60) -> str:
    """Words quoted back in a message stay short, however long a word in the file is."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _normalise_with_origin(text: str) -> tuple[str, list[int]]:
    """Normalise like ``normalise`` while recording, per output character, its input index.

    Works a word (a run of non-blank characters) at a time, and translates typography only
    in texts that have some: preparing every document char by char was the slowest step
    of a cold run. A blank run becomes one space that stands for its last character.
    """
    translate = _TYPOGRAPHY.search(text) is not None
    out: list[str] = []
    origin: list[int] = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        if out:
            out.append(" ")
            origin.append(start - 1)
        word = match.group()
        if translate:
            word = word.translate(_TRANSLATION)
        out.append(word)
        if len(word) == end - start:
            origin.extend(range(start, end))
            continue
        for index in range(start, end):
            origin.extend([index] * len(text[index].translate(_TRANSLATION)))
    return "".join(out), origin
