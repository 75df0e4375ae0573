"""Writes of 行政复议 and 行政应诉 on the case engine.

A reconsideration case opens on receipt with the 5-working-day acceptance review as its clock;
受理 (or 视为受理 when the review lapses) restarts the clock with the decision period (60 days
普通, 30 days 简易) counted from acceptance, and puts the case in the answer stage, whose limit is
first the deadline to send the copy to the respondent and, once served, the respondent's answer
deadline (Arts. 30, 31, 48, 54, 62). Everything the engine owns — number, clock, stages,
suspensions, extensions, closing — goes through `fazhi.cases.services`; these functions keep the
legal facts and check the statutory rules. Dates passed in are the days things happened (a
clerk may record yesterday's service today; an import records years of history).
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from fazhi.cases import permissions as case_permissions
from fazhi.cases import services as cases
from fazhi.cases.models import Case, CaseType, Notice
from fazhi.cases.selectors import cases_visible_to
from fazhi.core import audit, crypto, uploads
from fazhi.core.calendar import CalendarRangeError
from fazhi.core.deadlines import ClockState, add_period, clock_state, due_date
from fazhi.legal import catalogue, documents, permissions
from fazhi.legal.models import (
    HEAD_CAPACITIES,
    ActCategory,
    AnswerFile,
    Attendance,
    Attendee,
    CourtHearing,
    Defendant,
    DocumentKind,
    DocumentSequence,
    DocumentTemplate,
    FollowUp,
    Hearing,
    JudgmentType,
    Lawsuit,
    LegalDocument,
    Outcome,
    PartyKind,
    Procedure,
    Reconsideration,
    ReconsiderationBody,
    RespondentAnswer,
)
from fazhi.legal.selectors import reconsiderations_visible_to
from fazhi.org.models import Role, Unit, User
from fazhi.org.permissions import has_role

RECONSIDERATION = "reconsideration"
LITIGATION = "litigation"
JUDICIAL_SUGGESTION = "judicial_suggestion"
MIN_SUMMARY_CHARS = 5


# --- helpers -------------------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _at(day: date, case: Case | None = None) -> datetime:
    """The moment recorded for something done on `day`: now if today, else noon (not before receipt)."""
    if day >= _today():
        return timezone.now()
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    return max(moment, case.received_at) if case is not None else moment


def _check_day(
    errors: dict,
    field: str,
    value: date | None,
    label: str,
    *,
    after: date | None = None,
    after_label: str = "",
    required: bool = True,
) -> None:
    if value is None:
        if required:
            errors[field] = f"请填写{label}。"
        return
    if value > _today():
        errors[field] = f"{label}不能晚于今天。"
    elif after is not None and value < after:
        errors[field] = f"{label}不能早于{after_label}（{after:%Y-%m-%d}）。"


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _case_type(code: str) -> CaseType:
    return CaseType.objects.get(code=code)


def _snapshot(rec: Reconsideration) -> dict:
    """What the audit trail keeps of a reconsideration: never the applicant's name or numbers."""
    return {
        "case": rec.case_id,
        "respondent": rec.respondent_id,
        "act_category": rec.act_category,
        "acceptance": rec.acceptance,
        "accepted_on": rec.accepted_on.isoformat() if rec.accepted_on else None,
        "procedure": rec.procedure,
        "copy_served_on": rec.copy_served_on.isoformat() if rec.copy_served_on else None,
        "answer_received_on": rec.answer_received_on.isoformat() if rec.answer_received_on else None,
        "outcome": rec.outcome,
        "outcome_ground": rec.outcome_ground,
        "decided_on": rec.decided_on.isoformat() if rec.decided_on else None,
    }


def _require_handler(actor: User, rec: Reconsideration) -> None:
    if not permissions.can_handle_reconsideration(actor, rec):
        raise PermissionDenied("只有行政复议机构的承办人员可以办理该行政复议案件。")


def _require_running(rec: Reconsideration) -> None:
    if rec.case.status == Case.Status.CLOSED:
        raise ValidationError(f"案件{rec.case.number}已结案。")


def _require_pending(rec: Reconsideration) -> None:
    _require_running(rec)
    if rec.acceptance != Reconsideration.Acceptance.PENDING:
        raise ValidationError(f"该申请已{rec.get_acceptance_display()}，不在受理审查阶段。")


def _require_accepted(rec: Reconsideration) -> None:
    _require_running(rec)
    if not rec.is_accepted:
        raise ValidationError("该申请尚未受理。")


def _save(rec: Reconsideration, *fields: str) -> None:
    rec.save(update_fields=[*fields, "updated_at"])


# --- 行政复议: the body ----------------------------------------------------------------------------------


@transaction.atomic
def reconsideration_body_create(
    *, actor: User, unit: Unit, authority: Unit, document_prefix: str
) -> ReconsiderationBody:
    """Register a 行政复议机构 (e.g. 市司法局) acting for its 行政复议机关 (the 人民政府)."""
    if not has_role(actor, Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有系统管理员可以设置行政复议机构。")
    errors: dict[str, str] = {}
    if not unit.is_active:
        errors["unit"] = f"{unit.name}已{unit.get_status_display()}。"
    elif ReconsiderationBody.objects.filter(unit=unit).exists():
        errors["unit"] = f"{unit.name}已是行政复议机构。"
    if not authority.is_active:
        errors["authority"] = f"{authority.name}已{authority.get_status_display()}。"
    prefix = (document_prefix or "").strip()
    if not prefix or len(prefix) > 20:
        errors["document_prefix"] = "请填写不超过20个字的文书字号前缀，如“明政复”。"
    _raise(errors)
    body = ReconsiderationBody.objects.create(unit=unit, authority=authority, document_prefix=prefix)
    audit.record(
        actor=actor,
        action="legal.body_created",
        target=body,
        after={"unit": unit.pk, "authority": authority.pk, "prefix": prefix},
    )
    return body


# --- 行政复议: application and acceptance ----------------------------------------------------------------


@transaction.atomic
def reconsideration_register(
    *,
    actor: User,
    body: ReconsiderationBody,
    respondent: Unit | None,
    received_at: datetime,
    channel: str,
    applicant_kind: str,
    act_name: str,
    act_category: str,
    claims: str,
    applicant_name: str = "",
    applicant_org: str = "",
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_count: int = 1,
    agent: str = "",
    third_party: str = "",
    act_number: str = "",
    act_date: date | None = None,
    known_on: date | None = None,
    real_property: bool = False,
    facts: str = "",
    normative_review: str = "",
) -> Reconsideration:
    """收到申请: register the application; the 5-working-day acceptance review starts (Art. 30)."""
    if not permissions.can_register_reconsideration(actor, body):
        raise PermissionDenied("只有行政复议机构的承办人员可以登记行政复议申请。")
    applicant_name, applicant_org = (applicant_name or "").strip(), (applicant_org or "").strip()
    errors: dict[str, str] = {}
    if channel not in Reconsideration.Channel.values:
        errors["channel"] = "请选择申请方式。"
    if applicant_kind not in PartyKind.values:
        errors["applicant_kind"] = "请选择申请人类型：公民、法人或者其他组织。"
    elif applicant_kind == PartyKind.PERSON and not applicant_name:
        errors["applicant_name"] = "申请人为公民的，请填写姓名。"
    elif applicant_kind != PartyKind.PERSON and not applicant_org:
        errors["applicant_org"] = "申请人为法人或者其他组织的，请填写名称。"
    if applicant_id_number and not crypto.normalise(applicant_id_number, "id_number").isalnum():
        errors["applicant_id_number"] = "身份证件号码只能包含数字和字母。"
    if applicant_count < 1:
        errors["applicant_count"] = "申请人人数至少为1。"
    if respondent is None:
        errors["respondent"] = "请选择被申请人。"
    elif respondent.pk == body.unit_id or respondent.pk == body.authority_id:
        errors["respondent"] = "被申请人不能是本行政复议机关或机构自身，请向上一级行政复议机关申请。"
    if not (act_name or "").strip():
        errors["act_name"] = "请写明被申请行政复议的行政行为。"
    if act_category not in ActCategory.values:
        errors["act_category"] = "请选择行政行为类别（行政复议法第十一条）。"
    if len((claims or "").strip()) < MIN_SUMMARY_CHARS:
        errors["claims"] = f"请写明具体的行政复议请求（不少于{MIN_SUMMARY_CHARS}个字）。"
    if received_at is None or timezone.localdate(received_at) > _today():
        errors["received_at"] = "收到申请的时间不能晚于今天。"
    else:
        received = timezone.localdate(received_at)
        for field, value, label in (
            ("act_date", act_date, "行政行为作出日期"),
            ("known_on", known_on, "知道之日"),
        ):
            if value is not None and value > received:
                errors[field] = f"{label}不能晚于收到申请的日期。"
        if act_date and known_on and known_on < act_date:
            errors["known_on"] = "知道该行政行为之日不能早于其作出日期。"
    _raise(errors)
    display = applicant_org or crypto.mask(applicant_name, "name")
    case = cases.case_open(
        case_type=_case_type(RECONSIDERATION),
        title=f"{display}不服{respondent.name}{act_name.strip()}申请行政复议"[:200],
        description=claims.strip(),
        handling_unit=body.unit,
        actor=actor,
        received_at=received_at,
        period=catalogue.REVIEW_PERIOD,
    )
    rec = Reconsideration.objects.create(
        case=case,
        body=body,
        channel=channel,
        applicant_kind=applicant_kind,
        applicant_name=applicant_name if applicant_kind == PartyKind.PERSON else "",
        applicant_org=applicant_org if applicant_kind != PartyKind.PERSON else "",
        applicant_id_number=crypto.normalise(applicant_id_number, "id_number") if applicant_id_number else "",
        applicant_phone=crypto.normalise(applicant_phone, "phone") if applicant_phone else "",
        applicant_count=applicant_count,
        agent=(agent or "").strip()[:100],
        third_party=(third_party or "").strip()[:100],
        respondent=respondent,
        act_name=act_name.strip()[:200],
        act_number=(act_number or "").strip()[:100],
        act_category=act_category,
        act_date=act_date,
        known_on=known_on,
        real_property=real_property,
        claims=claims.strip(),
        facts=(facts or "").strip(),
        normative_review=(normative_review or "").strip()[:200],
        review_due=case.due_date,
    )
    audit.record(actor=actor, action="legal.reconsideration_registered", target=rec, after=_snapshot(rec))
    return rec


def application_time_problems(rec: Reconsideration) -> list[str]:
    """Art. 20 (60 days from knowing the act) and Art. 21 (5 / 20 years from the act): warnings the
    clerk weighs before accepting; an obstacle (不可抗力) may have suspended the 60 days."""
    problems = []
    received = timezone.localdate(rec.case.received_at)
    if rec.known_on:
        limit = add_period(rec.known_on, catalogue.APPLICATION_PERIOD)
        if received > limit:
            problems.append(
                f"自知道该行政行为之日（{rec.known_on:%Y-%m-%d}）起已超过60日（至{limit:%Y-%m-%d}），"
                "请核实是否有正当理由耽误申请期限（第二十条）。"
            )
    if rec.act_date:
        years = catalogue.ABSOLUTE_BAR_YEARS["real_property" if rec.real_property else "other"]
        limit = add_period(rec.act_date, f"{years * 12}m")
        if received > limit:
            problems.append(f"自行政行为作出之日起已超过{years}年，依法不予受理（第二十一条）。")
    return problems


@transaction.atomic
def correction_request(
    *,
    reconsideration: Reconsideration,
    actor: User,
    items: str,
    notified_on: date,
    served_on: date | None = None,
) -> Reconsideration:
    """补正: one notice listing everything, within 5 working days of receipt; the review clock stops
    and the applicant has 10 working days from service (Art. 31)."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_pending(rec)
    if rec.correction_notified_on:
        raise ValidationError("补正通知应当一次性载明需要补正的全部事项（第三十一条），本案已经通知过补正。")
    if rec.case.status == Case.Status.SUSPENDED:
        raise ValidationError("案件处于中止状态。")
    served_on = served_on or notified_on
    received = timezone.localdate(rec.case.received_at)
    errors: dict[str, str] = {}
    if len((items or "").strip()) < MIN_SUMMARY_CHARS:
        errors["items"] = "请逐项写明需要补正的事项。"
    _check_day(errors, "notified_on", notified_on, "补正通知日期", after=received, after_label="收到申请日期")
    _check_day(errors, "served_on", served_on, "送达日期", after=notified_on, after_label="通知日期")
    if "notified_on" not in errors:
        limit = due_date(start=received, period=catalogue.CORRECTION_NOTICE_PERIOD, roll_forward=True)
        if notified_on > limit:
            errors["notified_on"] = (
                f"补正通知应当自收到申请之日起五个工作日内发出（第三十一条），期限为{limit:%Y-%m-%d}；"
                "逾期未通知补正的，审查期限届满即视为受理。"
            )
    _raise(errors)
    before = _snapshot(rec)
    cases.case_suspend(
        case=rec.case,
        actor=actor,
        kind="correction",
        reason=f"通知申请人补正：{items.strip()[:200]}",
        on=notified_on,
    )
    rec.correction_items = items.strip()
    rec.correction_notified_on = notified_on
    rec.correction_due = due_date(start=served_on, period=catalogue.CORRECTION_PERIOD, roll_forward=True)
    _save(rec, "correction_items", "correction_notified_on", "correction_due")
    audit.record(
        actor=actor,
        action="legal.correction_requested",
        target=rec,
        before=before,
        after={**_snapshot(rec), "correction_due": rec.correction_due.isoformat()},
    )
    return rec


def _require_correction_pending(rec: Reconsideration) -> None:
    _require_pending(rec)
    if not rec.correction_notified_on or rec.correction_received_on:
        raise ValidationError("本案没有等待补正的材料。")


@transaction.atomic
def correction_extend(
    *, reconsideration: Reconsideration, actor: User, due: date, reason: str
) -> Reconsideration:
    """有正当理由不能按期补正的，可以延长合理的补正期限 (Art. 31)."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_correction_pending(rec)
    errors: dict[str, str] = {}
    if due is None or due <= rec.correction_due:
        errors["due"] = f"延长后的补正期限应晚于原期限{rec.correction_due:%Y-%m-%d}。"
    if len((reason or "").strip()) < MIN_SUMMARY_CHARS:
        errors["reason"] = "请写明申请人不能按期补正的正当理由。"
    _raise(errors)
    previous = rec.correction_due
    rec.correction_due = due
    _save(rec, "correction_due")
    cases.case_comment(
        case=rec.case,
        actor=actor,
        note=f"补正期限由{previous:%Y-%m-%d}延长至{due:%Y-%m-%d}：{reason.strip()}",
    )
    audit.record(
        actor=actor,
        action="legal.correction_extended",
        target=rec,
        before={"correction_due": previous.isoformat()},
        after={"correction_due": due.isoformat()},
    )
    return rec


@transaction.atomic
def correction_receive(
    *, reconsideration: Reconsideration, actor: User, received_on: date
) -> Reconsideration:
    """收到补正材料: the clock resumes and the 5-day review starts afresh from that day (Art. 31)."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_correction_pending(rec)
    errors: dict[str, str] = {}
    _check_day(
        errors,
        "received_on",
        received_on,
        "收到补正材料日期",
        after=rec.correction_notified_on,
        after_label="补正通知日期",
    )
    if not errors and received_on > rec.correction_due:
        errors["received_on"] = (
            f"补正期限已于{rec.correction_due:%Y-%m-%d}届满。申请人有正当理由的，请先延长补正期限；"
            "无正当理由逾期不补正的，应记录为视为放弃行政复议申请（第三十一条）。"
        )
    _raise(errors)
    before = _snapshot(rec)
    cases.case_resume(case=rec.case, actor=actor, on=received_on, note="收到补正材料，恢复计时")
    cases.case_restart_clock(
        case=rec.case,
        actor=actor,
        start=received_on,
        period=catalogue.REVIEW_PERIOD,
        note="收到补正材料，重新进行受理审查（第三十一条）",
        stage="review",
    )
    rec.correction_received_on = received_on
    rec.review_due = rec.case.due_date
    _save(rec, "correction_received_on", "review_due")
    audit.record(
        actor=actor, action="legal.correction_received", target=rec, before=before, after=_snapshot(rec)
    )
    return rec


@transaction.atomic
def correction_abandon(
    *, reconsideration: Reconsideration, actor: User, on: date | None = None
) -> Reconsideration:
    """无正当理由逾期不补正的，视为申请人放弃行政复议申请，并记录在案 (Art. 31)."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_correction_pending(rec)
    on = on or _today()
    if on <= rec.correction_due:
        raise ValidationError({"on": f"补正期限{rec.correction_due:%Y-%m-%d}尚未届满。"})
    if on > _today():
        raise ValidationError({"on": "日期不能晚于今天。"})
    before = _snapshot(rec)
    cases.case_resume(case=rec.case, actor=actor, on=on, note="补正期限届满")
    cases.case_close(
        case=rec.case,
        actor=actor,
        closed_at=_at(on, rec.case),
        note="申请人无正当理由逾期不补正，视为放弃行政复议申请（第三十一条）",
    )
    rec.acceptance = Reconsideration.Acceptance.ABANDONED
    _save(rec, "acceptance")
    audit.record(
        actor=actor, action="legal.correction_abandoned", target=rec, before=before, after=_snapshot(rec)
    )
    return rec


def _decision_period(rec: Reconsideration, procedure: str) -> str:
    return rec.case.case_type.period if procedure == Procedure.NORMAL else catalogue.SIMPLE_DECISION_PERIOD


def _start_decision_clock(rec: Reconsideration, actor: User | None, *, accepted_on: date, note: str) -> None:
    cases.case_restart_clock(
        case=rec.case,
        actor=actor,
        start=accepted_on,
        period=_decision_period(rec, rec.procedure),
        note=note,
        stage="answer",
        stage_periods={"answer": catalogue.COPY_PERIOD[rec.procedure]},
    )
    rec.copy_due = rec.case.stage_due_date


@transaction.atomic
def reconsideration_accept(
    *,
    reconsideration: Reconsideration,
    actor: User,
    accepted_on: date,
    procedure: str = Procedure.NORMAL,
    simple_ground: str = "",
) -> Reconsideration:
    """受理: the decision period runs from acceptance (Art. 62). Past the review deadline the law has
    already accepted the application on the deadline (Art. 30), and that is what is recorded."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_pending(rec)
    if rec.case.status == Case.Status.SUSPENDED:
        raise ValidationError("申请人尚在补正，请先登记收到补正材料。")
    errors: dict[str, str] = {}
    _check_day(
        errors, "accepted_on", accepted_on, "受理日期", after=rec.case.start_date, after_label="审查起算日"
    )
    if procedure not in Procedure.values:
        errors["procedure"] = "请选择普通程序或简易程序。"
    elif procedure == Procedure.SIMPLE and simple_ground not in dict(catalogue.SIMPLE_GROUNDS):
        errors["simple_ground"] = "适用简易程序的，请选择第五十三条规定的情形。"
    _raise(errors)
    before = _snapshot(rec)
    deemed = accepted_on > rec.review_due
    rec.acceptance = Reconsideration.Acceptance.DEEMED if deemed else Reconsideration.Acceptance.ACCEPTED
    rec.accepted_on = rec.review_due if deemed else accepted_on
    rec.procedure = procedure
    rec.simple_ground = simple_ground if procedure == Procedure.SIMPLE else ""
    note = (
        f"审查期限{rec.review_due:%Y-%m-%d}届满未作出不予受理决定，视为受理（第三十条第二款）"
        if deemed
        else f"决定受理，适用{rec.get_procedure_display()}"
    )
    _start_decision_clock(rec, actor, accepted_on=rec.accepted_on, note=note)
    _save(rec, "acceptance", "accepted_on", "procedure", "simple_ground", "copy_due")
    audit.record(actor=actor, action="legal.accepted", target=rec, before=before, after=_snapshot(rec))
    return rec


@transaction.atomic
def reconsideration_reject(
    *,
    reconsideration: Reconsideration,
    actor: User,
    rejected_on: date,
    ground: str,
    reason: str = "",
    competent_body: str = "",
) -> Reconsideration:
    """不予受理, within the review period, naming the competent body when it is not ours (Art. 30)."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_pending(rec)
    if rec.case.status == Case.Status.SUSPENDED:
        raise ValidationError("申请人尚在补正，补正期限届满未补正的应记录为视为放弃申请。")
    errors: dict[str, str] = {}
    _check_day(
        errors, "rejected_on", rejected_on, "决定日期", after=rec.case.start_date, after_label="审查起算日"
    )
    if "rejected_on" not in errors and rejected_on > rec.review_due:
        errors["rejected_on"] = (
            f"审查期限已于{rec.review_due:%Y-%m-%d}届满，依法视为受理（第三十条第二款）；"
            "受理后发现不符合受理条件的，应当决定驳回行政复议申请（第三十三条）。"
        )
    if ground not in dict(catalogue.REJECTION_GROUNDS):
        errors["ground"] = "请选择不予受理的理由（第三十条第一款所列受理条件）。"
    elif ground == catalogue.NOT_COMPETENT and not (competent_body or "").strip():
        errors["competent_body"] = (
            "不属于本机关管辖的，应当在不予受理决定中告知有管辖权的行政复议机关（第三十条第二款）。"
        )
    _raise(errors)
    before = _snapshot(rec)
    rec.acceptance = Reconsideration.Acceptance.REJECTED
    rec.rejection_ground, rec.rejection_reason = ground, (reason or "").strip()
    rec.competent_body = (competent_body or "").strip()[:100]
    label = dict(catalogue.REJECTION_GROUNDS)[ground]
    cases.case_close(
        case=rec.case, actor=actor, closed_at=_at(rejected_on, rec.case), note=f"决定不予受理：{label}"
    )
    _save(rec, "acceptance", "rejection_ground", "rejection_reason", "competent_body")
    audit.record(actor=actor, action="legal.rejected", target=rec, before=before, after=_snapshot(rec))
    return rec


def lapsed_reviews_sweep(*, today: date | None = None) -> dict[str, int]:
    """视为受理: every application whose review period ended without a decision is accepted on the
    last day of that period (Art. 30(2)), by 普通程序. Idempotent; run daily by `fazhi sweep` (or `fazhi legal_sweep`)."""
    today = today or _today()
    done = {"deemed": 0, "skipped": 0}
    lapsed = Reconsideration.objects.filter(
        acceptance=Reconsideration.Acceptance.PENDING, review_due__lt=today, case__status=Case.Status.OPEN
    ).select_related("case__case_type")
    for rec in lapsed.iterator(chunk_size=200):
        try:
            with transaction.atomic():
                before = _snapshot(rec)
                rec.acceptance, rec.accepted_on = Reconsideration.Acceptance.DEEMED, rec.review_due
                rec.procedure = Procedure.NORMAL
                _start_decision_clock(
                    rec,
                    None,
                    accepted_on=rec.review_due,
                    note=f"审查期限{rec.review_due:%Y-%m-%d}届满未作出不予受理决定，视为受理（第三十条第二款）",
                )
                _save(rec, "acceptance", "accepted_on", "procedure", "copy_due")
                audit.record(
                    actor=None,
                    action="legal.deemed_accepted",
                    target=rec,
                    before=before,
                    after=_snapshot(rec),
                )
        except CalendarRangeError:
            done["skipped"] += 1  # the decision period runs past the loaded calendar: load next year first
            continue
        done["deemed"] += 1
    return done


# --- 行政复议: review ---------------------------------------------------------------------------------


@transaction.atomic
def copy_serve(*, reconsideration: Reconsideration, actor: User, served_on: date) -> Reconsideration:
    """The respondent received the copy of the application; its answer period runs from that day."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_accepted(rec)
    if rec.copy_served_on:
        raise ValidationError("已登记被申请人收到申请书副本。")
    errors: dict[str, str] = {}
    _check_day(errors, "served_on", served_on, "送达日期", after=rec.accepted_on, after_label="受理日期")
    _raise(errors)
    before = _snapshot(rec)
    late = f"（超过发送期限{rec.copy_due:%Y-%m-%d}）" if rec.copy_due and served_on > rec.copy_due else ""
    cases.case_advance(
        case=rec.case,
        actor=actor,
        to_stage="answer",
        on=served_on,
        period=catalogue.ANSWER_PERIOD[rec.procedure],
        note=f"被申请人于{served_on:%Y-%m-%d}收到答复通知书和申请书副本{late}",
    )
    rec.copy_served_on, rec.answer_due = served_on, rec.case.stage_due_date
    _save(rec, "copy_served_on", "answer_due")
    if rec.answer_due >= _today():  # not for history recorded after the period has passed
        _notify_unit(
            unit=rec.respondent,
            case=None,
            title=f"行政复议答复通知：{rec.case.number}，请于{rec.answer_due:%Y-%m-%d}前在“复议应诉”提交书面答复和证据材料",
            key=f"legal.answer_due:{rec.pk}",
        )
    audit.record(actor=actor, action="legal.copy_served", target=rec, before=before, after=_snapshot(rec))
    return rec


@transaction.atomic
def answer_receive(
    *, reconsideration: Reconsideration, actor: User, received_on: date | None, note: str = ""
) -> Reconsideration:
    """收到答复 (or, with `received_on=None`, the answer period ended without one: Art. 70 applies)."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_accepted(rec)
    if not rec.copy_served_on:
        raise ValidationError("请先登记被申请人收到申请书副本的日期。")
    if rec.answer_received_on or rec.case.stage.code != "answer":
        raise ValidationError("本案已进入审理。")
    errors: dict[str, str] = {}
    if received_on is None:
        if _today() <= rec.answer_due:
            errors["received_on"] = f"答复期限{rec.answer_due:%Y-%m-%d}尚未届满。"
        text = f"被申请人未在答复期限{rec.answer_due:%Y-%m-%d}内提出书面答复（第七十条），进入审理"
    else:
        _check_day(
            errors,
            "received_on",
            received_on,
            "收到答复日期",
            after=rec.copy_served_on,
            after_label="送达日期",
        )
        late = f"，已超过答复期限{rec.answer_due:%Y-%m-%d}" if received_on > rec.answer_due else ""
        text = f"收到被申请人书面答复及证据材料{late}，进入审理"
    _raise(errors)
    before = _snapshot(rec)
    cases.case_advance(
        case=rec.case,
        actor=actor,
        to_stage="hearing",
        # without an answer the case goes to review the day after the answer period ended
        on=received_on or rec.answer_due + timedelta(days=1),
        note=f"{text}。{note.strip()}" if note and note.strip() else text,
    )
    rec.answer_received_on = received_on
    _save(rec, "answer_received_on")
    audit.record(actor=actor, action="legal.answer_received", target=rec, before=before, after=_snapshot(rec))
    return rec


def answered_late(rec: Reconsideration) -> bool | None:
    """None until the answer period has ended; then whether the answer was missing or late
    (an answer submitted online counts from the day it was submitted, before the clerk signs)."""
    if rec.answer_due is None:
        return None
    if rec.answer_received_on is not None:
        return rec.answer_received_on > rec.answer_due
    submitted = submitted_answer(rec)
    if submitted is not None:
        return timezone.localdate(submitted.submitted_at) > rec.answer_due
    return True if _today() > rec.answer_due else None


def submitted_answer(rec: Reconsideration) -> RespondentAnswer | None:
    try:
        return rec.respondent_answer
    except RespondentAnswer.DoesNotExist:
        return None


def _notify_unit(
    *, unit: Unit, case: Case | None, title: str, key: str, kind: str = Notice.Kind.ASSIGNED
) -> bool:
    # Once per key, however often it is called; a notice without a case link for a unit that may
    # not open the engine's case page (the respondent reads the case on the 复议应诉 pages).
    _notice, created = Notice.objects.get_or_create(
        key=key, defaults={"unit": unit, "case": case, "kind": kind, "title": title[:200]}
    )
    return created


def answer_reminders_sweep(*, today: date | None = None) -> dict[str, int]:
    """临期/超期 reminders of the answer deadline in the respondent's own inbox (the engine reminds
    the body, which handles the case). Once per case and deadline; run daily by `fazhi sweep`."""
    today = today or _today()
    sent = {"due_soon": 0, "overdue": 0}
    waiting = Reconsideration.objects.filter(
        copy_served_on__isnull=False,
        answer_received_on__isnull=True,
        respondent_answer__isnull=True,
        case__status=Case.Status.OPEN,
        case__stage__code="answer",
    ).select_related("case", "respondent")
    for rec in waiting.iterator(chunk_size=200):
        state = clock_state(today=today, due=rec.answer_due, suspended=False, extended=False, closed=False)
        if state == ClockState.OVERDUE:
            kind, what = Notice.Kind.OVERDUE, f"已超过答复期限{rec.answer_due:%Y-%m-%d}，尚未提交书面答复"
        elif state == ClockState.DUE_SOON:
            kind, what = Notice.Kind.DUE_SOON, f"答复期限{rec.answer_due:%Y-%m-%d}临近，请及时提交书面答复"
        else:
            continue
        if _notify_unit(
            unit=rec.respondent,
            case=None,
            kind=kind,
            title=f"行政复议{rec.case.number}：{what}（在“复议应诉”提交）",
            key=f"legal.answer_{kind}:{rec.pk}:{rec.answer_due:%Y%m%d}",
        ):
            sent[kind] += 1
    return sent


MIN_ANSWER_CHARS = 10


@transaction.atomic
def answer_submit(
    *, reconsideration: Reconsideration, actor: User, text: str, files: Sequence[UploadedFile]
) -> RespondentAnswer:
    """被申请人网上答复: the respondent's staff submit the written answer and the evidence; the day
    of submission is the day the body received it, so its lateness is judged on that day."""
    rec = reconsideration
    if not permissions.can_answer(actor, rec):
        raise PermissionDenied("只有被申请人单位的承办人员可以提交答复。")
    _require_accepted(rec)
    if not rec.copy_served_on:
        raise ValidationError("复议机构尚未登记送达答复通知书，暂不能提交答复。")
    if submitted_answer(rec) is not None:
        raise ValidationError("本案答复已提交，不能重复提交。")
    if rec.answer_received_on or rec.case.stage.code != "answer":
        raise ValidationError("本案已进入审理，复议机构不再接收网上答复。")
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if len(text) < MIN_ANSWER_CHARS:
        errors["text"] = f"请填写答复意见（不少于{MIN_ANSWER_CHARS}字）：作出行政行为的事实、依据和理由。"
    if not files:
        errors["files"] = "请上传书面答复书和作出行政行为的证据、依据材料（第四十八条）。"
    for upload in files:
        problem = uploads.upload_problem(
            upload, allowed=uploads.DOCUMENTS, max_bytes=cases.MAX_ATTACHMENT_BYTES
        )
        if problem:
            errors["files"] = problem
    _raise(errors)
    answer = RespondentAnswer.objects.create(
        reconsideration=rec, unit=rec.respondent, text=text, submitted_at=timezone.now(), submitted_by=actor
    )
    kept = []
    for upload in files:
        sha256 = uploads.sha256_of(upload)
        stored = AnswerFile(answer=answer, name=upload.name[:200], size=upload.size, sha256=sha256)
        stored.file.save(f"{sha256[:16]}-{upload.name[-80:]}", upload, save=False)
        stored.save()
        kept.append({"name": stored.name, "sha256": stored.sha256})
    day = timezone.localdate(answer.submitted_at)
    late = f"，已超过答复期限{rec.answer_due:%Y-%m-%d}" if day > rec.answer_due else ""
    _notify_unit(
        unit=rec.case.handling_unit,
        case=rec.case,
        title=f"被申请人网上答复：{rec.case.number} {rec.respondent.name}已提交书面答复和{len(kept)}份材料{late}，请签收",
        key=f"legal.answer_submitted:{rec.pk}",
    )
    audit.record(
        actor=actor,
        action="legal.answer_submitted",
        target=rec,
        after={"submitted_on": day.isoformat(), "answer_due": rec.answer_due.isoformat(), "files": kept},
    )
    return answer


@transaction.atomic
def hearing_schedule(
    *,
    reconsideration: Reconsideration,
    actor: User,
    kind: str,
    scheduled_at: datetime,
    place: str,
    notice_sent_on: date | None = None,
) -> Hearing:
    """听证 (notice at least 5 working days before, Art. 51) or 听取意见 (Art. 49)."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_accepted(rec)
    errors: dict[str, str] = {}
    if kind not in Hearing.Kind.values:
        errors["kind"] = "请选择听证或听取意见。"
    if scheduled_at is None:
        errors["scheduled_at"] = "请填写时间。"
    elif timezone.localdate(scheduled_at) < rec.accepted_on:
        errors["scheduled_at"] = "听证时间不能早于受理日期。"
    if not (place or "").strip():
        errors["place"] = "请填写地点或方式（当面、互联网、电话）。"
    if kind == Hearing.Kind.HEARING and scheduled_at is not None:
        if notice_sent_on is None:
            errors["notice_sent_on"] = "组织听证的，应当书面通知当事人，请填写通知日期。"
        else:
            earliest = add_period(notice_sent_on, catalogue.HEARING_NOTICE_PERIOD)
            if timezone.localdate(scheduled_at) < earliest:
                errors["scheduled_at"] = (
                    f"听证通知应当于举行听证的五日前送达当事人（第五十一条）；按{notice_sent_on:%Y-%m-%d}通知，"
                    f"听证最早可安排在{earliest:%Y-%m-%d}。"
                )
    _raise(errors)
    hearing = Hearing.objects.create(
        reconsideration=rec,
        kind=kind,
        scheduled_at=scheduled_at,
        place=place.strip()[:200],
        notice_sent_on=notice_sent_on,
        created_by=actor,
    )
    cases.case_comment(
        case=rec.case,
        actor=actor,
        note=f"安排{hearing.get_kind_display()}：{timezone.localtime(scheduled_at):%Y-%m-%d %H:%M}，{hearing.place}",
    )
    audit.record(
        actor=actor, action="legal.hearing_scheduled", target=rec, after={"hearing": hearing.pk, "kind": kind}
    )
    return hearing


@transaction.atomic
def hearing_conclude(*, hearing: Hearing, actor: User, status: str, minutes: str) -> Hearing:
    rec = hearing.reconsideration
    _require_handler(actor, rec)
    if hearing.status != Hearing.Status.SCHEDULED:
        raise ValidationError(f"该{hearing.get_kind_display()}已{hearing.get_status_display()}。")
    if status not in (Hearing.Status.HELD, Hearing.Status.CANCELLED):
        raise ValidationError({"status": "请选择已举行或已取消。"})
    if status == Hearing.Status.HELD and timezone.localdate(hearing.scheduled_at) > _today():
        raise ValidationError({"status": "尚未到举行时间。"})
    if len((minutes or "").strip()) < MIN_SUMMARY_CHARS:
        raise ValidationError({"minutes": "请简要记录情况（不少于5个字）。"})
    hearing.status, hearing.minutes = status, minutes.strip()
    hearing.save(update_fields=["status", "minutes", "updated_at"])
    audit.record(
        actor=actor,
        action="legal.hearing_concluded",
        target=rec,
        after={"hearing": hearing.pk, "status": status},
    )
    return hearing


@transaction.atomic
def reconsideration_suspend(
    *, reconsideration: Reconsideration, actor: User, ground: str, reason: str, on: date
) -> Reconsideration:
    """中止 on an Art. 39 ground; the clock stops until 恢复."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_accepted(rec)
    if ground not in dict(catalogue.SUSPENSION_GROUNDS):
        raise ValidationError({"ground": "请选择第三十九条规定的中止情形。"})
    errors: dict[str, str] = {}
    _check_day(errors, "on", on, "中止日期", after=rec.accepted_on, after_label="受理日期")
    _raise(errors)
    label = dict(catalogue.SUSPENSION_GROUNDS)[ground].split("（")[0]
    detail = f"：{reason.strip()}" if reason and reason.strip() else ""
    cases.case_suspend(case=rec.case, actor=actor, kind="suspended", reason=f"{label}{detail}"[:300], on=on)
    audit.record(
        actor=actor, action="legal.suspended", target=rec, after={"ground": ground, "on": on.isoformat()}
    )
    return rec


@transaction.atomic
def reconsideration_resume(*, reconsideration: Reconsideration, actor: User, on: date) -> Reconsideration:
    rec = reconsideration
    _require_handler(actor, rec)
    cases.case_resume(case=rec.case, actor=actor, on=on, note="中止的原因消除，恢复审理（第三十九条第二款）")
    audit.record(actor=actor, action="legal.resumed", target=rec, after={"on": on.isoformat()})
    return rec


@transaction.atomic
def reconsideration_extend(
    *, reconsideration: Reconsideration, actor: User, requested_by: User, period: str, reason: str
) -> Reconsideration:
    """情况复杂的，经行政复议机构负责人批准，可以适当延长，最多不超过三十日 (Art. 62); 简易程序 cannot."""
    rec = reconsideration
    if not permissions.can_approve(actor, rec):
        raise PermissionDenied(
            f"延长审理期限须由{rec.case.case_type.get_extension_approver_role_display()}批准。"
        )
    _require_accepted(rec)
    if rec.procedure != Procedure.NORMAL:
        raise ValidationError(
            "适用简易程序的案件不得延长审理期限；情况复杂的，应经批准转为普通程序（第五十五条）。"
        )
    if not permissions.can_handle_reconsideration(requested_by, rec):
        raise ValidationError({"requested_by": "延期申请人应是本案的承办人员。"})
    cases.case_extend(case=rec.case, actor=actor, requested_by=requested_by, period=period, reason=reason)
    audit.record(
        actor=actor,
        action="legal.extended",
        target=rec,
        after={"period": period, "due": rec.case.due_date.isoformat()},
    )
    return rec


@transaction.atomic
def procedure_switch(*, reconsideration: Reconsideration, actor: User, reason: str) -> Reconsideration:
    """简易程序 → 普通程序 with the approver's sign-off (Art. 55): the decision period becomes 60 days
    from acceptance, and the copy / answer limits become 7 / 10 working days."""
    rec = reconsideration
    if not permissions.can_approve(actor, rec):
        raise PermissionDenied("转为普通程序须经行政复议机构负责人批准（第五十五条）。")
    _require_accepted(rec)
    if rec.procedure != Procedure.SIMPLE:
        raise ValidationError("本案已适用普通程序。")
    if len((reason or "").strip()) < MIN_SUMMARY_CHARS:
        raise ValidationError({"reason": "请写明转为普通程序的理由。"})
    before = _snapshot(rec)
    stage_periods = {}
    if rec.copy_served_on is None:
        stage_periods["answer"] = catalogue.COPY_PERIOD[Procedure.NORMAL]
    elif rec.answer_received_on is None and rec.case.stage.code == "answer":
        stage_periods["answer"] = catalogue.ANSWER_PERIOD[Procedure.NORMAL]
    rec.procedure = Procedure.NORMAL
    cases.case_restart_clock(
        case=rec.case,
        actor=actor,
        start=rec.accepted_on,
        period=_decision_period(rec, Procedure.NORMAL),
        note=f"经批准转为普通程序（第五十五条）：{reason.strip()}",
        stage_periods=stage_periods,
    )
    if "answer" in stage_periods:
        if rec.copy_served_on is None:
            rec.copy_due = rec.case.stage_due_date
        else:
            rec.answer_due = rec.case.stage_due_date
    rec.switched_on = _today()
    _save(rec, "procedure", "switched_on", "copy_due", "answer_due")
    audit.record(
        actor=actor, action="legal.procedure_switched", target=rec, before=before, after=_snapshot(rec)
    )
    return rec


# --- 行政复议: decision -------------------------------------------------------------------------------


@transaction.atomic
def reconsideration_decide(
    *,
    reconsideration: Reconsideration,
    actor: User,
    outcome: str,
    ground: str,
    summary: str,
    decided_on: date,
    remake_ordered: bool = False,
) -> Reconsideration:
    """结案: a decision, a 调解书, or 终止 — each on its article and ground; the case closes."""
    rec = reconsideration
    _require_handler(actor, rec)
    _require_accepted(rec)
    if rec.case.status == Case.Status.SUSPENDED:
        raise ValidationError("案件处于中止状态，请先恢复审理（或以中止满六十日为由决定终止前先恢复）。")
    errors: dict[str, str] = {}
    grounds = dict(catalogue.OUTCOME_GROUNDS.get(outcome, []))
    if outcome not in Outcome.values:
        errors["outcome"] = "请选择结案方式。"
    elif ground not in grounds:
        errors["ground"] = (
            f"请选择“{Outcome(outcome).label}”的法定理由（{catalogue.OUTCOME_ARTICLES[outcome]}）。"
        )
    elif ground == "no_answer" and answered_late(rec) is not True:
        errors["ground"] = "被申请人已按期答复，不能以第七十条（未按期答复）为理由。"
    if remake_ordered and outcome not in catalogue.REMAKE_OUTCOMES:
        errors["remake_ordered"] = "只有撤销或者部分撤销时可以责令重新作出行政行为（第六十四条）。"
    if len((summary or "").strip()) < MIN_SUMMARY_CHARS:
        errors["summary"] = "请写明查明的事实和理由（不少于5个字）。"
    _check_day(errors, "decided_on", decided_on, "决定日期", after=rec.accepted_on, after_label="受理日期")
    _raise(errors)
    before = _snapshot(rec)
    rec.outcome, rec.outcome_ground, rec.remake_ordered = outcome, ground, remake_ordered
    rec.decision_summary, rec.decided_on = summary.strip(), decided_on
    label = Outcome(outcome).label + ("并责令重作" if remake_ordered else "")
    cases.case_close(
        case=rec.case,
        actor=actor,
        closed_at=_at(decided_on, rec.case),
        note=f"{label}（《行政复议法》{rec.article}）：{grounds[ground]}",
    )
    _save(rec, "outcome", "outcome_ground", "remake_ordered", "decision_summary", "decided_on")
    audit.record(actor=actor, action="legal.decided", target=rec, before=before, after=_snapshot(rec))
    return rec


@transaction.atomic
def follow_up_issue(
    *,
    reconsideration: Reconsideration,
    actor: User,
    kind: str,
    addressee: Unit,
    content: str,
    period: str = "",
    issued_on: date | None = None,
) -> FollowUp:
    """复议意见书 / 建议书: a case of its own in the addressee's inbox with its own deadline (Art. 76)."""
    rec = reconsideration
    if kind not in FollowUp.Kind.values:
        raise ValidationError({"kind": "请选择意见书或建议书。"})
    if not permissions.can_issue_follow_up(actor, rec, addressee):
        raise PermissionDenied(f"您无权向{addressee.name}制发{FollowUp.Kind(kind).label}。")
    if not rec.is_accepted:
        raise ValidationError("案件受理后才能制发行政复议意见书、建议书。")
    if len((content or "").strip()) < 10:
        raise ValidationError({"content": "请写明发现的问题和意见（不少于10个字）。"})
    issued_on = issued_on or _today()
    errors: dict[str, str] = {}
    _check_day(errors, "issued_on", issued_on, "制发日期", after=rec.accepted_on, after_label="受理日期")
    _raise(errors)
    label = FollowUp.Kind(kind).label
    case = cases.case_open(
        case_type=_case_type(catalogue.FOLLOW_UP_CASE_TYPE),
        title=f"{label}：{rec.case.number}（{rec.act_name}）"[:200],
        description=content.strip(),
        handling_unit=addressee,
        actor=actor,
        received_at=_at(issued_on),
        period=period,
    )
    follow_up = FollowUp.objects.create(
        reconsideration=rec, case=case, kind=kind, addressee=addressee, content=content.strip()
    )
    if case_permissions.can_contribute(actor, rec.case):
        cases.case_comment(
            case=rec.case,
            actor=actor,
            note=f"向{addressee.name}制发{label}（{case.number}），期限{case.due_date:%Y-%m-%d}",
        )
    audit.record(
        actor=actor,
        action="legal.follow_up_issued",
        target=rec,
        after={"follow_up": follow_up.pk, "kind": kind, "case": case.pk},
    )
    return follow_up


@transaction.atomic
def follow_up_reply(*, follow_up: FollowUp, actor: User, reply: str, replied_on: date) -> FollowUp:
    """The addressee reports how it corrected the act; its case closes."""
    if not permissions.can_reply_follow_up(actor, follow_up):
        raise PermissionDenied(f"只有{follow_up.addressee.name}可以报送纠正情况。")
    if follow_up.replied_on:
        raise ValidationError("已报送纠正情况。")
    errors: dict[str, str] = {}
    if len((reply or "").strip()) < 10:
        errors["reply"] = "请写明纠正情况（不少于10个字）。"
    _check_day(
        errors, "replied_on", replied_on, "报送日期", after=follow_up.case.start_date, after_label="收到日期"
    )
    _raise(errors)
    follow_up.reply, follow_up.replied_on = reply.strip(), replied_on
    follow_up.save(update_fields=["reply", "replied_on", "updated_at"])
    cases.case_close(
        case=follow_up.case,
        actor=actor,
        note=f"报送纠正情况：{reply.strip()}",
        closed_at=_at(replied_on, follow_up.case),
    )
    audit.record(
        actor=actor,
        action="legal.follow_up_replied",
        target=follow_up.reconsideration,
        after={"follow_up": follow_up.pk},
    )
    return follow_up


# --- documents -----------------------------------------------------------------------------------------


def _document_subject(case: Case) -> tuple[Reconsideration, FollowUp | None]:
    follow_up = FollowUp.objects.filter(case=case).select_related("reconsideration").first()
    if follow_up is not None:
        return follow_up.reconsideration, follow_up
    rec = Reconsideration.objects.filter(case=case).first()
    if rec is None:
        raise ValidationError("该案件不是行政复议案件。")
    return rec, None


def document_kinds_available(case: Case) -> list[str]:
    """The documents the case's state allows drafting now."""
    rec, follow_up = _document_subject(case)
    if follow_up is not None:
        return [DocumentKind.FOLLOW_UP]
    kinds = []
    if rec.correction_notified_on:
        kinds.append(DocumentKind.CORRECTION_NOTICE)
    if rec.acceptance == Reconsideration.Acceptance.REJECTED:
        kinds.append(DocumentKind.REJECTION_DECISION)
    if rec.is_accepted:
        kinds += [DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.ANSWER_NOTICE]
    if rec.outcome:
        kinds.append(DocumentKind.DECISION)
    return kinds


@transaction.atomic
def document_draft(*, case: Case, kind: str, actor: User) -> LegalDocument:
    """生成草稿: the template filled in from the case; the clerk edits it before issue."""
    rec, follow_up = _document_subject(case)
    if not permissions.can_write_documents(actor, rec, follow_up):
        raise PermissionDenied("只有本案承办人员可以制作文书。")
    if kind not in document_kinds_available(case):
        raise ValidationError(
            {
                "kind": f"案件当前状态不能制作{DocumentKind(kind).label if kind in DocumentKind.values else '该文书'}。"
            }
        )
    existing = LegalDocument.objects.filter(case=case, kind=kind).first()
    if existing is not None:
        raise ValidationError(f"已有{existing.title}（{existing.get_status_display()}），请在原文书上修改。")
    template = DocumentTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise ValidationError(f"尚未配置{DocumentKind(kind).label}模板，请联系系统管理员。")
    document = LegalDocument.objects.create(
        case=case,
        kind=kind,
        title=documents.title_for(kind, template.title, rec, follow_up),
        text=documents.render_text(template.body, documents.context_for(rec, follow_up)),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="legal.document_drafted",
        target=case,
        after={"document": document.pk, "kind": kind},
    )
    return document


def _lock(document: LegalDocument) -> None:
    """Wait for anyone else issuing or editing it, then read it afresh."""
    list(LegalDocument.objects.select_for_update().filter(pk=document.pk).values_list("pk", flat=True))
    document.refresh_from_db()


@transaction.atomic
def document_update(*, document: LegalDocument, actor: User, text: str) -> LegalDocument:
    rec, follow_up = _document_subject(document.case)
    if not permissions.can_write_documents(actor, rec, follow_up):
        raise PermissionDenied("只有本案承办人员可以修改文书。")
    _lock(document)
    if document.status != LegalDocument.Status.DRAFT:
        raise ValidationError(f"{document.title}已签发，不能修改。")
    if len((text or "").strip()) < 20:
        raise ValidationError({"text": "文书正文不少于20个字。"})
    document.text = text.strip()
    document.save(update_fields=["text", "updated_at"])
    audit.record(
        actor=actor, action="legal.document_edited", target=document.case, after={"document": document.pk}
    )
    return document


def _next_document_number(body: ReconsiderationBody, kind: str, year: int, number_format: str) -> str:
    sequence, _ = DocumentSequence.objects.select_for_update().get_or_create(body=body, kind=kind, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return number_format.format(prefix=body.document_prefix, year=year, seq=sequence.last)


@transaction.atomic
def document_issue(*, document: LegalDocument, actor: User, issued_on: date | None = None) -> LegalDocument:
    """签发: number the document, generate the DOCX and keep it as the case's attachment."""
    rec, follow_up = _document_subject(document.case)
    if not permissions.can_write_documents(actor, rec, follow_up):
        raise PermissionDenied("只有本案承办人员可以签发文书。")
    _lock(document)
    if document.status != LegalDocument.Status.DRAFT:
        raise ValidationError(f"{document.title}已于{document.issued_on:%Y-%m-%d}签发（{document.number}）。")
    issued_on = issued_on or _today()
    if issued_on > _today():
        raise ValidationError({"issued_on": "签发日期不能晚于今天。"})
    template = DocumentTemplate.objects.get(kind=document.kind)
    document.number = _next_document_number(rec.body, document.kind, issued_on.year, template.number_format)
    content = documents.render_docx(
        authority=rec.body.authority.name,
        title=document.title,
        number=document.number,
        text=document.text,
        issued_on=issued_on,
    )
    upload = SimpleUploadedFile(f"{document.number}.docx", content, content_type=documents.DOCX_CONTENT_TYPE)
    document.attachment = cases.attachment_add(case=document.case, actor=actor, upload=upload)
    document.status, document.issued_on, document.issued_by = LegalDocument.Status.ISSUED, issued_on, actor
    document.save(update_fields=["number", "attachment", "status", "issued_on", "issued_by", "updated_at"])
    audit.record(
        actor=actor,
        action="legal.document_issued",
        target=document.case,
        after={"document": document.pk, "number": document.number, "sha256": document.attachment.sha256},
    )
    return document


# --- 行政应诉 ----------------------------------------------------------------------------------------------


def _require_lawsuit_runner(actor: User, lawsuit: Lawsuit) -> None:
    if not permissions.can_run_lawsuit(actor, lawsuit):
        raise PermissionDenied("只有被告单位（主办）的承办人员可以办理该应诉案件。")


def _require_lawsuit_open(lawsuit: Lawsuit) -> None:
    if lawsuit.case.status == Case.Status.CLOSED:
        raise ValidationError(f"应诉案件{lawsuit.case.number}已结案。")


REVIEW_AUTHORITY_OUTCOMES = frozenset({Outcome.UPHELD, Outcome.CLAIM_REJECTED, Outcome.APPLICATION_REJECTED})


@transaction.atomic
def lawsuit_register(
    *,
    actor: User,
    defendant: Unit | None,
    court: str,
    instance: str,
    plaintiff_kind: str,
    act_name: str,
    act_category: str,
    filed_on: date,
    complaint_received_on: date,
    court_number: str = "",
    procedure: str = Procedure.NORMAL,
    plaintiff_name: str = "",
    plaintiff_org: str = "",
    plaintiff_count: int = 1,
    co_defendants: Sequence[Unit] = (),
    reconsideration: Reconsideration | None = None,
    appeal_of: Lawsuit | None = None,
) -> Lawsuit:
    """收到起诉状副本: the defence and evidence are due 15 days later (行政诉讼法 Art. 67).

    With `reconsideration` (复议维持), the 复议机关 is a co-defendant (Art. 26) and its 复议机构
    co-handles the defence; `appeal_of` links a 二审/再审 to the lawsuit below."""
    errors: dict[str, str] = {}
    plaintiff_name, plaintiff_org = (plaintiff_name or "").strip(), (plaintiff_org or "").strip()
    if defendant is None:
        errors["defendant"] = "请选择被告单位。"
    if not (court or "").strip():
        errors["court"] = "请填写受理法院。"
    if instance not in Lawsuit.Instance.values:
        errors["instance"] = "请选择审级：一审、二审或再审。"
    elif instance == Lawsuit.Instance.SECOND and appeal_of is None:
        errors["appeal_of"] = "二审案件请关联一审案件。"
    elif instance == Lawsuit.Instance.FIRST and appeal_of is not None:
        errors["appeal_of"] = "一审案件没有原审案件。"
    if procedure not in Procedure.values:
        errors["procedure"] = "请选择普通程序或简易程序。"
    if plaintiff_kind not in PartyKind.values:
        errors["plaintiff_kind"] = "请选择原告类型。"
    elif plaintiff_kind == PartyKind.PERSON and not plaintiff_name:
        errors["plaintiff_name"] = "原告为公民的，请填写姓名。"
    elif plaintiff_kind != PartyKind.PERSON and not plaintiff_org:
        errors["plaintiff_org"] = "原告为法人或者其他组织的，请填写名称。"
    if not (act_name or "").strip():
        errors["act_name"] = "请写明被诉行政行为。"
    if act_category not in ActCategory.values:
        errors["act_category"] = "请选择行政行为类别。"
    _check_day(errors, "filed_on", filed_on, "立案日期")
    _check_day(
        errors,
        "complaint_received_on",
        complaint_received_on,
        "收到起诉状副本日期",
        after=filed_on if "filed_on" not in errors else None,
        after_label="立案日期",
    )
    if (
        court_number
        and Lawsuit.objects.filter(court=court.strip(), court_number=court_number.strip()).exists()
    ):
        errors["court_number"] = f"{court.strip()}的{court_number.strip()}号案件已登记。"
    if reconsideration is not None and reconsideration.outcome not in REVIEW_AUTHORITY_OUTCOMES:
        errors["reconsideration"] = (
            "只有复议机关维持原行政行为（含驳回复议请求、申请）的，复议机关才是共同被告（行政诉讼法第二十六条）。"
        )
    _raise(errors)
    if appeal_of is not None and not permissions.can_handle_lawsuit(actor, appeal_of):
        raise PermissionDenied("您无权查看所关联的原审案件。")
    co_units = [u for u in co_defendants if u.pk != defendant.pk]
    review_unit = None
    if reconsideration is not None:
        if not reconsiderations_visible_to(actor).filter(pk=reconsideration.pk).exists():
            raise PermissionDenied("您无权查看所关联的行政复议案件。")
        review_unit = reconsideration.body.unit
        if review_unit.pk != defendant.pk and review_unit.pk not in {u.pk for u in co_units}:
            co_units.append(review_unit)
    display = plaintiff_org or crypto.mask(plaintiff_name, "name")
    instance_label = Lawsuit.Instance(instance).label
    case = cases.case_open(
        case_type=_case_type(LITIGATION),
        title=f"{display}诉{defendant.name}{act_name.strip()}（{instance_label}）"[:200],
        handling_unit=defendant,
        actor=actor,
        received_at=_at(complaint_received_on),
        co_units=co_units,
    )
    lawsuit = Lawsuit.objects.create(
        case=case,
        court=court.strip()[:100],
        court_number=(court_number or "").strip()[:60],
        instance=instance,
        procedure=procedure,
        plaintiff_kind=plaintiff_kind,
        plaintiff_name=plaintiff_name if plaintiff_kind == PartyKind.PERSON else "",
        plaintiff_org=plaintiff_org if plaintiff_kind != PartyKind.PERSON else "",
        plaintiff_count=max(plaintiff_count, 1),
        act_name=act_name.strip()[:200],
        act_category=act_category,
        filed_on=filed_on,
        complaint_received_on=complaint_received_on,
        defence_due=case.due_date,
        reconsideration=reconsideration,
        appeal_of=appeal_of,
    )
    Defendant.objects.create(lawsuit=lawsuit, unit=defendant, role=Defendant.Role.DEFENDANT)
    for unit in co_defendants:
        if unit.pk != defendant.pk:
            Defendant.objects.get_or_create(
                lawsuit=lawsuit, unit=unit, defaults={"role": Defendant.Role.CO_DEFENDANT}
            )
    if reconsideration is not None:
        Defendant.objects.get_or_create(
            lawsuit=lawsuit,
            unit=reconsideration.body.authority,
            defaults={"role": Defendant.Role.REVIEW_AUTHORITY},
        )
    audit.record(
        actor=actor,
        action="legal.lawsuit_registered",
        target=lawsuit,
        after={
            "case": case.pk,
            "instance": instance,
            "defendant": defendant.pk,
            "reconsideration": reconsideration.pk if reconsideration else None,
        },
    )
    return lawsuit


@transaction.atomic
def defence_file(*, lawsuit: Lawsuit, actor: User, filed_on: date) -> Lawsuit:
    """答辩状和证据已提交; the clock then follows the court's time to decide (Arts. 81, 83, 88)."""
    _require_lawsuit_runner(actor, lawsuit)
    _require_lawsuit_open(lawsuit)
    if lawsuit.defence_filed_on:
        raise ValidationError("已登记提交答辩状。")
    errors: dict[str, str] = {}
    _check_day(
        errors,
        "filed_on",
        filed_on,
        "提交答辩日期",
        after=lawsuit.complaint_received_on,
        after_label="收到起诉状副本日期",
    )
    _raise(errors)
    late = f"（超过答辩期限{lawsuit.defence_due:%Y-%m-%d}）" if filed_on > lawsuit.defence_due else ""
    period = catalogue.COURT_PERIOD[(lawsuit.instance, lawsuit.procedure)]
    cases.case_restart_clock(
        case=lawsuit.case,
        actor=actor,
        start=lawsuit.filed_on,
        period=period,
        stage="trial",
        note=f"{filed_on:%Y-%m-%d}提交答辩状和证据{late}，此后跟踪法院审理期限",
    )
    lawsuit.defence_filed_on = filed_on
    lawsuit.save(update_fields=["defence_filed_on", "updated_at"])
    audit.record(
        actor=actor,
        action="legal.defence_filed",
        target=lawsuit,
        after={"filed_on": filed_on.isoformat(), "late": bool(late)},
    )
    return lawsuit


@transaction.atomic
def court_hearing_add(
    *,
    lawsuit: Lawsuit,
    actor: User,
    held_at: datetime,
    kind: str = CourtHearing.Kind.TRIAL,
    notice_received_on: date | None = None,
    head_summoned: bool = False,
    note: str = "",
) -> CourtHearing:
    if not permissions.can_handle_lawsuit(actor, lawsuit):
        raise PermissionDenied("只有被告单位的承办人员可以登记庭审。")
    errors: dict[str, str] = {}
    if kind not in CourtHearing.Kind.values:
        errors["kind"] = "请选择庭审类型。"
    if held_at is None:
        errors["held_at"] = "请填写开庭时间。"
    elif timezone.localdate(held_at) < lawsuit.filed_on:
        errors["held_at"] = "开庭时间不能早于立案日期。"
    if notice_received_on and held_at and notice_received_on > timezone.localdate(held_at):
        errors["notice_received_on"] = "收到出庭通知日期不能晚于开庭日期。"
    if notice_received_on and notice_received_on > _today():
        errors["notice_received_on"] = "收到出庭通知日期不能晚于今天。"
    _raise(errors)
    hearing = CourtHearing.objects.create(
        lawsuit=lawsuit,
        kind=kind,
        held_at=held_at,
        notice_received_on=notice_received_on,
        head_summoned=head_summoned,
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="legal.court_hearing_added",
        target=lawsuit,
        after={"hearing": hearing.pk, "kind": kind},
    )
    return hearing


def notice_short(hearing: CourtHearing) -> bool:
    """法院通知负责人出庭的，应当在开庭三日前送达出庭通知书 (法释〔2020〕3号 Art. 5)."""
    if not (hearing.head_summoned and hearing.notice_received_on):
        return False
    return (timezone.localdate(hearing.held_at) - hearing.notice_received_on).days < 3


@transaction.atomic
def attendance_record(
    *,
    hearing: CourtHearing,
    actor: User,
    unit: Unit,
    attendees: Sequence[dict],
    absence_reason: str = "",
    absence_note: str = "",
    proof: UploadedFile | None = None,
) -> Attendance:
    """Who appeared for a defendant at one hearing; without a 负责人, the reason and its proof
    (法释〔2020〕3号 Arts. 8–9). Recording again replaces the earlier record."""
    lawsuit = hearing.lawsuit
    if not permissions.can_handle_lawsuit(actor, lawsuit):
        raise PermissionDenied("只有被告单位的承办人员可以登记出庭情况。")
    if not lawsuit.defendants.filter(unit=unit).exists():
        raise ValidationError({"unit": f"{unit.name}不是本案被告。"})
    if timezone.localdate(hearing.held_at) > _today():
        raise ValidationError("庭审尚未举行。")
    errors: dict[str, str] = {}
    rows = []
    for n, person in enumerate(attendees, start=1):
        name, capacity = (person.get("name") or "").strip(), person.get("capacity", "")
        if not name:
            errors["attendees"] = f"第{n}位出庭人员：请填写姓名。"
        elif capacity not in Attendee.Capacity.values:
            errors["attendees"] = f"第{n}位出庭人员（{name}）：请选择出庭身份。"
        rows.append(Attendee(name=name[:50], post=(person.get("post") or "").strip()[:60], capacity=capacity))
    head_appeared = any(r.capacity in HEAD_CAPACITIES for r in rows)
    if head_appeared and absence_reason:
        errors["absence_reason"] = "负责人已出庭，无需填写未出庭理由。"
    if not head_appeared and absence_reason not in Attendance.AbsenceReason.values:
        errors["absence_reason"] = (
            "负责人未出庭的，请选择理由；没有正当理由的选择“无正当理由”（法释〔2020〕3号第八条）。"
        )
    _raise(errors)
    attendance, _ = Attendance.objects.update_or_create(
        hearing=hearing,
        unit=unit,
        defaults={
            "absence_reason": "" if head_appeared else absence_reason,
            "absence_note": "" if head_appeared else (absence_note or "").strip()[:300],
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    attendance.attendees.all().delete()
    for row in rows:
        row.attendance = attendance
    Attendee.objects.bulk_create(rows)
    if proof is not None and not head_appeared:
        attendance.absence_proof = cases.attachment_add(case=lawsuit.case, actor=actor, upload=proof)
        attendance.save(update_fields=["absence_proof"])
    audit.record(
        actor=actor,
        action="legal.attendance_recorded",
        target=lawsuit,
        after={
            "hearing": hearing.pk,
            "unit": unit.pk,
            "capacities": [r.capacity for r in rows],
            "absence": attendance.absence_reason,
        },
    )
    return attendance


@transaction.atomic
def attendance_link_suggestion(*, attendance: Attendance, actor: User, suggestion_case: Case) -> Attendance:
    """A 司法建议 the court sent because the 负责人 did not appear (法释〔2020〕3号 Art. 12)."""
    lawsuit = attendance.hearing.lawsuit
    if not permissions.can_handle_lawsuit(actor, lawsuit):
        raise PermissionDenied("只有被告单位的承办人员可以关联司法建议。")
    if suggestion_case.case_type.code != JUDICIAL_SUGGESTION:
        raise ValidationError({"suggestion_case": f"{suggestion_case.number}不是司法建议案件。"})
    if not cases_visible_to(actor).filter(pk=suggestion_case.pk).exists():
        raise PermissionDenied("您无权查看该司法建议。")
    attendance.suggestion_case = suggestion_case
    attendance.save(update_fields=["suggestion_case"])
    cases.case_comment(
        case=lawsuit.case, actor=actor, note=f"因负责人未出庭收到司法建议{suggestion_case.number}"
    )
    audit.record(
        actor=actor,
        action="legal.suggestion_linked",
        target=lawsuit,
        after={"attendance": attendance.pk, "suggestion": suggestion_case.pk},
    )
    return attendance


@transaction.atomic
def judgment_record(
    *,
    lawsuit: Lawsuit,
    actor: User,
    judgment_type: JudgmentType,
    judgment_on: date,
    served_on: date,
    summary: str = "",
) -> Lawsuit:
    """裁判: an appealable judgment or ruling opens the appeal window (15 / 10 days from service,
    Art. 85); a final one concludes the lawsuit."""
    _require_lawsuit_runner(actor, lawsuit)
    _require_lawsuit_open(lawsuit)
    if lawsuit.judgment_type_id:
        raise ValidationError("已登记裁判结果。")
    if lawsuit.case.status == Case.Status.SUSPENDED:
        raise ValidationError("案件处于中止状态，请先恢复。")
    errors: dict[str, str] = {}
    if judgment_type is None or not judgment_type.is_active:
        errors["judgment_type"] = "请选择裁判结果。"
    _check_day(errors, "judgment_on", judgment_on, "裁判日期", after=lawsuit.filed_on, after_label="立案日期")
    _check_day(
        errors,
        "served_on",
        served_on,
        "收到裁判文书日期",
        after=judgment_on if "judgment_on" not in errors else None,
        after_label="裁判日期",
    )
    _raise(errors)
    lawsuit.judgment_type, lawsuit.judgment_on, lawsuit.judgment_served_on = (
        judgment_type,
        judgment_on,
        served_on,
    )
    lawsuit.judgment_summary = (summary or "").strip()
    lawsuit.save(
        update_fields=["judgment_type", "judgment_on", "judgment_served_on", "judgment_summary", "updated_at"]
    )
    if appealable(lawsuit):
        cases.case_restart_clock(
            case=lawsuit.case,
            actor=actor,
            start=served_on,
            period=catalogue.APPEAL_PERIOD[judgment_type.kind],
            stage="judgment",
            note=f"收到{judgment_type.name}，上诉期",
        )
    else:
        _conclude(lawsuit, actor, appealed_by=Lawsuit.AppealedBy.NONE, concluded_on=served_on)
    audit.record(
        actor=actor,
        action="legal.judgment_recorded",
        target=lawsuit,
        after={"judgment_type": judgment_type.code, "result": lawsuit.result},
    )
    return lawsuit


NOT_APPEALABLE = frozenset(
    {"ruling_withdrawn", "ruling_withdrawn_after_change", "ruling_terminated", "mediation"}
)


def appealable(lawsuit: Lawsuit) -> bool:
    """A 二审 judgment is final; so are 准予撤诉, 终结诉讼 rulings and 调解书."""
    if lawsuit.instance == Lawsuit.Instance.SECOND or lawsuit.judgment_type is None:
        return False
    return (
        lawsuit.judgment_type.kind != JudgmentType.Kind.MEDIATION
        and lawsuit.judgment_type.code not in NOT_APPEALABLE
    )


def _conclude(lawsuit: Lawsuit, actor: User, *, appealed_by: str, concluded_on: date) -> None:
    text = {
        Lawsuit.AppealedBy.NONE: f"{lawsuit.judgment_type.name}，已发生法律效力",
        Lawsuit.AppealedBy.DEFENDANT: f"{lawsuit.judgment_type.name}，本机关已提起上诉",
        Lawsuit.AppealedBy.PLAINTIFF: f"{lawsuit.judgment_type.name}，原告已提起上诉",
        Lawsuit.AppealedBy.BOTH: f"{lawsuit.judgment_type.name}，双方均已提起上诉",
    }[appealed_by]
    lawsuit.appealed_by, lawsuit.concluded_on = appealed_by, concluded_on
    lawsuit.save(update_fields=["appealed_by", "concluded_on", "updated_at"])
    cases.case_close(case=lawsuit.case, actor=actor, note=text, closed_at=_at(concluded_on, lawsuit.case))


@transaction.atomic
def lawsuit_conclude(*, lawsuit: Lawsuit, actor: User, appealed_by: str, concluded_on: date) -> Lawsuit:
    """After the appeal window: the judgment is effective, or an appeal was lodged (the 二审 is then
    registered as its own lawsuit linked to this one)."""
    _require_lawsuit_runner(actor, lawsuit)
    _require_lawsuit_open(lawsuit)
    if lawsuit.judgment_type_id is None:
        raise ValidationError("请先登记裁判结果。")
    errors: dict[str, str] = {}
    if appealed_by not in Lawsuit.AppealedBy.values:
        errors["appealed_by"] = "请选择上诉情况。"
    _check_day(
        errors,
        "concluded_on",
        concluded_on,
        "结案日期",
        after=lawsuit.judgment_served_on,
        after_label="收到裁判文书日期",
    )
    _raise(errors)
    _conclude(lawsuit, actor, appealed_by=appealed_by, concluded_on=concluded_on)
    audit.record(
        actor=actor, action="legal.lawsuit_concluded", target=lawsuit, after={"appealed_by": appealed_by}
    )
    return lawsuit
