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
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from factcheck.files.yamlnodes import LINE_BREAK, Location

MIN_QUOTE_LENGTH = 20

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\u02bc\uff07"
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\uff02"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_PLAIN = {
    **dict.fromkeys(_SINGLE, "'"),
    **dict.fromkeys(_DOUBLE, '"'),
    **dict.fromkeys(_DASHES, "-"),
    "\u2026": "...",
}
_WIDENING = re.compile("\u2026")
"""The one character whose plain form is longer than itself: the ellipsis, three dots."""
_ELLIPSIS_WIDTH = len(_PLAIN["\u2026"])
MAX_OFFSETS_PER_WORD = 8
"""A word the fragment repeats votes from its first few places only."""
VOTES_PER_WORD = 64
"""The closest-passage search's budget of votes, per word of the fragment."""
_ELISION = re.compile(r"\s*(?:\[\.\.\.\]|\.\.\.)\s*")
_WORD = re.compile(r"\S+")


def normalise(text: str) -> str:
    """The comparable form of a text: NFC, plain quotes and dashes, single spaces."""
    return " ".join(plain_typography(unicodedata.normalize("NFC", text)).split())


def plain_typography(text: str) -> str:
    """Curly quotes, dashes and the ellipsis character as plain ASCII.

    One ``replace`` per character the text holds: several times faster than
    ``str.translate`` on a non-ASCII document, and no replacement makes another.
    """
    if text.isascii():
        return text
    for char, plain in _PLAIN.items():
        if char in text:
            text = text.replace(char, plain)
    return text


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
    """Where a quote was found (each fragment's start), or the closest passage to it.

    The fragments' lines and columns are worked out only when asked for: validation needs
    to know whether a quote stands, and mapping positions back is most of a match's cost.
    """

    found: bool
    starts: tuple[int, ...] = ()  # each fragment's start in the source's normalised text
    closest: Closest | None = None
    missing_fragment: str = ""
    source: SourceText | None = field(default=None, repr=False, compare=False)
    lengths: tuple[int, ...] = ()  # each fragment's length in the normalised text

    @property
    def fragments(self) -> tuple[Location, ...]:
        if self.source is None:
            return ()
        return tuple(map(self.source.location, self.starts))

    @property
    def at(self) -> Location | None:
        return self.fragments[0] if self.fragments else None

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """Each fragment as (start, end) in the document's text: what a page highlights."""
        if self.source is None:
            return ()
        return tuple(map(self.source.span, self.starts, self.lengths))


class SourceText:
    """A source document prepared for matching: its normalised text and a map back."""

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFC", text)
        self._line_starts = [0] + [m.end() for m in LINE_BREAK.finditer(self.text)]
        words = plain_typography(self.text).split()
        self.normal = " ".join(words)
        self._normal_starts = list(itertools.accumulate((len(w) + 1 for w in words), initial=0))
        self._spans: list[tuple[int, int]] | None = None
        self._widened: list[int] | None = None
        self._positions: dict[str, list[int]] | None = None
        self.votes = 0
        """Votes cast by ``closest`` so far: the work its budget bounds (tests read it)."""
        self._matches: dict[str, QuoteMatch] = {}

    def location(self, normal_index: int) -> Location:
        """The line and column in the document of a position in the normalised text."""
        index = self._original_index(normal_index)
        line = bisect.bisect_right(self._line_starts, index)
        return Location(line, index - self._line_starts[line - 1] + 1)

    def offset(self, at: Location) -> int:
        """The index in the document's text of a line and column (``location``'s inverse)."""
        return self._line_starts[at.line - 1] + at.column - 1

    def _original_index(self, normal_index: int) -> int:
        """Map a position in the normalised text back to the document, a word at a time.

        Normalising keeps the words and their order and only changes blanks and
        typography, so the map is: which word, and how far into it. The words' spans in
        the document are found the first time a location is asked for; a blank run stands
        for its last character. Only a word whose typography changed its length (an
        ellipsis became three dots) is walked character by character.
        """
        if not self.normal:
            return 0
        if self._spans is None:
            self._spans = [match.span() for match in _WORD.finditer(self.text)]
        normal_index = min(max(normal_index, 0), len(self.normal) - 1)
        word = bisect.bisect_right(self._normal_starts, normal_index) - 1
        start, end = self._spans[word]
        offset = normal_index - self._normal_starts[word]
        width = self._normal_starts[word + 1] - self._normal_starts[word] - 1
        if offset >= width:  # the space after the word
            return self._spans[word + 1][0] - 1
        if width == end - start:
            return start + offset
        return self._index_in_widened_word(start, end, offset)

    def _index_in_widened_word(self, start: int, end: int, offset: int) -> int:
        """The document index ``offset`` normalised characters into a word that an ellipsis
        widened: found by bisecting the word's ellipses, not by walking the word, so a
        16 MiB "word" costs a logarithm per quote rather than its length."""
        if self._widened is None:
            self._widened = [match.start() for match in _WIDENING.finditer(self.text)]
        first = bisect.bisect_left(self._widened, start)
        last = bisect.bisect_left(self._widened, end)
        extra = _ELLIPSIS_WIDTH - 1

        def normal_start(k: int) -> int:  # where the k-th ellipsis of the word normalises to
            return self._widened[k] - start + extra * (k - first)

        k = bisect.bisect_right(range(first, last), offset, key=normal_start) - 1 + first
        if k < first:
            return start + offset
        into = offset - normal_start(k)
        if into < _ELLIPSIS_WIDTH:
            return self._widened[k]
        return min(self._widened[k] + 1 + into - _ELLIPSIS_WIDTH, end - 1)

    def span(self, normal_start: int, length: int) -> tuple[int, int]:
        """Where a stretch of the normalised text stands in the document, as (start, end)."""
        return self._original_index(normal_start), self._original_index(
            normal_start + length - 1
        ) + 1

    def find(self, quote: str) -> QuoteMatch:
        """Match a quote, fragment after fragment, or describe the closest passage.

        A quote is matched once per document: the checks match it, and ``report`` asks
        again where it was found, in the same process, right after.
        """
        match = self._matches.get(quote)
        if match is None:
            match = self._matches[quote] = self._find(quote)
        return match

    def _find(self, quote: str) -> QuoteMatch:
        parts = fragments(quote)
        starts: list[int] = []
        start = 0
        for part in parts:
            index = self.normal.find(part, start)
            if index < 0:
                closest = self.closest(part, 1)
                return QuoteMatch(False, (), closest[0] if closest else None, part)
            starts.append(index)
            start = index + len(part)
        lengths = tuple(map(len, parts))
        return QuoteMatch(bool(parts), tuple(starts), source=self, lengths=lengths)

    def closest(self, fragment: str, count: int = 3) -> list[Closest]:
        """The passages sharing most words, in order, with a fragment that was not found.

        Each occurrence in the source of a word of the fragment votes for the passage that
        would start where the fragment's first word would be; the passages with most votes
        win. The words vote rarest first, and only while the votes stay within a budget
        proportional to the fragment (``VOTES_PER_WORD`` per word): a distinctive word
        places a passage in a few votes, while a word the source repeats thousands of times
        would make a miss cost the fragment's length times the source's. When every word is
        that common, the hint is weaker: the first place the rarest word occurs.
        """
        wanted = fragment.split()
        if not wanted:
            return []
        offsets: dict[str, list[int]] = {}
        for index, word in enumerate(wanted):
            found = offsets.setdefault(word, [])
            if len(found) < MAX_OFFSETS_PER_WORD:
                found.append(index)
        positions = self._word_positions()
        present = sorted(
            (word for word in offsets if word in positions), key=lambda w: len(positions[w])
        )
        votes: Counter[int] = Counter()
        budget = VOTES_PER_WORD * len(wanted)
        for word in present:
            cost = len(positions[word]) * len(offsets[word])
            if cost > budget:
                break
            budget -= cost
            self.votes += cost
            for position in positions[word]:
                for offset in offsets[word]:
                    votes[position - offset] += 1
        if not votes and present:
            rarest = present[0]
            votes[positions[rarest][0] - offsets[rarest][0]] = 1
        starts = self._normal_starts
        last_word = len(starts) - 2
        chosen: list[Closest] = []
        taken: list[int] = []
        for start, shared in votes.most_common():
            if len(chosen) == count:
                break
            if any(abs(start - other) < len(wanted) for other in taken):
                continue
            taken.append(start)
            first = max(start, 0)
            final = min(max(start + len(wanted), first + 1), last_word + 1) - 1
            if first > last_word:
                continue
            begin = starts[first]
            end = starts[final + 1] - 1
            passage = self.normal[begin:end]
            chosen.append(
                Closest(
                    self.location(begin), passage, shared, describe_difference(fragment, passage)
                )
            )
        return chosen

    def _word_positions(self) -> dict[str, list[int]]:
        """Where each word of the normalised text occurs (word numbers), built on the first
        miss: one pass over the source serves every quote that is not found in it."""
        if self._positions is None:
            self._positions = {}
            for number, word in enumerate(self.normal.split(" ") if self.normal else ()):
                self._positions.setdefault(word, []).append(number)
        return self._positions


def describe_difference(quote: str, passage: str) -> str:
    """Say in words where a quote first departs from the passage it resembles.

    The passage is a window of whole words, so its first and last words may carry
    punctuation from outside the quoted span (an opening quotation mark, a closing comma);
    that punctuation is not a difference, and the hint names the first word that is.
    """
    quoted, source = quote.split(), _trim_edges(quote, passage).split()
    if quoted == source:
        return (
            "the same words stand in the source, but before the part that comes ahead of "
            "them in the quote; put the parts in the source's order"
        )
    if [word.casefold() for word in quoted] == [word.casefold() for word in source]:
        return "they differ only in letter case"
    for index, (have, want) in enumerate(zip(quoted, source, strict=False)):
        if have != want:
            context = _clip(" ".join(quoted[max(index - 2, 0) : index]))
            lead = f"after '{context}' " if context else ""
            return f"{lead}the quote has '{_clip(have)}' where the source has '{_clip(want)}'"
    if len(quoted) > len(source):
        return f"the quote goes on with '{_clip(' '.join(quoted[len(source) :][:5]))}'"
    return "the source goes on where the quote stops"


def _trim_edges(quote: str, passage: str) -> str:
    """The passage without punctuation at its edges that the quote does not have there."""
    start = 0
    while (
        start < len(passage)
        and _is_mark(passage[start])
        and not quote.startswith(passage[start : start + 1])
    ):
        start += 1
    end = len(passage)
    while end > start and _is_mark(passage[end - 1]) and not quote.endswith(passage[end - 1]):
        end -= 1
    return passage[start:end]


def _is_mark(char: str) -> bool:
    return not char.isalnum() and not char.isspace()


def _clip(text: str, limit: int = 60) -> str:
    """Words quoted back in a message stay short, however long a word in the file is."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
