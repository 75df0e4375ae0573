"""Reads of the case engine, always scoped to what the user may see."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fazhi.cases.models import Case, CaseUnit, Notice, Supervision
from fazhi.cases.permissions import CONFIDENTIAL_ROLES, HANDLING_ROLES
from fazhi.core.calendar import get_calendar
from fazhi.core.deadlines import ClockState, clock_state
from fazhi.org.models import User
from fazhi.org.permissions import CASEWORK_ROLES, unit_scope


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases whose lead or co-handling unit lies in the user's casework scope.

    Confidential cases (举报, 保密) are shown only to supervisors and to the handling units' staff.
    """
    scope = unit_scope(user, CASEWORK_ROLES)
    if scope.empty:
        return Case.objects.none()
    if scope.all:
        visible = Case.objects.all()
    else:
        co_handled = CaseUnit.objects.filter(case=OuterRef("pk"), is_active=True).filter(scope.q("unit"))
        visible = Case.objects.filter(scope.q("handling_unit") | Q(Exists(co_handled)))
    confidential_scope = unit_scope(user, CONFIDENTIAL_ROLES)
    if not confidential_scope.all:
        visible = visible.filter(Q(is_confidential=False) | confidential_scope.q("handling_unit"))
    return visible


def case_get(user: User, pk: int) -> Case:
    try:
        return (
            cases_visible_to(user)
            .select_related("case_type", "handling_unit", "stage", "created_by")
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise Http404("案件不存在或您无权查看。") from None


def cases_on_workbench(user: User) -> QuerySet[Case]:
    """我的待办: open cases led by the units the user handles, soonest deadline first."""
    scope = unit_scope(user, HANDLING_ROLES)
    if scope.empty:
        return Case.objects.none()
    return (
        Case.objects.filter(
            scope.q("handling_unit"),
            status__in=[Case.Status.OPEN, Case.Status.SUSPENDED],
            archived_at__isnull=True,
        )
        .select_related("case_type", "handling_unit", "stage")
        .order_by("due_date", "id")
    )


def supervisions_received(user: User) -> QuerySet[Supervision]:
    scope = unit_scope(user, HANDLING_ROLES)
    if scope.empty:
        return Supervision.objects.none()
    return (
        Supervision.objects.filter(scope.q("case__handling_unit"), resolved_at__isnull=True)
        .select_related("case", "case__handling_unit", "issuing_unit")
        .order_by("due_date", "id")
    )


def supervisions_issued(user: User) -> QuerySet[Supervision]:
    return (
        Supervision.objects.filter(issued_by=user)
        .select_related("case", "case__handling_unit")
        .order_by("resolved_at", "due_date")
    )


def notices_for(user: User, *, unread_only: bool = False) -> QuerySet[Notice]:
    scope = unit_scope(user, HANDLING_ROLES)
    if scope.empty:
        return Notice.objects.none()
    notices = Notice.objects.filter(scope.q("unit")).select_related("unit", "case")
    return notices.filter(read_at__isnull=True) if unread_only else notices


def notice_get(user: User, pk: int) -> Notice:
    try:
        return notices_for(user).get(pk=pk)
    except Notice.DoesNotExist:
        raise Http404("提醒不存在。") from None


@dataclass(frozen=True)
class Clock:
    state: ClockState
    due: date
    remaining_workdays: int | None
    provisional: bool = False  # counted over days the holiday notice has not confirmed yet

    @property
    def label(self) -> str:
        return self.state.label


def clock_of(case: Case, *, today: date | None = None) -> Clock:
    """The derived 正常/临期/超期/中止/已延期/已办结 state of a case (never stored)."""
    today = today or timezone.localdate()
    calendar = get_calendar()
    state = clock_state(
        due=case.due_date,
        today=today,
        suspended=case.status == Case.Status.SUSPENDED,
        extended=case.extended,
        closed=case.status == Case.Status.CLOSED,
        warning=case.case_type.warning_period,
        calendar=calendar,
    )
    remaining = None
    if (
        state not in (ClockState.CLOSED, ClockState.SUSPENDED)
        and calendar.covers(today)
        and calendar.covers(case.due_date)
    ):
        remaining = (
            calendar.workdays_between(today, case.due_date)
            if case.due_date >= today
            else -calendar.workdays_between(case.due_date, today)
        )
    return Clock(
        state=state,
        due=case.due_date,
        remaining_workdays=remaining,
        provisional=state != ClockState.CLOSED and calendar.is_provisional(case.due_date),
    )


def overdue_filter(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(status=Case.Status.OPEN, due_date__lt=today)
