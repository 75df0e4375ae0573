from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.cases import services
from fazhi.cases.models import Case, Notice
from fazhi.org.models import Role
from tests.cases.factories import at, open_case
from tests.org.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(unit):
    return open_case(unit, received_at=at(2024, 9, 27), title="关于夜间施工噪音扰民的复议申请")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


# The four permission cases for each page: anonymous, signed in without a role, the handling unit,
# and staff of another unit.
PAGES = [
    ("cases:workbench", False),
    ("cases:inbox", False),
    ("cases:list", False),
    ("cases:detail", True),
]


@pytest.mark.parametrize(("name", "needs_case"), PAGES)
def test_anonymous_is_sent_to_login(client, case, name, needs_case):
    url = reverse(name, args=[case.pk] if needs_case else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_handler_sees_the_case_on_the_workbench_with_its_clock(client, handler, case):
    response = login(client, handler).get(reverse("cases:workbench"))
    assert response.status_code == 200
    page = response.content.decode()
    assert case.number in page
    assert "超期" in page  # due 2024-10-10, long past


def test_staff_without_a_role_see_no_cases(client, case):
    from tests.org.factories import UserFactory

    nobody = UserFactory()
    login(client, nobody)
    assert case.number not in client.get(reverse("cases:workbench")).content.decode()
    assert case.number not in client.get(reverse("cases:list")).content.decode()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_another_units_handler_cannot_open_or_act_on_the_case(client, case, other_unit):
    stranger = user_with_role(Role.HANDLER, other_unit)
    login(client, stranger)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    response = client.post(reverse("cases:action", args=[case.pk, "close"]), {"note": "越权办结的尝试"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_handler_closes_the_case_from_its_page(client, handler, case):
    login(client, handler)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.title in page and "办理过程" in page

    response = client.post(reverse("cases:action", args=[case.pk, "close"]), {"note": "已作出复议决定并送达"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert "已作出复议决定并送达" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_a_refused_action_says_why_in_chinese(client, handler, case):
    login(client, handler)
    response = client.post(reverse("cases:action", args=[case.pk, "close"]), {"note": "好"})
    assert response.status_code == 400
    assert "不少于5个字" in response.content.decode()


def test_co_handling_unit_adds_an_opinion_with_an_attachment(client, unit, other_unit):
    case = open_case(unit, co_units=[other_unit])
    co_handler = user_with_role(Role.HANDLER, other_unit)
    login(client, co_handler)
    upload = SimpleUploadedFile("现场照片说明.txt", "施工单位已停工".encode(), content_type="text/plain")

    response = client.post(
        reverse("cases:action", args=[case.pk, "comment"]), {"note": "协办意见：已现场核查", "files": upload}
    )

    assert response.status_code == 302
    attachment = case.attachments.get()
    download = client.get(reverse("cases:attachment", args=[case.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == "施工单位已停工".encode()
    # but a co-handler cannot close the lead unit's case
    assert (
        client.post(reverse("cases:action", args=[case.pk, "close"]), {"note": "协办单位办结"}).status_code
        == 403
    )


def test_supervisor_issues_supervision_which_shows_on_the_units_workbench(client, handler, case, other_unit):
    supervisor = user_with_role(Role.SUPERVISOR, other_unit, scope="all")
    login(client, supervisor).post(
        reverse("cases:action", args=[case.pk, "supervise"]),
        {"level": "3", "reason": "超期未办结，挂牌督办", "due": date(2099, 1, 1).isoformat()},
    )
    client.logout()
    page = login(client, handler).get(reverse("cases:workbench")).content.decode()
    assert "挂牌督办" in page and "超期未办结" in page


def test_inbox_lists_reminders_and_marks_them_read(client, handler, case):
    services.reminders_sweep(today=date(2025, 1, 10))  # the case fell due on 2024-11-26
    login(client, handler)
    assert "已超期" in client.get(reverse("cases:inbox")).content.decode()
    notice = Notice.objects.get(kind=Notice.Kind.OVERDUE)

    client.post(reverse("cases:notice_read", args=[notice.pk]))

    notice.refresh_from_db()
    assert notice.read_at is not None


def test_workbench_query_count_does_not_grow_with_cases(client, unit, handler, django_assert_max_num_queries):
    for _ in range(30):
        open_case(unit)
    login(client, handler)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cases:workbench"))
    assert response.content.decode().count("复〔2024〕") >= 30


def test_a_refused_action_on_a_page_is_audited_as_a_failure(client, unit, other_unit):
    from fazhi.core.models import AuditEvent

    case = open_case(unit, co_units=[other_unit])
    co_handler = user_with_role(Role.HANDLER, other_unit)
    login(client, co_handler).post(
        reverse("cases:action", args=[case.pk, "close"]), {"note": "协办单位越权办结"}
    )

    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor == co_handler and not event.success
    assert f"/cases/{case.pk}/close/" in event.message
