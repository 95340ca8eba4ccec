"""The ``cqc-extract`` command line: a thin click layer over the library.

Library errors (:class:`extractor.errors.CQCExtractError`) become one-line ``Error: ...``
messages with exit code 1; no traceback reaches the user for a mistake in the input.
Commands live in small ``cli_*`` modules and are registered here.
"""

from __future__ import annotations

import os
import sys

# One BLAS thread per process, set before numpy loads: batch workers run one per core, and
# OpenBLAS threads in every worker oversubscribe the cores (measured: two workers each ran at
# half speed with the default, at full speed with one thread).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import click  # noqa: E402

from extractor.cli_assemble import assemble_command  # noqa: E402
from extractor.cli_batch import batch_command, export_command, synth_command  # noqa: E402
from extractor.cli_eval import eval_command  # noqa: E402
from extractor.cli_nlp import eval_nlp_command  # noqa: E402
from extractor.cli_parse import parse_command, schema_command  # noqa: E402
from extractor.cli_text import text_command  # noqa: E402
from extractor.cli_view import view_command  # noqa: E402


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cqc-extract")
def cli() -> None:
    """Turn CQC assessment reports into validated, source-grounded JSON records."""


cli.add_command(parse_command)
cli.add_command(assemble_command)
cli.add_command(schema_command)
cli.add_command(eval_command)
cli.add_command(eval_nlp_command)
cli.add_command(batch_command)
cli.add_command(export_command)
cli.add_command(synth_command)
cli.add_command(view_command)
cli.add_command(text_command)


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
