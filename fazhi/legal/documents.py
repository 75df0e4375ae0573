"""Documents of a 行政复议 case: the draft text from a template, and the issued DOCX (python-docx).

The layout follows the common 党政机关公文 conventions (GB/T 9704): the issuing authority and the
title centred in a bold song typeface, the number under them, the body in 仿宋 三号 with a
two-character first-line indent, the authority and the date at the foot.
"""

import io
from datetime import date

from django.template import Context, Engine
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from fazhi.legal import catalogue
from fazhi.legal.models import DocumentKind, FollowUp, Procedure, Reconsideration

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Templates are edited by the system administrator; autoescape off because the output is plain
# text for a Word file, never HTML.
_ENGINE = Engine(autoescape=False)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def title_for(kind: str, template_title: str, reconsideration: Reconsideration | None, follow_up=None) -> str:
    if kind == DocumentKind.DECISION and reconsideration is not None:
        return catalogue.DOCUMENT_TITLES.get(reconsideration.outcome, template_title)
    if kind == DocumentKind.FOLLOW_UP and follow_up is not None:
        return follow_up.get_kind_display()
    return template_title


def context_for(reconsideration: Reconsideration, follow_up: FollowUp | None = None) -> dict:
    """What a template may use; the applicant's full name, as the document is served on them."""
    rec = reconsideration
    procedure = rec.procedure or Procedure.NORMAL
    decision_period = "六十日" if procedure == Procedure.NORMAL else "三十日"
    act = rec.act_name + (f"（{rec.act_number}）" if rec.act_number else "")
    rejection = dict(catalogue.REJECTION_GROUNDS).get(rec.rejection_ground, "")
    return {
        "number": rec.case.number,
        "applicant": rec.applicant_full,
        "respondent": rec.respondent.name,
        "authority": rec.body.authority.name,
        "act": act,
        "received": rec.case.received_at.date() if rec.case.received_at else None,
        "accepted": rec.accepted_on,
        "procedure": rec.get_procedure_display() if rec.procedure else "",
        "decision_period": decision_period,
        "answer_period": "十个工作日" if procedure == Procedure.NORMAL else "五个工作日",
        "answer_article": "四十八" if procedure == Procedure.NORMAL else "五十四",
        "items": rec.correction_items,
        "claims": rec.claims,
        "summary": rec.decision_summary,
        "ground": rec.ground_label.rsplit("（", 1)[0] if rec.ground_label else "",
        "article": rec.article,
        "outcome": _outcome_wording(rec),
        "remake": rec.remake_ordered,
        "appealable": rec.outcome not in ("mediated", "settled", "withdrawn"),
        "rejection_ground": rejection.rsplit("（", 1)[0],
        "rejection_reason": rec.rejection_reason,
        "competent_body": rec.competent_body,
        "addressee": follow_up.addressee.name if follow_up else "",
        "content": follow_up.content if follow_up else "",
    }


def _outcome_wording(rec: Reconsideration) -> str:
    act = f"被申请人作出的{rec.act_name}"
    return {
        "upheld": f"维持{act}",
        "varied": f"变更{act}",
        "annulled": f"撤销{act}",
        "partly_annulled": f"部分撤销{act}",
        "confirmed_unlawful": f"确认{act}违法",
        "confirmed_void": f"确认{act}无效",
        "ordered_to_perform": "责令被申请人在法定期限内履行法定职责",
        "claim_rejected": "驳回申请人的行政复议请求",
        "application_rejected": "驳回申请人的行政复议申请",
        "mediated": "经调解，当事人达成协议",
        "settled": "准予申请人撤回行政复议申请，本案终止",
        "withdrawn": "准予申请人撤回行政复议申请，本案终止",
        "terminated": "终止行政复议",
    }.get(rec.outcome, "")


def render_text(body: str, context: dict) -> str:
    return _ENGINE.from_string(body).render(Context(context)).strip()


def _font(run, name: str, size) -> None:
    run.font.name = name
    run.font.size = size
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(doc, text: str, *, align=None, size=BODY_SIZE, font=BODY_FONT, bold=False, indent=True):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.line_spacing = Pt(28)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    run = paragraph.add_run(text)
    run.bold = bold
    _font(run, font, size)
    return paragraph


def render_docx(*, authority: str, title: str, number: str, text: str, issued_on: date) -> bytes:
    """The issued document as DOCX bytes."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, authority, align=center, size=TITLE_SIZE, font=TITLE_FONT, bold=True, indent=False)
    _paragraph(doc, title, align=center, size=TITLE_SIZE, font=TITLE_FONT, bold=True, indent=False)
    _paragraph(doc, number, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    for line in text.splitlines():
        if line.strip():
            # The addressee line ("某某：") and the party lines sit flush left, as in the templates.
            flush = line.rstrip().endswith("：") or line.startswith(("申请人：", "被申请人："))
            _paragraph(doc, line.strip(), indent=not flush)
    doc.add_paragraph()
    _paragraph(doc, authority, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(doc, chinese_date(issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def docx_text(content: bytes) -> list[str]:
    """The paragraphs of a DOCX file (for checks and for reading an issued document back)."""
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]
