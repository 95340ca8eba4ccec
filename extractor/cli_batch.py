"""``cqc-extract batch``, ``cqc-extract export`` and ``cqc-extract synth``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from extractor.batch import cpu_count, default_errors_path, exit_code, run_batch
from extractor.cli_parse import extract_options
from extractor.errors import CQCExtractError
from extractor.executors import abandoned_threads
from extractor.export import FORMATS, export_jsonl
from extractor.inputs import discover
from extractor.jsonl import LineWriter, dumps_line
from extractor.pipeline import ExtractOptions
from extractor.synth import FAMILY_NAMES, pages

_BATCH_EPILOG = """\b
Inputs: files; folders (*.txt, *.text, *.htm, *.html under them, sorted); globs
('corpus/**/*.html', quoted); @LIST, a file of paths one a line (@- reads standard input);
and crawl files *.jsonl, one {"url": ..., "html": ...} object a line.

\b
Exit codes:
  0  every input has a record in OUT
  1  the batch could not run (bad input argument, unreadable file, scheduler unreachable,
     an OUT that --resume cannot carry on)
  2  usage error
  3  some inputs failed (one line each in the error file); the rest are in OUT
  4  some inputs hit an internal error (a defect: please report it); see the error file
  130  interrupted (Ctrl-C): the lines written are whole; --resume carries on
"""


def _fail(exc: CQCExtractError) -> click.ClickException:
    return click.ClickException(str(exc))


@click.command("batch", epilog=_BATCH_EPILOG)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="The records, one JSON object a line, in input order.")
@click.option("--errors", "errors", type=click.Path(dir_okay=False), default=None,
              help="One JSON line per failed input: id, path, url, sha256, error_type, message "
                   "[default: OUT with .errors.jsonl].")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (or Dask workers with --scheduler local) [default: the "
                   "number of cores].")
@click.option("--resume", is_flag=True,
              help="Keep OUT and the error file and skip the inputs they already hold (matched "
                   "by content hash); refused if OUT's records were made with other options. "
                   "Without it both are overwritten.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run on Dask: 'local' starts a local cluster of --jobs workers; "
                   "tcp://HOST:PORT uses a running scheduler.")
@click.option("--chunksize", type=click.IntRange(min=1), default=None,
              help="Inputs per unit of work sent to a worker [default: automatic, at most 32].")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="A progress bar on a terminal, a log line every 10 s otherwise.")
@extract_options
def batch_command(inputs: tuple[str, ...], out: str, errors: str | None, jobs: int | None,
                  resume: bool, scheduler: str | None, chunksize: int | None, progress: bool,
                  options: ExtractOptions) -> None:
    """Convert many reports (INPUT...) into a JSONL file of records, in parallel.

    Every input ends as one line: a record in OUT or a failure in the error file. The output
    order is the input order whatever --jobs is, each line is written whole (a killed batch
    leaves no torn line), and --resume carries on where a killed or finished run stopped. The
    last line on standard error accounts for every input: inputs = records + failures.
    """
    for name, value in (("--output", out), ("--errors", errors)):
        if value == "-":
            raise click.UsageError(f"{name} -: batch writes to files, which --resume can carry on "
                                   "after a stop; `cqc-extract parse --format jsonl FILE...` writes "
                                   "records to standard output")
    errors_path = Path(errors) if errors else default_errors_path(out)
    if Path(out).resolve() == errors_path.resolve():
        raise click.UsageError("--errors must be another file than --output")
    try:
        refs = discover(inputs)
    except CQCExtractError as exc:
        raise _fail(exc) from None
    found = len(refs)  # counting also notes what the folder walks passed over
    passed_over = refs.skipped.describe()
    if not found:
        raise click.ClickException("no input files found in " + " ".join(inputs)
                                   + (f" ({passed_over})" if passed_over else ""))
    if passed_over:
        click.echo(f"note: {passed_over}", err=True)
    jobs = jobs or cpu_count()
    try:
        summary = run_batch(refs, out, errors=errors_path, jobs=jobs, options=options,
                            resume=resume, scheduler=scheduler, chunksize=chunksize,
                            progress=progress, tty=sys.stderr.isatty(),
                            log=lambda line: click.echo(line, err=True))
    except CQCExtractError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise click.ClickException(f"batch stopped: {where}{exc.strerror or exc}") from None
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: {out} and {errors_path} hold whole lines for the inputs done so "
                   "far; run the same command with --resume to carry on", err=True)
        sys.exit(130)
    if (breakdown := summary.breakdown()) is not None:
        click.echo(breakdown, err=True)
    click.echo(summary.text(), err=True)
    if summary.failures:
        click.echo(f"failures are listed in {errors_path}", err=True)
    if summary.unmatched_lines:
        click.echo(f"note: {summary.unmatched_lines} lines of an earlier run match none of these "
                   "inputs", err=True)
    code = exit_code(summary)
    if abandoned_threads():  # every line is written and closed: nothing is left to wait for
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    if code:
        sys.exit(code)


@click.command("export")
@click.argument("records", type=click.Path(exists=True, dir_okay=False), metavar="RECORDS.jsonl")
@click.argument("dest", type=click.Path(), metavar="DEST")
@click.option("--to", "fmt", type=click.Choice(FORMATS), default="sqlite", show_default=True,
              help="sqlite: one database file; parquet, csv: a folder with one file per table.")
@click.option("--replace", is_flag=True, help="Overwrite an export already at DEST.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="A progress bar (bytes of RECORDS read) on a terminal.")
def export_command(records: str, dest: str, fmt: str, replace: bool, progress: bool) -> None:
    """Export records (from `batch` or `parse --format jsonl`) as normalised tables.

    \b
    Tables: reports, key_questions, quality_statements, evidence_sentences, entities,
    warnings; keyed by report_id (the sha256 of the input's bytes) and positions (kq_no,
    statement_no, sentence_no, ...). A record whose report_id is already exported is skipped
    and counted.
    """
    bar = None
    if progress and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=Path(records).stat().st_size, unit="B", unit_scale=True, dynamic_ncols=True)
    try:
        summary = export_jsonl(records, dest, fmt, replace=replace, read=bar.update if bar else None)
    except CQCExtractError as exc:
        raise _fail(exc) from None
    finally:
        if bar is not None:
            bar.close()
    rows = ", ".join(f"{name} {n}" for name, n in summary.rows.items())
    dup = f" ({summary.duplicates} duplicates skipped)" if summary.duplicates else ""
    click.echo(f"exported {summary.records} records{dup} to {dest}: {rows}", err=True)


@click.command("synth")
@click.option("-n", "count", type=click.IntRange(min=1), required=True, help="How many pages.")
@click.argument("out_dir", type=click.Path(file_okay=False), metavar="OUT_DIR")
@click.option("--seed", type=int, default=0, show_default=True, help="Series of pages to draw.")
@click.option("--start", type=click.IntRange(min=0), default=0, show_default=True,
              help="Index of the first page (to extend a series).")
@click.option("--format", "fmt", type=click.Choice(["txt", "html", "mixed", "jsonl"]),
              default="txt", show_default=True,
              help="txt / html: one file per page; mixed: alternately; jsonl: one crawl file "
                   "pages.jsonl of {url, html} lines.")
@click.option("--family", type=click.Choice([*FAMILY_NAMES, "mixed"]),
              default="saf", show_default=True,
              help="saf: SAF key-question pages; inspection: rating-era reports; la: local authority "
                   "pages; essential: essential standards reports; star: star-rated reports; "
                   "location: rating-era location pages (web summary, list of all inspections); "
                   "mixed: each in turn. Only SAF pages come as HTML too.")
@click.option("--truth", is_flag=True, help="Also write truth.jsonl: the facts of each page.")
def synth_command(count: int, out_dir: str, seed: int, start: int, fmt: str, family: str, truth: bool) -> None:
    """Write N synthetic pages to OUT_DIR (for scale tests, not accuracy).

    Pages are a pure function of --seed, --family and the page index: the same options write the
    same bytes. The other families are PDF text extracts: their pages are always text (.txt files,
    or {url, text} lines in a crawl file).
    """
    if fmt == "html" and family != "saf":
        raise click.UsageError(f"--format html makes SAF pages only; --family {family} pages are text "
                               "(use --format txt, mixed or jsonl)")
    folder = Path(out_dir)
    try:
        _write_pages(folder, count, seed, start, fmt, family, truth)
    except OSError as exc:
        raise click.ClickException(f"{exc.filename or folder}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"wrote {count} pages to {folder}", err=True)


def _write_pages(folder: Path, count: int, seed: int, start: int, fmt: str, family: str, truth: bool) -> None:
    """The pages (files, or one crawl file) and their facts (``truth.jsonl``) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    crawl = LineWriter(folder / "pages.jsonl") if fmt == "jsonl" else None
    facts = LineWriter(folder / "truth.jsonl") if truth else None
    try:
        for page in pages(seed, count, start=start, family=family):
            as_html = page.html is not None and (fmt == "html" or (fmt == "mixed" and page.index % 2 == 1))
            name = f"{page.index:06d}.{'html' if as_html else 'txt'}"
            if crawl is not None:
                body = {"html": page.html} if page.html is not None else {"text": page.text}
                crawl.write_line(dumps_line({"url": page.url, **body}))
                name = f"pages.jsonl:{page.index - start + 1}"
            else:
                (folder / name).write_text(page.html if as_html and page.html is not None else page.text,
                                           encoding="utf-8")
            if facts is not None:
                facts.write_line(dumps_line({"input": name, "url": page.url, **page.truth}))
    finally:
        for writer in (crawl, facts):
            if writer is not None:
                writer.close()
