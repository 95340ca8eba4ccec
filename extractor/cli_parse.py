"""``cqc-extract parse`` and ``cqc-extract schema``."""

from __future__ import annotations

import functools
import json
import sys
from typing import IO, Callable, TypeVar

import click

from extractor.errors import CQCExtractError, ModelNotInstalled
from extractor.pipeline import ExtractOptions, extract_bytes
from models import Report

F = TypeVar("F", bound=Callable[..., object])


def extract_options(func: F) -> F:
    """Options shared by every command that runs the pipeline, handed over as one ``options``."""

    @functools.wraps(func)
    def wrapper(*args: object, no_ner: bool, no_nlp: bool, model: str | None,
                redact_people: bool, **kwargs: object) -> object:
        if redact_people and (no_ner or no_nlp):
            raise click.UsageError("--redact-people needs NER to find the names; drop --no-ner/--no-nlp")
        options = ExtractOptions(ner=not (no_ner or no_nlp), nlp=not no_nlp, model=model,
                                 redact_people=redact_people)
        return func(*args, options=options, **kwargs)

    wrapper = click.option("--redact-people", is_flag=True,
                           help="Mask person names in emitted text (same length, spans stay valid).")(wrapper)
    wrapper = click.option("--model", metavar="NAME", default=None,
                           help="spaCy model to load (default: the installed en_core_web_sm).")(wrapper)
    wrapper = click.option("--no-nlp", "no_nlp", is_flag=True,
                           help="Structure only: no entities, evidence categories, values or "
                                "abbreviations (fastest).")(wrapper)
    wrapper = click.option("--no-ner", "no_ner", is_flag=True,
                           help="Rules only: skip spaCy; evidence categories, values and "
                                "abbreviations still come from rules (records say NER was off).")(wrapper)
    return wrapper  # type: ignore[return-value]


def record_json(report: Report, *, indent: int | None = 2) -> str:
    """A record as deterministic JSON."""
    return report.model_dump_json(indent=indent)


def read_input(name: str) -> bytes:
    """The bytes of a FILE argument (``-``: standard input); a one-line error if it cannot be read."""
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        with open(name, "rb") as fh:
            return fh.read()
    except IsADirectoryError:
        raise CQCExtractError("is a directory, not a report file (use `cqc-extract batch` for "
                              "folders)", source_id=name) from None
    except OSError as exc:
        raise CQCExtractError(f"cannot read: {exc.strerror or exc}", source_id=name) from None


@click.command("parse")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write the records (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json",
              show_default=True, help="json: one object (an array for several files); jsonl: a line each.")
@click.option("--url", default=None, help="The page's address, for location and assessment ids "
              "(one input only).")
@extract_options
def parse_command(files: tuple[str, ...], output: IO[str], fmt: str, url: str | None,
                  options: ExtractOptions) -> None:
    """Parse CQC report FILEs (PDF, HTML or text; - reads standard input) into JSON records.

    A file that cannot be parsed gets a one-line error naming it; the other records are still
    written, and the exit code is 1.
    """
    if url and len(files) > 1:
        raise click.UsageError("--url names the address of one input; give one FILE with it")
    records: list[Report] = []
    failed = 0
    for name in files:
        source_id = "<stdin>" if name == "-" else name
        try:
            data = read_input(name)
            records.append(extract_bytes(data, source_id=source_id,
                                         path=None if name == "-" else name, url=url,
                                         options=options))
        except ModelNotInstalled as exc:
            raise click.ClickException(str(exc)) from None
        except CQCExtractError as exc:
            if exc.source_id is None:
                exc.source_id = source_id
            click.echo(f"Error: {exc}", err=True)
            failed += 1
        except Exception as exc:  # a defect, not the user's mistake: still one line, go on
            click.echo(f"Error: {source_id}: internal error ({type(exc).__name__}: {exc}); "
                       "please report it with this input", err=True)
            failed += 1
    if fmt == "jsonl":
        for rec in records:
            output.write(record_json(rec, indent=None) + "\n")
    elif len(files) == 1:
        if records:
            output.write(record_json(records[0]) + "\n")
    else:
        output.write("[\n" + ",\n".join(record_json(r) for r in records) + "\n]\n")
    output.flush()
    if failed:
        sys.exit(1)


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the records."""
    click.echo(json.dumps(Report.model_json_schema(), indent=2, sort_keys=True))
