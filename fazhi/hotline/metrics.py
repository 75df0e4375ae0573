"""12345 unit KPIs (issue 3), registered in the metrics registry, each with its 口径.

The population is the requests received in the period (by 受理时间) that were dispatched for
handling; requests handled by guidance (转紧急热线, 告知法定途径) and requests merged into an
earlier one (并单, answered with it) are left out. A request counts for its current lead unit,
and its state (signed, replied, called back …) is taken as it is when the figure is computed.

The citizens' own 好差评 ratings count for the unit that answered (the rated unit), and
supervisions (催办 / 督办 / 挂牌督办, by hand or by the escalation rules) by when they were issued.
"""

from datetime import timedelta

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Lower, Replace, Substr
from django.utils import timezone

from fazhi.cases.models import Case, CaseStage, CaseUnit, Supervision, TimelineEntry
from fazhi.core.deadlines import WORKDAYS, Period
from fazhi.core.models import CalendarDay
from fazhi.hotline.models import (
    Callback,
    Category,
    Disposition,
    Rating,
    RatingLevel,
    Reply,
    Ticket,
    TicketReturn,
)
from fazhi.metrics.registry import CalendarWatch, Measure, Metric, RecordRow, Watch, local_date, register

DOMAIN = "12345热线"
HOTLINE_CASE_TYPE = "hotline"
MIN_SAMPLE = 30  # requests below which a unit's rate is shown but not ranked
REPEAT_WINDOW_DAYS = 30
NO_SIGN_LIMIT = 10**6


def _first_level_categories() -> dict[str, str]:
    return dict(Category.objects.filter(level=Category.Level.FIRST).values_list("code", "name"))


def _tickets_visible(user) -> Q:
    from fazhi.hotline.selectors import tickets_visible_to

    return Q(pk__in=tickets_visible_to(user).values("pk"))


def _via_ticket_visible(path: str):
    def visible(user) -> Q:
        from fazhi.hotline.selectors import tickets_visible_to

        return Q(**{f"{path}__in": tickets_visible_to(user).values("pk")})

    return visible


def _ticket_list(tickets):
    return tickets.select_related(
        "case", "case__handling_unit", "category", "merged_into__case__handling_unit"
    ).order_by("-received_at", "-id")


def _ticket_state(ticket: Ticket) -> str:
    if ticket.disposition == Disposition.MERGED:
        return f"已并入{ticket.merged_into.reference}"
    case = ticket.case
    state = case.get_status_display()
    if case.status == Case.Status.CLOSED and case.closed_at:
        state += f"（{timezone.localtime(case.closed_at):%Y-%m-%d}）"
    signed = f"，{timezone.localtime(ticket.signed_at):%m-%d %H:%M}签收" if ticket.signed_at else "，未签收"
    return f"{state}，期限{case.due_date:%Y-%m-%d}{signed}"


def _ticket_row(ticket: Ticket) -> RecordRow:
    case = ticket.case or (ticket.merged_into.case if ticket.merged_into_id else None)
    return RecordRow(
        number=ticket.reference,
        title=f"{ticket.category.name}：{case.title if ticket.case_id else ticket.content[:40]}",
        unit=case.handling_unit.name if case else "",
        day=timezone.localtime(ticket.received_at).date(),
        state=_ticket_state(ticket),
        url=ticket.get_absolute_url(),
    )


def _dispatch_list(links):
    return links.select_related("unit", "case", "case__ticket__category").order_by("-assigned_at", "-id")


def _dispatch_row(link: CaseUnit) -> RecordRow:
    ticket = link.case.ticket
    return RecordRow(
        number=ticket.reference,
        title=f"{ticket.category.name}：{link.case.title}",
        unit=link.unit.name,
        day=timezone.localtime(link.assigned_at).date(),
        state="当前主办" if link.is_active else "已改派他单位",
        url=ticket.get_absolute_url(),
    )


def _return_list(returns):
    return returns.select_related("unit", "ticket__case", "ticket__category").order_by("-returned_at", "-id")


def _return_row(returned: TicketReturn) -> RecordRow:
    return RecordRow(
        number=returned.ticket.reference,
        title=f"退单理由：{returned.reason[:60]}",
        unit=returned.unit.name,
        day=timezone.localtime(returned.returned_at).date(),
        state=returned.get_status_display(),
        url=returned.ticket.get_absolute_url(),
    )


# The engine saves the case (updated_at) whenever it changes its clock, lead unit or status —
# reassignments and reopenings included — so the case row stands for its timeline here.
TICKET_WATCHES = (
    Watch(Ticket, "received_at", ("updated_at",)),
    Watch(Case, "ticket__received_at", ("updated_at",)),
    Watch(Reply, "ticket__received_at", ("replied_at",)),
    Watch(Callback, "ticket__received_at", ("called_at",)),
    Watch(TicketReturn, "ticket__received_at", ("returned_at", "decided_at")),
    Watch(CaseUnit, "case__ticket__received_at", ("assigned_at",)),
)

DISPATCHED = Q(disposition=Disposition.DISPATCH, case__isnull=False)
WITH_UNIT = ~Q(case__handling_unit=F("centre"))  # given to a unit, not kept by the centre


def _ticket_measure(code: str, name: str, where: Q, **kwargs) -> Measure:
    kwargs.setdefault("by_dimension", False)
    kwargs.setdefault("watches", TICKET_WATCHES)
    return Measure(
        code=code,
        name=name,
        model=Ticket,
        anchor="received_at",
        unit="case__handling_unit_id",
        dimension=Substr("category__code", 1, 2),  # the first-level category: codes nest by prefix
        visible=_tickets_visible,
        where=DISPATCHED & where,
        prepare=_ticket_list,
        describe=_ticket_row,
        **kwargs,
    )


def _sign_limit_workdays(period: str) -> int | None:
    if not period:
        return None
    parsed = Period.parse(period)
    return parsed.amount if parsed.unit == WORKDAYS else None


def _signed_on_time() -> dict:
    """Whether the lead unit signed within its 签收时限, in SQL, as the deadline engine counts it.

    The limit is N working days from the day the request reached the current lead unit: it is
    met when fewer than N working days lie strictly between that day and the day of signing
    (the due day is the N-th working day after; a rest day after it is already late).
    """
    default = (
        CaseStage.objects.filter(case_type__code=HOTLINE_CASE_TYPE, code="sign")
        .values_list("period", flat=True)
        .first()
    )
    default_days = _sign_limit_workdays(default or "") or NO_SIGN_LIMIT
    lead_since = (
        CaseUnit.objects.filter(case=OuterRef("case"), role=CaseUnit.Role.LEAD, is_active=True)
        .order_by("-assigned_at", "-id")
        .annotate(on=local_date("assigned_at"))
        .values("on")[:1]
    )
    workdays_between = (
        CalendarDay.objects.filter(
            is_workday=True, date__gt=OuterRef("_sign_from"), date__lt=OuterRef("_signed_on")
        )
        .order_by()
        .values("is_workday")
        .annotate(n=Count("date"))
        .values("n")[:1]
    )
    return {
        "_sign_override": Lower(KeyTextTransform("sign", "case__stage_periods")),
        "_sign_limit": SqlCase(
            When(
                _sign_override__endswith="wd",
                then=Cast(Replace(F("_sign_override"), Value("wd"), Value("")), IntegerField()),
            ),
            default=Value(default_days),
            output_field=IntegerField(),
        ),
        "_sign_from": Subquery(lead_since, output_field=DateField()),
        "_signed_on": local_date("signed_at"),
        "_workdays_between": Coalesce(Subquery(workdays_between, output_field=IntegerField()), 0),
    }


def _last_callback(field: str) -> dict:
    latest = Callback.objects.filter(ticket=OuterRef("pk")).order_by("-called_at", "-id").values(field)[:1]
    return {f"_last_{field}": Subquery(latest)}


RECEIVED = _ticket_measure("hotline.received", "受理派单工单数", Q(), by_dimension=True)
TO_SIGN = _ticket_measure("hotline.to_sign", "应签收工单数", WITH_UNIT)
SIGNED = _ticket_measure("hotline.signed", "已签收工单数", WITH_UNIT & Q(signed_at__isnull=False))
SIGNED_ON_TIME = _ticket_measure(
    "hotline.signed_on_time",
    "按时签收工单数",
    WITH_UNIT & Q(signed_at__isnull=False, _workdays_between__lt=F("_sign_limit")),
    annotate=_signed_on_time,
    watches=(*TICKET_WATCHES, CalendarWatch()),
)
CLOSED = _ticket_measure("hotline.closed", "办结工单数", Q(case__status=Case.Status.CLOSED))
CLOSED_ON_TIME = _ticket_measure(
    "hotline.closed_on_time",
    "按时办结工单数",
    Q(case__status=Case.Status.CLOSED, _closed_on__lte=F("case__due_date")),
    annotate=lambda: {"_closed_on": local_date("case__closed_at")},
)
OPEN_OVERDUE = _ticket_measure(
    "hotline.open_overdue",
    "超期未办结工单数",
    Q(case__status=Case.Status.OPEN),
    overdue_on="case__due_date",
    by_dimension=True,
)
REPLIED = _ticket_measure(
    "hotline.replied", "已答复工单数", Q(Exists(Reply.objects.filter(ticket=OuterRef("pk"))))
)
RATED_RESOLUTION = _ticket_measure(
    "hotline.rated_resolution",
    "解决情况有效回访工单数",
    Q(
        _last_resolution__in=[
            Callback.Resolution.RESOLVED,
            Callback.Resolution.PARTIAL,
            Callback.Resolution.UNRESOLVED,
        ]
    ),
    annotate=lambda: _last_callback("resolution"),
)
RESOLVED = _ticket_measure(
    "hotline.resolved",
    "已解决工单数",
    Q(_last_resolution=Callback.Resolution.RESOLVED),
    annotate=lambda: _last_callback("resolution"),
)
RATED_SATISFACTION = _ticket_measure(
    "hotline.rated_satisfaction",
    "满意度参评工单数",
    Q(
        _last_satisfaction__in=[
            Callback.Satisfaction.SATISFIED,
            Callback.Satisfaction.BASICALLY,
            Callback.Satisfaction.UNSATISFIED,
        ]
    ),
    annotate=lambda: _last_callback("satisfaction"),
)
SATISFIED = _ticket_measure(
    "hotline.satisfied",
    "满意工单数",
    Q(_last_satisfaction__in=[Callback.Satisfaction.SATISFIED, Callback.Satisfaction.BASICALLY]),
    annotate=lambda: _last_callback("satisfaction"),
)
REOPENED = _ticket_measure(
    "hotline.reopened",
    "重办工单数",
    # every path to 重办 (a callback's reopen request accepted, a reply sent back on review)
    # reopens the case, and the engine's timeline keeps it
    Q(Exists(TimelineEntry.objects.filter(case=OuterRef("case"), action="reopened"))),
)

DISPATCHES = Measure(
    code="hotline.dispatches",
    name="派单件次",
    model=CaseUnit,
    anchor="case__ticket__received_at",
    unit="unit_id",
    dimension=Substr("case__ticket__category__code", 1, 2),
    visible=_via_ticket_visible("case__ticket"),
    where=Q(
        role=CaseUnit.Role.LEAD,
        case__ticket__disposition=Disposition.DISPATCH,
    )
    & ~Q(unit=F("case__ticket__centre")),
    by_dimension=False,
    watches=TICKET_WATCHES,
    prepare=_dispatch_list,
    describe=_dispatch_row,
)
RETURNS = Measure(
    code="hotline.returns",
    name="退单件次",
    model=TicketReturn,
    anchor="ticket__received_at",
    unit="unit_id",
    dimension=Substr("ticket__category__code", 1, 2),
    visible=_via_ticket_visible("ticket"),
    where=Q(ticket__disposition=Disposition.DISPATCH),
    by_dimension=False,
    watches=TICKET_WATCHES,
    prepare=_return_list,
    describe=_return_row,
)


def _rating_list(ratings):
    return ratings.select_related("unit", "ticket__case", "ticket__category").order_by("-created_at", "-id")


def _rating_row(rating: Rating) -> RecordRow:
    comment = f"：{rating.comment[:40]}" if rating.comment else ""
    return RecordRow(
        number=rating.ticket.reference,
        title=f"{rating.ticket.category.name}{comment}",
        unit=rating.unit.name,
        day=timezone.localtime(rating.created_at).date(),
        state=rating.get_level_display(),
        url=rating.ticket.get_absolute_url(),
    )


def _rating_measure(code: str, name: str, where: Q) -> Measure:
    return Measure(
        code=code,
        name=name,
        model=Rating,
        anchor="ticket__received_at",
        unit="unit_id",
        dimension=Substr("ticket__category__code", 1, 2),
        visible=_via_ticket_visible("ticket"),
        where=Q(ticket__disposition=Disposition.DISPATCH) & where,
        by_dimension=False,
        watches=(Watch(Rating, "ticket__received_at", ("created_at",)),),
        prepare=_rating_list,
        describe=_rating_row,
    )


RATED = _rating_measure("hotline.rated", "参评工单数", Q())
RATED_GOOD = _rating_measure("hotline.rated_good", "好评工单数", Q(level__gte=RatingLevel.SATISFIED))
RATED_BAD = _rating_measure("hotline.rated_bad", "差评工单数", Q(level__lte=RatingLevel.UNSATISFIED))


def _supervision_list(supervisions):
    return supervisions.select_related("case__ticket", "case__handling_unit").order_by("-issued_at", "-id")


def _supervision_row(supervision: Supervision) -> RecordRow:
    resolved = supervision.resolved_at
    return RecordRow(
        number=supervision.case.number,
        title=f"{supervision.get_level_display()}：{supervision.reason}",
        unit=supervision.case.handling_unit.name,
        day=timezone.localtime(supervision.issued_at).date(),
        state=f"已反馈（{timezone.localtime(resolved):%Y-%m-%d}）" if resolved else "未反馈",
        url=supervision.case.ticket.get_absolute_url(),
    )


def _supervision_measure(code: str, name: str, where: Q) -> Measure:
    return Measure(
        code=code,
        name=name,
        model=Supervision,
        anchor="issued_at",
        unit="case__handling_unit_id",
        dimension=Substr("case__ticket__category__code", 1, 2),
        visible=_via_ticket_visible("case__ticket"),
        where=Q(case__ticket__disposition=Disposition.DISPATCH) & where,
        by_dimension=False,
        watches=(
            Watch(Supervision, "issued_at", ("issued_at", "resolved_at")),
            Watch(Case, "supervisions__issued_at", ("updated_at",)),
        ),
        prepare=_supervision_list,
        describe=_supervision_row,
    )


SUPERVISED = _supervision_measure("hotline.supervisions", "督办件次", Q())
LISTED = _supervision_measure(
    "hotline.listed_supervisions", "挂牌督办件次", Q(level=Supervision.Level.LISTED)
)


_earlier_same_caller = Ticket.objects.filter(
    caller_phone_index=OuterRef("caller_phone_index"),
    category=OuterRef("category"),
    received_at__lt=OuterRef("received_at"),
    received_at__gte=ExpressionWrapper(
        OuterRef("received_at") - Value(timedelta(days=REPEAT_WINDOW_DAYS)), output_field=DateTimeField()
    ),
)
REGISTERED_WATCHES = (
    Watch(Ticket, "received_at", ("updated_at",), spread=REPEAT_WINDOW_DAYS),
    Watch(Case, "ticket__received_at", ("updated_at",)),
    Watch(Case, "ticket__merged__received_at", ("updated_at",)),
)


def _registered_measure(code: str, name: str, where: Q) -> Measure:
    return Measure(
        code=code,
        name=name,
        model=Ticket,
        anchor="received_at",
        # a request merged at intake has no case of its own: it counts for the unit handling the
        # request it joined
        unit=Coalesce("case__handling_unit_id", "merged_into__case__handling_unit_id"),
        dimension=Substr("category__code", 1, 2),
        visible=_tickets_visible,
        where=Q(disposition__in=[Disposition.DISPATCH, Disposition.MERGED]) & where,
        by_dimension=False,
        watches=REGISTERED_WATCHES,
        prepare=_ticket_list,
        describe=_ticket_row,
    )


REGISTERED = _registered_measure("hotline.registered", "受理诉求件数（含并单）", Q())
REPEATED = _registered_measure(
    "hotline.repeated",
    "重复诉求件数",
    Q(disposition=Disposition.MERGED) | (~Q(caller_phone_index="") & Q(Exists(_earlier_same_caller))),
)


POPULATION = (
    "统计对象：统计期内受理（按受理时间归期）并派单办理的12345工单，按工单当前主办单位统计，"
    "办理和回访情况截至计算时。"
)
NOT_COUNTED = "以转紧急热线、告知法定途径方式处置的工单和并单的工单（随主工单办理）不计入。"
common = {
    "domain": DOMAIN,
    "dimension_label": "诉求大类",
    "dimension_names": _first_level_categories,
}
rate = {**common, "min_sample": MIN_SAMPLE}

register(
    Metric(
        code="hotline.received",
        name="受理派单量",
        definition=POPULATION + "计数：统计期内受理并派单办理的工单件数。",
        numerator=(RECEIVED,),
        numerator_text="受理派单量：统计期内受理并派单办理的工单",
        exclusions=NOT_COUNTED,
        precision=0,
        **common,
    )
)
register(
    Metric(
        code="hotline.sign_rate",
        name="签收率",
        definition=POPULATION + "签收率 = 已签收工单数 ÷ 应签收工单数 × 100%，四舍五入保留一位小数。",
        numerator=(SIGNED,),
        denominator=(TO_SIGN,),
        numerator_text="已签收工单数：应签收工单中承办单位已签收的",
        denominator_text="应签收工单数：已派至承办单位的工单（不含仍由12345中心直接办理或待派单的）",
        exclusions=NOT_COUNTED + "改派后由新承办单位重新签收，按新单位计。",
        **rate,
    )
)
register(
    Metric(
        code="hotline.sign_ontime_rate",
        name="按时签收率",
        definition=POPULATION + "按时签收率 = 按时签收工单数 ÷ 应签收工单数 × 100%，四舍五入保留一位小数。"
        "签收期限自工单派至当前主办单位之日起按工作日历计算：本案设定了以工作日计的签收时限的按本案，"
        "否则按“12345热线诉求”类型签收阶段的时限（如1个工作日）；签收日不晚于期限为按时。",
        numerator=(SIGNED_ON_TIME,),
        denominator=(TO_SIGN,),
        numerator_text="按时签收工单数：签收日不晚于签收期限的工单",
        denominator_text="应签收工单数：已派至承办单位的工单",
        exclusions=NOT_COUNTED + "尚未签收的工单计入分母、不计入分子。",
        **rate,
    )
)
register(
    Metric(
        code="hotline.ontime_rate",
        name="按时办结率",
        definition=POPULATION
        + "按时办结率 = 按时办结工单数 ÷（办结工单数 + 超期未办结工单数）× 100%，四舍五入保留一位小数。"
        "按时办结：已办结且办结日（北京时间）不晚于办理期限（含中止顺延、批准延期）；"
        "超期未办结：仍在办理且办理期限早于计算当日。",
        numerator=(CLOSED_ON_TIME,),
        denominator=(CLOSED, OPEN_OVERDUE),
        numerator_text="按时办结工单数：已办结且办结日不晚于办理期限的工单",
        denominator_text="办结工单数 + 超期未办结工单数：已办结的工单，加上仍在办理且已超期的工单",
        exclusions=NOT_COUNTED + "尚未到期的在办工单、处于中止状态的工单不计入分母。",
        **rate,
    )
)
register(
    Metric(
        code="hotline.reply_rate",
        name="回复率",
        definition=POPULATION + "回复率 = 已答复工单数 ÷ 受理派单工单数 × 100%，四舍五入保留一位小数。",
        numerator=(REPLIED,),
        denominator=(RECEIVED,),
        numerator_text="已答复工单数：承办单位已提交答复（说明办理情况）的工单",
        denominator_text="受理派单工单数：统计期内受理并派单办理的工单",
        exclusions=NOT_COUNTED,
        **rate,
    )
)
register(
    Metric(
        code="hotline.resolve_rate",
        name="解决率",
        definition=POPULATION
        + "解决率 = 已解决工单数 ÷ 解决情况有效回访工单数 × 100%，四舍五入保留一位小数；"
        "以每件工单最近一次回访为准。",
        numerator=(RESOLVED,),
        denominator=(RATED_RESOLUTION,),
        numerator_text="已解决工单数：最近一次回访为“已解决”的工单",
        denominator_text="有效回访工单数：最近一次回访评价为已解决、部分解决或未解决的工单",
        exclusions=NOT_COUNTED
        + "未回访的和回访结果为“未评价”（未接通等）的不计入。“部分解决”计入分母、不计入分子。",
        **rate,
    )
)
register(
    Metric(
        code="hotline.satisfaction_rate",
        name="满意率",
        definition=POPULATION
        + "满意率 =（满意 + 基本满意）工单数 ÷ 参评工单数 × 100%，四舍五入保留一位小数；"
        "以每件工单最近一次回访为准。",
        numerator=(SATISFIED,),
        denominator=(RATED_SATISFACTION,),
        numerator_text="满意工单数：最近一次回访为“满意”或“基本满意”的工单",
        denominator_text="参评工单数：最近一次回访为满意、基本满意或不满意的工单",
        exclusions=NOT_COUNTED + "未回访的和回访结果为“未接通/未评价”的不计入。",
        **rate,
    )
)
register(
    Metric(
        code="hotline.reopen_rate",
        name="重办率",
        definition=POPULATION + "重办率 = 重办工单数 ÷ 已答复工单数 × 100%，四舍五入保留一位小数。",
        numerator=(REOPENED,),
        denominator=(REPLIED,),
        numerator_text="重办工单数：答复后被决定重办（回访不满意经中心同意重办、答复经复核退回重办等）的工单",
        denominator_text="已答复工单数：承办单位已提交答复的工单",
        exclusions=NOT_COUNTED + "中心审核后不予重办的申请不计入；同一工单多次重办计1件。",
        higher_is_better=False,
        **rate,
    )
)
register(
    Metric(
        code="hotline.return_rate",
        name="退单率",
        definition="统计对象：统计期内受理（按受理时间归期）并派单办理的12345工单。"
        "退单率 = 退单件次 ÷ 派单件次 × 100%，四舍五入保留一位小数。"
        "按作出退单、接到派单的单位统计（不按当前主办单位）：工单每派至一个单位作主办计一次派单，"
        "该单位每退回一次计一次退单。",
        numerator=(RETURNS,),
        denominator=(DISPATCHES,),
        numerator_text="退单件次：承办单位以不属本单位职责为由退回的次数（无论中心改派还是驳回）",
        denominator_text="派单件次：工单派至该单位作主办的次数（不含留在12345中心的）",
        exclusions=NOT_COUNTED,
        higher_is_better=False,
        **rate,
    )
)
register(
    Metric(
        code="hotline.repeat_rate",
        name="重复诉求率",
        definition="统计对象：统计期内受理（按受理时间归期）的派单办理工单和并单工单。"
        "重复诉求率 = 重复诉求件数 ÷ 受理诉求件数 × 100%，四舍五入保留一位小数。"
        f"重复诉求：登记时并入已有工单的（并单），或同一来电号码在此前{REPEAT_WINDOW_DAYS}日内"
        "已就同一三级分类提出过诉求的。按主办单位统计，并单工单按其所并入工单的主办单位。",
        numerator=(REPEATED,),
        denominator=(REGISTERED,),
        numerator_text=f"重复诉求件数：并单的，或同一号码{REPEAT_WINDOW_DAYS}日内同类再次来电的",
        denominator_text="受理诉求件数：派单办理的和并单的工单",
        exclusions="以转紧急热线、告知法定途径方式处置的工单不计入；来电号码为空的不作号码比对。",
        higher_is_better=False,
        **rate,
    )
)
register(
    Metric(
        code="hotline.overdue_open",
        name="超期未办结工单数",
        definition=POPULATION + "计数：其中截至计算当日仍在办理、且办理期限早于当日的工单件数。",
        numerator=(OPEN_OVERDUE,),
        numerator_text="超期未办结工单数：仍在办理且已过办理期限的工单",
        exclusions=NOT_COUNTED + "处于中止状态的工单期限停止计算，不计入。",
        precision=0,
        higher_is_better=False,
        **common,
    )
)
register(
    Metric(
        code="hotline.good_rating_rate",
        name="好评率",
        definition="统计对象：统计期内受理（按受理时间归期）并派单办理、来电人已通过查询码评价（好差评）的12345工单，"
        "按被评价单位（作出答复的单位）统计。好评率 =（非常满意 + 满意）件数 ÷ 参评件数 × 100%，四舍五入保留一位小数。",
        numerator=(RATED_GOOD,),
        denominator=(RATED,),
        numerator_text="好评件数：评价为“非常满意”或“满意”的",
        denominator_text="参评件数：来电人已作出好差评的工单",
        exclusions=NOT_COUNTED + "未评价的工单不计入；回访满意度另见满意率。",
        **rate,
    )
)
register(
    Metric(
        code="hotline.bad_rating_rate",
        name="差评率",
        definition="统计对象：同好评率。差评率 =（不满意 + 非常不满意）件数 ÷ 参评件数 × 100%，四舍五入保留一位小数；"
        "每件差评形成一件整改任务。",
        numerator=(RATED_BAD,),
        denominator=(RATED,),
        numerator_text="差评件数：评价为“不满意”或“非常不满意”的",
        denominator_text="参评件数：来电人已作出好差评的工单",
        exclusions=NOT_COUNTED + "未评价的工单不计入。",
        higher_is_better=False,
        **rate,
    )
)
register(
    Metric(
        code="hotline.supervisions",
        name="热线督办件次",
        definition="统计期内对派单办理的12345工单发出的催办、督办、挂牌督办件次（按发出时间归期，含按升级规则自动发出的），"
        "按工单当前主办单位统计。",
        numerator=(SUPERVISED,),
        numerator_text="督办件次：对12345工单发出的催办、督办、挂牌督办",
        exclusions="同一工单多次督办按次计。",
        precision=0,
        higher_is_better=False,
        **common,
    )
)
register(
    Metric(
        code="hotline.listed_supervisions",
        name="挂牌督办件次",
        definition="统计期内对派单办理的12345工单发出的挂牌督办件次（按发出时间归期），按工单当前主办单位统计。",
        numerator=(LISTED,),
        numerator_text="挂牌督办件次：级别为挂牌督办的督办",
        exclusions="催办、督办不计入。",
        precision=0,
        higher_is_better=False,
        **common,
    )
)
