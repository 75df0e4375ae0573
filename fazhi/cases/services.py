"""Writes of the case engine: open, assign, advance, suspend, extend, close, supervise, remind.

Domain apps (hotline, legal casework …) call these and add their own detail on top; they never
change a case's clock or status by hand.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from fazhi.cases import permissions
from fazhi.cases.models import (
    Attachment,
    Case,
    CaseStage,
    CaseType,
    CaseUnit,
    Extension,
    Notice,
    NumberSequence,
    Supervision,
    Suspension,
    TimelineEntry,
)
from fazhi.core import audit, uploads
from fazhi.core.deadlines import ClockState, Period, due_date
from fazhi.org.models import Unit, User

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _today() -> date:
    return timezone.localdate()


def _parse_period(text: str, field: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None


def _snapshot(case: Case) -> dict:
    return {
        "status": case.status,
        "stage": case.stage.code if case.stage_id else "",
        "handling_unit": case.handling_unit_id,
        "due_date": case.due_date.isoformat(),
        "extended": case.extended,
    }


def _log(
    case: Case,
    *,
    actor: User | None,
    action: str,
    note: str = "",
    before: dict | None = None,
    at: datetime | None = None,
    **data,
) -> TimelineEntry:
    before = before or {}
    return TimelineEntry.objects.create(
        case=case,
        at=at or timezone.now(),
        actor=actor,
        action=action,
        from_status=before.get("status", ""),
        to_status=case.status if before else "",
        from_stage=before.get("stage", ""),
        to_stage=(case.stage.code if case.stage_id else "") if before else "",
        note=note,
        data=data,
    )


def _notify(*, unit: Unit, case: Case | None, kind: str, title: str, key: str) -> None:
    # The same reminder for the same case and due date is written once, however often the sweep runs.
    Notice.objects.get_or_create(
        key=key, defaults={"unit": unit, "case": case, "kind": kind, "title": title[:200]}
    )


def case_period(case: Case) -> Period:
    return Period.parse(case.period or case.case_type.period)


def case_due(case: Case, *, today: date | None = None) -> date:
    """The due date from the clock: start, period, suspensions and approved extensions."""
    return due_date(
        start=case.start_date,
        period=case_period(case),
        roll_forward=case.case_type.roll_forward,
        suspensions=[(s.started_on, s.ended_on) for s in case.suspensions.all()],
        extensions=_current_extensions(case),
        today=today or _today(),
    )


def _current_extensions(case: Case) -> list[str]:
    """Extensions of the running clock: a reopened case starts a new clock without the old ones."""
    return [
        e.period
        for e in case.extensions.order_by("approved_at", "id")
        if timezone.localdate(e.approved_at) >= case.start_date
    ]


def _next_number(case_type: CaseType, year: int) -> str:
    # One statement takes the number and locks the row until commit, so no two cases share it.
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE case_type_id = %s AND year = %s RETURNING last",
            [case_type.pk, year],
        )
        row = cursor.fetchone()
    if row is not None:
        seq = row[0]
    else:  # the first case of its type this year
        sequence, _ = NumberSequence.objects.select_for_update().get_or_create(case_type=case_type, year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
        seq = sequence.last
    return case_type.number_format.format(prefix=case_type.number_prefix, year=year, seq=seq)


def _enter_stage(case: Case, stage: CaseStage | None, *, on: date) -> None:
    case.stage = stage
    case.stage_started_on = on if stage else None
    period = ((case.stage_periods or {}).get(stage.code) or stage.period) if stage else ""
    case.stage_due_date = (
        due_date(start=on, period=period, roll_forward=case.case_type.roll_forward) if period else None
    )


@transaction.atomic
def case_open(
    *,
    case_type: CaseType,
    title: str,
    handling_unit: Unit,
    actor: User,
    description: str = "",
    received_at: datetime | None = None,
    co_units: Sequence[Unit] = (),
    is_confidential: bool = False,
    period: str = "",
    stage_periods: dict[str, str] | None = None,
) -> Case:
    """Register a matter: number it, start its clock and put it in the handling unit's inbox."""
    if not permissions.can_open_case(actor, handling_unit):
        raise PermissionDenied(f"您无权向{handling_unit.name}登记案件。")
    if not case_type.is_active:
        raise ValidationError({"case_type": f"案件类型「{case_type.name}」已停用。"})
    if not title.strip():
        raise ValidationError({"title": "标题不能为空。"})
    if not handling_unit.is_active:
        raise ValidationError(
            {
                "handling_unit": f"{handling_unit.name}已{handling_unit.get_status_display()}，请交办给承继单位。"
            }
        )
    if period:
        _parse_period(period, "period")
    stages = list(case_type.stages.order_by("order"))
    stage_codes = {stage.code for stage in stages}
    for code, stage_period in (stage_periods or {}).items():
        if code not in stage_codes:
            raise ValidationError({"stage_periods": f"案件类型「{case_type.name}」没有「{code}」阶段。"})
        _parse_period(stage_period, "stage_periods")
    if any(unit.pk == handling_unit.pk for unit in co_units):
        raise ValidationError({"co_units": "协办单位不能与主办单位相同。"})
    received_at = received_at or timezone.now()
    start = timezone.localdate(received_at)
    case = Case(
        number=_next_number(case_type, start.year),
        case_type=case_type,
        title=title.strip()[:200],
        description=description,
        handling_unit=handling_unit,
        received_at=received_at,
        start_date=start,
        period=period,
        stage_periods=stage_periods or {},
        is_confidential=is_confidential,
        created_by=actor,
    )
    case.due_date = due_date(start=start, period=case_period(case), roll_forward=case_type.roll_forward)
    _enter_stage(case, stages[0] if stages else None, on=start)
    case.save()
    CaseUnit.objects.bulk_create(
        [
            CaseUnit(case=case, unit=handling_unit, role=CaseUnit.Role.LEAD, assigned_at=received_at),
            *(
                CaseUnit(case=case, unit=unit, role=CaseUnit.Role.CO, assigned_at=received_at)
                for unit in co_units
            ),
        ]
    )
    _log(
        case,
        actor=actor,
        action="opened",
        at=received_at,
        note=f"登记并交办{handling_unit.name}",
        due=case.due_date.isoformat(),
    )
    # A case opened just now has no notices yet: one INSERT, not a look-up per unit.
    Notice.objects.bulk_create(
        Notice(
            key=f"assigned:{case.pk}:{unit.pk}",
            unit=unit,
            case=case,
            kind=Notice.Kind.ASSIGNED,
            title=f"新交办：{case.number} {case.title}"[:200],
        )
        for unit in [handling_unit, *co_units]
    )
    audit.record(actor=actor, action="cases.opened", target=case, after=_snapshot(case))
    return case


def _require_open(case: Case) -> None:
    if case.status == Case.Status.CLOSED:
        raise ValidationError(f"案件{case.number}已办结，不能再办理。")
    if case.archived_at:
        raise ValidationError(f"案件{case.number}已归档。")


@transaction.atomic
def case_assign(*, case: Case, actor: User, unit: Unit, note: str = "", restart_stage: bool = False) -> Case:
    """Hand the case to another lead unit (派单 / 改派 / 退单后重派); the clock keeps running.

    `restart_stage` puts the case back in its first stage (a re-dispatched request must be signed
    for again by the new unit, with the sign-for limit counted from today)."""
    if not permissions.can_assign(actor, case):
        raise PermissionDenied("只有派单人员或法治督察人员可以改派案件。")
    _require_open(case)
    if unit.pk == case.handling_unit_id:
        raise ValidationError({"unit": "新承办单位与当前承办单位相同。"})
    if not unit.is_active:
        raise ValidationError({"unit": f"{unit.name}已{unit.get_status_display()}，不能承办新案件。"})
    before = _snapshot(case)
    previous = case.handling_unit
    CaseUnit.objects.filter(case=case, role=CaseUnit.Role.LEAD, is_active=True).update(is_active=False)
    CaseUnit.objects.filter(case=case, unit=unit, is_active=True).update(is_active=False)
    CaseUnit.objects.create(case=case, unit=unit, role=CaseUnit.Role.LEAD, assigned_at=timezone.now())
    case.handling_unit = unit
    if restart_stage:
        _enter_stage(case, case.case_type.stages.order_by("order").first(), on=_today())
    case.save(update_fields=["handling_unit", "stage", "stage_started_on", "stage_due_date", "updated_at"])
    _log(
        case,
        actor=actor,
        action="assigned",
        note=note or f"由{previous.name}改由{unit.name}承办",
        before=before,
        to_unit=unit.pk,
    )
    _notify(
        unit=unit,
        case=case,
        kind=Notice.Kind.ASSIGNED,
        title=f"新交办：{case.number} {case.title}",
        key=f"assigned:{case.pk}:{unit.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
    )
    audit.record(actor=actor, action="cases.assigned", target=case, before=before, after=_snapshot(case))
    return case


@transaction.atomic
def case_add_co_unit(*, case: Case, actor: User, unit: Unit) -> CaseUnit:
    if not (permissions.can_assign(actor, case) or permissions.can_handle(actor, case)):
        raise PermissionDenied("只有派单人员或主办单位可以增加协办单位。")
    _require_open(case)
    if unit.pk == case.handling_unit_id or case.case_units.filter(unit=unit, is_active=True).exists():
        raise ValidationError({"unit": f"{unit.name}已是本案承办单位。"})
    link = CaseUnit.objects.create(case=case, unit=unit, role=CaseUnit.Role.CO, assigned_at=timezone.now())
    _log(case, actor=actor, action="co_unit_added", note=f"增加协办单位{unit.name}", unit=unit.pk)
    _notify(
        unit=unit,
        case=case,
        kind=Notice.Kind.ASSIGNED,
        title=f"协办：{case.number} {case.title}",
        key=f"assigned:{case.pk}:{unit.pk}",
    )
    audit.record(actor=actor, action="cases.co_unit_added", target=case, after={"unit": unit.pk})
    return link


@transaction.atomic
def case_advance(
    *,
    case: Case,
    actor: User,
    to_stage: str,
    note: str = "",
    on: date | None = None,
    period: str = "",
) -> Case:
    """Move the case to another stage of its type; a stage with its own limit starts its clock.

    `on` records a stage reached on an earlier day (a document served yesterday, imported
    history); `period` sets this case's limit for the stage when it is only known now (a
    respondent's answer period counted from service), kept in `stage_periods`."""
    if not permissions.can_handle(actor, case):
        raise PermissionDenied("只有承办单位可以推进案件。")
    _require_open(case)
    stage = case.case_type.stages.filter(code=to_stage).first()
    if stage is None:
        raise ValidationError({"to_stage": f"案件类型「{case.case_type.name}」没有「{to_stage}」阶段。"})
    if stage.is_final:
        raise ValidationError({"to_stage": "办结请使用“办结”操作，并写明办理结果。"})
    on = on or _today()
    if on > _today():
        raise ValidationError({"on": "进入阶段的日期不能晚于今天。"})
    if case.stage_started_on and on < case.stage_started_on:
        raise ValidationError(
            {"on": f"进入阶段的日期不能早于当前阶段的开始日{case.stage_started_on:%Y-%m-%d}。"}
        )
    if period:
        _parse_period(period, "period")
        case.stage_periods = {**(case.stage_periods or {}), stage.code: period}
    before = _snapshot(case)
    _enter_stage(case, stage, on=on)
    case.save(update_fields=["stage", "stage_started_on", "stage_due_date", "stage_periods", "updated_at"])
    _log(
        case,
        actor=actor,
        action="advanced",
        note=note or f"进入{stage.name}阶段",
        before=before,
        at=_moment(case, on),
    )
    audit.record(actor=actor, action="cases.advanced", target=case, before=before, after=_snapshot(case))
    return case


def _moment(case: Case, on: date) -> datetime:
    """When a step taken on `on` goes on the timeline: now if today, else that day (never before receipt)."""
    if on >= _today():
        return timezone.now()
    noon = timezone.make_aware(datetime.combine(on, datetime.min.time().replace(hour=12)))
    return max(noon, case.received_at)


@transaction.atomic
def case_restart_clock(
    *,
    case: Case,
    actor: User | None,
    start: date,
    period: str,
    note: str,
    stage: str = "",
    stage_periods: dict[str, str] | None = None,
) -> Case:
    """A period that runs from a later event replaces the running clock: a 复议 decision period
    counts from 受理, not from receipt; a review starts afresh when 补正材料 arrive; a switch of
    procedure changes the period from the same start.

    Suspensions before `start` no longer count and extensions approved before it are dropped.
    `stage` enters that stage on `start`; `stage_periods` sets this case's stage limits (the
    current stage's limit is recomputed from its start). `actor=None` is the system applying a
    rule of law by itself (a sweep); people need to handle the case or approve its extensions.
    """
    if actor is not None and not (
        permissions.can_handle(actor, case) or permissions.can_approve_extension(actor, case)
    ):
        raise PermissionDenied("只有承办单位或延期审批人可以重新计算期限。")
    _require_open(case)
    if case.status == Case.Status.SUSPENDED:
        raise ValidationError("案件处于中止状态，请先恢复计时。")
    if start > _today():
        raise ValidationError({"start": "起算日不能晚于今天。"})
    if not note.strip():
        raise ValidationError({"note": "请写明重新计算期限的依据。"})
    _parse_period(period, "period")
    stages = {s.code: s for s in case.case_type.stages.all()}
    for code, stage_period in (stage_periods or {}).items():
        if code not in stages:
            raise ValidationError({"stage_periods": f"案件类型「{case.case_type.name}」没有「{code}」阶段。"})
        _parse_period(stage_period, "stage_periods")
    if stage and (stage not in stages or stages[stage].is_final):
        raise ValidationError({"stage": f"案件类型「{case.case_type.name}」没有可进入的「{stage}」阶段。"})
    before = _snapshot(case)
    case.start_date, case.period = start, period
    case.stage_periods = {**(case.stage_periods or {}), **(stage_periods or {})}
    case.due_date = case_due(case)
    case.extended = bool(_current_extensions(case))
    if stage:
        _enter_stage(case, stages[stage], on=start)
    elif case.stage_id and case.stage_started_on:
        _enter_stage(case, case.stage, on=case.stage_started_on)
    case.save(
        update_fields=[
            "start_date",
            "period",
            "stage_periods",
            "due_date",
            "extended",
            "stage",
            "stage_started_on",
            "stage_due_date",
            "updated_at",
        ]
    )
    _log(
        case,
        actor=actor,
        action="clock_restarted",
        note=f"{note.strip()}：自{start:%Y-%m-%d}起算{Period.parse(period).label}，期限{case.due_date:%Y-%m-%d}",
        before=before,
        at=_moment(case, start),
        start=start.isoformat(),
        period=period,
    )
    audit.record(
        actor=actor, action="cases.clock_restarted", target=case, before=before, after=_snapshot(case)
    )
    return case


@transaction.atomic
def case_suspend(*, case: Case, actor: User, kind: str, reason: str, on: date | None = None) -> Suspension:
    """Stop the clock (中止、补正、等待当事人) for a reason the case type allows."""
    if not permissions.can_handle(actor, case):
        raise PermissionDenied("只有承办单位可以中止计时。")
    _require_open(case)
    if case.status == Case.Status.SUSPENDED:
        raise ValidationError("案件已处于中止状态，请先恢复。")
    if kind not in case.case_type.allowed_suspensions:
        raise ValidationError({"kind": f"「{case.case_type.name}」不允许此类中止情形。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明中止理由。"})
    on = on or _today()
    if on < case.start_date:
        raise ValidationError({"on": "中止日不能早于起算日。"})
    before = _snapshot(case)
    suspension = Suspension.objects.create(
        case=case, kind=kind, reason=reason.strip(), started_on=on, started_by=actor
    )
    case.status = Case.Status.SUSPENDED
    case.save(update_fields=["status", "updated_at"])
    _log(
        case,
        actor=actor,
        action="suspended",
        note=f"{suspension.get_kind_display()}：{reason}",
        before=before,
        at=_moment(case, on),
    )
    audit.record(actor=actor, action="cases.suspended", target=case, before=before, after=_snapshot(case))
    return suspension


@transaction.atomic
def case_resume(*, case: Case, actor: User, on: date | None = None, note: str = "") -> Case:
    """Restart the clock; the due date moves out by the time the case stood still."""
    if not permissions.can_handle(actor, case):
        raise PermissionDenied("只有承办单位可以恢复计时。")
    suspension = case.suspensions.filter(ended_on__isnull=True).first()
    if case.status != Case.Status.SUSPENDED or suspension is None:
        raise ValidationError("案件未处于中止状态。")
    on = on or _today()
    if on < suspension.started_on:
        raise ValidationError({"on": "恢复日不能早于中止日。"})
    before = _snapshot(case)
    suspension.ended_on, suspension.ended_by = on, actor
    suspension.save(update_fields=["ended_on", "ended_by"])
    case.status = Case.Status.OPEN
    case.due_date = case_due(case, today=on)
    case.save(update_fields=["status", "due_date", "updated_at"])
    _log(
        case,
        actor=actor,
        action="resumed",
        note=note or f"恢复计时，期限顺延至{case.due_date:%Y-%m-%d}",
        before=before,
        at=_moment(case, on),
    )
    audit.record(actor=actor, action="cases.resumed", target=case, before=before, after=_snapshot(case))
    return case


@transaction.atomic
def case_extend(*, case: Case, actor: User, requested_by: User, period: str, reason: str) -> Extension:
    """Record an approved extension; the total never exceeds the case type's maximum."""
    if not permissions.can_approve_extension(actor, case):
        raise PermissionDenied(f"延期须由{case.case_type.get_extension_approver_role_display()}批准。")
    _require_open(case)
    if not case.case_type.max_extension:
        raise ValidationError({"period": f"「{case.case_type.name}」的法定期限不得延长。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明延期理由。"})
    _parse_period(period, "period")
    today = _today()
    existing = _current_extensions(case)
    suspensions = [(s.started_on, s.ended_on) for s in case.suspensions.all()]
    base = {
        "start": case.start_date,
        "period": case_period(case),
        "roll_forward": case.case_type.roll_forward,
    }
    new_due = due_date(**base, suspensions=suspensions, extensions=[*existing, period], today=today)
    ceiling = due_date(
        **base, suspensions=suspensions, extensions=[case.case_type.max_extension], today=today
    )
    if new_due > ceiling:
        raise ValidationError(
            {
                "period": f"延期后期限{new_due:%Y-%m-%d}超过「{case.case_type.name}」最多延长{case.case_type.max_extension}的上限（{ceiling:%Y-%m-%d}）。"
            }
        )
    before = _snapshot(case)
    extension = Extension.objects.create(
        case=case,
        period=period,
        reason=reason.strip(),
        requested_by=requested_by,
        approved_by=actor,
        approved_at=timezone.now(),
        due_before=case.due_date,
        due_after=new_due,
    )
    case.due_date, case.extended = new_due, True
    case.save(update_fields=["due_date", "extended", "updated_at"])
    _log(
        case,
        actor=actor,
        action="extended",
        note=f"批准延期{period}至{new_due:%Y-%m-%d}：{reason}",
        before=before,
    )
    audit.record(actor=actor, action="cases.extended", target=case, before=before, after=_snapshot(case))
    return extension


@transaction.atomic
def case_close(*, case: Case, actor: User, note: str, closed_at: datetime | None = None) -> Case:
    """办结: the handling unit states the result; the clock stops.

    A supervisor of the unit may record (补录) a result the unit reported on an earlier day — the
    paper reply copied to the 司法局, a register of past years — with `closed_at` on that day; the
    timeline says it was recorded on the unit's behalf."""
    on_behalf = (
        closed_at is not None
        and timezone.localdate(closed_at) < _today()
        and not permissions.can_handle(actor, case)
        and permissions.can_supervise(actor, case)
    )
    if not (permissions.can_handle(actor, case) or on_behalf):
        raise PermissionDenied("只有承办单位可以办结案件。")
    _require_open(case)
    if case.status == Case.Status.SUSPENDED:
        raise ValidationError("案件处于中止状态，请先恢复计时再办结。")
    if len(note.strip()) < 5:
        raise ValidationError({"note": "请写明办理结果（不少于5个字）。"})
    before = _snapshot(case)
    case.status = Case.Status.CLOSED
    case.closed_at = closed_at or timezone.now()
    _enter_stage(
        case, case.case_type.stages.filter(is_final=True).first(), on=timezone.localdate(case.closed_at)
    )
    case.save(
        update_fields=["status", "closed_at", "stage", "stage_started_on", "stage_due_date", "updated_at"]
    )
    note = f"（补录）{note.strip()}" if on_behalf else note.strip()
    extra = {"on_behalf": True} if on_behalf else {}
    _log(case, actor=actor, action="closed", note=note, before=before, at=case.closed_at, **extra)
    audit.record(actor=actor, action="cases.closed", target=case, before=before, after=_snapshot(case))
    return case


@transaction.atomic
def case_comment(*, case: Case, actor: User, note: str, files: Iterable[UploadedFile] = ()) -> TimelineEntry:
    """A note or opinion on the record (协办意见, 联系当事人情况), with optional attachments."""
    if not permissions.can_contribute(actor, case):
        raise PermissionDenied("只有主办或协办单位可以填写办理意见。")
    if not note.strip():
        raise ValidationError({"note": "意见内容不能为空。"})
    entry = _log(case, actor=actor, action="commented", note=note.strip())
    for upload in files:
        attachment_add(case=case, actor=actor, upload=upload, entry=entry)
    audit.record(actor=actor, action="cases.commented", target=case)
    return entry


@transaction.atomic
def attachment_add(
    *, case: Case, actor: User, upload: UploadedFile, entry: TimelineEntry | None = None
) -> Attachment:
    if not permissions.can_contribute(actor, case):
        raise PermissionDenied("只有主办或协办单位可以上传附件。")
    problem = uploads.upload_problem(upload, allowed=uploads.DOCUMENTS, max_bytes=MAX_ATTACHMENT_BYTES)
    if problem:
        raise ValidationError({"file": problem})
    sha256 = uploads.sha256_of(upload)
    attachment = Attachment(
        case=case,
        entry=entry,
        name=upload.name[:200],
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(f"{sha256[:16]}-{upload.name[-80:]}", upload, save=False)
    attachment.save()
    audit.record(
        actor=actor,
        action="cases.attachment_added",
        target=case,
        after={"attachment": attachment.name, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def case_archive(*, case: Case, actor: User, reason: str) -> Case:
    """Casework is archived with a reason, never deleted."""
    if not permissions.can_supervise(actor, case):
        raise PermissionDenied("只有法治督察人员可以归档案件。")
    if case.status != Case.Status.CLOSED:
        raise ValidationError("只有已办结的案件可以归档。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明归档原因。"})
    case.archived_at, case.archive_reason = timezone.now(), reason.strip()[:200]
    case.save(update_fields=["archived_at", "archive_reason", "updated_at"])
    _log(case, actor=actor, action="archived", note=reason)
    audit.record(actor=actor, action="cases.archived", target=case, after={"reason": case.archive_reason})
    return case


@transaction.atomic
def supervision_issue(*, case: Case, actor: User, level: int, reason: str, due: date) -> Supervision:
    """催办 / 督办 / 挂牌督办: the supervisor puts a case under supervision with its own deadline."""
    if not permissions.can_supervise(actor, case):
        raise PermissionDenied("只有法治督察人员可以对该案件发起督办。")
    _require_open(case)
    if level not in Supervision.Level.values:
        raise ValidationError({"level": "督办级别应为催办、督办或挂牌督办。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明督办事由。"})
    if due < _today():
        raise ValidationError({"due": "督办期限不能早于今天。"})
    issuing_unit = next(
        m.unit for m in actor.memberships.filter(role="supervisor", is_active=True).select_related("unit")
    )
    supervision = Supervision.objects.create(
        case=case,
        level=level,
        reason=reason.strip(),
        due_date=due,
        issued_by=actor,
        issuing_unit=issuing_unit,
        issued_at=timezone.now(),
    )
    label = supervision.get_level_display()
    _log(case, actor=actor, action="supervised", note=f"{label}：{reason}（期限{due:%Y-%m-%d}）", level=level)
    _notify(
        unit=case.handling_unit,
        case=case,
        kind=Notice.Kind.SUPERVISION,
        title=f"{label}：{case.number} {case.title}",
        key=f"supervision:{supervision.pk}",
    )
    audit.record(
        actor=actor,
        action="cases.supervision_issued",
        target=case,
        after={"level": level, "due": due.isoformat()},
    )
    return supervision


@transaction.atomic
def supervision_resolve(*, supervision: Supervision, actor: User, resolution: str) -> Supervision:
    """The handling unit reports what it did about the supervision."""
    case = supervision.case
    if not permissions.can_handle(actor, case):
        raise PermissionDenied("只有承办单位可以反馈督办办理情况。")
    if supervision.resolved_at:
        raise ValidationError("该督办已办结。")
    if len(resolution.strip()) < 5:
        raise ValidationError({"resolution": "请写明督办事项的办理情况（不少于5个字）。"})
    supervision.resolved_at, supervision.resolved_by = timezone.now(), actor
    supervision.resolution = resolution.strip()
    supervision.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    _log(
        case,
        actor=actor,
        action="supervision_resolved",
        note=f"反馈{supervision.get_level_display()}：{resolution}",
    )
    audit.record(
        actor=actor, action="cases.supervision_resolved", target=case, after={"supervision": supervision.pk}
    )
    return supervision


@transaction.atomic
def notice_mark_read(*, notice: Notice, actor: User) -> Notice:
    from fazhi.org.permissions import unit_scope

    if not unit_scope(actor).contains(notice.unit):
        raise PermissionDenied("这不是您单位的提醒。")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
        audit.record(actor=actor, action="cases.notice_read", target=notice)
    return notice


def reminders_sweep(*, today: date | None = None) -> dict[str, int]:
    """Put 临期 and 超期 notices into the handling units' inboxes; idempotent per case and due date.

    Run by `fazhi sweep` from a scheduler. Candidates are found with indexed due-date ranges;
    the exact window per case type comes from the clock.
    """
    from fazhi.core.calendar import get_calendar
    from fazhi.core.deadlines import clock_state

    today = today or _today()
    calendar = get_calendar()
    horizon = max(
        (
            due_date(start=today, period=ct.warning_period, roll_forward=False)
            for ct in CaseType.objects.all()
        ),
        default=today,
    )
    candidates = (
        Case.objects.filter(status=Case.Status.OPEN, archived_at__isnull=True, due_date__lte=horizon)
        .select_related("case_type")
        .only(
            "id",
            "number",
            "title",
            "due_date",
            "extended",
            "status",
            "handling_unit_id",
            "case_type__warning_period",
        )
    )

    # Skip in SQL what this due date was already reminded of; a case reminded 临期 still gets
    # its 超期 notice once the day passes.
    def reminded(kind: str) -> Exists:
        return Exists(Notice.objects.filter(case=OuterRef("pk"), kind=kind, due_date=OuterRef("due_date")))

    candidates = candidates.exclude(Q(due_date__lt=today) & reminded(Notice.Kind.OVERDUE)).exclude(
        Q(due_date__gte=today) & reminded(Notice.Kind.DUE_SOON)
    )
    created = {"due_soon": 0, "overdue": 0}
    notices = []
    for case in candidates.iterator(chunk_size=2000):
        state = clock_state(
            due=case.due_date,
            today=today,
            suspended=False,
            extended=case.extended,
            closed=False,
            warning=case.case_type.warning_period,
            calendar=calendar,
        )
        if state == ClockState.OVERDUE:
            kind, title = (
                Notice.Kind.OVERDUE,
                f"已超期：{case.number} {case.title}（期限{case.due_date:%Y-%m-%d}）",
            )
        elif state == ClockState.DUE_SOON:
            kind, title = (
                Notice.Kind.DUE_SOON,
                f"即将到期：{case.number} {case.title}（期限{case.due_date:%Y-%m-%d}）",
            )
        else:
            continue
        notices.append(
            Notice(
                unit_id=case.handling_unit_id,
                case_id=case.pk,
                kind=kind,
                title=title[:200],
                due_date=case.due_date,
                key=f"{kind}:{case.pk}:{case.due_date:%Y%m%d}",
            )
        )
    fresh_keys: list[str] = []
    for start in range(0, len(notices), 1000):
        batch = notices[start : start + 1000]
        existing = set(Notice.objects.filter(key__in=[n.key for n in batch]).values_list("key", flat=True))
        fresh = [n for n in batch if n.key not in existing]
        # ignore_conflicts: a concurrent sweep may have written some of them first.
        Notice.objects.bulk_create(fresh, ignore_conflicts=True)
        for notice in fresh:
            created[notice.kind] += 1
        fresh_keys += [n.key for n in fresh]
    if fresh_keys:
        audit.record(actor=None, action="cases.reminders_swept", after=created)
        if settings.FAZHI_EMAIL_NOTICES:
            from fazhi.cases.tasks import email_notices

            for start in range(0, len(fresh_keys), 500):
                chunk = fresh_keys[start : start + 500]
                transaction.on_commit(lambda chunk=chunk: email_notices.enqueue(keys=chunk))
    return created


@transaction.atomic
def cases_transfer_to_successor(*, actor: User, unit: Unit, successor: Unit, note: str = "") -> int:
    """机构改革: open cases led or co-handled by a merged or abolished unit pass to its successor.

    Called by the org service that records the reorganisation, inside its transaction; the clock
    of each case keeps running, and each case's timeline says why its unit changed.
    """
    open_statuses = [Case.Status.OPEN, Case.Status.SUSPENDED]
    now = timezone.now()
    reason = note or f"{unit.name}机构改革，由{successor.name}承继"
    moved = 0
    for case in Case.objects.filter(handling_unit=unit, status__in=open_statuses).select_for_update():
        CaseUnit.objects.filter(case=case, role=CaseUnit.Role.LEAD, is_active=True).update(is_active=False)
        CaseUnit.objects.filter(case=case, unit=successor, is_active=True).update(is_active=False)
        CaseUnit.objects.create(case=case, unit=successor, role=CaseUnit.Role.LEAD, assigned_at=now)
        case.handling_unit = successor
        case.save(update_fields=["handling_unit", "updated_at"])
        _log(case, actor=actor, action="transferred", note=reason, from_unit=unit.pk, to_unit=successor.pk)
        moved += 1
    co_links = CaseUnit.objects.filter(
        unit=unit, role=CaseUnit.Role.CO, is_active=True, case__status__in=open_statuses
    )
    for link in co_links.select_related("case"):
        link.is_active = False
        link.save(update_fields=["is_active"])
        if not link.case.case_units.filter(unit=successor, is_active=True).exists():
            CaseUnit.objects.create(case=link.case, unit=successor, role=CaseUnit.Role.CO, assigned_at=now)
        _log(
            link.case, actor=actor, action="transferred", note=reason, from_unit=unit.pk, to_unit=successor.pk
        )
        moved += 1
    if moved:
        audit.record(
            actor=actor,
            action="cases.transferred_on_reorganisation",
            target=unit,
            after={"successor": successor.pk, "cases": moved},
        )
    return moved


def cases_follow_reorganisation(*, actor: User, unit: Unit, successor: Unit | None, note: str = "") -> None:
    """The org service's reorganisation hook: open cases follow the unit's successor; a unit
    abolished without a successor may not leave open cases behind."""
    if successor is not None:
        cases_transfer_to_successor(actor=actor, unit=unit, successor=successor, note=note)
        return
    open_count = Case.objects.filter(
        handling_unit=unit, status__in=[Case.Status.OPEN, Case.Status.SUSPENDED]
    ).count()
    if open_count:
        raise ValidationError(
            {"successor": f"{unit.name}尚有{open_count}件未办结案件，撤销时须指定承继单位，或先将案件改派。"}
        )


def cases_follow_calendar(*, actor: User | None, first: date, last: date) -> int:
    """The calendar's change hook: open cases whose clock counts over first..last get their
    deadlines recomputed, each with a timeline entry, and one audit record for the change.

    Suspended cases are left alone: their deadline is recomputed when they resume.
    """
    changed = 0
    cases = (
        Case.objects.filter(status=Case.Status.OPEN, start_date__lte=last)
        .filter(Q(due_date__gte=first) | Q(stage_due_date__gte=first))
        .select_related("case_type", "stage")
        .prefetch_related("suspensions", "extensions")
        .select_for_update(of=("self",))
    )
    for case in cases:
        before_due, before_stage_due = case.due_date, case.stage_due_date
        case.due_date = case_due(case)
        if case.stage_id and case.stage_started_on:
            period = (case.stage_periods or {}).get(case.stage.code) or case.stage.period
            if period:
                case.stage_due_date = due_date(
                    start=case.stage_started_on, period=period, roll_forward=case.case_type.roll_forward
                )
        if (case.due_date, case.stage_due_date) == (before_due, before_stage_due):
            continue
        case.save(update_fields=["due_date", "stage_due_date", "updated_at"])
        _log(
            case,
            actor=actor,
            action="deadline_recomputed",
            note=f"工作日历调整，办理期限由{before_due:%Y-%m-%d}改为{case.due_date:%Y-%m-%d}",
            due_before=before_due.isoformat(),
            due=case.due_date.isoformat(),
        )
        changed += 1
    if changed:
        audit.record(
            actor=actor,
            action="cases.deadlines_recomputed",
            after={"first": first.isoformat(), "last": last.isoformat(), "cases": changed},
            message=f"工作日历调整（{first:%Y-%m-%d}至{last:%Y-%m-%d}），重新计算{changed}件在办案件的期限",
        )
    return changed


@transaction.atomic
def case_reopen(*, case: Case, actor: User, reason: str, period: str = "", to_stage: str = "") -> Case:
    """重办: a closed case goes back to its unit with a new clock counted from today.

    The first clock's history (timeline, extensions, suspensions) stays on the record; the new
    due date comes from `period` (default: the case's own period) and ignores the old extensions.
    """
    if not permissions.can_assign(actor, case):
        raise PermissionDenied("只有派单人员或法治督察人员可以决定重办。")
    if case.status != Case.Status.CLOSED:
        raise ValidationError("只有已办结的案件可以重办。")
    if case.archived_at:
        raise ValidationError(f"案件{case.number}已归档，不能重办。")
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": "请写明重办理由（不少于5个字）。"})
    if period:
        _parse_period(period, "period")
    stages = case.case_type.stages.order_by("order")
    stage = stages.filter(code=to_stage).first() if to_stage else stages.filter(is_final=False).first()
    if stage is None or stage.is_final:
        raise ValidationError(
            {"to_stage": f"案件类型「{case.case_type.name}」没有可重办的「{to_stage}」阶段。"}
        )
    before = _snapshot(case)
    today = _today()
    case.status, case.closed_at, case.extended = Case.Status.OPEN, None, False
    case.start_date = today
    if period:
        case.period = period
    case.due_date = due_date(start=today, period=case_period(case), roll_forward=case.case_type.roll_forward)
    _enter_stage(case, stage, on=today)
    case.save()
    _log(
        case,
        actor=actor,
        action="reopened",
        note=f"重办：{reason.strip()}",
        before=before,
        due=case.due_date.isoformat(),
    )
    _notify(
        unit=case.handling_unit,
        case=case,
        kind=Notice.Kind.ASSIGNED,
        title=f"重办：{case.number} {case.title}",
        key=f"reopened:{case.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
    )
    audit.record(actor=actor, action="cases.reopened", target=case, before=before, after=_snapshot(case))
    return case
