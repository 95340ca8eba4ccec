"""Rating grids of rating-era hospital reports: each core service's ratings, in both text layouts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import batch_to_sqlite

from extractor.pipeline import ExtractOptions, extract_bytes

RI, G, O, I = "Requires improvement", "Good", "Outstanding", "Inadequate"

COVER = """\
Eastmoor Hospitals NHS Foundation Trust
Northgate General Hospital
Inspection report
Crag Road, Sheffield, South Yorkshire, S6 2LA
Tel: 0114 496 0123
Date of inspection visit: 5 to 7 March 2019
Date of publication: 12 June 2019

Ratings
Overall rating for this hospital   {overall}
Are services at this hospital safe?   Requires improvement
Are services at this hospital effective?   Good
Are services at this hospital caring?   Good
Are services at this hospital responsive?   Requires improvement
Are services at this hospital well-led?   Good

Overall summary
Northgate General Hospital is the trust's main acute hospital, with about 600 beds and an emergency department open day and night.

"""

ONE_LINE = """\
Our ratings for this hospital
Our ratings for this hospital are:
Safe   Effective   Caring   Responsive   Well-led   Overall
Urgent and emergency services   Requires improvement   Good   Good   Requires improvement   Good   Requires improvement
Medical care (including older people's care)   Good   Good   Good   Good   Good   Good
Outpatients   Good   Not rated   Good   Good   Good   Good
Overall*   Requires improvement   Good   Good   Requires improvement   Good   {overall}
*Overall ratings for this hospital are from combining ratings for services. Our decisions on overall ratings take into account the relative size of services. We use our professional judgement to reach fair and balanced ratings.

"""

FINDINGS = """\
Urgent and emergency services
Requires improvement
Are services safe?
Requires improvement
The department was often crowded and patients waited too long to be seen by a doctor.
Medical care (including older people's care)
Are services safe?
Good
Wards had enough nurses on the days we visited, and staff told us they felt supported.
Outpatients
Are services safe?
Good
Clinics started on time and patients told us they were kept informed about delays.
"""

# The same grid as pdftotext gives it without -layout: every heading and cell on its own line,
# "Requires improvement" broken, a wrapped service name, trend arrows and months in the cells.
ONE_CELL_A_LINE = """\
Ratings for Northgate General Hospital
Safe
Effective
Caring
Responsive
Well-led
Overall
Urgent and emergency
services
Requires
improvement
Jan 2019
Good
→←
Jan 2019
Good
Requires improvement
↓
Good
Requires
improvement
Medical care (including older
people's care)
Good
Good
Good
↑
Good
Good
Good
Outpatients
Good
Not rated
Good
Good
Good
Good
Overall*
Requires
improvement
Good
Good
Requires
improvement
Good
{overall}
*Overall ratings for this hospital are from combining ratings for services. Our decisions on overall
ratings take into account the relative size of services.

"""

ROWS = [
    ("Urgent and emergency services", "Urgent and emergency care", [RI, G, G, RI, G, RI]),
    ("Medical care (including older people's care)", "Medical care", [G, G, G, G, G, G]),
    ("Outpatients", "Outpatients", [G, "Not rated", G, G, G, G]),
    ("Overall", None, [RI, G, G, RI, G, RI]),
]
COLUMNS = ["Safe", "Effective", "Caring", "Responsive", "Well-led", "Overall"]


def parse(text: str):
    return extract_bytes(text.encode(), source_id="northgate.txt", options=ExtractOptions(nlp=False))


def rows(record) -> list[tuple[str, str | None, list[str]]]:
    return [(row.service.value, row.core_service, [row.ratings[c].value for c in COLUMNS])
            for grid in record.inspection.rating_grids for row in grid.rows]


def codes(record) -> list[str]:
    return sorted(w.code for w in record.warnings)


def prose(record) -> str:
    return "\n".join(p.span.text for p in [*record.inspection.summary, *(p for k in record.key_questions
                                                                         for p in k.summary)])


@pytest.mark.parametrize("grid, title", [(ONE_LINE, "Our ratings for this hospital"),
                                         (ONE_CELL_A_LINE, "Ratings for Northgate General Hospital")],
                         ids=["row-a-line", "cell-a-line"])
def test_both_layouts_give_every_row_and_cell(grid: str, title: str) -> None:
    r = parse(COVER.format(overall=RI) + grid.format(overall=RI) + FINDINGS)
    assert rows(r) == ROWS
    [g] = r.inspection.rating_grids
    assert g.title.value == title and g.title.span.text == title
    assert codes(r) == []
    # Every value points at its place: a cell at its rating word, a row's name as printed.
    for row in g.rows:
        assert " ".join(row.service.span.text.split()).rstrip("*") == row.service.value
        for cell in row.ratings.values():
            assert " ".join(cell.span.text.split()).lower() == cell.value.lower()
    assert g.span.text.startswith(title) and g.span.text.rstrip().endswith("services.") == (grid is ONE_CELL_A_LINE)
    # The grid's lines are not prose, and the location's ratings are still the ratings block's.
    assert "Not rated" not in prose(r) and "Overall ratings for this hospital" not in prose(r)
    assert "emergency department open day and night" in prose(r)
    assert "The department was often crowded" in prose(r)
    assert [k.rating.value for k in r.key_questions] == [RI, G, G, RI, G]
    assert r.location.overall_rating.value == RI


def test_the_overall_row_is_checked_against_the_ratings_block() -> None:
    r = parse(COVER.format(overall=RI) + ONE_LINE.format(overall=G) + FINDINGS)
    assert codes(r) == ["grid_rating_mismatch"]
    [w] = r.warnings
    assert w.message == "Overall: the ratings block says 'Requires improvement', the rating grid's overall row says 'Good'"
    assert w.span.text == "Good" and r.location.overall_rating.value == RI  # flagged, never changed


@pytest.mark.parametrize("cells, flagged", [
    ([RI, RI, RI, G, G, G], True),  # three requires improvement normally give requires improvement
    ([RI, G, G, G, G, G], False),
    ([I, I, G, G, G, RI], True),  # two inadequate normally give inadequate
    ([O, O, G, G, G, O], False),
    ([O, G, G, G, G, O], True),  # outstanding needs two outstanding
    ([G, "Not rated", G, RI, G, O], False),  # a cell not rated: nothing to check
])
def test_each_core_service_is_held_to_the_ratings_principles(cells: list[str], flagged: bool) -> None:
    row = "Surgery   " + "   ".join(cells) + "\n"
    grid = ONE_LINE.format(overall=RI).replace("Outpatients   ", row + "Outpatients   ")
    r = parse(COVER.format(overall=RI) + grid + FINDINGS)
    assert ("Surgery", "Surgery", cells) in rows(r)
    assert codes(r) == (["rating_consistency"] if flagged else [])
    if flagged:
        assert r.warnings[0].message.startswith(f"rating grid: Surgery: overall rating {cells[-1]!r}: ")
        assert r.warnings[0].span.text == cells[-1]


def test_a_row_short_of_ratings_is_flagged_and_left_out() -> None:
    grid = ONE_LINE.format(overall=RI).replace(
        "Medical care (including older people's care)   Good   Good   Good   Good   Good   Good",
        "Medical care (including older people's care)   Good   Good   Good")
    r = parse(COVER.format(overall=RI) + grid + FINDINGS)
    assert [s for s, _, _ in rows(r)] == ["Urgent and emergency services", "Outpatients", "Overall"]
    assert codes(r) == ["grid_row_incomplete"]
    assert "Medical care (including older people's care)" in r.warnings[0].message


def test_a_heading_and_its_rating_after_the_grid_are_not_a_row() -> None:
    # FINDINGS opens with a section's heading and rating ("Urgent and emergency services" /
    # "Requires improvement"): right after a grid printed without its note, they are no row.
    for grid in (ONE_LINE, ONE_CELL_A_LINE):
        r = parse(COVER.format(overall=RI) + grid.format(overall=RI).split("*Overall ratings")[0] + FINDINGS)
        assert len(rows(r)) == 4 and codes(r) == []
        assert "The department was often crowded" in prose(r)


def test_a_trust_report_compares_only_the_locations_grid() -> None:
    other = (ONE_LINE.format(overall=G).replace("Our ratings for this hospital are:", "Ratings for Westfield Hospital")
             .replace("Our ratings for this hospital\n", ""))
    r = parse(COVER.format(overall=RI) + ONE_LINE.format(overall=RI) + other + FINDINGS)
    assert [g.title.value for g in r.inspection.rating_grids] == ["Our ratings for this hospital",
                                                                 "Ratings for Westfield Hospital"]
    assert len(rows(r)) == 8 and codes(r) == []  # Westfield's overall row is its own


def test_a_header_without_rows_is_not_a_grid() -> None:
    text = COVER.format(overall=RI) + "Safe   Effective   Caring   Responsive   Well-led   Overall\n\n" + FINDINGS
    r = parse(text)
    assert r.inspection.rating_grids == [] and codes(r) == []


def test_the_grid_exports_one_row_per_cell(tmp_path: Path) -> None:
    text = COVER.format(overall=RI) + ONE_CELL_A_LINE.format(overall=RI) + FINDINGS
    _, db = batch_to_sqlite({"northgate.txt": text}, tmp_path)
    with sqlite3.connect(db) as conn:
        got = conn.execute("SELECT grid_title, service, core_service, key_question, rating FROM grid_ratings "
                           "WHERE key_question IN ('Safe', 'Overall') ORDER BY row_no, key_question").fetchall()
        total = conn.execute("SELECT count(*) FROM grid_ratings").fetchone()[0]
    title = "Ratings for Northgate General Hospital"
    assert total == 24
    assert got[:2] == [(title, "Urgent and emergency services", "Urgent and emergency care", "Overall", RI),
                       (title, "Urgent and emergency services", "Urgent and emergency care", "Safe", RI)]
    assert got[-2:] == [(title, "Overall", None, "Overall", RI), (title, "Overall", None, "Safe", RI)]


def test_a_grid_saved_as_an_html_table_gives_the_same_rows() -> None:
    def tr(cells: list[str], head: str = "td") -> str:
        return "<tr>" + "".join(f"<{head}>{c}</{head}>" for c in cells) + "</tr>"

    cover = "".join(f"<p>{line}</p>" for line in COVER.format(overall=RI).splitlines() if line.strip())
    table = ("<h2>Our ratings for this hospital</h2><table><thead>" + tr(["", *COLUMNS], "th") + "</thead><tbody>"
             + "".join(tr([service if service != "Overall" else "Overall*", *cells]) for service, _, cells in ROWS)
             + "</tbody></table><p>*Overall ratings for this hospital are from combining ratings for services.</p>")
    findings = "".join(f"<p>{line}</p>" for line in FINDINGS.splitlines())
    page = f"<html><body><main>{cover}{table}{findings}</main></body></html>"
    r = extract_bytes(page.encode(), source_id="northgate.html", options=ExtractOptions(nlp=False))
    assert rows(r) == ROWS and codes(r) == []
    assert r.inspection.rating_grids[0].title.value == "Our ratings for this hospital"
    assert "Not rated" not in prose(r) and "The department was often crowded" in prose(r)


@pytest.mark.parametrize("printed, canonical", [
    ("Community mental health services for people with a learning disability or autism",
     "Community mental health services for people with a learning disability or autism"),
    ("Acute wards for adults of working age and psychiatric intensive care units",
     "Acute wards for adults of working age"),
    ("Community-based mental health services for older people", "Community-based mental health services for older people"),
    ("Maternity and gynaecology", "Maternity and gynaecology"),
    ("Sexual health clinic", None),  # not a core service the vocabulary knows: kept as printed
])
def test_core_services_of_every_kind_of_hospital_are_named(printed: str, canonical: str | None) -> None:
    for grid in (ONE_LINE, ONE_CELL_A_LINE):
        row = (printed + "   " + "   ".join([G] * 6) + "\n" if grid is ONE_LINE
               else printed.replace(" with ", "\nwith ") + "\n" + "\n".join([G] * 6) + "\n")
        text = grid.format(overall=RI).replace("Outpatients\n" if grid is ONE_CELL_A_LINE else "Outpatients   ",
                                               row + ("Outpatients\n" if grid is ONE_CELL_A_LINE else "Outpatients   "))
        r = parse(COVER.format(overall=RI) + text + FINDINGS)
        assert (printed, canonical, [G] * 6) in rows(r) and len(rows(r)) == 5 and codes(r) == []


def test_the_review_page_marks_every_cell_by_its_column() -> None:
    from extractor.view import collect_marks

    text = COVER.format(overall=RI) + ONE_CELL_A_LINE.format(overall=RI) + FINDINGS
    cells = [m for m in collect_marks(parse(text)) if m.label.startswith("rating (")]
    assert len(cells) == 24 and {m.kind for m in cells} == {"score"}
    assert [m.label for m in cells[:6]] == [f"rating ({c})" for c in COLUMNS]
    assert {" ".join(text[m.start:m.end].split()) for m in cells} == {RI, G, "Not rated"}


def sections(record) -> list[tuple[str, str | None, str, str | None]]:
    return [(s.service.value, s.core_service, s.key_question, s.rating.value if s.rating else None)
            for s in record.inspection.service_sections]


def test_each_core_services_sections_are_known_and_checked_against_its_row() -> None:
    r = parse(COVER.format(overall=RI) + ONE_LINE.format(overall=RI) + FINDINGS)
    assert sections(r) == [("Urgent and emergency services", "Urgent and emergency care", "Safe", RI),
                           ("Medical care (including older people's care)", "Medical care", "Safe", G),
                           ("Outpatients", "Outpatients", "Safe", G)]
    # The findings stay the key question's, and a service's heading is not part of the one before.
    assert [p.span.text[:20] for p in r.key_questions[0].summary] == [
        "The department was o", "Wards had enough nur", "Clinics started on t"]
    assert "(including older people's care)" not in prose(r)
    spans = [s.span for s in r.inspection.service_sections]
    assert spans[1].text.startswith("Are services safe?\nGood\nWards had") and spans[1].text.endswith("supported.")
    # A section that prints another rating than its service's row is flagged.
    text = COVER.format(overall=RI) + ONE_LINE.format(overall=RI) + FINDINGS.replace("Good\nClinics", "Inadequate\nClinics")
    r = parse(text)
    assert codes(r) == ["grid_rating_mismatch"]
    assert r.warnings[0].message == "Outpatients: Safe: the rating grid says 'Good', its section says 'Inadequate'"
    assert r.warnings[0].span.text == "Inadequate"


def test_without_a_grid_a_known_core_service_heading_still_names_its_sections() -> None:
    r = parse(COVER.format(overall=RI) + FINDINGS.replace("Outpatients", "Minor injuries unit"))
    assert [s[0] for s in sections(r)] == ["Urgent and emergency services", "Medical care (including older people's care)"]
    assert r.inspection.rating_grids == [] and codes(r) == []
    # "Minor injuries unit" is no core service the vocabulary knows: its findings are no service's,
    # told by safe being asked again, and the heading is not part of the section above.
    assert r.inspection.service_sections[1].span.text.endswith("felt supported.")


def test_exported_sentences_name_their_core_service(tmp_path: Path) -> None:
    _, db = batch_to_sqlite({"northgate.txt": COVER.format(overall=RI) + ONE_LINE.format(overall=RI) + FINDINGS},
                            tmp_path)
    with sqlite3.connect(db) as conn:
        got = conn.execute("SELECT service, text FROM evidence_sentences WHERE section = 'key_question_summary' "
                           "ORDER BY sentence_no").fetchall()
        summary = conn.execute("SELECT DISTINCT service FROM evidence_sentences "
                               "WHERE section = 'inspection_summary'").fetchall()
    assert [(s, t[:14]) for s, t in got] == [("Urgent and emergency services", "The department"),
                                             ("Medical care (including older people's care)", "Wards had enou"),
                                             ("Outpatients", "Clinics starte")]
    assert summary == [(None,)]


@pytest.mark.parametrize("grid", [ONE_LINE, ONE_CELL_A_LINE], ids=["row-a-line", "cell-a-line"])
def test_a_grid_running_onto_a_new_page_repeats_its_header(grid: str) -> None:
    # The PDF extract puts the page footer, then the header row again, between two rows.
    header = ("Safe   Effective   Caring   Responsive   Well-led   Overall\n" if grid is ONE_LINE
              else "Safe\nEffective\nCaring\nResponsive\nWell-led\nOverall\n")
    footer = "Northgate General Hospital Inspection report 12 June 2019 4\n"
    text = grid.format(overall=RI).replace("Outpatients", footer + header + "Outpatients", 1)
    r = parse(COVER.format(overall=RI) + text + FINDINGS)
    assert rows(r) == ROWS and codes(r) == [] and len(r.inspection.rating_grids) == 1  # one grid, not two
    assert "Inspection report 12 June" not in prose(r)


# Older hospital reports name the service in each question, after a short table of its ratings.
NAMED = """\
Urgent and emergency services
Safe   Requires improvement
Effective   Good
Are urgent and emergency services safe?
Requires improvement
Patients waited too long for a first assessment when the department was busy.
Are urgent and emergency services effective?
{effective}
Staff followed national guidance for sepsis and head injuries.
Are services for children and young people safe?
Good
The children's ward had enough nurses trained in caring for children.
Are outpatient and diagnostic imaging services safe?
Inadequate
Radiology reports for outpatients were delayed by up to six weeks.
"""


def test_questions_that_name_their_service_give_its_sections() -> None:
    r = parse(COVER.format(overall=RI) + ONE_LINE.format(overall=RI) + NAMED.format(effective=G))
    # Under its own heading a question's service is named as the heading prints it; a question
    # naming another service gives the words it prints.
    assert sections(r) == [
        ("Urgent and emergency services", "Urgent and emergency care", "Safe", RI),
        ("Urgent and emergency services", "Urgent and emergency care", "Effective", G),
        ("children and young people", "Services for children and young people", "Safe", G),
        ("outpatient and diagnostic imaging", "Outpatients and diagnostic imaging", "Safe", I),
    ]
    assert codes(r) == []  # the sections agree with the grid where it rates the service
    assert "Are urgent and emergency services" not in prose(r) and "Radiology reports" in prose(r)
    assert [k.rating.value for k in r.key_questions] == [RI, G, G, RI, G]  # still the ratings block's
    # Matched with its row by the core service, the section's rating is checked too.
    r = parse(COVER.format(overall=RI) + ONE_LINE.format(overall=RI) + NAMED.format(effective=I))
    assert codes(r) == ["grid_rating_mismatch"]
    assert r.warnings[0].message == ("Urgent and emergency services: Effective: the rating grid says 'Good', "
                                     "its section says 'Inadequate'")


def test_a_question_naming_its_service_without_a_heading_gives_the_words_it_prints() -> None:
    r = parse(COVER.format(overall=RI) + ONE_LINE.format(overall=RI) + NAMED.format(effective=G).replace(
        "Urgent and emergency services\nSafe   Requires improvement\nEffective   Good\n", ""))
    assert sections(r)[:2] == [("urgent and emergency", "Urgent and emergency care", "Safe", RI),
                               ("urgent and emergency", "Urgent and emergency care", "Effective", G)]


def test_a_service_section_is_never_compared_with_the_location() -> None:
    # One service's sections only (each question asked once or twice): still the service's.
    named = NAMED.format(effective=I).split("Are services for children")[0]
    r = parse(COVER.format(overall=RI) + named)
    assert codes(r) == [] and len(sections(r)) == 2
    assert [k.rating.value for k in r.key_questions][:2] == [RI, G]
