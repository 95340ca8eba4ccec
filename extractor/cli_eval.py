"""``cqc-extract eval``: how many expected facts of a corpus the pipeline reproduces."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from extractor.cli_parse import extract_options
from extractor.corpus_eval import corpus_documents, score_document
from extractor.pipeline import ExtractOptions


@click.command("eval")
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False,
                                                                      path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="List every differing fact.")
@extract_options
def eval_command(folders: tuple[Path, ...], verbose: bool, options: ExtractOptions) -> None:
    """Score the pipeline on corpus FOLDERS (documents beside <name>.expected.json files).

    Exit code 1 when any expected fact is not reproduced.
    """
    docs = [d for f in folders for d in corpus_documents(f)]
    if not docs:
        raise click.ClickException("no documents with .expected.json files found")
    total = correct = exact = 0
    for doc in docs:
        score = score_document(doc, options)
        total += score.facts
        correct += score.correct
        ok = score.error is None and not score.differences
        exact += ok
        status = "ok" if ok else (f"error: {score.error}" if score.error
                                  else f"{len(score.differences)} differences")
        click.echo(f"{score.correct:4d}/{score.facts:<4d} {doc}  {status}")
        if verbose:
            for line in score.differences:
                click.echo(f"          {line}")
    click.echo(f"documents matching exactly: {exact}/{len(docs)}; facts reproduced: "
               f"{correct}/{total} ({100 * correct / total:.1f}%)")
    if exact != len(docs):
        sys.exit(1)
