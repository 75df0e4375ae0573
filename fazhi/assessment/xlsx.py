"""Indicator trees in and out of Excel, in the same columns both ways (an export imports back).

An import is all-or-nothing: every row is checked — level, parent, code, scores, the rule and
its parameters — and each problem is reported with its row, column, value and the rule broken;
only a clean file becomes a new draft tree.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.assessment import permissions, rules, services
from fazhi.assessment.models import IndicatorTree, ScoringRule
from fazhi.assessment.services import Row
from fazhi.cases.models import CaseType
from fazhi.metrics.registry import registry
from fazhi.org.models import User
from fazhi.org.xlsx import Column, ImportResult, SheetSpec, build_workbook, read_rows

KINDS = {label: value for value, label in ScoringRule.Kind.choices}
SOURCES = {"案件超期": ScoringRule.Source.CASE_LATE, "行政诉讼败诉": ScoringRule.Source.LAWSUIT_LOST}
SOURCE_LABELS = {value: label for label, value in SOURCES.items()}

TREE = SheetSpec(
    kind="tree",
    title="指标体系",
    intro="每行一项指标，按一级、二级、三级的顺序自上而下填写；没有下级的指标是评分项，须填写评分方式。上级指标的分值由下级汇总，不必填写。",
    columns=(
        Column("级别", "level", True, "1、2或3", lambda: ["1", "2", "3"], width=6),
        Column("编号", "code", True, "本表内唯一，如 1、1.1、1.1.1", width=10, as_text=True),
        Column(
            "上级编号", "parent_code", False, "一级指标留空；其他填上级指标的编号", width=10, as_text=True
        ),
        Column("名称", "name", True, "指标名称", width=30),
        Column("分值", "max_score", False, "评分项的满分（数字）", width=8),
        Column("权重", "weight", False, "选填，数字", width=8),
        Column("考核要求", "requirement", False, "三级指标的具体要求（自由文字）", width=50),
        Column("评分方式", "kind", False, "评分项必填", lambda: list(KINDS), width=14),
        Column(
            "指标代码",
            "metric_code",
            False,
            "按指标阈值评分时填写，取自指标库",
            lambda: [m.code for m in registry.all()],
            width=30,
        ),
        Column("分档", "bands", False, "如 ≥95:3；≥90:2；其他:0，自上而下取第一个满足的档", width=26),
        Column("事件来源", "source", False, "按事件扣分时填写", lambda: list(SOURCES), width=14),
        Column(
            "案件类型代码",
            "case_type_code",
            False,
            "事件来源为“案件超期”时填写",
            lambda: list(CaseType.objects.values_list("code", flat=True)),
            width=20,
        ),
        Column("每件扣分", "points_per_record", False, "按事件扣分时填写", width=8),
        Column("扣分上限", "cap", False, "留空以分值为上限", width=8),
    ),
)
_FIELD_COLUMN = {c.key: c.header for c in TREE.columns}


def _number(text: str) -> str:
    return f"{text:f}".rstrip("0").rstrip(".") if isinstance(text, Decimal) else str(text or "")


def export_tree(tree: IndicatorTree) -> bytes:
    lines = []
    for row in services.tree_rows(tree):
        rule = row.rule or {}
        leaf = row.rule is not None
        lines.append(
            [
                str(row.level),
                row.code,
                row.parent_code,
                row.name,
                _number(row.max_score) if leaf else "",
                _number(row.weight) if row.weight is not None else "",
                row.requirement,
                ScoringRule.Kind(rule["kind"]).label if leaf else "",
                rule.get("metric_code", ""),
                rules.format_bands(rule["bands"]) if rule.get("bands") else "",
                SOURCE_LABELS.get(rule.get("source", ""), ""),
                rule.get("case_type_code", ""),
                _number(rule["points_per_record"]) if rule.get("points_per_record") is not None else "",
                _number(rule["cap"]) if rule.get("cap") is not None else "",
            ]
        )
    return build_workbook(TREE, lines)


def template() -> bytes:
    return build_workbook(TREE, [])


def _decimal(result: ImportResult, number: int, key: str, text: str) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        result.error(number, _FIELD_COLUMN[key], text, "须填写数字。")
        return None


def _row(result: ImportResult, number: int, record: dict[str, str]) -> Row:
    level = int(record["level"]) if record.get("level", "").isdigit() else 0
    rule = None
    kind_label = record.get("kind", "")
    if kind_label:
        kind = KINDS.get(kind_label, kind_label if kind_label in ScoringRule.Kind.values else "")
        if not kind:
            result.error(number, "评分方式", kind_label, f"须为{'、'.join(KINDS)}之一。")
        rule = {"kind": kind}
        if kind == ScoringRule.Kind.METRIC:
            rule["metric_code"] = record.get("metric_code", "")
            try:
                rule["bands"] = rules.parse_bands(record.get("bands", ""))
            except ValueError as exc:
                result.error(number, "分档", record.get("bands", ""), str(exc))
                rule["bands"] = [{"op": "else", "value": "", "points": "0"}]
        elif kind == ScoringRule.Kind.EVENTS:
            source = record.get("source", "")
            rule["source"] = SOURCES.get(source, source)
            rule["case_type_code"] = record.get("case_type_code", "")
            rule["points_per_record"] = _decimal(
                result, number, "points_per_record", record.get("points_per_record", "")
            )
            rule["cap"] = _decimal(result, number, "cap", record.get("cap", ""))
    return Row(
        level=level,
        code=record.get("code", ""),
        parent_code=record.get("parent_code", ""),
        name=record.get("name", ""),
        max_score=_decimal(result, number, "max_score", record.get("max_score", "")) or Decimal("0"),
        weight=_decimal(result, number, "weight", record.get("weight", "")),
        requirement=record.get("requirement", ""),
        rule=rule,
    )


def import_tree(*, actor: User, upload, name: str, version: str) -> tuple[ImportResult, IndicatorTree | None]:
    """Check every row, then write the whole tree as a new draft; nothing on any error."""
    if not permissions.can_manage(actor):
        raise PermissionDenied("只有法治督察人员（法治办）可以导入指标体系。")
    result = ImportResult(kind="tree")
    records = read_rows(TREE, upload, result)
    numbered = [(number, _row(result, number, record), record) for number, record in records]
    rows = [row for _, row, _ in numbered]
    for index, field, message in services.row_problems(rows):
        number, row, record = numbered[index]
        result.error(number, _FIELD_COLUMN.get(field, field), record.get(field, ""), message)
    if result.errors:
        result.errors.sort(key=lambda e: e.row or 0)
        return result, None
    try:
        tree = services.tree_create(actor=actor, name=name, version=version, rows=rows)
    except ValidationError as exc:
        for message in exc.messages:
            result.error(None, "", "", message)
        return result, None
    result.created = len(rows)
    return result, tree
