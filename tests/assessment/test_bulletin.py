import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn

from fazhi.assessment import bulletin, services
from fazhi.assessment.models import Deduction, Result
from tests.assessment.factories import cycle, evidence_leaves, late_filing, review_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(supervisor, starter, urban, urban_handler, housing):
    filing = late_filing(urban, urban_handler)
    c = cycle(supervisor, starter, [urban, housing])
    services.cycle_advance(actor=supervisor, cycle=c)
    services.cycle_advance(actor=supervisor, cycle=c)
    first = evidence_leaves(starter)[0]
    review_all(supervisor, c, {(housing.pk, first.code): Decimal("1.5")})
    services.cycle_publish(actor=supervisor, cycle=c, bulletin_number="明法治办〔2026〕3号")
    deduction = Deduction.objects.get(cycle=c)
    services.rectification_open(
        actor=supervisor, cycle=c, unit=urban, indicator=deduction.indicator, deduction=deduction
    )
    c.refresh_from_db()
    return c, filing


def text_of(content: bytes) -> tuple[Document, str]:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("|".join(cell.text for cell in row.cells))
    return document, "\n".join(lines)


def test_bulletin_lists_ranking_and_deductions_with_record_numbers(published, urban, housing):
    c, filing = published
    document, text = text_of(bulletin.bulletin_docx(c))
    assert "关于2025年度法治政府建设考核结果的通报" in text
    assert "明法治办〔2026〕3号" in text
    assert f"1|{urban.name}|98|2" in text  # urban lost 2 for the late filing
    assert f"2|{housing.name}|97.5|2.5" in text
    assert filing.number in text
    assert "评审意见：佐证材料不完整" in text
    rectification = c.rectifications.get()
    assert rectification.case.number in text


def test_bulletin_figures_match_the_frozen_results(published):
    c, _ = published
    _, text = text_of(bulletin.bulletin_docx(c))
    for result in Result.objects.filter(cycle=c):
        assert f"{result.unit.name}（失{bulletin._points(result.lost)}分）" in text


def test_bulletin_is_an_a4_government_document(published):
    c, _ = published
    document, _ = text_of(bulletin.bulletin_docx(c))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    title_run = document.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("按照"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16
    heading = next(p for p in document.paragraphs if p.text == "一、考核结果")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    footer_xml = section.footer.paragraphs[0]._element.xml
    assert "PAGE" in footer_xml


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice not installed"
)
def test_bulletin_converts_to_pdf(published, tmp_path):
    c, _ = published
    source = tmp_path / "bulletin.docx"
    source.write_bytes(bulletin.bulletin_docx(c))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=120,
    )
    assert (tmp_path / "bulletin.pdf").stat().st_size > 0
