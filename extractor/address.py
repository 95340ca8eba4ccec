"""UK addresses and phone numbers printed on one header line.

"Unit 7, The Pavilions, Brighton Road, Pease Pottage, Crawley, West Sussex, RH11 9BJ (01293) 534043"
splits into premises, street, locality, town, county and postcode, each with its span; the phone
number after the postcode is parsed with ``phonenumbers`` (E.164 when valid).

An address printed without commas ("Wanstow House 3 Church Lane Leytonstone London E11 1HG", as
older reports' details and transcribed covers give it) is split by its words: the street from
its house number to the thoroughfare words after it, the premises before it, a county of
the vocabulary at the end, the town before that and the locality between. The town is the last
word, or more where a joiner stands before it ("Newcastle upon Tyne") or the words are a town of
the vocabulary's list ("Milton Keynes"); its rule (``address.run_on_town``) says it was read so.
Without a house number before a thoroughfare word the address is not split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from extractor.document import Document
from extractor.spans import make_field, make_span
from extractor.taxonomy import address_vocabulary, match_key
from models import Address, Phone, construct

# Outward code (area letters, district) and inward code; upper case as printed.
POSTCODE_RE = re.compile(r"\b(?P<area>[A-Z]{1,2})(?P<district>\d[A-Z\d]?) ?(?P<inward>\d[A-Z]{2})\b")


@dataclass
class AddressResult:
    address: Address | None
    phone: Phone | None
    problems: list[tuple[str, str, int, int]]  # (code, message, start, end)


def find_postcode(text: str) -> re.Match[str] | None:
    """The last UK-postcode-shaped token in ``text``."""
    found = None
    for m in POSTCODE_RE.finditer(text):
        found = m
    return found


@lru_cache(maxsize=1)
def _postcode_areas() -> frozenset[str]:
    return frozenset(address_vocabulary().postcode_areas)


@lru_cache(maxsize=1)
def _thoroughfare_words() -> frozenset[str]:
    return frozenset(match_key(w) for w in address_vocabulary().thoroughfare_words)


@lru_cache(maxsize=1)
def _counties() -> frozenset[str]:
    return frozenset(match_key(c) for c in address_vocabulary().counties)


def _is_thoroughfare(part: str) -> bool:
    """True when the part ends with a thoroughfare word ("12 Mill Lane", "Kings Road")."""
    words = match_key(part).split()
    return len(words) > 1 and words[-1] in _thoroughfare_words()


def _is_county(part: str) -> bool:
    return match_key(part) in _counties()


_PART = re.compile(r"[^,\n]+")
_WORD = re.compile(r"\S+")
HOUSE_NUMBER = r"\d+[A-Za-z]?(?:-\d+[A-Za-z]?)?"  # "12", "12A", "12-14": a house number as printed
_HOUSE_NUMBER = re.compile(HOUSE_NUMBER)
_STREET_WORDS = 4  # at most this many words from a house number to its thoroughfare word
_Span = tuple[int, int]


def _run_on_parts(doc: Document, start: int, end: int) -> tuple[list[_Span], _Span, list[_Span], _Span | None,
                                                                _Span | None] | None:
    """Premises, street, locality, town and county of an address printed without commas,
    ``doc.text[start:end]`` (see the module docstring); None where it cannot be split."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(doc.text, start, end)]
    keys = [match_key(doc.text[s:e]) for s, e in words]
    street = next(((i, j) for j in range(1, len(words)) if keys[j] in _thoroughfare_words()
                   for i in range(j - 1, max(-1, j - _STREET_WORDS - 1), -1) if _HOUSE_NUMBER.fullmatch(keys[i])), None)
    if street is None:
        return None
    first, last = street
    while last + 1 < len(words) and keys[last + 1] in _thoroughfare_words():  # "5 Quay Street", "2 Mill Green Lane"
        last += 1
    county = next((k for k in range(last + 1, len(words)) if " ".join(keys[k:]) in _counties()), len(words))
    premises = [(words[0][0], words[first - 1][1])] if first > 0 else []
    town_start = _town_start(keys, last + 1, county)
    town = (words[town_start][0], words[county - 1][1]) if town_start < county else None
    locality = [(words[last + 1][0], words[town_start - 1][1])] if last + 1 < town_start else []
    return premises, (words[first][0], words[last][1]), locality, town, \
        (words[county][0], words[-1][1]) if county < len(words) else None


def _town_start(keys: list[str], lo: int, hi: int) -> int:
    """Where the town starts among the words ``keys[lo:hi]`` that end an address before its county
    (``hi`` when there are none): the last word, with the words a joiner ties to it, or a town of
    several words the vocabulary lists."""
    vocab = _town_words()
    for size in (4, 3, 2):
        if hi - size >= lo and " ".join(keys[hi - size:hi]) in vocab.towns:
            return hi - size
    start = hi - 1
    while start - 2 >= lo and keys[start - 1] in vocab.joiners:
        start -= 2
    return max(start, lo) if hi > lo else hi


@dataclass(frozen=True)
class _TownWords:
    joiners: frozenset[str]
    towns: frozenset[str]  # match keys of towns of several words


@lru_cache(maxsize=1)
def _town_words() -> _TownWords:
    v = address_vocabulary()
    return _TownWords(frozenset(match_key(j) for j in v.town_joiners), frozenset(match_key(t) for t in v.multi_word_towns))


def _parts(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``doc.text[start:end]`` between commas and line breaks (an address printed
    over several lines), as trimmed offset pairs."""
    parts: list[tuple[int, int]] = []
    for m in _PART.finditer(doc.text, start, end):
        piece = m.group()
        body = piece.strip()
        if body:
            s = m.start() + len(piece) - len(piece.lstrip())
            parts.append((s, s + len(body)))
    return parts


def _join(doc: Document, parts: list[tuple[int, int]], rule: str):  # type: ignore[no-untyped-def]
    if not parts:
        return None
    start, end = parts[0][0], parts[-1][1]
    value = doc.text[start:end]
    if "\n" in value:  # parts on several lines read as one comma-separated value
        value = ", ".join(doc.text[s:e] for s, e in parts)
    return make_field(doc, value, start, end, rule)


def parse_address_line(doc: Document, start: int, end: int) -> AddressResult:
    """Split one header line holding an address, a postcode and maybe a phone number."""
    problems: list[tuple[str, str, int, int]] = []
    line = doc.text[start:end]
    pc = find_postcode(line)
    if pc is None:
        return AddressResult(None, None, problems)
    pc_start, pc_end = start + pc.start(), start + pc.end()
    postcode_value = f"{pc['area']}{pc['district']} {pc['inward']}"
    if pc["area"] not in _postcode_areas():
        problems.append(("postcode_invalid", f"postcode {postcode_value!r} has an unknown area "
                         f"{pc['area']!r}", pc_start, pc_end))
    parts = _parts(doc, start, pc_start)
    run_on = _run_on_parts(doc, *parts[0]) if len(parts) == 1 else None  # no commas: split by its words
    if run_on is not None:
        premises, found_street, locality, town, county = run_on
        street = [found_street]
    else:
        premises, street, locality, town, county = _comma_parts(doc, parts)
    rule = "address.run_on_" if run_on is not None else "address."
    # Every part is a slice of the document: built without validation, like a span.
    address = construct(
        Address,
        premises=_join(doc, premises, rule + "premises"),
        street=_join(doc, street, rule + "thoroughfare"),
        locality=_join(doc, locality, rule + "locality"),
        town=_join(doc, [town] if town else [], rule + "town"),
        county=_join(doc, [county] if county else [], rule + "county"),
        postcode=make_field(doc, postcode_value, pc_start, pc_end, "address.postcode"),
        span=make_span(doc, start, pc_end),
    )
    phone = find_phone(doc, pc_end, end)
    problems += phone_problems(phone)
    return AddressResult(address, phone, problems)


def _comma_parts(doc: Document, parts: list[_Span]) -> tuple[list[_Span], list[_Span], list[_Span],
                                                             _Span | None, _Span | None]:
    """Premises, street, locality, town and county of an address's comma-separated parts: the
    county of the vocabulary last, the town before it, the street the first part ending in a
    thoroughfare word (a numbered one first)."""
    parts = list(parts)
    county = town = None
    if parts and _is_county(doc.text[parts[-1][0]:parts[-1][1]]):
        county = parts.pop()
    if parts:
        town = parts.pop()
    streets = [i for i, (s, e) in enumerate(parts) if _is_thoroughfare(doc.text[s:e])]
    numbered = [i for i in streets if doc.text[parts[i][0]].isdigit()]
    street_idx: int | None = (numbered or streets)[0] if numbered or streets else None
    if street_idx is None and parts:
        street_idx = 0
    premises = parts[:street_idx] if street_idx is not None else []
    street = [parts[street_idx]] if street_idx is not None else []
    locality = parts[street_idx + 1:] if street_idx is not None else []
    return premises, street, locality, town, county


def phone_problems(phone: Phone | None) -> list[tuple[str, str, int, int]]:
    """``(code, message, start, end)`` of a phone number found that is not a valid UK number."""
    if phone is None or phone.e164 is not None:
        return []
    return [("phone_invalid", f"phone number {phone.as_printed!r} is not a valid UK number",
             phone.span.start, phone.span.end)]


_PHONE_SHAPE = re.compile(r"(?:\+44\s?|\(?0)[\d\s()\-]{8,}\d")


def find_phone(doc: Document, start: int, end: int) -> Phone | None:
    """The first phone number in ``doc.text[start:end]``, normalised to E.164 when valid."""
    text = doc.text[start:end]
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        number = match.number
        e164 = None
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        s, e = start + match.start, start + match.end
        return construct(Phone, as_printed=doc.text[s:e], e164=e164, span=make_span(doc, s, e),
                         rule="phone.phonenumbers")
    shape = _PHONE_SHAPE.search(text)
    if shape:
        s, e = start + shape.start(), start + shape.end()
        return construct(Phone, as_printed=doc.text[s:e], e164=None, span=make_span(doc, s, e),
                         rule="phone.shape")
    return None
