import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core.audit import sm3_hex
from fazhi.core.models import AuditEvent
from fazhi.org.models import Role
from tests.org.factories import PASSWORD, UserFactory, user_with_role
from tests.reports.conftest import DATA, SEEDS

pytestmark = pytest.mark.django_db

PAGES = ["reports:review", "reports:compare"]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def seed_upload(name: str) -> SimpleUploadedFile:
    path = DATA / SEEDS[name]
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")


@pytest.fixture
def staff(unit):
    return user_with_role(Role.HANDLER, unit)


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_an_account_without_membership_is_refused(client, name):
    assert login(client, UserFactory()).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_the_three_administrators_do_not_review_reports(client, unit, name):
    auditor = user_with_role(Role.AUDIT_ADMIN, unit)
    assert login(client, auditor).get(reverse(name)).status_code == 403


def test_an_inactive_membership_does_not_count(client, unit):
    user = user_with_role(Role.SUPERVISOR, unit, is_active=False)
    assert login(client, user).get(reverse("reports:review")).status_code == 403


@pytest.mark.parametrize("role", [Role.HANDLER, Role.SUPERVISOR, Role.LEADER])
def test_any_working_staff_member_opens_the_page(client, unit, role):
    response = login(client, user_with_role(role, unit)).get(reverse("reports:review"))
    assert response.status_code == 200 and "报告文件" in response.content.decode()


def test_the_nav_links_to_report_review(client, staff):
    page = login(client, staff).get(reverse("reports:review")).content.decode()
    assert f'href="{reverse("reports:review")}">报告审查' in page


def test_uploading_a_report_shows_its_review_and_is_audited(client, staff):
    upload = seed_upload("kundulun")
    response = login(client, staff).post(reverse("reports:review"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "昆都仑区（2022年度）" in page
    assert "其他需要报告的情况" in page and "未找到" in page
    assert "若95.64%无误，办结数应在65488至65493件之间" in page
    assert "68476件" in page
    event = AuditEvent.objects.get(action="reports.reviewed")
    assert event.actor == staff and event.success
    assert event.after["file"] == SEEDS["kundulun"]
    assert event.after["sm3"] == sm3_hex((DATA / SEEDS["kundulun"]).read_bytes())
    assert event.after["missing_parts"] == ["其他需要报告的情况"]
    assert event.after["problems"] == 2


def test_an_unreadable_upload_is_refused_with_its_reason_and_audited_as_failed(client, staff):
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    response = login(client, staff).post(reverse("reports:review"), {"file": upload})
    assert response.status_code == 400
    assert "只能审查TXT、DOCX或HTML文件" in response.content.decode()
    event = AuditEvent.objects.get(action="reports.reviewed")
    assert not event.success and event.after["file"] == "report.pdf"


def test_posting_without_a_file_names_the_field(client, staff):
    response = login(client, staff).post(reverse("reports:review"), {})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    assert not AuditEvent.objects.filter(action="reports.reviewed").exists()


def test_comparing_reports_side_by_side(client, staff):
    files = [seed_upload("suizhou"), seed_upload("kundulun")]
    response = login(client, staff).post(reverse("reports:compare"), {"files": files})
    page = response.content.decode()
    assert response.status_code == 200
    assert "随州市（2023年度）" in page and "昆都仑区（2022年度）" in page
    assert "行政复议·纠错率" in page and "17.4%" in page and "95.64%" in page
    event = AuditEvent.objects.get(action="reports.compared")
    assert [f["file"] for f in event.after["files"]] == [SEEDS["suizhou"], SEEDS["kundulun"]]


def test_comparing_needs_two_reports(client, staff):
    response = login(client, staff).post(reverse("reports:compare"), {"files": [seed_upload("suizhou")]})
    assert response.status_code == 400 and "请至少选择两份报告" in response.content.decode()
