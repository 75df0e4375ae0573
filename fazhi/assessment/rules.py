"""Scoring rules as data: the band text people type, and what each rule kind computes.

Bands are written "≥95:3；≥90:2；其他:0" — read top to bottom, the first band the value meets
gives the points. Computation reads figures only through the metrics registry and events only
from the case engine, so every point can be traced to records.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from fazhi.assessment.models import ScoringRule
from fazhi.cases.models import Case, CaseType
from fazhi.metrics import compute
from fazhi.metrics.registry import local_date, registry
from fazhi.org.models import Unit

OPERATORS = {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<", "其他": "else", "else": "else"}
SHOWN = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "else": "其他"}
_BAND = re.compile(r"^\s*(≥|>=|≤|<=|>|<|其他|else)\s*([0-9.]*)\s*[:：]\s*([0-9.]+)\s*$")
LOST_LAWSUIT_METRIC = "legal.litigation.loss_rate"


def parse_bands(text: str) -> list[dict]:
    """ "≥95:3；≥90:2；其他:0" → [{"op": ">=", "value": "95", "points": "3"}, …]; ValueError says what is wrong."""
    bands = []
    for part in re.split(r"[;；\n]", text or ""):
        if not part.strip():
            continue
        match = _BAND.match(part)
        if not match:
            raise ValueError(f"分档“{part.strip()}”应写成“≥95:3”或“其他:0”。")
        op = OPERATORS[match.group(1)]
        if op != "else" and not match.group(2):
            raise ValueError(f"分档“{part.strip()}”缺少比较的数值。")
        try:
            value = str(Decimal(match.group(2))) if op != "else" else ""
            points = str(Decimal(match.group(3)))
        except InvalidOperation:
            raise ValueError(f"分档“{part.strip()}”中的数值无法识别。") from None
        bands.append({"op": op, "value": value, "points": points})
    if not bands:
        raise ValueError("按指标阈值评分须填写分档，如“≥95:3；≥90:2；其他:0”。")
    return bands


def format_bands(bands: list[dict]) -> str:
    return "；".join(f"{SHOWN[b['op']]}{b['value']}:{b['points']}" for b in bands)


def _meets(value: Decimal, op: str, threshold: str) -> bool:
    if op == "else":
        return True
    limit = Decimal(threshold)
    return {">=": value >= limit, "<=": value <= limit, ">": value > limit, "<": value < limit}[op]


@dataclass(frozen=True)
class MetricOutcome:
    points: Decimal
    basis: str


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def metric_score(rule: ScoringRule, *, unit: Unit, year: int) -> MetricOutcome:
    """The unit's figure for the year from the registry, placed in the first band it meets.
    A unit with no records behind the figure keeps the full score (nothing to fail)."""
    metric = registry.get(rule.metric_code)
    start, end = year_range(year)
    figure = compute.figure(metric, units=compute.one_unit(unit.pk), start=start, end=end)
    max_score = rule.indicator.max_score
    if figure.value is None:
        return MetricOutcome(max_score, f"{metric.name}：{year}年无统计记录，按满分计")
    value = Decimal(str(figure.value))
    for band in rule.bands:
        if _meets(value, band["op"], band["value"]):
            points = min(Decimal(band["points"]), max_score)
            shown = "其他" if band["op"] == "else" else f"{SHOWN[band['op']]}{band['value']}"
            return MetricOutcome(points, f"{metric.name}{figure.text}（{shown}档）")
    return MetricOutcome(Decimal("0"), f"{metric.name}{figure.text}（未达任何分档）")


def late_cases(*, case_type_code: str, unit: Unit, year: int, today: date | None = None) -> QuerySet[Case]:
    """超期: the unit's cases of the type whose deadline fell in the year and which were closed
    after it or are still open past it (a deadline not yet passed is not late)."""
    today = today or timezone.localdate()
    start, end = year_range(year)
    return (
        Case.objects.filter(
            case_type__code=case_type_code,
            handling_unit=unit,
            due_date__gte=start,
            due_date__lte=end,
            archived_at__isnull=True,
        )
        .annotate(_closed_on=local_date("closed_at"))
        .filter(
            Q(status=Case.Status.CLOSED, _closed_on__gt=F("due_date"))
            | (~Q(status=Case.Status.CLOSED) & Q(due_date__lt=today))
        )
        .order_by("due_date", "id")
    )


def lost_lawsuit_cases(*, unit: Unit, year: int) -> QuerySet[Case]:
    """生效败诉: the lawsuits behind the registry's 败诉率 numerator for the unit and the year."""
    start, end = year_range(year)
    lawsuits = compute.records(
        registry.get(LOST_LAWSUIT_METRIC),
        part="numerator",
        units=compute.one_unit(unit.pk),
        start=start,
        end=end,
    )
    return Case.objects.filter(pk__in=lawsuits.values("case_id")).order_by("received_at", "id")


def event_cases(rule: ScoringRule, *, unit: Unit, year: int) -> QuerySet[Case]:
    if rule.source == ScoringRule.Source.CASE_LATE:
        return late_cases(case_type_code=rule.case_type_code, unit=unit, year=year)
    if rule.source == ScoringRule.Source.LAWSUIT_LOST:
        return lost_lawsuit_cases(unit=unit, year=year)
    raise ValueError(f"未知的事件来源 {rule.source}")


def event_label(rule: ScoringRule) -> str:
    """What the rule counts, in the words of the record: "规范性文件备案超期", "行政诉讼败诉"."""
    if rule.source == ScoringRule.Source.LAWSUIT_LOST:
        return "行政诉讼败诉"
    name = CaseType.objects.filter(code=rule.case_type_code).values_list("name", flat=True).first()
    return f"{name or rule.case_type_code}超期"


def event_reason(rule: ScoringRule, case: Case) -> str:
    if rule.source == ScoringRule.Source.LAWSUIT_LOST:
        return f"行政诉讼败诉：{case.number} {case.title}"
    closed = f"{timezone.localdate(case.closed_at):%Y-%m-%d}办结" if case.closed_at else "至今未办结"
    return f"{case.case_type.name}超期：{case.number}，期限{case.due_date:%Y-%m-%d}，{closed}"
