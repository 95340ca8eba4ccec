"""Canonical text: how it relates to the input bytes, and offset-keeping matching."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extractor.document import canonicalise, fold
from extractor.pipeline import ExtractOptions, extract_bytes
from extractor.textread import read_text, split_blocks


def test_bom_crlf_and_nbsp_are_canonicalised(seed_bytes: bytes) -> None:
    variant = b"\xef\xbb\xbf" + seed_bytes.replace(b"\n", b"\r\n").replace(b"Unit 7", "Unit\u00a07".encode())
    plain = read_text(seed_bytes, source_id="plain")
    other = read_text(variant, source_id="variant")
    assert other.text == plain.text
    assert other.raw_sha256 != plain.raw_sha256


def test_cp1252_text_is_decoded(seed_bytes: bytes) -> None:
    text = seed_bytes.decode("utf-8")
    doc = read_text(text.encode("cp1252"), source_id="cp1252")
    assert doc.encoding == "cp1252" and doc.text == text


def test_same_record_whatever_the_line_endings_and_quotes(seed_bytes: bytes) -> None:
    opts = ExtractOptions(ner=False)
    a = extract_bytes(seed_bytes, source_id="a", options=opts)
    curly = seed_bytes.decode().replace("'", "\u2019").replace("-led", "\u2013led")
    b = extract_bytes(curly.replace("\n", "\r\n").encode(), source_id="b", options=opts)
    assert [s.id for s in b.key_questions[0].quality_statements] == \
        [s.id for s in a.key_questions[0].quality_statements]
    assert b.key_questions[0].name.value == "Well-led"
    assert b.key_questions[0].name.span.text == "Well\u2013led"


@given(st.text())
def test_fold_keeps_every_offset(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(st.text())
def test_canonicalise_is_idempotent(text: str) -> None:
    once = canonicalise(text)
    assert canonicalise(once) == once
    assert "\r" not in once


@given(st.text(alphabet=st.sampled_from(list("ab •-\n\t\u00a0.:"))))
def test_blocks_point_at_their_text(text: str) -> None:
    canonical = canonicalise(text)
    for block in split_blocks(canonical):
        assert canonical[block.start:block.end] == block.text
        assert block.text == block.text.strip() and block.text
