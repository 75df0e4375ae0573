"""好差评 on the portal's progress page; a bad rating becomes a rectification task.

The page itself (code + phone suffix, limits, what the public sees) is tested in tests/portal.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from fazhi.cases.models import Case
from fazhi.core.deadlines import due_date
from fazhi.hotline import ratings
from fazhi.hotline.models import Rating, RatingLevel
from fazhi.org.models import Role
from tests.hotline.factories import register
from tests.hotline.test_services import replied
from tests.org.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(operator, community, road_rule, urban_handler):
    return replied(operator, community, urban_handler)


@pytest.fixture
def supervisor(city, settings):
    user = user_with_role(Role.SUPERVISOR, scope="all")
    settings.FAZHI_HOTLINE_SUPERVISOR = user.username
    return user


SUFFIX = "1234"  # the factories' caller phone ends so


def progress(client, ticket) -> str:
    response = client.post(reverse("portal:track"), {"code": ticket.tracking_code, "phone_suffix": SUFFIX})
    return response.content.decode()


def rate(client, ticket, level, comment=""):
    return client.post(
        reverse("portal:rate"),
        {"code": ticket.tracking_code, "phone_suffix": SUFFIX, "level": level, "comment": comment},
    )


def test_the_citizen_rates_once_with_the_tracking_code(client, ticket, urban):
    page = progress(client, ticket)
    assert "非常满意" in page

    response = rate(client, ticket, RatingLevel.VERY_SATISFIED, "修得很快")

    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    rating = Rating.objects.get(ticket=ticket)
    assert rating.unit == urban and rating.rectification is None
    again = rate(client, ticket, RatingLevel.VERY_UNSATISFIED)
    assert again.status_code == 400 and "只能评价一次" in again.content.decode()
    assert Rating.objects.get(ticket=ticket).level == RatingLevel.VERY_SATISFIED


def test_a_bad_rating_becomes_a_rectification_task_for_the_unit(client, ticket, urban, supervisor):
    rate(client, ticket, RatingLevel.UNSATISFIED, "坑只补了一半")

    rating = Rating.objects.get(ticket=ticket)
    task = rating.rectification
    assert task.case_type.code == "rectification" and task.handling_unit == urban
    assert task.status == Case.Status.OPEN
    assert task.due_date == due_date(start=task.start_date, period=task.case_type.period)
    assert ticket.reference in task.title and "坑只补了一半" in task.description
    assert task.created_by == supervisor


def test_without_a_supervisor_account_the_sweep_opens_the_task_later(client, ticket, urban, city):
    rate(client, ticket, RatingLevel.VERY_UNSATISFIED)
    assert Rating.objects.get(ticket=ticket).rectification is None
    account = user_with_role(Role.SUPERVISOR, scope="all")

    call_command("hotline", "escalate", "--as", account.username)

    assert Rating.objects.get(ticket=ticket).rectification.handling_unit == urban


def test_rating_waits_for_the_answer(client, operator, community, road_rule):
    waiting = register(operator, community)

    page = progress(client, waiting)
    assert "承办单位答复后即可评价" in page
    assert rate(client, waiting, RatingLevel.SATISFIED).status_code == 400
    assert not Rating.objects.exists()


def test_bad_input_is_refused_with_the_reason(ticket):
    with pytest.raises(ValidationError, match="请选择评价"):
        ratings.rating_submit(ticket=ticket, level=9)
    with pytest.raises(ValidationError, match="不超过500字"):
        ratings.rating_submit(ticket=ticket, level=3, comment="长" * 501)


def test_an_unknown_code_cannot_rate(client, db):
    response = client.post(reverse("portal:rate"), {"code": "ZZZZZZZZZZ", "phone_suffix": SUFFIX, "level": 5})
    assert response.status_code == 404 and not Rating.objects.exists()


def test_a_wrong_phone_suffix_cannot_rate(client, ticket):
    response = client.post(
        reverse("portal:rate"), {"code": ticket.tracking_code, "phone_suffix": "0000", "level": 1}
    )
    assert response.status_code == 404 and not Rating.objects.exists()


def test_staff_see_the_rating_and_its_task_on_the_ticket(client, ticket, urban_handler, supervisor):
    rate(client, ticket, RatingLevel.UNSATISFIED)
    task = Rating.objects.get().rectification
    client.force_login(urban_handler)

    page = client.get(reverse("hotline:detail", args=[ticket.pk])).content.decode()

    assert "好差评" in page and "不满意" in page and task.number in page
