"""Hotline history loaded in bulk, and the demo city's generated year of requests."""

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fazhi.cases.models import Case, Notice
from fazhi.core.models import AuditEvent
from fazhi.demo.city import build_city
from fazhi.hotline import selectors, services
from fazhi.hotline.history import (
    CallbackSpec,
    HistoryRow,
    ReplySpec,
    history_rows,
    tickets_load_history,
)
from fazhi.hotline.models import (
    Callback,
    Channel,
    Disposition,
    HandlingLimit,
    ReopenRequest,
    Reply,
    RequestType,
    Ticket,
    TicketReturn,
)
from fazhi.org.models import Role, Unit, User
from tests.cases.factories import at
from tests.hotline.factories import category, register
from tests.org.factories import user_with_role

REPLY = ReplySpec(
    text="您反映的幸福路路面坑洼问题，我局养护队已于9月25日修补完毕，路面已恢复平整。",
    actions="9月25日上午市政养护二队到场，用沥青冷补料修补坑槽约3平方米。",
    replied_at=at(2024, 9, 25, 16),
)


def pothole(region, unit, **kwargs) -> HistoryRow:
    values = {
        "content": "幸福路和建设路交叉口东侧路面有个大坑，晚上骑车很危险，希望尽快修补。",
        "request_type": RequestType.HELP,
        "category": category(),
        "region": region,
        "channel": Channel.PHONE,
        "received_at": at(2024, 9, 23, 9),
        "caller_phone": "13812341234",
        "lead_unit": unit,
    }
    return HistoryRow(**(values | kwargs))


@pytest.mark.django_db
def test_a_loaded_request_gets_the_due_date_and_number_the_intake_service_gives(
    operator, community, urban, road_rule
):
    HandlingLimit.objects.create(category=category(), request_type=RequestType.HELP, period="3wd")
    registered = register(operator, community, received_at=at(2024, 9, 27))  # Friday before 国庆

    tickets_load_history(actor=operator, rows=[pothole(community, urban, received_at=at(2024, 9, 27, 15))])

    loaded = Ticket.objects.exclude(pk=registered.pk).select_related("case").get()
    assert loaded.case.due_date == registered.case.due_date  # 3 working days after the holiday
    assert loaded.case.period == registered.case.period == "3wd"
    assert loaded.case.number == registered.case.number[:-6] + f"{int(registered.case.number[-6:]) + 1:06d}"
    assert loaded.case.stage.code == registered.case.stage.code == "sign"
    assert loaded.case.stage_due_date == registered.case.stage_due_date
    assert loaded.case.handling_unit == urban
    assert loaded.disposition == Disposition.DISPATCH


@pytest.mark.django_db
def test_a_whole_course_is_on_the_record_with_the_case_engine_timeline(
    operator, community, urban, housing, urban_handler
):
    row = pothole(
        community,
        urban,
        returned_from=housing,
        returned_at=at(2024, 9, 23, 11),
        return_reason="该事项属于市政道路养护，依据三定方案由城管局负责，请改派。",
        signed_at=at(2024, 9, 23, 14),
        handler=urban_handler,
        replies=[
            REPLY,
            ReplySpec(
                text="重办：我局对幸福路坑槽重新铣刨摊铺，10月8日已完工，来电人现场确认。",
                actions="10月8日铣刨重铺沥青约12平方米，并压实养护两天后开放通行。",
                replied_at=at(2024, 10, 8, 17),
            ),
        ],
        callbacks=[
            CallbackSpec(
                called_at=at(2024, 9, 26, 10),
                satisfaction=Callback.Satisfaction.UNSATISFIED,
                resolution=Callback.Resolution.UNRESOLVED,
                note="补过的地方又塌了",
                reopen=ReopenRequest.Status.ACCEPTED,
                decided_at=at(2024, 9, 26, 15),
                decision_note="修补质量不合格，退回重办",
            ),
            CallbackSpec(
                called_at=at(2024, 10, 9, 10),
                satisfaction=Callback.Satisfaction.SATISFIED,
                resolution=Callback.Resolution.RESOLVED,
            ),
        ],
    )

    tickets_load_history(actor=operator, rows=[row])

    ticket = Ticket.objects.select_related("case").get()
    case = ticket.case
    assert list(case.timeline.values_list("action", flat=True)) == [
        "opened",
        "assigned",
        "advanced",
        "closed",
        "reopened",
        "closed",
    ]
    assert case.status == Case.Status.CLOSED
    assert case.closed_at == at(2024, 10, 8, 17)
    assert case.start_date == at(2024, 9, 26).date()  # 重办 restarted the clock
    assert case.handling_unit == urban
    assert ticket.signed_at == at(2024, 9, 23, 14)
    assert set(case.case_units.values_list("unit__name", "is_active")) == {
        (housing.name, False),
        (urban.name, True),
    }
    returned = TicketReturn.objects.get()
    assert (returned.unit, returned.status, returned.reassigned_to) == (housing, "accepted", urban)
    assert Reply.objects.filter(ticket=ticket, replied_by=urban_handler).count() == 2
    reopen = ReopenRequest.objects.get()
    assert reopen.status == ReopenRequest.Status.ACCEPTED
    assert reopen.created_at == at(2024, 9, 26, 10)
    assert selectors.tickets_by_caller(operator, "138 1234 1234") == [ticket]


@pytest.mark.django_db
def test_one_bad_row_refuses_the_whole_batch_naming_the_row(operator, community, urban):
    good = pothole(community, urban, signed_at=at(2024, 9, 23, 10), replies=[REPLY])
    bad = pothole(
        community,
        urban,
        signed_at=at(2024, 9, 23, 10),
        replies=[ReplySpec(text="已转相关部门处理。", actions="已处理", replied_at=at(2024, 9, 24))],
    )

    with pytest.raises(ValidationError) as refused:
        tickets_load_history(actor=operator, rows=[good, bad])

    assert any(m.startswith("第2条：") and "答复内容" in m for m in refused.value.messages)
    assert not Ticket.objects.exists() and not Case.objects.exists()


@pytest.mark.django_db
def test_events_out_of_order_are_refused(operator, community, urban):
    early_reply = pothole(community, urban, signed_at=at(2024, 9, 26), replies=[REPLY])

    with pytest.raises(ValidationError, match="答复时间"):
        tickets_load_history(actor=operator, rows=[early_reply])


@pytest.mark.django_db
def test_only_an_operator_may_load_history(urban_handler, community, urban):
    with pytest.raises(PermissionDenied):
        tickets_load_history(actor=urban_handler, rows=[pothole(community, urban)])


@pytest.mark.django_db
def test_one_audit_record_per_batch_and_open_requests_reach_the_unit_inbox(operator, community, urban):
    rows = [
        pothole(community, urban),
        pothole(community, urban, signed_at=at(2024, 9, 23, 10), replies=[REPLY]),
    ]

    result = tickets_load_history(actor=operator, rows=rows, source="旧系统导出.xlsx")

    events = AuditEvent.objects.filter(action="hotline.history_loaded")
    assert events.count() == 1
    assert events.get().after["cases"] == result.cases == 2
    assert events.get().after["source"] == "旧系统导出.xlsx"
    assert Notice.objects.filter(unit=urban, kind=Notice.Kind.ASSIGNED).count() == 1  # the open one


@pytest.mark.django_db
def test_an_undispatched_emergency_is_recorded_by_guidance(operator, community):
    row = pothole(community, None, content="楼下饭店着火了，冒了好大的烟，快来人啊")

    tickets_load_history(actor=operator, rows=[row])

    ticket = Ticket.objects.get()
    assert (ticket.disposition, ticket.triage, ticket.case) == (Disposition.EMERGENCY, "119", None)


# --- the generated year ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """明湖市 with 1,500 generated requests, kept for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_city(progress=False, hotline_history=1500)
        yield
        transaction.set_rollback(True)


def _demo_units() -> dict[str, Unit]:
    from fazhi.demo import data

    names = {spec.name: spec.key for spec in data.CITY_UNITS}
    return {names[u.name]: u for u in Unit.objects.filter(name__in=names)}


def _rows(count: int, seed: int = 7):
    actor = User.objects.get(username="hotline1")
    return history_rows(
        actor=actor,
        count=count,
        seed=seed,
        today=timezone.localdate(),
        units=_demo_units(),
        rng=random.Random(seed),
    )


def test_the_same_seed_writes_the_same_words(demo_city, db):
    first, second, other = _rows(300), _rows(300), _rows(300, seed=8)

    assert [r.content for r in first] == [r.content for r in second]
    assert [r.content for r in first] != [r.content for r in other]


def test_the_texts_are_varied_over_categories_places_and_wording(demo_city, db):
    rows = _rows(3000)

    contents = [r.content for r in rows]
    assert len(set(contents)) / len(contents) > 0.97
    assert len({r.category.code for r in rows}) > 150
    assert len({r.region.parent_id for r in rows}) == 40  # every street
    assert sum("俺" in c or "咋" in c or "啥" in c for c in contents) > 30  # dialect
    assert sum("来电人" in c for c in contents) > 600  # operators' written records
    assert sum("第" in c and "次打电话" in c or "又来反映" in c or "重复来电" in c for c in contents) > 20
    assert Counter(r.channel for r in rows).most_common(1)[0][0] == Channel.PHONE
    assert {r.request_type for r in rows} == set(RequestType.values)


def test_heating_calls_come_in_winter_and_flooding_in_summer(demo_city, db):
    rows = _rows(6000)

    def months(prefix):
        return Counter(
            timezone.localtime(r.received_at).month for r in rows if r.category.code.startswith(prefix)
        )

    heating, flooding = months("1104"), months("150301")
    assert heating[1] + heating[12] > 5 * (heating[7] + heating[8] + 1)
    assert flooding[7] + flooding[8] > 5 * (flooding[1] + flooding[12] + 1)


def test_noise_is_reported_at_night(demo_city, db):
    rows = _rows(6000)

    noise = [timezone.localtime(r.received_at).hour for r in rows if r.category.code == "030302"]
    pensions = [timezone.localtime(r.received_at).hour for r in rows if r.category.code.startswith("0702")]
    night = {19, 20, 21, 22, 23, 0, 1}
    assert sum(h in night for h in noise) / len(noise) > 0.5
    assert sum(h in night for h in pensions) / len(pensions) < 0.3


def test_the_demo_year_holds_every_outcome_and_every_unit_has_work(demo_city, db):
    hotline = Ticket.objects.filter(case__isnull=False)
    today = timezone.localdate()
    closed = hotline.filter(case__status=Case.Status.CLOSED)

    assert hotline.count() > 1400
    assert closed.count() > 0.85 * hotline.count()
    late = closed.filter(case__closed_at__date__gt=F("case__due_date")).count()
    assert 0.03 * closed.count() < late < 0.35 * closed.count()
    assert hotline.filter(case__status=Case.Status.OPEN, case__due_date__lt=today).exists()  # overdue now
    assert TicketReturn.objects.count() > 20
    assert ReopenRequest.objects.filter(status=ReopenRequest.Status.ACCEPTED).exists()
    assert Callback.objects.filter(satisfaction=Callback.Satisfaction.UNSATISFIED).count() > 20
    assert Reply.objects.exclude(review_flags=[]).count() > 20  # perfunctory answers for the centre
    streets = Unit.objects.filter(kind=Unit.Kind.TOWNSHIP)
    assert (
        hotline.filter(case__handling_unit__in=streets).values("case__handling_unit").distinct().count() > 30
    )
    assert hotline.values("case__handling_unit").distinct().count() > 50
    oldest = hotline.order_by("received_at").first().received_at
    assert timezone.now() - oldest > timedelta(days=330)


def test_a_unit_handler_sees_the_history_of_its_unit(demo_city, db):
    handler = User.objects.get(username="cgj")

    visible = selectors.tickets_visible_to(handler)

    assert visible.filter(case__handling_unit__name="明湖市城市管理局").count() > 50
    others = visible.exclude(case__handling_unit__name="明湖市城市管理局")
    assert not others.exclude(case__case_units__unit__name="明湖市城市管理局").exists()


def test_loaded_history_can_still_be_worked_through_the_services(demo_city, db):
    ticket = (
        Ticket.objects.filter(case__status=Case.Status.OPEN, signed_at__isnull=False, returns__isnull=True)
        .select_related("case__handling_unit")
        .first()
    )
    handler = user_with_role(Role.HANDLER, ticket.case.handling_unit)

    services.reply_submit(
        ticket=ticket,
        actor=handler,
        text="您反映的问题我单位已于今天到现场处理完毕，具体情况已电话告知您。",
        actions="今天上午两名工作人员到场核查并处理，现场已恢复正常。",
        contacted_caller=True,
    )

    ticket.case.refresh_from_db()
    assert ticket.case.status == Case.Status.CLOSED
