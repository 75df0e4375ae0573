"""被申请人网上答复: the respondent's staff answer from their own pages, the clerk sees and signs it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.cases.models import Notice
from fazhi.core.models import AuditEvent
from fazhi.legal import services
from fazhi.legal.models import Reconsideration, RespondentAnswer
from fazhi.org.models import Role
from tests.legal.factories import accepted
from tests.org.factories import PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
TEXT = "该处罚决定事实清楚、证据确凿、程序合法，请求维持。"


def freeze(monkeypatch, day: date) -> None:
    """Today is `day` for the services, the engine and the pages."""
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def files():
    return [
        SimpleUploadedFile("答复书.pdf", b"%PDF-1.4 answer", content_type="application/pdf"),
        SimpleUploadedFile("证据目录.pdf", b"%PDF-1.4 evidence", content_type="application/pdf"),
    ]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def served(clerk, body, urban, monkeypatch):
    """Accepted 9 Oct 2024; the respondent received the copy on Friday 11 Oct. Ten working days,
    Saturday 12 Oct being a make-up working day after National Day: the answer is due Thursday 24 Oct."""
    freeze(monkeypatch, date(2024, 10, 11))
    rec = accepted(clerk, body, urban)
    return services.copy_serve(reconsideration=rec, actor=clerk, served_on=date(2024, 10, 11))


def answer_url(rec, action="answer-submit"):
    return reverse("legal:reconsideration_action", args=[rec.pk, action])


def test_serving_the_copy_puts_the_answer_in_the_respondents_inbox_and_on_its_page(
    client, served, urban, urban_handler
):
    assert served.answer_due == date(2024, 10, 24)
    notice = Notice.objects.get(unit=urban)
    assert "2024-10-24" in notice.title and served.case.number in notice.title
    page = login(client, urban_handler).get(reverse("legal:home")).content.decode()
    assert "待本单位答复的行政复议" in page and served.case.number in page and "2024-10-24" in page
    detail = client.get(served.get_absolute_url()).content.decode()
    assert "提交书面答复（答复期限 2024-10-24）" in detail


def test_the_respondent_answers_on_time_and_the_clerk_sees_and_signs_it(
    client, served, clerk, urban_handler, monkeypatch
):
    # given the respondent's handler on 18 Oct 2024
    freeze(monkeypatch, date(2024, 10, 18))

    # when it submits the answer with two files
    response = login(client, urban_handler).post(answer_url(served), {"text": TEXT, "files": files()})

    # then the answer is kept with its files, audited, and the clerk's unit is told
    assert response.status_code == 302
    answer = RespondentAnswer.objects.get()
    assert [f.name for f in answer.files.order_by("id")] == ["答复书.pdf", "证据目录.pdf"]
    event = AuditEvent.objects.get(action="legal.answer_submitted")
    assert event.actor == urban_handler and event.after["submitted_on"] == "2024-10-18"
    assert Notice.objects.filter(unit=served.case.handling_unit, title__contains="网上答复").exists()
    served.refresh_from_db()
    assert services.answered_late(served) is False
    assert "提交书面答复" not in client.get(served.get_absolute_url()).content.decode()

    # and the clerk sees it on the case, on time, and signs it: the case goes into review
    client.logout()
    page = login(client, clerk).get(served.get_absolute_url()).content.decode()
    assert "被申请人答复" in page and "按期" in page and "答复书.pdf" in page and TEXT in page
    download = client.get(reverse("legal:answer_file_download", args=[answer.files.first().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 answer"
    assert client.post(answer_url(served, "answer-online")).status_code == 302
    served.refresh_from_db()
    assert served.answer_received_on == date(2024, 10, 18) and served.case.stage.code == "hearing"


def test_a_late_answer_is_marked_late_for_the_clerk(client, served, urban_handler, monkeypatch):
    freeze(monkeypatch, date(2024, 10, 25))  # the period ended on Thursday 24 Oct
    login(client, urban_handler).post(answer_url(served), {"text": TEXT, "files": files()})
    served.refresh_from_db()
    assert services.answered_late(served) is True
    assert "已超过答复期限2024-10-24" in Notice.objects.get(title__contains="网上答复").title


def test_an_answer_without_evidence_is_refused_and_nothing_is_written(client, served, urban_handler):
    response = login(client, urban_handler).post(answer_url(served), {"text": TEXT})
    assert response.status_code == 400 and "请上传书面答复书" in response.content.decode()
    assert (
        not RespondentAnswer.objects.exists()
        and not AuditEvent.objects.filter(action="legal.answer_submitted").exists()
    )


def test_an_answer_is_submitted_once(served, urban_handler):
    services.answer_submit(reconsideration=served, actor=urban_handler, text=TEXT, files=files())
    with pytest.raises(Exception, match="已提交"):
        services.answer_submit(reconsideration=served, actor=urban_handler, text=TEXT, files=files())


# --- the four permission cases ---------------------------------------------------------------------


def test_anonymous_cannot_answer_or_download(client, served):
    response = client.post(answer_url(served), {"text": TEXT, "files": files()})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not RespondentAnswer.objects.exists()


def test_a_user_without_a_role_cannot_answer(client, served):
    response = login(client, UserFactory()).post(answer_url(served), {"text": TEXT, "files": files()})
    assert response.status_code == 404 and not RespondentAnswer.objects.exists()


def test_the_body_clerk_cannot_answer_for_the_respondent(client, served, clerk):
    response = login(client, clerk).post(answer_url(served), {"text": TEXT, "files": files()})
    assert response.status_code == 403 and not RespondentAnswer.objects.exists()


def test_another_units_staff_can_neither_answer_nor_read_the_files(client, served, urban_handler, market):
    answer = services.answer_submit(reconsideration=served, actor=urban_handler, text=TEXT, files=files())
    other = user_with_role(Role.HANDLER, market)
    client = login(client, other)
    assert client.post(answer_url(served), {"text": TEXT, "files": files()}).status_code == 404
    file_pk = answer.files.first().pk
    assert client.get(reverse("legal:answer_file_download", args=[file_pk])).status_code == 404
    assert "待本单位答复" not in client.get(reverse("legal:home")).content.decode()
    assert Reconsideration.objects.get().answer_received_on is None


def test_the_respondent_is_reminded_once_as_the_answer_comes_due_and_when_it_is_overdue(
    served, urban, urban_handler
):
    # 21 Oct: three working days left, no reminder yet; 22 Oct: two left (临期); 25 Oct: overdue
    assert services.answer_reminders_sweep(today=date(2024, 10, 21)) == {"due_soon": 0, "overdue": 0}
    assert services.answer_reminders_sweep(today=date(2024, 10, 22)) == {"due_soon": 1, "overdue": 0}
    assert services.answer_reminders_sweep(today=date(2024, 10, 23)) == {"due_soon": 0, "overdue": 0}
    assert services.answer_reminders_sweep(today=date(2024, 10, 25)) == {"due_soon": 0, "overdue": 1}
    assert services.answer_reminders_sweep(today=date(2024, 10, 28)) == {"due_soon": 0, "overdue": 0}
    kinds = set(Notice.objects.filter(unit=urban).values_list("kind", flat=True))
    assert kinds == {Notice.Kind.ASSIGNED, Notice.Kind.DUE_SOON, Notice.Kind.OVERDUE}
    assert "已超过答复期限2024-10-24" in Notice.objects.get(unit=urban, kind=Notice.Kind.OVERDUE).title


def test_an_answered_case_is_not_reminded(served, urban_handler):
    services.answer_submit(reconsideration=served, actor=urban_handler, text=TEXT, files=files())
    assert services.answer_reminders_sweep(today=date(2024, 10, 25)) == {"due_soon": 0, "overdue": 0}
