"""``cqc-extract assemble``: the pages of whole assessments merged into one record each."""

from __future__ import annotations

import json
import sys
from typing import IO

import click

from extractor.assemble import Assembly, assemble
from extractor.cli_parse import extract_options, record_json
from extractor.errors import CQCExtractError
from extractor.pipeline import ExtractOptions


def _pages_line(assembly: Assembly) -> str:
    """Where each page of an assembly sits in its assembled canonical text (one JSON line)."""
    pages = [{"id": p.source.id, "path": p.source.path, "url": p.source.url,
              "sha256": p.source.sha256, "start": p.start, "end": p.end} for p in assembly.pages]
    return json.dumps({"record": assembly.report.source.id, "pages": pages}, sort_keys=True)


@click.command("assemble")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write the records (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json",
              show_default=True, help="json: one object (an array for several assessments); "
              "jsonl: a line each.")
@click.option("--pages", "pages_out", type=click.File("w", encoding="utf-8"), default=None,
              help="Also write, per record, where each page sits in its assembled text (JSONL).")
@extract_options
def assemble_command(inputs: tuple[str, ...], output: IO[str], fmt: str, pages_out: IO[str] | None,
                     options: ExtractOptions) -> None:
    """Merge the pages of whole assessments into one record per assessment.

    INPUT is a page (text or HTML), a folder of pages, a glob, an @list of paths, or a crawl
    JSONL of {"url": ..., "html": ...} lines. SAF pages of the same location and the same
    "Report from" date are one assessment, and so are the quality statement pages of one
    council's local authority assessment; pages of different assessments are never merged. A
    page that cannot be read gets a one-line error; the other records are still written, and
    the exit code is 1.
    """
    try:
        assemblies, failures = assemble(inputs, options)
    except CQCExtractError as exc:
        raise click.ClickException(str(exc)) from None
    for failure in failures:
        click.echo(f"Error: {failure.error}", err=True)
    records = [a.report for a in assemblies]
    if fmt == "jsonl":
        for rec in records:
            output.write(record_json(rec, indent=None) + "\n")
    elif len(records) == 1:
        output.write(record_json(records[0]) + "\n")
    elif records:
        output.write("[\n" + ",\n".join(record_json(r) for r in records) + "\n]\n")
    output.flush()
    if pages_out is not None:
        for assembly in assemblies:
            pages_out.write(_pages_line(assembly) + "\n")
        pages_out.flush()
    if failures:
        sys.exit(1)
