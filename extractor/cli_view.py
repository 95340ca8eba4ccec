"""``cqc-extract view``: a review page of one report."""

from __future__ import annotations

from pathlib import Path

import click

from extractor.cli_parse import extract_options
from extractor.errors import CQCExtractError
from extractor.nlp.redact import redact_people as mask_people
from extractor.pipeline import ExtractOptions, extract_document, person_spans
from extractor.reading import read_any
from extractor.view import render_view


@click.command("view")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML page to write.")
@click.option("--url", default=None, help="The page's address, for location and assessment ids.")
@extract_options
def view_command(file: Path, output: Path, url: str | None, options: ExtractOptions) -> None:
    """Write a self-contained HTML page showing FILE's text with every extracted span highlighted.

    Highlights are coloured by kind (header field, structure, score, entity, evidence category,
    warning); the record, its warnings and its entities stand beside the text.
    """
    try:
        doc = read_any(file.read_bytes(), source_id=str(file), path=str(file), url=url)
        record = extract_document(doc, options)
    except CQCExtractError as exc:
        raise click.ClickException(str(exc)) from None
    text = doc.text
    if record.nlp.redacted_people:
        text = mask_people(text, person_spans(record))
    try:
        output.write_text(render_view(record, text), encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"wrote {output} ({len(record.warnings)} warnings)", err=True)
