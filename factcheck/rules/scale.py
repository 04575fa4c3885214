"""The rating scale: the desk's own labels, each standing for one of the built-in verdicts.

Every desk rates on its own scale ("False", "Mostly true", "Missing context" ...), but the
rules that earn a verdict (docs/methodology.md) are the tool's. So a desk's label inherits the
rules of the built-in verdict it is mapped to: a label mapped to ``supported`` needs
``corroborated`` evidence, whatever it is called. Claim files, reports and the published
pages use the labels; the checks translate them to verdicts here and nowhere else.

The scale runs from best to worst, which is also how ClaimReview's numeric rating reads:
the first label is ``bestRating`` and the last ``worstRating`` (1).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from factcheck.model import VERDICTS


@dataclass(frozen=True)
class Rating:
    """One step of the scale: the desk's label, the verdict it stands for, what it means."""

    label: str
    verdict: str
    description: str | None = None


@dataclass(frozen=True)
class RatingScale:
    """The desk's labels from best to worst; the default is the built-in verdicts."""

    ratings: tuple[Rating, ...]

    def __str__(self) -> str:
        """The scale as ``factcheck diff`` shows a change to it: 'True = supported, ...'."""
        return ", ".join(
            rating.label if rating.label == rating.verdict else f"{rating.label} = {rating.verdict}"
            for rating in self.ratings
        )

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(rating.label for rating in self.ratings)

    @property
    def is_default(self) -> bool:
        return self == DEFAULT_SCALE

    def rating(self, label: str | None) -> Rating | None:
        """The step a label names, or ``None`` for a label not on the scale (or pending)."""
        return self._by_label.get(label or "")

    @cached_property
    def _by_label(self) -> dict[str, Rating]:
        return {rating.label: rating for rating in self.ratings}

    def verdict_of(self, label: str | None) -> str | None:
        """The built-in verdict whose rules a label inherits."""
        rating = self.rating(label)
        return rating.verdict if rating else None

    def labels_for(self, verdicts: tuple[str, ...]) -> tuple[str, ...]:
        """The labels, in scale order, that stand for any of these built-in verdicts."""
        return tuple(rating.label for rating in self.ratings if rating.verdict in verdicts)

    def value(self, label: str) -> int:
        """ClaimReview's ``ratingValue``: the best label scores highest, the worst 1."""
        return len(self.ratings) - self.ratings.index(self._by_label[label])

    @property
    def best(self) -> int:
        return len(self.ratings)

    @property
    def worst(self) -> int:
        return 1


DEFAULT_SCALE = RatingScale(tuple(Rating(verdict, verdict) for verdict in VERDICTS))
