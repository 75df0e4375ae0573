"""Reports in styles the five seeds do not have: 第一部分 headings, Chinese numerals, full-width
digits and 同比 changes; HTML with <h2> and <strong> headings and a table, in GB2312; DOCX with
Word heading styles, bold lines and a table; and reports whose arithmetic is wrong."""

import io
from decimal import Decimal

import docx
import pytest

from fazhi.reports.review import UnreadableReport, review_file, review_text
from tests.reports.conftest import failing, part_status, values

COUNTY = """某某县2023年法治政府建设年度报告
第一部分 2023年推进法治政府建设的主要举措和成效
（一）行政复议。全年共收到行政复议申请一百五十六件，同比增长20%（2022年为130件），依法受理一百四十二件，审结一百三十件，其中维持八十件、撤销十二件、确认违法六件、驳回二十件、终止十二件；直接纠错率为13.8%。
（二）12345热线。全年受理群众诉求１２.６万件，办结１２.３万件，办结率97.6％，群众满意率为百分之九十八点五。
（三）行政应诉。全年发生行政诉讼案件二百零八件，审结一百九十件，败诉十一件，败诉率5.8%，较上年下降1.2个百分点（2022年为7.0%）；行政机关负责人出庭应诉一百八十件次，出庭应诉率达到100%。
第二部分 存在的问题及原因
一是基层法治力量不足。
第三部分 党政主要负责人履行推进法治建设第一责任人职责情况
县委书记、县长带头述法。
第四部分 2024年工作计划
继续推进示范创建。
第五部分 其他需要报告的事项
无。
"""


def test_part_headings_with_all_five_parts():
    review = review_text(COUNTY, source="county.txt")
    assert (review.region, review.year) == ("某某县", 2023)
    assert set(part_status(review).values()) == {"found"}
    assert review.parts[4].heading == "第五部分 其他需要报告的事项"


def test_chinese_numerals_and_full_width_digits_are_read():
    review = review_text(COUNTY)
    assert values(review, "reconsideration.received") == [156]
    assert values(review, "reconsideration.accepted") == [142]
    assert values(review, "reconsideration.concluded") == [130]
    assert values(review, "hotline.received") == [126000]
    assert values(review, "hotline.closed") == [123000]
    assert values(review, "hotline.satisfaction_rate") == [Decimal("98.5")]
    assert values(review, "litigation.cases") == [208]
    assert values(review, "litigation.appearances") == [180]
    # The bracketed "2022年为130件" speaks for 2022 only, not for the figures after it.
    assert all(f.year is None for f in review.figures)


def test_stated_changes_are_checked_against_both_years():
    review = review_text(COUNTY)
    trends = {c.explanation: c.ok for c in review.checks if c.kind == "trend"}
    assert trends == {
        "写的是增长20%；按本期一百五十六件、上期130件计算正是增加20%。": True,
        "写的是下降1.2个百分点；按本期5.8%、上期7.0%计算正是减少1.2个百分点。": True,
    }


def test_a_rate_its_own_counts_cannot_give_is_an_error():
    review = review_text(COUNTY)
    assert failing(review) == [
        "出庭应诉率写作100%，但出庭应诉一百八十件次÷行政诉讼案件二百零八件=86.54%，四舍五入为87%，"
        "与所写不符；若100%无误，负责人出庭数应在207至208件次之间。"
    ]
    ok_rates = [c.explanation for c in review.checks if c.kind == "rate" and c.ok]
    assert "败诉率5.8%无误：败诉十一件÷审结一百九十件=5.789%，四舍五入正是5.8%。" in ok_rates
    implied = [c.explanation for c in review.checks if c.kind == "rate_implied"]
    assert implied == ["直接纠错率13.8%与审结一百三十件相符，相当于18件（报告未写明该数）。"]


WRONG = """某市2023年法治政府建设情况报告
一、主要举措和成效
全年共办理12345热线工单8,000件，其中按时办结7,500件、超期办结600件。
全年共收到行政复议申请120件，同比下降15%（2022年为100件）。
全年制定行政规范性文件10件，报备12件。
全市调解矛盾纠纷1200件，调解成功1250件。
全年受理行政复议案件40件，维持25件、撤销8件、驳回10件。
二、存在的问题
基层力量不足。
三、2023年工作打算
继续努力。
"""


def test_mistakes_are_each_explained_in_one_sentence():
    review = review_text(WRONG)
    assert sorted(failing(review)) == sorted(
        [
            "“其中”所列各项合计8100件（7500+600），多于总数8000件；如各项互不重叠，请核对是否重复统计。",
            "写的是下降15%，但按本期120件、上期100件计算实际是增加20%，方向相反，请核对。",
            "报备12件多于制定行政规范性文件10件，备案数不应超过制定数，请核对。",
            "调解成功1250件多于调解矛盾纠纷1200件，调解成功数不应超过调解纠纷数，请核对。",
            "列出的各项结果合计43件（25+8+10），多于总数40件；如包含上年结转的案件，请注明，否则请核对。",
            "本报告是2023年度的报告，但“三、2023年工作打算”写的是2023年的工作，下一年度应为2024年。",
        ]
    )
    assert part_status(review)["responsibility"] == "missing"


HTML = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某区人民政府门户网站</title><script>var nav = "一、主要举措和成效";</script></head><body>
<div class="nav">首页 &gt; 政务公开</div>
<h1>青山区2024年度法治政府建设情况报告</h1>
<h2>工作成效</h2>
<p>全年办理人大代表建议86件、政协提案102件，办复率100%。区司法局审核规范性文件15件，备案15件，报备率100%。</p>
<table><tr><th>指标</th><th>2023年</th><th>2024年</th></tr>
<tr><td>行政复议申请（件）</td><td>45</td><td>52</td></tr>
<tr><td>行政复议纠错率</td><td>12.5%</td><td>15.0%</td></tr></table>
<p><strong>存在的不足和原因</strong></p>
<p>个别部门重视不够。</p>
<h2>下一步工作打算</h2><p>持续推进。</p>
</body></html>"""


def test_html_in_gb2312_with_heading_tags_bold_lines_and_a_table():
    review = review_file("qingshan.html", HTML.encode("gb18030"))
    assert (review.region, review.year) == ("青山区", 2024)
    assert part_status(review) == {
        "measures": "found",
        "deficiencies": "found",
        "responsibility": "missing",
        "plans": "found",
        "other": "missing",
    }
    assert values(review, "suggestions.npc_handled") == [86]
    assert values(review, "suggestions.cppcc_handled") == [102]
    assert values(review, "normative_documents.reviewed") == [15]
    assert values(review, "normative_documents.filed") == [15]
    by_year = {f.year: f.value for f in review.figures if f.indicator.code == "reconsideration.received"}
    assert by_year == {2023: 45, 2024: 52}
    rates = {f.year: f.value for f in review.figures if f.indicator.code == "reconsideration.correction_rate"}
    assert rates == {2023: Decimal("12.5"), 2024: Decimal("15.0")}
    # Script text is not the report.
    assert all("nav" not in f.quote for f in review.figures)


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("白云区2022年法治政府建设工作报告", style="Title")
    document.add_paragraph("一、主要工作及成效", style="Heading 1")
    document.add_paragraph("全年共排查调处各类矛盾纠纷2,345件，调解成功2,301件，调解成功率98.1%。")
    table = document.add_table(rows=5, cols=2)
    for row, cells in zip(
        table.rows,
        [("指标", "2022年"), ("收到行政复议申请（件）", "52"), ("行政复议审结（件）", "48"),
         ("行政复议纠错（件）", "6"), ("行政复议直接纠错率", "12.5%")],
        strict=True,
    ):  # fmt: skip
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    bold = document.add_paragraph()
    bold.add_run("二、存在的不足和原因").bold = True
    document.add_paragraph("队伍建设仍需加强。")
    document.add_paragraph("三、区委书记、区长履行推进法治建设第一责任人职责情况", style="Heading 1")
    document.add_paragraph("区委书记带头述法。")
    document.add_paragraph("四、2023年工作安排", style="Heading 1")
    document.add_paragraph("五、其他", style="Heading 1")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_tables_and_styles():
    review = review_file("baiyun.docx", _docx())
    assert (review.region, review.year) == ("白云区", 2022)
    assert set(part_status(review).values()) == {"found"}
    assert values(review, "mediation.disputes") == [2345]
    assert values(review, "mediation.successful") == [2301]
    assert values(review, "reconsideration.received") == [52]
    assert values(review, "reconsideration.concluded") == [48]
    assert values(review, "reconsideration.corrected") == [6]
    rate = [c for c in review.checks if c.kind == "rate" and "纠错率" in c.explanation]
    assert [c.ok for c in rate] == [True]
    mediation = [c for c in review.checks if c.kind == "rate" and "调解成功率" in c.explanation]
    assert [c.ok for c in mediation] == [True]  # 2301 ÷ 2345 = 98.12%


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"%PDF-1.4", "只能审查TXT、DOCX或HTML文件"),
        ("report.docx", b"not a zip", "这不是有效的DOCX文件"),
        ("report.txt", b"   ", "文件是空的"),
    ],
)
def test_unreadable_files_get_a_clear_message(name, data, message):
    with pytest.raises(UnreadableReport, match=message):
        review_file(name, data)


def test_gbk_text_files_are_read():
    review = review_file("gbk.txt", "全年共受理行政复议案件12件，审结10件。".encode("gbk"))
    assert values(review, "reconsideration.accepted") == [12]


def test_an_on_time_rate_is_read_as_its_own_figure_not_as_closed_over_received():
    text = COUNTY.replace("办结率97.6％，", "办结率97.6％，按时办结率91.2%，")

    review = review_text(text)

    assert values(review, "hotline.on_time_rate") == [Decimal("91.2")]
    assert values(review, "hotline.closure_rate") == [Decimal("97.6")]
    assert not [explanation for explanation in failing(review) if "91.2" in explanation]
