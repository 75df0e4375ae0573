"""REST endpoints of the metrics registry, /api/v1/metrics/: definitions, values and the records
behind them. Figures cover only units the caller reaches; records only those they may open."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from fazhi.metrics import compute, periods, permissions, selectors
from fazhi.metrics.registry import Metric, registry
from fazhi.org.models import Unit

router = Router(tags=["指标"])
MAX_LIMIT = 200


class MetricOut(Schema):
    code: str
    name: str
    domain: str
    kind: str
    unit: str
    precision: int
    definition: str
    numerator: str
    denominator: str
    exclusions: str
    min_sample: int
    higher_is_better: bool
    dimension_label: str


class Selection(Schema):
    unit: int | None = None
    subtree: bool = False
    start: date | None = None
    end: date | None = None
    dimension: str = ""


class ValueOut(Schema):
    code: str
    name: str
    unit_id: int | None
    subtree: bool
    start: date
    end: date
    dimension: str
    numerator: int
    denominator: int | None
    value: Decimal | None
    formatted: str
    source: str
    as_of: datetime | None


class RecordOut(Schema):
    number: str
    title: str
    unit: str
    date: date | None
    state: str
    url: str


class RecordsOut(Schema):
    code: str
    part: str
    part_label: str
    count: int
    hidden: int
    items: list[RecordOut]


def _definition(metric: Metric) -> dict:
    return {
        "code": metric.code,
        "name": metric.name,
        "domain": metric.domain,
        "kind": "mean" if metric.is_mean else "rate" if metric.is_rate else "count",
        "unit": metric.unit_label,
        "precision": metric.precision,
        "definition": metric.definition,
        "numerator": metric.numerator_text,
        "denominator": metric.denominator_text,
        "exclusions": metric.exclusions,
        "min_sample": metric.ranking_minimum,
        "higher_is_better": metric.higher_is_better,
        "dimension_label": metric.dimension_label,
    }


def _metric(code: str) -> Metric:
    if code not in registry:
        raise HttpError(404, f"没有代码为{code}的指标。")
    return registry.get(code)


def _resolve(request, selection: Selection):
    """(units, period) for the caller, or 403/422 saying why not."""
    unit = None
    if selection.unit is not None:
        unit = Unit.objects.filter(pk=selection.unit).first()
        if unit is None:
            raise HttpError(422, f"unit：没有编号为{selection.unit}的单位。")
    try:
        units = permissions.selection_for(request.auth, unit=unit, subtree=selection.subtree)
        span = periods.parse(
            start=selection.start.isoformat() if selection.start else "",
            end=selection.end.isoformat() if selection.end else "",
        )
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from None
    return units, span


def _require_reader(request) -> None:
    if not permissions.can_view_metrics(request.auth):
        raise PermissionDenied("只有在岗的业务人员和领导可以查看指标。")


@router.get("/", response=list[MetricOut], summary="指标定义（口径）")
def metric_list(request):
    _require_reader(request)
    return [_definition(metric) for metric in registry.all()]


@router.get("/{code}", response=ValueOut, summary="指标数值：分子、分母、按四舍五入显示的数值")
def metric_value(request, code: str, selection: Query[Selection]):
    metric = _metric(code)
    units, span = _resolve(request, selection)
    source = compute.source_now()
    result = compute.figure(
        metric,
        units=units,
        start=span.start,
        end=span.end,
        dimension=selection.dimension,
        source=source,
    )
    return {
        "code": metric.code,
        "name": metric.name,
        "unit_id": selection.unit,
        "subtree": selection.subtree,
        "start": span.start,
        "end": span.end,
        "dimension": selection.dimension,
        "numerator": result.numerator,
        "denominator": result.denominator,
        "value": result.value if metric.is_rate or result.value is None else Decimal(result.value),
        "formatted": result.text,
        "source": source.label,
        "as_of": source.as_of,
    }


@router.get("/{code}/records", response=RecordsOut, summary="指标背后的记录（分页；仅本人可查看的记录）")
def metric_records(
    request,
    code: str,
    selection: Query[Selection],
    part: str = "numerator",
    limit: int = 50,
    offset: int = 0,
):
    metric = _metric(code)
    try:
        metric.part(part)
    except ValueError as exc:
        raise HttpError(422, f"part：{exc}") from None
    units, span = _resolve(request, selection)
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    found = selectors.records_visible_to(
        request.auth,
        metric,
        part=part,
        units=units,
        start=span.start,
        end=span.end,
        dimension=selection.dimension,
    )
    page = found.describe(found.rows[offset : offset + limit])
    return {
        "code": metric.code,
        "part": part,
        "part_label": metric.part_label(part),
        "count": found.total - found.hidden,
        "hidden": found.hidden,
        "items": [
            {
                "number": row.number,
                "title": row.title,
                "unit": row.unit,
                "date": row.day,
                "state": row.state,
                "url": row.url,
            }
            for row in page
        ],
    }
