"""What the README promises about the records stays true of the schema."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from models import Report

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_readme_lists_every_document_kind_and_no_other() -> None:
    table = README[README.index("| `document_kind` | the input |"):README.index("## What it extracts")]
    listed = set(re.findall(r"`([a-z_]+)`", table)) - {"document_kind"}
    assert listed == set(get_args(Report.model_fields["document_kind"].annotation))


def test_the_readme_documents_every_warning_code_the_code_can_give() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).resolve().parent.parent / "extractor")
                       .rglob("*.py"))
    codes = set(re.findall(r'code="([a-z_]+)"', source)) | set(re.findall(r'warn\("([a-z_]+)"', source))
    table = README[README.index("### Checks (warning codes)"):README.index("## Commands")]
    documented = set(re.findall(r"`([a-z_]+)`", table))
    assert codes and codes <= documented, sorted(codes - documented)
