"""Writes of suggestions and proposals on the case engine.

司法建议/检察建议: register (period from the document, the urgent rule or the kind), reply with
adoption status, the issuer's request for a further reply (the case reopens), and the sweep that
escalates overdue replies through supervision.

人大代表建议/政协提案: sessions and deputies, register and assign to 主办/会办 units,
misassignment return and the office's decision, contact with the deputy, answer with its grade,
the deputy's feedback (不满意 → 重新办理 through `case_reopen`), disclosure, extension request
and approval.

The case engine owns numbering, units, the clock, closing, reopening and supervision; these
services add the domain's records and rules on top, each permission-checked and audited in its
transaction.
"""

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from fazhi.cases import permissions as case_permissions
from fazhi.cases import services as case_services
from fazhi.cases.models import Case, CaseType, CaseUnit, Supervision, TimelineEntry
from fazhi.core import audit, crypto
from fazhi.core.calendar import CalendarRangeError
from fazhi.core.deadlines import Period, add_period, due_date
from fazhi.org.models import Role, Unit, User
from fazhi.org.permissions import has_role
from fazhi.suggestions import permissions
from fazhi.suggestions.models import (
    Adoption,
    Body,
    EscalationRule,
    FollowUpRequest,
    Grade,
    JudicialSuggestion,
    Proposal,
    ProposalAnswer,
    ProposalContact,
    ProposalFeedback,
    ProposalReturn,
    Representative,
    Satisfaction,
    Session,
    SuggestionKind,
    SuggestionReply,
)

ISSUER_KINDS = {"judicial_suggestion": Unit.Kind.COURT, "procuratorial_suggestion": Unit.Kind.PROCURATORATE}
MIN_REPLY_CHARS = 10
MIN_ANSWER_CHARS = 20
MIN_REASON_CHARS = 5
PHONE_DIGITS = 5


def _today() -> date:
    return timezone.localdate()


def _moment(day: date) -> datetime:
    """When something done on `day` happened: now if today, else noon that day."""
    if day >= _today():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=12)))


def _check_period(value: str, field: str, errors: dict) -> None:
    if value:
        try:
            Period.parse(value)
        except ValueError as exc:
            errors[field] = str(exc)


def _check_day(day: date, *, field: str, label: str, case: Case, errors: dict) -> None:
    if day > _today():
        errors[field] = f"{label}不能晚于今天。"
    elif day < case.start_date:
        errors[field] = f"{label}不能早于{case.start_date:%Y-%m-%d}（本轮办理的起算日）。"


def _require_open(case: Case) -> None:
    if case.status == Case.Status.CLOSED:
        raise ValidationError(f"{case.number}已办结。")
    if case.status == Case.Status.SUSPENDED:
        raise ValidationError(f"{case.number}处于中止状态，请先恢复计时。")


# --- 司法建议 / 检察建议 --------------------------------------------------------------------------


def suggestion_period(*, kind: SuggestionKind, urgent: bool, stated_period: str) -> tuple[str, str]:
    """(period, source): the document's own period, else the urgent rule, else the kind's, else the
    case type's (returned as "")."""
    if stated_period:
        return stated_period, JudicialSuggestion.PeriodSource.DOCUMENT
    if urgent and kind.urgent_period:
        return kind.urgent_period, JudicialSuggestion.PeriodSource.URGENT
    if kind.period:
        return kind.period, JudicialSuggestion.PeriodSource.KIND
    return "", JudicialSuggestion.PeriodSource.CASE_TYPE


def _suggestion_snapshot(suggestion: JudicialSuggestion) -> dict:
    return {
        "kind": suggestion.kind.code,
        "issuer": suggestion.issuer_id,
        "document_number": suggestion.document_number,
        "urgent": suggestion.urgent,
        "period": suggestion.case.period,
        "period_source": suggestion.period_source,
        "handling_unit": suggestion.case.handling_unit_id,
        "due_date": suggestion.case.due_date.isoformat(),
    }


@transaction.atomic
def suggestion_register(
    *,
    actor: User,
    kind: SuggestionKind | None,
    issuer: Unit | None,
    addressee: Unit | None,
    title: str,
    content: str,
    received_at: datetime | None = None,
    document_number: str = "",
    issued_on: date | None = None,
    urgent: bool = False,
    stated_period: str = "",
    co_units: Sequence[Unit] = (),
) -> JudicialSuggestion:
    """登记: a suggestion received from a court or procuratorate goes to the addressee unit with its
    reply deadline — as stated in the document, or by the urgent rule, or by its kind."""
    if addressee is not None and not permissions.can_register_suggestion(actor, addressee):
        raise PermissionDenied(f"您无权为{addressee.name}登记司法建议或检察建议。")
    errors: dict[str, str] = {}
    document_number = (document_number or "").strip()
    stated_period = (stated_period or "").strip()
    if kind is None or not kind.is_active:
        errors["kind"] = "请选择建议类别。"
    if addressee is None:
        errors["addressee"] = "请选择承办（被建议）单位。"
    if issuer is None:
        errors["issuer"] = "请选择发出建议的人民法院或人民检察院。"
    elif kind is not None and issuer.kind != ISSUER_KINDS.get(kind.case_type.code):
        expected = Unit.Kind(ISSUER_KINDS[kind.case_type.code]).label
        errors["issuer"] = f"「{kind.name}」应由{expected}发出，{issuer.name}不是{expected}。"
    if not (title or "").strip():
        errors["title"] = "请填写建议标题。"
    if len((content or "").strip()) < MIN_REPLY_CHARS:
        errors["content"] = f"请摘录建议的主要内容（不少于{MIN_REPLY_CHARS}个字）。"
    if urgent and kind is not None and not kind.urgent_period:
        errors["urgent"] = f"「{kind.name}」没有紧急情形的回复期限；来文另有期限的，请填写“来文载明期限”。"
    _check_period(stated_period, "stated_period", errors)
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        errors["received_at"] = "收到日期不能晚于今天。"
    if issued_on and issued_on > timezone.localdate(received_at):
        errors["issued_on"] = "发文日期不能晚于收到日期。"
    if (
        document_number
        and issuer is not None
        and JudicialSuggestion.objects.filter(issuer=issuer, document_number=document_number).exists()
    ):
        errors["document_number"] = f"{issuer.name}文号为“{document_number}”的建议已登记，请勿重复登记。"
    if errors:
        raise ValidationError(errors)
    period, source = suggestion_period(kind=kind, urgent=urgent, stated_period=stated_period)
    case = case_services.case_open(
        case_type=kind.case_type,
        title=title,
        description=content.strip(),
        handling_unit=addressee,
        actor=actor,
        received_at=received_at,
        co_units=co_units,
        period=period,
    )
    suggestion = JudicialSuggestion.objects.create(
        case=case,
        kind=kind,
        issuer=issuer,
        document_number=document_number,
        issued_on=issued_on,
        urgent=urgent,
        period_source=source,
    )
    audit.record(
        actor=actor,
        action="suggestions.registered",
        target=suggestion,
        after=_suggestion_snapshot(suggestion),
    )
    return suggestion


@transaction.atomic
def suggestion_reply(
    *,
    suggestion: JudicialSuggestion,
    actor: User,
    adoption: str,
    text: str,
    reasons: str = "",
    measures: str = "",
    replied_on: date | None = None,
) -> SuggestionReply:
    """书面回复: adoption status (reasons unless fully adopted); the case is closed on the reply date,
    which says whether the reply was on time."""
    case = suggestion.case
    replied_on = replied_on or _today()
    if not (permissions.can_reply(actor, case) or permissions.can_record_for_unit(actor, case, replied_on)):
        raise PermissionDenied("只有承办单位可以回复该建议。")
    _require_open(case)
    errors: dict[str, str] = {}
    if adoption not in Adoption.values:
        errors["adoption"] = "请选择采纳情况：采纳、部分采纳或未采纳。"
    elif adoption != Adoption.ADOPTED and len((reasons or "").strip()) < MIN_REASON_CHARS:
        errors["reasons"] = f"{Adoption(adoption).label}的，请写明理由（不少于{MIN_REASON_CHARS}个字）。"
    if len((text or "").strip()) < MIN_REPLY_CHARS:
        errors["text"] = f"请填写回复内容（不少于{MIN_REPLY_CHARS}个字）。"
    _check_day(replied_on, field="replied_on", label="回复日期", case=case, errors=errors)
    if errors:
        raise ValidationError(errors)
    reply = SuggestionReply.objects.create(
        suggestion=suggestion,
        round=suggestion.replies.count() + 1,
        adoption=adoption,
        reasons=(reasons or "").strip(),
        measures=(measures or "").strip(),
        text=text.strip(),
        replied_on=replied_on,
        unit=case.handling_unit,
        replied_by=actor,
        due_date=case.due_date,
        on_time=replied_on <= case.due_date,
    )
    label = "补充回复" if reply.is_follow_up else "回复"
    case_services.case_close(
        case=case,
        actor=actor,
        note=f"{label}（{reply.get_adoption_display()}）：{reply.text}",
        closed_at=_moment(replied_on),
    )
    audit.record(
        actor=actor,
        action="suggestions.replied",
        target=suggestion,
        after={
            "round": reply.round,
            "adoption": adoption,
            "replied_on": replied_on.isoformat(),
            "on_time": reply.on_time,
        },
    )
    return reply


@transaction.atomic
def suggestion_follow_up(
    *,
    suggestion: JudicialSuggestion,
    actor: User,
    note: str,
    requested_on: date | None = None,
    period: str = "",
) -> FollowUpRequest:
    """The court or procuratorate asks for a further reply (落实情况): the case reopens with a new clock."""
    case = suggestion.case
    if not permissions.can_request_follow_up(actor, case):
        raise PermissionDenied("只有法治督察人员可以登记补充回复要求。")
    if case.status != Case.Status.CLOSED:
        raise ValidationError("该建议尚未回复，不需要登记补充回复要求。")
    requested_on = requested_on or _today()
    period = (period or "").strip() or case.period or case.case_type.period
    errors: dict[str, str] = {}
    if len((note or "").strip()) < MIN_REASON_CHARS:
        errors["note"] = f"请写明建议机关要求补充回复的事项（不少于{MIN_REASON_CHARS}个字）。"
    if requested_on > _today():
        errors["requested_on"] = "来函日期不能晚于今天。"
    last_reply = suggestion.replies.order_by("-round").first()
    if last_reply and requested_on < last_reply.replied_on:
        errors["requested_on"] = f"来函日期不能早于上次回复日期{last_reply.replied_on:%Y-%m-%d}。"
    _check_period(period, "period", errors)
    if errors:
        raise ValidationError(errors)
    request = FollowUpRequest.objects.create(
        suggestion=suggestion,
        round=suggestion.replies.count() + 1,
        requested_on=requested_on,
        note=note.strip(),
        period=period,
        recorded_by=actor,
    )
    case_services.case_reopen(
        case=case, actor=actor, reason=f"建议机关要求补充回复：{request.note}", period=period
    )
    audit.record(
        actor=actor,
        action="suggestions.follow_up_requested",
        target=suggestion,
        after={"round": request.round, "period": period, "due_date": case.due_date.isoformat()},
    )
    return request


@transaction.atomic
def escalation_rule_save(*, actor: User, rule: EscalationRule) -> EscalationRule:
    """Create or change an escalation rule; the person it is issued in the name of must supervise."""
    if not has_role(actor, Role.SUPERVISOR, Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有法治督察人员或系统管理员可以设置超期督办规则。")
    errors: dict[str, str] = {}
    if not rule.name.strip():
        errors["name"] = "请填写规则名称。"
    _check_period(rule.overdue_by or "", "overdue_by", errors)
    if not rule.period:
        errors["period"] = "请填写督办期限，如 5wd。"
    _check_period(rule.period, "period", errors)
    if rule.level not in Supervision.Level.values:
        errors["level"] = "督办级别应为催办、督办或挂牌督办。"
    if (
        rule.issued_by_id
        and not rule.issued_by.memberships.filter(role="supervisor", is_active=True).exists()
    ):
        errors["issued_by"] = f"{rule.issued_by}不是法治督察人员，不能以其名义发出督办。"
    if errors:
        raise ValidationError(errors)
    before = None
    if rule.pk:
        old = EscalationRule.objects.get(pk=rule.pk)
        before = {
            "overdue_by": old.overdue_by,
            "level": old.level,
            "period": old.period,
            "active": old.is_active,
        }
    rule.save()
    audit.record(
        actor=actor,
        action="suggestions.escalation_rule_saved",
        target=rule,
        before=before,
        after={
            "overdue_by": rule.overdue_by,
            "level": rule.level,
            "period": rule.period,
            "active": rule.is_active,
        },
    )
    return rule


def overdue_escalate(*, today: date | None = None) -> dict[str, int]:
    """超期督办: every open case of a rule's type that is overdue by at least the rule's margin gets
    the rule's supervision, issued in the name of the rule's supervisor.

    A case gets each level at most once per clock (a supervision of that level or higher issued
    since the case was opened, reopened or its clock restarted counts); when several rules hold, the highest level is issued. Run by
    `fazhi sweep` (or `fazhi suggestions_escalate` by hand); idempotent.
    """
    today = today or _today()
    counts = {"issued": 0, "refused": 0, "beyond_calendar": 0}
    done: set[int] = set()
    rules = EscalationRule.objects.filter(is_active=True).select_related("case_type", "issued_by")
    # The running clock began when the case was opened, reopened or its clock restarted.
    clock_starts = TimelineEntry.objects.filter(
        case=OuterRef("pk"), action__in=["opened", "reopened", "clock_restarted"]
    ).order_by("-at", "-id")
    for rule in sorted(rules, key=lambda r: -r.level):
        already = Supervision.objects.filter(
            case=OuterRef("pk"), level__gte=rule.level, issued_at__gte=OuterRef("clock_began")
        )
        candidates = (
            Case.objects.filter(
                case_type=rule.case_type,
                status=Case.Status.OPEN,
                archived_at__isnull=True,
                due_date__lt=today,
            )
            .annotate(clock_began=Subquery(clock_starts.values("at")[:1]))
            .exclude(Exists(already))
            .select_related("case_type", "handling_unit")
            .order_by("due_date", "id")
        )
        for case in candidates:
            if case.pk in done:
                continue
            try:
                if add_period(case.due_date, rule.overdue_by or "0d") >= today:
                    continue
                # The supervision's own deadline runs from the day it is actually issued.
                due = due_date(start=max(today, _today()), period=rule.period, roll_forward=True)
                case_services.supervision_issue(
                    case=case, actor=rule.issued_by, level=rule.level, reason=rule.reason, due=due
                )
            except PermissionDenied:
                counts["refused"] += 1
                continue
            except CalendarRangeError:
                counts["beyond_calendar"] += 1
                continue
            done.add(case.pk)
            counts["issued"] += 1
    if counts["issued"] or counts["refused"]:
        with transaction.atomic():
            audit.record(actor=None, action="suggestions.escalation_swept", after=counts)
    return counts


# --- sessions and deputies ----------------------------------------------------------------------


def _require_session_keeper(actor: User) -> None:
    if not permissions.can_manage_sessions(actor):
        raise PermissionDenied("只有法治督察人员或人大、政协工作机构人员可以维护届次会议和代表委员名单。")


@transaction.atomic
def session_save(*, actor: User, session: Session) -> Session:
    """Create or change a session and its local periods (answer, return window, re-handling)."""
    _require_session_keeper(actor)
    errors: dict[str, str] = {}
    if session.body not in Body.values:
        errors["body"] = "请选择人民代表大会或政治协商会议。"
    if not (session.name or "").strip():
        errors["name"] = "请填写会议名称，如“明湖市第十七届人民代表大会第三次会议”。"
    elif Session.objects.filter(name=session.name.strip()).exclude(pk=session.pk).exists():
        errors["name"] = f"“{session.name}”已存在。"
    _check_period(session.period, "period", errors)
    for field in ("return_window", "rehandle_period"):
        if not getattr(session, field):
            errors[field] = "请填写期限，如 5wd、3m。"
        _check_period(getattr(session, field), field, errors)
    if errors:
        raise ValidationError(errors)
    session.name = session.name.strip()
    before = None
    if session.pk:
        old = Session.objects.get(pk=session.pk)
        before = {"name": old.name, "period": old.period, "return_window": old.return_window}
    session.save()
    audit.record(
        actor=actor,
        action="suggestions.session_saved",
        target=session,
        before=before,
        after={"name": session.name, "period": session.period, "return_window": session.return_window},
    )
    return session


@transaction.atomic
def representative_save(*, actor: User, representative: Representative) -> Representative:
    _require_session_keeper(actor)
    errors: dict[str, str] = {}
    representative.name = (representative.name or "").strip()
    representative.group = (representative.group or "").strip()
    if representative.body not in Body.values:
        errors["body"] = "请选择人大代表或政协委员。"
    if not representative.name:
        errors["name"] = "请填写姓名。"
    if not representative.group:
        errors["group"] = "请填写代表团或界别。"
    if representative.phone:
        representative.phone = crypto.normalise(representative.phone, "phone")
        if not representative.phone.lstrip("+").isdigit() or len(representative.phone) < PHONE_DIGITS:
            errors["phone"] = "联系电话应为数字（可带区号）。"
    duplicate = Representative.objects.filter(
        body=representative.body, name=representative.name, group=representative.group
    ).exclude(pk=representative.pk)
    if representative.name and duplicate.exists():
        errors["name"] = f"{representative.group}已有{representative.name}。"
    if errors:
        raise ValidationError(errors)
    created = representative.pk is None
    representative.save()
    audit.record(
        actor=actor,
        action="suggestions.representative_saved",
        target=representative,
        after={"created": created, "group": representative.group},  # never the phone number
    )
    return representative


# --- 人大代表建议 / 政协提案 -----------------------------------------------------------------------


def _proposal_snapshot(proposal: Proposal) -> dict:
    case = proposal.case
    return {
        "session": proposal.session_id,
        "number": proposal.number,
        "lead_proposer": proposal.lead_proposer_id,
        "handling_unit": case.handling_unit_id,
        "co_units": sorted(
            case.case_units.filter(role=CaseUnit.Role.CO, is_active=True).values_list("unit_id", flat=True)
        ),
        "due_date": case.due_date.isoformat(),
        "is_key": proposal.is_key,
    }


@transaction.atomic
def proposal_register(
    *,
    actor: User,
    session: Session | None,
    number: str,
    title: str,
    content: str,
    lead_proposer: Representative | None,
    lead_unit: Unit | None,
    co_units: Sequence[Unit] = (),
    co_proposers: Sequence[Representative] = (),
    topic: str = "",
    is_key: bool = False,
    received_at: datetime | None = None,
) -> Proposal:
    """交办: a deputy's suggestion or a member's proposal goes to its 主办 unit, with 会办 units; the
    answer period (3 months, or the session's own) runs from the day it is assigned."""
    for unit in [u for u in (lead_unit, *co_units) if u is not None]:
        if not permissions.can_assign_proposal(actor, unit):
            raise PermissionDenied(f"您无权向{unit.name}交办建议、提案。")
    assigning_unit = permissions.assigning_unit_of(actor)
    if assigning_unit is None:
        raise PermissionDenied("只有交办单位的法治督察人员可以交办建议、提案。")
    errors: dict[str, str] = {}
    number = (number or "").strip()
    if session is None:
        errors["session"] = "请选择届次会议。"
    elif not session.is_active:
        errors["session"] = f"“{session.name}”已停止接收建议、提案。"
    if not number:
        errors["number"] = "请填写建议/提案号。"
    elif session is not None and Proposal.objects.filter(session=session, number=number).exists():
        errors["number"] = f"{session.name}第{number}号已登记。"
    if not (title or "").strip():
        errors["title"] = "请填写标题。"
    if len((content or "").strip()) < MIN_REPLY_CHARS:
        errors["content"] = f"请填写建议、提案的主要内容（不少于{MIN_REPLY_CHARS}个字）。"
    if lead_proposer is None:
        errors["lead_proposer"] = "请选择领衔的代表或委员。"
    elif session is not None and lead_proposer.body != session.body:
        errors["lead_proposer"] = f"{lead_proposer.name}不是{session.get_body_display()}的代表或委员。"
    if any(p.body != session.body for p in co_proposers if session is not None):
        errors["co_proposers"] = "联名人须是同一会议的代表或委员。"
    if lead_unit is None:
        errors["lead_unit"] = "请选择主办单位。"
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        errors["received_at"] = "交办日期不能晚于今天。"
    elif session is not None and timezone.localdate(received_at) < session.opened_on:
        errors["received_at"] = f"交办日期不能早于会议开幕日期{session.opened_on:%Y-%m-%d}。"
    if errors:
        raise ValidationError(errors)
    case = case_services.case_open(
        case_type=CaseType.objects.get(code=session.case_type_code),
        title=title,
        description=content.strip(),
        handling_unit=lead_unit,
        actor=actor,
        received_at=received_at,
        co_units=co_units,
        period=session.period,
    )
    proposal = Proposal.objects.create(
        case=case,
        session=session,
        number=number,
        lead_proposer=lead_proposer,
        topic=(topic or "").strip()[:30],
        is_key=is_key,
        assigning_unit=assigning_unit,
    )
    proposal.co_proposers.set([p for p in co_proposers if p.pk != lead_proposer.pk])
    audit.record(
        actor=actor,
        action="suggestions.proposal_registered",
        target=proposal,
        after=_proposal_snapshot(proposal),
    )
    return proposal


def _assigned_on(proposal: Proposal) -> date:
    """The day the current lead unit was given the proposal (交办 or 改派)."""
    link = (
        proposal.case.case_units.filter(role=CaseUnit.Role.LEAD, is_active=True)
        .order_by("-assigned_at")
        .first()
    )
    return timezone.localdate(link.assigned_at if link else proposal.case.received_at)


def return_deadline(proposal: Proposal) -> date:
    """The last day the lead unit may return a misassigned proposal (the session's window)."""
    return add_period(_assigned_on(proposal), proposal.session.return_window)


@transaction.atomic
def proposal_return(
    *, proposal: Proposal, actor: User, reason: str, suggested_unit: Unit | None = None
) -> ProposalReturn:
    """交办有误退回: within the session's window the lead unit sends it back to the assigning office."""
    case = proposal.case
    if not case_permissions.can_handle(actor, case):
        raise PermissionDenied("只有主办单位可以退回交办。")
    _require_open(case)
    if proposal.returns.filter(status=ProposalReturn.Status.PENDING).exists():
        raise ValidationError("已退回，等待交办单位处理。")
    if proposal.answers.exists():
        raise ValidationError("已经答复的建议、提案不能再以交办有误为由退回。")
    deadline = return_deadline(proposal)
    window = Period.parse(proposal.session.return_window)
    if _today() > deadline:
        raise ValidationError(
            f"已超过退回时限（交办之日起{window.label}，截至{deadline:%Y-%m-%d}），请按交办意见办理，"
            "确需调整的请与交办单位协商。"
        )
    errors: dict[str, str] = {}
    if len((reason or "").strip()) < MIN_REPLY_CHARS:
        errors["reason"] = (
            f"请写明交办有误的理由（不少于{MIN_REPLY_CHARS}个字），如该事项属于哪个单位的职责。"
        )
    if suggested_unit is not None and suggested_unit.pk == case.handling_unit_id:
        errors["suggested_unit"] = "建议承办单位不能是本单位。"
    if errors:
        raise ValidationError(errors)
    item = ProposalReturn.objects.create(
        proposal=proposal,
        unit=case.handling_unit,
        reason=reason.strip(),
        suggested_unit=suggested_unit,
        returned_at=timezone.now(),
        returned_by=actor,
    )
    hint = f"，建议由{suggested_unit.name}承办" if suggested_unit else ""
    case_services.case_comment(
        case=case, actor=actor, note=f"以交办有误为由退回交办单位{hint}：{item.reason}"
    )
    audit.record(
        actor=actor,
        action="suggestions.proposal_returned",
        target=proposal,
        after={"unit": item.unit_id, "suggested_unit": suggested_unit.pk if suggested_unit else None},
    )
    return item


@transaction.atomic
def proposal_return_decide(
    *, item: ProposalReturn, actor: User, accept: bool, unit: Unit | None = None, note: str = ""
) -> ProposalReturn:
    """The assigning office re-assigns (the answer period runs again from the new 交办) or keeps it
    with the unit."""
    proposal = item.proposal
    case = proposal.case
    if not permissions.can_decide_return(actor, case):
        raise PermissionDenied("只有交办单位可以处理退回。")
    if item.status != ProposalReturn.Status.PENDING:
        raise ValidationError("该退回已处理。")
    note = (note or "").strip()
    unit = unit or (item.suggested_unit if accept else None)
    if accept:
        if unit is None:
            raise ValidationError({"unit": "请选择改派的承办单位。"})
        if unit.pk == case.handling_unit_id:
            raise ValidationError({"unit": "改派单位不能是退回的单位。"})
        case_services.case_assign(
            case=case,
            actor=actor,
            unit=unit,
            note=note or f"交办有误，改由{unit.name}主办",
            restart_stage=True,
        )
        # 代表法第五十一条 counts from 交办: a re-assignment is a new 交办 for the new unit.
        case_services.case_restart_clock(
            case=case,
            actor=actor,
            start=_today(),
            period=case.period or case.case_type.period,
            note=f"重新交办{unit.name}",
        )
        item.status, item.reassigned_to = ProposalReturn.Status.ACCEPTED, unit
    else:
        if len(note) < MIN_REASON_CHARS:
            raise ValidationError({"note": f"请写明不予退回的理由（不少于{MIN_REASON_CHARS}个字）。"})
        case_services.case_comment(
            case=case, actor=actor, note=f"不予退回，仍由{case.handling_unit.name}主办：{note}"
        )
        item.status = ProposalReturn.Status.REJECTED
    item.decided_at, item.decided_by, item.decision_note = timezone.now(), actor, note[:300]
    item.save(update_fields=["status", "reassigned_to", "decided_at", "decided_by", "decision_note"])
    audit.record(
        actor=actor,
        action="suggestions.proposal_return_decided",
        target=proposal,
        after={"status": item.status, "unit": unit.pk if accept else None},
    )
    return item


@transaction.atomic
def proposal_contact(
    *, proposal: Proposal, actor: User, method: str, note: str, contacted_on: date | None = None
) -> ProposalContact:
    """沟通联系: recorded by the lead or a co-handling unit; required before the answer."""
    case = proposal.case
    contacted_on = contacted_on or _today()
    unit = permissions.contributing_unit(actor, case)
    if unit is None and permissions.can_record_for_unit(actor, case, contacted_on):
        unit = case.handling_unit
    if unit is None:
        raise PermissionDenied("只有主办或会办单位可以记录与代表、委员的联系。")
    _require_open(case)
    errors: dict[str, str] = {}
    if method not in ProposalContact.Method.values:
        errors["method"] = "请选择联系方式。"
    if len((note or "").strip()) < MIN_REASON_CHARS:
        errors["note"] = f"请写明沟通情况（不少于{MIN_REASON_CHARS}个字）。"
    _check_day(contacted_on, field="contacted_on", label="联系日期", case=case, errors=errors)
    if errors:
        raise ValidationError(errors)
    contact = ProposalContact.objects.create(
        proposal=proposal,
        contacted_on=contacted_on,
        method=method,
        note=note.strip(),
        unit=unit,
        recorded_by=actor,
    )
    note = (
        f"{unit.name}与{proposal.lead_proposer.name}沟通联系（{contact.get_method_display()}，"
        f"{contacted_on:%Y-%m-%d}）：{contact.note}"
    )
    if case_permissions.can_handle(actor, case) and case.stage_id and case.stage.code == "handle":
        # The first contact opens the answer stage on its own day, with the contact on the timeline.
        case_services.case_advance(
            case=case, actor=actor, to_stage="answer", on=max(contacted_on, case.stage_started_on), note=note
        )
    else:
        case_services.case_comment(case=case, actor=actor, note=note)
    audit.record(
        actor=actor,
        action="suggestions.proposal_contacted",
        target=proposal,
        after={"unit": unit.pk, "method": method, "on": contacted_on.isoformat()},
    )
    return contact


@transaction.atomic
def proposal_answer(
    *, proposal: Proposal, actor: User, grade: str, text: str, answered_on: date | None = None
) -> ProposalAnswer:
    """书面答复 with its grade (A/B/C/D); only after the deputy has been contacted in this round."""
    case = proposal.case
    answered_on = answered_on or _today()
    if not (
        case_permissions.can_handle(actor, case) or permissions.can_record_for_unit(actor, case, answered_on)
    ):
        raise PermissionDenied("只有主办单位可以答复。")
    _require_open(case)
    if proposal.returns.filter(status=ProposalReturn.Status.PENDING).exists():
        raise ValidationError("已退回交办单位，等待交办单位处理，暂不能答复。")
    errors: dict[str, str] = {}
    if grade not in Grade.values:
        errors["grade"] = "请选择办理结果分类（A、B、C、D类）。"
    if len((text or "").strip()) < MIN_ANSWER_CHARS:
        errors["text"] = f"请填写答复内容（不少于{MIN_ANSWER_CHARS}个字）。"
    _check_day(answered_on, field="answered_on", label="答复日期", case=case, errors=errors)
    contacted = proposal.contacts.filter(contacted_on__gte=case.start_date, contacted_on__lte=answered_on)
    if not contacted.exists():
        errors["contacted"] = (
            f"答复前须与{proposal.lead_proposer.name}沟通联系并记录（代表法第五十一条）；"
            f"本轮办理自{case.start_date:%Y-%m-%d}起尚无联系记录。"
        )
    if errors:
        raise ValidationError(errors)
    answer = ProposalAnswer.objects.create(
        proposal=proposal,
        round=proposal.answers.count() + 1,
        grade=grade,
        text=text.strip(),
        answered_on=answered_on,
        unit=case.handling_unit,
        answered_by=actor,
        due_date=case.due_date,
        on_time=answered_on <= case.due_date,
    )
    case_services.case_close(
        case=case,
        actor=actor,
        note=f"答复（{answer.get_grade_display()}）：{answer.text}",
        closed_at=_moment(answered_on),
    )
    audit.record(
        actor=actor,
        action="suggestions.proposal_answered",
        target=proposal,
        after={
            "round": answer.round,
            "grade": grade,
            "on": answered_on.isoformat(),
            "on_time": answer.on_time,
        },
    )
    return answer


@transaction.atomic
def proposal_feedback(
    *,
    answer: ProposalAnswer,
    actor: User,
    satisfaction: str,
    note: str = "",
    received_on: date | None = None,
) -> ProposalFeedback:
    """The deputy's view of the answer; 不满意 sends it back to the unit to handle and answer again
    within the session's re-handling period."""
    proposal = answer.proposal
    case = proposal.case
    if not permissions.can_record_feedback(actor, case):
        raise PermissionDenied("只有交办单位可以登记代表、委员的意见。")
    if answer.round != proposal.answers.count():
        raise ValidationError("只能对最近一次答复登记意见。")
    if ProposalFeedback.objects.filter(answer=answer).exists():
        raise ValidationError("该答复已登记代表、委员的意见。")
    received_on = received_on or _today()
    errors: dict[str, str] = {}
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = "请选择满意、基本满意或不满意。"
    elif satisfaction == Satisfaction.UNSATISFIED and len((note or "").strip()) < MIN_REASON_CHARS:
        errors["note"] = (
            f"不满意的，请写明代表、委员的具体意见（不少于{MIN_REASON_CHARS}个字），承办单位据此重新办理。"
        )
    if received_on > _today():
        errors["received_on"] = "反馈日期不能晚于今天。"
    elif received_on < answer.answered_on:
        errors["received_on"] = f"反馈日期不能早于答复日期{answer.answered_on:%Y-%m-%d}。"
    if errors:
        raise ValidationError(errors)
    feedback = ProposalFeedback.objects.create(
        answer=answer,
        satisfaction=satisfaction,
        note=(note or "").strip(),
        received_on=received_on,
        recorded_by=actor,
    )
    if satisfaction == Satisfaction.UNSATISFIED and case.status == Case.Status.CLOSED:
        case_services.case_reopen(
            case=case,
            actor=actor,
            reason=f"{proposal.lead_proposer.name}对答复不满意，重新办理：{feedback.note}",
            period=proposal.session.rehandle_period,
            to_stage="handle",
        )
    audit.record(
        actor=actor,
        action="suggestions.proposal_feedback",
        target=proposal,
        after={"round": answer.round, "satisfaction": satisfaction},
    )
    return feedback


@transaction.atomic
def answer_disclose(*, answer: ProposalAnswer, actor: User, disclose: bool = True) -> ProposalAnswer:
    """公开 an answer on the public page (代表法: handling is made public), or withdraw it."""
    case = answer.proposal.case
    if not permissions.can_disclose(actor, case):
        raise PermissionDenied("只有主办单位或法治督察人员可以公开答复。")
    if disclose and answer.disclosed_at:
        raise ValidationError("该答复已公开。")
    if not disclose and not answer.disclosed_at:
        raise ValidationError("该答复尚未公开。")
    answer.disclosed_at, answer.disclosed_by = (timezone.now(), actor) if disclose else (None, None)
    answer.save(update_fields=["disclosed_at", "disclosed_by"])
    audit.record(
        actor=actor,
        action="suggestions.answer_disclosed" if disclose else "suggestions.answer_withdrawn",
        target=answer.proposal,
        after={"round": answer.round},
    )
    return answer


@transaction.atomic
def proposal_extension_request(*, proposal: Proposal, actor: User, reason: str) -> Proposal:
    """涉及面广、处理难度大: the lead unit asks the assigning office to allow up to 6 months."""
    case = proposal.case
    if not case_permissions.can_handle(actor, case):
        raise PermissionDenied("只有主办单位可以申请延期。")
    _require_open(case)
    if case.extended:
        raise ValidationError("已批准延期，不能再次申请。")
    if proposal.extension_requested_at:
        raise ValidationError("已申请延期，等待审批。")
    if len((reason or "").strip()) < MIN_REPLY_CHARS:
        raise ValidationError(
            {"reason": f"请写明涉及面广、处理难度大的具体情况（不少于{MIN_REPLY_CHARS}个字）。"}
        )
    proposal.extension_requested_at, proposal.extension_requested_by = timezone.now(), actor
    proposal.extension_reason = reason.strip()[:300]
    proposal.save(
        update_fields=["extension_requested_at", "extension_requested_by", "extension_reason", "updated_at"]
    )
    case_services.case_comment(case=case, actor=actor, note=f"申请延期：{proposal.extension_reason}")
    audit.record(actor=actor, action="suggestions.extension_requested", target=proposal)
    return proposal


@transaction.atomic
def proposal_extension_approve(*, proposal: Proposal, actor: User, period: str = "") -> Proposal:
    """The approver grants the extension the unit asked for (up to the case type's maximum)."""
    case = proposal.case
    if not proposal.extension_requested_at or case.extended:
        raise ValidationError("没有待审批的延期申请。")
    case_services.case_extend(
        case=case,
        actor=actor,
        requested_by=proposal.extension_requested_by,
        period=period or case.case_type.max_extension,
        reason=proposal.extension_reason,
    )
    audit.record(actor=actor, action="suggestions.extension_approved", target=proposal)
    return proposal
