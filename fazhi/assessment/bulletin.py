"""The 通报 of a published cycle as a government document (DOCX, A4, GB/T 9704 fonts).

Every figure comes from the frozen `Result` rows and the scores and deductions behind them, so
the ranking, each unit's lost points and the records' numbers agree with the results page.
"""

from io import BytesIO

from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from fazhi.assessment import selectors
from fazhi.assessment.models import AssessmentCycle, Rectification
from fazhi.reports.export import (
    BODY_FONT,
    BODY_SIZE,
    H1_FONT,
    H2_FONT,
    TITLE_FONT,
    TITLE_SIZE,
    gongwen_document,
    page_number,
    paragraph,
    set_font,
)

TABLE_SIZE = Pt(12)  # 小四 in the ranking table, so a long unit name fits one line
CHINESE_ORDINALS = "一二三四五六七八九十"


def _points(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _ordinal(n: int) -> str:
    return CHINESE_ORDINALS[n - 1] if n <= 10 else str(n)


def bulletin_title(cycle: AssessmentCycle) -> str:
    return f"关于{cycle.year}年度法治政府建设考核结果的通报"


def bulletin_docx(cycle: AssessmentCycle) -> bytes:
    document = gongwen_document()
    section = document.sections[0]

    results = list(cycle.results.select_related("unit").order_by("rank", "unit__sort_order", "unit_id"))
    lost = selectors.lost_points(cycle)
    leaves = cycle.tree.indicators.filter(children__isnull=True)
    full = sum(leaf.max_score for leaf in leaves)
    issuer = cycle.opened_by.memberships.filter(is_active=True).select_related("unit").first()
    issuer_name = issuer.unit.name if issuer else ""

    paragraph(
        document, bulletin_title(cycle), TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    if cycle.bulletin_number:
        paragraph(document, cycle.bulletin_number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(document, "", indent=False)
    paragraph(document, "各有关单位：", indent=False)
    paragraph(
        document,
        f"按照{cycle.year}年度法治政府建设考核安排，对{len(results)}个单位开展了考核。考核依据《{cycle.tree}》，"
        f"共{len(leaves)}个评分项，满分{_points(full)}分；指标类评分项按指标库口径自动计算，扣分类评分项按平台"
        "记录逐件扣分，佐证材料类评分项由评审人员评分。单位对扣分的申诉已全部处理。现将考核结果通报如下。",
    )
    paragraph(document, "一、考核结果", H1_FONT)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("名次", "单位", "得分", "失分"), strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(cell.paragraphs[0].add_run(text), H1_FONT, TABLE_SIZE)
    for result in results:
        cells = table.add_row().cells
        for cell, text in zip(
            cells,
            (str(result.rank), result.unit.name, _points(result.total), _points(result.lost)),
            strict=True,
        ):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(cell.paragraphs[0].add_run(text), BODY_FONT, TABLE_SIZE)

    paragraph(document, "二、失分和扣分情况", H1_FONT)
    n = 0
    for result in results:
        items = lost.get(result.unit_id, [])
        if not items:
            continue
        n += 1
        paragraph(document, f"（{_ordinal(n)}）{result.unit.name}（失{_points(result.lost)}分）", H2_FONT)
        for item in items:
            indicator, score = item["indicator"], item["score"]
            line = f"{indicator.code} {indicator.name}：失{_points(item['lost'])}分。"
            if item["deductions"]:
                line += "；".join(
                    f"{d.reason}（扣{_points(d.points)}分，记录编号{d.case.number}）"
                    for d in item["deductions"]
                )
                line += "。"
            elif score.comment:
                line += f"评审意见：{score.comment}"
            else:
                line += score.basis + "。"
            paragraph(document, line)
    if n == 0:
        paragraph(document, "各单位均未失分。")

    paragraph(document, "三、整改要求", H1_FONT)
    rectifications = list(
        Rectification.objects.filter(cycle=cycle)
        .select_related("unit", "case")
        .order_by("unit__sort_order", "id")
    )
    paragraph(
        document,
        "各单位要对失分事项逐项分析原因、制定措施、限期整改，整改情况按期在平台报送，由法治督察人员核查销号。",
    )
    for r in rectifications:
        paragraph(document, f"{r.unit.name}：整改任务{r.case.number}，期限{r.case.due_date:%Y年%-m月%-d日}。")
    paragraph(document, "", indent=False)
    for line in (
        issuer_name,
        f"{timezone.localdate(cycle.published_at):%Y年%-m月%-d日}" if cycle.published_at else "",
    ):
        if line:
            signed = paragraph(document, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
            signed.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)
    page_number(section)
    document.core_properties.title = bulletin_title(cycle)
    document.core_properties.author = issuer_name
    out = BytesIO()
    document.save(out)
    return out.getvalue()
