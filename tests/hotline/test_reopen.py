"""重办: the centre accepts a reopen request and the unit handles the request again on a new clock."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fazhi.cases.models import Case
from fazhi.core.deadlines import due_date
from fazhi.core.models import AuditEvent
from fazhi.hotline import selectors, services
from fazhi.hotline.models import HandlingLimit, ReopenRequest, RequestType
from tests.hotline.test_services import GOOD_REPLY, replied
from tests.hotline.test_views import login
from tests.org.factories import UserFactory

pytestmark = pytest.mark.django_db


def unhappy(operator, ticket) -> ReopenRequest:
    return services.callback_record(
        ticket=ticket,
        actor=operator,
        satisfaction="unsatisfied",
        resolution="unresolved",
        note="坑只填了一半",
    ).reopen_request


@pytest.fixture
def reopen_request(operator, community, road_rule, urban_handler):
    return unhappy(operator, replied(operator, community, urban_handler))


def test_accepting_sends_it_back_to_the_unit_with_the_local_limit_from_today(
    reopen_request, operator, urban_handler
):
    HandlingLimit.objects.create(request_type=RequestType.HELP, period="3wd")

    services.reopen_accept(request=reopen_request, actor=operator, note="请彻底修补")

    case = Case.objects.get(pk=reopen_request.ticket.case_id)
    assert case.status == Case.Status.OPEN and case.stage.code == "handle"
    assert case.due_date == due_date(start=timezone.localdate(), period="3wd")
    assert reopen_request.status == ReopenRequest.Status.ACCEPTED
    assert list(selectors.tickets_list(urban_handler, state="handling")) == [reopen_request.ticket]
    assert AuditEvent.objects.filter(action="hotline.reopen_accepted", actor=operator).exists()
    # The unit answers again; the centre can call back about the new answer.
    services.reply_submit(ticket=reopen_request.ticket, actor=urban_handler, **GOOD_REPLY)
    assert list(selectors.dispatch_queue(operator)["callbacks"]) == [reopen_request.ticket]


def test_a_request_is_decided_once(reopen_request, operator):
    services.reopen_accept(request=reopen_request, actor=operator)
    with pytest.raises(ValidationError, match="已审核"):
        services.reopen_accept(request=reopen_request, actor=operator)
    with pytest.raises(ValidationError, match="已审核"):
        services.reopen_reject(request=reopen_request, actor=operator, note="重复的决定不应生效")


def test_only_the_centre_decides(reopen_request, urban_handler):
    with pytest.raises(PermissionDenied):
        services.reopen_accept(request=reopen_request, actor=urban_handler)


# --- the button on the ticket page: the four permission cases ----------------------------------------


def _accept(client, request):
    url = reverse("hotline:action", args=[request.ticket_id, "reopen-accept"])
    return client.post(url, {"request": request.pk, "note": ""})


def test_anonymous_is_sent_to_login(client, reopen_request):
    response = _accept(client, reopen_request)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_user_without_the_case_in_scope_sees_nothing(client, reopen_request, housing_handler):
    assert _accept(login(client, housing_handler), reopen_request).status_code == 404
    assert _accept(login(client, UserFactory()), reopen_request).status_code == 404


def test_the_handling_unit_may_not_decide_its_own_reopen(client, reopen_request, urban_handler):
    assert _accept(login(client, urban_handler), reopen_request).status_code == 403
    reopen_request.refresh_from_db()
    assert reopen_request.status == ReopenRequest.Status.PENDING


def test_the_operator_accepts_on_the_page(client, reopen_request, operator):
    response = _accept(login(client, operator), reopen_request)

    assert response.status_code == 302
    page = client.get(reverse("hotline:detail", args=[reopen_request.ticket_id])).content.decode()
    assert "已重办" in page
