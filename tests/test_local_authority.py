"""Local authority assessments: statement pages, themes, the recomputed overall score."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import batch_to_sqlite, iter_spans
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.errors import UnsupportedReportFamily
from extractor.pipeline import ExtractOptions, extract_bytes

NAMES = {
    "LA1": "Assessing needs", "LA2": "Supporting people to live healthier lives",
    "LA3": "Equity in experience and outcomes", "LA4": "Care provision, integration and continuity",
    "LA5": "Partnerships and communities", "LA6": "Safe systems, pathways and transitions",
    "LA7": "Safeguarding", "LA8": "Governance, management and sustainability",
    "LA9": "Learning, improvement and innovation",
}
MEANINGS = {1: "Evidence shows significant shortfalls", 2: "Evidence shows some shortfalls",
            3: "Evidence shows a good standard", 4: "Evidence shows an exceptional standard"}


def page(sid: str, score: int, meaning: int | None = None, council: str = "Northmoor County Council",
         findings: str = "People told us they could reach the council easily. Staff said caseloads had fallen.") -> str:
    return (f"{council}: local authority assessment\nDownloads\n{NAMES[sid]}\nScore: {score}\n"
            f"{meaning or score} - {MEANINGS.get(meaning or score, 'Evidence shows a good standard')}\n"
            "What people expect\nI have care and support that is coordinated.\n"
            "The local authority commitment\nWe work with people to understand their needs.\n"
            "Key findings for this quality statement\nArrangements for reviews\n"
            f"{findings}\n")


def parse(text: str, **options: bool):
    return extract_bytes(text.encode(), source_id="la.txt", options=ExtractOptions(**options))


def codes(record) -> list[str]:
    return sorted(w.code for w in record.warnings)


def test_one_statement_page() -> None:
    r = parse(page("LA1", 2), ner=False)
    assert r.document_kind == "la_statement_page"
    assert r.location.name.value == "Northmoor County Council"
    [theme] = r.key_questions
    assert theme.name.value == "Working with people" and theme.name.span is None
    [st] = theme.quality_statements
    assert (st.id, st.name.value, st.score.value, st.key_question) == ("LA1", "Assessing needs", 2, "Working with people")
    assert [s.id for s in theme.statements_not_present] == ["LA2", "LA3"]
    # The findings are evidence; the framework's "I" and "We" statements and sub-headings are not.
    assert [p.span.text for p in st.evidence] == [
        "People told us they could reach the council easily. Staff said caseloads had fallen."]
    assert [s.category for s in st.evidence[0].sentences] == ["People's experience", "Feedback from staff and leaders"]
    la = r.local_authority
    assert (la.statements_counted, la.sum, la.max, la.percent, la.complete, la.band) == (1, 2, 4, 50.0, False, None)
    assert codes(r) == []


@pytest.mark.parametrize("scores, percent, band", [
    ([3, 3, 2, 3, 3, 2, 3, 2, 2], 63.9, "Good"),  # 23 / 36
    ([3, 2, 2, 3, 3, 2, 3, 2, 2], 61.1, "Requires improvement"),  # 22 / 36
    ([1, 2, 1, 2, 2, 1, 2, 1, 2], 38.9, "Requires improvement"),  # 14 / 36 rounds to 39
    ([4, 4, 4, 4, 4, 3, 4, 3, 2], 88.9, "Outstanding"),  # 32 / 36
])
def test_a_whole_assessment_gets_its_overall_score_and_band(scores: list[int], percent: float, band: str) -> None:
    r = parse("".join(page(f"LA{i}", s) for i, s in enumerate(scores, 1)), nlp=False)
    assert r.document_kind == "la_assessment"
    assert [t.name.value for t in r.key_questions] == [
        "Working with people", "Providing support",
        "How the local authority ensures safety within the system", "Leadership"]
    assert [s.score.value for t in r.key_questions for s in t.quality_statements] == scores
    la = r.local_authority
    assert (la.sum, la.max, la.percent, la.complete, la.band) == (sum(scores), 36, percent, True, band)


def test_a_meaning_line_that_disagrees_keeps_the_score() -> None:
    r = parse(page("LA7", 3, meaning=2), nlp=False)
    assert r.key_questions[0].quality_statements[0].score.value == 3
    assert codes(r) == ["score_mismatch"]
    assert r.warnings[0].span.text == "2 - Evidence shows some shortfalls"


def test_a_statement_twice_is_read_once_and_flagged() -> None:
    r = parse(page("LA4", 3) + page("LA5", 2) + page("LA4", 1), nlp=False)
    [theme] = r.key_questions
    assert [(s.id, s.score.value) for s in theme.quality_statements] == [("LA4", 3), ("LA5", 2)]
    assert codes(r) == ["statement_duplicated"]
    assert r.local_authority.sum == 5


def test_a_score_outside_1_to_4_is_kept_not_counted() -> None:
    r = parse(page("LA1", 5) + page("LA2", 3), nlp=False)
    assert [s.score.value for s in r.key_questions[0].quality_statements] == [5, 3]
    assert codes(r) == ["score_out_of_range"]
    assert (r.local_authority.sum, r.local_authority.statements_counted) == (3, 1)


def test_pages_of_two_councils_are_flagged() -> None:
    r = parse(page("LA1", 2) + page("LA2", 3, council="Castleford Borough Council"), nlp=False)
    assert codes(r) == ["page_header_mismatch"]


def test_a_findings_sub_heading_named_like_a_statement_opens_nothing() -> None:
    r = parse(page("LA6", 3, findings="Safeguarding\nPartners told us transfers between teams were planned well."),
              nlp=False)
    [theme] = r.key_questions
    assert [s.id for s in theme.quality_statements] == ["LA6"]
    assert theme.quality_statements[0].evidence[0].span.text.startswith("Partners told us")


def test_a_page_without_statement_scores_or_rating_is_refused() -> None:
    with pytest.raises(UnsupportedReportFamily, match="without quality statement scores"):
        parse("Northmoor County Council: local authority assessment\nDownloads\nPeople told us a lot.\n")
    # An overview page cut short after the rating still gives the council's rating.
    r = parse("Northmoor County Council: local authority assessment\nLocal authority rating and score\nGood\n")
    assert (r.document_kind, r.location.overall_rating.value, r.key_questions) == ("la_overview_page", "Good", [])


def test_export_gives_one_row_per_statement_score_and_the_overall_columns(tmp_path: Path) -> None:
    scores = [3, 3, 2, 3, 3, 2, 3, 2, 2]
    out, db = batch_to_sqlite({"whole.txt": "".join(page(f"LA{i}", s) for i, s in enumerate(scores, 1))}, tmp_path)
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT k.key_question, q.statement_id, q.score FROM quality_statements q "
            "JOIN key_questions k USING (report_id, kq_no) ORDER BY q.kq_no, q.statement_no").fetchall()
        assert [r[1:] for r in rows] == [(f"LA{i}", s) for i, s in enumerate(scores, 1)]
        assert rows[0][0] == "Working with people"
        assert conn.execute("SELECT la_score_sum, la_score_max, la_score_percent, la_complete, la_band "
                            "FROM reports").fetchone() == (23, 36, 63.9, 1, "Good")



def test_statement_pages_saved_one_a_file_assemble_into_one_assessment(tmp_path: Path) -> None:
    scores = [3, 2, 3, 2, 3, 2, 3, 3, 2]
    for i, s in enumerate(scores, 1):  # saved in another order, one page as HTML
        name = f"p{10 - i}.txt"
        (tmp_path / name).write_text(page(f"LA{i}", s))
    (tmp_path / "p9.txt").unlink()
    (tmp_path / "p9.html").write_text(
        "<html><body><h1>Northmoor County Council: local authority assessment</h1><h2>Assessing needs</h2>"
        "<p>Score: 3</p><p>3 - Evidence shows a good standard</p><h3>Key findings for this quality statement</h3>"
        "<p>Social workers told us the new duty system had cut waits for a first contact by half.</p></body></html>")
    (tmp_path / "other.txt").write_text(page("LA1", 1, council="Castleford Borough Council"))
    from extractor.assemble import assemble

    assemblies, failures = assemble([str(tmp_path)], ExtractOptions(ner=False))
    assert failures == []
    by_name = {a.report.location.name.value: a.report for a in assemblies}
    whole = by_name["Northmoor County Council"]
    assert whole.document_kind == "la_assessment" and len(whole.pages) == 9
    assert [s.id for t in whole.key_questions for s in t.quality_statements] == [f"LA{i}" for i in range(1, 10)]
    la = whole.local_authority
    assert (la.sum, la.percent, la.complete, la.band) == (23, 63.9, True, "Good")
    first = whole.key_questions[0].quality_statements[0]
    assert first.evidence[0].sentences[0].category == "Feedback from staff and leaders"
    assert by_name["Castleford Borough Council"].document_kind == "la_statement_page"
    text = next(a.text for a in assemblies if a.report is whole)
    spans = list(iter_spans(whole.model_dump(mode="json")))
    assert len(spans) > 50 and all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    assert [text[p.start:p.end][:30] for p in whole.pages][0].startswith("Northmoor County Council")


@settings(max_examples=50, deadline=None)
@given(picked=st.lists(st.tuples(st.sampled_from(sorted(NAMES)), st.integers(1, 4)), min_size=1, max_size=12),
       blank_lines=st.booleans(), crlf=st.booleans(), downloads=st.booleans())
def test_any_set_of_pages_gives_the_first_score_of_each_statement_and_their_sum(
        picked: list[tuple[str, int]], blank_lines: bool, crlf: bool, downloads: bool) -> None:
    text = "".join(page(sid, score) for sid, score in picked)
    if not downloads:
        text = text.replace("Downloads\n", "")
    if blank_lines:
        text = text.replace("\n", "\n\n")
    if crlf:
        text = text.replace("\n", "\r\n")
    r = parse(text, nlp=False)
    first: dict[str, int] = {}
    for sid, score in picked:
        first.setdefault(sid, score)
    found = {s.id: s.score.value for t in r.key_questions for s in t.quality_statements}
    assert found == first
    theme = {"LA1": 0, "LA2": 0, "LA3": 0, "LA4": 1, "LA5": 1, "LA6": 2, "LA7": 2, "LA8": 3, "LA9": 3}
    order = list(first)  # statements by first appearance; themes in the framework's order
    assert [s.id for t in r.key_questions for s in t.quality_statements] == sorted(
        order, key=lambda sid: (theme[sid], order.index(sid)))
    la = r.local_authority
    assert (la.sum, la.max, la.statements_counted) == (sum(first.values()), 4 * len(first), len(first))
    assert la.complete == (len(first) == 9)
    duplicates = len(picked) - len(first)
    assert codes(r) == ["statement_duplicated"] * duplicates


THEMES = ["Working with people", "Providing support", "How the local authority ensures safety within the system",
          "Leadership"]


def overview(scores: list[int], printed: int | None = None, rating: str | None = None, *, bullets: bool = True,
             meanings: bool = True, council: str = "Northmoor County Council", title: bool = True,
             theme_prefix: bool = False) -> str:
    """An overview page: the rating, the printed overall score, the nine scores, then summaries."""
    total = sum(scores)
    printed = round(100 * total / 36) if printed is None else printed
    rating = rating or {True: "Good", False: "Requires improvement"}[printed >= 63]
    lines = [f"{council}: local authority assessment"] if title else []
    lines += ["Local authority rating and score", council, rating, f"{council} scored {printed} out of 100 overall",
              "Quality statement scores"]
    for i, score in enumerate(scores, 1):
        lines += [("• " if bullets else "") + NAMES[f"LA{i}"], f"Score: {score}"]
        if meanings:
            lines.append(f"{score} - {MEANINGS[score]}")
    lines += ["Summary findings", "Overall summary",
              "People told us they could get advice quickly, but 412 people were waiting for an assessment."]
    for n, theme in enumerate(THEMES, 1):
        lines += [f"Theme {n}: {theme}" if theme_prefix else theme, f"Leaders told us about the plans for theme {n}."]
    return "\n".join(lines) + "\n"


GOOD = [3, 3, 2, 3, 4, 3, 3, 3, 3]  # 27 / 36 = 75.0


@pytest.mark.parametrize("style", [{}, {"bullets": False, "meanings": False, "theme_prefix": True}, {"title": False}])
def test_an_overview_page_gives_the_rating_the_printed_score_and_nine_statement_scores(style: dict) -> None:
    r = parse(overview(GOOD, **style), ner=False)
    assert r.document_kind == "la_overview_page"
    assert (r.location.name.value, r.location.overall_rating.value) == ("Northmoor County Council", "Good")
    la = r.local_authority
    assert (la.sum, la.max, la.percent, la.complete, la.band) == (27, 36, 75.0, True, "Good")
    assert (la.score_percent.value, la.score_percent.span.text, la.consistent) == (75, "75", True)
    assert [(s.id, s.score.value, s.evidence) for t in r.key_questions for s in t.quality_statements] == [
        (f"LA{i}", score, []) for i, score in enumerate(GOOD, 1)]
    assert r.key_questions[0].quality_statements[0].score.rule == "local_authority.overview_score"
    # Summaries: the overall one, and one under each theme's name.
    assert [p.span.text[:14] for p in r.overview.summary] == ["People told us"]
    assert [t.summary[0].span.text for t in r.key_questions] == [
        f"Leaders told us about the plans for theme {n}." for n in range(1, 5)]
    assert r.overview.summary[0].sentences[0].category == "People's experience"
    assert codes(r) == []


def test_a_printed_overall_score_the_statements_do_not_give_is_flagged() -> None:
    r = parse(overview(GOOD, printed=68), nlp=False)
    assert codes(r) == ["overall_score_mismatch"]
    la = r.local_authority
    assert (la.score_percent.value, la.percent, la.consistent, la.band) == (68, 75.0, False, "Good")


def test_a_rating_outside_the_band_of_the_scores_is_flagged_never_changed() -> None:
    r = parse(overview(GOOD, rating="Requires improvement"), nlp=False)
    assert codes(r) == ["rating_band_mismatch"]
    assert r.location.overall_rating.value == "Requires improvement" and r.local_authority.band == "Good"


def test_an_overview_with_statement_pages_keeps_the_pages_scores_and_findings() -> None:
    scores = [2, 3, 2, 2, 3, 2, 3, 3, 2]  # the overview lists LA7 as 3; its page says 2
    text = overview(scores, printed=58, rating="Requires improvement") + page("LA1", 2) + page("LA7", 2)
    r = parse(text, nlp=False)
    assert r.document_kind == "la_assessment"
    found = {s.id: s for t in r.key_questions for s in t.quality_statements}
    assert list(found) == [f"LA{i}" for i in range(1, 10)]  # the overview's order
    assert found["LA7"].score.value == 2 and found["LA7"].score.rule == "local_authority.score_line"
    assert found["LA1"].evidence and not found["LA2"].evidence
    assert codes(r) == ["score_mismatch"]
    assert [w.span.text for w in r.warnings] == ["3"]
    la = r.local_authority
    assert (la.sum, la.percent, la.consistent, la.band) == (21, 58.3, True, "Requires improvement")


def test_export_gives_the_printed_overall_score(tmp_path: Path) -> None:
    out, db = batch_to_sqlite({"overview.txt": overview(GOOD, printed=68)}, tmp_path)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT document_kind, la_score_printed, la_score_percent, la_score_consistent "
                            "FROM reports").fetchone() == ("la_overview_page", 68, 75.0, 0)
        assert conn.execute("SELECT count(*) FROM quality_statements").fetchone()[0] == 9


@settings(max_examples=40, deadline=None)
@given(scores=st.lists(st.integers(1, 4), min_size=9, max_size=9), bullets=st.booleans(), meanings=st.booleans(),
       blank_lines=st.booleans(), crlf=st.booleans())
def test_any_overview_gives_its_scores_their_sum_and_band(
        scores: list[int], bullets: bool, meanings: bool, blank_lines: bool, crlf: bool) -> None:
    text = overview(scores, bullets=bullets, meanings=meanings)
    if blank_lines:
        text = text.replace("\n", "\n\n")
    if crlf:
        text = text.replace("\n", "\r\n")
    r = parse(text, nlp=False)
    assert [s.score.value for t in r.key_questions for s in t.quality_statements] == scores
    la = r.local_authority
    percent = 100 * sum(scores) / 36
    assert (la.sum, la.complete, la.consistent) == (sum(scores), True, True)
    assert la.band == (None if percent < 25 else
                       "Inadequate" if round(percent) <= 38 else "Requires improvement" if round(percent) <= 62
                       else "Good" if round(percent) <= 87 else "Outstanding")
    rating_ok = la.band in ("Good", "Requires improvement") and la.band == r.location.overall_rating.value
    assert codes(r) == ([] if rating_ok else ["rating_band_mismatch"])


def test_a_saved_html_overview_page_with_the_rating_as_a_badge_is_read() -> None:
    items = "".join(f"<li><h4>{NAMES[f'LA{i}']}</h4><p>Score: {s}</p></li>" for i, s in enumerate(GOOD, 1))
    html = ("<html><head><title>Northmoor County Council: local authority assessment</title></head><body>"
            "<nav><a href='/'>Home</a></nav><main><h1>Northmoor County Council: local authority assessment</h1>"
            "<h2>Local authority rating and score</h2><p>Northmoor County Council</p>"
            "<div class='rating'><img src='good.svg' alt='Good'></div>"
            "<p>Northmoor County Council scored 75 out of 100 overall</p><h3>Quality statement scores</h3>"
            f"<ul>{items}</ul><h2>Summary findings</h2><h3>Leadership</h3>"
            "<p>Leaders told us about the new workforce plan.</p></main></body></html>")
    r = extract_bytes(html.encode(), source_id="la.html", options=ExtractOptions(ner=False))
    assert (r.document_kind, r.source.media_type) == ("la_overview_page", "text/html")
    assert r.location.overall_rating.value == "Good"  # from the badge's alt text
    assert [s.score.value for t in r.key_questions for s in t.quality_statements] == GOOD
    assert (r.local_authority.score_percent.value, r.local_authority.consistent) == (75, True)
    assert [p.span.text for p in r.key_questions[3].summary] == ["Leaders told us about the new workforce plan."]
    assert codes(r) == []


def test_an_overview_and_statement_pages_saved_one_a_file_assemble_into_one_assessment(tmp_path: Path) -> None:
    from extractor.assemble import assemble

    (tmp_path / "z-overview.txt").write_text(overview(GOOD))  # saved last, read first
    for sid in ("LA7", "LA1"):
        (tmp_path / f"{sid}.txt").write_text(page(sid, GOOD[int(sid[2:]) - 1]))
    assemblies, failures = assemble([str(tmp_path)], ExtractOptions(ner=False))
    assert failures == [] and len(assemblies) == 1
    whole = assemblies[0].report
    assert (whole.document_kind, len(whole.pages)) == ("la_assessment", 3)
    assert whole.pages[0].source.id.endswith("z-overview.txt")
    found = {s.id: s for t in whole.key_questions for s in t.quality_statements}
    assert [s.score.value for s in found.values()] == GOOD and found["LA7"].evidence and not found["LA2"].evidence
    assert (whole.location.overall_rating.value, whole.local_authority.consistent) == ("Good", True)
    assert whole.warnings == []


def test_an_overview_listing_its_scores_under_the_themes_keeps_all_nine() -> None:
    text = overview(GOOD)
    for n, theme in enumerate(THEMES, 1):  # "Theme 1: Working with people" over its statements' scores
        first = NAMES[{1: "LA1", 2: "LA4", 3: "LA6", 4: "LA8"}[n]]
        text = text.replace(f"• {first}\n", f"Theme {n}: {theme}\n• {first}\n", 1)
    r = parse(text, nlp=False)
    assert [s.score.value for t in r.key_questions for s in t.quality_statements] == GOOD
    assert [p.span.text[:14] for p in r.overview.summary] == ["People told us"]  # not the last theme's
    assert [t.summary[0].span.text[-7:] for t in r.key_questions] == [f"heme {n}." for n in range(1, 5)]
    assert codes(r) == []


def test_a_theme_summary_right_after_the_scores_is_the_themes() -> None:
    text = overview(GOOD).replace("Summary findings\nOverall summary\n"
                                  "People told us they could get advice quickly, but 412 people were waiting "
                                  "for an assessment.\n", "")
    r = parse(text, nlp=False)
    assert r.overview.summary == []
    assert [t.summary[0].span.text for t in r.key_questions][0] == "Leaders told us about the plans for theme 1."
    assert [s.score.value for t in r.key_questions for s in t.quality_statements] == GOOD
