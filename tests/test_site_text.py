"""A whole page copied or printed from cqc.org.uk: the site's own text (cookie notice, menu,
numbered breadcrumb) stands before the header, and the address may stand a line a part."""

from __future__ import annotations

from conftest import SEED

from extractor.pipeline import ExtractOptions, extract_bytes
from models import Report

SITE_TEXT = """Cookies on the CQC website
We use some essential cookies to make this website work.
We’d also like to set additional cookies to understand how you use our website and to improve our services.
Accept additional cookies Reject additional cookies View cookies
Care Quality Commission Menu
Find and compare services
Give feedback on care
Search CQC Search
1. Home
2. Find and compare services
3. Medical Imaging Partnership
4. Well-led
"""
ADDRESS = "Unit 7, The Pavilions, Brighton Road, Pease Pottage, Crawley, West Sussex, RH11 9BJ (01293) 534043"
ADDRESS_LINES = "Unit 7, The Pavilions\nBrighton Road\nPease Pottage\nCrawley\nWest Sussex\nRH11 9BJ\n(01293) 534043"


def _record(text: str) -> Report:
    return extract_bytes(text.encode("utf-8"), source_id="page.txt", options=ExtractOptions(nlp=False))


def _header(record: Report) -> tuple[object, ...]:
    loc = record.location
    address = _address_parts(record) if loc.address else None
    return (loc.name.value if loc.name else None, [s.value for s in loc.service_types],
            loc.overall_rating.value if loc.overall_rating else None, address,
            loc.phone.e164 if loc.phone else None, loc.provider.value if loc.provider else None,
            record.assessment_date.value.iso if record.assessment_date else None)


def _address_parts(record: Report) -> dict[str, object]:
    assert record.location.address is not None
    return {k: (v["value"] if isinstance(v, dict) else v)
            for k, v in record.location.address.model_dump(exclude={"span"}).items()}


def test_site_text_before_the_header_is_passed_over() -> None:
    seed = SEED.read_text(encoding="utf-8")
    plain, copied = _record(seed), _record(SITE_TEXT + seed)
    assert _header(copied) == _header(plain)
    assert copied.location.name is not None and copied.location.name.value == "Medical Imaging Partnership"
    assert [w.code for w in copied.warnings] == [w.code for w in plain.warnings]


def test_an_address_a_line_a_part_reads_as_one() -> None:
    seed = SEED.read_text(encoding="utf-8")
    assert ADDRESS in seed
    plain = _record(seed)
    for text in (seed.replace(ADDRESS, ADDRESS_LINES), SITE_TEXT + seed.replace(ADDRESS, ADDRESS_LINES)):
        record = _record(text)
        assert _address_parts(record) == _address_parts(plain)
        assert record.location.address is not None and record.location.address.span is not None
        assert record.location.address.span.text.startswith("Unit 7, The Pavilions\nBrighton Road")
        assert record.location.phone is not None and record.location.phone.e164 == "+441293534043"
        assert record.location.name is not None and record.location.name.value == "Medical Imaging Partnership"
