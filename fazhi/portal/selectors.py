"""Reads for the public portal. Nothing here is scoped to a user: what it returns is public by
construction — a request's progress without its caller, content or address; disclosed answers;
figures from the metrics registry."""

import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from fazhi.cases.models import Case
from fazhi.hotline import ratings
from fazhi.hotline import selectors as hotline_selectors
from fazhi.hotline.models import Category, Rating, Ticket
from fazhi.metrics import compute
from fazhi.metrics.registry import registry
from fazhi.org.models import Region

_LONG_DIGITS = re.compile(r"\d{7,}")
DEFAULT_FIGURES = ("hotline.received", "hotline.ontime_rate", "hotline.good_rating_rate")
FIGURES_CACHE_SECONDS = 600


def public_text(text: str) -> str:
    """Answers are written to the citizen; on the web, hide any number long enough to be a phone or ID."""
    return _LONG_DIGITS.sub("***", text or "")


# --- tracking ---------------------------------------------------------------------------------------


def ticket_for_tracking(code: str, phone_suffix: str) -> tuple[Ticket | None, bool]:
    """(the request, whether the phone suffix matched). A request registered with a phone needs
    its last 4 digits as well as the code; one without a phone (an anonymous call) has only the code."""
    ticket = hotline_selectors.ticket_by_tracking_code(code)
    if ticket is None:
        return None, False
    phone = ticket.caller_phone or ""
    if not phone:
        return ticket, True
    return ticket, hmac.compare_digest(phone[-4:], (phone_suffix or "").strip())


@dataclass(frozen=True)
class Step:
    label: str
    at: datetime | date | None
    detail: str = ""


def public_progress(ticket: Ticket) -> dict:
    """What the citizen may see: dates, units, the answer; never a person, a note, the content or
    the caller. Steps are derived from the request's state, not copied from the staff timeline."""
    root = ticket.merged_into or ticket
    case = root.case
    steps = [Step("已受理", ticket.received_at, f"受理渠道：{ticket.get_channel_display()}")]
    if ticket.merged_into_id:
        steps.append(Step("已并单", ticket.merged_at, "与反映同一问题的诉求合并办理，答复一并告知。"))
    if ticket.guidance:
        steps.append(Step("已告知办理途径", ticket.created_at, ticket.guidance.split("本诉求不派单")[0]))
    if case is not None:
        if case.handling_unit_id != root.centre_id:
            steps.append(Step("已派单", None, f"承办单位：{case.handling_unit.name}"))
        else:
            steps.append(Step("待派单", None, "12345中心正在分类派单。"))
        if root.signed_at:
            steps.append(Step("已签收", root.signed_at))
    for reply in hotline_selectors.replies_for(ticket):
        steps.append(Step("已答复", reply.replied_at, f"{reply.unit.name}：{public_text(reply.text)}"))
    last_callback = ticket.callbacks.order_by("-called_at").first()
    if last_callback is not None:
        steps.append(Step("已回访", last_callback.called_at))
    closed = case is not None and case.status == Case.Status.CLOSED
    if ticket.guidance:
        status = "已告知办理途径"
    elif closed:
        status = "已办结"
    elif case is not None and case.status == Case.Status.SUSPENDED:
        status = "暂停办理"
    else:
        status = "办理中"
    can_rate, rate_hint = ratings.can_rate(ticket)
    return {
        "ticket": ticket,
        "category": ticket.category.full_name,
        "region": ticket.region.name,
        "steps": steps,
        "status": status,
        "due_date": case.due_date if case is not None and not closed else None,
        "rating": Rating.objects.filter(ticket=ticket).first(),
        "can_rate": can_rate,
        "rate_hint": rate_hint,
    }


# --- the submission form's cascading selects ------------------------------------------------------


def category_children(parent_id: int | None) -> QuerySet[Category]:
    categories = Category.objects.filter(is_active=True).order_by("code")
    if parent_id is None:
        return categories.filter(level=Category.Level.FIRST)
    return categories.filter(parent_id=parent_id, level__lte=Category.Level.THIRD)


def region_children(parent_id: int | None) -> QuerySet[Region]:
    regions = Region.objects.order_by("code")
    if parent_id is None:
        return regions.filter(level=Region.Level.COUNTY)
    return regions.filter(parent_id=parent_id, level__in=(Region.Level.STREET, Region.Level.COMMUNITY))


# --- public figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicFigure:
    code: str
    name: str
    text: str
    definition: str


def figures_public(*, today: date | None = None) -> tuple[int, list[PublicFigure]]:
    """(year, figures) for the whole city this year so far, from the metrics registry only, the
    codes a jurisdiction chose to publish (`FAZHI_PORTAL_FIGURES`); cached for ten minutes."""
    today = today or timezone.localdate()
    codes = [code for code in getattr(settings, "FAZHI_PORTAL_FIGURES", DEFAULT_FIGURES) if code in registry]
    if not codes:
        return today.year, []
    key = f"portal:figures:{today.isoformat()}:{','.join(codes)}"
    found = cache.get(key)
    if found is None:
        metrics = [registry.get(code) for code in codes]
        result = compute.figures(
            metrics,
            units=compute.EVERYTHING,
            start=date(today.year, 1, 1),
            end=today,
            today=today,
            source=compute.source_now(),
        )[()]
        found = [PublicFigure(m.code, m.name, result[m.code].text, m.definition) for m in metrics]
        cache.set(key, found, FIGURES_CACHE_SECONDS)
    return today.year, found
