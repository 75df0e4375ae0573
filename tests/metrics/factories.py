"""A random city's casework, written straight to the tables, for checking figures.

Rows are created directly (not through the services) so that one seed reaches every state a
figure distinguishes: late and on-time closings, signings before and after the limit, per-case
sign limits, reassignments with returns, replies, repeated callbacks, reopenings, merged and
guidance-only requests, repeat callers, supervisions, times just before and after midnight in
Beijing.
"""

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from fazhi.cases.models import Case, CaseType, CaseUnit, Supervision, TimelineEntry
from fazhi.hotline.models import (
    Callback,
    Category,
    Channel,
    Disposition,
    Rating,
    RatingLevel,
    ReopenRequest,
    Reply,
    RequestType,
    Ticket,
    TicketReturn,
)
from fazhi.org.models import Region, Role, Unit, User
from tests.org.factories import RegionFactory, UnitFactory, user_with_role

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2024, 6, 30)
TODAY = date(2024, 7, 15)  # the day figures are computed on in these tests
PHONES = [f"1381234{n:04d}" for n in range(12)]


@dataclass
class World:
    government: Unit
    departments: list[Unit]
    township: Unit
    village: Unit
    centre: Unit
    region: Region
    operator: User
    handlers: list[Unit] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def build_units() -> World:
    region = RegionFactory(code="379900", name="明湖市", level=Region.Level.CITY)
    government = UnitFactory(name="明湖市人民政府", kind=Unit.Kind.GOVERNMENT, region=region)
    departments = [
        UnitFactory(name=name, parent=government, region=region)
        for name in ("明湖市城市管理局", "明湖市住房和城乡建设局", "明湖市生态环境局")
    ]
    township = UnitFactory(
        name="明湖市湖滨街道办事处", kind=Unit.Kind.TOWNSHIP, parent=government, region=region
    )
    village = UnitFactory(name="湖滨街道城管中队", kind=Unit.Kind.OTHER, parent=township, region=region)
    centre = UnitFactory(name="明湖市12345热线中心", kind=Unit.Kind.OTHER, parent=government, region=region)
    operator = user_with_role(Role.OPERATOR, centre, scope="all")
    world = World(government, departments, township, village, centre, region, operator)
    world.handlers = [*departments, township, village]
    return world


def _moment(rng: random.Random, first: date = FIRST_DAY, last: date = LAST_DAY) -> datetime:
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    hour, minute = rng.choice([(0, 5), (7, 59), (8, 1), (23, 55), (rng.randint(0, 23), rng.randint(0, 59))])
    return local(day, hour, minute)


def _day_of(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def _case(
    world: World, rng: random.Random, case_type: CaseType, received: datetime, unit: Unit, n: int
) -> Case:
    start = _day_of(received)
    status = rng.choices([Case.Status.CLOSED, Case.Status.OPEN, Case.Status.SUSPENDED], weights=[6, 3, 1])[0]
    due = start + timedelta(days=rng.randint(2, 40))
    closed_at = None
    if status == Case.Status.CLOSED:
        close_day = start + timedelta(days=rng.randint(0, 50))
        # sometimes exactly on the due day, late in the evening (the local-date boundary)
        closed_at = local(due, 23, 50) if rng.random() < 0.15 else local(close_day, rng.randint(0, 23))
    stage_periods = rng.choice([{}, {}, {}, {"sign": "2wd"}, {"sign": "1d"}, {"sign": "3WD"}])
    return Case.objects.create(
        number=f"T-{case_type.code}-{n:05d}",
        case_type=case_type,
        title=f"测试案件{n}",
        handling_unit=unit,
        status=status,
        received_at=received,
        start_date=start,
        due_date=due,
        closed_at=closed_at,
        stage_periods=stage_periods,
        created_by=world.operator,
    )


def build_world(rng: random.Random, *, cases: int = 40, tickets: int = 90) -> World:
    world = build_units()
    other_types = list(CaseType.objects.exclude(code="hotline"))
    hotline = CaseType.objects.get(code="hotline")
    leaves = list(Category.objects.filter(level=Category.Level.THIRD).order_by("code")[:40])
    user = world.operator
    n = 0
    for _ in range(cases):
        n += 1
        case = _case(world, rng, rng.choice(other_types), _moment(rng), rng.choice(world.handlers), n)
        CaseUnit.objects.create(case=case, unit=case.handling_unit, role="lead", assigned_at=case.received_at)
        world.cases.append(case)

    for _ in range(tickets):
        n += 1
        received = _moment(rng)
        kind = rng.choices(["dispatch", "centre", "merged", "guidance"], weights=[14, 2, 2, 1])[0]
        phone = rng.choice(PHONES) if rng.random() < 0.8 else ""
        category = rng.choice(leaves[:8]) if rng.random() < 0.6 else rng.choice(leaves)
        ticket = Ticket(
            centre=world.centre,
            request_type=rng.choice(RequestType.values),
            category=category,
            channel=Channel.PHONE,
            caller_phone=phone,
            region=world.region,
            content="测试诉求内容",
            received_at=received,
            created_by=user,
        )
        if kind == "guidance":
            ticket.disposition, ticket.triage = Disposition.EMERGENCY, "119"
            ticket.save()
            world.tickets.append(ticket)
            continue
        if kind == "merged" and world.tickets:
            target = rng.choice([t for t in world.tickets if t.case_id] or [None])
            if target is not None:
                ticket.disposition, ticket.merged_into = Disposition.MERGED, target
                ticket.merged_at = received
                ticket.save()
                world.tickets.append(ticket)
                continue
        unit = world.centre if kind == "centre" else rng.choice(world.handlers)
        case = _case(world, rng, hotline, received, unit, n)
        ticket.case = case
        ticket.save()
        _hotline_history(world, rng, ticket, case)
        world.tickets.append(ticket)

    supervised = rng.sample(world.cases, k=8) + rng.sample([t.case for t in world.tickets if t.case_id], k=16)
    for level, case in zip(itertools.cycle(Supervision.Level.values), supervised, strict=False):
        issued = case.received_at + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 12))
        Supervision.objects.create(
            case=case,
            level=level,
            reason="超期未办结",
            due_date=_day_of(issued) + timedelta(days=5),
            issued_by=user,
            issuing_unit=world.government,
            issued_at=issued,
            resolved_at=issued + timedelta(days=2) if rng.random() < 0.5 else None,
        )
    # Domain apps add the records their own indicators count.
    from tests.mediation.factories import metrics_world as mediation_world
    from tests.suggestions.factories import metrics_world as suggestions_world

    suggestions_world(world, rng)
    mediation_world(world, rng)
    return world


def _hotline_history(world: World, rng: random.Random, ticket: Ticket, case: Case) -> None:
    user = world.operator
    lead_since = case.received_at + timedelta(hours=rng.choice([0, 0, 5, 30]))
    if case.handling_unit_id != world.centre.pk and rng.random() < 0.3:
        # first sent to another unit, which returned it
        wrong = rng.choice([u for u in world.handlers if u.pk != case.handling_unit_id])
        CaseUnit.objects.create(
            case=case, unit=wrong, role="lead", assigned_at=case.received_at, is_active=False
        )
        TicketReturn.objects.create(
            ticket=ticket,
            unit=wrong,
            category=ticket.category,
            reason="不属于本单位职责范围",
            returned_by=user,
            returned_at=lead_since,
            status=TicketReturn.Status.ACCEPTED,
        )
    CaseUnit.objects.create(case=case, unit=case.handling_unit, role="lead", assigned_at=lead_since)
    if rng.random() < 0.2:
        # a return the centre rejected: the unit keeps it
        TicketReturn.objects.create(
            ticket=ticket,
            unit=case.handling_unit,
            category=ticket.category,
            reason="不属于本单位职责范围",
            returned_by=user,
            returned_at=lead_since + timedelta(hours=2),
            status=TicketReturn.Status.REJECTED,
        )
    if case.handling_unit_id != world.centre.pk and (case.status == Case.Status.CLOSED or rng.random() < 0.6):
        ticket.signed_at = lead_since + timedelta(
            days=rng.choice([0, 0, 1, 2, 3, 4]), hours=rng.randint(0, 9)
        )
        ticket.save(update_fields=["signed_at", "updated_at"])
    if case.status == Case.Status.CLOSED or rng.random() < 0.1:
        reply = Reply.objects.create(
            ticket=ticket,
            unit=case.handling_unit,
            text="已到现场核实并处理",
            actions="现场核查",
            contacted_caller=True,
            replied_at=case.closed_at or lead_since + timedelta(days=1),
            replied_by=user,
        )
        if rng.random() < 0.5:
            Rating.objects.create(ticket=ticket, level=rng.choice(RatingLevel.values), unit=reply.unit)
        for k in range(rng.choice([0, 1, 1, 2])):
            callback = Callback.objects.create(
                ticket=ticket,
                reply=reply,
                satisfaction=rng.choice(Callback.Satisfaction.values),
                resolution=rng.choice(Callback.Resolution.values),
                called_by=user,
                called_at=reply.replied_at + timedelta(days=1 + k),
            )
            if callback.is_unhappy:
                accepted = rng.random() < 0.5
                ReopenRequest.objects.create(
                    ticket=ticket,
                    callback=callback,
                    status=ReopenRequest.Status.ACCEPTED if accepted else ReopenRequest.Status.REJECTED,
                )
                if accepted:
                    TimelineEntry.objects.create(case=case, at=callback.called_at, action="reopened")


def signed_ticket(
    world: World, *, unit: Unit, received: datetime, signed: datetime, n: int = 90001
) -> Ticket:
    """A request given to `unit` on receipt and signed for at `signed`."""
    case = Case.objects.create(
        number=f"T-hotline-{n:05d}",
        case_type=CaseType.objects.get(code="hotline"),
        title="测试工单",
        handling_unit=unit,
        received_at=received,
        start_date=_day_of(received),
        due_date=_day_of(received) + timedelta(days=10),
        created_by=world.operator,
    )
    CaseUnit.objects.create(case=case, unit=unit, role="lead", assigned_at=received)
    return Ticket.objects.create(
        case=case,
        centre=world.centre,
        request_type=RequestType.HELP,
        category=Category.objects.get(code="010101"),
        channel=Channel.PHONE,
        region=world.region,
        content="测试诉求内容",
        received_at=received,
        signed_at=signed,
        created_by=world.operator,
    )
