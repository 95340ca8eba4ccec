"""The HTML reader: blocks, DOM paths, chrome, badges, addresses, charsets, broken markup.

Cases are small pages written for one behaviour each; whole corpus pages are in
test_html_parity.py. New behaviours get a case here, grouped by what they exercise.
"""

from __future__ import annotations

import codecs

import pytest

from extractor.errors import BinaryInput, EmptyInput, TaxonomyError
from extractor.htmldecode import choose_encoding, declared_charset
from extractor.htmlread import read_html
from extractor.htmlrules import HtmlRules
from extractor.reading import read_any


def page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}<title>Page title</title></head><body>{body}</body></html>".encode()


def texts(data: bytes) -> list[str]:
    return [b.text for b in read_html(data, source_id="t").blocks]


# -- blocks, kinds, offsets, paths ---------------------------------------------------------------
def test_blocks_offsets_and_dom_paths() -> None:
    doc = read_html(page("<main><div><p>x</p></div><div><h2>Safe</h2><p>Staff  were\n kind.</p>"
                         "<ul><li>One<ul><li>Two</li></ul></li></ul></div></main>"), source_id="t")
    assert doc.text == "x\nSafe\nStaff were kind.\nOne\nTwo"
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text
    by_text = {b.text: b for b in doc.blocks}
    assert by_text["Safe"].dom_path == "html/body/main/div[2]/h2"
    assert by_text["Safe"].kind == "heading" and by_text["Safe"].level == 2
    assert by_text["Two"].kind == "list_item" and by_text["Two"].level == 2
    assert by_text["One"].dom_path == "html/body/main/div[2]/ul/li"
    assert doc.media_type == "text/html"


def test_table_cells_are_blocks() -> None:
    assert texts(page("<table><tr><th>Statement</th><td>Score: 3</td></tr></table>")) == ["Statement", "Score: 3"]


def test_short_paragraphs_get_the_kind_a_text_line_gets() -> None:
    doc = read_html(page("<p>Good</p><p>Staff were kind and caring to every person we met.</p>"), source_id="t")
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph"]


def test_br_splits_a_paragraph_but_joins_an_address() -> None:
    assert texts(page("<p>Provided and run by:<br>Oak Care Ltd</p>")) == ["Provided and run by:", "Oak Care Ltd"]
    assert texts(page('<p class="location-address">Unit 7, The Pavilions<br>Brighton Road<br>Crawley,<br>'
                      "RH11 9BJ<br>(01293) 534043</p>")) == [
        "Unit 7, The Pavilions, Brighton Road, Crawley, RH11 9BJ (01293) 534043"]
    assert texts(page("<address>1 High St<br> <br>Leeds</address>")) == ["1 High St, Leeds"]


def test_entities_and_spaces_follow_the_canonical_rules() -> None:
    assert texts(page("<p>People&rsquo;s&nbsp;care &ndash; safe&#8203;ly</p>")) == ["People\u2019s care \u2013 safely"]


# -- chrome and hidden elements ------------------------------------------------------------------
CHROME = """
<a class="skip-link" href="#main">Skip to main content</a>
<div id="cookie-banner"><p>We use cookies</p><button>Accept additional cookies</button></div>
<header class="site-header"><nav><ul><li>Find and compare services</li></ul></nav>
  <form action="/search"><input type="search" name="q"></form></header>
<nav class="breadcrumb"><ol><li>Home</li></ol></nav>
<script>var menu = "Contact us";</script><style>p {color: red}</style><noscript>Enable JavaScript</noscript>
<template><p>Template text</p></template>
<main><article><header><h1>Oak House</h1></header><p>Report text.</p>
  <p hidden>Hidden one</p><p aria-hidden="true">Hidden two</p><p style="display: none">Hidden three</p>
  <div class="page-feedback">Is this page useful?</div>
  <form id="aspnetForm"><p>Kept inside a page-wide form</p></form>
  <form><input type="search" name="keys"><p>Search hint</p></form>
</article></main>
<aside><h2>Related pages</h2></aside>
<div role="contentinfo"><p>Footer role</p></div>
<footer><p>Privacy notice</p></footer>
"""


def test_chrome_and_hidden_elements_are_dropped() -> None:
    assert texts(page(CHROME)) == ["Oak House", "Report text.", "Kept inside a page-wide form"]


def test_a_body_hidden_until_scripts_run_is_read() -> None:
    data = b'<html style="visibility:hidden"><body style="display:none"><p>Report text.</p></body></html>'
    assert texts(data) == ["Report text."]


def test_research_is_not_search() -> None:
    assert texts(page('<div class="research-findings"><p>Findings.</p></div>')) == ["Findings."]


# -- rating badges -------------------------------------------------------------------------------
@pytest.mark.parametrize("badge, shown", [
    ('<img src="g.svg" alt="Good">', "Good"),
    ('<img src="g.svg" alt="Rating: Requires improvement">', "Requires improvement"),
    ('<span role="img" aria-label="Outstanding"></span>', "Outstanding"),
    ('<span class="icon" title="Inadequate"></span>', "Inadequate"),
    ('<i class="badge" aria-label="Rated good"></i>', "good"),
    ('<span class="rating rating--requires-improvement"></span>', "Requires improvement"),
    ('<svg aria-label="Good"><path d="M0"/></svg>', "Good"),
    ("<svg><title>Good</title><path d='M0'/></svg>", "Good"),
], ids=["img-alt", "alt-with-prefix", "aria-label", "title", "badge-class", "class", "svg-aria", "svg-title"])
def test_badge_reads_as_its_rating(badge: str, shown: str) -> None:
    assert texts(page(f"<h2>Safe</h2><div class='kq-rating'>{badge}</div>")) == ["Safe", shown]


def test_badge_inside_a_line_and_badges_already_shown_as_text() -> None:
    assert texts(page('<p>Overall: <img alt="Good"> <a href="#">read more about inspection ratings</a></p>')) == [
        "Overall: Good read more about inspection ratings"]
    assert texts(page('<p><img alt="Good"> <span>Good</span></p>')) == ["Good"]
    assert texts(page('<div class="r"><img alt="Good"><span class="rating rating--good"></span></div>')) == ["Good"]


def test_other_images_and_hidden_badges_add_nothing() -> None:
    assert texts(page('<p>Text</p><img alt="Care Quality Commission logo"><img alt="Good" aria-hidden="true">'
                      '<span aria-label="Print this page"></span>'
                      '<a href="/ratings" title="What does Good mean?"></a>'
                      '<span title="Good"></span>')) == ["Text"]


# -- charsets ------------------------------------------------------------------------------------
TEXT = "<p>People\u2019s care \u2013 caf\u00e9</p>"


@pytest.mark.parametrize("data, encoding", [
    (page(TEXT).replace(b"utf-8", b"utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + page(TEXT, head=""), "utf-8"),
    (page(TEXT, head='<meta charset="utf-8">').decode().encode("cp1252"), "cp1252"),
    (page(TEXT, head='<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'), "utf-8"),
    (page(TEXT, head='<meta charset="windows-1252">').decode().encode("cp1252"), "cp1252"),
    (page(TEXT, head="").decode().encode("utf-16"), "utf-16"),
    (page(TEXT, head='<meta charset="no-such-charset">'), "utf-8"),
], ids=["utf-8", "bom", "says-utf8-is-cp1252", "says-latin1-is-utf8", "cp1252", "utf-16-bom", "unknown-label"])
def test_charset_is_checked_not_trusted(data: bytes, encoding: str) -> None:
    doc = read_html(data, source_id="t")
    assert doc.text == "People\u2019s care \u2013 caf\u00e9"
    assert doc.encoding == encoding


def test_declared_charset_labels() -> None:
    assert declared_charset(b'<meta charset="ISO-8859-1">') == "cp1252"
    assert declared_charset(b'<?xml version="1.0" encoding="UTF-8"?><html>') == "utf-8"
    assert declared_charset(b"<html><body>") is None


def test_empty_binary_and_chrome_only_pages_are_errors() -> None:
    with pytest.raises(EmptyInput):
        read_html(b"  \n", source_id="t")
    with pytest.raises(BinaryInput):
        choose_encoding(b"<html>\x00\x01\x02</html>", "t")
    with pytest.raises(EmptyInput, match="site chrome"):
        read_html(page("<nav><a href='/'>Home</a></nav><script>x()</script>"), source_id="t")


# -- broken markup -------------------------------------------------------------------------------
def test_unclosed_and_misnested_tags() -> None:
    data = (b"<html><body><div class=location-header><h1>Oak House<p>Overall: <b><i>Good</b></i>"
            b"<ul><li>Care home<li>Nursing home</ul><div><p>First<p>Second & third <span>open"
            b"<table><tr><td>cell one<td>cell two</table></p></div></div></div></section>trailing")
    assert texts(data) == ["Oak House", "Overall: Good", "Care home", "Nursing home", "First",
                           "Second & third open", "cell one", "cell two", "trailing"]


def test_reader_choice_sniffs_content() -> None:
    assert read_any(page("<p>x</p>"), source_id="t").media_type == "text/html"
    assert read_any(b"\xef\xbb\xbf<!doctype html><p>x</p>", source_id="t").media_type == "text/html"
    assert read_any(b"Oak House\nReport from 1 May 2024 assessment\n", source_id="t").media_type == "text/plain"


# -- the rules file ------------------------------------------------------------------------------
def test_rules_file_rejects_an_empty_group() -> None:
    from extractor.htmlrules import rules

    data = rules().model_dump()
    data["chrome_phrases"] = [" ".join(p) for p in data["chrome_phrases"]]
    HtmlRules.model_validate(data)
    data["drop_tags"] = []
    with pytest.raises(ValueError):
        HtmlRules.model_validate(data)
    assert issubclass(TaxonomyError, ValueError)


def test_dom_paths_resolve_as_xpaths_on_corpus_pages() -> None:
    """Each block's path, with [1] added to steps without an index, finds its element."""
    import re
    from pathlib import Path

    from lxml import etree

    corpus = Path(__file__).resolve().parent.parent / "corpus" / "saf-html"
    for page_path in sorted(corpus.glob("0*.html"))[:4]:
        data = page_path.read_bytes()
        doc = read_html(data, source_id=str(page_path))
        parser = etree.HTMLParser(remove_comments=True, no_network=True, encoding=doc.encoding)
        root = etree.fromstring(data, parser).getroottree()
        for block in doc.blocks:
            assert block.dom_path
            xpath = "/" + "/".join(s if "[" in s else f"{s}[1]" for s in block.dom_path.split("/"))
            (element,) = root.xpath(xpath)
            shown = element.xpath("string()") + " ".join(element.xpath(".//@alt|.//@aria-label"))
            assert block.text.split()[0] in re.sub(r"\s+", " ", shown)
