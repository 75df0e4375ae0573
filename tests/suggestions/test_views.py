"""Pages of 司法建议/检察建议 and 人大建议/政协提案, with the four permission cases for each."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.cases.models import Case
from fazhi.suggestions import services
from fazhi.suggestions.models import Adoption, Body, Grade, JudicialSuggestion, ProposalContact
from tests.org.factories import PASSWORD, UserFactory
from tests.suggestions.factories import GOOD_REPLY, propose, register, representative, session

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def suggestion(supervisor, housing, court):
    return register(supervisor, housing, court, document_number="濮中法建〔2024〕3号")


@pytest.fixture
def proposal(dispatcher, housing):
    return propose(dispatcher, housing, session=session(Body.CONGRESS))


def answered(proposal, handler):
    services.proposal_contact(
        proposal=proposal,
        actor=handler,
        method=ProposalContact.Method.PHONE,
        note="电话联系王建国代表 13812345678，听取意见。",
        contacted_on=date(2024, 3, 1),
    )
    return services.proposal_answer(
        proposal=proposal,
        actor=handler,
        grade=Grade.B,
        text="已列入2024年度老旧小区改造计划，联系人张科长，电话13912345678，将分批推进加装电梯。",
        answered_on=date(2024, 4, 1),
    )


# --- the four permission cases ------------------------------------------------------------------------

LISTS = ["suggestions:list", "suggestions:proposal_list"]
SUPERVISOR_PAGES = [
    "suggestions:overview",
    "suggestions:export",
    "suggestions:proposal_overview",
    "suggestions:proposal_export",
]
FORMS = ["suggestions:new", "suggestions:proposal_new", "suggestions:import", "suggestions:proposal_import"]


@pytest.mark.parametrize("name", LISTS + SUPERVISOR_PAGES + FORMS)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", SUPERVISOR_PAGES + FORMS)
def test_pages_are_forbidden_without_a_role(client, name):
    assert login(client, UserFactory()).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", LISTS + SUPERVISOR_PAGES + FORMS)
def test_pages_open_for_a_supervisor(client, supervisor, name):
    assert login(client, supervisor).get(reverse(name)).status_code == 200


def test_a_unit_handler_cannot_assign_proposals(client, housing_handler):
    assert login(client, housing_handler).get(reverse("suggestions:proposal_new")).status_code == 403


def test_lists_and_details_show_only_the_users_units(
    client, suggestion, proposal, housing_handler, urban_handler
):
    pages = [
        (
            reverse("suggestions:list"),
            reverse("suggestions:detail", args=[suggestion.pk]),
            suggestion.case.number,
        ),
        (
            reverse("suggestions:proposal_list"),
            reverse("suggestions:proposal_detail", args=[proposal.pk]),
            proposal.case.title[:20],
        ),
    ]
    for list_url, detail_url, text in pages:
        assert client.get(detail_url).status_code == 302
        login(client, housing_handler)
        assert text in client.get(list_url).content.decode()
        assert client.get(detail_url).status_code == 200
        client.logout()
        login(client, urban_handler)
        assert text not in client.get(list_url).content.decode()
        assert client.get(detail_url).status_code == 404
        client.logout()
        login(client, UserFactory())
        assert text not in client.get(list_url).content.decode()
        assert client.get(detail_url).status_code == 404
        client.logout()


def test_actions_follow_the_case_scope(client, suggestion, housing_handler, urban_handler):
    url = reverse("suggestions:action", args=[suggestion.pk, "reply"])
    data = {"adoption": Adoption.ADOPTED, "text": GOOD_REPLY, "replied_on": "2024-11-01"}
    assert client.post(url, data).status_code == 302
    assert login(client, UserFactory()).post(url, data).status_code == 404
    client.logout()
    assert login(client, urban_handler).post(url, data).status_code == 404
    client.logout()
    response = login(client, housing_handler).post(url, data)
    assert response.status_code == 302
    assert Case.objects.get(pk=suggestion.case_id).status == Case.Status.CLOSED


# --- what staff do on the pages ---------------------------------------------------------------------


def test_a_supervisor_registers_a_suggestion_and_sees_its_deadline(
    client, supervisor, housing, procuratorate
):
    from tests.suggestions.factories import kind

    response = login(client, supervisor).post(
        reverse("suggestions:new"),
        {
            "kind": kind("public_interest").pk,
            "issuer": procuratorate.pk,
            "addressee": housing.pk,
            "received_on": "2024-09-16",
            "title": "关于城市道路窨井盖安全隐患整治的检察建议",
            "content": "检察机关发现部分城市道路窨井盖缺失、破损，存在安全隐患，建议依法履职。",
            "urgent": "on",
        },
        follow=True,
    )
    suggestion = JudicialSuggestion.objects.get()
    assert response.redirect_chain[-1][0] == suggestion.get_absolute_url()
    assert "回复期限2024年10月08日" in response.content.decode()


def test_a_bad_registration_names_the_field(client, supervisor, housing, court):
    from tests.suggestions.factories import kind

    response = login(client, supervisor).post(
        reverse("suggestions:new"),
        {
            "kind": kind("public_interest").pk,
            "issuer": court.pk,
            "addressee": housing.pk,
            "received_on": "2024-09-16",
            "title": "标题",
            "content": "检察机关发现部分城市道路窨井盖缺失、破损。",
        },
    )
    assert response.status_code == 400
    assert "建议机关：「行政公益诉讼诉前检察建议」应由人民检察院发出" in response.content.decode()
    assert not JudicialSuggestion.objects.exists()


def test_the_overview_counts_by_unit_and_drills_down_to_the_records(
    client, supervisor, housing, urban, court, housing_handler
):
    replied = register(supervisor, housing, court, received_at=_at(2024, 3, 1))
    services.suggestion_reply(
        suggestion=replied,
        actor=housing_handler,
        adoption=Adoption.ADOPTED,
        text=GOOD_REPLY,
        replied_on=date(2024, 4, 1),
    )
    late = register(supervisor, housing, court, received_at=_at(2024, 3, 2))
    services.suggestion_reply(
        suggestion=late,
        actor=housing_handler,
        adoption=Adoption.NOT_ADOPTED,
        reasons="超出本部门职权范围。",
        text=GOOD_REPLY,
        replied_on=date(2024, 6, 1),
    )
    overdue = register(supervisor, urban, court, received_at=_at(2024, 5, 6))

    page = login(client, supervisor).get(reverse("suggestions:overview"), {"year": 2024}).content.decode()

    # 濮阳市住房和城乡建设局: 2 received, 2 replied, 1 on time → 回复率 100%, 按时 50%, 采纳 50%.
    assert "100.0%" in page and "50.0%" in page
    assert overdue.case.number in page  # unanswered, listed for the supervisor
    drill = client.get(
        reverse("suggestions:list"), {"unit": housing.pk, "figure": "on_time", "year": 2024}
    ).content.decode()
    assert replied.case.number in drill and late.case.number not in drill
    assert "按期回复" in drill


def _at(year, month, day):
    from tests.cases.factories import at

    return at(year, month, day)


def test_export_gives_the_filtered_register(client, suggestion, supervisor, housing_handler):
    services.suggestion_reply(
        suggestion=suggestion,
        actor=housing_handler,
        adoption=Adoption.ADOPTED,
        text=GOOD_REPLY,
        replied_on=date(2024, 11, 27),
    )
    response = login(client, supervisor).get(reverse("suggestions:export"), {"state": "replied"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["文号"] == "濮中法建〔2024〕3号"
    assert row["采纳情况"] == "采纳" and row["按期回复"] == "是" and row["回复期限"] == "2024-11-27"
    empty = client.get(reverse("suggestions:export"), {"state": "open"})
    assert all(cell.value is None for cell in load_workbook(io.BytesIO(empty.content)).active[2])


# --- proposals ---------------------------------------------------------------------------------------


def test_the_answer_form_refuses_until_the_deputy_is_contacted(client, proposal, housing_handler):
    url = reverse("suggestions:proposal_action", args=[proposal.pk, "answer"])
    data = {
        "grade": "A",
        "text": "经研究，已将加装电梯纳入民生实事项目并简化审批，具体如下。",
        "answered_on": "2024-04-01",
    }
    response = login(client, housing_handler).post(url, data)
    assert response.status_code == 400
    assert "答复前须与王建国沟通联系并记录" in response.content.decode()
    client.post(
        reverse("suggestions:proposal_action", args=[proposal.pk, "contact"]),
        {"method": "visit", "contacted_on": "2024-03-01", "note": "走访王建国代表，听取意见。"},
    )
    assert client.post(url, data).status_code == 302
    assert Case.objects.get(pk=proposal.case_id).status == Case.Status.CLOSED


def test_the_office_records_feedback_and_an_unhappy_deputy_reopens_it(
    client, dispatcher, housing_handler, housing
):
    quick = session(Body.CONGRESS, name="濮阳市第八届人民代表大会第五次会议", rehandle_period="20d")
    proposal = propose(dispatcher, housing, session=quick)
    answer = answered(proposal, housing_handler)
    url = reverse("suggestions:proposal_action", args=[proposal.pk, "feedback"])
    login(client, housing_handler)
    assert client.post(url, {"answer": answer.pk, "satisfaction": "satisfied"}).status_code == 403
    client.logout()
    response = login(client, dispatcher).post(
        url,
        {"answer": answer.pk, "satisfaction": "unsatisfied", "note": "补贴标准偏低，未回应低楼层住户诉求。"},
        follow=True,
    )
    assert "代表、委员不满意，已交承办单位重新办理" in response.content.decode()
    assert Case.objects.get(pk=proposal.case_id).status == Case.Status.OPEN


def test_the_proposal_overview_shows_figures_returns_and_unanswered(
    client, dispatcher, housing_handler, housing
):
    done = propose(dispatcher, housing, session=session(Body.CONGRESS), number="0001")
    answered(done, housing_handler)
    waiting = propose(
        dispatcher, housing, session=done.session, number="0002", title="关于优化城区公交线路的建议"
    )
    page = (
        login(client, dispatcher)
        .get(reverse("suggestions:proposal_overview"), {"year": 2024})
        .content.decode()
    )
    assert "50.0%" in page  # 答复率: one of two
    assert waiting.case.title in page


# --- the public page -----------------------------------------------------------------------------------


def test_the_public_page_lists_disclosed_answers_without_contact_data(client, proposal, housing_handler):
    deputy = proposal.lead_proposer
    deputy.phone = "13700001111"
    deputy.save()
    answer = answered(proposal, housing_handler)
    listing = client.get(reverse("suggestions:public_answers"))
    assert listing.status_code == 200 and proposal.case.title not in listing.content.decode()
    assert client.get(reverse("suggestions:public_answer", args=[answer.pk])).status_code == 404

    services.answer_disclose(answer=answer, actor=housing_handler)

    listing = client.get(reverse("suggestions:public_answers")).content.decode()
    detail = client.get(reverse("suggestions:public_answer", args=[answer.pk])).content.decode()
    assert proposal.case.title in listing and "王建国" in detail
    assert "已列入2024年度老旧小区改造计划" in detail
    for secret in ("13912345678", "13700001111", "13812345678", "137****1111"):
        assert secret not in detail + listing


# --- import ------------------------------------------------------------------------------------------


def _workbook(rows: list[dict], spec) -> io.BytesIO:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = spec.title
    headers = [c.header for c in spec.columns if not c.key.startswith("_")]
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "register.xlsx"
    return buffer


def test_an_import_writes_every_row_or_none_and_names_each_problem(client, supervisor, housing, court):
    from fazhi.suggestions.xlsx import JUDICIAL

    good = {
        "类别": "综合治理类司法建议",
        "建议机关": court.name,
        "文号": "濮中法建〔2023〕7号",
        "标题": "关于规范房屋征收补偿程序的司法建议",
        "主要内容": "法院在审理房屋征收补偿案件中发现评估报告送达程序存在瑕疵。",
        "承办单位": housing.name,
        "收到日期": "2023-05-10",
        "回复日期": "2023/6/30",
        "采纳情况": "采纳",
        "回复内容": GOOD_REPLY,
    }
    bad = {
        **good,
        "文号": "濮中法建〔2023〕8号",
        "承办单位": "不存在的局",
        "收到日期": "2023-13-01",
        "采纳情况": "",
    }
    login(client, supervisor)
    response = client.post(reverse("suggestions:import"), {"file": _workbook([good, bad], JUDICIAL)})
    page = response.content.decode()
    assert response.status_code == 422
    assert "<td>3</td>" in page and "<td>2</td>" not in page  # only the second data row is wrong
    assert "不存在的局" in page and "系统中没有这个正常状态的单位" in page and "不是有效的日期" in page
    assert not JudicialSuggestion.objects.exists() and not Case.objects.exists()

    response = client.post(reverse("suggestions:import"), {"file": _workbook([good], JUDICIAL)})
    assert response.status_code == 200 and "导入完成：新增 1 件" in response.content.decode()
    imported = JudicialSuggestion.objects.get()
    reply = imported.replies.get()
    assert reply.replied_on == date(2023, 6, 30) and reply.on_time  # due 2023-07-10
    assert imported.case.timeline.get(action="closed").note.startswith("（补录）")


def test_importing_proposals_adds_deputies_and_answers(client, dispatcher, housing, urban):
    from fazhi.suggestions.models import Proposal, Representative
    from fazhi.suggestions.xlsx import PROPOSALS

    congress = session(Body.CONGRESS)
    representative(Body.CONGRESS, name="李红梅", group="清丰县代表团")
    row = {
        "届次会议": congress.name,
        "建议/提案号": "0088",
        "标题": "关于增加中小学课后服务供给的建议",
        "主要内容": "建议扩大课后服务覆盖面，引入非学科类优质资源。",
        "领衔人": "赵立新",
        "代表团/界别": "华龙区代表团",
        "联名人": "李红梅",
        "主办单位": housing.name,
        "会办单位": urban.name,
        "交办日期": "2024-02-20",
        "联系日期": "2024-03-10",
        "联系方式": "座谈会/调研",
        "答复日期": "2024-05-20",
        "办理结果": "A类（已解决或采纳）",
        "答复内容": "经研究，已将课后服务纳入年度重点工作，覆盖全部公办中小学，并引入优质资源。",
        "满意程度": "满意",
        "公开答复": "是",
    }
    response = login(client, dispatcher).post(
        reverse("suggestions:proposal_import"), {"file": _workbook([row], PROPOSALS)}
    )
    assert response.status_code == 200, response.content.decode()[-800:]
    proposal = Proposal.objects.get()
    assert Representative.objects.filter(name="赵立新", group="华龙区代表团").exists()
    assert [r.name for r in proposal.co_proposers.all()] == ["李红梅"]
    answer = proposal.answers.get()
    assert answer.on_time and answer.feedback.get_satisfaction_display() == "满意" and answer.disclosed_at


def test_a_non_appearance_suggestion_shows_the_hearing_it_came_from(
    client, supervisor, housing, court, housing_handler
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from fazhi.legal import services as legal
    from tests.legal.factories import sue
    from tests.suggestions.factories import kind

    lawsuit = sue(housing_handler, housing)
    hearing = legal.court_hearing_add(
        lawsuit=lawsuit,
        actor=housing_handler,
        held_at=datetime(2025, 3, 12, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    attendance = legal.attendance_record(
        hearing=hearing,
        actor=housing_handler,
        unit=housing,
        attendees=[{"name": "刘明", "capacity": "staff"}],
        absence_reason="none",
    )
    suggestion = register(
        supervisor, housing, court, kind=kind("non_appearance"), received_at=_at(2025, 4, 1)
    )
    legal.attendance_link_suggestion(
        attendance=attendance, actor=housing_handler, suggestion_case=suggestion.case
    )

    page = (
        login(client, housing_handler)
        .get(reverse("suggestions:detail", args=[suggestion.pk]))
        .content.decode()
    )

    assert "未出庭应诉" in page and lawsuit.court_number in page and "负责人未出庭（无正当理由）" in page


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_do_not_query_per_row(client, supervisor, dispatcher, housing, court):
    login(client, supervisor)
    register(supervisor, housing, court)
    congress = session(Body.CONGRESS)
    propose(dispatcher, housing, session=congress, number="0001")
    urls = [reverse("suggestions:list"), reverse("suggestions:proposal_list")]
    [_queries(client, url) for url in urls]  # the first requests after signing in also touch the session
    one = [_queries(client, url) for url in urls]
    for n in range(2, 7):
        register(supervisor, housing, court, title=f"第{n}件司法建议")
        propose(dispatcher, housing, session=congress, number=f"{n:04d}")
    assert [_queries(client, url) for url in urls] == one
