"""Ratings shown as badges or icons: the rating words of an alt text, aria-label, title or class.

Saved pages often show a rating as an image or an icon, so the word is not in the visible text:
``<img alt="Rating: Good">``, ``<span role="img" aria-label="Requires improvement">``,
``<svg><title>Outstanding</title></svg>`` or ``<span class="rating rating--inadequate"></span>``.
The reader puts the rating words where the badge stands, as a text copy of the page would show
them. Only labels that name a rating count: a logo's alt text or an icon's "Print this page" is
not report text and stays out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from extractor import taxonomy as tx
from extractor.document import fold
from extractor.htmlrules import words

# Attributes read for a badge's text, in this order (the first that names a rating wins).
LABEL_ATTRIBUTES = ("alt", "aria-label", "title")

# Class words that say the class names a rating (``rating--good``, ``cqc-rated-outstanding``).
_RATING_CLASS_WORDS = frozenset({"rating", "rated", "ratings"})


@lru_cache(maxsize=1)
def _rating_re() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(fold(w)) for w in tx.rating_words())
    return re.compile(rf"(?<![A-Za-z])(?:{alternatives})(?![A-Za-z])", re.I)


def rating_in(label: str) -> str | None:
    """The rating words inside a label, as printed there, or None.

    >>> rating_in("Rating: Requires improvement")
    'Requires improvement'
    >>> rating_in("CQC logo") is None
    True
    """
    m = _rating_re().search(fold(label))
    return label[m.start():m.end()] if m else None


def label_rating(attrib: Mapping[str, str]) -> str | None:
    """The rating a badge's alt, aria-label or title shows, as printed there."""
    for name in LABEL_ATTRIBUTES:
        value = attrib.get(name)
        if value and (found := rating_in(value)):
            return found
    return None


def class_rating(attrib: Mapping[str, str]) -> str | None:
    """The rating a class such as ``rating rating--requires-improvement`` names (canonical form)."""
    seq = words(attrib.get("class", ""))
    if not _RATING_CLASS_WORDS.intersection(seq):
        return None
    rest = " ".join(w for w in seq if w not in _RATING_CLASS_WORDS)
    m = _rating_re().search(rest)
    return tx.rating(m.group(0)) if m else None


# Class words of an element drawn as a badge or an icon (a label on anything else, such as a
# link's "What does Good mean?" title, is not a rating shown on the page).
_BADGE_CLASS_WORDS = frozenset({"rating", "rated", "ratings", "badge", "icon", "indicator"})


def badge_rating(tag: str, attrib: Mapping[str, str]) -> str | None:
    """The rating an element (not an image) shows as a badge if it has no visible text of its own.

    The element must look like a badge: ``role="img"`` or a badge/icon/rating class; links are
    never badges.
    """
    if tag in ("img", "a"):
        return None
    drawn = "img" in attrib.get("role", "").lower().split() or bool(
        _BADGE_CLASS_WORDS.intersection(words(attrib.get("class", ""))))
    if not drawn:
        return None
    return label_rating(attrib) or class_rating(attrib)


def shows_rating(text: str, rating: str) -> bool:
    """Whether visible text already shows the rating (then the badge adds nothing)."""
    pattern = rf"(?<![A-Za-z]){re.escape(fold(rating))}(?![A-Za-z])"
    return re.search(pattern, fold(text), re.I) is not None
