"""Identifiers carried by a cqc.org.uk address.

``https://www.cqc.org.uk/location/1-2345678901/reports/LAP-01278/well-led`` gives the location id
``1-2345678901``, the assessment id ``LAP-01278`` and the key question ``Well-led``; NHS pages
carry ODS codes (``/location/RL403``) and core services (``/maternity/safe``).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from extractor import taxonomy as tx
from models import Identifiers

_LOCATION_RE = re.compile(r"^(?:1-\d{9,11}|[A-Z0-9]{3,5})$")
_ASSESSMENT_RE = re.compile(r"^(?:LAP-\d{4,6}|AP\d{3,6}|INS\d-\d{6,12}|[A-Z]{2,4}-?\d{4,9})$")


def identifiers_from_url(url: str | None) -> Identifiers:
    """Read location id, assessment id, key question and core service from a page address."""
    if not url:
        return Identifiers()
    parts = [unquote(p) for p in urlsplit(url).path.split("/") if p]
    ids = Identifiers(url=url)
    for i, part in enumerate(parts):
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if part.lower() == "location" and nxt and _LOCATION_RE.match(nxt):
            ids.location_id = nxt
        elif part.lower() == "reports" and nxt and _ASSESSMENT_RE.match(nxt):
            ids.assessment_id = nxt
        elif (kq := tx.key_question_by_slug(part)) is not None:
            ids.key_question = kq.name
        elif (cs := tx.core_service(part)) is not None and part.lower() == cs.slug:
            ids.core_service = cs.name
    return ids
