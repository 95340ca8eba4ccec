"""Synthetic SAF key-question pages, as text and as HTML, for scale tests and benchmarks only
(the other report families: :mod:`extractor.synthfamilies`).

Each page has the shape of a real copied key-question page (report-formats.md, section 1):
breadcrumb, location name, "Overall:" line, address and phone, provider, "Report from ...
assessment", "On this page", the key question with its rating, date, summary, "This service
scored NN (out of 100)", and each quality statement with "Score: N" and evidence paragraphs,
some carried over from the previous rating. Scores are consistent with the printed percentage and
rating. Pages are a pure function of ``(seed, index)``: the same arguments give the same bytes.

Accuracy is never measured on these pages: they come from a small vocabulary
(``extractor/data/synth.yaml``) and are only as varied as a throughput test needs.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from extractor import taxonomy as tx
from extractor.errors import TaxonomyError

__all__ = ["FAMILY_NAMES", "SynthPage", "page", "pages", "paragraph", "printed_date", "random_postcode", "vocabulary"]

# What --family takes: SAF pages and the families of extractor.synthfamilies ("mixed": in turn).
FAMILY_NAMES = ("saf", "inspection", "la", "essential", "star", "location", "evidence")

_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters CQC-style inward codes use (no C I K M O V)


@dataclass(frozen=True)
class SynthPage:
    """One generated page with the facts it was built from (``truth``)."""

    index: int
    name: str
    url: str
    text: str
    html: str | None  # SAF pages only: the other families are PDF text extracts
    truth: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    try:
        raw = resources.files("extractor.data").joinpath("synth.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"cannot read data file synth.yaml: {exc}") from exc
    if not isinstance(data, dict):
        raise TaxonomyError("data file synth.yaml is invalid: not a mapping")
    needed = {"name_words", "kinds", "towns", "summary", "evidence", "previous_rating", "score_line"}
    missing = needed - set(data)
    if missing:
        raise TaxonomyError(f"data file synth.yaml is invalid: missing {sorted(missing)}")
    return data


def printed_date(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


def random_postcode(rng: random.Random, area: str) -> str:
    letters = "".join(rng.choice(_POSTCODE_LETTERS) for _ in range(2))
    return f"{area}{rng.randint(1, 19)} {rng.randint(1, 9)}{letters}"


def _fill(rng: random.Random, template: str, slots: dict[str, str]) -> str:
    data = vocabulary()
    staff = rng.choice(data["staff"])
    partner = rng.choice(data["partners"])
    people = rng.choice(data["people"])
    values = {
        "staff": staff,
        "staff_low": staff[0].lower() + staff[1:] if not staff.startswith("The ") else "t" + staff[1:],
        "people": people,
        "people_cap": people[0].upper() + people[1:],
        "partner": partner,
        "partner_cap": partner[0].upper() + partner[1:],
        "count": rng.choice(data["counts"]),
        "percent": rng.choice(data["percents"]),
        "month": rng.choice(data["months"]),
        "year": str(rng.randint(2021, 2024)),
        **slots,
    }
    text = template.format(**values)
    return text[0].upper() + text[1:]


def paragraph(rng: random.Random, slots: dict[str, str], n: int) -> str:
    groups = list(vocabulary()["evidence"].values())
    sentences = []
    for _ in range(n):
        sentences.append(_fill(rng, rng.choice(rng.choice(groups)), slots))
    return " ".join(sentences)


def _scores(rng: random.Random, n: int) -> tuple[list[int], int]:
    """Statement scores and the printed percentage, avoiding the 62.5 / 87.5 band edges."""
    while True:
        scores = [rng.choices([1, 2, 3, 4], weights=[1, 3, 8, 2])[0] for _ in range(n)]
        exact = sum(scores) / (4 * n) * 100
        if exact not in (62.5, 87.5) and exact >= 25:
            return scores, int(exact + 0.5)


def page(seed: int, index: int) -> SynthPage:
    """Generate page ``index`` of the series ``seed``."""
    data = vocabulary()
    rng = random.Random(f"cqc-synth:{seed}:{index}")
    kind = rng.choice(data["kinds"])
    name = f"{rng.choice(data['name_words'])} {rng.choice(kind['endings'])}"
    provider = f"{name.split()[0]} {rng.choice(data['provider_endings'])}"
    town = rng.choice(data["towns"])
    premises = rng.choice(data["premises"]).format(n=rng.randint(1, 40), name=name.split()[0])
    street = f"{rng.randint(1, 240)} {rng.choice(data['street_words'])} {rng.choice(data['street_endings'])}"
    if premises:
        street = street.split(" ", 1)[1]
    postcode = random_postcode(rng, town["area"])
    digits = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(10 - len(town["code"])))
    phone = f"({town['code']}) {digits}"
    address = f"{premises}{street}, {town['locality']}, {town['town']}, {town['county']}, {postcode}"

    kq = rng.choice(tx.taxonomy().key_questions)
    statements = tx.statements_of(kq.name)
    if kq.name == "Well-led" and rng.random() < 0.7:
        statements = statements[:-1]  # W8 is often absent from provider pages
    scores, percent = _scores(rng, len(statements))
    rating = tx.band_of(percent) or "Inadequate"
    overall = rng.choice(["Good", "Good", "Requires improvement", "Outstanding", rating])
    assessed = dt.date(2024, 1, 8) + dt.timedelta(days=rng.randint(0, 540))
    published = assessed + dt.timedelta(days=rng.randint(40, 240))
    carried = set(rng.sample(range(len(statements)), k=rng.choice([0, 1, 1, 2])))
    bullet = rng.choice(["•", "•", "-"])
    location_id = f"1-{rng.randint(10**8, 10**10 - 1)}"
    url = f"https://www.cqc.org.uk/location/{location_id}/reports/LAP-0{rng.randint(1000, 9999)}/{kq.slug}"

    slots = {"service": "The service"}
    summary = [" ".join(_fill(rng, t, slots) for t in rng.sample(data["summary"], k=rng.randint(4, 6)))]
    sections = []
    truth_statements = []
    for i, (st, score) in enumerate(zip(statements, scores)):
        if i in carried:
            paras = [data["previous_rating"].format(statement=st.name, key_question=kq.name)]
        else:
            paras = [paragraph(rng, slots, rng.randint(4, 7)) for _ in range(rng.randint(2, 3))]
        sections.append((st.name, score, paras))
        truth_statements.append({"id": st.id, "name": st.name, "score": score,
                                 "basis": "previous rating" if i in carried else "assessed"})

    header = [f"{bullet} {label}" if j == 0 else f"  {bullet} {label}"
              for j, label in enumerate(kind["breadcrumb"])]
    lines = ["\n".join(header), name, f"Overall: {overall} read more about inspection ratings",
             f"{address} {phone}", f"Provided and run by:\n{provider}",
             f"Report from {printed_date(assessed)} assessment", "On this page", kq.name, rating,
             printed_date(published), *summary, data["score_line"].format(percent=percent)]
    for st_name, score, paras in sections:
        lines += [st_name, f"Score: {score}", *paras]
    text = "\n\n".join(lines) + "\n"

    truth = {
        "location_name": name, "provider": provider, "postcode": postcode, "phone": phone,
        "overall_rating": overall, "assessment_date": assessed.isoformat(),
        "key_question": kq.name, "rating": rating, "date": published.isoformat(),
        "score_percent": percent, "statements": truth_statements,
        "service_types": list(kind["breadcrumb"]),
    }
    page_html = _html(name=name, url=url, breadcrumb=kind["breadcrumb"], overall=overall,
                      address=address, phone=phone, provider=provider, assessed=printed_date(assessed),
                      kq=kq.name, rating=rating, published=printed_date(published), summary=summary,
                      score_line=data["score_line"].format(percent=percent), sections=sections)
    return SynthPage(index=index, name=name, url=url, text=text, html=page_html, truth=truth)


def _html(*, name: str, url: str, breadcrumb: list[str], overall: str, address: str, phone: str,
          provider: str, assessed: str, kq: str, rating: str, published: str, summary: list[str],
          score_line: str, sections: list[tuple[str, int, list[str]]]) -> str:
    """The page as a saved cqc.org.uk page: site chrome around headings, paragraphs and lists."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(name)} - {e(kq)} - Care Quality Commission</title>",
        f'<link rel="canonical" href="{e(url)}"><script>window.dataLayer=[];</script></head><body>',
        '<div class="cookie-banner"><p>We use cookies to make this site work.</p>'
        "<button>Accept cookies</button></div>",
        '<header class="site-header"><a href="/">Care Quality Commission</a><nav><ul>'
        '<li><a href="/search">Find and compare services</a></li>'
        '<li><a href="/guidance-regulation">Guidance and regulation</a></li></ul></nav>'
        '<form role="search"><input name="query" aria-label="Search"></form></header>',
        '<main id="main-content"><div class="location-header">',
        '<ul class="service-types">' + "".join(f"<li>{e(b)}</li>" for b in breadcrumb) + "</ul>",
        f"<h1>{e(name)}</h1>",
        f'<p class="overall-rating">Overall: <span class="rating rating--{e(_slug(overall))}">'
        f'{e(overall)}</span> <a href="/ratings">read more about inspection ratings</a></p>',
        f'<p class="address">{e(address)} <span class="phone">{e(phone)}</span></p>',
        f'<p class="provider">Provided and run by:<br><a href="/provider">{e(provider)}</a></p>',
        "</div>",
        f'<p class="report-date">Report from {e(assessed)} assessment</p>',
        '<nav class="on-this-page"><h2>On this page</h2><ul><li><a href="#overview">Overview</a></li>'
        + "".join(f'<li><a href="#s{i}">{e(s[0])}</a></li>' for i, s in enumerate(sections))
        + "</ul></nav>",
        f'<section id="overview"><h2>{e(kq)}</h2>',
        f'<p class="kq-rating"><img src="/rating.svg" alt="{e(rating)}"> {e(rating)}</p>',
        f'<p class="kq-date">{e(published)}</p>',
        *[f"<p>{e(p)}</p>" for p in summary],
        f"<p>{e(score_line)}</p></section>",
    ]
    for i, (st_name, score, paras) in enumerate(sections):
        parts.append(f'<section id="s{i}"><h3>{e(st_name)}</h3><p class="score">Score: {score}</p>')
        parts += [f"<p>{e(p)}</p>" for p in paras]
        parts.append("</section>")
    parts += [
        "</main>",
        '<footer><ul><li><a href="/contact">Contact us</a></li><li><a href="/accessibility">'
        "Accessibility</a></li></ul><p>&copy; Care Quality Commission</p></footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _slug(words: str) -> str:
    return words.lower().replace(" ", "-")


def pages(seed: int, n: int, *, start: int = 0, family: str = "saf") -> Iterator[SynthPage]:
    """Pages ``start`` .. ``start + n - 1`` of the series ``seed``, of one family of
    :data:`FAMILY_NAMES` or of each in turn (``"mixed"``: page ``i`` is of family ``i % 7``)."""
    from extractor.synthfamilies import family_page

    for index in range(start, start + n):
        kind = FAMILY_NAMES[index % len(FAMILY_NAMES)] if family == "mixed" else family
        yield page(seed, index) if kind == "saf" else family_page(kind, seed, index)
