"""Writes from the public portal. A citizen has no account: the portal registers requests as the
centre's portal account (`settings.FAZHI_PORTAL_OPERATOR`, an operator of the 12345 centre), the
way an Open311 client registers as its operator account, so a web request goes through the same
intake service — triage, routing, local limits, the audit trail — as a phone call.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from fazhi.cases import services as case_services
from fazhi.core import audit, crypto
from fazhi.hotline import permissions as hotline_permissions
from fazhi.hotline import routing
from fazhi.hotline import services as hotline_services
from fazhi.hotline.models import Category, Channel, Ticket
from fazhi.org.models import Region, User

DEFAULT_OPERATOR = "portal"
# When the citizen does not classify and the text is not clear enough to classify it for them,
# the request is filed under 其他诉求 and waits in the centre's queue for an operator.
DEFAULT_FALLBACK_CATEGORY = "170201"


def portal_operator() -> User | None:
    """The account web requests are registered as; None when it is missing or not an operator."""
    username = getattr(settings, "FAZHI_PORTAL_OPERATOR", DEFAULT_OPERATOR)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not hotline_permissions.can_register(user):
        return None
    return user


def _classify(*, content: str, region: Region, request_type: str) -> tuple[Category | None, bool]:
    """The category the centre's own rules or model are sure of, else the fallback; and whether
    the text decided it (False: the centre classifies)."""
    guess = routing.suggest_route(text=content, region=region, request_type=request_type)
    if guess.category is not None and guess.category_confidence >= routing.auto_route_confidence():
        return guess.category, True
    code = getattr(settings, "FAZHI_PORTAL_FALLBACK_CATEGORY", DEFAULT_FALLBACK_CATEGORY)
    return Category.objects.filter(code=code, is_active=True).first(), False


@transaction.atomic
def submission_register(
    *,
    request_type: str,
    content: str,
    category: Category | None,
    region: Region | None,
    phone: str,
    name: str = "",
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    confidential: bool = False,
    attachments: Sequence[UploadedFile] = (),
    client_address: str = "",
) -> Ticket:
    """我要反映: a citizen's request from the portal, registered as channel 网站.

    The attachments go on the request's case like any other (stored by the case engine with
    their SHA-256); a request handled by guidance has no case, and its files are not kept —
    the receipt says so. The client address is kept only as its digest, for abuse review.
    """
    operator = portal_operator()
    if operator is None:
        raise PermissionDenied("网上受理暂不可用（未配置门户受理账号），请拨打12345反映。")
    classified_by_citizen = category is not None
    if category is None and region is not None:
        category, _ = _classify(content=content, region=region, request_type=request_type)
    ticket = hotline_services.ticket_register(
        actor=operator,
        content=content,
        request_type=request_type,
        category=category,
        region=region,
        channel=Channel.WEB,
        address=address,
        caller_name=name,
        caller_phone=phone,
        confidential=confidential,
        latitude=latitude,
        longitude=longitude,
    )
    kept = []
    if ticket.case_id is not None:
        for upload in attachments:
            kept.append(case_services.attachment_add(case=ticket.case, actor=operator, upload=upload))
    audit.record(
        actor=operator,
        action="portal.submitted",
        target=ticket,
        after={
            "channel": ticket.channel,
            "classified_by_citizen": classified_by_citizen,
            "attachments": [a.sha256 for a in kept],
            "attachments_not_kept": len(attachments) - len(kept),
            "client": crypto.blind_index(client_address, "text")[:16] if client_address else "",
        },
    )
    return ticket
