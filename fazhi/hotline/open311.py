"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests, tokens.

Field names, formats (`.xml` required, `.json` by the Spark convention), dates with a timezone
and the error format (`errors/error` with `code` and `description`, HTTP status authoritative)
follow the frozen spec, so existing clients work unchanged. Mapping onto the hotline:

- a service is a third-level category (`service_code` = its code, `group` its first level);
  the one attribute, `request_type`, is the request type (咨询/求助/投诉…);
- POST requests registers through `services.ticket_register` as the client's operator account,
  channel "Open311": triage, routing, limits and the audit trail are those of a phone call;
- a service request is a ticket; `service_request_id` is its id, its token the tracking code
  the caller was given (GET /tokens/{code} resolves it);
- reads publish what the public progress page does and no more: never the caller, never a
  confidential request (举报), the place to the community with coordinates rounded to ~100 m,
  long digit runs (phone or ID numbers) in texts masked.
"""

import re
import secrets
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core import audit
from fazhi.core.audit import sm3_hex
from fazhi.hotline import permissions, services
from fazhi.hotline.models import Category, Channel, Disposition, RequestType, Ticket
from fazhi.hotline.records import Open311Client
from fazhi.org.models import Region, User

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2024-01-01T00:00:00+08:00"  # the category tree shipped with Fazhi
KEY_PREFIX = "o311_"
SHOWN_PREFIX_LENGTH = 10
MAX_DESCRIPTION = 4000
DEFAULT_WINDOW_DAYS = 90
MAX_RECORDS = 1000
TOKEN_LIMIT = 30  # token look-ups per address per window: tokens are tracking codes
TOKEN_WINDOW_SECONDS = 600
_LONG_DIGITS = re.compile(r"\d{7,}")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
FORMATS = {"xml": "text/xml", "json": "application/json"}


def jurisdiction_id() -> str:
    return getattr(settings, "FAZHI_OPEN311_JURISDICTION", "minghu.gov.cn")


# --- client keys ------------------------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return sm3_hex(secret.encode())


@transaction.atomic
def client_key_create(*, actor: User | None, name: str, operator: User) -> tuple[Open311Client, str]:
    """Register an Open311 client; return it and its api_key (shown this once, stored as a digest).

    actor=None is `fazhi open311 key create`, run by someone with shell access to the server;
    otherwise the centre registers its clients."""
    if actor is not None and not permissions.can_register(actor):
        raise PermissionDenied("只有12345中心可以登记 Open311 接入方。")
    if not name.strip():
        raise ValidationError({"name": "请填写接入方名称。"})
    if permissions.centre_of(operator) is None or not operator.is_active:
        raise ValidationError(
            {"operator": f"账号{operator.get_username()}不是在岗的12345话务员，不能代为登记诉求。"}
        )
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    client = Open311Client.objects.create(
        name=name.strip()[:100],
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        digest=_digest(secret),
        operator=operator,
    )
    audit.record(
        actor=actor or "命令行",
        action="hotline.open311_key_created",
        target=client,
        after={"name": client.name, "prefix": client.prefix, "operator": operator.get_username()},
    )
    return client, secret


@transaction.atomic
def client_key_revoke(*, actor: User | None, client: Open311Client) -> Open311Client:
    if actor is not None and not permissions.can_register(actor):
        raise PermissionDenied("只有12345中心可以吊销 Open311 接入方。")
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit.record(actor=actor or "命令行", action="hotline.open311_key_revoked", target=client)
    return client


def client_find(api_key: str) -> Open311Client | None:
    if not api_key or not api_key.startswith(KEY_PREFIX):
        return None
    return (
        Open311Client.objects.select_related("operator")
        .filter(digest=_digest(api_key), revoked_at__isnull=True, operator__is_active=True)
        .first()
    )


# --- rendering ----------------------------------------------------------------------------------------------


class Open311Error(Exception):
    def __init__(self, status: int, description: str, code: int | None = None):
        super().__init__(description)
        self.status, self.description, self.code = status, description, code or status


def _xml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _to_xml(parent: ET.Element, name: str, value) -> None:
    """The Spark convention backwards: a list becomes repeated child elements named `item_name`."""
    node = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, child in value.items():
            _to_xml(node, key, child)
    elif isinstance(value, tuple):  # (child element name, items)
        item_name, items = value
        for item in items:
            _to_xml(node, item_name, item)
    else:
        node.text = _xml_value(value)


def _from_tuples(value):
    """The JSON form: tuples (element name, items) become plain lists."""
    if isinstance(value, dict):
        return {k: _from_tuples(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_from_tuples(v) for v in value[1]]
    return value


def render(fmt: str, root: str, item: str | None, payload, status: int = 200) -> HttpResponse:
    """`payload` is a list of `item` elements under `root`, or (item=None) the root's own fields."""
    if fmt == "json":
        data = [_from_tuples(p) for p in payload] if item else _from_tuples(payload)
        return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    top = ET.Element(root)
    if item:
        for entry in payload:
            _to_xml(top, item, entry)
    else:
        for key, value in payload.items():
            _to_xml(top, key, value)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        top, encoding="utf-8", xml_declaration=False
    )
    return HttpResponse(body, content_type=CONTENT_TYPES["xml"], status=status)


def _errors(fmt: str, error: Open311Error) -> HttpResponse:
    return render(
        fmt, "errors", "error", [{"code": error.code, "description": error.description}], status=error.status
    )


def _w3c(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(404, f"Unknown format '{fmt}': use .xml or .json.")
    return fmt


def _check_jurisdiction(request) -> None:
    given = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if given and given != jurisdiction_id():
        raise Open311Error(
            404, f"jurisdiction_id '{given}' not found; this endpoint serves '{jurisdiction_id()}'."
        )


def endpoint(view):
    """Format check, jurisdiction check and the spec's error format around an Open311 view."""

    def wrapped(request, *args, fmt: str, **kwargs):
        try:
            _check_format(fmt)
            _check_jurisdiction(request)
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as error:
            return _errors(fmt if fmt in FORMATS else "xml", error)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- services -------------------------------------------------------------------------------------------------


def _leaves():
    return Category.objects.filter(level=Category.Level.THIRD, is_active=True).select_related(
        "parent__parent"
    )


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.full_name,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(category.keyword_list()),
        "group": category.parent.parent.name if category.parent and category.parent.parent else "",
    }


def root(request):
    """/open311/v2/ itself: the discovery document in the required format."""
    return discovery(request, fmt="xml")


@require_GET
@endpoint
def discovery(request, *, fmt: str):
    latest = Category.objects.order_by("-code").values_list("code", flat=True).first() or ""
    # Clients refresh cached service lists when this changes: the category tree's size and last code.
    changeset = f"{CHANGESET}/{Category.objects.filter(is_active=True).count()}/{latest}"
    return render(
        fmt,
        "discovery",
        None,
        {
            "changeset": changeset,
            "contact": f"12345政务服务便民热线（{jurisdiction_id()}）",
            "key_service": "接入密钥（api_key）由12345中心登记发放：fazhi open311 key create 名称。",
            "endpoints": (
                "endpoint",
                [
                    {
                        "specification": SPECIFICATION,
                        "url": request.build_absolute_uri(reverse("open311:root")).rstrip("/"),
                        "changeset": changeset,
                        "type": "production",
                        "formats": ("format", list(FORMATS.values())),
                    }
                ],
            ),
        },
    )


@require_GET
@endpoint
def service_list(request, *, fmt: str):
    return render(fmt, "services", "service", [_service(c) for c in _leaves()])


@require_GET
@endpoint
def service_definition(request, code: str, *, fmt: str):
    category = _leaves().filter(code=code).first()
    if category is None:
        raise Open311Error(404, f"service_code '{code}' not found.")
    values = [{"key": value, "name": label} for value, label in RequestType.choices]
    return render(
        fmt,
        "service_definition",
        None,
        {
            "service_code": category.code,
            "attributes": (
                "attribute",
                [
                    {
                        "variable": True,
                        "code": "request_type",
                        "datatype": "singlevaluelist",
                        "required": False,
                        "datatype_description": "诉求类型，不填按“求助”登记",
                        "order": 1,
                        "description": "诉求类型（咨询、求助、投诉、举报、建议、表扬、其他）",
                        "values": ("value", values),
                    }
                ],
            ),
        },
    )


# --- requests ---------------------------------------------------------------------------------------------------


def _public_text(text: str) -> str:
    return _LONG_DIGITS.sub("***", text or "")


def _published() -> "Q":
    return Q(confidential=False) & (Q(case__isnull=True) | Q(case__is_confidential=False))


def _rounded(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(Decimal("0.001")))


def _request_out(ticket: Ticket, last_reply: dict) -> dict:
    case = ticket.case
    root_case = ticket.merged_into.case if ticket.merged_into_id and ticket.merged_into.case_id else case
    closed = ticket.disposition != Disposition.DISPATCH or (
        root_case is not None and root_case.status == root_case.Status.CLOSED
    )
    if ticket.disposition in (Disposition.EMERGENCY, Disposition.STATUTORY):
        notes = _public_text(ticket.guidance.split("本诉求不派单")[0])
    else:
        notes = _public_text(last_reply.get(ticket.merged_into_id or ticket.pk, ""))
    region = ticket.region
    address = region.name
    if region.parent_id:
        address = f"{region.parent.name}{address}"
    expected = (
        timezone.make_aware(datetime.combine(root_case.due_date, datetime.max.time().replace(microsecond=0)))
        if root_case is not None and not closed
        else None
    )
    updated = root_case.closed_at if closed and root_case is not None else ticket.updated_at
    return {
        "service_request_id": ticket.pk,
        "status": "closed" if closed else "open",
        "status_notes": notes,
        "service_name": ticket.category.name,
        "service_code": ticket.category.code,
        "description": _public_text(ticket.content),
        "agency_responsible": root_case.handling_unit.name if root_case is not None else "",
        "service_notice": "",
        "requested_datetime": _w3c(ticket.received_at),
        "updated_datetime": _w3c(updated),
        "expected_datetime": _w3c(expected),
        "address": address,
        "address_id": region.code,
        "zipcode": "",
        "lat": _rounded(ticket.latitude),
        "long": _rounded(ticket.longitude),
        "media_url": "",
    }


def _requests_out(tickets) -> list[dict]:
    from fazhi.hotline.models import Reply

    tickets = list(tickets)
    owners = {t.merged_into_id or t.pk for t in tickets}
    last_reply: dict[int, str] = {}
    for ticket_id, text in (
        Reply.objects.filter(ticket_id__in=owners)
        .order_by("replied_at", "id")
        .values_list("ticket_id", "text")
    ):
        last_reply[ticket_id] = text
    return [_request_out(t, last_reply) for t in tickets]


def _base_requests():
    return Ticket.objects.filter(_published()).select_related(
        "case__handling_unit", "category", "region__parent", "merged_into__case__handling_unit"
    )


def _w3c_arg(request, name: str) -> datetime | None:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return None
    parsed = parse_datetime(raw.replace(" ", "+"))  # a '+' in a query string arrives as a space
    if parsed is None or timezone.is_naive(parsed):
        raise Open311Error(400, f"{name} must be a W3C date with a timezone, e.g. 2024-09-23T08:00:00+08:00.")
    return parsed


def _int_arg(request, name: str, default: int, ceiling: int) -> int:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise Open311Error(400, f"{name} must be a positive integer.")
    return min(int(raw), ceiling)


def _list_requests(request, fmt: str) -> HttpResponse:
    tickets = _base_requests()
    ids = [v.strip() for v in (request.GET.get("service_request_id") or "").split(",") if v.strip()]
    if ids:
        if not all(v.isdigit() for v in ids):
            raise Open311Error(400, "service_request_id must be a comma-separated list of ids.")
        tickets = tickets.filter(pk__in=[int(v) for v in ids])  # overrides every other filter
    else:
        codes = [v.strip() for v in (request.GET.get("service_code") or "").split(",") if v.strip()]
        if codes:
            tickets = tickets.filter(category__code__in=codes)
        start, end = _w3c_arg(request, "start_date"), _w3c_arg(request, "end_date")
        if start and end and end - start > timedelta(days=DEFAULT_WINDOW_DAYS):
            raise Open311Error(400, f"start_date and end_date may span at most {DEFAULT_WINDOW_DAYS} days.")
        if start is None and end is None:
            start = timezone.now() - timedelta(days=DEFAULT_WINDOW_DAYS)
        if start is not None:
            tickets = tickets.filter(received_at__gte=start)
        if end is not None:
            tickets = tickets.filter(received_at__lte=end)
        statuses = {v.strip() for v in (request.GET.get("status") or "").split(",") if v.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, "status must be open, closed or both, comma-separated.")
        if statuses == {"open"}:
            tickets = tickets.filter(disposition=Disposition.DISPATCH, case__status__in=["open", "suspended"])
        elif statuses == {"closed"}:
            tickets = tickets.filter(Q(case__status="closed") | ~Q(disposition=Disposition.DISPATCH))
    page_size = _int_arg(request, "page_size", MAX_RECORDS, MAX_RECORDS)
    page = _int_arg(request, "page", 1, 10**6)
    tickets = tickets.order_by("-received_at", "-id")[(page - 1) * page_size : page * page_size]
    return render(fmt, "service_requests", "request", _requests_out(tickets))


def _one_location(request) -> tuple[Region | None, Decimal | None, Decimal | None, str]:
    data = request.POST
    lat, lon = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    address = strip_tags(data.get("address_string") or "").strip()[:200]
    address_id = (data.get("address_id") or "").strip()
    if not ((lat and lon) or address or address_id):
        raise Open311Error(400, "A location is required: lat and long, address_string or address_id.")
    latitude = longitude = None
    if lat or lon:
        try:
            latitude, longitude = (
                Decimal(lat).quantize(Decimal("0.000001")),
                Decimal(lon).quantize(Decimal("0.000001")),
            )
        except (InvalidOperation, ValueError):
            raise Open311Error(400, "lat and long must both be WGS84 decimal degrees.") from None
    region = None
    if address_id:
        region = Region.objects.filter(code=address_id).first()
        if region is None:
            raise Open311Error(400, f"address_id '{address_id}' is not a region code of this jurisdiction.")
    elif address:
        # The most specific region whose name the address mentions (community before street).
        for level in (Region.Level.COMMUNITY, Region.Level.STREET, Region.Level.COUNTY):
            names = Region.objects.filter(level=level).values_list("pk", "name")
            found = [pk for pk, name in names if name and name in address]
            if len(found) == 1:
                region = Region.objects.get(pk=found[0])
                break
    return region, latitude, longitude, address


def _create_request(request, fmt: str) -> HttpResponse:
    client = client_find((request.POST.get("api_key") or "").strip())
    if client is None:
        raise Open311Error(403, "api_key is missing, revoked or invalid.")
    code = (request.POST.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "service_code is required.")
    category = _leaves().filter(code=code).first()
    if category is None:
        raise Open311Error(404, f"service_code '{code}' not found.")
    region, latitude, longitude, address = _one_location(request)
    operator = client.operator
    centre = permissions.centre_of(operator)
    if centre is None:
        raise Open311Error(403, "The account this api_key registers as is no longer a 12345 operator.")
    request_type = (request.POST.get("attribute[request_type]") or RequestType.HELP).strip()
    if request_type not in RequestType.values:
        raise Open311Error(400, f"attribute[request_type] must be one of {', '.join(RequestType.values)}.")
    description = strip_tags(request.POST.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"description may be at most {MAX_DESCRIPTION} characters.")
    media = (request.POST.get("media_url") or "").strip()
    if media:
        description = f"{description}\n附图：{media[:500]}".strip()  # what the citizen sent stays with it
    name = " ".join(
        part
        for part in (
            (request.POST.get("last_name") or "").strip(),
            (request.POST.get("first_name") or "").strip(),
        )
        if part
    )
    try:
        ticket = services.ticket_register(
            actor=operator,
            content=description,
            request_type=request_type,
            category=category,
            region=region or centre.region,
            channel=Channel.OPEN311,
            address=address,
            caller_name=name[:100],
            caller_phone=(request.POST.get("phone") or "").strip(),
            latitude=latitude,
            longitude=longitude,
        )
    except ValidationError as exc:
        messages = (
            [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        raise Open311Error(400, "；".join(messages)) from None
    except PermissionDenied as exc:
        raise Open311Error(403, str(exc)) from None
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    if ticket.guidance:
        notice = ticket.guidance
    elif ticket.case is not None and ticket.case.handling_unit_id != ticket.centre_id:
        notice = f"已受理，交{ticket.case.handling_unit.name}办理，办理期限{ticket.case.due_date:%Y-%m-%d}。查询码：{ticket.tracking_code}"
    else:
        notice = f"已受理，12345中心将尽快派单。查询码：{ticket.tracking_code}"
    account = (request.POST.get("account_id") or "").strip()
    return render(
        fmt,
        "service_requests",
        "request",
        [{"service_request_id": ticket.pk, "service_notice": notice, "account_id": account}],
        status=201,
    )


@csrf_exempt  # clients authenticate with api_key, not a browser session
@require_http_methods(["GET", "POST"])
@endpoint
def requests_view(request, *, fmt: str):
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)


@require_GET
@endpoint
def request_detail(request, pk: str, *, fmt: str):
    tickets = list(_base_requests().filter(pk=int(pk)))
    if not tickets:
        raise Open311Error(404, f"service_request_id '{pk}' not found.")
    return render(fmt, "service_requests", "request", _requests_out(tickets))


def _token_over_limit(request) -> bool:
    key = f"open311:token:{request.META.get('REMOTE_ADDR', '') or 'unknown'}"
    if cache.add(key, 1, TOKEN_WINDOW_SECONDS):
        return False
    try:
        return cache.incr(key) > getattr(settings, "FAZHI_OPEN311_TOKEN_LIMIT", TOKEN_LIMIT)
    except ValueError:
        return False


@require_GET
@endpoint
def token_detail(request, token: str, *, fmt: str):
    """A tracking code (the token the caller was given) → its service_request_id."""
    if _token_over_limit(request):
        raise Open311Error(
            400, "Too many token look-ups from this address; try again in 10 minutes.", code=429
        )
    ticket = Ticket.objects.filter(_published(), tracking_code=token.strip().upper()).first()
    if ticket is None:
        raise Open311Error(404, f"token '{token}' not found.")
    return render(
        fmt, "service_requests", "request", [{"service_request_id": ticket.pk, "token": ticket.tracking_code}]
    )
