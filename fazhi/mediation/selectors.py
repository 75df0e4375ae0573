"""Reads of 人民调解, scoped to the user, and its figures with 口径.

A dispute is visible exactly when its case is (`cases_visible_to`); committees are visible to
whoever may see casework of the unit they work under.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fazhi.cases.models import Case
from fazhi.cases.selectors import cases_visible_to
from fazhi.mediation.models import Committee, Dispute, Mediator, Outcome
from fazhi.mediation.permissions import KEEPERS
from fazhi.org.models import Region, Unit, User
from fazhi.org.permissions import unit_scope, units_visible_to
from fazhi.suggestions.figures import DateRange, Ratio, Tally, tabulate

OPEN = (Case.Status.OPEN, Case.Status.SUSPENDED)


def disputes_visible_to(user: User) -> QuerySet[Dispute]:
    return Dispute.objects.filter(case__in=cases_visible_to(user).values("pk"))


def _related(rows: QuerySet[Dispute]) -> QuerySet[Dispute]:
    return rows.select_related(
        "case",
        "case__case_type",
        "case__handling_unit",
        "case__stage",
        "committee",
        "committee__unit",
        "region",
        "mediator",
        "hotline_case",
    )


def dispute_get(user: User, pk: int) -> Dispute:
    try:
        return _related(disputes_visible_to(user)).get(pk=pk)
    except Dispute.DoesNotExist:
        raise Http404("调解案件不存在或您无权查看。") from None


def tallies(today: date | None = None) -> tuple[Tally, ...]:
    today = today or timezone.localdate()
    return (
        Tally("received", "受理", "统计期内受理（登记的受理日期在期内）的人民调解案件件数。"),
        Tally("concluded", "调结", "其中已结案（调解成功或调解不成）的件数。", ~Q(outcome="")),
        Tally("success", "调解成功", "其中达成调解协议（书面或口头）的件数。", Q(outcome=Outcome.SUCCESS)),
        Tally(
            "failure", "调解不成", "其中调解不成、已告知当事人其他途径的件数。", Q(outcome=Outcome.FAILURE)
        ),
        Tally("open", "调解中", "尚未结案的件数。", Q(case__status__in=OPEN)),
        Tally(
            "overdue",
            "超期未结",
            "尚未结案且已过调解期限的件数。",
            Q(case__status__in=OPEN, case__due_date__lt=today),
        ),
        Tally(
            "confirmed",
            "申请司法确认",
            "调解成功后当事人申请司法确认的件数。",
            Q(confirmation_applied_on__isnull=False),
        ),
    )


RATIOS = (
    Ratio("settle_rate", "调处率", "concluded", "received", "调结件数 ÷ 受理件数 × 100%。"),
    Ratio(
        "success_rate",
        "调处成功率",
        "success",
        "concluded",
        "调解成功件数 ÷ 调结件数 × 100%（调处率为100%时与按受理件数计算的口径相同）。",
    ),
    Ratio(
        "success_rate_received",
        "调处成功率（按受理数）",
        "success",
        "received",
        "调解成功件数 ÷ 受理件数 × 100%（部分地方以受理件数为分母）。",
    ),
)

GROUPS = {
    "committee": ("committee", "调解委员会"),
    "street": ("committee__unit__region", "乡镇街道"),
    "county": ("committee__unit__region__parent", "区县"),
}


def disputes_list(
    user: User,
    *,
    committee: int | None = None,
    street: int | None = None,
    county: int | None = None,
    dispute_type: str = "",
    source: str = "",
    state: str = "",
    figure: str = "",
    dates: DateRange | None = None,
    q: str = "",
    today: date | None = None,
) -> QuerySet[Dispute]:
    today = today or timezone.localdate()
    rows = _related(disputes_visible_to(user))
    if committee:
        rows = rows.filter(committee_id=committee)
    if street:
        rows = rows.filter(committee__unit__region_id=street)
    if county:
        rows = rows.filter(committee__unit__region__parent_id=county)
    if dispute_type:
        rows = rows.filter(dispute_type=dispute_type)
    if source:
        rows = rows.filter(source=source)
    if dates is not None:
        rows = rows.filter(dates.q("case__received_at"))
    if state == "open":
        rows = rows.filter(case__status__in=OPEN)
    elif state in Outcome.values:
        rows = rows.filter(outcome=state)
    tally = next((t for t in tallies(today) if t.key == figure), None)
    if tally is not None:
        rows = rows.filter(tally.where)
    if q:
        rows = rows.filter(Q(case__number__icontains=q) | Q(case__title__icontains=q))
    return rows.order_by("case__status", "case__due_date", "-case__received_at", "id")


def figures(user: User, *, dates: DateRange, group: str = "committee", today: date | None = None):
    """受理、调结、调处率、调处成功率 by committee, street or county; (rows, total, tallies)."""
    path, _label = GROUPS.get(group, GROUPS["committee"])
    counted = tallies(today)
    rows = disputes_visible_to(user).filter(dates.q("case__received_at"))
    keys = set(rows.values_list(path, flat=True).distinct())
    model = Committee if group == "committee" else Region
    labels = {obj.pk: obj.name for obj in model.objects.filter(pk__in=[k for k in keys if k])}
    table, total = tabulate(rows, group_by=path, label_of=labels, tallies=counted, ratios=RATIOS)
    return table, total, counted


def committees_visible_to(user: User) -> QuerySet[Committee]:
    scope = unit_scope(user)
    if scope.empty:
        return Committee.objects.none()
    return Committee.objects.filter(scope.q("unit")).select_related("unit", "region")


def committee_get(user: User, pk: int) -> Committee:
    try:
        return committees_visible_to(user).get(pk=pk)
    except Committee.DoesNotExist:
        raise Http404("调解委员会不存在或您无权查看。") from None


def mediators_of(committee: Committee) -> QuerySet[Mediator]:
    return committee.mediators.filter(is_active=True)


def units_keepable_by(user: User) -> QuerySet[Unit]:
    """Units whose committees the user may keep (for the committee form)."""
    return units_visible_to(user, KEEPERS).filter(status=Unit.Status.ACTIVE)


def regions_below_county() -> QuerySet[Region]:
    """Streets, townships and communities: where a committee sits or a dispute arose."""
    return Region.objects.filter(level__gte=Region.Level.STREET).select_related("parent").order_by("code")
