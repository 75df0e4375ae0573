"""Hotline history in bulk: requests that were taken, handled and called back elsewhere or earlier.

`tickets_load_history` writes many requests with their whole course (dispatch, 退单 and
re-dispatch, 签收, 答复, 回访, 重办) in one transaction with `bulk_create`. It is the write path of
the XLSX/CSV import (`imports.py`), of the demo city's year of history (`generate_history`, with
texts from `phrasebook.py`) and of the benchmark.

What is the same as `services.ticket_register` and the handling services, row by row:
the intake validation (`_clean_intake`), emergency/statutory triage for requests that were not
dispatched, the routing table for rows without a lead unit, the local handling limit
(`handling_limit_for`), the due date from the deadline engine on the work calendar, case numbers
from the same per-year sequence in the order the requests arrived, the stage a case stands in,
the timeline entries the case engine would have written (opened, assigned, advanced, closed,
reopened), the reply rules (a reply the services would refuse is refused here) and the review
flags on replies, encrypted caller fields with their blind index.

What is batched: one audit record per batch ("hotline.history_loaded", with the counts and the
first and last case number) instead of one per action; no "new assignment" notices for requests
that were closed long ago (open ones get theirs); case numbers are reserved as a block.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Model
from django.utils import timezone

from fazhi.cases.models import Case, CaseType, CaseUnit, Notice, NumberSequence, TimelineEntry
from fazhi.core import audit, crypto
from fazhi.core.calendar import CalendarRangeError, get_calendar
from fazhi.core.deadlines import due_date
from fazhi.hotline import permissions, routing, rules, services
from fazhi.hotline.models import (
    Callback,
    Category,
    Disposition,
    HandlingLimit,
    ReopenRequest,
    Reply,
    Ticket,
    TicketReturn,
)
from fazhi.org.models import Region, Unit, User

BATCH_SIZE = 2000
REOPEN_STAGE = "handle"  # 重办 sends the request back to the unit that signed for it, to handle again


@dataclass
class ReplySpec:
    """答复: what the unit told the caller and did; closes the case at `replied_at`."""

    text: str
    actions: str
    replied_at: datetime
    contacted_caller: bool = True


@dataclass
class CallbackSpec:
    """回访 after the reply of the same position; an unhappy answer makes a 重办申请.

    `reopen` says what the centre decided on it: "pending", "accepted" (重办: the case is reopened
    at `decided_at` and the next reply closes it again) or "rejected".
    """

    called_at: datetime
    satisfaction: str
    resolution: str
    note: str = ""
    reopen: str = ""
    decided_at: datetime | None = None
    decision_note: str = ""


@dataclass
class HistoryRow:
    """One request as it happened. Events must follow each other in time."""

    content: str
    request_type: str
    category: Category | None
    region: Region | None
    channel: str
    received_at: datetime
    address: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    confidential: bool = False
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    lead_unit: Unit | None = None
    co_units: Sequence[Unit] = ()
    returned_from: Unit | None = None  # first dispatched there, returned (退单) and re-dispatched
    returned_at: datetime | None = None
    return_reason: str = ""
    signed_at: datetime | None = None
    replies: list[ReplySpec] = field(default_factory=list)
    callbacks: list[CallbackSpec] = field(default_factory=list)
    handler: User | None = None  # who signed and replied; default: the loading operator
    returner: User | None = None  # who returned it (退单), at `returned_from`


@dataclass
class HistoryLoad:
    tickets: int
    cases: int
    closed: int
    guidance: int
    first_number: str
    last_number: str


def row_problems(row: HistoryRow, *, now: datetime | None = None) -> list[tuple[str, str]]:
    """(field, message in Chinese) for everything the services would refuse in this row."""
    now = now or timezone.now()
    problems: list[tuple[str, str]] = []
    try:
        services._clean_intake(
            content=row.content,
            request_type=row.request_type,
            category=row.category,
            region=row.region,
            channel=row.channel,
            caller_phone=row.caller_phone,
            latitude=row.latitude,
            longitude=row.longitude,
        )
    except ValidationError as exc:
        problems += [(name, message) for name, messages in exc.message_dict.items() for message in messages]
    if row.received_at is None:
        return [*problems, ("received_at", "请填写受理时间。")]
    if row.received_at > now:
        problems.append(("received_at", "受理时间不能晚于现在。"))
    if row.lead_unit is not None and not row.lead_unit.is_active:
        problems.append(
            ("lead_unit", f"{row.lead_unit.name}已{row.lead_unit.get_status_display()}，请填写承继单位。")
        )
    for unit in row.co_units:
        if row.lead_unit is not None and unit.pk == row.lead_unit.pk:
            problems.append(("co_units", "协办单位不能与主办单位相同。"))
        elif not unit.is_active:
            problems.append(("co_units", f"协办单位{unit.name}已{unit.get_status_display()}。"))
    last = row.received_at
    if row.returned_from is not None:
        if row.lead_unit is None or row.returned_from.pk == row.lead_unit.pk:
            problems.append(("returned_from", "退单单位须不同于最终承办单位，且须填写承办单位。"))
        if row.returned_at is None or row.returned_at < last:
            problems.append(("returned_at", "退单时间须填写，且不早于受理时间。"))
        else:
            last = row.returned_at
        if len((row.return_reason or "").strip()) < services.MIN_REASON_CHARS:
            problems.append(("return_reason", f"退单理由不少于{services.MIN_REASON_CHARS}个字。"))
    if row.signed_at is not None:
        if row.lead_unit is None:
            problems.append(("signed_at", "有签收时间的诉求须填写承办单位。"))
        if row.signed_at < last:
            problems.append(("signed_at", "签收时间不能早于受理时间（或退单改派时间）。"))
        last = max(last, row.signed_at)
    if row.replies and row.signed_at is None:
        problems.append(("replied_at", "有答复的诉求须有签收时间（先签收后答复）。"))
    if len(row.callbacks) > len(row.replies):
        problems.append(("called_at", "回访须在答复之后：没有对应的答复。"))
    for i, reply in enumerate(row.replies):
        if reply.replied_at is None or reply.replied_at < last:
            problems.append(("replied_at", "答复时间须填写，且不早于签收时间（或重办时间）。"))
        elif reply.replied_at > now:
            problems.append(("replied_at", "答复时间不能晚于现在。"))
        else:
            last = reply.replied_at
        problems += [(f.field, f.message) for f in rules.reply_errors(text=reply.text, actions=reply.actions)]
        callback = row.callbacks[i] if i < len(row.callbacks) else None
        if i + 1 < len(row.replies) and (callback is None or callback.reopen != "accepted"):
            problems.append(("replied_at", "再次答复须在回访不满意、中心决定重办之后。"))
        if callback is None:
            continue
        if callback.called_at is None or callback.called_at < last or callback.called_at > now:
            problems.append(("called_at", "回访时间须不早于答复时间，且不晚于现在。"))
        else:
            last = callback.called_at
        if callback.satisfaction not in Callback.Satisfaction.values:
            problems.append(("satisfaction", "满意度应为满意、基本满意、不满意或未接通/未评价。"))
        if callback.resolution not in Callback.Resolution.values:
            problems.append(("resolution", "解决情况应为已解决、部分解决、未解决或未评价。"))
        unhappy = Callback(satisfaction=callback.satisfaction, resolution=callback.resolution).is_unhappy
        if callback.reopen and not unhappy:
            problems.append(("reopen", "只有回访不满意或未解决才会有重办申请。"))
        if callback.reopen not in ("", *ReopenRequest.Status.values):
            problems.append(("reopen", "重办申请状态应为待审核、已重办或不予重办。"))
        if callback.reopen in (ReopenRequest.Status.ACCEPTED, ReopenRequest.Status.REJECTED):
            if callback.decided_at is None or callback.decided_at < last:
                problems.append(("decided_at", "重办审核时间须不早于回访时间。"))
            else:
                last = callback.decided_at
    return problems


def _check_rows(rows: Sequence[HistoryRow]) -> None:
    now = timezone.now()
    errors = []
    for number, row in enumerate(rows, start=1):
        for _field, message in row_problems(row, now=now):
            errors.append(f"第{number}条：{message}")
    if errors:
        raise ValidationError(errors[:200])


class _Clock:
    """Due dates from the deadline engine, remembered per (start, period): a year of history has
    only a few hundred distinct pairs."""

    def __init__(self, case_type: CaseType):
        self.case_type = case_type
        self.calendar = get_calendar()
        self.stages = list(case_type.stages.order_by("order"))
        self.first_stage = self.stages[0]
        self.final_stage = next(s for s in self.stages if s.is_final)
        self.by_code = {s.code: s for s in self.stages}
        self._memo: dict[tuple[date, str], date] = {}
        self._limits: dict[tuple[int, str], object] = {}
        self._any_limit = HandlingLimit.objects.exists()  # most installations start without local limits

    def due(self, start: date, period: str) -> date:
        key = (start, period)
        if key not in self._memo:
            self._memo[key] = due_date(
                start=start, period=period, roll_forward=self.case_type.roll_forward, calendar=self.calendar
            )
        return self._memo[key]

    def limit(self, category: Category, request_type: str):
        key = (category.pk, request_type)
        if not self._any_limit:
            return None
        if key not in self._limits:
            self._limits[key] = services.handling_limit_for(category, request_type)
        return self._limits[key]


def _reserve_numbers(case_type: CaseType, years: Counter) -> dict[int, list[str]]:
    """A block of case numbers per year from the same sequence `case_open` uses."""
    numbers: dict[int, list[str]] = {}
    for year, count in sorted(years.items()):
        sequence, _ = NumberSequence.objects.select_for_update().get_or_create(case_type=case_type, year=year)
        first = sequence.last + 1
        sequence.last += count
        sequence.save(update_fields=["last"])
        numbers[year] = [
            case_type.number_format.format(prefix=case_type.number_prefix, year=year, seq=seq)
            for seq in range(first, first + count)
        ]
        numbers[year].reverse()  # pop() hands them out in ascending order
    return numbers


@transaction.atomic
def tickets_load_history(
    *,
    actor: User,
    rows: Sequence[HistoryRow],
    source: str = "",
    progress: Callable[[int], None] | None = None,
) -> HistoryLoad:
    """Write historical requests with their whole course; all or nothing.

    The actor is a 12345 operator (the centre that took the requests). Rows are validated first
    (`row_problems`); any problem refuses the whole batch with every row's message.
    """
    centre = permissions.centre_of(actor)
    if centre is None:
        raise PermissionDenied("只有12345话务员可以导入热线历史诉求。")
    if not rows:
        raise ValidationError("没有可导入的诉求。")
    _check_rows(rows)
    case_type = CaseType.objects.prefetch_related("stages").get(code=services.HOTLINE_CASE_TYPE)
    clock = _Clock(case_type)
    ordered = sorted(rows, key=lambda r: r.received_at)
    counts = Counter()
    first_number = last_number = ""
    for start in range(0, len(ordered), BATCH_SIZE):
        batch = ordered[start : start + BATCH_SIZE]
        numbers = _write_batch(actor=actor, centre=centre, rows=batch, clock=clock, counts=counts)
        if numbers:
            first_number = first_number or numbers[0]
            last_number = numbers[-1]
        if progress is not None:
            progress(len(batch))
    result = HistoryLoad(
        tickets=counts["tickets"],
        cases=counts["cases"],
        closed=counts["closed"],
        guidance=counts["guidance"],
        first_number=first_number,
        last_number=last_number,
    )
    audit.record(
        actor=actor,
        action="hotline.history_loaded",
        after={
            **result.__dict__,
            "source": source[:200],
            "replies": counts["replies"],
            "callbacks": counts["callbacks"],
        },
    )
    return result


def _insert(model: type[Model], objs: list[Model]) -> None:
    """`bulk_create`, or on PostgreSQL one COPY per table: ids drawn from the table's own sequence
    first (so the rows that point at these can be built), then the rows streamed. The values are
    the ones `bulk_create` would write (`pre_save`, `get_db_prep_save`: timestamps, ciphertext and
    blind indexes of the caller's fields); COPY only skips building and parsing an INSERT."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return
    # The wrapper itself: the `connection` proxy would cost a thread-local lookup per value.
    conn = connections[DEFAULT_DB_ALIAS]
    opts, qn = model._meta, conn.ops.quote_name
    fields = opts.concrete_fields
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(qn(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {qn(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), conn) for f in fields])
    for obj in objs:
        obj._state.adding, obj._state.db = False, conn.alias


def _timeline(case_index: int, at: datetime, actor: User | None, action: str, note: str, **extra) -> tuple:
    return (case_index, at, actor, action, note, extra)


def _write_batch(
    *, actor: User, centre: Unit, rows: Sequence[HistoryRow], clock: _Clock, counts: Counter
) -> list[str]:
    stage_sign, stage_final = clock.first_stage, clock.final_stage
    stage_handle = clock.by_code.get(REOPEN_STAGE, stage_sign)
    dispatched: list[tuple[HistoryRow, Unit, str]] = []  # (row, lead unit, period)
    tickets: list[Ticket] = []
    for row in rows:
        ticket = Ticket(
            centre=centre,
            request_type=row.request_type,
            category=row.category,
            channel=row.channel,
            caller_name=(row.caller_name or "").strip(),
            caller_phone=crypto.normalise(row.caller_phone, "phone") if row.caller_phone else "",
            confidential=row.confidential,
            region=row.region,
            address=(row.address or "").strip()[:200],
            latitude=row.latitude,
            longitude=row.longitude,
            content=row.content.strip(),
            received_at=row.received_at,
            signed_at=row.signed_at,
            created_by=actor,
        )
        lead = row.lead_unit
        found = None if (lead is not None or row.replies) else rules.triage(ticket.content)
        if found is not None:
            ticket.disposition = Disposition.EMERGENCY if found.kind == "emergency" else Disposition.STATUTORY
            ticket.triage, ticket.guidance = found.code, found.guidance
            counts["guidance"] += 1
        else:
            ticket.triage_overridden = lead is not None and rules.triage(ticket.content) is not None
            if lead is None:
                routed = routing.suggest_route(
                    text=ticket.content,
                    region=row.region,
                    category=row.category,
                    request_type=row.request_type,
                )
                lead = routed.lead_unit if routed.routable else centre
            limit = clock.limit(row.category, row.request_type)
            dispatched.append((row, lead, limit.period if limit else ""))
        tickets.append(ticket)

    years = Counter(timezone.localdate(row.received_at).year for row, _lead, _period in dispatched)
    numbers = _reserve_numbers(clock.case_type, years)
    cases: list[Case] = []
    timeline: list[tuple] = []
    links: list[tuple[int, Unit, str, datetime, bool]] = []
    issued: list[str] = []
    for index, (row, lead, period) in enumerate(dispatched):
        handler = row.handler or actor
        start = timezone.localdate(row.received_at)
        number = numbers[start.year].pop()
        issued.append(number)
        try:
            due = clock.due(start, period or clock.case_type.period)
            sign_period = stage_sign.period
            stage_due = clock.due(start, sign_period) if sign_period else None
        except CalendarRangeError as exc:
            raise ValidationError(f"受理时间{row.received_at:%Y-%m-%d}的诉求：{exc.message}") from None
        first_unit = row.returned_from or lead
        case = Case(
            number=number,
            case_type=clock.case_type,
            title=services._title(row.content),
            description=row.content.strip(),
            handling_unit=lead,
            received_at=row.received_at,
            start_date=start,
            period=period,
            due_date=due,
            stage=stage_sign,
            stage_started_on=start,
            stage_due_date=stage_due,
            is_confidential=row.confidential,
            created_by=actor,
        )
        timeline.append(
            _timeline(
                index, row.received_at, actor, "opened", f"登记并交办{first_unit.name}", due=due.isoformat()
            )
        )
        links.append((index, first_unit, CaseUnit.Role.LEAD, row.received_at, row.returned_from is None))
        links += [(index, unit, CaseUnit.Role.CO, row.received_at, True) for unit in row.co_units]
        if row.returned_from is not None:
            timeline.append(
                _timeline(
                    index,
                    row.returned_at,
                    actor,
                    "assigned",
                    f"派单至{lead.name}",
                    before=("open", stage_sign.code),
                    to_unit=lead.pk,
                )
            )
            links.append((index, lead, CaseUnit.Role.LEAD, row.returned_at, True))
        if row.signed_at is not None:
            timeline.append(
                _timeline(
                    index,
                    row.signed_at,
                    handler,
                    "advanced",
                    f"{lead.name}签收",
                    before=("open", stage_sign.code),
                    to=("open", stage_handle.code),
                )
            )
            case.stage, case.stage_started_on, case.stage_due_date = (
                stage_handle,
                timezone.localdate(row.signed_at),
                None,
            )
        for i, reply in enumerate(row.replies):
            timeline.append(
                _timeline(
                    index,
                    reply.replied_at,
                    handler,
                    "closed",
                    f"答复来电人：{reply.text.strip()}\n办理情况：{reply.actions.strip()}",
                    before=("open", case.stage.code),
                    to=("closed", stage_final.code),
                )
            )
            case.status, case.closed_at = Case.Status.CLOSED, reply.replied_at
            case.stage, case.stage_started_on, case.stage_due_date = (
                stage_final,
                timezone.localdate(reply.replied_at),
                None,
            )
            callback = row.callbacks[i] if i < len(row.callbacks) else None
            if callback is not None and callback.reopen == ReopenRequest.Status.ACCEPTED:
                reopened_on = timezone.localdate(callback.decided_at)
                try:
                    case.due_date = clock.due(reopened_on, period or clock.case_type.period)
                except CalendarRangeError as exc:
                    raise ValidationError(f"{number}重办：{exc.message}") from None
                timeline.append(
                    _timeline(
                        index,
                        callback.decided_at,
                        actor,
                        "reopened",
                        f"重办：{(callback.decision_note or '回访不满意，中心决定重办').strip()}",
                        before=("closed", stage_final.code),
                        to=("open", stage_handle.code),
                        due=case.due_date.isoformat(),
                    )
                )
                case.status, case.closed_at, case.start_date = Case.Status.OPEN, None, reopened_on
                case.stage, case.stage_started_on = stage_handle, reopened_on
        cases.append(case)

    _insert(Case, cases)
    case_iter = iter(cases)
    for ticket in tickets:
        if ticket.disposition == Disposition.DISPATCH:
            ticket.case = next(case_iter)
    _insert(Ticket, tickets)
    _insert(
        CaseUnit,
        [
            CaseUnit(case=cases[i], unit=unit, role=role, assigned_at=at, is_active=active)
            for i, unit, role, at, active in links
        ],
    )
    entries = []
    for i, at, who, action, note, extra in timeline:
        before, to = extra.pop("before", None), extra.pop("to", None)
        if before is not None and to is None:
            to = before
        entries.append(
            TimelineEntry(
                case=cases[i],
                at=at,
                actor=who,
                action=action,
                from_status=before[0] if before else "",
                to_status=to[0] if to else "",
                from_stage=before[1] if before else "",
                to_stage=to[1] if to else "",
                note=note,
                data=extra,
            )
        )
    _insert(TimelineEntry, entries)

    ticket_of_case = {t.case_id: t for t in tickets if t.case_id}
    returns, replies, reply_rows = [], [], []
    for (row, lead, _period), case in zip(dispatched, cases, strict=True):
        ticket = ticket_of_case[case.pk]
        handler = row.handler or actor
        if row.returned_from is not None:
            returns.append(
                TicketReturn(
                    ticket=ticket,
                    unit=row.returned_from,
                    category=row.category,
                    reason=row.return_reason.strip(),
                    suggested_unit=lead,
                    returned_by=row.returner or actor,
                    returned_at=row.returned_at,
                    status=TicketReturn.Status.ACCEPTED,
                    decided_by=actor,
                    decided_at=row.returned_at,
                    reassigned_to=lead,
                )
            )
        topic = [row.category.name, *row.category.keyword_list()]
        for i, reply in enumerate(row.replies):
            flags = rules.reply_flags(
                text=reply.text,
                actions=reply.actions,
                contacted_caller=reply.contacted_caller,
                content=ticket.content,
                topic_words=topic,
            )
            replies.append(
                Reply(
                    ticket=ticket,
                    unit=lead,
                    text=reply.text.strip(),
                    actions=reply.actions.strip(),
                    contacted_caller=reply.contacted_caller,
                    replied_at=reply.replied_at,
                    replied_by=handler,
                    review_flags=[{"code": f.code, "message": f.message} for f in flags],
                )
            )
            reply_rows.append((row, i))
    _insert(TicketReturn, returns)
    _insert(Reply, replies)

    callbacks, decisions = [], []
    for reply, (row, i) in zip(replies, reply_rows, strict=True):
        if i >= len(row.callbacks):
            continue
        spec = row.callbacks[i]
        callbacks.append(
            Callback(
                ticket=reply.ticket,
                reply=reply,
                satisfaction=spec.satisfaction,
                resolution=spec.resolution,
                note=(spec.note or "").strip(),
                called_by=actor,
                called_at=spec.called_at,
            )
        )
        decisions.append(spec)
    _insert(Callback, callbacks)
    reopens = [
        ReopenRequest(
            ticket=callback.ticket,
            callback=callback,
            status=spec.reopen or ReopenRequest.Status.PENDING,
            decided_by=actor if spec.reopen in ("accepted", "rejected") else None,
            decided_at=spec.decided_at if spec.reopen in ("accepted", "rejected") else None,
            decision_note=(spec.decision_note or "").strip()[:300],
        )
        for callback, spec in zip(callbacks, decisions, strict=True)
        if callback.is_unhappy
    ]
    ReopenRequest.objects.bulk_create(reopens, batch_size=BATCH_SIZE)
    for request in reopens:
        request.created_at = request.callback.called_at  # 申请时间 is when the caller said so
    ReopenRequest.objects.bulk_update(reopens, ["created_at"], batch_size=BATCH_SIZE)

    open_cases = [c for c in cases if c.status != Case.Status.CLOSED]
    Notice.objects.bulk_create(
        [
            Notice(
                unit_id=c.handling_unit_id,
                case=c,
                kind=Notice.Kind.ASSIGNED,
                title=f"新交办：{c.number} {c.title}"[:200],
                key=f"assigned:{c.pk}:{c.handling_unit_id}",
            )
            for c in open_cases
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    counts["tickets"] += len(tickets)
    counts["cases"] += len(cases)
    counts["closed"] += len(cases) - len(open_cases)
    counts["replies"] += len(replies)
    counts["callbacks"] += len(callbacks)
    return issued


# --- the demo city's year of history -------------------------------------------------------------------


class _Voice:
    """Puts a caller's words together from the phrasebook (see its docstring for the recipe)."""

    def __init__(self, rng):
        self.rng = rng

    def pick(self, pool):
        return pool[self.rng.randrange(len(pool))]

    def building(self) -> str:
        rng = self.rng
        return self.pick(
            (
                f"{rng.randint(1, 32)}号楼",
                f"{rng.randint(1, 32)}号楼{rng.randint(1, 6)}单元",
                f"{rng.randint(1, 20)}栋{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}",
                f"{rng.randint(1, 6)}单元{rng.randint(1, 7)}0{rng.randint(1, 2)}室",
                f"{rng.randint(1, 12)}号楼{rng.randint(1, 6)}楼",
            )
        )

    def slots(self, *, road: str, community: str, street: str) -> dict[str, str]:
        from fazhi.hotline import phrasebook as pb

        rng = self.rng
        xq = self.pick(pb.XIAOQU)
        other_road = self.pick(pb.ROADS)
        loc = self.pick(
            (
                f"{road}和{other_road}交叉口",
                f"{xq}{self.building()}楼下",
                f"{self.pick(pb.LANDMARKS)}对面",
                f"{self.pick(pb.LANDMARKS)}门口",
                f"{road}{rng.randint(1, 399)}号附近",
                f"{community}",
                f"{xq}门口",
                f"{road}东头",
                f"{road}往北一百米",
                f"{street}{community}",
                f"{xq}北门",
            )
        )
        return {
            "loc": loc,
            "road": road,
            "xq": xq,
            "bld": self.building(),
            "landmark": self.pick(pb.LANDMARKS),
            "eatery": self.pick(pb.EATERIES),
            "store": self.pick(pb.STORES),
            "gym": self.pick(pb.GYMS),
            "company": self.pick(pb.COMPANIES),
            "school": self.pick(pb.SCHOOLS),
            "hospital": self.pick(pb.HOSPITALS),
            "site": self.pick(pb.SITES),
            "n": self.pick(("2", "3", "5", "两", "三", "七", "11", "26", "8", "十")),
            "dur": self.pick(pb.DURATIONS),
            "time": self.pick(pb.TIMES),
            "money": self.pick(pb.MONEY),
            "street": street,
            "community": community,
        }

    def spoken(self, text: str) -> str:
        """Dialect, fillers, particles, typos and sloppy punctuation, each now and then."""
        from fazhi.hotline import phrasebook as pb

        rng = self.rng
        if rng.random() < 0.25:
            for plain, local in rng.sample(pb.DIALECT, rng.randint(1, 3)):
                text = text.replace(plain, local, 1)
        if rng.random() < 0.2:
            pieces = text.split("，")
            at = rng.randrange(1, len(pieces)) if len(pieces) > 1 else 0
            pieces[at] = self.pick(pb.FILLERS) + pieces[at]
            text = "，".join(pieces)
        if rng.random() < 0.3:
            text = text.replace("，", self.pick(pb.PARTICLES) + "，", 1)
        if rng.random() < 0.14:
            wrong, slip = self.pick(pb.TYPOS)
            text = text.replace(wrong, slip, 1)
        if rng.random() < 0.08:
            text = text.replace("，", self.pick((" ", "", ",")))
        if rng.random() < 0.05:
            text = text.rstrip("。") + self.pick(("！！", "！！！", "?", "。。。"))
        return text

    def colloquial(self, *, cores: list[str], slots: dict, request_type: str, repeat: int) -> str:
        from fazhi.hotline import phrasebook as pb

        rng = self.rng
        parts = [self.pick(pb.OPENERS) + self.pick(pb.INTROS).format(**slots)]
        if repeat:
            parts.append(
                self.pick(pb.REPEAT_MARKS).format(k=self.pick(("二", "三", "好几", str(repeat + 1))))
            )
        parts += [core.format(**slots) for core in cores]
        for detail in rng.sample(pb.DETAILS, rng.choice((0, 1, 1, 2))):
            parts.append(detail.format(**slots))
        parts.append(self.pick(pb.DEMANDS[request_type]))
        text = "，".join(p.strip("，") for p in parts if p.strip("，")) + "。" + self.pick(pb.CLOSINGS)
        return self.spoken(text)

    def summary(self, *, cores: list[str], slots: dict, place: str, request_type: str, repeat: int) -> str:
        """The operator's written record: third person, the place first, the demand last."""
        rng = self.rng
        lead = self.pick(("市民来电反映：", "来电人反映：", "来电人称，", "市民反映，", "来电反映："))
        body = "，".join(core.format(**slots) for core in cores)
        for plain, third in (("我家", "其家"), ("我们", "他们"), ("我的", "其"), ("我", "来电人")):
            body = body.replace(plain, third)
        again = self.pick(("（重复来电）", "来电人此前已反映过该问题，", "系多次反映，")) if repeat else ""
        ask = {
            "consultation": "来电人咨询相关政策及办理流程，请予以解答。",
            "help": "来电人请求相关部门协助解决。",
            "complaint": self.pick(
                ("请相关部门核实处理。", "要求相关部门尽快处理并答复。", "请相关部门尽快解决。")
            ),
            "report": "来电人举报上述情况，请相关部门依法调查处理。",
            "suggestion": "来电人建议相关部门研究采纳。",
            "praise": "来电人对相关工作人员表示感谢。",
            "other": "请相关部门协助处理。",
        }[request_type]
        where = place if rng.random() < 0.7 else ""
        if slots["community"] in body:  # the place already names the community
            where = where.replace(slots["community"], "")
        text = f"{again}{lead}{where}{body}。{ask}"
        return text if rng.random() > 0.1 else self.spoken(text)


def _weighted_code(table: dict, code: str):
    for cut in (6, 4, 2, 0):
        if code[:cut] in table:
            return table[code[:cut]]
    return None


def generate_history(
    *,
    actor: User,
    count: int,
    seed: int = 20240101,
    today: date | None = None,
    units: dict[str, Unit] | None = None,
    progress: Callable[[int], None] | None = None,
) -> HistoryLoad:
    """A year of 12345 history ending today: `count` requests over all streets, categories and
    units of the city, written through `tickets_load_history`. Same seed, same day → same history
    (tracking codes are random: they are credentials).

    `units` maps the phrasebook's unit keys (cgj, zjj, water …) to units; streets and townships
    are found by region. Requests whose unit is missing fall back to the street.
    """
    import random

    rows = history_rows(
        actor=actor, count=count, seed=seed, today=today, units=units or {}, rng=random.Random(seed)
    )
    return tickets_load_history(actor=actor, rows=rows, source=f"演示历史（种子{seed}）", progress=progress)


def history_rows(
    *, actor: User, count: int, seed: int, today: date | None, units: dict[str, Unit], rng
) -> list[HistoryRow]:
    from datetime import time as clock_time
    from datetime import timedelta

    from fazhi.hotline import phrasebook as pb
    from fazhi.hotline.models import Channel
    from fazhi.org.models import Membership, Role

    today = today or timezone.localdate()
    now = timezone.now()
    voice = _Voice(rng)
    leaves = list(
        Category.objects.filter(level=Category.Level.THIRD, is_active=True, code__in=pb.CORES).order_by(
            "code"
        )
    )
    if not leaves:
        raise ValidationError("诉求分类中没有可用的三级分类。")
    area_size = Counter(c.code[:2] for c in leaves)
    base = [pb.AREA_WEIGHTS.get(c.code[:2], 1) / area_size[c.code[:2]] for c in leaves]
    month_weights = {
        month: [
            w * (_weighted_code(pb.SEASONS, c.code) or (1,) * 12)[month - 1]
            for w, c in zip(base, leaves, strict=True)
        ]
        for month in range(1, 13)
    }
    streets = list(Region.objects.filter(level=Region.Level.STREET).select_related("parent").order_by("code"))
    if not streets:
        raise ValidationError("没有乡镇街道区划，无法生成历史诉求。")
    communities: dict[int, list[Region]] = {}
    for community in Region.objects.filter(level=Region.Level.COMMUNITY).order_by("code"):
        communities.setdefault(community.parent_id, []).append(community)
    street_unit = {
        u.region_id: u for u in Unit.objects.filter(kind=Unit.Kind.TOWNSHIP, status=Unit.Status.ACTIVE)
    }
    streets = [s for s in streets if s.pk in street_unit and communities.get(s.pk)]
    urban = [s for s in streets if s.code[-3:] < "100"]
    rural = [s for s in streets if s.code[-3:] >= "100"] or urban
    handlers = {}
    for membership in (
        Membership.objects.filter(role=Role.HANDLER, is_active=True).select_related("user").order_by("id")
    ):
        handlers.setdefault(membership.unit_id, membership.user)
    # A street's place on the map: a stable point per street near 36.6°N 117.0°E, jittered per request.
    centroid = {
        s.pk: (
            Decimal("36.40") + Decimal(int(s.code[-5:]) % 47) / 100,
            Decimal("116.80") + Decimal(int(s.code[-4:]) % 53) / 100,
        )
        for s in streets
    }
    days = [today - timedelta(days=d) for d in range(365, -1, -1)]
    day_weights = [0.8 if d.weekday() >= 5 else 1.0 for d in days]
    type_table = {key: value for key, value in pb.TYPE_WEIGHTS.items()}
    channels = (Channel.PHONE, Channel.WEB, Channel.API, Channel.OPEN311, Channel.OTHER)
    issues: list[dict] = []
    rows: list[HistoryRow] = []
    all_units = [u for u in units.values() if u.is_active]

    def unit_for(code: str, street: Region) -> Unit:
        options = _weighted_code(pb.ROUTES, code) or (("street", 1),)
        key = rng.choices([k for k, _ in options], weights=[w for _, w in options])[0]
        unit = units.get(key) if key != "street" else None
        return unit if unit is not None and unit.is_active else street_unit[street.pk]

    def moment(day: date, hours: tuple[int, ...]) -> datetime:
        return timezone.make_aware(datetime.combine(day, clock_time(rng.choice(hours), rng.randrange(60))))

    def later(at: datetime, *, hours: float) -> datetime:
        return at + timedelta(hours=hours, minutes=rng.randrange(60))

    for _ in range(count):
        day = rng.choices(days, weights=day_weights)[0]
        repeat = 0
        recent = [i for i in issues[-400:] if (day - i["day"]).days in range(3, 60)]
        if recent and rng.random() < 0.12:
            issue = rng.choice(recent)
            issue["times"] += 1
            repeat = issue["times"]
            category, street, community = issue["category"], issue["street"], issue["community"]
        else:
            category = rng.choices(leaves, weights=month_weights[day.month])[0]
            rural_matter = category.code[:2] == "12" or category.code in (
                "030103",
                "040402",
                "130301",
                "130302",
            )
            street = rng.choice(rural if rural_matter or rng.random() < 0.18 else urban)
            community = rng.choice(communities[street.pk])
            issue = None
        night = any(category.code.startswith(p) for p in pb.NIGHT)
        hours = (19, 20, 21, 21, 22, 22, 23, 23, 0, 1) if night and rng.random() < 0.7 else (
            7, 8, 8, 9, 9, 9, 10, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 16, 17, 18, 19, 20, 21,
        )  # fmt: skip
        received = moment(day, hours)
        if received > now:
            received = now - timedelta(minutes=rng.randint(5, 300))
        request_type = rng.choices(pb.TYPE_CODES, weights=_weighted_code(type_table, category.code))[0]
        road = voice.pick(pb.ROADS)
        slots = voice.slots(road=road, community=community.name, street=street.name)
        cores = [voice.pick(pb.CORES[category.code])]
        if rng.random() < 0.2 and len(pb.CORES[category.code]) > 1:
            cores.append(voice.pick([c for c in pb.CORES[category.code] if c != cores[0]]))
        if issue is not None:
            slots.update(issue["slots"])
            cores = [issue["core"]]
        place = f"{street.parent.name if street.parent_id else ''}{street.name}{community.name}"
        channel = rng.choices(channels, weights=(72, 10, 10, 3, 5))[0]
        written = channel == Channel.PHONE and rng.random() < 0.6
        content = (
            voice.summary(cores=cores, slots=slots, place=place, request_type=request_type, repeat=repeat)
            if written
            else voice.colloquial(cores=cores, slots=slots, request_type=request_type, repeat=repeat)
        )
        if issue is None:
            caller_phone = (
                f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
                if rng.random() < 0.94
                else f"0539{rng.randrange(10**7):07d}"
            )
            caller_name = (
                rng.choice(("王", "张", "李", "刘", "孙", "赵", "陈", "周", "马", "徐", "高", "于"))
                + rng.choice(("先生", "女士", "师傅", "阿姨", "大爷"))
                if rng.random() < 0.55
                else ""
            )
            if rng.random() < 0.5:
                issues.append(
                    {
                        "day": day,
                        "times": 1,
                        "category": category,
                        "street": street,
                        "community": community,
                        "core": cores[0],
                        "slots": dict(slots),
                        "phone": caller_phone,
                        "name": caller_name,
                    }
                )
        else:
            caller_phone, caller_name = issue["phone"], issue["name"]
        lat = lon = None
        if channel != Channel.PHONE and rng.random() < 0.6 or rng.random() < 0.1:
            clat, clon = centroid[street.pk]
            lat = clat + Decimal(rng.randint(-900, 900)) / 100000
            lon = clon + Decimal(rng.randint(-900, 900)) / 100000
        lead = unit_for(category.code, street)
        row = HistoryRow(
            content=content,
            request_type=request_type,
            category=category,
            region=community,
            channel=channel,
            received_at=received,
            address=rng.choice(
                (
                    f"{road}{rng.randint(1, 399)}号",
                    f"{slots['xq']}{slots['bld']}",
                    f"{slots['landmark']}附近",
                    "",
                )
            ),
            caller_name=caller_name,
            caller_phone=caller_phone,
            confidential=request_type == "report" and rng.random() < 0.5,
            latitude=lat,
            longitude=lon,
            lead_unit=lead,
        )
        if rules.triage(content) is not None:
            row.lead_unit = None  # an emergency or a matter for the courts: recorded, not dispatched
            rows.append(row)
            continue
        row.handler = handlers.get(lead.pk)
        last = received
        if rng.random() < 0.05 and all_units:
            wrong = rng.choice([u for u in [*all_units, street_unit[street.pk]] if u.pk != lead.pk])
            row.returned_from, row.returner = wrong, handlers.get(wrong.pk)
            row.returned_at = later(received, hours=rng.uniform(1, 30))
            row.return_reason = voice.pick(pb.RETURN_REASONS).format(unit=lead.name)
            last = row.returned_at
        sign_hours = rng.uniform(0.3, 20) if rng.random() < 0.9 else rng.uniform(24, 80)
        signed = later(last, hours=sign_hours)
        if signed > now:
            rows.append(row)
            continue
        row.signed_at = last = signed
        rounds = 0
        while rounds < 2:
            rounds += 1
            roll = rng.random()
            handling_days = (
                rng.uniform(0.2, 5)
                if roll < 0.72
                else rng.uniform(5, 8)
                if roll < 0.88
                else rng.uniform(8, 25)
            )
            replied = later(last, hours=handling_days * 24)
            if replied > now:
                break
            topic = category.name
            thin = rng.random() < 0.06
            if thin:
                text, actions = voice.pick(pb.THIN_REPLIES)
            else:
                fill = {
                    "topic": topic,
                    "place": place,
                    "street": street.name,
                    "day": voice.pick(pb.REPLY_DAYS),
                    "deadline": voice.pick(pb.REPLY_DEADLINES),
                }
                action = voice.pick(pb.REPLY_ACTIONS).format(**fill)
                text = voice.pick(pb.REPLY_OPENERS).format(**fill) + action + "。已将办理结果告知来电人。"
                actions = action + "。"
            row.replies.append(
                ReplySpec(
                    text=text,
                    actions=actions,
                    replied_at=replied,
                    contacted_caller=not thin and rng.random() < 0.93,
                )
            )
            last = replied
            called = later(replied, hours=rng.uniform(6, 72))
            if called > now or rng.random() < 0.12:
                break
            if thin:
                satisfaction = rng.choices(
                    ("satisfied", "basically", "unsatisfied", "unreachable"), (2, 3, 5, 1)
                )[0]
            else:
                satisfaction = rng.choices(
                    ("satisfied", "basically", "unsatisfied", "unreachable"), (68, 17, 8, 7)
                )[0]
            resolution = {
                "satisfied": "resolved",
                "basically": rng.choice(("resolved", "partial")),
                "unsatisfied": rng.choice(("unresolved", "unresolved", "partial")),
                "unreachable": "unknown",
            }[satisfaction]
            spec = CallbackSpec(
                called_at=called,
                satisfaction=satisfaction,
                resolution=resolution,
                note=voice.pick(pb.CALLBACK_NOTES[satisfaction]),
            )
            row.callbacks.append(spec)
            last = called
            if not Callback(satisfaction=satisfaction, resolution=resolution).is_unhappy:
                break
            decided = later(called, hours=rng.uniform(1, 30))
            if decided > now:
                spec.reopen = ReopenRequest.Status.PENDING
                break
            decision = rng.choices(("accepted", "rejected", "pending"), (6, 3, 1))[0]
            spec.reopen = decision
            if decision == "pending":
                break
            spec.decided_at = last = decided
            if decision == "rejected":
                spec.decision_note = voice.pick(
                    (
                        "诉求超出政策规定，承办单位已解释到位",
                        "经核实承办单位已按规定办理，不予重办",
                        "来电人诉求无法律依据，已做好解释",
                    )
                )
                break
            spec.decision_note = voice.pick(
                ("回访不满意，问题未解决，退回重办", "来电人反映问题反复，要求承办单位重新办理")
            )
        rows.append(row)
    return rows
