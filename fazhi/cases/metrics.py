"""Indicators of the case engine, registered in the metrics registry.

Every figure here is about the cases received in the period (a cohort, placed by the time the
case was received) and is attributed to the case's current lead unit; the state of each case is
taken as it is when the figure is computed. So a year's figures add up from its months, and each
case counts in exactly one period.
"""

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from fazhi.cases.models import Case, CaseType, Supervision
from fazhi.metrics.registry import Measure, Metric, RecordRow, Watch, local_date, register

DOMAIN = "案件办理"
MIN_SAMPLE = 10


def _case_types() -> dict[str, str]:
    return dict(CaseType.objects.values_list("code", "name"))


def _cases_visible(user) -> Q:
    from fazhi.cases.selectors import cases_visible_to

    return Q(pk__in=cases_visible_to(user).values("pk"))


def _supervisions_visible(user) -> Q:
    from fazhi.cases.selectors import cases_visible_to

    return Q(case__in=cases_visible_to(user).values("pk"))


def _by_type(cases):
    # Naming every type lets PostgreSQL range-scan case_type_received_idx for a period.
    return cases.filter(case_type_id__in=list(CaseType.objects.values_list("pk", flat=True)))


def _case_list(cases: QuerySet) -> QuerySet:
    return cases.select_related("case_type", "handling_unit").order_by("-received_at", "-id")


def _case_row(case: Case) -> RecordRow:
    state = case.get_status_display()
    if case.status == Case.Status.CLOSED and case.closed_at:
        state += f"（{timezone.localtime(case.closed_at):%Y-%m-%d}）"
    return RecordRow(
        number=case.number,
        title=f"{case.case_type.name}：{case.title}",
        unit=case.handling_unit.name,
        day=timezone.localtime(case.received_at).date(),
        state=f"{state}，期限{case.due_date:%Y-%m-%d}",
        url=case.get_absolute_url(),
    )


def _supervision_list(supervisions: QuerySet) -> QuerySet:
    return supervisions.select_related("case", "case__handling_unit").order_by("-issued_at", "-id")


def _supervision_row(supervision: Supervision) -> RecordRow:
    resolved = supervision.resolved_at
    return RecordRow(
        number=supervision.case.number,
        title=f"{supervision.get_level_display()}：{supervision.reason}",
        unit=supervision.case.handling_unit.name,
        day=timezone.localtime(supervision.issued_at).date(),
        state=f"已反馈（{timezone.localtime(resolved):%Y-%m-%d}）" if resolved else "未反馈",
        url=supervision.case.get_absolute_url(),
    )


CASE_WATCHES = (Watch(Case, "received_at", ("updated_at",)),)
SUPERVISION_WATCHES = (
    Watch(Supervision, "issued_at", ("issued_at", "resolved_at")),
    Watch(Case, "supervisions__issued_at", ("updated_at",)),
)


def _case_measure(code: str, name: str, where: Q | None = None, **kwargs) -> Measure:
    return Measure(
        code=code,
        name=name,
        model=Case,
        anchor="received_at",
        unit="handling_unit_id",
        dimension="case_type__code",
        visible=_cases_visible,
        where=where or Q(),
        narrow=_by_type,
        watches=CASE_WATCHES,
        prepare=_case_list,
        describe=_case_row,
        **kwargs,
    )


def _supervision_measure(code: str, name: str, where: Q | None = None) -> Measure:
    return Measure(
        code=code,
        name=name,
        model=Supervision,
        anchor="issued_at",
        unit="case__handling_unit_id",
        dimension="case__case_type__code",
        visible=_supervisions_visible,
        where=where or Q(),
        watches=SUPERVISION_WATCHES,
        prepare=_supervision_list,
        describe=_supervision_row,
    )


RECEIVED = _case_measure("cases.received", "收案数")
CLOSED = _case_measure("cases.closed", "办结数", Q(status=Case.Status.CLOSED))
CLOSED_ON_TIME = _case_measure(
    "cases.closed_on_time",
    "按时办结数",
    Q(status=Case.Status.CLOSED, _closed_on__lte=F("due_date")),
    annotate=lambda: {"_closed_on": local_date("closed_at")},
)
OPEN_OVERDUE = _case_measure(
    "cases.open_overdue", "超期未办结数", Q(status=Case.Status.OPEN), overdue_on="due_date"
)
SUPERVISIONS_ISSUED = _supervision_measure("cases.supervisions_issued", "督办件次")
SUPERVISIONS_RESOLVED = _supervision_measure(
    "cases.supervisions_resolved", "已反馈督办件次", Q(resolved_at__isnull=False)
)

COHORT = "统计对象：统计期内收到的案件（按收到时间归期），按案件当前主办单位统计；办理状态截至计算时。"
common = {"domain": DOMAIN, "dimension_label": "案件类型", "dimension_names": _case_types}

register(
    Metric(
        code="cases.received",
        name="收案数",
        definition=COHORT + "计数：统计期内收到（登记）的案件件数。",
        numerator=(RECEIVED,),
        numerator_text="收案数：统计期内收到的案件",
        exclusions="无。已归档的案件照常计入。",
        precision=0,
        **common,
    )
)
register(
    Metric(
        code="cases.closed",
        name="办结数",
        definition=COHORT + "计数：其中截至计算时已办结的件数。",
        numerator=(CLOSED,),
        numerator_text="办结数：统计期内收到、已办结的案件",
        exclusions="重办后尚未再次办结的案件不计入。",
        precision=0,
        **common,
    )
)
register(
    Metric(
        code="cases.closed_on_time",
        name="按时办结数",
        definition=COHORT
        + "计数：其中已办结、且办结日（北京时间）不晚于办理期限的件数；办理期限含中止顺延和批准的延期。",
        numerator=(CLOSED_ON_TIME,),
        numerator_text="按时办结数：办结日不晚于办理期限的已办结案件",
        exclusions="重办的案件按重办后的期限和办结时间判断。",
        precision=0,
        **common,
    )
)
register(
    Metric(
        code="cases.overdue_open",
        name="超期未办结数",
        definition=COHORT + "计数：其中截至计算当日仍在办理、且办理期限早于当日的件数。",
        numerator=(OPEN_OVERDUE,),
        numerator_text="超期未办结数：仍在办理且已过办理期限的案件",
        exclusions="处于中止状态的案件期限停止计算，不计入。",
        precision=0,
        higher_is_better=False,
        **common,
    )
)
register(
    Metric(
        code="cases.ontime_rate",
        name="按时办结率",
        definition=COHORT + "按时办结率 = 按时办结数 ÷（办结数 + 超期未办结数）× 100%，四舍五入保留一位小数。"
        "按时办结：已办结且办结日不晚于办理期限（含中止顺延、批准延期）；"
        "超期未办结：仍在办理且办理期限早于计算当日。",
        numerator=(CLOSED_ON_TIME,),
        denominator=(CLOSED, OPEN_OVERDUE),
        numerator_text="按时办结数：已办结且办结日不晚于办理期限的案件",
        denominator_text="办结数 + 超期未办结数：已办结的案件，加上仍在办理且已超期的案件",
        exclusions="尚未到期的在办案件、处于中止状态的案件不计入分母。",
        min_sample=MIN_SAMPLE,
        **common,
    )
)
register(
    Metric(
        code="cases.supervisions_issued",
        name="督办件次",
        definition="统计期内发出的催办、督办、挂牌督办件次（按发出时间归期），按被督办案件的当前主办单位统计。",
        numerator=(SUPERVISIONS_ISSUED,),
        numerator_text="督办件次：统计期内发出的催办、督办、挂牌督办",
        exclusions="无。同一案件多次督办按次计。",
        precision=0,
        higher_is_better=False,
        **common,
    )
)
register(
    Metric(
        code="cases.supervisions_resolved",
        name="督办已反馈件次",
        definition="统计期内发出的督办中，承办单位截至计算时已反馈办理情况的件次。",
        numerator=(SUPERVISIONS_RESOLVED,),
        numerator_text="已反馈件次：承办单位已反馈办理情况的督办",
        exclusions="无。",
        precision=0,
        **common,
    )
)
register(
    Metric(
        code="cases.supervision_resolve_rate",
        name="督办反馈率",
        definition="督办反馈率 = 已反馈督办件次 ÷ 督办件次 × 100%，四舍五入保留一位小数；"
        "督办按发出时间归期，按被督办案件的当前主办单位统计，反馈情况截至计算时。",
        numerator=(SUPERVISIONS_RESOLVED,),
        denominator=(SUPERVISIONS_ISSUED,),
        numerator_text="已反馈督办件次：承办单位已反馈办理情况的督办",
        denominator_text="督办件次：统计期内发出的催办、督办、挂牌督办",
        exclusions="无。",
        min_sample=MIN_SAMPLE,
        **common,
    )
)
