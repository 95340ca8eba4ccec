"""Write the HTML corpus (corpus/saf-html/) from text copies of SAF pages.

Each text page is segmented by the project's own pipeline, and each block is marked up the way
cqc.org.uk pages mark it up (heading, rating badge, address with line breaks, score line with
links, statement sections), inside one of the site templates in ``templates/`` with their cookie
banner, menus, search, breadcrumb, footer and scripts. Variants cover what saved pages do:
ratings only as badges, a wrong charset declaration, unclosed and mis-nested tags, entities.

Run from the repository root: ``python tools/saf_html/make.py``. The output is committed; the
tests read the HTML files, not this script.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extractor.blocklabels import Label  # noqa: E402
from extractor.document import Document  # noqa: E402
from extractor.segment import segment  # noqa: E402
from extractor.textread import read_text  # noqa: E402

TEMPLATES = Path(__file__).with_name("templates")
OUT = ROOT / "corpus" / "saf-html"
SOURCES = ROOT / "corpus" / "saf-html-sources"

_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
_PHONE_TAIL = re.compile(r"\s+((?:\(0\d{3,4}\)\s?|0\d{3,4}\s)[\d ]{6,9})$")
_SCORE_LINKS = ("Find out what we look at when we assess this area", "How we calculate these scores")


@dataclass(frozen=True)
class Variant:
    template: str = "cqc2024"
    badges: bool = False  # ratings only as image alt / aria-label, not as visible text
    nav_contents: bool = True  # "On this page" inside <nav> (dropped) rather than a <div>
    details: bool = False  # statements in <details>/<summary> accordions
    entities: bool = False  # curly quotes and dashes written as named entities
    unclosed: bool = False  # omit optional end tags, leave tags unclosed, mis-nest inline tags
    charset_declared: str = "utf-8"
    charset_written: str = "utf-8"


def esc(text: str, v: Variant) -> str:
    out = html.escape(text, quote=False)
    if v.entities:
        for ch, ent in (("\u2019", "&rsquo;"), ("\u2018", "&lsquo;"), ("\u201c", "&ldquo;"),
                        ("\u201d", "&rdquo;"), ("\u2013", "&ndash;"), ("\u2014", "&mdash;")):
            out = out.replace(ch, ent)
        out = out.replace(" (out of 100)", "&nbsp;(out of 100)")
    return out


def rating_html(rating: str, v: Variant, *, block: bool) -> str:
    slug = rating.lower().replace(" ", "-")
    if v.badges:
        if block:
            return (f'<div class="kq-rating"><span class="rating-badge rating-badge--{slug}" '
                    f'role="img" aria-label="Rating: {rating}"></span></div>')
        return (f'<img class="rating-icon" src="/themes/custom/cqc/img/ratings/{slug}.svg" '
                f'alt="{rating}" width="24" height="24">')
    if block:
        return (f'<p class="kq-rating"><span class="rating-label rating-label--{slug}">'
                f'{html.escape(rating)}</span></p>')
    return f'<strong class="rating rating--{slug}">{html.escape(rating)}</strong>'


def address_html(text: str, v: Variant) -> str:
    phone = ""
    if m := _PHONE_TAIL.search(text):
        phone, text = m.group(1), text[:m.start()]
    lines = "<br>\n".join(esc(part, v) for part in text.split(", "))
    tail = f'<br>\n<span class="location-phone"><a href="tel:{phone.replace(" ", "")}">{esc(phone, v)}</a></span>' if phone else ""
    return f'<p class="location-address" itemprop="address">{lines}{tail}</p>'


def list_html(items: list[tuple[int, str]], css: str) -> str:
    """Nested <ul> from (level, html) items."""
    out, depth = [], 0
    for level, item in items:
        level = max(1, level)
        while depth < level:
            out.append(f'<ul class="{css}">' if depth == 0 else "<ul>")
            depth += 1
        while depth > level:
            out.append("</ul></li>")
            depth -= 1
        out.append(f"<li>{item}")
        out.append("</li>")
    while depth > 0:
        out.append("</ul>" if depth == 1 else "</ul></li>")
        depth -= 1
    # a nested list belongs inside the previous item: drop the "</li>" before a "<ul>"
    joined = "\n".join(out)
    return re.sub(r"</li>\n<ul>", "\n<ul>", joined)


class PageWriter:
    """Marks up the blocks ``[lo, hi)`` of a segmented text page."""

    def __init__(self, doc: Document, v: Variant) -> None:
        self.doc, self.v = doc, v
        self.seg = segment(doc)
        self.labels = self.seg.labels

    def text(self, i: int) -> str:
        return self.doc.blocks[i].text

    def header(self, lo: int, hi: int) -> list[str]:
        out: list[str] = ['<div class="location-header">']
        i, v = lo, self.v
        crumbs: list[tuple[int, str]] = []
        while i < hi and (self.doc.blocks[i].kind == "list_item"
                          or self.labels[i].label is Label.SERVICE_TYPE):
            b = self.doc.blocks[i]
            if b.kind == "list_item":
                crumbs.append((b.level, esc(b.text, v)))
            else:
                out.append(f'<p class="service-type">{esc(b.text, v)}</p>')
            i += 1
        if crumbs:
            out.append(list_html(crumbs, "service-types"))
        named = False
        while i < hi:
            b, lab = self.doc.blocks[i], self.labels[i].label
            if lab is Label.OVERALL:
                out.append(self.overall(b.text))
            elif lab is Label.PROVIDED_BY and i + 1 < hi:
                out.append(f'<p class="provider">{esc(b.text, v)}<br>\n'
                           f'<a href="/provider/1-000000001">{esc(self.text(i + 1), v)}</a></p>')
                i += 1
            elif lab is Label.REPORT_FROM:
                out.append(f'<p class="assessment-date">{esc(b.text, v)}</p>')
            elif lab is Label.NAV:
                items = []
                while i + 1 < hi and self.doc.blocks[i + 1].kind == "list_item":
                    i += 1
                    items.append((1, f'<a href="#s{i}">{esc(self.text(i), v)}</a>'))
                body = list_html(items, "contents-list") if items else ""
                tag = "nav" if v.nav_contents else "div"
                label = ' aria-label="On this page"' if v.nav_contents else ""
                out.append(f'<{tag} class="on-this-page"{label}>\n<h2 class="on-this-page__title">'
                           f'{esc(b.text, v)}</h2>\n{body}\n</{tag}>')
            elif _POSTCODE.search(b.text):
                out.append(address_html(b.text, v))
            elif not named and b.kind == "heading":
                m = re.match(r"(Archived:\s*)(.*)", b.text)
                inner = (f'<span class="tag tag--archived">{esc(m.group(1), v)}</span>{esc(m.group(2), v)}'
                         if m else esc(b.text, v))
                out.append(f'<h1 class="location-name">{inner}</h1>')
                named = True
            elif b.kind == "list_item":
                out.append(f"<ul><li>{esc(b.text, v)}</li></ul>")
            else:
                out.append(f'<p class="notice">{esc(b.text, v)}</p>')
            i += 1
        out.append("</div>")
        return out

    def overall(self, text: str) -> str:
        m = re.match(r"(Overall:?\s*)(.*?)(\s*read more about inspection ratings)?$", text)
        assert m, text
        from extractor import taxonomy as tx

        rating = m.group(2)
        shown = rating_html(rating, self.v, block=False) if tx.rating(rating) else esc(rating, self.v)
        link = ' <a href="/what-we-do/how-we-do-our-job/ratings">read more about inspection ratings</a>' \
            if m.group(3) else ""
        return f'<p class="overall-rating">{esc(m.group(1).strip(), self.v)} {shown}{link}</p>'

    def para(self, i: int, cls: str = "") -> str:
        b = self.doc.blocks[i]
        text = esc(b.text, self.v)
        if self.labels[i].label is Label.KQ_SCORE:
            m = re.search(r"scored (\d+)", text)
            if m:
                text = text.replace(m.group(0), f"scored <strong>{m.group(1)}</strong>", 1)
            for link in _SCORE_LINKS:
                text = text.replace(link, f'<a href="/guidance-regulation/assessment">{link}</a>', 1)
            cls = "kq-score"
        if b.kind == "list_item":
            return f"<ul><li>{text}</li></ul>"
        attr = f' class="{cls}"' if cls else ""
        return f"<p{attr}>{text}</p>"

    def section(self, k: int) -> list[str]:
        s, v = self.seg.key_questions[k], self.v
        out = [f'<section class="key-question" id="kq-{k}">',
               f'<h2 class="key-question__title">{esc(self.text(s.heading), v)}</h2>']
        if s.rating is not None:
            out.append(rating_html(self.text(s.rating), v, block=True))
        if s.date is not None:
            out.append(f'<p class="key-question__date"><time>{esc(self.text(s.date), v)}</time></p>')
        body_start = s.statements[0].heading if s.statements else s.end
        for i in range(s.heading + 1, body_start):
            if i not in (s.rating, s.date):
                out.append(self.para(i))
        for st in s.statements:
            inner = [f'<h3 class="statement__title" id="s{st.heading}">{esc(self.text(st.heading), v)}</h3>']
            if st.score is not None:
                sc = self.text(st.score)
                m = re.match(r"(Score:?\s*)(.*)", sc)
                inner.append(f'<p class="statement__score">{esc(m.group(1), v)}<span class="score">'
                             f'{esc(m.group(2), v)}</span></p>' if m else f"<p>{esc(sc, v)}</p>")
            last = st.last
            for i in range(st.heading + 1, last + 1):
                if i != st.score:
                    inner.append(self.para(i))
            if v.details:
                out.append('<details class="statement" open>\n<summary>' + inner[0] + "</summary>\n"
                           + "\n".join(inner[1:]) + "\n</details>")
            else:
                out.append('<div class="statement">\n' + "\n".join(inner) + "\n</div>")
        out.append("</section>")
        return out

    def pages(self) -> list[tuple[str, str]]:
        """(page title, content html) per page of the text (one page per header)."""
        result = []
        headers, sections = self.seg.headers, self.seg.key_questions
        for h, (lo, hi) in enumerate(headers):
            nxt = headers[h + 1][0] if h + 1 < len(headers) else len(self.doc.blocks)
            content = self.header(lo, hi)
            ks = [k for k, s in enumerate(sections) if lo <= s.heading < nxt]
            covered = hi
            for k in ks:
                content.extend(self.section(k))
                covered = sections[k].end
            for i in range(covered, nxt):  # text after the last section (overview pages)
                content.append(self.overview_block(i))
            title = self.text(sections[ks[0]].heading) if ks else "Overview"
            result.append((title, "\n".join(content)))
        return result

    def overview_block(self, i: int) -> str:
        b, lab = self.doc.blocks[i], self.labels[i].label
        if lab is Label.OVERVIEW:
            return f'<h2 class="overview__title">{esc(b.text, self.v)}</h2>'
        if lab is Label.RATING:
            return rating_html(b.text, self.v, block=True)
        if lab is Label.DATE:
            return f'<p class="overview__date"><time>{esc(b.text, self.v)}</time></p>'
        if b.kind == "heading":
            return f"<h3>{esc(b.text, self.v)}</h3>"
        return self.para(i)


def unclose(page: str) -> str:
    """Break the markup the way hand-edited and truncated pages do (inside the report only)."""
    start = page.index('<div class="location-header">')
    end = page.rindex("</section>") + len("</section>")
    body = page[start:end]
    body = body.replace("</p>", "").replace("</li>", "").replace("</time>", "")
    body = body.replace('<div class="statement">', '<div class="statement"><span class="statement__inner">')
    body = body.replace("</h3>", "</h3 >", 1).replace("<strong>", "<b><i>", 1).replace("</strong>", "</b></i>", 1)
    body = body.replace("</section>", "", 1)
    body = re.sub(r'class="([a-z_-]+)"', r"class=\1", body, count=5)
    return page[:start] + body + page[end:]


def render(title: str, content: str, name: str, url: str, v: Variant) -> bytes:
    tpl = (TEMPLATES / f"{v.template}.html").read_text(encoding="utf-8")
    values = {"charset": v.charset_declared, "name": html.escape(name), "page_title": html.escape(title),
              "url": url, "location_url": url.rsplit("/reports/", 1)[0],
              "name_json": json.dumps(name)[1:-1], "content": content}
    page = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), tpl)
    if v.unclosed:
        page = unclose(page)
    return page.encode(v.charset_written)


def convert(src: Path, v: Variant, out: Path, *, url: str) -> list[Path]:
    """Write the HTML of a text copy: ``out`` for one page, else ``out``'s folder, one file a page."""
    doc = read_text(src.read_bytes(), source_id=str(src))
    writer = PageWriter(doc, v)
    name = next((writer.text(i) for i, b in enumerate(doc.blocks) if b.kind == "heading"
                 and writer.labels[i].label is Label.TEXT), "CQC")
    pages = writer.pages()
    written = []
    for n, (title, content) in enumerate(pages, start=1):
        slug = title.lower().replace(" ", "-")
        if len(pages) == 1:
            path, page_url = out, url
        else:
            folder = out.parent if out.stem == "pages" else out.with_suffix("")
            path, page_url = folder / f"{n}_{slug}.html", f"{url}/{slug}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(title, content, name, page_url, v))
        written.append(path)
    return written


# Which text page becomes which HTML page, and how it is marked up.
SAMPLES: dict[str, Variant] = {
    "01_brackenridge_nursing_safe": Variant(badges=True),
    "02_hollin_bank_gp_effective": Variant(template="cqc2023", nav_contents=False),
    "03_kindred_hands_homecare_caring": Variant(charset_declared="utf-8", charset_written="cp1252",
                                                entities=False),
    "04_meadowsweet_hospice_responsive": Variant(details=True, entities=True),
    "05_brookvale_supported_living_well_led": Variant(unclosed=True),
    "06_clifton_vale_hospital_safe": Variant(template="cqc2023", badges=True),
    "07_calderbrook_maternity_safe": Variant(nav_contents=False, entities=True),
    "09_thornleigh_lodge_numbers_disagree": Variant(template="cqc2023"),
    "10_riverbank_community_responsive_score5": Variant(charset_declared="iso-8859-1"),
    "11_willow_reach_caring_wrong_statement": Variant(details=True, charset_declared="iso-8859-1"),
    "12_beacon_homecare_well_led_duplicate": Variant(template="cqc2023", entities=True),
    "13_marlowe_utc_effective_date_order": Variant(badges=True, nav_contents=False),
    "14_archived_clearview_clinic_caring": Variant(),
    "15_swiftcare_ambulance_boundary": Variant(template="cqc2023", details=True),
    "16_coldharbour_gp_responsive_no_score": Variant(entities=True),
    "17_larchfield_dental_safe": Variant(badges=True),
    "18_kittiwake_dental_well_led_propagation": Variant(template="cqc2023", entities=True),
}

# Location pages of the rating era (corpus/inspection-text/): a web summary and a list of all
# inspections have the SAF page's header and are marked up the same way.
LOCATION_SAMPLES: dict[str, Variant] = {
    "08_wrenbeck_house_web_summary": Variant(badges=True),
    "09_brindlecroft_home_care_web_summary_mismatch": Variant(template="cqc2023", entities=True),
    "10_thrushgill_lodge_all_inspections": Variant(template="cqc2023"),
    "11_saltersgate_surgery_all_inspections_order": Variant(entities=True),
    "18_sandholme_general_hospital_all_inspections": Variant(template="cqc2023", entities=True),
}

BASE_URL = "https://www.cqc.org.uk/location/1-{n:010d}/reports/AP{n:04d}/overall"


def main() -> None:
    for n, (stem, v) in enumerate(SAMPLES.items(), start=1):
        src = ROOT / "corpus" / "saf-text" / f"{stem}.txt"
        convert(src, v, OUT / f"{stem}.html", url=BASE_URL.format(n=n))
    for n, (stem, v) in enumerate(LOCATION_SAMPLES.items(), start=len(SAMPLES) + 1):
        convert(ROOT / "corpus" / "inspection-text" / f"{stem}.txt", v, OUT / f"{stem}.html",
                url=f"https://www.cqc.org.uk/location/1-{n:010d}")
    seed = ROOT / "seeds" / "000_055984bc2d9da33b.txt"
    convert(seed, Variant(badges=True, entities=True), OUT / "000_055984bc2d9da33b.html",
            url="https://www.cqc.org.uk/location/1-000000000/reports/AP0000/overall/well-led")
    # The six-page assessment: the overview written for it plus the five pages of sample 08.
    larkspur = OUT / "assessment-larkspur-house"
    convert(ROOT / "corpus" / "saf-text" / "08_larkspur_house_all_five.txt",
            Variant(template="cqc2023", badges=True), larkspur / "pages.html", url=LARKSPUR_URL)
    convert(SOURCES / "larkspur-house-2024-overview.txt", Variant(), larkspur / "0_overview.html",
            url=LARKSPUR_URL)
    # Whole assessments written page by page: corpus/saf-html-sources/<assessment>/<page>.txt.
    for folder in sorted(p for p in SOURCES.glob("assessment-*") if p.is_dir()):
        for k, src in enumerate(sorted(folder.glob("*.txt"))):
            v = Variant(template="cqc2024" if k % 2 == 0 else "cqc2023", badges=k == 2)
            convert(src, v, OUT / folder.name / f"{src.stem}.html",
                    url=f"https://www.cqc.org.uk/location/1-4418820913/reports/{folder.name}")


LARKSPUR_URL = "https://www.cqc.org.uk/location/1-4418820913/reports/AP7731/overall"


if __name__ == "__main__":
    main()
