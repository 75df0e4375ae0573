"""Exports of the ticket list with each request's whole course, caller masked."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import AuditEvent
from fazhi.hotline import exports, services
from fazhi.hotline.models import RequestType
from fazhi.org.models import Role
from tests.cases.factories import at
from tests.hotline.factories import category, register, rule
from tests.org.factories import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db

REPLY = {
    "text": "您反映的幸福路建设路口路面坑洼问题，我局已安排养护队于9月24日修补完毕，路面已恢复平整。",
    "actions": "9月24日上午市政养护二队到场核查，用沥青冷补料修补坑槽约3平方米，并设置了警示标志。",
    "contacted_caller": True,
}


@pytest.fixture
def worked(operator, community, urban, urban_handler, road_rule):
    """A pothole signed, answered and called back; a 举报 in the same unit; a request of another unit."""
    ticket = register(
        operator,
        community,
        caller_name="王建国",
        content="幸福路和建设路交叉口东侧路面有个大坑，我手机13812341234，请尽快修补。",
    )
    services.ticket_sign(ticket=ticket, actor=urban_handler)
    services.reply_submit(ticket=ticket, actor=urban_handler, **REPLY)
    services.callback_record(
        ticket=ticket, actor=operator, satisfaction="unsatisfied", resolution="unresolved"
    )
    secret = register(
        operator,
        community,
        confidential=True,
        request_type=RequestType.REPORT,
        caller_phone="13900001111",
        content="举报幸福路12号有人私自加盖彩钢房，请保密。",
    )
    housing = UnitFactory(name="濮阳市住房和城乡建设局")
    rule(housing, category=category("020103"))
    elsewhere = register(
        operator, community, category=category("020103"), content="3号楼电梯坏了一个星期了没人修。"
    )
    return ticket, secret, elsewhere


def _xlsx(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    return [list(r) for r in wb["诉求"].iter_rows(values_only=True)], [
        list(r) for r in wb["办理过程"].iter_rows(values_only=True)
    ]


def test_the_xlsx_has_one_row_per_request_and_a_timeline_sheet(urban_handler, worked):
    ticket, secret, elsewhere = worked

    rows, timeline = _xlsx(exports.export_xlsx(urban_handler))

    header, *data = rows
    assert header == list(exports.TICKET_HEADERS)
    numbers = [r[0] for r in data]
    assert ticket.case.number in numbers and secret.case.number in numbers
    assert elsewhere.case.number not in numbers  # another unit's request
    row = dict(zip(header, next(r for r in data if r[0] == ticket.case.number), strict=True))
    assert row["来电号码"] == "138****1234" and row["来电人"] == "王**"
    assert "13812341234" not in row["诉求内容"] and "138****1234" in row["诉求内容"]
    assert row["按时办结"] == "否" and row["回访满意度"] == "不满意"  # received in 2024, answered today
    assert "登记交办" in row["办理过程"] and "签收" in row["办理过程"] and "回访" in row["办理过程"]
    steps = [e[2] for e in timeline[1:] if e[0] == ticket.case.number]
    assert steps == ["登记交办", "签收/推进", "答复办结", "回访"]
    confidential = dict(zip(header, next(r for r in data if r[0] == secret.case.number), strict=True))
    assert confidential["来电号码"] is None and confidential["保密"] == "是"


def test_the_csv_streams_the_same_rows_and_opens_in_excel(operator, worked):
    ticket, _secret, elsewhere = worked

    text = "".join(exports.export_csv(operator))

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == list(exports.TICKET_HEADERS)
    assert {r[0] for r in rows[1:]} == {ticket.case.number, worked[1].case.number, elsewhere.case.number}
    assert "13812341234" not in text and "13900001111" not in text
    assert AuditEvent.objects.filter(action="hotline.exported", after__format="csv").exists()


def test_the_list_filters_apply(operator, worked):
    ticket, secret, elsewhere = worked

    replied = list(exports.export_rows(operator, state="replied"))
    searched = list(exports.export_rows(operator, q="电梯"))

    assert [row[0] for row, _t in replied] == [ticket.case.number]
    assert [row[0] for row, _t in searched] == [elsewhere.case.number]


def test_export_queries_stay_flat_as_requests_grow(
    operator, community, urban, road_rule, django_assert_max_num_queries
):
    for day in range(1, 21):
        register(operator, community, received_at=at(2024, 9, day))

    with django_assert_max_num_queries(14):
        rows = list(exports.export_rows(operator))

    assert len(rows) == 20


# --- the page: four permission cases ------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("hotline_data:export"), {"format": "csv"})

    assert response.status_code == 302 and "login" in response["Location"]


def test_an_account_without_casework_may_not_export(client, worked):
    from tests.org.factories import admin_user

    client.force_login(admin_user(Role.SYSTEM_ADMIN))

    assert client.get(reverse("hotline_data:export"), {"format": "xlsx"}).status_code == 403


def test_a_handler_downloads_its_units_requests(client, urban_handler, worked):
    ticket, _secret, elsewhere = worked
    client.force_login(urban_handler)

    response = client.get(reverse("hotline_data:export"), {"format": "xlsx", "state": "replied"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows, _timeline = _xlsx(response.content)
    assert [r[0] for r in rows[1:]] == [ticket.case.number]


def test_another_units_handler_does_not_get_these_requests(client, worked, city):
    ticket, secret, elsewhere = worked
    stranger = user_with_role(Role.HANDLER, UnitFactory(name="濮阳市教育局", region=city))
    client.force_login(stranger)

    response = client.get(reverse("hotline_data:export"), {"format": "csv"})

    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert ticket.case.number not in body and secret.case.number not in body


def test_the_search_finds_chinese_words_in_the_text_and_numbers_and_codes(operator, worked):
    ticket, secret, elsewhere = worked

    def found(q):
        return [row[0] for row, _t in exports.export_rows(operator, q=q)]

    assert found("大坑") == [ticket.case.number]
    assert found(ticket.case.number) == [ticket.case.number]
    assert found(elsewhere.tracking_code.lower()) == [elsewhere.case.number]
    assert found("12345-") and found("不存在的说法") == []
