"""``cqc-extract text``: the canonical text of one input, the text every span of its record indexes."""

from __future__ import annotations

from typing import IO

import click

from extractor.cli_parse import read_input
from extractor.errors import CQCExtractError
from extractor.reading import read_any


@click.command("text")
@click.argument("file", metavar="FILE")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write the text (default: standard output).")
def text_command(file: str, output: IO[str]) -> None:
    """Write the canonical text of FILE (PDF, HTML or text; - reads standard input).

    Every span of FILE's record indexes this text: ``text[start:end]``. For a PDF it is the text
    layer with each paragraph on one line, and standard error names the offset where each page
    starts. Parsing the written text gives the same record apart from its source.
    """
    source_id = "<stdin>" if file == "-" else file
    try:
        doc = read_any(read_input(file), source_id=source_id)
    except CQCExtractError as exc:
        if exc.source_id is None:
            exc.source_id = source_id
        raise click.ClickException(str(exc)) from None
    output.write(doc.text)
    output.flush()
    if doc.page_starts:
        starts = ", ".join(str(start) for start in doc.page_starts)
        click.echo(f"{source_id}: {len(doc.page_starts)} PDF pages, starting at offsets {starts}", err=True)
