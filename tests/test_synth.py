"""Generated pages: deterministic, in the shape of real pages, and read back as they were built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.pipeline import ExtractOptions, extract_bytes
from extractor.synth import page, pages


def test_pages_are_a_pure_function_of_seed_and_index() -> None:
    assert page(5, 17) == page(5, 17)
    assert page(5, 17).text != page(5, 18).text != page(6, 17).text
    assert [p.text for p in pages(2, 3, start=4)] == [page(2, i).text for i in (4, 5, 6)]


def test_pages_are_about_the_size_of_the_seed() -> None:
    sizes = sorted(len(p.text) for p in pages(0, 200))
    median = sizes[len(sizes) // 2]
    assert 4500 <= median <= 9000  # the seed page is 6.5 kB


def test_printed_score_and_rating_agree_with_the_statement_scores() -> None:
    bands = [(25, 38, "Inadequate"), (39, 62, "Requires improvement"), (63, 87, "Good"),
             (88, 100, "Outstanding")]
    for p in pages(1, 100):
        scores = [s["score"] for s in p.truth["statements"]]
        exact = sum(scores) / (4 * len(scores)) * 100
        assert p.truth["score_percent"] == int(exact + 0.5)
        assert [r for lo, hi, r in bands if lo <= p.truth["score_percent"] <= hi] == [p.truth["rating"]]
        assert f"This service scored {p.truth['score_percent']} (out of 100)" in p.text


@pytest.mark.parametrize("kind", ["text", "html"])
def test_the_pipeline_reads_back_what_was_generated(kind: str) -> None:
    for p in pages(3, 25):
        data = (p.text if kind == "text" else p.html).encode("utf-8")
        report = extract_bytes(data, source_id=f"synth-{p.index}", url=p.url,
                               options=ExtractOptions(ner=False))
        [kq] = report.key_questions
        truth = p.truth
        assert report.location.name and report.location.name.value == truth["location_name"]
        assert kq.name.value == truth["key_question"]
        assert kq.score_percent and kq.score_percent.value == truth["score_percent"]
        assert kq.rating and kq.rating.value == truth["rating"]
        got = [(s.id, s.score.value if s.score else None, s.basis.value) for s in kq.quality_statements]
        assert got == [(s["id"], s["score"], s["basis"]) for s in truth["statements"]]
        assert report.assessment_date and report.assessment_date.value.iso == truth["assessment_date"]


@pytest.mark.parametrize("fmt, names", [
    ("txt", ["000000.txt", "000001.txt", "000002.txt"]),
    ("mixed", ["000000.txt", "000001.html", "000002.txt"]),
    ("jsonl", ["pages.jsonl"]),
])
def test_synth_command_writes_pages_and_truth(tmp_path: Path, fmt: str, names: list[str]) -> None:
    res = CliRunner().invoke(cli, ["synth", "-n", "3", str(tmp_path / "out"), "--format", fmt,
                                   "--seed", "9", "--truth"])
    assert res.exit_code == 0, res.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == sorted(names + ["truth.jsonl"])
    truth = [json.loads(line) for line in (tmp_path / "out" / "truth.jsonl").read_text().splitlines()]
    assert [t["location_name"] for t in truth] == [page(9, i).name for i in range(3)]
    if fmt == "jsonl":
        lines = (tmp_path / "out" / "pages.jsonl").read_text().splitlines()
        assert [json.loads(line)["url"] for line in lines] == [page(9, i).url for i in range(3)]
    else:
        assert (tmp_path / "out" / names[0]).read_text() == page(9, 0).text


def _read_back(p) -> dict:
    """What the pipeline reads from a generated page of another family, in the shape of its truth."""
    r = extract_bytes(p.text.encode(), source_id=p.url, options=ExtractOptions(nlp=False))
    family = p.truth["family"]
    got: dict = {"family": family, "location_name": r.location.name.value if r.location.name else None}
    ins = r.inspection
    if family == "la":
        scores = {s.id: s.score.value for k in r.key_questions for s in k.quality_statements}
        la = r.local_authority
        if la.score_percent is not None:  # an overview page first
            got.update(overall_rating=r.location.overall_rating.value, printed=la.score_percent.value)
        assert [w.code for w in r.warnings] == []
        return {**got, "scores": scores, "sum": la.sum, "max": la.max, "complete": la.complete, "band": la.band}
    if family == "evidence":
        assert r.document_kind == "inspection_evidence_table"
        got.update(location_id=r.identifiers.location_id, visit_dates=[d.value.iso for d in ins.visit_dates],
                   data_download=ins.data_download_date.value.iso, overall_rating=r.location.overall_rating.value,
                   ratings={k.name.value: k.rating.value for k in r.key_questions},
                   groups=[[g.name.value, g.rating.value] for g in ins.population_groups],
                   checklist=[[a.key_question, a.topic.value if a.topic else None, a.question.value, a.answer.value]
                              for a in ins.checklist])
        assert [w.code for w in r.warnings] == []
        return got
    got.update(provider=r.location.provider.value if r.location.provider else None,
               postcode=r.location.address.postcode.value if r.location.address and r.location.address.postcode else None)
    if family == "location":  # a web summary, a list of all inspections, or both
        got["overall_rating"] = r.location.overall_rating.value
        if ins is not None:
            got.update(ratings={k.name.value: k.rating.value for k in r.key_questions}, updated=ins.updated.value.iso)
        if r.history is not None:
            got["history"] = [(e.start.value.iso if e.start else None, e.end.value.iso if e.end else None,
                               e.kind.value) for e in r.history]
            assert all(s.about_location for e in r.history for s in e.rating_statements)
            got["history_statements"] = [
                [[s.key_question.value if s.key_question else None, s.rating.value,
                  s.change.value if s.change else None] for s in e.rating_statements] for e in r.history]
        assert [w.code for w in r.warnings] == []
        return got
    got["visit_dates"] = [d.value.iso for d in ins.visit_dates]
    if family == "inspection":
        overall = r.location.overall_rating
        got.update(overall_rating=overall.value if overall else None, publication_date=ins.publication_date.value.iso,
                   ratings={k.name.value: k.rating.value for k in r.key_questions},
                   breaches=[b.regulation.value for b in ins.breaches])
        if overall is None:  # a dentist's, which is not rated: each key question's action
            got["actions"] = {k.name.value: k.action.value for k in r.key_questions}
        if ins.previous_rating is not None:  # "The last rating for this service was good (published ...)"
            got["last_rating"] = [ins.previous_rating.value, ins.previous_publication_date.value.iso]
        previous = {k.name.value: [k.previous_rating.value, k.rating_change.value]
                    for k in r.key_questions if k.previous_rating is not None}
        if previous:  # "At the last inspection this key question was rated as good. ..."
            got["previous"] = previous
        if ins.rating_grids:  # a hospital's
            columns = [*got["ratings"], "Overall"]
            got["grid"] = [[row.service.value, [row.ratings[c].value for c in columns]]
                           for grid in ins.rating_grids if grid.kind == "grid" for row in grid.rows]
            cover = [[row.service.value, row.ratings["Overall"].value]
                     for grid in ins.rating_grids if grid.kind == "cover" for row in grid.rows]
            if cover:  # a Quality Report of 2014-2016, whose cover lists the core services
                got["cover"] = cover
            got["sections"] = [[s.service.value, s.key_question, s.rating.value] for s in ins.service_sections]
    elif family == "essential":
        got.update(publication_date=ins.publication_date.value.iso,
                   standards=[(s.outcome, s.judgement.value) for s in ins.standards],
                   breaches=[b.regulation.value for b in ins.breaches])
    else:
        got.update(stars=ins.star_rating.stars.value, quality=ins.star_rating.quality.value)
    assert [w.code for w in r.warnings] == []
    return got


def test_synth_into_a_folder_under_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("a file, not a folder\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["synth", "-n", "2", str(tmp_path / "notes" / "out")])
    assert res.exit_code == 1
    assert res.output.strip() == f"Error: {tmp_path / 'notes' / 'out'}: cannot write: Not a directory"


@pytest.mark.parametrize("family", ["inspection", "la", "essential", "star", "location", "evidence"])
def test_pages_of_the_other_families_are_read_back_as_built(family: str) -> None:
    generated = list(pages(4, 30, family=family))
    assert len({p.text for p in generated}) == 30 and all(p.html is None for p in generated)
    for p in generated:
        truth = {k: [list(x) for x in v] if k in ("standards", "history") else v for k, v in p.truth.items()}
        got = _read_back(p)
        for key in ("standards", "history"):
            if key in got:
                got[key] = [list(x) for x in got[key]]
        assert got == truth, p.text[:300]
    assert [p.text for p in pages(4, 3, family=family)] == [p.text for p in generated[:3]]
    if family == "la":  # some begin with the overview page, some are statement pages only
        assert 0 < sum("Local authority rating and score" in p.text for p in generated) < 30
    if family == "essential":  # both layouts of the era
        assert 0 < sum(p.text.startswith("Review of compliance") for p in generated) < 30
    if family == "location":  # some entries state their rating and how it moved, some do not
        stated = [bool(e) for p in generated for e in p.truth.get("history_statements", [])]
        assert 0 < sum(stated) < len(stated)
    if family == "inspection":  # some hospitals, with a rating grid in either layout
        hospitals = [p for p in generated if "grid" in p.truth]
        assert 0 < sum("Our ratings for this hospital are:" in p.text for p in hospitals) < len(hospitals) < 30
        assert 0 < sum("cover" in p.truth for p in hospitals) < len(hospitals)
        # Some say what the ratings were before, the location's and the key questions'.
        assert 0 < sum("last_rating" in p.truth for p in generated) < 30
        assert 0 < sum("previous" in p.truth for p in generated) < 30
        dentists = [p for p in generated if "actions" in p.truth]  # not rated: findings and actions
        assert 0 < len(dentists) and any(len(p.truth["actions"]) < 5 for p in dentists)


def test_mixed_pages_take_each_family_in_turn(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["synth", "-n", "7", str(tmp_path / "out"), "--family", "mixed", "--format",
                                   "jsonl", "--truth"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(line) for line in (tmp_path / "out" / "pages.jsonl").read_text().splitlines()]
    assert ["html" in line for line in lines] == [True, False, False, False, False, False, False]
    truth = [json.loads(line) for line in (tmp_path / "out" / "truth.jsonl").read_text().splitlines()]
    assert [t.get("family", "saf") for t in truth] == ["saf", "inspection", "la", "essential", "star", "location",
                                                       "evidence"]
    res = CliRunner().invoke(cli, ["synth", "-n", "2", str(tmp_path / "x"), "--family", "la", "--format", "html"])
    assert res.exit_code == 2 and "SAF pages only" in res.output
