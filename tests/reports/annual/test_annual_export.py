"""The report as a government document: DOCX laid out per GB/T 9704 with named 公文 fonts and page
numbers, a printable HTML page, and text the report-review engine reads as a sound report."""

import shutil
import subprocess
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from fazhi.metrics.compute import Figure
from fazhi.metrics.registry import registry
from fazhi.reports import annual, export, selectors, services
from fazhi.reports.review import review_file, review_text
from tests.reports.annual.conftest import write_every_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(fazhiban, gov_writer, gov_report):
    services.annual_report_prefill(actor=fazhiban, report=gov_report)
    write_every_part(fazhiban, gov_report)
    services.annual_report_submit(actor=gov_writer, report=gov_report)
    return gov_report


def east_asian(paragraph) -> str:
    return paragraph.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_docx_is_a4_with_gbt9704_margins_and_a_page_field(written):
    document = Document(BytesIO(export.annual_report_docx(written)))

    section = document.sections[0]
    mm = [
        round(length.mm, 1)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]
    footer = section.footer.paragraphs[0]._element.xml
    assert 'w:fldCharType="begin"' in footer and " PAGE " in footer


def test_docx_names_the_official_fonts(written):
    paragraphs = Document(BytesIO(export.annual_report_docx(written))).paragraphs
    by_text = {p.text: p for p in paragraphs if p.text}

    title = by_text["明湖市人民政府关于2024年度法治政府建设情况的报告"]
    assert east_asian(title) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    assert east_asian(by_text["一、2024年推进法治政府建设的主要举措和成效"]) == "黑体"
    assert east_asian(by_text["（一）依法有效化解社会矛盾纠纷"]) == "楷体_GB2312"
    sentence = next(p for t, p in by_text.items() if t.startswith("全年共收到行政复议申请5件"))
    assert east_asian(sentence) == "仿宋_GB2312" and sentence.runs[0].font.size == Pt(16)
    assert [p.text for p in paragraphs if p.text][-2:] == [
        "明湖市人民政府",
        written.submitted_at.strftime("%Y年") + f"{written.submitted_at.month}月{written.submitted_at.day}日",
    ]


def test_the_review_engine_finds_five_parts_and_no_arithmetic_mistakes(written):
    review = review_text(selectors.document_text(written), source="明湖市.txt")

    assert review.missing_parts == []
    assert [c.explanation for c in review.checks if not c.ok] == []
    values = {f.indicator.code: f.value for f in review.figures}
    assert (values["reconsideration.received"], values["reconsideration.accepted"]) == (5, 4)


def test_the_exported_docx_reads_back_the_same_in_the_review_engine(written):
    review = review_file("明湖市.docx", export.annual_report_docx(written))

    assert review.missing_parts == []
    assert review.year == 2024
    assert not [c for c in review.checks if not c.ok]


def test_html_export_is_a_printable_page(written):
    html = export.annual_report_html(written)

    assert "@page { size: A4" in html
    assert "<h2>四、2025年推进法治政府建设的主要安排</h2>" in html
    assert "全年共收到行政复议申请5件" in html


def test_a_department_report_is_addressed_to_its_government(urban_writer, urban_report):
    services.annual_report_prefill(actor=urban_writer, report=urban_report)
    paragraphs = [p.text for p in Document(BytesIO(export.annual_report_docx(urban_report))).paragraphs]

    assert "明湖市人民政府：" in paragraphs


@pytest.mark.skipif(
    not shutil.which("libreoffice") and not shutil.which("soffice"), reason="LibreOffice 未安装"
)
def test_libreoffice_converts_the_docx_to_pdf(written, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(export.annual_report_docx(written))
    binary = shutil.which("libreoffice") or shutil.which("soffice")

    subprocess.run(
        [binary, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=120,
    )

    assert (tmp_path / "report.pdf").stat().st_size > 1000


COUNTS = [(1, 8), (4, 23), (27, 30), (1, 16), (2, 3), (0, 5), (7, 7)]


def plausible(template, n: int, d: int) -> dict:
    """Counts as casework gives them: a stage never holds more than the one before it (受理 ≤ 收到),
    and a later rate is counted within the earlier one's numerator (调处成功 within 调结)."""
    figures, total = {}, 2 * d + 10
    for code in template.metrics.values():
        metric = registry.get(code)
        if metric.is_rate:
            figures[code] = Figure(metric, n, d)
            n, d = n * 3 // 4, n
        else:
            figures[code] = Figure(metric, total, None)
            total -= 1
    return figures


@pytest.mark.parametrize("template", annual.TEMPLATES, ids=lambda t: t.code)
@pytest.mark.parametrize("level", [annual.GOVERNMENT, annual.DEPARTMENT])
def test_every_sentence_template_passes_the_review_engine(template, level):
    """Whatever the counts, a rate is written with its own counts, rounded as the registry
    rounds it, so the review engine finds no arithmetic mistake in any figure sentence."""
    if level not in template.levels:
        pytest.skip("模板不用于该层级")
    for i, (n, d) in enumerate(COUNTS):
        figures = plausible(template, n, d)
        text = annual.render(template, level, annual.snapshot_of(figures)).text
        report = f"明湖市{2024}年法治政府建设情况的报告\n一、2024年推进法治政府建设的主要举措和成效\n{text}"

        review = review_text(report)

        assert [c.explanation for c in review.checks if not c.ok] == [], (i, text)
