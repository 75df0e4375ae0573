"""复议应诉 pages: the four permission cases for each, and the clerk's case from application to decision."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.cases.models import Case
from fazhi.legal import services
from fazhi.legal.models import DocumentKind, LegalDocument, Outcome, Reconsideration
from fazhi.org.models import Role
from tests.cases.factories import at
from tests.legal.factories import accepted, apply, decided, sue
from tests.org.factories import PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def rec(clerk, body, urban):
    return apply(clerk, body, urban)


@pytest.fixture
def outsider(market):
    """A handler of a unit that is neither the body nor the respondent."""
    return user_with_role(Role.HANDLER, market)


LIST_PAGES = ["legal:home", "legal:reconsideration_list", "legal:lawsuit_list", "legal:figures"]


@pytest.mark.parametrize("name", [*LIST_PAGES, "legal:reconsideration_new", "legal:lawsuit_new"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", [*LIST_PAGES, "legal:reconsideration_new", "legal:lawsuit_new"])
def test_pages_are_forbidden_without_a_role(client, name):
    assert login(client, UserFactory()).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", [*LIST_PAGES, "legal:reconsideration_new", "legal:lawsuit_new"])
def test_pages_open_for_the_clerk(client, clerk, name):
    assert login(client, clerk).get(reverse(name)).status_code == 200


def test_only_the_reconsideration_body_registers_applications(client, urban_handler):
    assert login(client, urban_handler).get(reverse("legal:reconsideration_new")).status_code == 403


def test_the_register_lists_what_each_user_may_see(client, rec, clerk, urban_handler, outsider):
    url = reverse("legal:reconsideration_list")
    assert rec.case.number in login(client, clerk).get(url).content.decode()
    client.logout()
    assert rec.case.number in login(client, urban_handler).get(url).content.decode()  # the respondent
    client.logout()
    assert rec.case.number not in login(client, outsider).get(url).content.decode()


def test_the_register_shows_the_applicant_masked(client, rec, clerk):
    page = login(client, clerk).get(reverse("legal:reconsideration_list")).content.decode()
    assert "李**" in page and "李建国" not in page


def test_detail_follows_the_scope(client, rec, clerk, urban_handler, outsider):
    url = reverse("legal:reconsideration_detail", args=[rec.pk])
    assert client.get(url).status_code == 302
    assert login(client, UserFactory()).get(url).status_code == 404
    client.logout()
    assert login(client, outsider).get(url).status_code == 404
    client.logout()
    assert login(client, urban_handler).get(url).status_code == 200
    client.logout()
    page = login(client, clerk).get(url).content.decode()
    assert "受理审查" in page and "2024-10-10" in page


def test_actions_follow_the_scope(client, rec, clerk, urban_handler, outsider):
    url = reverse("legal:reconsideration_action", args=[rec.pk, "accept"])
    data = {"accepted_on": "2024-10-09", "procedure": "normal"}
    assert client.post(url, data).status_code == 302
    assert login(client, UserFactory()).post(url, data).status_code == 404
    client.logout()
    assert login(client, outsider).post(url, data).status_code == 404
    client.logout()
    assert login(client, urban_handler).post(url, data).status_code == 403  # sees it, may not run it
    rec.refresh_from_db()
    assert rec.acceptance == Reconsideration.Acceptance.PENDING
    client.logout()
    assert login(client, clerk).post(url, data).status_code == 302
    rec.refresh_from_db()
    assert rec.acceptance == Reconsideration.Acceptance.ACCEPTED


def test_a_refused_action_says_why(client, rec, clerk):
    url = reverse("legal:reconsideration_action", args=[rec.pk, "reject"])
    response = login(client, clerk).post(url, {"rejected_on": "2024-10-11", "ground": "out_of_scope"})
    assert response.status_code == 400
    assert "第三十三条" in response.content.decode()


def test_the_clerk_runs_a_case_from_application_to_decision(
    client, clerk, approver, body, urban, settings, tmp_path
):
    """司法局 clerk: register, 补正, accept, serve, answer, hearing, extension, decision, documents."""
    settings.MEDIA_ROOT = tmp_path
    login(client, clerk)
    response = client.post(
        reverse("legal:reconsideration_new"),
        {
            "body": body.pk,
            "received_at": "2024-09-27T10:00",
            "channel": "in_person",
            "applicant_kind": "person",
            "applicant_name": "李建国",
            "applicant_id_number": "379902198003071234",
            "applicant_count": 1,
            "respondent": urban.pk,
            "act_name": "行政处罚决定",
            "act_number": "明城管罚决字〔2024〕第0135号",
            "act_category": "penalty",
            "act_date": "2024-09-02",
            "known_on": "2024-09-05",
            "claims": "请求撤销被申请人作出的罚款2万元的行政处罚决定。",
        },
    )
    rec = Reconsideration.objects.get()
    assert response.status_code == 302 and response.url == rec.get_absolute_url()
    assert rec.review_due == date(2024, 10, 10)

    def act(action, data=None, *, user=clerk):
        client.force_login(user)
        response = client.post(reverse("legal:reconsideration_action", args=[rec.pk, action]), data or {})
        assert response.status_code == 302, response.content.decode()[:2000]
        rec.refresh_from_db()

    act("correction", {"items": "请补充行政处罚决定书复印件。", "notified_on": "2024-09-30"})
    assert rec.correction_due == date(2024, 10, 18) and rec.case.status == Case.Status.SUSPENDED
    act("correction-receive", {"on": "2024-10-14"})
    assert rec.review_due == date(2024, 10, 21)
    act("accept", {"accepted_on": "2024-10-16", "procedure": "normal"})
    assert rec.case.due_date == date(2024, 12, 16) and rec.copy_due == date(2024, 10, 25)
    act("serve", {"on": "2024-10-18"})
    assert rec.answer_due == date(2024, 11, 1)
    act("answer", {"on": "2024-10-30"})
    act(
        "hearing",
        {
            "kind": "hearing",
            "scheduled_at": "2024-11-12T09:30",
            "place": "市司法局听证室",
            "notice_sent_on": "2024-11-04",
        },
    )
    act(
        "extend",
        {"requested_by": clerk.pk, "period": "30d", "reason": "案情复杂，需要进一步调查"},
        user=approver,
    )
    assert rec.case.due_date == date(2025, 1, 14)
    act("draft", {"kind": DocumentKind.ACCEPTANCE_NOTICE})
    act(
        "decide",
        {
            "outcome": Outcome.ANNULLED,
            "ground": "procedure",
            "remake_ordered": "on",
            "summary": "被申请人作出处罚前未告知申请人陈述、申辩的权利。",
            "decided_on": "2024-12-20",
        },
    )
    assert rec.outcome == Outcome.ANNULLED and rec.case.status == Case.Status.CLOSED
    act("draft", {"kind": DocumentKind.DECISION})

    decision = LegalDocument.objects.get(kind=DocumentKind.DECISION)
    page = client.get(reverse("legal:document_edit", args=[decision.pk]))
    assert page.status_code == 200 and "违反法定程序" in page.content.decode()
    client.post(
        reverse("legal:document_edit", args=[decision.pk]), {"text": decision.text + "\n（经复议委员会讨论）"}
    )
    response = client.post(reverse("legal:document_issue", args=[decision.pk]), {"issued_on": "2024-12-20"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.number == "明政复决字〔2024〕1号"
    download = client.get(reverse("legal:document_download", args=[decision.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"

    detail = client.get(rec.get_absolute_url()).content.decode()
    assert "明政复决字〔2024〕1号" in detail and "撤销" in detail


def test_documents_follow_the_scope(client, clerk, body, urban, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rec = accepted(clerk, body, urban)
    draft = services.document_draft(case=rec.case, kind=DocumentKind.ACCEPTANCE_NOTICE, actor=clerk)
    url = reverse("legal:document_edit", args=[draft.pk])
    assert client.get(url).status_code == 302
    assert login(client, UserFactory()).get(url).status_code == 404
    client.logout()
    assert login(client, outsider).get(url).status_code == 404
    client.logout()
    assert login(client, clerk).get(url).status_code == 200


def test_a_follow_up_is_answered_by_its_addressee(
    client, clerk, supervisor, body, urban, urban_handler, outsider
):
    rec = decided(clerk, body, urban, Outcome.ANNULLED, "procedure")
    follow_up = services.follow_up_issue(
        reconsideration=rec,
        actor=supervisor,
        kind="opinion",
        addressee=urban,
        content="执法过程中未告知陈述申辩权利，请予纠正。",
        issued_on=date(2024, 11, 20),
    )
    url = reverse("legal:follow_up_detail", args=[follow_up.pk])
    data = {"reply": "已组织执法人员培训并修订处罚文书格式。", "replied_on": "2025-01-10"}
    assert client.post(url, data).status_code == 302 and client.post(url, data).url.startswith(
        reverse("login")
    )
    assert login(client, UserFactory()).post(url, data).status_code == 404
    client.logout()
    assert login(client, outsider).post(url, data).status_code == 404
    client.logout()
    assert login(client, urban_handler).post(url, data).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.replied_on == date(2025, 1, 10) and follow_up.case.status == Case.Status.CLOSED


# --- litigation -------------------------------------------------------------------------------------------


def test_lawsuit_pages_follow_the_defendants_scope(client, urban, urban_handler, outsider):
    lawsuit = sue(urban_handler, urban)
    url = reverse("legal:lawsuit_detail", args=[lawsuit.pk])
    assert client.get(url).status_code == 302
    assert login(client, UserFactory()).get(url).status_code == 404
    client.logout()
    assert login(client, outsider).get(url).status_code == 404
    client.logout()
    page = login(client, urban_handler).get(url).content.decode()
    assert "2025-02-08" in page  # defence due


def test_the_litigation_desk_records_a_hearing_and_attendance(client, urban, urban_handler, outsider):
    lawsuit = sue(urban_handler, urban)
    hearing_url = reverse("legal:lawsuit_action", args=[lawsuit.pk, "hearing"])
    data = {
        "kind": "trial",
        "held_at": "2025-03-12T09:00",
        "head_summoned": "on",
        "notice_received_on": "2025-03-03",
    }
    assert login(client, outsider).post(hearing_url, data).status_code == 404
    client.logout()
    login(client, urban_handler)
    assert client.post(hearing_url, data).status_code == 302
    hearing = lawsuit.hearings.get()
    response = client.post(
        reverse("legal:lawsuit_action", args=[lawsuit.pk, "attendance"]),
        {
            "hearing": hearing.pk,
            "unit": urban.pk,
            "name_0": "王志强",
            "post_0": "局长",
            "capacity_0": "chief",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("legal:lawsuit_detail", args=[lawsuit.pk])).content.decode()
    assert "王志强" in page and "正职负责人" in page


def test_a_stranger_cannot_register_a_lawsuit(client):
    assert login(client, UserFactory()).get(reverse("legal:lawsuit_new")).status_code == 403


# --- figures and export ---------------------------------------------------------------------------------


def test_figures_drill_down_to_the_records(client, clerk, body, urban, outsider):
    decided(clerk, body, urban, Outcome.ANNULLED, "procedure")
    login(client, clerk)
    page = client.get(reverse("legal:figures"), {"year": 2024}).content.decode()
    assert "纠错率" in page and "100.0" in page
    records = client.get(
        reverse("legal:figure_records"),
        {
            "kind": "reconsideration",
            "code": "correction_rate",
            "part": "numerator",
            "start": "2024-01-01",
            "end": "2024-12-31",
        },
    )
    assert records.status_code == 200 and "复〔2024〕1号" in records.content.decode()
    client.logout()
    other = login(client, outsider).get(
        reverse("legal:figure_records"),
        {
            "kind": "reconsideration",
            "code": "correction_rate",
            "part": "numerator",
            "start": "2024-01-01",
            "end": "2024-12-31",
        },
    )
    assert "复〔2024〕1号" not in other.content.decode()


def test_litigation_figures_page(client, supervisor):
    response = login(client, supervisor).get(
        reverse("legal:figures"), {"kind": "litigation", "group": "area", "year": 2025}
    )
    assert response.status_code == 200 and "负责人出庭应诉率" in response.content.decode()


def test_the_register_exports_without_personal_data(client, rec, clerk):
    response = login(client, clerk).get(reverse("legal:reconsideration_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == rec.case.number and rows[1][4] == "李**"
    assert "379902198003071234" not in str(rows)


# --- the four cases for the remaining endpoints ---------------------------------------------------------


@pytest.fixture
def issued(clerk, body, urban, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rec = accepted(clerk, body, urban)
    draft = services.document_draft(case=rec.case, kind=DocumentKind.ACCEPTANCE_NOTICE, actor=clerk)
    return services.document_issue(document=draft, actor=clerk, issued_on=date(2024, 10, 9))


def test_an_issued_document_downloads_for_the_parties_only(client, issued, clerk, urban_handler, outsider):
    url = reverse("legal:document_download", args=[issued.pk])
    assert client.get(url).status_code == 302
    assert login(client, UserFactory()).get(url).status_code == 404
    client.logout()
    assert login(client, outsider).get(url).status_code == 404
    client.logout()
    assert login(client, urban_handler).get(url).status_code == 200  # served on the respondent
    client.logout()
    assert login(client, clerk).get(url).status_code == 200


def test_issuing_follows_the_scope(client, clerk, body, urban, urban_handler, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rec = accepted(clerk, body, urban)
    draft = services.document_draft(case=rec.case, kind=DocumentKind.ANSWER_NOTICE, actor=clerk)
    url = reverse("legal:document_issue", args=[draft.pk])
    data = {"issued_on": "2024-10-10"}
    assert client.post(url, data).status_code == 302 and not LegalDocument.objects.get().number
    assert login(client, UserFactory()).post(url, data).status_code == 404
    client.logout()
    assert login(client, outsider).post(url, data).status_code == 404
    client.logout()
    assert login(client, urban_handler).post(url, data).status_code == 403
    client.logout()
    assert login(client, clerk).post(url, data).status_code == 302
    assert LegalDocument.objects.get().number == "明政复答字〔2024〕1号"


@pytest.mark.parametrize("kind", ["reconsiderations", "lawsuits", "hearings"])
def test_import_pages_follow_the_permission_cases(client, clerk, urban_handler, kind):
    url = reverse("legal:import", args=[kind])
    assert client.get(url).status_code == 302
    assert login(client, UserFactory()).get(url).status_code == 403
    client.logout()
    permitted = clerk if kind == "reconsiderations" else urban_handler
    assert login(client, permitted).get(url).status_code == 200


def test_figure_records_need_a_role(client):
    url = reverse("legal:figure_records")
    assert client.get(url).status_code == 302
    assert login(client, UserFactory()).get(url).status_code == 403


def test_the_register_reads_in_a_fixed_number_of_queries(client, clerk, body, urban):
    apply(clerk, body, urban)
    login(client, clerk)
    url = reverse("legal:reconsideration_list")
    client.get(url)  # warm the calendar and the session
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        apply(clerk, body, urban, received_at=at(2024, 10, 8 + n))
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one)


def test_the_litigation_list_reads_in_a_fixed_number_of_queries(client, urban, urban_handler):
    sue(urban_handler, urban)
    login(client, urban_handler)
    url = reverse("legal:lawsuit_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        sue(urban_handler, urban)
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)
