"""Open311 GeoReport v2 at /open311/v2/, as existing clients call it (shapes from the spec's examples
and the requests the `three` and `open311` client libraries send)."""

import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from fazhi.core.models import AuditEvent
from fazhi.hotline import open311
from fazhi.hotline.models import Channel, Disposition, Ticket
from fazhi.hotline.records import Open311Client
from fazhi.org.models import Role
from tests.cases.factories import at
from tests.hotline.factories import category, register
from tests.org.factories import user_with_role

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def api_key(operator):
    _client, secret = open311.client_key_create(actor=operator, name="市民通 App", operator=operator)
    return secret


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def post(client, key, **fields):
    data = {"api_key": key, "service_code": "010101", "lat": "35.761829", "long": "115.029216"} | fields
    return client.post(f"{BASE}/requests.json", data)


# --- discovery and services ----------------------------------------------------------------------------


def test_discovery_names_the_spec_the_url_and_both_formats(client):
    root = xml(client.get(f"{BASE}/discovery.xml"))
    data = client.get(f"{BASE}/discovery.json").json()

    assert root.tag == "discovery"
    assert [e.tag for e in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert client.get(f"{BASE}/").status_code == 200


def test_services_are_the_third_level_categories_with_the_spec_fields(client):
    root = xml(client.get(f"{BASE}/services.xml"))
    services = client.get(f"{BASE}/services.json").json()

    assert root.tag == "services"
    first = root.find("service")
    assert [e.tag for e in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    pothole = next(s for s in services if s["service_code"] == "010101")
    assert pothole == {
        "service_code": "010101",
        "service_name": "道路破损",
        "description": "城市管理 / 市政设施 / 道路破损",
        "metadata": True,
        "type": "realtime",
        "keywords": pothole["keywords"],
        "group": "城市管理",
    }
    assert "坑洼" in pothole["keywords"]
    assert len(services) == len(root.findall("service")) > 150
    assert all(len(s["service_code"]) == 6 for s in services)


def test_a_service_definition_offers_the_request_type(client):
    root = xml(client.get(f"{BASE}/services/010101.xml"))

    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "010101"
    attribute = root.find("attributes/attribute")
    assert [e.tag for e in attribute] == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert attribute.findtext("datatype") == "singlevaluelist"
    keys = [v.findtext("key") for v in attribute.findall("values/value")]
    assert "complaint" in keys and "consultation" in keys


def test_an_unknown_service_is_a_404_in_the_spec_error_format(client):
    response = client.get(f"{BASE}/services/999999.xml")
    as_json = client.get(f"{BASE}/services/999999.json")

    assert response.status_code == as_json.status_code == 404
    root = xml(response)
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"
    assert "999999" in root.find("error/description").text
    assert as_json.json() == [{"code": 404, "description": "service_code '999999' not found."}]


def test_another_jurisdiction_is_not_found_and_this_one_is(client, settings):
    settings.FAZHI_OPEN311_JURISDICTION = "puyang.gov.cn"

    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "sfgov.org"}).status_code == 404
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "puyang.gov.cn"}).status_code == 200
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": ""}).status_code == 200  # empty = absent


def test_an_unknown_format_is_refused(client):
    assert client.get(f"{BASE}/services.csv").status_code == 404


# --- POST Service Request: the four permission cases ------------------------------------------------------


def test_without_an_api_key_nothing_is_registered(client):
    response = client.post(f"{BASE}/requests.xml", {"service_code": "010101", "lat": "35.7", "long": "115.0"})

    assert response.status_code == 403
    assert xml(response).find("error/code").text == "403"
    assert not Ticket.objects.exists()


def test_a_revoked_key_or_an_operator_who_left_cannot_register(client, operator, api_key, centre):
    open311.client_key_revoke(actor=operator, client=Open311Client.objects.get())

    assert post(client, api_key).status_code == 403
    other = user_with_role(Role.OPERATOR, centre)
    _client, second = open311.client_key_create(actor=operator, name="网格通", operator=other)
    other.memberships.update(is_active=False)
    assert post(client, second).status_code == 403
    assert not Ticket.objects.exists()


def test_a_client_registers_through_the_intake_service_and_gets_an_id(
    client, api_key, operator, community, urban, road_rule
):
    response = post(
        client,
        api_key,
        description="幸福路和建设路交叉口东侧路面有个大坑，晚上骑车很危险。",
        address_id=community.code,
        first_name="建国",
        last_name="王",
        phone="13812341234",
        **{"attribute[request_type]": "complaint"},
    )

    assert response.status_code == 201
    [body] = response.json()
    assert set(body) == {"service_request_id", "service_notice", "account_id"}
    ticket = Ticket.objects.select_related("case").get(pk=body["service_request_id"])
    assert (ticket.channel, ticket.request_type, ticket.region) == (Channel.OPEN311, "complaint", community)
    assert ticket.created_by == operator
    assert ticket.case.handling_unit == urban
    assert ticket.caller_name == "王 建国" and ticket.caller_phone == "13812341234"
    assert urban.name in body["service_notice"] and ticket.tracking_code in body["service_notice"]
    assert AuditEvent.objects.filter(action="hotline.registered", target_id=str(ticket.pk)).exists()
    assert Open311Client.objects.get().last_used_at is not None


def test_an_emergency_sent_through_open311_is_not_dispatched(client, api_key, community):
    response = post(client, api_key, description="楼下饭店着火了，冒了好大的烟", address_id=community.code)

    ticket = Ticket.objects.get(pk=response.json()[0]["service_request_id"])
    assert ticket.disposition == Disposition.EMERGENCY
    assert "119" in response.json()[0]["service_notice"]


def test_the_three_library_shape_with_an_address_string_and_multipart_media(client, api_key, community):
    # `three` maps address → address_string, name → first/last and sends media as multipart.
    photo = io.BytesIO(b"\x89PNG fake")
    photo.name = "pothole.png"
    response = client.post(
        f"{BASE}/requests.xml",
        {
            "api_key": api_key,
            "jurisdiction_id": open311.jurisdiction_id(),
            "service_code": "010101",
            "address_string": f"{community.name}幸福路12号门口",
            "first_name": "Jane",
            "last_name": "Doe",
            "description": "路面塌了一个坑，请尽快修补。",
            "media": photo,
        },
    )

    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests"
    ticket = Ticket.objects.get(pk=root.findtext("request/service_request_id"))
    assert ticket.region == community  # found by name in the address
    assert ticket.address.startswith(community.name)


def test_a_request_needs_a_location_and_a_known_service(client, api_key):
    assert post(client, api_key, lat="", long="", description="路面有坑请修补").status_code == 400
    assert post(client, api_key, service_code="999999", description="路面有坑请修补").status_code == 404
    too_short = post(client, api_key, description="坑")
    assert too_short.status_code == 400
    assert "content" in too_short.json()[0]["description"]


# --- GET Service Requests -----------------------------------------------------------------------------------


@pytest.fixture
def tickets(operator, community, urban, road_rule):
    recent = timezone.now()
    public = register(
        operator,
        community,
        received_at=recent,
        caller_phone="13812341234",
        caller_name="王建国",
        content="幸福路路面有个大坑，我电话13812341234，请尽快修补。",
    )
    secret = register(
        operator,
        community,
        received_at=recent,
        confidential=True,
        content="举报幸福路一家饭店夜里偷倒垃圾，请保密。",
        category=category("030401"),
    )
    old = register(operator, community, received_at=at(2024, 1, 5))
    return public, secret, old


def test_the_request_list_publishes_no_caller_and_no_confidential_request(client, tickets):
    public, secret, old = tickets

    rows = client.get(f"{BASE}/requests.json").json()
    body = client.get(f"{BASE}/requests.xml").content.decode()

    assert [r["service_request_id"] for r in rows] == [public.pk]  # the last 90 days by default
    row = rows[0]
    assert row["status"] == "open"
    assert row["service_code"] == "010101" and row["agency_responsible"] == public.case.handling_unit.name
    assert "13812341234" not in json.dumps(rows, ensure_ascii=False) and "13812341234" not in body
    assert "王建国" not in body and "偷倒垃圾" not in body
    assert row["requested_datetime"].endswith("+08:00")
    assert row["expected_datetime"].startswith(public.case.due_date.isoformat())
    assert row["address_id"] == public.region.code


def test_the_spec_filters_apply(client, tickets):
    public, _secret, old = tickets

    def ids(**params):
        return [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", params).json()]

    assert ids(service_request_id=f"{old.pk},{public.pk}") == [public.pk, old.pk]  # overrides the window
    assert ids(start_date="2024-01-01T00:00:00+08:00", end_date="2024-02-01T00:00:00+08:00") == [old.pk]
    assert ids(service_code="030401") == []
    assert ids(status="closed") == []
    assert ids(status="open", page_size="1") == [public.pk]
    wide = client.get(
        f"{BASE}/requests.json", {"start_date": "2024-01-01T00:00:00Z", "end_date": "2024-06-01T00:00:00Z"}
    )
    assert wide.status_code == 400
    assert client.get(f"{BASE}/requests.json", {"start_date": "2024-01-01"}).status_code == 400  # no timezone


def test_one_request_by_id_and_a_confidential_one_is_not_found(client, tickets):
    public, secret, _old = tickets

    root = xml(client.get(f"{BASE}/requests/{public.pk}.xml"))

    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == str(public.pk)
    assert [e.tag for e in root.find("request")][:4] == [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
    ]
    assert client.get(f"{BASE}/requests/{secret.pk}.json").status_code == 404
    assert client.get(f"{BASE}/requests/999999.json").status_code == 404


def test_a_token_is_the_tracking_code_the_caller_was_given(client, tickets):
    public, secret, _old = tickets

    found = client.get(f"{BASE}/tokens/{public.tracking_code}.json").json()

    assert found == [{"service_request_id": public.pk, "token": public.tracking_code}]
    assert client.get(f"{BASE}/tokens/{secret.tracking_code}.json").status_code == 404
    assert client.get(f"{BASE}/tokens/NOSUCHCODE.json").status_code == 404


# --- keys ---------------------------------------------------------------------------------------------------


def test_only_the_centre_registers_clients(urban_handler, operator):
    with pytest.raises(Exception, match="12345中心"):
        open311.client_key_create(actor=urban_handler, name="某App", operator=operator)


def test_the_command_prints_a_key_that_works(client, operator, community):
    out = io.StringIO()

    call_command("open311", "key", "create", "市民通", "--as", operator.username, stdout=out)

    key = out.getvalue().strip()
    assert key.startswith("o311_")
    assert Open311Client.objects.get().digest != key  # only the digest is stored
    assert post(client, key, description="路面有坑请尽快修补", address_id=community.code).status_code == 201
    listing = io.StringIO()
    call_command("open311", "key", "list", stdout=listing)
    assert "市民通" in listing.getvalue() and key not in listing.getvalue()
    with pytest.raises(CommandError, match="话务员"):
        call_command("open311", "key", "create", "x", "--as", "nobody")
