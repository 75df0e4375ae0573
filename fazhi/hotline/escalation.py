"""督办升级: 催办 → 督办 → 挂牌督办 of 12345 requests by rule, run by `fazhi hotline escalate`.

The rules are data (`EscalationRule`, loaded with defaults by a data migration; an admin page
through an audited service is still to come):

- overdue N    — the request is open and N or more working days past its due date;
- lapsed N     — a supervision one level below the rule's was due N or more working days ago
                 and the request is still open (催办 unanswered → 督办 → 挂牌督办);
- reopened N   — the request has been sent back (重办) N or more times;
- sent_back N  — N or more of its replies were sent back as perfunctory (敷衍).

For each open request the highest level whose rule holds is issued through the case engine's
`supervision_issue`, so it lands on the unit's workbench (its handlers and its leader see
supervisions received) with its own deadline. A request gets each level at most once per clock:
running the sweep again changes nothing, and a 重办 (new clock) may be escalated afresh.

The engine lets only a supervisor issue a supervision. The sweep acts in the name of one named
account: `settings.FAZHI_HOTLINE_SUPERVISOR` (env FAZHI_HOTLINE_SUPERVISOR), e.g. the 市政府督查室
or 依法治市办 supervisor the city designates, or `--as USERNAME` on the command. Every
supervision and its audit record carry that account and its unit, as if a person had issued it.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from fazhi.cases import services as case_services
from fazhi.cases.models import Case, Supervision
from fazhi.cases.permissions import can_supervise
from fazhi.core import audit
from fazhi.core.calendar import get_calendar
from fazhi.core.deadlines import due_date
from fazhi.hotline.models import EscalationRule
from fazhi.org.models import Role, User
from fazhi.org.permissions import has_role

HOTLINE_CASE_TYPE = "hotline"


def supervisor_account(username: str = "") -> User:
    """The account supervisions and rectification tasks are issued in the name of."""
    username = username or getattr(settings, "FAZHI_HOTLINE_SUPERVISOR", "")
    if not username:
        raise ValidationError(
            "未指定督办账号：请设置环境变量 FAZHI_HOTLINE_SUPERVISOR（法治督察人员的用户名），或使用 --as 用户名。"
        )
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError(f"督办账号“{username}”不存在或已停用。")
    if not has_role(user, Role.SUPERVISOR):
        raise ValidationError(f"账号“{username}”不是法治督察人员，不能发起督办。")
    return user


def configured_supervisor() -> User | None:
    """The configured account, or None when there is none (callers then leave the work for the sweep)."""
    try:
        return supervisor_account()
    except ValidationError:
        return None


@dataclass
class Finding:
    case: Case
    rule: EscalationRule
    reason: str


def _open_hotline_cases():
    # Suspended requests are waiting on the caller: their clock stands still, so they are not late.
    return Case.objects.filter(
        case_type__code=HOTLINE_CASE_TYPE, status=Case.Status.OPEN, archived_at__isnull=True
    )


def escalations_due(*, today: date | None = None) -> list[Finding]:
    """Which open requests should be escalated today, the highest applicable level for each."""
    today = today or timezone.localdate()
    calendar = get_calendar()
    rules = list(EscalationRule.objects.filter(is_active=True))
    found: dict[int, Finding] = {}

    def consider(case: Case, rule: EscalationRule, reason: str) -> None:
        current = found.get(case.pk)
        if current is None or rule.level > current.rule.level:
            found[case.pk] = Finding(case=case, rule=rule, reason=reason)

    cases = _open_hotline_cases().select_related("handling_unit")
    for rule in rules:
        n = max(rule.threshold, 0)
        if rule.trigger == EscalationRule.Trigger.OVERDUE:
            for case in cases.filter(due_date__lt=today).order_by("due_date", "id"):
                late = calendar.workdays_between(case.due_date, today)
                if late >= max(n, 1):
                    consider(case, rule, f"超期{late}个工作日（办理期限{case.due_date:%Y-%m-%d}）")
        elif rule.trigger == EscalationRule.Trigger.LAPSED and rule.level > Supervision.Level.URGE:
            lapsed = (
                Supervision.objects.filter(
                    level=rule.level - 1, due_date__lt=today, case__in=cases.values("pk")
                )
                .select_related("case__handling_unit")
                .order_by("due_date", "id")
            )
            for supervision in lapsed:
                case = supervision.case
                if timezone.localdate(supervision.issued_at) < case.start_date:
                    continue  # from an earlier clock, before a 重办
                late = calendar.workdays_between(supervision.due_date, today)
                if late >= max(n, 1):
                    consider(
                        case,
                        rule,
                        f"{supervision.get_level_display()}期限{supervision.due_date:%Y-%m-%d}已过{late}个工作日仍未办结",
                    )
        elif rule.trigger == EscalationRule.Trigger.REOPENED:
            counted = cases.annotate(times=Count("timeline", filter=Q(timeline__action="reopened"))).filter(
                times__gte=max(n, 1)
            )
            for case in counted:
                consider(case, rule, f"已重办{case.times}次")
        elif rule.trigger == EscalationRule.Trigger.SENT_BACK:
            counted = cases.annotate(
                times=Count("ticket__replies", filter=Q(ticket__replies__review_outcome="sent_back"))
            ).filter(times__gte=max(n, 1))
            for case in counted:
                consider(case, rule, f"答复敷衍被退回{case.times}次")

    if not found:
        return []
    # Once per level per clock: a level already issued on this clock (or a higher one) settles it.
    issued = (
        Supervision.objects.filter(case_id__in=found)
        .values_list("case_id", "level", "issued_at")
        .order_by("case_id")
    )
    highest: dict[int, int] = {}
    for case_id, level, issued_at in issued:
        if timezone.localdate(issued_at) >= found[case_id].case.start_date:
            highest[case_id] = max(highest.get(case_id, 0), level)
    return [f for case_id, f in found.items() if highest.get(case_id, 0) < f.rule.level]


def escalation_sweep(*, actor: User, today: date | None = None) -> dict[str, int]:
    """Issue what `escalations_due` finds, each in its own transaction; idempotent."""
    today = today or timezone.localdate()
    counts = {"urge": 0, "supervise": 0, "listed": 0, "out_of_scope": 0}
    names = {
        Supervision.Level.URGE: "urge",
        Supervision.Level.SUPERVISE: "supervise",
        Supervision.Level.LISTED: "listed",
    }
    for finding in escalations_due(today=today):
        if not can_supervise(actor, finding.case):
            counts["out_of_scope"] += 1
            continue
        rule = finding.rule
        case_services.supervision_issue(
            case=finding.case,
            actor=actor,
            level=rule.level,
            reason=f"{finding.reason}，按规则“{rule.name}”{Supervision.Level(rule.level).label}。"[:300],
            due=due_date(start=today, period=rule.period, roll_forward=True),
        )
        counts[names[rule.level]] += 1
    if any(counts[k] for k in ("urge", "supervise", "listed")):
        audit.record(actor=actor, action="hotline.escalation_swept", after=counts)
    return counts
