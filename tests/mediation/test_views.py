"""Pages of 人民调解, with the four permission cases for each."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.cases.models import Case
from fazhi.mediation import services
from fazhi.mediation.models import Committee, Dispute, Mediator, Outcome
from fazhi.mediation.xlsx import DISPUTES
from fazhi.org.models import Role
from tests.cases.factories import at
from tests.mediation.factories import AGREEMENT, register
from tests.org.factories import PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def dispute(street_handler, committee, community, mediator):
    return register(street_handler, committee, community, mediator=mediator)


PAGES = ["mediation:overview", "mediation:export", "mediation:new", "mediation:import"]


@pytest.mark.parametrize(
    "name", [*PAGES, "mediation:list", "mediation:committee_list", "mediation:committee_new"]
)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", [*PAGES, "mediation:committee_new"])
def test_pages_are_forbidden_without_a_role(client, name):
    assert login(client, UserFactory()).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", [*PAGES, "mediation:list", "mediation:committee_list"])
def test_pages_open_for_the_streets_handler(client, street_handler, name):
    assert login(client, street_handler).get(reverse(name)).status_code == 200


def test_disputes_and_committees_are_seen_only_within_scope(
    client, dispute, committee, street_handler, other_handler
):
    detail = reverse("mediation:detail", args=[dispute.pk])
    committee_url = reverse("mediation:committee_detail", args=[committee.pk])
    assert client.get(detail).status_code == 302
    login(client, street_handler)
    assert client.get(detail).status_code == 200
    assert dispute.case.number in client.get(reverse("mediation:list")).content.decode()
    assert client.get(committee_url).status_code == 200
    client.logout()
    for outsider in (other_handler, UserFactory()):
        login(client, outsider)
        assert client.get(detail).status_code == 404
        assert client.get(committee_url).status_code == 404
        assert dispute.case.number not in client.get(reverse("mediation:list")).content.decode()
        client.logout()


def test_actions_follow_the_case_scope(client, dispute, street_handler, other_handler):
    url = reverse("mediation:action", args=[dispute.pk, "conclude"])
    data = {
        "outcome": Outcome.SUCCESS,
        "concluded_on": "2024-09-03",
        "agreement_form": "written",
        "agreement_text": AGREEMENT,
        "parties_told": "on",
    }
    assert client.post(url, data).status_code == 302
    assert login(client, UserFactory()).post(url, data).status_code == 404
    client.logout()
    assert login(client, other_handler).post(url, data).status_code == 404
    client.logout()
    response = login(client, street_handler).post(url, data, follow=True)
    assert "请告知当事人可于2024年10月08日前共同申请司法确认" in response.content.decode()
    assert Case.objects.get(pk=dispute.case_id).status == Case.Status.CLOSED


def test_the_detail_masks_the_parties(client, dispute, street_handler):
    page = login(client, street_handler).get(reverse("mediation:detail", args=[dispute.pk])).content.decode()
    assert "张*" in page and "138****1234" in page
    assert "张三" not in page and "13812341234" not in page and "410902199003071234" not in page


def test_registering_through_the_page_links_a_12345_request(
    client, street_handler, committee, community, mediator
):
    from tests.cases.factories import open_case

    hotline = open_case(committee.unit, code="hotline", title="楼上漏水邻里纠纷")
    response = login(client, street_handler).post(
        reverse("mediation:new"),
        {
            "committee": committee.pk,
            "title": "楼上漏水邻里纠纷",
            "description": "楼上卫生间漏水到楼下天花板，楼上住户拒绝维修，12345转社区调解。",
            "dispute_type": "neighbour",
            "source": "hotline",
            "hotline_number": hotline.number,
            "region": community.pk,
            "received_on": "2024-09-03",
            "applicant": "王五",
            "applicant_phone": "13800001111",
            "respondent": "赵六",
            "mediator": mediator.pk,
        },
    )
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response.url == dispute.get_absolute_url()
    assert dispute.hotline_case == hotline


def test_the_overview_groups_by_committee_and_area_with_drill_down(
    client, dispute, street_handler, justice_supervisor
):
    services.dispute_conclude(
        dispute=dispute,
        actor=street_handler,
        outcome=Outcome.SUCCESS,
        concluded_on=date(2024, 9, 10),
        agreement_form="written",
        agreement_text=AGREEMENT,
        parties_told=True,
    )
    login(client, justice_supervisor)
    page = client.get(reverse("mediation:overview"), {"year": 2024}).content.decode()
    assert "幸福社区人民调解委员会" in page and "100.0%" in page
    by_street = client.get(reverse("mediation:overview"), {"year": 2024, "group": "street"}).content.decode()
    assert "中原路街道" in by_street
    drill = client.get(
        reverse("mediation:list"),
        {"street": dispute.committee.unit.region_id, "figure": "success", "year": 2024},
    ).content.decode()
    assert dispute.case.number in drill


def test_a_leader_adds_a_committee_and_its_mediator(client, street, community):
    leader = user_with_role(Role.UNIT_LEADER, street)
    login(client, leader)
    response = client.post(
        reverse("mediation:committee_new"),
        {"name": "幸福社区人民调解委员会", "kind": "community", "unit": street.pk, "region": community.pk},
    )
    committee = Committee.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("mediation:committee_detail", args=[committee.pk]),
        {"name": "钱德明", "post": "chair", "phone": ""},
    )
    assert Mediator.objects.get().committee == committee


def test_a_handler_cannot_add_mediators(client, committee, street_handler):
    login(client, street_handler)
    response = client.post(
        reverse("mediation:committee_detail", args=[committee.pk]), {"name": "钱德明", "post": "chair"}
    )
    assert response.status_code == 403 and not Mediator.objects.exists()


def _workbook(rows: list[dict]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = DISPUTES.title
    headers = [c.header for c in DISPUTES.columns if not c.key.startswith("_")]
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "调解.xlsx"
    return buffer


def test_the_register_imports_all_or_nothing_and_exports_masked(
    client, committee, community, justice_supervisor, mediator
):
    good = {
        "调解委员会": committee.name,
        "案件名称": "装修噪音纠纷",
        "简要情况": "楼上住户装修期间周末施工，与楼下住户多次发生口角。",
        "纠纷类型": "邻里纠纷",
        "来源": "当事人申请",
        "发生地区划代码": community.code,
        "受理日期": "2023-04-03",
        "申请人": "孙七",
        "申请人电话": "13600002222",
        "被申请人": "周八",
        "主持调解员": mediator.name,
        "调解结果": "调解成功",
        "结案日期": "2023-04-10",
        "协议形式": "书面调解协议",
        "协议内容": "楼上住户周末及午休时间不施工，工期内每日18时前完工。",
    }
    no_ticket = {**good, "来源": "12345热线转办"}
    no_referral = {**good, "调解结果": "调解不成"}
    login(client, justice_supervisor)
    response = client.post(reverse("mediation:import"), {"file": _workbook([good, no_ticket, no_referral])})
    page = response.content.decode()
    assert response.status_code == 422
    assert "请填写工单编号" in page and "人民调解法第二十六条" in page
    assert not Dispute.objects.exists()

    assert client.post(reverse("mediation:import"), {"file": _workbook([good])}).status_code == 200
    dispute = Dispute.objects.get()
    assert dispute.confirmation_deadline == date(2023, 5, 10)
    export = client.get(reverse("mediation:export"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    row = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    assert row["申请人"] == "孙*" and row["申请人电话"] is None and row["申请司法确认截止日"] == "2023-05-10"


def test_a_dispute_registered_long_ago_shows_overdue(client, street_handler, committee, community):
    old = register(street_handler, committee, community, received_at=at(2024, 1, 2))
    page = login(client, street_handler).get(reverse("mediation:list"), {"state": "open"}).content.decode()
    assert old.case.number in page and "超期" in page


def test_the_list_does_not_query_per_row(client, street_handler, committee, community):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, street_handler)
    register(street_handler, committee, community)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("mediation:list")).status_code == 200
        return len(captured)

    count()  # the first request after signing in also touches the session
    one = count()
    for _ in range(5):
        register(street_handler, committee, community)
    assert count() == one
