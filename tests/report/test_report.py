"""The stakeholder report: self-contained, no names, hostile text inert, a PDF with its pages."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from onatool.metrics import analyse
from onatool.outputs.html import build_report, render_pdf, report_map, write_report
from onatool.outputs.provenance import Provenance
from onatool.share.disclosure import Disclosure
from onatool.viz.layout import compute_layout

SECTIONS = ("Summary", "Who answered", "The map", "Findings", "Across boundaries",
            "Tops, middles and bottoms", "Network health", "Methods")


def _srcdoc_removed(html: str) -> tuple[str, str]:
    """The report without its map iframe's document, and that document (still escaped)."""
    found = re.search(r'srcdoc="([^"]*)"', html)
    assert found, "the report has no inlined map"
    return html[: found.start()] + html[found.end():], found.group(1)


@pytest.fixture(scope="module")
def report_html(partnership):
    results = partnership["results"]
    named = Disclosure().reveal_names(user="t", project="t", audit=lambda *e: None)
    layers = [r.network for r in results]
    positions = compute_layout(layers, seed=0)
    provenance = Provenance("follow-up", relation="advice", project="Test place",
                            previous_wave="baseline", disclosure=named, created="2026-06-30")
    latest = layers[-1].layer("advice")
    analysis = analyse(latest, previous=analyse(layers[0].layer("advice")))
    parts = report_map(latest, positions, named, analysis=analysis)
    return build_report(latest, provenance, analysis=analysis, map_parts=parts, title="Test <b>report</b>")


HOSTILE_ESCAPED = "=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)"  # conftest's organisation, as text


def test_report_has_no_external_reference(report_html):
    page, map_document = _srcdoc_removed(report_html)
    # The only http text is the organisation typed as a formula, shown as escaped text.
    assert HOSTILE_ESCAPED in page
    # (chart labels hold it as SVG text content, where quotes need no escaping).
    rest = page.replace(HOSTILE_ESCAPED, "").replace('=HYPERLINK("http://x","y")</text>', "")
    assert not re.search(r"https?://", rest)
    # The map's document carries vis-network's licence comments, never a reference.
    assert not re.search(r'(src|href)\s*=\s*(&#34;|&quot;|["\'])?\s*https?:', map_document)
    assert "url(http" not in map_document
    assert "<link" not in page and "@import" not in page


def test_report_names_no_one_even_when_names_were_revealed(report_html, partnership):
    assert not [n for n in partnership["names"] if n in report_html]
    for roster_id in ("X000", "x000@nhs.example"):
        assert roster_id not in report_html
    # Not even pseudonym labels: the report is about groups (base64 images left aside).
    text = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "", report_html)
    assert not re.search(r"\bP0\d\d\b", text)


def test_hostile_text_is_escaped(report_html):
    page, _ = _srcdoc_removed(report_html)
    assert "Test &lt;b&gt;report&lt;/b&gt;" in page and "<b>report</b>" not in page
    assert "<img src=x" not in page and "<script" not in page


def test_small_organisations_never_appear(report_html):
    for small in ("Riverside PCN", "St Ann&#39;s Hospice", "St Ann's Hospice"):
        assert small not in report_html


def test_sections_in_order(report_html):
    positions = [report_html.index(f"<h2>{s}</h2>") for s in SECTIONS]
    assert positions == sorted(positions)


@pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdfinfo"),
                    reason="poppler-utils (pdfinfo, pdftotext) not installed: make browser")
@pytest.mark.browser
def test_pdf_has_a_page_per_section(report_html, tmp_path):
    html = tmp_path / "report.html"
    html.write_text(report_html, encoding="utf-8")
    pdf = render_pdf(html, tmp_path / "report.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert len(SECTIONS) <= pages <= 2 * len(SECTIONS)
    # Each section starts a page: its heading is the first heading on some page.
    starts = []
    for number in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        starts += [s for s in SECTIONS if re.search(rf"^\s*{re.escape(s)}\s*$", text, re.M)]
        assert "Page " + str(number) + " of " + str(pages) in text
    assert starts == list(SECTIONS)


def test_write_report_writes_utf8(partnership, tmp_path):
    net = partnership["results"][0].network
    path = write_report(tmp_path / "r.html", net, Provenance("baseline"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "baseline" in text


def test_health_and_levels_are_shown_in_words(report_html):
    assert "Two-way relationships" in report_html and "Tops connected across organisations" in report_html
    # The previous wave's values are shown beside this one's.
    assert "<th>baseline</th>" in report_html


def test_findings_are_grouped_by_the_partnerships_themes(partnership):
    from onatool.outputs.html import report_context
    from onatool.share.themes import OTHER_THEME, theme_set

    latest = partnership["results"][-1].network.layer("advice")
    analysis = analyse(latest)
    provenance = Provenance("follow-up", relation="advice", project="Test place", created="2026-06-30")
    default = report_context(latest, provenance, analysis=analysis, charts=False)
    lssp = report_context(latest, provenance, analysis=analysis, charts=False, themes=theme_set("lssp"))
    assert default["themes_title"] == "the OD collaborative's five areas"
    themes = [theme for theme, _ in lssp["by_theme"]]
    assert set(themes) <= {"Leadership", "Strategy", "Structure", "People", OTHER_THEME} and themes
    shown = {f["text"] for _, found in lssp["by_theme"] for f in found}
    assert shown == {f["text"] for f in lssp["insights"]}  # every finding under at least one theme
    html = build_report(latest, provenance, analysis=analysis, charts=False, themes=theme_set("lssp"))
    assert f'<h3 class="theme">{themes[0]}</h3>' in html
