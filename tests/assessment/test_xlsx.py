import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from fazhi.assessment import services, xlsx
from fazhi.assessment.models import IndicatorTree

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "指标体系.xlsx") -> io.BytesIO:
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


def sheet(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = xlsx.TREE.title
    ws.append([c.header for c in xlsx.TREE.columns])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def outline(tree: IndicatorTree) -> list[tuple]:
    return [
        (r.level, r.code, r.parent_code, r.name, r.max_score, r.requirement, r.rule)
        for r in services.tree_rows(tree)
    ]


def test_export_imports_back_unchanged(supervisor):
    # given the starter tree exported to Excel
    tree = services.tree_load_starter(actor=supervisor)
    content = xlsx.export_tree(tree)
    # when it is imported as a new version
    result, copy = xlsx.import_tree(
        actor=supervisor, upload=upload(content), name="明湖市考核指标", version="2026"
    )
    # then every indicator, score and rule is the same
    assert result.ok, [str(e) for e in result.errors]
    assert copy.status == IndicatorTree.Status.DRAFT
    assert outline(copy) == outline(tree)
    assert result.created == tree.indicators.count()


def test_export_reads_as_people_expect(supervisor):
    tree = services.tree_load_starter(actor=supervisor)
    ws = load_workbook(io.BytesIO(xlsx.export_tree(tree)))[xlsx.TREE.title]
    rows = {row[1]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["1.2.1"][7] == "指标阈值"
    assert rows["1.2.1"][9] == "≥95:3；≥90:2；≥80:1；其他:0"
    assert rows["2.1.1"][10] == "案件超期" and rows["2.1.1"][11] == "normative_filing"
    assert rows["1"][4] in (None, "")  # headings sum their children; nothing to type


def test_bad_rows_are_all_reported_and_nothing_is_written(supervisor):
    content = sheet(
        [
            ["1", "1", "", "依法行政", "", "", "", "", "", "", "", "", "", ""],
            ["2", "1.1", "1", "制度建设", "", "", "", "", "", "", "", "", "", ""],
            [
                "3",
                "1.1.1",
                "1.1",
                "备案",
                "5",
                "",
                "",
                "事件扣分",
                "",
                "",
                "案件超期",
                "no_such_type",
                "1",
                "9",
            ],
            ["3", "1.1.2", "1", "错层", "5", "", "", "佐证材料评审", "", "", "", "", "", ""],
            [
                "3",
                "1.1.3",
                "1.1",
                "分档",
                "5",
                "",
                "",
                "指标阈值",
                "hotline.ontime_rate",
                "95分以上",
                "",
                "",
                "",
                "",
            ],
            ["4", "1.1.1", "1.1", "重复", "abc", "", "", "", "", "", "", "", "", ""],
        ]
    )
    result, tree = xlsx.import_tree(actor=supervisor, upload=upload(content), name="坏表", version="1")
    assert tree is None
    assert not IndicatorTree.objects.filter(name="坏表").exists()
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert (
        "案件类型代码" in messages[(4, "案件类型代码")] or "存在的案件类型" in messages[(4, "案件类型代码")]
    )
    assert "不超过该项分值" in messages[(4, "扣分上限")]
    assert "上级须是2级" in messages[(5, "上级编号")]
    assert "应写成" in messages[(6, "分档")]
    assert messages[(7, "级别")] == "级别须为1、2或3。"
    assert messages[(7, "编号")] == "编号重复。"
    assert messages[(7, "分值")] == "须填写数字。"


def test_a_file_that_is_not_xlsx_is_refused_with_a_reason(supervisor):
    result, tree = xlsx.import_tree(actor=supervisor, upload=upload(b"not a workbook"), name="x", version="1")
    assert tree is None
    assert "不是有效的 XLSX" in result.errors[0].message


def test_only_the_fazhiban_imports_trees(urban_handler):
    with pytest.raises(PermissionDenied):
        xlsx.import_tree(actor=urban_handler, upload=upload(sheet([])), name="x", version="1")


def test_headings_sum_their_leaves(supervisor):
    content = sheet(
        [
            ["1", "A", "", "一级", "", "", "", "", "", "", "", "", "", ""],
            ["2", "A.1", "A", "二级", "", "", "", "", "", "", "", "", "", ""],
            ["3", "A.1.1", "A.1", "三级甲", "2.5", "", "要求甲", "佐证材料评审", "", "", "", "", "", ""],
            [
                "3",
                "A.1.2",
                "A.1",
                "三级乙",
                "4",
                "",
                "要求乙",
                "事件扣分",
                "",
                "",
                "行政诉讼败诉",
                "",
                "2",
                "",
            ],
        ]
    )
    result, tree = xlsx.import_tree(actor=supervisor, upload=upload(content), name="小表", version="1")
    assert result.ok, [str(e) for e in result.errors]
    assert tree.indicators.get(code="A").max_score == Decimal("6.50")
