"""Writes of 人民调解 on the case engine: committees and mediators, registering a dispute with its
parties, mediation sessions, the outcome (调解成功 with the agreement and the 司法确认 window, or
调解不成 with the channel the parties are told of) and the parties' application for 司法确认.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.cases import services as case_services
from fazhi.cases.models import Case, CaseType
from fazhi.cases.selectors import cases_visible_to
from fazhi.core import audit, crypto
from fazhi.core.deadlines import due_date
from fazhi.mediation import permissions
from fazhi.mediation.models import (
    MEDIATION_CASE_TYPE,
    Committee,
    Dispute,
    DisputeType,
    MediationSession,
    Mediator,
    Outcome,
    Party,
    Referral,
    Source,
)
from fazhi.org.models import Region, User

# 人民调解法第三十三条: the parties may apply jointly within 30 days of the agreement taking effect.
# A last day on a rest day moves to the next working day (民事诉讼法第八十五条).
CONFIRMATION_PERIOD = "30d"
MIN_TEXT_CHARS = 10
MIN_REASON_CHARS = 5
PHONE_DIGITS = 5


def _today() -> date:
    return timezone.localdate()


def _moment(day: date) -> datetime:
    if day >= _today():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=12)))


def _check_day(day: date, *, field: str, label: str, case: Case, errors: dict) -> None:
    if day > _today():
        errors[field] = f"{label}不能晚于今天。"
    elif day < case.start_date:
        errors[field] = f"{label}不能早于受理日期{case.start_date:%Y-%m-%d}。"


def _require_open(case: Case) -> None:
    if case.status == Case.Status.CLOSED:
        raise ValidationError(f"{case.number}已结案。")
    if case.status == Case.Status.SUSPENDED:
        raise ValidationError(f"{case.number}处于中止状态，请先恢复计时。")


def _phone_problem(phone: str) -> str:
    digits = crypto.normalise(phone, "phone")
    if not digits.lstrip("+").isdigit() or len(digits) < PHONE_DIGITS:
        return "联系电话应为数字（可带区号）。"
    return ""


def confirmation_deadline(effective_on: date) -> date:
    """The last day to apply jointly for 司法确认 of an agreement that took effect on `effective_on`."""
    return due_date(start=effective_on, period=CONFIRMATION_PERIOD, roll_forward=True)


# --- committees and mediators ---------------------------------------------------------------------


@transaction.atomic
def committee_save(*, actor: User, committee: Committee) -> Committee:
    """Create or change a committee; it works under a unit in the keeper's scope."""
    if committee.unit_id is None or not permissions.can_keep_committees(actor, committee.unit):
        raise PermissionDenied("只有法治督察人员或所属乡镇街道的负责人可以维护调解委员会。")
    errors: dict[str, str] = {}
    committee.name = (committee.name or "").strip()
    if not committee.name:
        errors["name"] = "请填写调解委员会名称。"
    elif Committee.objects.filter(name=committee.name).exclude(pk=committee.pk).exists():
        errors["name"] = f"“{committee.name}”已存在。"
    if committee.kind not in Committee.Kind.values:
        errors["kind"] = "请选择调解委员会类型。"
    if not committee.unit.is_active:
        errors["unit"] = f"{committee.unit.name}已{committee.unit.get_status_display()}，请改为其承继单位。"
    if committee.region_id is None:
        errors["region"] = "请选择所在区划。"
    if errors:
        raise ValidationError(errors)
    before = None
    if committee.pk:
        old = Committee.objects.get(pk=committee.pk)
        before = {"name": old.name, "unit": old.unit_id, "active": old.is_active}
    committee.save()
    audit.record(
        actor=actor,
        action="mediation.committee_saved",
        target=committee,
        before=before,
        after={"name": committee.name, "unit": committee.unit_id, "active": committee.is_active},
    )
    return committee


@transaction.atomic
def mediator_save(*, actor: User, mediator: Mediator) -> Mediator:
    if not permissions.can_keep_committees(actor, mediator.committee.unit):
        raise PermissionDenied("只有法治督察人员或所属乡镇街道的负责人可以维护调解员名单。")
    errors: dict[str, str] = {}
    mediator.name = (mediator.name or "").strip()
    if not mediator.name:
        errors["name"] = "请填写调解员姓名。"
    elif (
        Mediator.objects.filter(committee=mediator.committee, name=mediator.name)
        .exclude(pk=mediator.pk)
        .exists()
    ):
        errors["name"] = f"{mediator.committee.name}已有调解员{mediator.name}。"
    if mediator.post not in Mediator.Post.values:
        errors["post"] = "请选择职务。"
    if mediator.phone:
        mediator.phone = crypto.normalise(mediator.phone, "phone")
        if problem := _phone_problem(mediator.phone):
            errors["phone"] = problem
    if errors:
        raise ValidationError(errors)
    created = mediator.pk is None
    mediator.save()
    audit.record(
        actor=actor,
        action="mediation.mediator_saved",
        target=mediator,
        after={"created": created, "committee": mediator.committee_id, "active": mediator.is_active},
    )
    return mediator


# --- disputes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyData:
    role: str
    name: str
    kind: str = Party.Kind.PERSON
    id_number: str = ""
    phone: str = ""


def _check_parties(parties: Sequence[PartyData], errors: dict) -> None:
    if len(parties) < 2:
        errors["parties"] = "请登记至少两方当事人（申请人和被申请人）。"
        return
    problems = []
    for n, party in enumerate(parties, start=1):
        if party.role not in Party.Role.values:
            problems.append(f"第{n}位当事人的身份无效")
        if not (party.name or "").strip():
            problems.append(f"第{n}位当事人未填写姓名或名称")
        if party.phone and _phone_problem(party.phone):
            problems.append(f"第{n}位当事人的联系电话应为数字")
        if party.kind not in Party.Kind.values:
            problems.append(f"第{n}位当事人的类型无效")
    if problems:
        errors["parties"] = "；".join(problems) + "。"


@transaction.atomic
def dispute_register(
    *,
    actor: User,
    committee: Committee | None,
    title: str,
    description: str,
    dispute_type: str,
    source: str,
    region: Region | None,
    parties: Sequence[PartyData],
    hotline_case: Case | None = None,
    referral_reference: str = "",
    amount: Decimal | None = None,
    mediator: Mediator | None = None,
    received_at: datetime | None = None,
) -> Dispute:
    """受理: a dispute comes to a committee — on application, by referral (12345, the court before
    litigation, police, petitions) or on the committee's own initiative — and its clock starts."""
    if committee is not None and not permissions.can_register_dispute(actor, committee):
        raise PermissionDenied(f"您无权为{committee.name}登记调解案件。")
    errors: dict[str, str] = {}
    if committee is None:
        errors["committee"] = "请选择调解委员会。"
    elif not committee.is_active:
        errors["committee"] = f"{committee.name}已停用。"
    if not (title or "").strip():
        errors["title"] = "请填写案件名称，如“邻里通道占用纠纷”。"
    if len((description or "").strip()) < MIN_TEXT_CHARS:
        errors["description"] = f"请写明纠纷的简要情况（不少于{MIN_TEXT_CHARS}个字）。"
    if dispute_type not in DisputeType.values:
        errors["dispute_type"] = "请选择纠纷类型。"
    if source not in Source.values:
        errors["source"] = "请选择案件来源。"
    if region is None:
        errors["region"] = "请选择纠纷发生地。"
    if source == Source.HOTLINE:
        if hotline_case is None:
            errors["hotline_case"] = "12345热线转办的，请填写工单编号。"
        elif (
            hotline_case.case_type.code != "hotline"
            or not cases_visible_to(actor).filter(pk=hotline_case.pk).exists()
        ):
            errors["hotline_case"] = f"找不到您可查看的12345工单“{hotline_case.number}”。"
    elif hotline_case is not None:
        errors["hotline_case"] = "只有来源为“12345热线转办”的案件才关联工单。"
    if source == Source.PRE_LITIGATION and not (referral_reference or "").strip():
        errors["referral_reference"] = "法院诉前委派的，请填写委派案号。"
    if amount is not None and amount < 0:
        errors["amount"] = "涉及金额不能为负数。"
    if mediator is not None and committee is not None and mediator.committee_id != committee.pk:
        errors["mediator"] = f"{mediator.name}不是{committee.name}的调解员。"
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        errors["received_at"] = "受理日期不能晚于今天。"
    _check_parties(parties, errors)
    if errors:
        raise ValidationError(errors)
    case = case_services.case_open(
        case_type=CaseType.objects.get(code=MEDIATION_CASE_TYPE),
        title=title,
        description=description.strip(),
        handling_unit=committee.unit,
        actor=actor,
        received_at=received_at,
    )
    dispute = Dispute.objects.create(
        case=case,
        committee=committee,
        dispute_type=dispute_type,
        source=source,
        hotline_case=hotline_case,
        referral_reference=(referral_reference or "").strip(),
        region=region,
        amount=amount,
        mediator=mediator,
    )
    Party.objects.bulk_create(
        Party(
            dispute=dispute,
            role=p.role,
            kind=p.kind,
            name=p.name.strip(),
            id_number=crypto.normalise(p.id_number, "id_number") if p.id_number else "",
            phone=crypto.normalise(p.phone, "phone") if p.phone else "",
        )
        for p in parties
    )
    audit.record(
        actor=actor,
        action="mediation.registered",
        target=dispute,
        after={  # never the parties' names or numbers
            "committee": committee.pk,
            "type": dispute_type,
            "source": source,
            "hotline_case": hotline_case.pk if hotline_case else None,
            "parties": len(parties),
        },
    )
    return dispute


@transaction.atomic
def session_record(
    *,
    dispute: Dispute,
    actor: User,
    held_on: date,
    place: str,
    summary: str,
    mediators: Sequence[Mediator] = (),
) -> MediationSession:
    """调解记录: when and where the committee mediated, who mediated and what happened."""
    case = dispute.case
    if not permissions.can_handle(actor, dispute):
        raise PermissionDenied("只有承办调解的单位可以记录调解过程。")
    _require_open(case)
    errors: dict[str, str] = {}
    _check_day(held_on, field="held_on", label="调解日期", case=case, errors=errors)
    if not (place or "").strip():
        errors["place"] = "请填写调解地点。"
    if len((summary or "").strip()) < MIN_TEXT_CHARS:
        errors["summary"] = f"请写明调解经过（不少于{MIN_TEXT_CHARS}个字）。"
    if not mediators:
        errors["mediators"] = "请选择参加调解的调解员。"
    elif any(m.committee_id != dispute.committee_id for m in mediators):
        errors["mediators"] = f"调解员须是{dispute.committee.name}的调解员。"
    if errors:
        raise ValidationError(errors)
    session = MediationSession.objects.create(
        dispute=dispute,
        held_on=held_on,
        place=place.strip()[:100],
        summary=summary.strip(),
        recorded_by=actor,
    )
    session.mediators.set(mediators)
    case_services.case_comment(
        case=case, actor=actor, note=f"{held_on:%Y-%m-%d}在{session.place}调解：{session.summary}"
    )
    audit.record(
        actor=actor,
        action="mediation.session_recorded",
        target=dispute,
        after={"held_on": held_on.isoformat()},
    )
    return session


@transaction.atomic
def dispute_conclude(
    *,
    dispute: Dispute,
    actor: User,
    outcome: str,
    concluded_on: date | None = None,
    agreement_form: str = "",
    agreement_text: str = "",
    agreement_effective_on: date | None = None,
    parties_told: bool = False,
    referral: str = "",
    failure_reason: str = "",
) -> Dispute:
    """结案: 调解成功 with the agreement, the day it took effect and the 司法确认 deadline the parties
    were told of; or 调解不成 with the reason and the channel the parties were told to use."""
    case = dispute.case
    concluded_on = concluded_on or _today()
    if not (
        permissions.can_handle(actor, dispute)
        or permissions.can_record_for_unit(actor, dispute, concluded_on)
    ):
        raise PermissionDenied("只有承办调解的单位可以结案。")
    _require_open(case)
    errors: dict[str, str] = {}
    _check_day(concluded_on, field="concluded_on", label="结案日期", case=case, errors=errors)
    deadline = None
    if outcome == Outcome.SUCCESS:
        agreement_effective_on = agreement_effective_on or concluded_on
        if agreement_form not in Dispute.AgreementForm.values:
            errors["agreement_form"] = "请选择协议形式：书面调解协议或口头协议。"
        if len((agreement_text or "").strip()) < MIN_TEXT_CHARS:
            errors["agreement_text"] = (
                f"请填写调解协议的内容（不少于{MIN_TEXT_CHARS}个字）；口头协议的，记录协议内容。"
            )
        if agreement_effective_on > concluded_on or agreement_effective_on < case.start_date:
            errors["agreement_effective_on"] = "协议生效日期应在受理日期和结案日期之间。"
        elif not errors.get("concluded_on"):
            deadline = confirmation_deadline(agreement_effective_on)
        if not parties_told:
            errors["parties_told"] = (
                "请告知当事人可自协议生效之日起30日内共同向人民法院申请司法确认，并确认已告知。"
            )
    elif outcome == Outcome.FAILURE:
        if referral not in Referral.values:
            errors["referral"] = "调解不成的，请选择已告知当事人的其他途径（人民调解法第二十六条）。"
        if len((failure_reason or "").strip()) < MIN_REASON_CHARS:
            errors["failure_reason"] = f"请写明调解不成的原因（不少于{MIN_REASON_CHARS}个字）。"
    else:
        errors["outcome"] = "请选择调解结果：调解成功或调解不成。"
    if errors:
        raise ValidationError(errors)
    dispute.outcome, dispute.concluded_on = outcome, concluded_on
    if outcome == Outcome.SUCCESS:
        dispute.agreement_form, dispute.agreement_text = agreement_form, agreement_text.strip()
        dispute.agreement_effective_on, dispute.confirmation_deadline = agreement_effective_on, deadline
        note = (
            f"调解成功（{dispute.get_agreement_form_display()}，{agreement_effective_on:%Y-%m-%d}生效）；"
            f"已告知当事人可于{deadline:%Y-%m-%d}前共同申请司法确认。"
        )
    else:
        dispute.referral, dispute.failure_reason = referral, failure_reason.strip()
        note = f"调解不成：{dispute.failure_reason}；已告知当事人{dispute.get_referral_display()}。"
    dispute.save()
    case_services.case_close(case=case, actor=actor, note=note, closed_at=_moment(concluded_on))
    audit.record(
        actor=actor,
        action="mediation.concluded",
        target=dispute,
        after={
            "outcome": outcome,
            "concluded_on": concluded_on.isoformat(),
            "confirmation_deadline": deadline.isoformat() if deadline else None,
            "referral": referral or None,
        },
    )
    return dispute


@transaction.atomic
def confirmation_record(*, dispute: Dispute, actor: User, applied_on: date, court: str) -> Dispute:
    """The parties applied for 司法确认: recorded by the unit, within the window they were told of."""
    if not permissions.can_handle(actor, dispute):
        raise PermissionDenied("只有承办调解的单位可以记录司法确认申请。")
    if dispute.outcome != Outcome.SUCCESS:
        raise ValidationError("只有调解成功的案件可以申请司法确认。")
    if dispute.confirmation_applied_on:
        raise ValidationError("已记录司法确认申请。")
    errors: dict[str, str] = {}
    if applied_on > _today():
        errors["applied_on"] = "申请日期不能晚于今天。"
    elif applied_on < dispute.agreement_effective_on:
        errors["applied_on"] = f"申请日期不能早于协议生效日期{dispute.agreement_effective_on:%Y-%m-%d}。"
    elif applied_on > dispute.confirmation_deadline:
        errors["applied_on"] = (
            f"已超过申请司法确认的期限（{dispute.confirmation_deadline:%Y-%m-%d}），人民法院不予受理；"
            "当事人可就调解协议的履行或内容向人民法院提起诉讼。"
        )
    if not (court or "").strip():
        errors["court"] = "请填写受理申请的人民法院。"
    if errors:
        raise ValidationError(errors)
    dispute.confirmation_applied_on, dispute.confirmation_court = applied_on, court.strip()[:60]
    dispute.save(update_fields=["confirmation_applied_on", "confirmation_court", "updated_at"])
    audit.record(
        actor=actor,
        action="mediation.confirmation_applied",
        target=dispute,
        after={"on": applied_on.isoformat()},
    )
    return dispute
