"""Pages of the metrics registry: the cockpit (领导驾驶舱), a unit's page, the records behind a
figure and the definitions. Every figure shown comes from the registry; every one links to the
records it counts."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from fazhi.metrics import compute, periods, permissions, selectors
from fazhi.metrics.compute import Figure
from fazhi.metrics.periods import Period
from fazhi.metrics.registry import Metric, registry
from fazhi.org.models import Unit
from fazhi.org.permissions import UnitScope, units_visible_to

PAGE_SIZE = 50
TRENDS = [
    (
        "12345热线：受理派单量与按时办结率、满意率",
        "hotline.received",
        ["hotline.ontime_rate", "hotline.satisfaction_rate"],
    ),
    ("案件办理：收案数与按时办结率", "cases.received", ["cases.ontime_rate"]),
]
MIX = "hotline.received"
HEAT = "cases.overdue_open"
DEFAULT_RANKING = "hotline.ontime_rate"
HEAT_UNITS = 30


@dataclass(frozen=True)
class Selection:
    """What a page is about: a unit (or its subtree, or the user's whole reach) and a period."""

    units: UnitScope
    unit: Unit | None
    subtree: bool
    period: Period

    def query(self, **extra) -> dict:
        params = {"period": self.period.key}
        if self.unit is not None:
            params["unit"] = self.unit.pk
            if self.subtree:
                params["subtree"] = "1"
        params.update({k: v for k, v in extra.items() if v not in ("", None)})
        return params

    def records_url(self, metric: Metric, part: str = "numerator", **extra) -> str:
        query = urlencode(self.query(part=part, **extra))
        return f"{reverse('metrics:records', args=[metric.code])}?{query}"

    @property
    def label(self) -> str:
        if self.unit is None:
            return "全部单位" if self.units.all else "本人可查看的单位"
        return f"{self.unit.name}{'及下级单位' if self.subtree else ''}"


def _selection(request, *, unit: Unit | None = None) -> Selection:
    if not permissions.can_view_metrics(request.user):
        raise PermissionDenied("只有在岗的业务人员和领导可以查看指标。")
    if unit is None and request.GET.get("unit"):
        unit = Unit.objects.filter(pk=request.GET["unit"]).first() if request.GET["unit"].isdigit() else None
        if unit is None:
            raise Http404("单位不存在。")
    subtree = request.GET.get("subtree") == "1"
    units = permissions.selection_for(request.user, unit=unit, subtree=subtree)
    try:
        period = periods.parse(request.GET.get("period", ""))
    except ValidationError:
        period = periods.year_to_date()
    return Selection(units=units, unit=unit, subtree=subtree, period=period)


@dataclass
class Table:
    """Counts of every registered measure for a selection by unit and month: one query to the
    rollups (and one per measure for the days since the last run), from which every panel is
    summed, so the page costs the same whatever it shows."""

    selection: Selection
    counted: dict
    by: tuple = ("unit", "month")

    @classmethod
    def of(cls, selection: Selection, source) -> "Table":
        measures = [m for metric in registry.all() for m in metric.measures]
        counted = compute.counts(
            measures,
            units=selection.units,
            start=selection.period.start,
            end=selection.period.end,
            by=cls.by,
            source=source,
        )
        return cls(selection, counted)

    def figures(self, metrics, *, keep: tuple = ()) -> dict[tuple, dict[str, Figure]]:
        return compute.figures_from(metrics, compute.regroup(self.counted, by=self.by, keep=keep), by=keep)


def _card(figure: Figure, selection: Selection) -> dict:
    metric = figure.metric
    return {
        "metric": metric,
        "figure": figure,
        "numerator_url": selection.records_url(metric, "numerator"),
        "denominator_url": selection.records_url(metric, "denominator") if metric.is_rate else "",
    }


def _cards(table: Table) -> list[tuple[str, list[dict]]]:
    metrics = registry.all()
    found = table.figures(metrics)[()]
    domains: dict[str, list[dict]] = {}
    for metric in metrics:
        domains.setdefault(metric.domain, []).append(_card(found[metric.code], table.selection))
    return list(domains.items())


def _trends(table: Table) -> list[dict]:
    selection = table.selection
    charts = []
    months = selection.period.months()
    for title, count_code, rate_codes in TRENDS:
        metrics = [registry.get(c) for c in [count_code, *rate_codes] if c in registry]
        if not metrics:
            continue
        found = table.figures(metrics, keep=("month",))
        series = []
        for metric in metrics:
            points = []
            for first in months:
                figure = found.get((first,), {}).get(metric.code) or Figure(
                    metric, 0, 0 if metric.is_rate else None
                )
                month = periods.month(first.year, first.month)
                in_month = Selection(selection.units, selection.unit, selection.subtree, month)
                points.append(
                    {
                        "value": None if figure.value is None else float(figure.value),
                        "text": figure.text,
                        "url": in_month.records_url(metric),
                    }
                )
            series.append({"name": metric.name, "rate": metric.is_rate, "points": points})
        charts.append(
            {"title": title, "months": [f"{m.year}年{m.month}月" for m in months], "series": series}
        )
    return charts


def _mix(selection: Selection, source) -> dict | None:
    if MIX not in registry:
        return None
    metric = registry.get(MIX)
    found = compute.figures(
        [metric],
        units=selection.units,
        start=selection.period.start,
        end=selection.period.end,
        by=("dimension",),
        source=source,
    )
    names = metric.dimension_names()
    slices = sorted(
        (
            {
                "name": names.get(key[0], key[0] or "未分类"),
                "value": per[metric.code].numerator,
                "text": per[metric.code].text,
                "url": selection.records_url(metric, dimension=key[0]),
            }
            for key, per in found.items()
            if per[metric.code].numerator
        ),
        key=lambda s: -s["value"],
    )
    return {"title": f"{metric.name}（按{metric.dimension_label}）", "slices": slices}


def _league(table: Table, code: str) -> dict:
    selection = table.selection
    metric = registry.get(code)
    found = table.figures([metric], keep=("unit",))
    units = Unit.objects.in_bulk([key[0] for key in found])
    rows = []
    for (unit_id,), per in found.items():
        figure = per[metric.code]
        unit = units.get(unit_id)
        if unit is None or figure.sample == 0:
            continue
        one = Selection(compute.one_unit(unit_id), unit, False, selection.period)
        rows.append(
            {
                "unit": unit,
                "figure": figure,
                "unit_url": f"{reverse('metrics:unit', args=[unit_id])}?{urlencode({'period': selection.period.key})}",
                "numerator_url": one.records_url(metric, "numerator"),
                "denominator_url": one.records_url(metric, "denominator") if metric.is_rate else "",
            }
        )
    sign = -1 if metric.higher_is_better else 1
    ranked = sorted(
        (r for r in rows if r["figure"].ranked),
        key=lambda r: (sign * r["figure"].value, -r["figure"].sample, r["unit"].name),
    )
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    unranked = sorted((r for r in rows if not r["figure"].ranked), key=lambda r: -r["figure"].sample)
    return {"metric": metric, "ranked": ranked, "unranked": unranked}


def _heat(table: Table) -> dict | None:
    if HEAT not in registry:
        return None
    metric = registry.get(HEAT)
    months = table.selection.period.months()
    found = table.figures([metric], keep=("unit", "month"))
    totals: dict[int, int] = {}
    for (unit_id, _), per in found.items():
        totals[unit_id] = totals.get(unit_id, 0) + per[metric.code].numerator
    unit_ids = [u for u, n in sorted(totals.items(), key=lambda item: item[1]) if n][-HEAT_UNITS:]
    units = Unit.objects.in_bulk(unit_ids)
    cells = []
    for (unit_id, first), per in found.items():
        count = per[metric.code].numerator
        if unit_id not in units or not count or first not in months:
            continue
        month = periods.month(first.year, first.month)
        cells.append(
            {
                "x": months.index(first),
                "y": unit_ids.index(unit_id),
                "value": count,
                "url": Selection(compute.one_unit(unit_id), units[unit_id], False, month).records_url(metric),
            }
        )
    return {
        "title": f"{metric.name}：按单位和收到月份（最多的{HEAT_UNITS}个单位）",
        "months": [f"{m.month}月" for m in months],
        "units": [units[u].short_name or units[u].name for u in unit_ids],
        "cells": cells,
        "max": max((c["value"] for c in cells), default=0),
    }


def _unit_choices(request):
    return units_visible_to(request.user, permissions.METRIC_ROLES).order_by("path")


@login_required
def cockpit(request):
    selection = _selection(request)
    source = compute.source_now()
    code = request.GET.get("rank", DEFAULT_RANKING)
    if code not in registry or not registry.get(code).is_rate:
        code = DEFAULT_RANKING if DEFAULT_RANKING in registry else registry.all()[0].code
    table = Table.of(selection, source)
    charts = {"trends": _trends(table), "mix": _mix(selection, source), "heat": _heat(table)}
    return render(
        request,
        "metrics/cockpit.html",
        {
            "selection": selection,
            "source": source,
            "domains": _cards(table),
            "league": _league(table, code),
            "rankable": [m for m in registry.all() if m.is_rate],
            "charts": charts,
            "units": _unit_choices(request),
        },
    )


@login_required
def unit_page(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk)
    selection = _selection(request, unit=unit)
    source = compute.source_now()
    table = Table.of(selection, source)
    return render(
        request,
        "metrics/unit.html",
        {
            "selection": selection,
            "unit": unit,
            "source": source,
            "domains": _cards(table),
            "charts": {"trends": _trends(table)},
            "children": unit.children.order_by("sort_order", "id"),
        },
    )


@login_required
def records(request, code: str):
    if code not in registry:
        raise Http404("没有该指标。")
    metric = registry.get(code)
    selection = _selection(request)
    part = request.GET.get("part", "numerator")
    try:
        metric.part(part)
    except ValueError:
        part = "numerator"
    dimension = request.GET.get("dimension", "")
    found = selectors.records_visible_to(
        request.user,
        metric,
        part=part,
        units=selection.units,
        start=selection.period.start,
        end=selection.period.end,
        dimension=dimension,
    )
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    figure = compute.figure(
        metric,
        units=selection.units,
        start=selection.period.start,
        end=selection.period.end,
        dimension=dimension,
    )
    return render(
        request,
        "metrics/records.html",
        {
            "metric": metric,
            "figure": figure,
            "part": part,
            "part_label": metric.part_label(part),
            "part_text": metric.numerator_text if part == "numerator" else metric.denominator_text,
            "other_url": selection.records_url(
                metric, "denominator" if part == "numerator" else "numerator", dimension=dimension
            )
            if metric.is_rate
            else "",
            "dimension_name": metric.dimension_names().get(dimension, dimension) if dimension else "",
            "selection": selection,
            "page": page,
            "rows": found.describe(page.object_list),
            "hidden": found.hidden,
        },
    )


@login_required
def definitions(request):
    if not permissions.can_view_metrics(request.user):
        raise PermissionDenied("只有在岗的业务人员和领导可以查看指标。")
    domains: dict[str, list[Metric]] = {}
    for metric in registry.all():
        domains.setdefault(metric.domain, []).append(metric)
    return render(request, "metrics/definitions.html", {"domains": list(domains.items())})
