"""The annual report as a government document (党政机关公文格式 GB/T 9704): DOCX and printable HTML.

Fonts are named, not embedded: Word and WPS on government desktops have the 方正/GB2312 fonts.
The East Asian font of a run lives in the `w:eastAsia` attribute of `w:rFonts`; setting only
`font.name` leaves Chinese text in the theme's font.
"""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fazhi.reports.models import AnnualReport
from fazhi.reports.selectors import document_blocks

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE = Pt(28)  # 22 lines of 28 characters on the page, as GB/T 9704 sets it

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def set_font(run, name: str, size: Pt, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def gongwen_document():
    """An empty A4 document with the GB/T 9704 margins and the body font as its Normal style
    (the annual report, the assessment 通报)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document


def paragraph(
    document, text: str, font: str = BODY_FONT, size: Pt = BODY_SIZE, *, align=None, indent: bool = True
):
    added = document.add_paragraph()
    fmt = added.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        added.alignment = align
    set_font(added.add_run(text), font, size)
    return added


def page_number(section) -> None:
    """“— 1 —” centred in the footer, from a PAGE field so Word/WPS number every page."""
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(footer.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    run = footer.add_run()
    set_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._element.append(shown)
    set_font(footer.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def annual_report_docx(report: AnnualReport) -> bytes:
    document = gongwen_document()
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE

    blocks = document_blocks(report)
    paragraph(document, blocks[0].text, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(document, "", BODY_FONT, BODY_SIZE, indent=False)
    addressee = addressee_of(report)
    if addressee:
        paragraph(document, f"{addressee}：", BODY_FONT, BODY_SIZE, indent=False)
    for block in blocks[1:]:
        font = {"h1": H1_FONT, "h2": H2_FONT}.get(block.kind, BODY_FONT)
        paragraph(document, block.text, font, BODY_SIZE)
    paragraph(document, "", BODY_FONT, BODY_SIZE, indent=False)
    for line in signature_of(report):
        signed = paragraph(document, line, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        signed.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)
    page_number(section)
    document.core_properties.title = report.title
    document.core_properties.author = report.unit.name
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def addressee_of(report: AnnualReport) -> str:
    """A department reports to its government (主送); a government's report is public."""
    if report.level == AnnualReport.Level.DEPARTMENT and report.unit.parent_id:
        return report.unit.parent.name
    return ""


def signature_of(report: AnnualReport) -> list[str]:
    day = report.submitted_at or report.published_at
    when = timezone.localtime(day) if day else None
    return [report.unit.name, f"{when:%Y年}{when.month}月{when.day}日" if when else "年　月　日"]


def annual_report_html(report: AnnualReport) -> str:
    return render_to_string(
        "reports/annual_print.html",
        {
            "report": report,
            "blocks": document_blocks(report),
            "addressee": addressee_of(report),
            "signature": signature_of(report),
        },
    )
