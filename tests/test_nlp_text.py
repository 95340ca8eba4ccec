"""Sentence splitting, abbreviations and evidence categories on realistic evidence prose."""

from __future__ import annotations

import pytest

from extractor.nlp.abbreviations import best_long_form, find_abbreviations
from extractor.nlp.categories import categorise, categorise_sentences
from extractor.sentences import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_sentences_keep_abbreviations_decimals_and_initials() -> None:
    text = ("Staff recorded incidents on an electronic system, e.g. Datix. The GP, Dr. A. Patel, visited "
            "weekly, i.e. every Tuesday. Falls fell by 2.5 per month. \u201cIt is lovely here.\u201d "
            "One person said so.")
    assert _sentences(text) == [
        "Staff recorded incidents on an electronic system, e.g. Datix.",
        "The GP, Dr. A. Patel, visited weekly, i.e. every Tuesday.",
        "Falls fell by 2.5 per month.",
        "\u201cIt is lovely here.\u201d",
        "One person said so.",
    ]


def test_sentence_spans_index_the_text() -> None:
    text = "  Managers were visible.  Staff felt supported.\nLeaders told us so. "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Managers were visible.", "Staff felt supported.", "Leaders told us so."]


SEED_PARAGRAPHS = [
    "The company was on a growth strategy. The provider had a good relationship with their Integrated Care "
    "Board (ICB) and they attended engagement meetings and parliamentary meetings.",
    "This included further procurement of musculo-skeletal (MSK) contracts, offer of private health checks, "
    "and private GP services.",
    "MIP had renewed their Information Commissioner\u2019s Office (ICO) accreditation.",
    "The service planned to commence Radiology Events and Learning Meetings (REALM) with an online provider. "
    "MIP had several patient group directives (PGDs) in place. All PGDs had updated signatures.",
]


def test_seed_abbreviations() -> None:
    texts, offset = [], 0
    for p in SEED_PARAGRAPHS:
        texts.append((offset, p))
        offset += len(p) + 2
    found = {a.short: a for a in find_abbreviations(texts, ["Medical Imaging Partnership",
                                                            "Medical Imaging Partnership Limited"])}
    assert {k: v.long for k, v in found.items()} == {
        "ICB": "Integrated Care Board",
        "MSK": "musculo-skeletal",
        "ICO": "Information Commissioner\u2019s Office",
        "REALM": "Radiology Events and Learning Meetings",
        "PGDs": "patient group directives",
        "MIP": "Medical Imaging Partnership",
    }
    joined = "\n\n".join(SEED_PARAGRAPHS)
    for a in found.values():
        assert joined[a.short_start:a.short_end] == a.short
        if a.long_start is not None:
            assert joined[a.long_start:a.long_end] == a.long
    assert found["MIP"].rule == "rule:abbreviation.name_initials"
    assert found["ICB"].rule == "rule:abbreviation.schwartz_hearst"


@pytest.mark.parametrize("text,short,long", [
    ("Staff followed the Mental Capacity Act (MCA) when people lacked capacity.", "MCA",
     "Mental Capacity Act"),
    ("People were supported by the community learning disability team (CLDT).", "CLDT",
     "community learning disability team"),
    ("The ICB (integrated care board) attended.", "ICB", "integrated care board"),
])
def test_definitions(text: str, short: str, long: str) -> None:
    assert [(a.short, a.long) for a in find_abbreviations([(0, text)])] == [(short, long)]


@pytest.mark.parametrize("text", [
    "Staff (all of them) knew the policy.",  # words in brackets, not a short form
    "We spoke with the manager (Sarah).",  # a name is not an abbreviation of the words before it
    "This was a breach of Regulation 17 (Good governance).",
])
def test_no_definition(text: str) -> None:
    assert find_abbreviations([(0, text)]) == []


def test_initials_only_when_used() -> None:
    text = "The home was clean and people were safe."
    assert find_abbreviations([(0, text)], ["Willow House Care Limited"]) == []
    used = find_abbreviations([(0, "WHC staff were kind.")], ["Willow House Care Limited"])
    assert [(a.short, a.long) for a in used] == [("WHC", "Willow House Care")]


def test_best_long_form_needs_word_initial_first_letter() -> None:
    assert best_long_form("ICB", "with their Integrated Care Board") == "Integrated Care Board"
    assert best_long_form("XYZ", "with their Integrated Care Board") is None


STAFF, PEOPLE, PARTNERS = "Feedback from staff and leaders", "People's experience", "Feedback from partners"

CATEGORIES = [
    # The seed's examples (facts.json), then written cases.
    ("Managers told us this change meant a difference in staff skill mix, which was under review.",
     "Feedback from staff and leaders", "staff_reported"),
    ("Staff felt they could speak up without fear of reprisal.", STAFF, "staff_reported"),
    ("The service displayed posters with information on the outsourced whistleblowing provider.",
     "Observation", "environment_seen"),
    ("The provider had a comprehensive whistleblowing and freedom to speak up policy, which was in date, and "
     "version controlled.", "Processes", "process_terms"),
    ("Three-quarters of the workforce responded to the survey.", STAFF, "staff_reported"),
    ("Relatives we spoke with told us staff were kind.", "People's experience", "people_reported"),
    ("Staff supported people who said they felt lonely at weekends.", PEOPLE, "people_reported"),
    ("People said they felt safe.", "People's experience", "people_reported"),
    ("Commissioners told us the provider worked openly with them.", PARTNERS, "partners_reported"),
    ("We observed staff supporting people to eat.", "Observation", "we_observed"),
    ("Records showed that medicines were given as prescribed.", "Processes", "process_terms"),
    ("The provider audited care plans every month.", "Processes", "process_terms"),
    ("Uptake of cervical screening was below the national target.", "Outcomes", "outcome_terms"),
    ("Eighty-one percent of people who wished to die at home were supported to do so.", "Outcomes",
     "quantified_result"),
    ("The clinical lead explained how staff were allocated.", STAFF, "staff_reported"),
    ("We did not look at Partnerships and communities during this assessment.", "unclassified", None),
]


OBSERVED, PROCESSES, OUTCOMES = "Observation", "Processes", "Outcomes"

# How the cues generalise: speaker noun phrases, passives, overlaps and precedence. Written for
# these tests (not taken from the labelled set); add a case here when a rule changes.
GENERALISATION = [
    # A partner word or a named organisation in a staff speaker's noun phrase makes it a partner.
    ("A visiting physiotherapist commented that staff followed exercise plans.", PARTNERS,
     "partners_reported"),
    ("Staff from Riverside Hospital told us discharges were well planned.", PARTNERS, "partners_reported"),
    ("A manager from the local authority said reviews were up to date.", PARTNERS, "partners_reported"),
    ("Staff at the home told us they enjoyed their work.", STAFF, "staff_reported"),
    ("Physiotherapists told us they had too many patients to see each day.", STAFF, "staff_reported"),
    # People stay people, whoever else is in their noun phrase.
    ("People supported by the team said they were listened to.", PEOPLE, "people_reported"),
    ("Local people said the service was hard to reach.", PEOPLE, "people_reported"),
    ("One person's daughter praised the staff.", PEOPLE, "people_reported"),
    ("Most of the relatives we spoke with were complimentary about the food.", PEOPLE, "people_reported"),
    # Passives, infinitives, objects and complements are not speakers.
    ("Visiting arrangements were explained to relatives on admission.", PROCESSES, "process_topics"),
    ("Local rules were on the wall and staff had signed to say they had read them.", PROCESSES,
     "process_terms"),
    ("The safeguarding policy named the safeguarding lead and explained how to refer.", PROCESSES,
     "process_terms"),
    ("A policy on the selection of staff stated the checks needed.", PROCESSES, "process_terms"),
    # Where matches overlap, the one starting first stands.
    ("Mortality reviews were completed for every death.", PROCESSES, "process_topics"),
    ("The home's mortality rate was lower than expected.", OUTCOMES, "outcome_terms"),
    ("The number of people who told us they felt lonely was high.", OUTCOMES, "outcome_terms"),
    # Precedence: documents over displays; figures over process topics; what records show decides.
    ("The provider's medicines policy was on display in the office.", PROCESSES, "process_terms"),
    ("Audits showed that 97% of medicine charts were signed.", OUTCOMES, "quantified_result"),
    ("Seventy percent of staff had completed safeguarding training.", PROCESSES, "process_terms"),
    ("Records showed a reduction in falls since the new sensor mats.", OUTCOMES, "outcome_terms"),
    ("Records showed that weights were not always recorded.", PROCESSES, "process_terms"),
    ("We found that 2 of the 6 staff files had gaps in employment history.", PROCESSES, "process_terms"),
    ("Six people had moved into their own homes over the last 2 years.", OUTCOMES, "outcome_terms"),
    # Frames around any speaker of a cue.
    ("Feedback from the community mental health team was positive.", PARTNERS, "partners_feedback"),
    ("Unpaid carers we spoke with were frustrated by the lack of respite.", PEOPLE, "people_reported"),
    ("The family survey showed high satisfaction with end of life care.", PEOPLE, "people_feedback"),
    ("On the day of our site visit, the reception area was busy.", OBSERVED, "we_observed"),
    ("At our last inspection we rated this service good.", "unclassified", None),
]


@pytest.mark.parametrize("sentence,category,cue", GENERALISATION, ids=[c[0][:40] for c in GENERALISATION])
def test_generalisation(sentence: str, category: str, cue: str | None) -> None:
    test_categories(sentence, category, cue)


def test_unknown_slot_in_a_phrase_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.errors import TaxonomyError
    from extractor.nlp import categories
    from extractor.nlp.data import CategoryRules, data_text, parse_data

    text = data_text("nlp_categories.yaml").replace('"feedback from {partners_reported}"',
                                                     '"feedback from {nobody}"', 1)
    rules = parse_data(CategoryRules, text, "nlp_categories.yaml")
    monkeypatch.setattr(categories, "category_rules", lambda: rules)
    categories._compiled_for.cache_clear()
    try:
        with pytest.raises(TaxonomyError, match=r"unknown slot \{nobody\}"):
            categories._compiled()
    finally:
        categories._compiled_for.cache_clear()


@pytest.mark.parametrize("sentence,category,cue", CATEGORIES, ids=[c[0][:40] for c in CATEGORIES])
def test_categories(sentence: str, category: str, cue: str | None) -> None:
    got, decided_by = categorise(sentence)
    assert got == category
    if cue is None:
        assert decided_by is None
    else:
        assert decided_by is not None and decided_by.split(":")[0] == cue
        assert decided_by.split(": ", 1)[1] in sentence


def test_cue_names_the_words_that_decided() -> None:
    assert categorise("Managers told us this change meant a difference.") == (
        "Feedback from staff and leaders", "staff_reported: Managers told us")


def test_social_workers_in_a_local_authority_assessment() -> None:
    # In provider reports social workers visit from outside; a council's own are its staff.
    sentence = "Social workers said their caseloads were manageable."
    assert categorise(sentence)[0] == PARTNERS
    assert categorise(sentence, family="local_authority") == (STAFF, "staff_reported: Social workers said")
    text = f"{sentence} The council told us waiting lists had halved. Care providers said fees were late."
    spans = [(0, len(sentence)), (len(sentence) + 1, text.index(" Care")), (text.index("Care"), len(text))]
    assert [c for c, _ in categorise_sentences(text, spans, family="local_authority")] == [STAFF, STAFF, PARTNERS]
    assert [c for c, _ in categorise_sentences(text, spans)] == [PARTNERS, PARTNERS, PARTNERS]
    assert categorise(sentence)[0] == PARTNERS  # the family applies to its own call only
