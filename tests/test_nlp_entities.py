"""Entity spans drawn as the labelling guidelines draw them (corpus/labelled/README.md).

Each table is one class of error, with sentences written for these tests (not taken from the
labelled set): what the whole pipeline (NER plus the rule layer) must give for the label, and
spans it must not give. Model-independent checks of the same rules build the model's spans by
hand. New cases go in the table of their class; a known gap goes in with
``xfail(strict=True)``.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from extractor.nlp import load_pipeline
from extractor.nlp.rules import model_entity_parts, parts_of_day_regex

Case = tuple[str, str, list[str], list[str]]

# (sentence, label, spans expected for that label, spans that must not appear under any label)
NAMED_BODIES: list[Case] = [
    ("Healthwatch Wiltshire published a report on dementia care at the home.", "ORG",
     ["Healthwatch Wiltshire"], ["Wiltshire"]),
    ("Feedback gathered by Healthwatch Brighton and Hove praised the reception team.", "ORG",
     ["Healthwatch Brighton and Hove"], ["Hove", "Healthwatch Brighton"]),
    ("Healthwatch told us people valued the new phone system.", "ORG", ["Healthwatch"], []),
]
NAMES_WITHOUT_THE: list[Case] = [
    ("Staff followed guidance from the Royal College of Nursing on pressure care.", "ORG",
     ["Royal College of Nursing"], ["the Royal College of Nursing"]),
    ("The practice used consent templates from the British Medical Association.", "ORG",
     ["British Medical Association"], ["the British Medical Association"]),
    ("Leaders had joined a programme run by the King's Fund.", "ORG", ["King's Fund"],
     ["the King's Fund"]),
]
LOWER_CASE_IS_NO_NAME: list[Case] = [
    ("Two carers fed back that rotas were published late.", "ORG", [], ["fed"]),
]
PARTS_OF_DAY: list[Case] = [
    ("Residents said they were checked every two hours at night.", "TIME", ["every two hours", "night"], []),
    ("Staff told us the morning medicines round often ran late.", "TIME", ["morning"], ["the morning"]),
    ("Visitors were welcome in the afternoon and in the evening.", "TIME",
     ["the afternoon", "the evening"], []),
    ("Agency nurses covered nights on the ward.", "TIME", ["nights"], []),
]
DURATIONS: list[Case] = [
    ("Calls were answered in less than 5 minutes.", "TIME", ["5 minutes"], ["less than 5 minutes"]),
    ("Some people had waited more than 18 weeks for a review.", "DATE", ["18 weeks"], ["more than 18 weeks"]),
    ("Nearly 3 hours passed before the ambulance arrived.", "TIME", ["3 hours"], ["Nearly 3 hours"]),
    ("The average wait had fallen from 21 days to 9 days over the year.", "DATE",
     ["21 days", "9 days", "the year"], ["21 days to"]),
    ("The time to triage went down from 25 minutes to 10 minutes.", "TIME", ["25 minutes", "10 minutes"],
     ["25 minutes to 10 minutes"]),
    ("The centre is open 8am to 8pm on weekdays.", "TIME", ["8am to 8pm"], []),  # a range stays one
]
ROLES: list[Case] = [
    ("The lead pharmacist checked prescriptions every week.", "ROLE", ["lead pharmacist"], []),
    ("The GP lead for safeguarding attended every meeting.", "ROLE", ["GP lead"], ["GP"]),
    ("The controlled drugs accountable officer reviewed the stock checks.", "ROLE",
     ["controlled drugs accountable officer"], []),
    ("The CD accountable officer had not seen the latest audit.", "ROLE", ["CD accountable officer"], []),
    ("The lead nurse told us about the new rota.", "ROLE", ["lead nurse"], []),
]
CASES = [*NAMED_BODIES, *NAMES_WITHOUT_THE, *LOWER_CASE_IS_NO_NAME, *PARTS_OF_DAY, *DURATIONS, *ROLES]


@pytest.mark.parametrize("sentence,label,expected,absent", CASES, ids=[c[0][:40] for c in CASES])
def test_pipeline_spans(sentence: str, label: str, expected: list[str], absent: list[str]) -> None:
    ents = load_pipeline()(sentence).ents
    assert [e.text for e in ents if e.label_ == label] == expected
    assert not [e.text for e in ents if e.text in absent]


def _model_span(text: str, start: int, end: int, label: str) -> Span:
    return Span(load_pipeline().make_doc(text), start, end, label=label)


@pytest.mark.parametrize("text,start,end,label,parts", [
    ("Advice from the World Health Organization was followed", 2, 6, "ORG", ["World Health Organization"]),
    ("people moved to the UK in 2020", 3, 5, "GPE", ["UK"]),
    ("Relatives fed back positively", 1, 2, "ORG", []),
    ("it took more than 12 hours", 2, 6, "TIME", ["12 hours"]),
    ("it took at least 7 days", 2, 6, "DATE", ["7 days"]),
    ("fell from 52 days to 38 days", 2, 5, "DATE", ["52 days"]),
    ("fell from 52 days to 38 days", 2, 7, "DATE", ["52 days", "38 days"]),
    ("open 8am to 8pm daily", 1, 6, "TIME", ["8am to 8pm"]),
    ("waits of 2 to 5 days", 2, 6, "DATE", ["2 to 5 days"]),  # one duration, not two
    ("seen by Mrs Helen Carter", 2, 5, "PERSON", ["Helen Carter"]),
    ("seen by Dr yesterday", 2, 3, "PERSON", []),
])
def test_model_spans_trimmed(text: str, start: int, end: int, label: str, parts: list[str]) -> None:
    assert [p.text for p in model_entity_parts(_model_span(text, start, end, label))] == parts


@pytest.mark.parametrize("text,found", [
    ("Staff were short at night.", ["night"]),
    ("People were offered a drink in the evening and at bedtime.", ["the evening"]),
    ("the night shift was short", ["night"]),  # "night" describes the shift: "the" is the shift's
    ("The evening meal was late", ["evening"]),
    ("Night-time checks were recorded.", ["Night-time"]),
    ("We saw a lunchtime meal; the nightingale ward was tidy tonight.", []),
])
def test_parts_of_day(text: str, found: list[str]) -> None:
    assert [m.group() for m in parts_of_day_regex().finditer(text)] == found
