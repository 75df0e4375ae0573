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

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

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


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    definition: str
    is_rate: bool = True
    unit_label: str = "%"


@dataclass
class Figure:
    numerator: int = 0
    denominator: int | None = None
    value: float | None = None

    @property
    def shown(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value:.1f}" if isinstance(self.value, float) else str(self.value)


@dataclass
class FigureRow:
    key: str
    label: str
    figures: dict[str, Figure] = field(default_factory=dict)


def _rate(numerator: int, denominator: int) -> Figure:
    return Figure(numerator, denominator, round(numerator * 100 / denominator, 1) if denominator else None)


def _count(n: int) -> Figure:
    return Figure(n, None, n)


RECONSIDERATION_GROUPS = {"": "合计", "respondent": "按被申请人", "act_category": "按行为类别"}

_STOPPED_WITHOUT_DECISION = [Outcome.MEDIATED, Outcome.SETTLED, Outcome.WITHDRAWN, Outcome.TERMINATED]


def reconsideration_definitions(settings: FigureSettings | None = None) -> list[Definition]:
    """The 口径 of each figure, written out with the current configuration."""
    settings = settings or FigureSettings.current()

    def names(codes: Iterable[str]) -> str:
        return "、".join(Outcome(c).label for c in codes if c in Outcome.values) or "（未设置）"

    denominator = FigureSettings.Denominator(settings.correction_denominator).label
    return [
        Definition(
            "received",
            "收案数",
            "统计期内收到的行政复议申请件数（按收到申请之日），含不予受理、视为放弃的申请。",
            False,
            "件",
        ),
        Definition(
            "accepted", "受理数", "统计期内受理的件数（按受理之日），含审查期限届满视为受理的。", False, "件"
        ),
        Definition(
            "concluded",
            "审结数",
            "统计期内审结的已受理案件件数（按决定之日），含调解、和解撤回、撤回申请和终止。",
            False,
            "件",
        ),
        Definition(
            "direct_correction_rate",
            "直接纠错率",
            f"以{names(settings.direct_correction)}结案的件数 ÷ {denominator} × 100%。",
        ),
        Definition(
            "correction_rate",
            "纠错率",
            f"以{names(settings.broad_correction)}结案的件数 ÷ {denominator} × 100%（白皮书口径“通过变更、撤销、确认违法等方式纠正”）。",
        ),
        Definition(
            "mediation_withdrawal_rate",
            "调撤率",
            f"以{names(settings.mediation_withdrawal)}结案的件数 ÷ 审结数 × 100%。",
        ),
        Definition("upheld_rate", "维持率", f"以{names(settings.upheld)}结案的件数 ÷ 审结数 × 100%。"),
        Definition("rejected_rate", "驳回率", f"以{names(settings.rejected)}结案的件数 ÷ 审结数 × 100%。"),
        Definition(
            "average_days",
            "平均审理天数",
            "审结案件自受理之日至决定之日的自然日数之和 ÷ 审结数（保留一位小数）。",
            True,
            "日",
        ),
        Definition(
            "on_time_rate",
            "按期审结率",
            "决定之日不晚于法定期限（60日或简易程序30日，扣除中止期间，含经批准的延长）的审结件数 ÷ 审结数 × 100%。",
        ),
    ]


def _reconsideration_sets(settings: FigureSettings, start: date, end: date) -> dict[str, tuple[Q, Q | None]]:
    """(numerator, denominator) filters of each figure; the drill-down lists exactly these rows."""
    received = Q(
        case__received_at__gte=_day_start(start), case__received_at__lt=_day_start(end + timedelta(days=1))
    )
    accepted = Q(accepted_on__gte=start, accepted_on__lte=end, acceptance__in=["accepted", "deemed"])
    concluded = Q(decided_on__gte=start, decided_on__lte=end) & ~Q(outcome="")
    denominators = {
        FigureSettings.Denominator.CONCLUDED: concluded,
        FigureSettings.Denominator.DECIDED: concluded & ~Q(outcome__in=_STOPPED_WITHOUT_DECISION),
        FigureSettings.Denominator.ACCEPTED: accepted,
    }
    correction_denominator = denominators[settings.correction_denominator]
    return {
        "received": (received, None),
        "accepted": (accepted, None),
        "concluded": (concluded, None),
        "direct_correction_rate": (
            concluded & Q(outcome__in=settings.direct_correction),
            correction_denominator,
        ),
        "correction_rate": (concluded & Q(outcome__in=settings.broad_correction), correction_denominator),
        "mediation_withdrawal_rate": (concluded & Q(outcome__in=settings.mediation_withdrawal), concluded),
        "upheld_rate": (concluded & Q(outcome__in=settings.upheld), concluded),
        "rejected_rate": (concluded & Q(outcome__in=settings.rejected), concluded),
        "on_time_rate": (concluded & Q(decided_on__lte=F("case__due_date")), concluded),
        "average_days": (concluded, concluded),
    }


def _group_field(group: str) -> str:
    return {"": "", "respondent": "respondent_id", "act_category": "act_category"}[group]


def _group_labels(group: str, keys: Iterable) -> dict:
    if group == "respondent":
        return dict(Unit.objects.filter(pk__in=list(keys)).values_list("pk", "name"))
    if group == "act_category":
        return dict(ActCategory.choices)
    return {"": "合计"}


def reconsideration_figures(user: User, *, start: date, end: date, group: str = "") -> list[FigureRow]:
    """Every 行政复议 figure for the period, in total or by respondent / act category."""
    settings = FigureSettings.current()
    sets = _reconsideration_sets(settings, start, end)
    rows = reconsiderations_visible_to(user)
    name = _group_field(group)
    aggregates = {}
    for code, (numerator, denominator) in sets.items():
        aggregates[f"{code}__n"] = Count("pk", filter=numerator)
        if denominator is not None:
            aggregates[f"{code}__d"] = Count("pk", filter=denominator)
    if name:
        counted = {row[name]: row for row in rows.order_by().values(name).annotate(**aggregates)}
    else:
        counted = {"": rows.aggregate(**aggregates)}
    days: dict = defaultdict(int)
    for key, accepted_on, decided_on in rows.filter(sets["concluded"][0]).values_list(
        name or "pk", "accepted_on", "decided_on"
    ):
        days[key if name else ""] += (decided_on - accepted_on).days
    labels = _group_labels(group, counted)
    result = []
    for key, counts in counted.items():
        if not any(counts[f"{code}__n"] for code in sets) and not counts["accepted__n"]:
            continue
        figures = {}
        for code, (_numerator, denominator) in sets.items():
            if code == "average_days":
                concluded = counts["concluded__n"]
                figures[code] = Figure(
                    days[key], concluded, round(days[key] / concluded, 1) if concluded else None
                )
            elif denominator is None:
                figures[code] = _count(counts[f"{code}__n"])
            else:
                figures[code] = _rate(counts[f"{code}__n"], counts[f"{code}__d"])
        result.append(FigureRow(str(key), labels.get(key, str(key)), figures))
    return sorted(result, key=lambda r: (-r.figures["received"].numerator, r.label))


def reconsideration_figure_records(
    user: User, *, code: str, part: str, start: date, end: date, group: str = "", key: str = ""
) -> QuerySet[Reconsideration]:
    """The records behind one number of `reconsideration_figures` (numerator or denominator)."""
    sets = _reconsideration_sets(FigureSettings.current(), start, end)
    if code not in sets:
        raise Http404("没有该指标。")
    numerator, denominator = sets[code]
    condition = denominator if part == "denominator" and denominator is not None else numerator
    rows = _reconsideration_related(reconsiderations_visible_to(user)).filter(condition)
    name = _group_field(group) if group in RECONSIDERATION_GROUPS else ""
    if name and key:
        rows = rows.filter(**{name: key})
    return rows.order_by("-case__received_at", "-id")


# --- litigation figures -----------------------------------------------------------------------------------

LITIGATION_GROUPS = {"": "合计", "unit": "按被告单位", "area": "按区域"}


def litigation_definitions() -> list[Definition]:
    mapping = "、".join(j.name for j in JudgmentType.objects.filter(result=Result.LOST, is_active=True))
    return [
        Definition(
            "cases",
            "收案数",
            "统计期内立案的行政诉讼案件数（按立案日期，一审、二审、再审各计一件）。",
            False,
            "件",
        ),
        Definition("concluded", "结案数", "统计期内结案的案件数（按结案日期）。", False, "件"),
        Definition(
            "loss_rate",
            "败诉率（生效裁判）",
            f"统计期内结案且未上诉（裁判已生效）的案件中，裁判结果归类为败诉的件数 ÷ 此类结案数 × 100%。二审驳回上诉、维持原判的，按原审结果归类。当前归为败诉的：{mapping or '（未设置）'}。",
        ),
        Definition(
            "loss_rate_judgments",
            "败诉率（仅判决）",
            "同上，但分子分母只计以判决结案的案件，不计撤诉、驳回起诉等裁定和调解。",
        ),
        Definition(
            "loss_rate_first",
            "一审败诉率",
            "统计期内结案的一审案件中，一审裁判归类为败诉的件数 ÷ 一审结案数 × 100%（不论是否上诉）。",
        ),
        Definition(
            "appearance_hearing_any",
            "负责人出庭应诉率（按庭次）",
            "统计期内开庭审理的庭次中（每个被告单位每次开庭计一次，以登记的出庭情况为准），正职、副职或其他参与分管的负责人出庭的庭次 ÷ 开庭庭次 × 100%。",
        ),
        Definition(
            "appearance_hearing_chief", "正职负责人出庭率（按庭次）", "同上，分子只计正职负责人出庭的庭次。"
        ),
        Definition(
            "appearance_case_any",
            "负责人出庭应诉率（按案件）",
            "统计期内有开庭审理的案件中（每个被告单位每个审级计一件），负责人至少出庭一次的件数 ÷ 开庭案件数 × 100%（一个审理程序出庭一次即可，法释〔2020〕3号第七条）。",
        ),
        Definition(
            "appearance_case_chief",
            "正职负责人出庭率（按案件）",
            "同上，分子只计正职负责人至少出庭一次的案件。",
        ),
    ]


def _area_of(unit: Unit, regions: dict[int, Region]) -> Region:
    """The county (or the city itself for municipal units) a unit's region belongs to."""
    region = regions[unit.region_id]
    while region.level > Region.Level.COUNTY and region.parent_id in regions:
        region = regions[region.parent_id]
    return region


def _grouper(group: str) -> Callable[[Unit], tuple[str, str]]:
    if group == "unit":
        return lambda unit: (str(unit.pk), unit.name)
    if group == "area":
        regions = {r.pk: r for r in Region.objects.all()}

        def by_area(unit: Unit) -> tuple[str, str]:
            area = _area_of(unit, regions)
            return area.code, area.name

        return by_area
    return lambda unit: ("", "合计")


def _lawsuit_facts(user: User, start: date, end: date) -> tuple[list[Lawsuit], list[Lawsuit]]:
    rows = _lawsuit_related(lawsuits_visible_to(user))
    filed = list(rows.filter(filed_on__gte=start, filed_on__lte=end))
    concluded = list(rows.filter(concluded_on__gte=start, concluded_on__lte=end))
    return filed, concluded


def _appearance_facts(user: User, start: date, end: date) -> list[tuple[Attendance, set[str]]]:
    attendances = (
        Attendance.objects.filter(
            hearing__lawsuit__in=lawsuits_visible_to(user).values("pk"),
            hearing__kind=CourtHearing.Kind.TRIAL,
            hearing__held_at__gte=_day_start(start),
            hearing__held_at__lt=_day_start(end + timedelta(days=1)),
        )
        .select_related("unit", "hearing")
        .prefetch_related(Prefetch("attendees", queryset=Attendee.objects.only("attendance_id", "capacity")))
    )
    return [(a, {p.capacity for p in a.attendees.all()}) for a in attendances]


LOSS_FIGURES = ("loss_rate", "loss_rate_judgments", "loss_rate_first")
APPEARANCE_FIGURES = (
    "appearance_hearing_any",
    "appearance_hearing_chief",
    "appearance_case_any",
    "appearance_case_chief",
)


def _loss_members(lawsuit: Lawsuit) -> dict[str, tuple[bool, bool]]:
    """For each loss figure: (in the denominator, in the numerator)."""
    result = lawsuit.result
    effective = lawsuit.appealed_by in ("", Lawsuit.AppealedBy.NONE) and bool(result)
    judgment = effective and lawsuit.judgment_type.kind == JudgmentType.Kind.JUDGMENT
    first = lawsuit.instance == Lawsuit.Instance.FIRST and bool(result)
    lost = result == Result.LOST
    return {
        "loss_rate": (effective, effective and lost),
        "loss_rate_judgments": (judgment, judgment and lost),
        "loss_rate_first": (first, first and lost),
    }


def litigation_figures(user: User, *, start: date, end: date, group: str = "") -> list[FigureRow]:
    """行政应诉 figures for the period: cases, conclusions, 败诉率 and 出庭应诉率 variants."""
    key_of = _grouper(group)
    tallies: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    filed, concluded = _lawsuit_facts(user, start, end)
    for lawsuit in filed:
        tallies[key_of(lawsuit.case.handling_unit)]["cases"][0] += 1
    for lawsuit in concluded:
        tally = tallies[key_of(lawsuit.case.handling_unit)]
        tally["concluded"][0] += 1
        for code, (in_denominator, in_numerator) in _loss_members(lawsuit).items():
            tally[code][1] += in_denominator
            tally[code][0] += in_numerator
    per_case: dict[tuple[int, int], set[str]] = defaultdict(set)
    for attendance, capacities in _appearance_facts(user, start, end):
        tally = tallies[key_of(attendance.unit)]
        tally["appearance_hearing_any"][1] += 1
        tally["appearance_hearing_chief"][1] += 1
        tally["appearance_hearing_any"][0] += bool(capacities & set(HEAD_CAPACITIES))
        tally["appearance_hearing_chief"][0] += "chief" in capacities
        per_case[(attendance.hearing.lawsuit_id, attendance.unit_id)] |= capacities or {"—"}
    units = Unit.objects.in_bulk({unit_id for _lawsuit, unit_id in per_case})
    for (_lawsuit, unit_id), capacities in per_case.items():
        tally = tallies[key_of(units[unit_id])]
        tally["appearance_case_any"][1] += 1
        tally["appearance_case_chief"][1] += 1
        tally["appearance_case_any"][0] += bool(capacities & set(HEAD_CAPACITIES))
        tally["appearance_case_chief"][0] += "chief" in capacities
    rows = []
    for (key, label), tally in tallies.items():
        figures = {"cases": _count(tally["cases"][0]), "concluded": _count(tally["concluded"][0])}
        for code in (*LOSS_FIGURES, *APPEARANCE_FIGURES):
            figures[code] = _rate(*tally[code])
        rows.append(FigureRow(key, label, figures))
    return sorted(rows, key=lambda r: (-r.figures["cases"].numerator, r.label))


def litigation_figure_records(
    user: User, *, code: str, part: str, start: date, end: date, group: str = "", key: str = ""
) -> list[Lawsuit]:
    """The lawsuits behind one number of `litigation_figures`."""
    key_of = _grouper(group if group in LITIGATION_GROUPS else "")
    numerator = part != "denominator"

    def in_group(unit: Unit) -> bool:
        return not group or key_of(unit)[0] == key

    filed, concluded = _lawsuit_facts(user, start, end)
    if code == "cases":
        return [s for s in filed if in_group(s.case.handling_unit)]
    if code == "concluded":
        return [s for s in concluded if in_group(s.case.handling_unit)]
    if code in LOSS_FIGURES:
        return [
            s
            for s in concluded
            if in_group(s.case.handling_unit) and _loss_members(s)[code][1 if numerator else 0]
        ]
    if code in APPEARANCE_FIGURES:
        chief = code.endswith("chief")

        def hit(capacities: set[str]) -> bool:
            return "chief" in capacities if chief else bool(capacities & set(HEAD_CAPACITIES))

        facts = [(a, caps) for a, caps in _appearance_facts(user, start, end) if in_group(a.unit)]
        if code.startswith("appearance_hearing"):
            ids = {a.hearing.lawsuit_id for a, caps in facts if not numerator or hit(caps)}
        else:
            per_case: dict[tuple[int, int], set[str]] = defaultdict(set)
            for a, caps in facts:
                per_case[(a.hearing.lawsuit_id, a.unit_id)] |= caps
            ids = {lawsuit_id for (lawsuit_id, _unit), caps in per_case.items() if not numerator or hit(caps)}
        return list(_lawsuit_related(Lawsuit.objects.filter(pk__in=ids)).order_by("-filed_on", "-id"))
    raise Http404("没有该指标。")


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
