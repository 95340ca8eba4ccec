"""``cqc-extract export``: row counts equal the JSONL's, keys hold, and README's query works."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, ROOT, SEED
from test_batch import run, write_pages

from extractor.errors import InputError
from extractor.export import export_jsonl
from extractor.tables import TABLE_NAMES, report_rows, table_specs
from models import SCHEMA_VERSION, Report


def jsonl_counts(path: Path) -> dict[str, int]:
    """Rows each table should get, counted straight from the JSON of the records."""
    counts = dict.fromkeys(TABLE_NAMES, 0)
    seen = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["source"]["sha256"] in seen:
            continue
        seen.add(rec["source"]["sha256"])
        counts["reports"] += 1
        counts["warnings"] += len(rec["warnings"])
        counts["entities"] += len(rec["abbreviations"])
        paragraphs = list((rec.get("overview") or {}).get("summary", []))
        paragraphs += (rec.get("inspection") or {}).get("summary", [])
        for standard in (rec.get("inspection") or {}).get("standards", []):
            counts["standards"] += 1
            paragraphs += standard["evidence"]
        counts["regulation_breaches"] += len((rec.get("inspection") or {}).get("breaches", []))
        counts["population_groups"] += len((rec.get("inspection") or {}).get("population_groups", []))
        counts["checklist_answers"] += len((rec.get("inspection") or {}).get("checklist", []))
        for grid in (rec.get("inspection") or {}).get("rating_grids", []):
            counts["grid_ratings"] += sum(len(row["ratings"]) for row in grid["rows"])
        counts["rating_statements"] += len((rec.get("inspection") or {}).get("rating_statements", []))
        for entry in rec.get("history") or []:
            counts["history_entries"] += 1
            counts["rating_statements"] += len(entry["rating_statements"])
            paragraphs += entry["summary"]
        for kq in rec["key_questions"]:
            counts["key_questions"] += 1
            paragraphs += kq["summary"]
            for st in kq["quality_statements"]:
                counts["quality_statements"] += 1
                paragraphs += st["evidence"]
        for para in paragraphs:
            for sent in para["sentences"]:
                counts["evidence_sentences"] += 1
                counts["entities"] += len(sent["entities"]) + len(sent["quantities"]) + len(sent["dates"])
    return counts


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Records of the seed (twice, by two names), the corpus and generated pages (text, HTML)."""
    tmp = tmp_path_factory.mktemp("export")
    write_pages(tmp / "docs", 10, bad=False)
    for page in __import__("extractor.synth", fromlist=["pages"]).pages(11, 4):
        (tmp / "docs" / f"h{page.index}.html").write_text(page.html, encoding="utf-8")
    (tmp / "docs" / "seed-copy.txt").write_bytes(SEED.read_bytes())  # exported once
    out = tmp / "records.jsonl"
    res = run("batch", str(SEED), str(CORPUS), str(tmp / "docs"), "-o", str(out), "-j", "2")
    assert res.returncode in (0, 3), res.stderr
    return out


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("seed")
    out = tmp / "seed.jsonl"
    assert run("batch", str(SEED), "-o", str(out), "-j", "1").returncode == 0
    res = run("export", str(out), str(tmp / "seed.sqlite"))
    assert res.returncode == 0, res.stderr
    return tmp / "seed.sqlite"


def sqlite_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLE_NAMES}


def test_sqlite_row_counts_equal_the_jsonl_counts(records: Path, tmp_path: Path) -> None:
    db = tmp_path / "out.sqlite"
    res = run("export", str(records), str(db))
    assert res.returncode == 0, res.stderr
    expected = jsonl_counts(records)
    assert sqlite_counts(db) == expected
    assert expected["reports"] >= 20 and expected["evidence_sentences"] > 100
    assert expected["history_entries"] > 0 and expected["standards"] > 0 and expected["population_groups"] > 0
    assert expected["grid_ratings"] > 0 and expected["rating_statements"] > 0
    assert f"exported {expected['reports']} records (1 duplicates skipped)" in res.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        fks = conn.execute("PRAGMA foreign_key_list(quality_statements)").fetchall()
        assert {row[2] for row in fks} == {"key_questions"}


def test_parquet_and_csv_row_counts_equal_the_jsonl_counts(records: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    expected = jsonl_counts(records)
    assert run("export", str(records), "--to", "parquet", str(tmp_path / "pq")).returncode == 0
    assert run("export", str(records), "--to", "csv", str(tmp_path / "csv")).returncode == 0
    for name, spec in table_specs().items():
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        assert table.num_rows == expected[name], name
        assert tuple(table.column_names) == spec.column_names
        with open(tmp_path / "csv" / f"{name}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert tuple(rows[0]) == spec.column_names
        assert len(rows) - 1 == expected[name], name


def readme_query(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Batch and export"):]
    match = re.search(re.escape(title) + r".*?```sql\n(.*?)```", section, re.S)
    assert match, f"README has no SQL query after {title!r}"
    return match.group(1)


def test_readme_query_gives_the_seven_statement_scores_of_the_seed(seed_db: Path) -> None:
    with sqlite3.connect(seed_db) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(readme_query("One row per statement score"))]
    assert [(r["statement_id"], r["score"], r["basis"]) for r in rows] == [
        ("W1", 3, "assessed"), ("W2", 3, "assessed"), ("W3", 3, "assessed"), ("W4", 3, "assessed"),
        ("W5", 3, "assessed"), ("W6", 3, "previous rating"), ("W7", 3, "assessed")]
    assert {(r["location_name"], r["key_question"], r["key_question_rating"], r["score_percent"],
             r["assessment_date"]) for r in rows} == {
        ("Medical Imaging Partnership", "Well-led", "Good", 75, "2024-02-13")}
    assert rows[1]["statement_name"] == "Capable, compassionate and inclusive leaders"


def test_seed_report_row_uses_cqc_api_like_names(seed_db: Path) -> None:
    with sqlite3.connect(seed_db) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("SELECT * FROM reports").fetchone())
    assert row["report_id"] == row["canonical_sha256"] or len(row["report_id"]) == 64
    assert (row["location_name"], row["provider_name"], row["postal_code"], row["main_phone_e164"],
            row["postal_address_town_city"], row["service_types"]) == (
        "Medical Imaging Partnership", "Medical Imaging Partnership Limited", "RH11 9BJ",
        "+441293534043", "Crawley", "Hospital; Independent hospital")


def test_rows_have_exactly_the_declared_columns(records: Path) -> None:
    specs = table_specs()
    for line in records.read_text(encoding="utf-8").splitlines()[:8]:
        for name, rows in report_rows(Report.model_validate_json(line)).items():
            for row in rows:
                assert tuple(row) == specs[name].column_names, name


def test_an_existing_export_is_kept_unless_replaced(seed_db: Path, tmp_path: Path) -> None:
    src = tmp_path / "one.jsonl"
    assert run("batch", str(SEED), "-o", str(src), "--no-ner").returncode == 0
    db = tmp_path / "x.sqlite"
    assert run("export", str(src), str(db)).returncode == 0
    again = run("export", str(src), str(db))
    assert again.returncode == 1
    assert again.stderr.strip() == f"Error: {db} already holds an export (use --replace to overwrite it)"
    assert run("export", str(src), str(db), "--replace").returncode == 0
    assert sqlite_counts(db)["reports"] == 1


def test_a_line_that_is_not_a_record_is_an_error_and_leaves_no_file(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text(json.dumps({"schema_version": "1.0"}) + "\n")
    with pytest.raises(InputError, match="line 1 is not a record"):
        export_jsonl(src, tmp_path / "x.sqlite")
    assert list(tmp_path.iterdir()) == [src]


def test_a_damaged_line_or_a_newer_schema_is_named_in_one_line(tmp_path: Path) -> None:
    src = tmp_path / "one.jsonl"
    assert run("batch", str(SEED), "-o", str(src), "--no-nlp").returncode == 0
    record = src.read_text(encoding="utf-8").splitlines()[0]
    cut = tmp_path / "cut.jsonl"
    stop = record.index('"document_kind":"') + 20  # a line copied short, inside a string
    cut.write_text(record + "\n" + record[:stop] + "\n", encoding="utf-8")
    res = run("export", str(cut), str(tmp_path / "cut.sqlite"))
    assert res.returncode == 1
    assert res.stderr.strip() == (f"Error: {cut}: line 2 is not a record: not JSON (invalid control "
                                  f"character at character {stop + 1})")
    newer = json.loads(record) | {"schema_version": "9.0", "ward": "Ash"}
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps(newer) + "\n", encoding="utf-8")
    res = run("export", str(later), str(tmp_path / "later.sqlite"))
    assert res.returncode == 1
    assert res.stderr.strip() == (f"Error: {later}: line 1 is not a record: ward: Extra inputs are not "
                                  f"permitted (a record of schema 9.0; this version reads {SCHEMA_VERSION})")


@pytest.mark.parametrize("fmt", ["sqlite", "parquet", "csv"])
def test_a_destination_that_cannot_be_written_is_named_in_one_line(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / "one.jsonl"
    assert run("batch", str(SEED), "-o", str(src), "--no-nlp").returncode == 0
    (tmp_path / "notes").write_text("a file, not a folder\n", encoding="utf-8")
    dest = tmp_path / "notes" / "export"
    res = run("export", str(src), str(dest), "--to", fmt)
    assert res.returncode == 1
    assert res.stderr.strip() == f"Error: {dest}: cannot write the export: Not a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "one.errors.jsonl", "one.jsonl"]


def test_an_error_file_given_for_records_is_named_as_such(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, 4)  # with bad inputs among them, so the error file has lines
    out = tmp_path / "out.jsonl"
    assert run("batch", str(docs), "-o", str(out), "--no-nlp").returncode == 3
    with pytest.raises(InputError, match=r"line 1 is a failure line of a batch error file, not a "
                                         r"record: export the records file \(batch -o\)"):
        export_jsonl(tmp_path / "out.errors.jsonl", tmp_path / "x.sqlite")
    assert not (tmp_path / "x.sqlite").exists()


def test_table_declaration_matches_the_sql_it_creates(tmp_path: Path) -> None:
    from extractor.export import create_table_sql

    conn = sqlite3.connect(tmp_path / "t.sqlite")
    for spec in table_specs().values():
        conn.execute(create_table_sql(spec))
        info: list[Any] = conn.execute(f'PRAGMA table_info("{spec.name}")').fetchall()
        assert tuple(col[1] for col in info) == spec.column_names
        assert tuple(col[1] for col in sorted(info, key=lambda c: c[5]) if col[5]) == spec.primary_key


def test_export_shows_a_progress_bar_on_a_terminal_only(records: Path, tmp_path: Path) -> None:
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    size = records.stat().st_size
    seen: list[int] = []
    export_jsonl(records, tmp_path / "quiet.sqlite", read=seen.append)
    assert sum(seen) == size  # every byte of the file is counted once

    leader, follower = pty.openpty()  # standard error on a terminal, as in an interactive shell
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "export", str(records),
                             str(tmp_path / "bar.sqlite")], stderr=follower, stdout=subprocess.DEVNULL)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the command exits
            break
        if not chunk:
            break
        shown += chunk
    assert proc.wait(timeout=120) == 0
    os.close(leader)
    text = shown.decode("utf-8", "replace")
    assert "100%" in text and "exported" in text
    assert re.search(r"100%\|[^|]*\| (\d+(\.\d+)?[kMG]?)/\1 ", text), text  # every byte read

    plain = run("export", str(records), str(tmp_path / "plain.sqlite"))  # not a terminal: no bar
    assert plain.returncode == 0 and "100%" not in plain.stderr and plain.stderr.startswith("exported")


@pytest.fixture(scope="module")
def families_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("families")
    out = tmp / "families.jsonl"
    res = run("batch", str(CORPUS / "la-text"), str(CORPUS / "inspection-text"), "-o", str(out), "-j", "2", "--no-ner")
    assert res.returncode == 0, res.stderr
    assert run("export", str(out), str(tmp / "families.sqlite")).returncode == 0
    return tmp / "families.sqlite"


def test_readme_query_gives_one_row_per_council(families_db: Path) -> None:
    with sqlite3.connect(families_db) as conn:
        rows = conn.execute(readme_query("One row per council")).fetchall()
    by_council = {r[0]: r[1:] for r in rows}
    assert len(rows) == 9  # every file of corpus/la-text is one council
    castleford = by_council["Castleford Borough Council"]  # statement pages: no printed rating or score
    assert castleford[:6] == (None, None, 23, 36, 63.9, "Good")
    assert castleford[6] == "LA1=3 LA2=2 LA3=3 LA4=2 LA5=3 LA6=2 LA7=3 LA8=3 LA9=2"
    assert by_council["Ashbourne Vale Council"] == (None, None, 2, 4, 50.0, None, "LA1=2")
    # An overview page whose printed score the statements do not give.
    assert by_council["Wyvernham City Council"][:6] == ("Good", 61, 24, 36, 66.7, "Good")


def test_readme_query_gives_key_question_ratings_with_breaches(families_db: Path) -> None:
    with sqlite3.connect(families_db) as conn:
        rows = conn.execute(readme_query("One row per key-question rating")).fetchall()
    assert len(rows) == 92  # eighteen reports with five key questions each, a focused one with two
    cranmoor = [r for r in rows if r[0] == "Cranmoor Lodge Nursing Home"]
    assert [(r[3], r[4], r[5]) for r in cranmoor] == [
        ("Safe", "Inadequate", None), ("Effective", "Requires improvement", None),
        ("Caring", "Requires improvement", None), ("Responsive", "Requires improvement", None),
        ("Well-led", "Inadequate", None)]
    assert {r[6] for r in cranmoor} == {"12, 17, 13"} and cranmoor[0][1:3] == ("2017-11-17", "Inadequate")
    # A clinic CQC did not rate: judgements and actions, no overall rating.
    kestrel = [r for r in rows if r[0] == "Kestrel Street Clinic"]
    assert [r[2:6] for r in kestrel][0] == (None, "Safe", "Not all regulations met", "Enforcement action")
    assert [r[5] for r in kestrel] == ["Enforcement action", "Requirements notice", "No action", "No action",
                                       "Requirements notice"] and kestrel[0][6] == "17, 18, 12"


def test_readme_query_gives_one_row_per_core_service_of_the_hospitals(families_db: Path) -> None:
    with sqlite3.connect(families_db) as conn:
        rows = conn.execute(readme_query("One row per core service")).fetchall()
    by_hospital: dict[str, list[tuple]] = {}
    for row in rows:
        by_hospital.setdefault(row[0], []).append(row[2:])
    assert sorted(by_hospital) == ["Ashcombe Vale Community Hospital", "Hallamvale General Hospital",
                                   "Marshbrook General Hospital"]
    # The grid only: Marshbrook's cover lists its eight services too, which would repeat them.
    assert len(by_hospital["Marshbrook General Hospital"]) == 9
    hallamvale = by_hospital["Hallamvale General Hospital"]
    assert [r[0] for r in hallamvale][-2:] == ["Outpatients", "Overall"] and len(hallamvale) == 8
    assert hallamvale[0] == ("Urgent and emergency services", "Urgent and emergency care", "Requires improvement",
                             "Good", "Good", "Requires improvement", "Requires improvement", "Requires improvement")
    assert hallamvale[-2][1:] == ("Outpatients", "Good", "Not rated", "Good", "Good", "Good", "Good")
    # The one-cell-a-line grid: the wrapped name is one row, its split ratings whole.
    ashcombe = by_hospital["Ashcombe Vale Community Hospital"]
    assert ashcombe[0][:3] == ("Medical care (including older people's care)", "Medical care", "Requires improvement")


def test_a_table_joined_to_reports_by_report_id_shares_no_other_column_name() -> None:
    # "JOIN reports USING (report_id)" must leave every unqualified column of the pair unambiguous;
    # a core service is both the page's (reports) and a grid row's (grid_ratings), by design.
    from extractor.tables import table_specs

    specs = table_specs()
    report_columns = set(specs["reports"].column_names) - {"report_id"}
    shared = {name: sorted(report_columns & set(t.column_names)) for name, t in specs.items() if name != "reports"}
    assert {name: cols for name, cols in shared.items() if cols} == {"grid_ratings": ["core_service"]}
