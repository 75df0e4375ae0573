"""好差评: the citizen rates the handling of a request on the public progress page, once, with
the tracking code; a bad rating (不满意 / 非常不满意) becomes a rectification task (整改任务) for
the unit that answered — a case of type "rectification" on the engine, with its deadline from
that case type (local data, 15 working days in the catalogue) and its own timeline to 销号.

Nobody is logged in when a citizen rates, so the task is opened in the name of the configured
hotline supervisor account (`settings.FAZHI_HOTLINE_SUPERVISOR`, see escalation.py). Without one,
the rating is kept and `fazhi hotline escalate` opens the missing tasks on its next run.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.cases import services as case_services
from fazhi.cases.models import CaseType
from fazhi.cases.permissions import can_open_case
from fazhi.core import audit
from fazhi.hotline import selectors
from fazhi.hotline.models import Rating, RatingLevel, Ticket
from fazhi.org.models import Unit, User

logger = logging.getLogger(__name__)

RECTIFICATION_CASE_TYPE = "rectification"
MAX_COMMENT_CHARS = 500


def can_rate(ticket: Ticket) -> tuple[bool, str]:
    """Whether the request can be rated now, and if not, what to tell the citizen."""
    if Rating.objects.filter(ticket=ticket).exists():
        return False, "该诉求已经评价过，每件诉求只能评价一次。感谢您的评价。"
    if not selectors.replies_for(ticket).exists():
        return False, "承办单位答复后即可评价。"
    return True, ""


def _successor(unit: Unit) -> Unit:
    hops = 0
    while not unit.is_active and unit.successor_id and hops < 5:
        unit, hops = unit.successor, hops + 1
    return unit


@transaction.atomic
def rating_submit(*, ticket: Ticket, level: int, comment: str = "", actor: User | None = None) -> Rating:
    """好差评 from the citizen who holds the tracking code (the code is the credential; the view
    limits how often one address may try). `actor` is the hotline supervisor for the task."""
    if level not in RatingLevel.values:
        raise ValidationError({"level": "请选择评价：非常满意、满意、基本满意、不满意或非常不满意。"})
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError({"comment": f"评价内容不超过{MAX_COMMENT_CHARS}字（现有{len(comment)}字）。"})
    Ticket.objects.select_for_update().filter(
        pk=ticket.pk
    ).first()  # one rating, even when two arrive at once
    allowed, why = can_rate(ticket)
    if not allowed:
        raise ValidationError(why)
    reply = selectors.replies_for(ticket).order_by("-replied_at", "-id").first()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(ticket=ticket, level=level, comment=comment, unit=reply.unit)
    except IntegrityError:
        raise ValidationError("该诉求已经评价过，每件诉求只能评价一次。") from None
    audit.record(
        actor=None,
        action="hotline.rated",
        target=ticket,
        after={"level": level, "unit": reply.unit_id, "comment": bool(comment)},
    )
    if rating.is_bad and actor is not None:
        rectification_open(rating=rating, actor=actor)
    return rating


@transaction.atomic
def rectification_open(*, rating: Rating, actor: User) -> Rating:
    """整改任务 for a bad rating, linked both ways: the rating names its task, the task its ticket."""
    if rating.rectification_id:
        return rating
    if not rating.is_bad:
        raise ValidationError("只有“不满意”“非常不满意”的评价形成整改任务。")
    unit = _successor(rating.unit)
    if not can_open_case(actor, unit):
        # The configured account does not reach this unit: leave it for a person, say so in the log.
        logger.warning(
            "督办账号%s无权向%s交办整改任务（评价%s）。", actor.get_username(), unit.name, rating.pk
        )
        return rating
    ticket = rating.ticket
    comment = f"评价内容：{rating.comment}\n" if rating.comment else ""
    case = case_services.case_open(
        case_type=CaseType.objects.get(code=RECTIFICATION_CASE_TYPE),
        title=f"整改：12345工单{ticket.reference}差评（{rating.get_level_display()}）",
        description=(
            f"来电人对工单{ticket.reference}（{ticket.category.full_name}）的办理评价为"
            f"“{rating.get_level_display()}”。\n{comment}"
            "请分析原因，与来电人沟通，整改后写明整改情况办结。"
        ),
        handling_unit=unit,
        actor=actor,
        received_at=timezone.now(),
    )
    rating.rectification = case
    rating.save(update_fields=["rectification"])
    audit.record(
        actor=actor,
        action="hotline.rectification_opened",
        target=ticket,
        after={"rating": rating.pk, "case": case.pk, "unit": unit.pk, "due": case.due_date.isoformat()},
    )
    return rating


def rectifications_open_missing(*, actor: User) -> int:
    """Bad ratings still without their task (no supervisor account was configured when they came)."""
    opened = 0
    for rating in Rating.objects.filter(
        level__lte=RatingLevel.UNSATISFIED, rectification__isnull=True
    ).select_related("ticket__category__parent__parent", "unit"):
        if rectification_open(rating=rating, actor=actor).rectification_id:
            opened += 1
    return opened
