"""Rating-era reports of services CQC does not rate (dentists, independent clinics): each key
question's finding ("this practice was not providing well-led care in accordance with the relevant
regulations") and the action printed beside it ("No action", "Requirements notice", "Enforcement
action")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import CORPUS, batch_to_sqlite, iter_spans
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.pipeline import ExtractOptions, extract_bytes

KQS = ["Safe", "Effective", "Caring", "Responsive", "Well-led"]
WORDS = {"Safe": "safe", "Effective": "effective", "Caring": "caring", "Responsive": "responsive",
         "Well-led": "well-led"}
ACTIONS = ["No action", "Requirements notice", "Enforcement action"]
MET, NOT_MET = "Regulations met", "Not all regulations met"


def _dental() -> str:
    return (CORPUS / "inspection-text" / "19_harrowgate_road_dental.txt").read_text(encoding="utf-8")


def _extract(text: str):
    record = extract_bytes(text.encode(), source_id="report.txt", options=ExtractOptions(nlp=False))
    assert all(text[s["start"]:s["end"]] == s["text"] for s in iter_spans(record.model_dump(mode="json")))
    return record


def _judged(record) -> dict[str, tuple[str | None, str | None]]:
    return {k.name.value: (k.rating.value if k.rating else None, k.action.value if k.action else None)
            for k in record.key_questions}


def test_a_dental_report_gives_each_key_question_its_finding_and_action() -> None:
    text = _dental()
    r = _extract(text)
    assert r.document_kind == "inspection_report" and r.location.overall_rating is None
    assert _judged(r) == {**{kq: (MET, "No action") for kq in KQS[:4]},
                          "Well-led": (NOT_MET, "Requirements notice")}
    well_led = r.key_questions[-1]
    assert well_led.rating.rule == "inspection.finding"
    assert well_led.rating.span.text == ("this practice was not providing well-led care in accordance with the "
                                         "relevant regulations")
    assert well_led.action.span.text == "Requirements notice"  # the cross after it is not part of it
    assert well_led.action.rule == "inspection.action_line"
    assert not r.warnings
    # The summary's list of findings opens no key-question section: its paragraphs are the summary's.
    summary = " ".join(p.span.text for p in r.inspection.summary)
    assert "Harrowgate Road Dental Practice is in Armley" in summary and "Our key findings" in summary
    assert all("Harrowgate Road Dental Practice is in" not in p.span.text for k in r.key_questions for p in k.summary)


def test_an_action_alone_on_the_next_line_is_read_and_enforcement_action_there_opens_no_part() -> None:
    text = _dental().replace("Are services safe?  No action ✔", "Are services safe?\nEnforcement action")
    text = text.replace("We found that this practice was providing safe care",
                        "We found that this practice was not providing safe care")
    text = text.replace("We found this practice was providing safe care",
                        "We found this practice was not providing safe care")
    r = _extract(text)
    safe = r.key_questions[0]
    assert (safe.rating.value, safe.action.value, safe.action.rule) == (
        NOT_MET, "Enforcement action", "inspection.action_next_line")
    # The summary after it still belongs to Safe, and the breach table is still read.
    assert any("safeguarding" in p.span.text for p in safe.summary)
    assert [b.regulation.value for b in r.inspection.breaches] == ["17"]
    assert not r.warnings


def test_an_action_that_does_not_fit_the_finding_is_flagged_at_the_action() -> None:
    text = _dental().replace("Are services caring?  No action ✔", "Are services caring?  Requirements notice ✘")
    r = _extract(text)
    caring = r.key_questions[2]
    assert (caring.rating.value, caring.action.value) == (MET, "Requirements notice")  # the finding kept
    [w] = r.warnings
    assert w.code == "judgement_mismatch" and w.message.startswith("Caring: the action is 'Requirements notice'")
    assert w.span.text == "Requirements notice"


def test_a_later_finding_that_says_otherwise_is_flagged_and_the_first_kept() -> None:
    later = "We found that this practice was providing effective care in accordance with the relevant regulations."
    text = _dental().replace(later, later.replace("was providing", "was not providing"))
    r = _extract(text)
    assert r.key_questions[1].rating.value == MET
    [w] = r.warnings  # "No action" fits the first finding: the later one alone is flagged
    assert w.code == "judgement_mismatch"
    assert w.span.text.startswith("this practice was not providing effective care")


def test_an_action_without_a_finding_judges_the_key_question() -> None:
    text = "\n".join(line for line in _dental().splitlines() if "providing caring services" not in line)
    r = _extract(text)
    caring = r.key_questions[2]
    assert (caring.rating.value, caring.rating.rule, caring.rating.span.text) == (
        MET, "inspection.action_judgement", "No action")


def test_a_focused_follow_up_gives_only_the_key_questions_it_asked() -> None:
    text = (CORPUS / "inspection-text" / "21_orchard_row_dental_follow_up.txt").read_text(encoding="utf-8")
    r = _extract(text)
    assert _judged(r) == {"Safe": (MET, "No action"), "Well-led": (MET, "No action")}
    # "We asked the following question(s)." opens the summary's list: what follows it is the summary's.
    summary = " ".join(p.span.text for p in r.inspection.summary)
    assert "Orchard Row Dental Practice is on a residential street" in summary
    assert all("residential street" not in p.span.text for k in r.key_questions for p in k.summary)


def test_a_rated_report_has_no_actions() -> None:
    text = (CORPUS / "inspection-text" / "01_tanfield_lodge_care_home.txt").read_text(encoding="utf-8")
    r = _extract(text)
    assert all(k.action is None for k in r.key_questions)
    assert {k.rating.value for k in r.key_questions} <= {"Good", "Requires improvement"}


def _report(asked: list[str], met: list[bool], actions: list[str], next_line: list[bool]) -> str:
    parts = ["Lowmoor Dental Care", "", "Inspection Report", "", "12 Lowmoor Road", "Sheffield", "S8 0ZW",
             "", "Date of inspection visit: 3 March 2019", "Date of publication: 17/04/2019", "",
             "Overall summary", "", "We carried out this announced inspection on 3 March 2019.", "",
             "Summary of findings", "", "The five questions we ask about services and what we found", ""]
    for kq, ok, action, below in zip(asked, met, actions, next_line):
        question = "Are services responsive to people's needs?" if kq == "Responsive" else f"Are services {WORDS[kq]}?"
        parts += [question, action] if below else [f"{question}  {action}"]
        parts += [f"We found that this practice was {'' if ok else 'not '}providing {WORDS[kq]} care in accordance "
                  "with the relevant regulations.", "The team described how they worked.", ""]
    return "\n".join(parts) + "\n"


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(KQS), min_size=1, max_size=5, unique=True),
       st.lists(st.booleans(), min_size=5, max_size=5),
       st.lists(st.sampled_from(ACTIONS), min_size=5, max_size=5),
       st.lists(st.booleans(), min_size=5, max_size=5))
def test_any_key_questions_findings_and_actions_read_back(asked: list[str], met: list[bool], actions: list[str],
                                                          next_line: list[bool]) -> None:
    asked = [kq for kq in KQS if kq in asked]
    r = _extract(_report(asked, met, actions, next_line))
    assert _judged(r) == {kq: (MET if ok else NOT_MET, action) for kq, ok, action in zip(asked, met, actions)}
    misfits = sum((action == "No action") != ok for ok, action in zip(met, actions[:len(asked)]))
    assert [w.code for w in r.warnings] == ["judgement_mismatch"] * misfits


def test_export_gives_the_action_column(tmp_path: Path) -> None:
    _, db = batch_to_sqlite({"dental.txt": _dental()}, tmp_path)
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT key_question, rating, action FROM key_questions ORDER BY kq_no").fetchall()
    assert rows[-1] == ("Well-led", NOT_MET, "Requirements notice") and len(rows) == 5
