"""Synthetic texts of the other report families, for scale tests and benchmarks only.

Rating-era inspection reports, local authority pages, essential standards reports, star-rated
reports, rating-era location pages (a web summary, a list of all inspections) and GP inspection
evidence tables, each in the shape :mod:`extractor.inspection`, :mod:`extractor.localauthority`,
:mod:`extractor.essential`, :mod:`extractor.starrated`, :mod:`extractor.websummary`,
:mod:`extractor.history` and :mod:`extractor.evidencetable` read (their corpus samples show the
real layouts). They are PDF text extracts or copied pages, so text only (``html`` is None). Like
:func:`extractor.synth.page`, a page is a pure function of ``(family, seed, index)``, with the
facts it was built from in ``truth``, and accuracy is never measured on them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from extractor import taxonomy as tx
from extractor.checks import allowed_overall
from extractor.ratingprose import rating_change
from extractor.synth import SynthPage, paragraph, printed_date, random_postcode, vocabulary

__all__ = ["FAMILIES", "family_page"]

_RATINGS = ["Outstanding", "Good", "Good", "Good", "Requires improvement", "Requires improvement", "Inadequate"]


@lru_cache(maxsize=1)
def _frameworks() -> dict[str, Any]:
    """What the generated pages draw from the readers' own data files, so the two never differ."""
    la = tx.load_yaml("local_authority.yaml")
    regulations = {int(k): int(v) for k, v in vocabulary()["essential_regulations"].items()}
    return {
        "questions": {k.name: k.name.lower() for k in tx.taxonomy().key_questions},
        "la_statements": [(s["id"], s["name"]) for theme in la["themes"] for s in theme["statements"]],
        "meanings": {int(k): v for k, v in la["score_meanings"].items()},
        # The standards whose breach the compliance table can name.
        "standards": [(s["outcome"], s["name"]) for s in tx.load_yaml("essential_standards.yaml")["standards"]
                      if s["outcome"] in regulations],
        "regulations": regulations,
        # Row names of hospital rating grids: canonical names and the variants grids print.
        "core_services": tx.core_service_names(),
    }


_STAR_WORDS = ["zero", "one", "two", "three"]
_STAR_QUALITY = ["poor", "adequate", "good", "excellent"]


def _home(rng: random.Random) -> dict[str, str]:
    """A care home's name, provider, address lines and postcode."""
    data = vocabulary()
    name = f"{rng.choice(data['name_words'])} {rng.choice(['House', 'Lodge', 'Court', 'Grange', 'Care Home'])}"
    town = rng.choice(data["towns"])
    street = f"{rng.randint(1, 240)} {rng.choice(data['street_words'])} {rng.choice(data['street_endings'])}"
    return {"name": name, "provider": f"{name.split()[0]} {rng.choice(data['provider_endings'])}",
            "street": street, "locality": town["locality"], "town": town["town"], "county": town["county"],
            "postcode": random_postcode(rng, town["area"])}


def _prose(rng: random.Random, n: int) -> list[str]:
    return [paragraph(rng, {"service": "The service"}, rng.randint(3, 6)) for _ in range(n)]


_ACTIONS = ["No action", "No action", "No action", "Requirements notice", "Enforcement action"]


def _inspection(seed: int, index: int, rng: random.Random) -> SynthPage:
    if index % 6 == 5:  # one page in six is a dentist's, a service CQC does not rate
        return _dental(seed, index, rng)
    home = _home(rng)
    visit = dt.date(2015, 1, 5) + dt.timedelta(days=rng.randint(0, 2900))
    published = visit + dt.timedelta(days=rng.randint(30, 120))
    questions = _frameworks()["questions"]
    ratings = {kq: rng.choice(_RATINGS) for kq in questions}
    breach = rng.random() < 0.3
    if breach and all(r in ("Good", "Outstanding") for r in ratings.values()):
        ratings["Safe"] = "Requires improvement"  # the breach (of safe care) caps its key question
    overall = rng.choice(allowed_overall(list(ratings.values())))
    hospital = rng.random() < 0.25  # a hospital, which rates its core services in a grid
    if hospital:
        home["name"] = home["name"].split()[0] + " Hospital"
    subject = "this hospital" if hospital else "this service"
    ask = "Are services at this hospital {}?" if hospital else "Is the service {}?"
    rows: list[list[Any]] = []
    if hospital:
        rows = [[service, [*cells, rng.choice(allowed_overall(cells))]]
                for service in rng.sample(_frameworks()["core_services"], rng.randint(2, 5))
                for cells in [[rng.choice(_RATINGS) for _ in questions]]]
    # Half the hospitals as a Quality Report of 2014-2016: the publication date in figures, and a
    # cover that lists each core service's overall rating instead of the key questions.
    cover = hospital and rng.random() < 0.5
    lines = [home["provider"], home["name"], "Quality Report" if cover else "Inspection report", home["street"],
             home["locality"], home["town"], home["county"], home["postcode"],
             f"Date of inspection visit: {printed_date(visit)}",
             f"Date of publication: {published:%d/%m/%Y}" if cover else f"Date of publication: {printed_date(published)}",
             "", "Ratings"]
    if cover:
        lines += [f"Overall rating for {subject}", overall, *(x for name, cells in rows for x in (name, cells[-1]))]
    else:
        lines += [f"Overall rating for {subject}   {overall}",
                  *(f"{ask.format(word)}   {ratings[kq]}" for kq, word in questions.items())]
    lines += ["", "Overall summary", *_prose(rng, 2)]
    # Half the pages say what the ratings were before (their own generator, so that the rest of
    # the page is what it was without them).
    before_rng = random.Random(f"cqc-synth:inspection-before:{seed}:{index}")
    last: list[str] = []
    if before_rng.random() < 0.5:
        last = [before_rng.choice(_RATINGS), (visit - dt.timedelta(days=before_rng.randint(300, 900))).isoformat()]
        lines.append(f"The last rating for this service was {last[0].lower()} "
                     f"(published {printed_date(dt.date.fromisoformat(last[1]))}).")
    previous = {kq: before_rng.choice(_RATINGS) for kq in questions if before_rng.random() < 0.5}
    grid: list[list[Any]] = []
    if hospital:
        grid = [*rows, ["Overall", [*ratings.values(), overall]]]
        lines += ["", *_grid(rng, f"Our ratings for {subject}", [*questions, "Overall"], grid),
                  "*Overall ratings for this hospital are from combining ratings for services."]
    lines += ["", "Detailed findings"]
    for kq, word in questions.items():
        lines += [f"Is the service {word}?", "Our findings"]
        if kq in previous:
            lines.append(f"At the last inspection this key question was rated as {previous[kq].lower()}. At this "
                         f"inspection this key question has {_moved(previous[kq], ratings[kq])}.")
        lines += _prose(rng, rng.randint(2, 3))
    sections = []
    for service, cells in grid[:-1]:  # a hospital's findings for each core service it rates
        lines.append(service)
        for (kq, word), rating in zip(questions.items(), cells):
            lines += [f"Are services {word}?", rating, *_prose(rng, 1)]
            sections.append([service, kq, rating])
    if breach:
        lines += ["", "Action we have told the provider to take", "Regulated activity", "Regulation",
                  "Accommodation for persons who require nursing or personal care",
                  "Regulation 12 HSCA RA Regulations 2014 Safe care and treatment"]
    truth = {"family": "inspection", "location_name": home["name"], "provider": home["provider"],
             "postcode": home["postcode"], "overall_rating": overall, "ratings": ratings,
             "visit_dates": [visit.isoformat()], "publication_date": published.isoformat(),
             "breaches": ["12"] if breach else []}
    if last:
        truth["last_rating"] = last
    if previous:
        truth["previous"] = {kq: [before, rating_change(ratings[kq], before)] for kq, before in previous.items()}
    if grid:
        truth.update(grid=grid, sections=sections)
    if cover:
        truth.update(cover=[[name, cells[-1]] for name, cells in rows])
    return SynthPage(index, home["name"], f"synth:inspection:{seed}:{index}", "\n".join(lines) + "\n", None, truth)


def _moved(before: str, now: str) -> str:
    """How a key question's section says its rating moved from ``before`` to ``now``."""
    change = rating_change(now, before)
    if change == "stayed the same":
        return "remained the same"
    return f"{'improved' if change == 'improved' else 'deteriorated'} to {now.lower()}"


def _dental(seed: int, index: int, rng: random.Random) -> SynthPage:
    """A dental practice's report of 2015-2022: no ratings; each key question asked has its finding
    and the action taken, on the question's line or the next; a focused inspection asks only some."""
    home = _home(rng)
    home["name"] = f"{home['name'].split()[0]} {rng.choice(['Dental Practice', 'Dental Care', 'Dental Surgery'])}"
    visit = dt.date(2015, 6, 1) + dt.timedelta(days=rng.randint(0, 2400))
    published = visit + dt.timedelta(days=rng.randint(30, 90))
    questions = _frameworks()["questions"]
    asked = list(questions) if rng.random() < 0.8 else sorted(rng.sample(list(questions), rng.randint(1, 2)),
                                                               key=list(questions).index)
    actions = {kq: rng.choice(_ACTIONS) for kq in asked}
    met, not_met = tx.non_rated_judgements()
    judged = {kq: met if action == "No action" else not_met for kq, action in actions.items()}

    def finding(kq: str) -> str:
        how = "providing" if judged[kq] == met else "not providing"
        return f"We found that this practice was {how} {questions[kq]} care in accordance with the relevant regulations."

    lines = [home["provider"], home["name"], "Inspection Report", home["street"], home["locality"], home["town"],
             home["postcode"], f"Date of inspection visit: {printed_date(visit)}",
             f"Date of publication: {published:%d/%m/%Y}", "", "Overall summary", *_prose(rng, 1), "",
             "Our findings were:"]
    for kq in asked:
        lines += [f"Are services {questions[kq]}?", finding(kq)]
    lines += ["", "Background", *_prose(rng, 1), "", "Summary of findings", "",
              "The five questions we ask about services and what we found"]
    for kq in asked:
        question, action = f"Are services {questions[kq]}?", actions[kq]
        lines += [question, action] if rng.random() < 0.3 else [f"{question}  {action}"]
        lines += [finding(kq), *_prose(rng, 1)]
    for kq in asked:
        lines += [f"Are services {questions[kq]}?", "Our findings", *_prose(rng, rng.randint(1, 2))]
    breach = any(a != "No action" for a in actions.values())
    if breach:
        lines += ["", "Action we have told the provider to take", "Requirement notices", "Regulated activity",
                  "Regulation", "Treatment of disease, disorder or injury",
                  "Regulation 17 HSCA (RA) Regulations 2014 Good governance"]
    truth = {"family": "inspection", "location_name": home["name"], "provider": home["provider"],
             "postcode": home["postcode"], "overall_rating": None, "ratings": judged, "actions": actions,
             "visit_dates": [visit.isoformat()], "publication_date": published.isoformat(),
             "breaches": ["17"] if breach else []}
    return SynthPage(index, home["name"], f"synth:inspection:{seed}:{index}", "\n".join(lines) + "\n", None, truth)


def _grid(rng: random.Random, title: str, columns: list[str], rows: list[list[Any]]) -> list[str]:
    """A rating grid's lines, as a PDF text extract gives them: a row a line, or (one page in two)
    a cell a line, with "Requires improvement" broken and trend arrows after some ratings."""
    if rng.random() < 0.5:
        return [title, f"{title} are:", "   ".join(columns),
                *("   ".join([name if name != "Overall" else "Overall*", *cells]) for name, cells in rows)]
    lines = [title, *columns]
    for name, cells in rows:
        lines.append(name if name != "Overall" else "Overall*")
        for cell in cells:
            lines += cell.split(" ", 1) if cell == "Requires improvement" else [cell]
            lines += [rng.choice(["→←", "↑", "↓"])] if rng.random() < 0.3 else []
    return lines


def _local_authority(seed: int, index: int, rng: random.Random) -> SynthPage:
    council = f"{rng.choice(vocabulary()['name_words'])} {rng.choice(['County Council', 'Borough Council', 'City Council'])}"
    statements = _frameworks()["la_statements"]
    meanings = _frameworks()["meanings"]
    chosen = statements if rng.random() < 0.5 else rng.sample(statements, k=rng.randint(1, 4))
    chosen = sorted(chosen, key=lambda s: int(s[0][2:]))
    scores = {sid: rng.choices([1, 2, 3, 4], weights=[1, 4, 6, 1])[0] for sid, _ in chosen}
    lines: list[str] = []
    for sid, name in chosen:
        lines += [f"{council}: local authority assessment", name, f"Score: {scores[sid]}",
                  f"{scores[sid]} - {meanings[scores[sid]]}", "What people expect",
                  "I can get information and advice about my care when I need it.",
                  "The local authority commitment", "We work with people to plan their care and support.",
                  "Key findings for this quality statement", *_prose(rng, rng.randint(2, 4))]
    truth: dict[str, Any] = {"family": "la", "location_name": council}
    if rng.random() < 0.3:  # the overview page first, listing all nine (the pages' scores among them)
        listed = {sid: scores.get(sid) or rng.choices([1, 2, 3, 4], weights=[1, 4, 6, 1])[0] for sid, _ in statements}
        printed = round(100 * sum(listed.values()) / 36)
        rating = tx.band_of(printed)
        overview = [f"{council}: local authority assessment", "Local authority rating and score", council,
                    str(rating), f"{council} scored {printed} out of 100 overall", "Quality statement scores"]
        for sid, name in statements:
            overview += [f"\u2022 {name}", f"Score: {listed[sid]}", f"{listed[sid]} - {meanings[listed[sid]]}"]
        overview += ["Summary findings", "Overall summary", *_prose(rng, 2)]
        lines = overview + lines
        scores = {sid: listed[sid] for sid, _ in statements}
        truth.update(overall_rating=rating, printed=printed)
    total = sum(scores.values())
    truth.update(scores=scores, sum=total, max=4 * len(scores), complete=len(scores) == 9,
                 band=tx.band_of(round(100 * total / (4 * len(scores)))) if len(scores) == 9 else None)
    return SynthPage(index, council, f"synth:la:{seed}:{index}", "\n".join(lines) + "\n", None, truth)


def _essential(seed: int, index: int, rng: random.Random) -> SynthPage:
    home = _home(rng)
    inspected = dt.date(2011, 1, 10) + dt.timedelta(days=rng.randint(0, 1250))
    published = inspected + dt.timedelta(days=rng.randint(20, 60))
    standards = sorted(rng.sample(_frameworks()["standards"], k=rng.randint(4, 6)))
    regulation = _frameworks()["regulations"]
    judged = {n: "Action needed" if rng.random() < 0.25 else "Met this standard" for n, _ in standards}
    address = f"{home['street']}, {home['locality']}, {home['town']}, {home['postcode']}"
    failed = [n for n, _ in standards if judged[n] == "Action needed"]
    truth: dict[str, Any] = {"family": "essential", "location_name": home["name"], "provider": home["provider"],
                             "postcode": home["postcode"], "visit_dates": [inspected.isoformat()],
                             "standards": [(n, judged[n]) for n, _ in standards],
                             "breaches": [str(regulation[n]) for n in failed]}
    if rng.random() < 0.3:
        lines = _review(rng, home, address, inspected, published, standards, judged)
        truth["publication_date"] = published.strftime("%Y-%m")
        return SynthPage(index, home["name"], f"synth:essential:{seed}:{index}", "\n".join(lines) + "\n", None,
                         truth)
    lines = ["Inspection Report", "We are the regulator: Our job is to check whether hospitals, care homes and "
             "care services are meeting essential standards.", home["name"], address,
             f"Date of Inspection: {printed_date(inspected)}    Date of Publication: {printed_date(published)}",
             "We inspected the following standards as part of a routine inspection. This is what we found:"]
    lines += [f"{name}    {judged[n]}" for n, name in standards]
    lines += ["Details about this location", f"Registered Provider    {home['provider']}",
              "Summary of this inspection", *_prose(rng, 2), "Our judgements for each standard inspected"]
    for n, name in standards:
        lines += [f"{name}    {judged[n]}"]
        if judged[n] == "Action needed":
            lines.append("People were not fully protected. We have judged that this has a minor impact on "
                         "people who use the service, and have told the provider to take action.")
        lines += ["Reasons for our judgement", *_prose(rng, 2)]
    if failed:
        lines += ["Action we have told the provider to take", "Compliance actions"]
        lines += [f"Regulation {regulation[n]} HSCA 2008 (Regulated Activities) Regulations 2010" for n in failed]
    truth["publication_date"] = published.isoformat()
    return SynthPage(index, home["name"], f"synth:essential:{seed}:{index}", "\n".join(lines) + "\n", None, truth)


def _review(rng: random.Random, home: dict[str, str], address: str, visited: dt.date, published: dt.date,
            standards: list[tuple[int, str]], judged: dict[int, str]) -> list[str]:
    """The 2010-2011 "Review of compliance" layout of an essential standards report."""
    regulation = _frameworks()["regulations"]
    met = {n: judged[n] == "Met this standard" for n, _ in standards}
    lines = ["Review of compliance", home["provider"], home["name"], "Region: North West",
             f"Location address: {address}", "Type of service: Care home service without nursing",
             f"Date of Publication: {published.strftime('%B %Y')}", "Our current overall judgement",
             f"{home['name']} was {'meeting all' if all(met.values()) else 'not meeting one or more'} of the essential "
             "standards inspected.", "How we carried out this review",
             f"We reviewed the information we hold and carried out a visit on {printed_date(visited)}.",
             "What people told us", *_prose(rng, 1),
             f"What we found about the standards we reviewed and how well {home['name']} was meeting them"]
    for n, _ in standards:
        lines += [f"Outcome {n}: People should get the care and support this standard describes",
                  "Overall, we found that " + (f"{home['name']} was meeting this essential standard." if met[n] else
                                               "improvements are needed for this essential standard.")]
    if not all(met.values()):
        lines += ["Action we have asked the provider to take", "Compliance actions"]
        for n, name in standards:
            if not met[n]:
                lines += [f"Regulation {regulation[n]} HSCA 2008 (Regulated Activities) Regulations 2010",
                          f"Outcome {n:02d}: {name}", "Why we have concerns:", *_prose(rng, 1)]
    for n, name in standards:
        judgement = (f"The provider is compliant with Outcome {n:02d}: {name}" if met[n] else
                     f"There are minor concerns with Outcome {n:02d}: {name}")
        lines += [f"Outcome {n:02d}: {name}", "What the outcome says",
                  "This is what people who use services should expect.", "What we found", "Our judgement",
                  judgement, "Our findings", *_prose(rng, 2)]
    return lines


def _star_rated(seed: int, index: int, rng: random.Random) -> SynthPage:
    home = _home(rng)
    stars = rng.choices([0, 1, 2, 3], weights=[1, 3, 6, 2])[0]
    day = dt.date(2009, 4, 1) + dt.timedelta(days=rng.randint(0, 600))
    spaced = " ".join(day.strftime("%d%m%Y"))
    address = f"{home['street']} {home['town']} {home['county']} {home['postcode']}"
    lines = ["Key inspection report", "Care homes for older people",
             f"Name: Address: {home['name']} {address} {_STAR_WORDS[stars]} star {_STAR_QUALITY[stars]} service "
             f"The quality rating for this care home is: Lead inspector: Ann Example Date: {spaced}",
             "Information about the care home", f"Name of care home    {home['name']}", f"Address    {address}",
             f"Name of registered provider(s)/company (if applicable)    {home['provider']}",
             "What the care home does well", *_prose(rng, 2), "What they could do better:", *_prose(rng, 1)]
    truth = {"family": "star", "location_name": home["name"], "provider": home["provider"],
             "postcode": home["postcode"], "stars": stars, "quality": _STAR_QUALITY[stars],
             "visit_dates": [day.isoformat()]}
    return SynthPage(index, home["name"], f"synth:star:{seed}:{index}", "\n".join(lines) + "\n", None, truth)


_ENTRY_KINDS = ["During a routine inspection", "During an inspection looking at part of the service",
                "During a responsive inspection"]


def _location(seed: int, index: int, rng: random.Random) -> SynthPage:
    """A location's page of the rating era: its web summary, its list of all inspections, or both."""
    home = _home(rng)
    ratings = {kq: rng.choice(_RATINGS) for kq in _frameworks()["questions"]}
    overall = rng.choice(allowed_overall(list(ratings.values())))
    newest = dt.date(2016, 1, 4) + dt.timedelta(days=rng.randint(0, 2500))
    shape = rng.choice(["summary", "history", "both"])
    lines = ["• Care Home", "  • Care home", home["name"], f"Overall: {overall} read more about inspection ratings",
             f"{home['street']}, {home['locality']}, {home['town']}, {home['county']}, {home['postcode']}",
             "Provided and run by:", home["provider"]]
    truth: dict[str, Any] = {"family": "location", "location_name": home["name"], "provider": home["provider"],
                             "postcode": home["postcode"], "overall_rating": overall}
    if shape in ("summary", "both"):
        updated = newest + dt.timedelta(days=rng.randint(20, 90))
        lines += ["Latest inspection summary", "Overall inspection", overall, f"Updated {printed_date(updated)}",
                  *_prose(rng, 2)]
        for kq, rating in ratings.items():
            lines += [kq, rating, *_prose(rng, 1)]
        truth.update(ratings=ratings, updated=updated.isoformat())
    if shape in ("history", "both"):
        lines.append("All inspections")
        entries: list[tuple[str | None, str | None, str]] = []
        if rng.random() < 0.3:  # an assessment under the new approach: no date
            entries.append((None, None, "During an assessment under our new approach"))
            lines += [entries[-1][2], *_prose(rng, 1)]
        day = newest
        dated = rng.randint(1, 3)
        # Each inspection's rating, newest first (the newest is the page's); an entry may state
        # it and how it moved since the one before (2017 onward: "Our rating of this service
        # improved. We rated it as good because:").
        rated = [overall, *(rng.choice(_RATINGS) for _ in range(dated))]
        stated: list[list[Any]] = [[] for _ in entries]
        for n in range(dated):
            kind = rng.choice(_ENTRY_KINDS)
            last = day + dt.timedelta(days=rng.randint(1, 2)) if rng.random() < 0.3 else None
            if last is not None and last.month == day.month:
                printed = f"{day.day} to {printed_date(last)}"
            else:
                printed, last = printed_date(day), None
            entries.append((day.isoformat(), last.isoformat() if last else None, kind))
            lines += [printed, kind, *_prose(rng, 1)]
            facts, said = _statements(rng, rated[n], rated[n + 1]) if rng.random() < 0.6 else ([], [])
            stated.append(facts)
            lines += said
            day -= dt.timedelta(days=rng.randint(200, 900))
        truth["history"] = entries
        truth["history_statements"] = stated
    return SynthPage(index, home["name"], f"synth:location:{seed}:{index}", "\n".join(lines) + "\n", None, truth)


def _statements(rng: random.Random, rating: str, before: str) -> tuple[list[list[Any]], list[str]]:
    """An entry's rating statements as ``[key question, rating, change]`` (key question None: the
    service overall), and as printed lines."""
    change = rating_change(rating, before)
    kqs = rng.sample(list(_frameworks()["questions"]), rng.randint(0, 5))
    by_rating: dict[str, list[str]] = {}
    for kq in kqs:
        by_rating.setdefault(rng.choice(_RATINGS), []).append(kq)
    groups = list(by_rating.items())
    lines = [f"Our rating of this service {change}. We rated it as {rating.lower()} because:"]
    if groups:
        said = ", ".join(f"{' and '.join(n.lower() for n in names)} as {r.lower()}" for r, names in groups)
        lines.append(f"• We rated {said}.")
    lines.append(f"• {paragraph(rng, {'service': 'The service'}, 1)}")
    facts = [[None, rating, change], *([kq, r, None] for r, names in groups for kq in names)]
    return facts, lines


# Checklist rows of an evidence table: (key question, topic or None, statement).
_CHECKS = [
    ("Safe", "Safeguarding", "There was a lead member of staff for safeguarding processes and procedures."),
    ("Safe", "Safeguarding", "Safeguarding systems, processes and practices were developed, implemented and "
                             "communicated to staff."),
    ("Safe", "Recruitment systems", "Recruitment checks were carried out in accordance with regulations, including "
                                    "for agency staff and locums."),
    ("Safe", "Infection prevention and control", "Staff had received effective training on infection prevention "
                                                 "and control."),
    ("Effective", None, "Patients' immediate and ongoing needs were fully assessed."),
    ("Effective", None, "Clinicians followed up patients whose symptoms could indicate serious illness."),
    ("Responsive", None, "The facilities and premises were appropriate for the services being delivered."),
    ("Well-led", "Governance arrangements", "There were governance structures and systems which were regularly "
                                            "reviewed."),
    ("Well-led", "Governance arrangements", "Staff were clear about their roles and responsibilities."),
]
_ANSWERS = {"Yes": "Yes", "No": "No", "Partial": "Partial", "N/A": "Not applicable"}


def _evidence_table(seed: int, index: int, rng: random.Random) -> SynthPage:
    """A GP practice's inspection evidence table: the cells side by side (the rating after the key
    question, the answer at a row's end) or each on its own line."""
    data = vocabulary()
    name = f"{rng.choice(data['name_words'])} {rng.choice(['Surgery', 'Medical Centre', 'Health Centre', 'Practice'])}"
    location_id = f"1-{rng.randint(100_000_000, 9_999_999_999)}"
    visited = dt.date(2019, 3, 1) + dt.timedelta(days=rng.randint(0, 1400))
    download = visited - dt.timedelta(days=rng.randint(5, 20))
    ratings = {kq: rng.choice(_RATINGS) for kq in _frameworks()["questions"]}
    overall = rng.choice(allowed_overall(list(ratings.values())))
    side = rng.random() < 0.5

    def pair(left: str, right: str, width: int = 64) -> list[str]:
        return [f"{left + '   ':<{width}}{right}"] if side else [x for x in (left, right) if x]

    lines = ["Care Quality Commission", "Inspection Evidence Table", f"{name} ({location_id})",
             f"Inspection date: {printed_date(visited)}", f"Date of data download: {printed_date(download)}",
             f"Overall rating: {overall}", *_prose(rng, 1)]
    groups: list[list[str]] = []
    checklist: list[list[Any]] = []
    for kq, rating in ratings.items():
        lines += pair(kq, f"Rating: {rating}")
        lines += _prose(rng, 1)
        if kq == "Effective":
            for group in rng.sample(list(tx.load_yaml("inspection.yaml")["population_groups"]), rng.randint(0, 2)):
                group_rating = rng.choice(_RATINGS)
                lines += pair(group, f"Population group rating: {group_rating}", 70)
                lines += ["Findings", f"• {paragraph(rng, {'service': 'The practice'}, 1)}"]
                groups.append([group, group_rating])
        rows = [row for row in _CHECKS if row[0] == kq and rng.random() < 0.7]
        topic: str | None = "-"
        for _, row_topic, statement in rows:
            if row_topic != topic:
                lines += pair(row_topic or "", "Y/N/Partial", 92)
                topic = row_topic
            printed = rng.choice(list(_ANSWERS))
            lines += pair(statement, printed, 92) if len(statement) < 90 or not side else \
                [f"{statement[:statement.rindex(' ', 0, 88)]:<92}{printed}", statement[statement.rindex(' ', 0, 88) + 1:]]
            checklist.append([kq, row_topic, statement, _ANSWERS[printed]])
        if rows:
            lines += ["Explanation of any answers and additional evidence:", *_prose(rng, 1)]
    truth = {"family": "evidence", "location_name": name, "location_id": location_id,
             "visit_dates": [visited.isoformat()], "data_download": download.isoformat(), "overall_rating": overall,
             "ratings": ratings, "groups": groups, "checklist": checklist}
    return SynthPage(index, name, f"synth:evidence:{seed}:{index}", "\n".join(lines) + "\n", None, truth)


FAMILIES: dict[str, Callable[[int, int, random.Random], SynthPage]] = {
    "inspection": _inspection, "la": _local_authority, "essential": _essential, "star": _star_rated,
    "location": _location, "evidence": _evidence_table,
}


def family_page(family: str, seed: int, index: int) -> SynthPage:
    """Page ``index`` of the series ``seed`` of a family of :data:`FAMILIES`."""
    return FAMILIES[family](seed, index, random.Random(f"cqc-synth:{family}:{seed}:{index}"))
