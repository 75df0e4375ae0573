"""Reads of 行政复议 and 行政应诉, always scoped to the user, and their figures with definitions.

A reconsideration is visible to whoever sees its case (the 行政复议机构, supervisors, leaders)
and to the respondent's staff; a lawsuit to whoever sees its case (the defendants, supervisors,
leaders). Every figure below is computed from the records the user may see, and every number
can be listed back as those records (`*_figure_records`).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as DjangoCase
from django.http import Http404
from django.utils import timezone

from fazhi.cases.models import Case
from fazhi.cases.permissions import HANDLING_ROLES
from fazhi.cases.selectors import cases_visible_to
from fazhi.legal.models import (
    HEAD_CAPACITIES,
    ActCategory,
    Attendance,
    Attendee,
    CourtHearing,
    FigureSettings,
    FollowUp,
    JudgmentType,
    Lawsuit,
    LegalDocument,
    Outcome,
    Reconsideration,
    Result,
)
from fazhi.metrics import formatting
from fazhi.org.models import Region, Unit, User
from fazhi.org.permissions import CASEWORK_ROLES, unit_scope

# --- visibility ------------------------------------------------------------------------------------------


def reconsiderations_visible_to(user: User) -> QuerySet[Reconsideration]:
    scope = unit_scope(user, CASEWORK_ROLES)
    if scope.empty:
        return Reconsideration.objects.none()
    if scope.all:
        return Reconsideration.objects.all()
    return Reconsideration.objects.filter(
        Q(case__in=cases_visible_to(user).values("pk")) | scope.q("respondent")
    )


def answers_awaited(user: User) -> QuerySet[Reconsideration]:
    """被申请人待答复: cases against the units the user handles for, served and not yet answered,
    soonest answer deadline first — the respondent's inbox of reconsiderations."""
    scope = unit_scope(user, HANDLING_ROLES)
    if scope.empty:
        return Reconsideration.objects.none()
    return (
        Reconsideration.objects.filter(
            scope.q("respondent"),
            copy_served_on__isnull=False,
            answer_received_on__isnull=True,
            respondent_answer__isnull=True,
            case__status=Case.Status.OPEN,
            case__stage__code="answer",
        )
        .select_related("case", "respondent")
        .order_by("answer_due", "id")
    )


def _reconsideration_related(rows: QuerySet[Reconsideration]) -> QuerySet[Reconsideration]:
    return rows.select_related(
        "case",
        "case__case_type",
        "case__stage",
        "case__handling_unit",
        "respondent",
        "body__authority",
        "body__unit",
    )


def reconsideration_get(user: User, pk: int) -> Reconsideration:
    try:
        return _reconsideration_related(reconsiderations_visible_to(user)).get(pk=pk)
    except Reconsideration.DoesNotExist:
        raise Http404("行政复议案件不存在或您无权查看。") from None


def reconsideration_list(
    user: User,
    *,
    q: str = "",
    state: str = "",
    respondent: int | None = None,
    act_category: str = "",
    outcome: str = "",
    year: int | None = None,
) -> QuerySet[Reconsideration]:
    """The register, newest first; `state` is 审查中/审理中/已结案 or an acceptance value."""
    rows = _reconsideration_related(reconsiderations_visible_to(user))
    if q:
        rows = rows.filter(
            Q(case__number__icontains=q) | Q(act_name__icontains=q) | Q(applicant_org__icontains=q)
        )
    if state == "reviewing":
        rows = rows.filter(
            acceptance=Reconsideration.Acceptance.PENDING, case__status__in=["open", "suspended"]
        )
    elif state == "hearing":
        rows = rows.filter(acceptance__in=["accepted", "deemed"], case__status__in=["open", "suspended"])
    elif state == "closed":
        rows = rows.filter(case__status="closed")
    elif state in Reconsideration.Acceptance.values:
        rows = rows.filter(acceptance=state)
    if respondent:
        rows = rows.filter(respondent_id=respondent)
    if act_category:
        rows = rows.filter(act_category=act_category)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if year:
        rows = rows.filter(
            case__received_at__gte=_day_start(date(year, 1, 1)),
            case__received_at__lt=_day_start(date(year + 1, 1, 1)),
        )
    return rows.order_by("-case__received_at", "-id")


def documents_of(case_id: int) -> QuerySet[LegalDocument]:
    return LegalDocument.objects.filter(case_id=case_id).select_related("attachment", "issued_by")


def follow_ups_of(rec: Reconsideration) -> QuerySet[FollowUp]:
    return rec.follow_ups.select_related("case", "addressee")


def follow_up_get(user: User, pk: int) -> FollowUp:
    try:
        return FollowUp.objects.select_related("case", "addressee", "reconsideration__body__authority").get(
            pk=pk, case__in=cases_visible_to(user).values("pk")
        )
    except FollowUp.DoesNotExist:
        raise Http404("意见书不存在或您无权查看。") from None


def lawsuits_visible_to(user: User) -> QuerySet[Lawsuit]:
    return Lawsuit.objects.filter(case__in=cases_visible_to(user).values("pk"))


def _lawsuit_related(rows: QuerySet[Lawsuit]) -> QuerySet[Lawsuit]:
    return rows.select_related(
        "case",
        "case__case_type",
        "case__stage",
        "case__handling_unit__region",
        "judgment_type",
        "appeal_of__judgment_type",
        "reconsideration__case",
    )


def lawsuit_get(user: User, pk: int) -> Lawsuit:
    try:
        return _lawsuit_related(lawsuits_visible_to(user)).get(pk=pk)
    except Lawsuit.DoesNotExist:
        raise Http404("应诉案件不存在或您无权查看。") from None


def lawsuit_list(
    user: User,
    *,
    q: str = "",
    state: str = "",
    unit: int | None = None,
    instance: str = "",
    act_category: str = "",
    year: int | None = None,
) -> QuerySet[Lawsuit]:
    rows = _lawsuit_related(lawsuits_visible_to(user))
    if q:
        rows = rows.filter(
            Q(case__number__icontains=q)
            | Q(court_number__icontains=q)
            | Q(act_name__icontains=q)
            | Q(plaintiff_org__icontains=q)
        )
    if state == "open":
        rows = rows.filter(case__status__in=["open", "suspended"])
    elif state == "closed":
        rows = rows.filter(case__status="closed")
    if unit:
        rows = rows.filter(defendants__unit_id=unit).distinct()
    if instance:
        rows = rows.filter(instance=instance)
    if act_category:
        rows = rows.filter(act_category=act_category)
    if year:
        rows = rows.filter(filed_on__year=year)
    return rows.order_by("-filed_on", "-id")


def hearings_of(lawsuit: Lawsuit) -> QuerySet[CourtHearing]:
    attendances = Attendance.objects.select_related(
        "unit", "absence_proof", "suggestion_case"
    ).prefetch_related("attendees")
    return lawsuit.hearings.prefetch_related(Prefetch("attendances", queryset=attendances))


def judicial_suggestions_for(user: User, unit: Unit) -> QuerySet:
    """司法建议 cases the user may link to an absence: those addressed to the defendant unit."""
    return (
        cases_visible_to(user)
        .filter(case_type__code="judicial_suggestion", handling_unit=unit)
        .order_by("-received_at")
    )


# --- figures -------------------------------------------------------------------------------------------------
#
# Every figure is a count, or a ratio of counts, of records placed in the period by one of their
# moments: an application by the time it was received, a conclusion by the time the case closed
# (the day of the decision), a hearing by the time it was held. The counts (`COUNTS`) are shared
# with the metrics registry (`fazhi.legal.metrics`), so a figure on these pages, the cockpit, the
# assessment and the annual report is the same number; the registry attributes reconsiderations
# to the respondent and lawsuits to the defendant, these pages show what the user may see.


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _flag(condition: Q) -> DjangoCase:
    return DjangoCase(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


ACCEPTED = Q(acceptance__in=[Reconsideration.Acceptance.ACCEPTED, Reconsideration.Acceptance.DEEMED])
CONCLUDED = ~Q(outcome="")
ON_TIME = Q(decided_on__lte=F("case__due_date"))
STOPPED_WITHOUT_DECISION = [Outcome.MEDIATED, Outcome.SETTLED, Outcome.WITHDRAWN, Outcome.TERMINATED]


def reconsideration_facts() -> dict:
    """Which outcomes count where, from the current 统计口径; evaluated when the query runs."""
    settings = FigureSettings.current()
    denominator = settings.correction_denominator
    closing_base = Value(False)
    if denominator == FigureSettings.Denominator.CONCLUDED:
        closing_base = _flag(CONCLUDED)
    elif denominator == FigureSettings.Denominator.DECIDED:
        closing_base = _flag(CONCLUDED & ~Q(outcome__in=STOPPED_WITHOUT_DECISION))
    return {
        "_direct": _flag(Q(outcome__in=settings.direct_correction)),
        "_broad": _flag(Q(outcome__in=settings.broad_correction)),
        "_mediation": _flag(Q(outcome__in=settings.mediation_withdrawal)),
        "_upheld": _flag(Q(outcome__in=settings.upheld)),
        "_rejected": _flag(Q(outcome__in=settings.rejected)),
        # the 纠错率 denominator: concluded cases placed by the day they closed, or (option
        # "accepted") accepted applications placed by the day they were received
        "_base_closing": closing_base,
        "_base_received": Value(
            denominator == FigureSettings.Denominator.ACCEPTED, output_field=BooleanField()
        ),
    }


HEADS = [str(c) for c in HEAD_CAPACITIES]
EFFECTIVE = Q(
    concluded_on__isnull=False, judgment_type__isnull=False, appealed_by__in=["", Lawsuit.AppealedBy.NONE]
)


def lawsuit_facts() -> dict:
    """The result of a lawsuit by the configured mapping (an upheld appeal keeps the result below)."""
    return {
        "_result": DjangoCase(
            When(judgment_type__result=Result.INHERIT, then=F("appeal_of__judgment_type__result")),
            default=F("judgment_type__result"),
            output_field=CharField(),
        )
    }


def _pair_attendances() -> QuerySet[Attendance]:
    """Trial attendances of the same defendant in the same lawsuit (one 审级) as the outer row."""
    return Attendance.objects.filter(
        unit=OuterRef("unit"),
        hearing__lawsuit=OuterRef("hearing__lawsuit"),
        hearing__kind=CourtHearing.Kind.TRIAL,
    )


def attendance_facts() -> dict:
    """Who appeared; and, on the first trial hearing of a defendant in a lawsuit, whether a head
    appeared at any of its trial hearings (负责人出庭 is counted once per 审理程序)."""
    heads = Attendee.objects.filter(capacity__in=HEADS)
    chiefs = Attendee.objects.filter(capacity=Attendee.Capacity.CHIEF)
    earlier = _pair_attendances().filter(
        Q(hearing__held_at__lt=OuterRef("hearing__held_at"))
        | Q(hearing__held_at=OuterRef("hearing__held_at"), pk__lt=OuterRef("pk"))
    )
    return {
        "_head": Exists(heads.filter(attendance=OuterRef("pk"))),
        "_chief": Exists(chiefs.filter(attendance=OuterRef("pk"))),
        "_first": ~Exists(earlier),
        "_pair_head": Exists(_pair_attendances().filter(attendees__capacity__in=HEADS)),
        "_pair_chief": Exists(_pair_attendances().filter(attendees__capacity=Attendee.Capacity.CHIEF)),
    }


@dataclass(frozen=True)
class CountSpec:
    """A count of records: which rows, placed in the period by `anchor`, attributed to `unit`."""

    code: str
    name: str
    model: type
    anchor: str
    unit: str
    dimension: str
    where: Q
    facts: Callable[[], dict]


def _recon(code: str, name: str, anchor: str, where: Q | None = None) -> CountSpec:
    return CountSpec(
        f"legal.reconsideration.{code}",
        name,
        Reconsideration,
        anchor,
        "respondent_id",
        "act_category",
        where or Q(),
        reconsideration_facts,
    )


def _suit(code: str, name: str, where: Q | None = None, anchor: str = "case__closed_at") -> CountSpec:
    return CountSpec(
        f"legal.litigation.{code}",
        name,
        Lawsuit,
        anchor,
        "case__handling_unit_id",
        "act_category",
        where or Q(),
        lawsuit_facts,
    )


def _attendance(code: str, name: str, where: Q) -> CountSpec:
    trial = Q(hearing__kind=CourtHearing.Kind.TRIAL)
    return CountSpec(
        f"legal.litigation.{code}",
        name,
        Attendance,
        "hearing__held_at",
        "unit_id",
        "hearing__lawsuit__act_category",
        trial & where,
        attendance_facts,
    )


RECEIVED_AT, CLOSED_AT = "case__received_at", "case__closed_at"
COUNTS = {
    spec.code: spec
    for spec in (
        _recon("received", "收到申请数", RECEIVED_AT),
        _recon("accepted", "受理数", RECEIVED_AT, ACCEPTED),
        _recon("concluded", "审结数", CLOSED_AT, CONCLUDED),
        _recon("direct_corrected", "直接纠错数", CLOSED_AT, CONCLUDED & Q(_direct=True)),
        _recon("corrected", "纠错数", CLOSED_AT, CONCLUDED & Q(_broad=True)),
        _recon("correction_base_closed", "纠错率分母（审结）", CLOSED_AT, Q(_base_closing=True)),
        _recon(
            "correction_base_accepted", "纠错率分母（受理）", RECEIVED_AT, ACCEPTED & Q(_base_received=True)
        ),
        _recon("mediated_withdrawn", "调撤数", CLOSED_AT, CONCLUDED & Q(_mediation=True)),
        _recon("upheld", "维持数", CLOSED_AT, CONCLUDED & Q(_upheld=True)),
        _recon("rejected", "驳回数", CLOSED_AT, CONCLUDED & Q(_rejected=True)),
        _recon("on_time", "按期审结数", CLOSED_AT, CONCLUDED & ON_TIME),
        _suit("cases", "收案数", anchor=RECEIVED_AT),
        _suit("concluded", "结案数", Q(concluded_on__isnull=False)),
        _suit("effective", "裁判生效结案数", EFFECTIVE),
        _suit("effective_lost", "生效败诉数", EFFECTIVE & Q(_result=Result.LOST)),
        _suit("judgments", "判决结案数", EFFECTIVE & Q(judgment_type__kind=JudgmentType.Kind.JUDGMENT)),
        _suit(
            "judgments_lost",
            "判决败诉数",
            EFFECTIVE & Q(judgment_type__kind=JudgmentType.Kind.JUDGMENT, _result=Result.LOST),
        ),
        _suit(
            "first",
            "一审结案数",
            Q(concluded_on__isnull=False, judgment_type__isnull=False, instance="first"),
        ),
        _suit(
            "first_lost",
            "一审败诉数",
            Q(concluded_on__isnull=False, instance="first", judgment_type__result=Result.LOST),
        ),
        _attendance("trial_attendances", "开庭庭次", Q()),
        _attendance("head_attendances", "负责人出庭庭次", Q(_head=True)),
        _attendance("chief_attendances", "正职负责人出庭庭次", Q(_chief=True)),
        _attendance("trial_cases", "开庭案件数", Q(_first=True)),
        _attendance("head_cases", "负责人出庭案件数", Q(_first=True, _pair_head=True)),
        _attendance("chief_cases", "正职负责人出庭案件数", Q(_first=True, _pair_chief=True)),
    )
}


@dataclass(frozen=True)
class Definition:
    """A figure as people read it: a count, or numerator ÷ denominator × 100 (counts summed)."""

    code: str
    name: str
    definition: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    numerator_text: str = ""
    denominator_text: str = ""

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)

    @property
    def unit_label(self) -> str:
        return "%" if self.is_rate else "件"


R = "legal.reconsideration."
L = "legal.litigation."
RECEIVED_COHORT = "按收到申请的时间归期"
CLOSED_COHORT = "按结案（作出决定）的时间归期"


def _names(codes: Iterable[str]) -> str:
    return "、".join(Outcome(c).label for c in codes if c in Outcome.values) or "（未设置）"


def reconsideration_definitions(settings: FigureSettings | None = None) -> list[Definition]:
    """The 口径 of each 行政复议 figure, written out with the current 统计口径."""
    s = settings or FigureSettings.current()
    base = {
        "concluded": "审结数（含调解、和解撤回、撤回申请、终止）",
        "decided": "作出复议决定的审结数（不含调解、和解撤回、撤回申请、终止）",
        "accepted": "统计期内收到、已受理（含视为受理）的申请数",
    }[s.correction_denominator]
    base_codes = (R + "correction_base_closed", R + "correction_base_accepted")
    return [
        Definition(
            "received",
            "收到申请数",
            f"统计期内收到的行政复议申请件数（{RECEIVED_COHORT}），含不予受理、视为放弃的。",
            (R + "received",),
        ),
        Definition(
            "accepted",
            "受理数",
            f"统计期内收到的申请中已受理（含审查期限届满视为受理）的件数（{RECEIVED_COHORT}）。",
            (R + "accepted",),
        ),
        Definition(
            "concluded",
            "审结数",
            f"统计期内审结的案件件数（{CLOSED_COHORT}），含调解、和解撤回、撤回申请和终止。",
            (R + "concluded",),
        ),
        Definition(
            "direct_correction_rate",
            "直接纠错率",
            f"以{_names(s.direct_correction)}结案的件数 ÷ {base} × 100%（{CLOSED_COHORT}）。",
            (R + "direct_corrected",),
            base_codes,
            "直接纠错数",
            base,
        ),
        Definition(
            "correction_rate",
            "纠错率",
            f"以{_names(s.broad_correction)}结案的件数 ÷ {base} × 100%（{CLOSED_COHORT}；《行政复议工作白皮书》“通过变更、撤销、确认违法等方式纠正”）。",
            (R + "corrected",),
            base_codes,
            "纠错数",
            base,
        ),
        Definition(
            "mediation_withdrawal_rate",
            "调撤率",
            f"以{_names(s.mediation_withdrawal)}结案的件数 ÷ 审结数 × 100%。",
            (R + "mediated_withdrawn",),
            (R + "concluded",),
            "调撤数",
            "审结数",
        ),
        Definition(
            "upheld_rate",
            "维持率",
            f"以{_names(s.upheld)}结案的件数 ÷ 审结数 × 100%。",
            (R + "upheld",),
            (R + "concluded",),
            "维持数",
            "审结数",
        ),
        Definition(
            "rejected_rate",
            "驳回率",
            f"以{_names(s.rejected)}结案的件数 ÷ 审结数 × 100%。",
            (R + "rejected",),
            (R + "concluded",),
            "驳回数",
            "审结数",
        ),
        Definition(
            "on_time_rate",
            "按期审结率",
            "决定之日不晚于法定期限（受理之日起60日，简易程序30日；扣除中止期间，含经批准延长的期限）的审结件数 ÷ 审结数 × 100%。",
            (R + "on_time",),
            (R + "concluded",),
            "按期审结数",
            "审结数",
        ),
    ]


AVERAGE_DAYS = Definition(
    "average_days",
    "平均审理天数",
    "审结案件（不含未经受理的）自受理之日至决定之日的自然日数之和 ÷ 审结数，保留一位小数（按结案时间归期）。",
    (R + "concluded",),
)


def litigation_definitions(*, mapping: str = "") -> list[Definition]:
    """The 口径 of each 行政应诉 figure; `mapping` describes the win/loss mapping (default: as set now)."""
    lost = mapping or "、".join(
        JudgmentType.objects.filter(result=Result.LOST, is_active=True).values_list("name", flat=True)
    )
    return [
        Definition(
            "cases",
            "收案数",
            "统计期内收到起诉状副本的行政诉讼案件数（一审、二审、再审各计一件）。",
            (L + "cases",),
        ),
        Definition("concluded", "结案数", "统计期内结案的案件数（按结案时间归期）。", (L + "concluded",)),
        Definition(
            "loss_rate",
            "败诉率（生效裁判）",
            "统计期内结案、裁判已生效（未上诉）的案件中，裁判结果归为败诉的件数 ÷ 此类结案数 × 100%；"
            f"二审驳回上诉、维持原判的按原审结果归类。现归为败诉的：{lost or '（未设置）'}。",
            (L + "effective_lost",),
            (L + "effective",),
            "生效败诉数",
            "裁判生效结案数",
        ),
        Definition(
            "loss_rate_judgments",
            "败诉率（仅判决）",
            "同上，分子分母只计以判决结案的案件，不计撤诉、驳回起诉等裁定和调解。",
            (L + "judgments_lost",),
            (L + "judgments",),
            "判决败诉数",
            "判决结案数",
        ),
        Definition(
            "loss_rate_first",
            "一审败诉率",
            "统计期内结案的一审案件中，一审裁判归为败诉的件数 ÷ 一审结案数 × 100%（不论是否上诉）。",
            (L + "first_lost",),
            (L + "first",),
            "一审败诉数",
            "一审结案数",
        ),
        Definition(
            "appearance_hearing_any",
            "负责人出庭应诉率（按庭次）",
            "统计期内开庭审理的庭次（每个被告单位每次开庭计一次，以登记的出庭情况为准）中，正职、副职或其他参与分管的负责人出庭的庭次 ÷ 开庭庭次 × 100%。",
            (L + "head_attendances",),
            (L + "trial_attendances",),
            "负责人出庭庭次",
            "开庭庭次",
        ),
        Definition(
            "appearance_hearing_chief",
            "正职负责人出庭率（按庭次）",
            "同上，分子只计正职负责人出庭的庭次。",
            (L + "chief_attendances",),
            (L + "trial_attendances",),
            "正职负责人出庭庭次",
            "开庭庭次",
        ),
        Definition(
            "appearance_case_any",
            "负责人出庭应诉率（按案件）",
            "每个被告单位在每个审级中计一件，按其第一次开庭的时间归期；负责人在该审级任一次开庭出庭即计入分子（法释〔2020〕3号第七条）。"
            "负责人出庭案件数 ÷ 开庭案件数 × 100%。",
            (L + "head_cases",),
            (L + "trial_cases",),
            "负责人出庭案件数",
            "开庭案件数",
        ),
        Definition(
            "appearance_case_chief",
            "正职负责人出庭率（按案件）",
            "同上，分子只计正职负责人至少出庭一次的案件。",
            (L + "chief_cases",),
            (L + "trial_cases",),
            "正职负责人出庭案件数",
            "开庭案件数",
        ),
    ]


@dataclass
class Figure:
    numerator: int = 0
    denominator: int | None = None
    value: Decimal | int | None = None  # a rate or mean: Decimal, one place; a count: int

    @property
    def shown(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value:.1f}" if isinstance(self.value, Decimal) else str(self.value)


@dataclass
class FigureRow:
    key: str
    label: str
    figures: dict[str, Figure] = field(default_factory=dict)


def _period(spec: CountSpec, start: date, end: date) -> Q:
    return Q(
        **{
            f"{spec.anchor}__gte": _day_start(start),
            f"{spec.anchor}__lt": _day_start(end + timedelta(days=1)),
        }
    )


RECONSIDERATION_GROUPS = {"": "合计", "respondent": "按被申请人", "act_category": "按行为类别"}
LITIGATION_GROUPS = {"": "合计", "unit": "按被告单位", "area": "按区域"}


def _visible(user: User, model: type) -> QuerySet:
    if model is Reconsideration:
        return reconsiderations_visible_to(user)
    if model is Lawsuit:
        return lawsuits_visible_to(user)
    return Attendance.objects.filter(hearing__lawsuit__in=lawsuits_visible_to(user).values("pk"))


def _counted(user: User, specs: list[CountSpec], start: date, end: date, group_by: str) -> dict[str, dict]:
    """{count code: {group key: n}} over what the user may see; group_by "", "unit" or "dimension"."""
    found: dict[str, dict] = {spec.code: defaultdict(int) for spec in specs}
    by_model: dict[type, list[CountSpec]] = defaultdict(list)
    for spec in specs:
        by_model[spec.model].append(spec)
    for model, model_specs in by_model.items():
        first = model_specs[0]
        rows = _visible(user, model).annotate(**first.facts(), _unit=F(first.unit), _dim=F(first.dimension))
        aggregates = {
            spec.code.replace(".", "__"): Count("pk", filter=_period(spec, start, end) & spec.where)
            for spec in model_specs
        }
        keys = {"unit": "_unit", "dimension": "_dim"}
        if group_by:
            for row in rows.order_by().values(keys[group_by]).annotate(**aggregates):
                for spec in model_specs:
                    found[spec.code][row[keys[group_by]]] += row[spec.code.replace(".", "__")]
        else:
            totals = rows.aggregate(**aggregates)
            for spec in model_specs:
                found[spec.code][""] += totals[spec.code.replace(".", "__")]
    return found


def _rows(
    definitions: list[Definition], counted: dict[str, dict], labels: dict, merge: Callable | None = None
) -> list[FigureRow]:
    keys = {key for per_key in counted.values() for key, n in per_key.items() if n}
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for key in keys:
        groups[merge(key) if merge else (str(key), labels.get(key, str(key)))].append(key)
    rows = []
    for (key, label), members in groups.items():
        figures = {}
        for d in definitions:
            numerator = sum(counted[c].get(k, 0) for c in d.numerator for k in members)
            if d.is_rate:
                denominator = sum(counted[c].get(k, 0) for c in d.denominator for k in members)
                # rounded half up like the registry, so both show the same figure
                figures[d.code] = Figure(numerator, denominator, formatting.rate(numerator, denominator, 1))
            else:
                figures[d.code] = Figure(numerator, None, numerator)
        rows.append(FigureRow(key, label, figures))
    return rows


def _units_and_areas() -> tuple[dict[int, str], dict[int, tuple[str, str]]]:
    regions = {r.pk: r for r in Region.objects.all()}
    names, areas = {}, {}
    for unit in Unit.objects.only("pk", "name", "region_id"):
        names[unit.pk] = unit.name
        region = regions[unit.region_id]
        while region.level > Region.Level.COUNTY and region.parent_id in regions:
            region = regions[region.parent_id]
        areas[unit.pk] = (region.code, region.name)
    return names, areas


def reconsideration_figures(user: User, *, start: date, end: date, group: str = "") -> list[FigureRow]:
    """Every 行政复议 figure for the period, in total or by respondent / act category."""
    definitions = reconsideration_definitions()
    group_by = {"": "", "respondent": "unit", "act_category": "dimension"}[group]
    codes = {c for d in definitions for c in (*d.numerator, *d.denominator)}
    counted = _counted(user, [COUNTS[c] for c in sorted(codes)], start, end, group_by)
    if group == "respondent":
        labels = _units_and_areas()[0]
    elif group == "act_category":
        labels = dict(ActCategory.choices)
    else:
        labels = {"": "合计"}
    rows = _rows(definitions, counted, labels)
    days = _handling_days(user, start, end, group_by)
    for row in rows:
        concluded = row.figures["concluded"].numerator
        total = days.get(row.key, 0)
        row.figures["average_days"] = Figure(total, concluded, formatting.rate(total, concluded, 1, scale=1))
    return sorted(rows, key=lambda r: (-r.figures["received"].numerator, r.label))


def _handling_days(user: User, start: date, end: date, group_by: str) -> dict[str, int]:
    spec = COUNTS[R + "concluded"]
    rows = reconsiderations_visible_to(user).filter(_period(spec, start, end) & spec.where)
    key = {"": None, "unit": "respondent_id", "dimension": "act_category"}[group_by]
    days: dict[str, int] = defaultdict(int)
    for group_key, accepted_on, decided_on in rows.values_list(key or "pk", "accepted_on", "decided_on"):
        days[str(group_key) if key else ""] += (decided_on - accepted_on).days
    return days


def litigation_figures(user: User, *, start: date, end: date, group: str = "") -> list[FigureRow]:
    """行政应诉 figures for the period: cases, conclusions, 败诉率 and 出庭应诉率 variants."""
    definitions = litigation_definitions()
    codes = {c for d in definitions for c in (*d.numerator, *d.denominator)}
    counted = _counted(user, [COUNTS[c] for c in sorted(codes)], start, end, "unit" if group else "")
    if group == "unit":
        names = _units_and_areas()[0]
        rows = _rows(definitions, counted, names)
    elif group == "area":
        areas = _units_and_areas()[1]
        rows = _rows(definitions, counted, {}, merge=lambda unit_id: areas[unit_id])
    else:
        rows = _rows(definitions, counted, {"": "合计"})
    return sorted(rows, key=lambda r: (-r.figures["cases"].numerator, r.label))


def _records(
    user: User, definition: Definition, part: str, start: date, end: date, group_filter: Q
) -> QuerySet:
    codes = definition.denominator if part == "denominator" and definition.is_rate else definition.numerator
    specs = [COUNTS[c] for c in codes]
    behind = Q()
    for spec in specs:
        behind |= _period(spec, start, end) & spec.where
    first = specs[0]
    rows = _visible(user, first.model).annotate(**first.facts(), _unit=F(first.unit), _dim=F(first.dimension))
    return rows.filter(behind).filter(group_filter)


def reconsideration_figure_records(
    user: User, *, code: str, part: str, start: date, end: date, group: str = "", key: str = ""
) -> QuerySet[Reconsideration]:
    """The records behind one number of `reconsideration_figures` (numerator or denominator)."""
    definitions = {d.code: d for d in [*reconsideration_definitions(), AVERAGE_DAYS]}
    if code not in definitions:
        raise Http404("没有该指标。")
    group_filter = Q()
    if group == "respondent" and key:
        group_filter = Q(_unit=key)
    elif group == "act_category" and key:
        group_filter = Q(_dim=key)
    found = _records(user, definitions[code], part, start, end, group_filter)
    return _reconsideration_related(Reconsideration.objects.filter(pk__in=found.values("pk"))).order_by(
        "-case__received_at", "-id"
    )


def litigation_figure_records(
    user: User, *, code: str, part: str, start: date, end: date, group: str = "", key: str = ""
) -> list[Lawsuit]:
    """The lawsuits behind one number of `litigation_figures` (for hearing counts: their lawsuits)."""
    definitions = {d.code: d for d in litigation_definitions()}
    if code not in definitions:
        raise Http404("没有该指标。")
    group_filter = Q()
    if group == "unit" and key:
        group_filter = Q(_unit=key)
    elif group == "area" and key:
        areas = _units_and_areas()[1]
        group_filter = Q(_unit__in=[u for u, (area, _name) in areas.items() if area == key])
    found = _records(user, definitions[code], part, start, end, group_filter)
    if found.model is Attendance:
        found = Lawsuit.objects.filter(pk__in=found.values("hearing__lawsuit"))
    else:
        found = Lawsuit.objects.filter(pk__in=found.values("pk"))
    return list(_lawsuit_related(found).order_by("-filed_on", "-id"))


def overview_counts(user: User, *, today: date | None = None) -> dict[str, int]:
    """What the desk must act on now."""
    today = today or timezone.localdate()
    recs = reconsiderations_visible_to(user)
    suits = lawsuits_visible_to(user)
    return {
        "reviewing": recs.filter(acceptance="pending", case__status__in=["open", "suspended"]).count(),
        "hearing": recs.filter(
            acceptance__in=["accepted", "deemed"], case__status__in=["open", "suspended"]
        ).count(),
        "overdue": recs.filter(case__status="open", case__due_date__lt=today).count(),
        "lawsuits_open": suits.filter(case__status__in=["open", "suspended"]).count(),
        "defence_due": suits.filter(defence_filed_on__isnull=True, case__status="open").count(),
    }
