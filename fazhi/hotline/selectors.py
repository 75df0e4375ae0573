"""Reads of 12345 requests, always scoped to what the user may see.

A dispatched request is visible exactly when its case is (`cases_visible_to`); a request with
no case (handled by guidance, or merged at intake) is visible to the centre that took it.
"""

import re
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.query import EmptyQuerySet
from django.http import Http404

from fazhi.cases.models import Case
from fazhi.cases.permissions import CONFIDENTIAL_ROLES, DISPATCH_ROLES
from fazhi.cases.selectors import cases_visible_to
from fazhi.core.fields import pii_lookup_q
from fazhi.hotline.models import Callback, Category, ReopenRequest, Reply, Ticket, TicketReturn
from fazhi.org.models import Region, User
from fazhi.org.permissions import unit_scope

OPEN_STATUSES = (Case.Status.OPEN, Case.Status.SUSPENDED)
CJK = re.compile(r"[\u3400-\u9fff]")
COUNT_CAP = 10_000  # lists over the history count up to here and then say "10 000+"


def tickets_visible_to(user: User) -> QuerySet[Ticket]:
    cases = cases_visible_to(user)
    # Every case (scope all, confidential ones included): no semi-join over the whole case table,
    # so the centre's lists stay flat as the history grows (docs/performance.md, 12345 hotline).
    every_case = not cases.query.where and cases.model is Case and not isinstance(cases, EmptyQuerySet)
    visible = Q(case__isnull=False) if every_case else Q(case__in=cases.values("pk"))
    centre_scope = unit_scope(user, DISPATCH_ROLES)
    if not centre_scope.empty:
        caseless = Q(case__isnull=True) & centre_scope.q("centre")
        confidential_scope = unit_scope(user, CONFIDENTIAL_ROLES)
        if not confidential_scope.all:
            caseless &= Q(confidential=False) | confidential_scope.q("centre")
        visible |= caseless
    return Ticket.objects.filter(visible)


def _with_related(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.select_related(
        "case",
        "case__case_type",
        "case__handling_unit",
        "case__stage",
        "category__parent__parent",
        "region",
        "centre",
        "merged_into",
    )


def ticket_get(user: User, pk: int) -> Ticket:
    try:
        return _with_related(tickets_visible_to(user)).get(pk=pk)
    except Ticket.DoesNotExist:
        raise Http404("工单不存在或您无权查看。") from None


def ticket_by_tracking_code(code: str) -> Ticket | None:
    """For the public progress page; unscoped because the code itself is the credential."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return _with_related(Ticket.objects.filter(tracking_code=code)).first()


def tickets_list(user: User, *, state: str = "", q: str = "") -> QuerySet[Ticket]:
    """The list a unit or the centre works from: open requests soonest deadline first, the rest newest first."""
    tickets = _with_related(tickets_visible_to(user))
    if state == "unsigned":
        tickets = tickets.filter(case__status__in=OPEN_STATUSES, signed_at__isnull=True)
    elif state == "handling":
        tickets = tickets.filter(case__status__in=OPEN_STATUSES, signed_at__isnull=False)
    elif state == "replied":
        tickets = tickets.filter(case__status=Case.Status.CLOSED)
    elif state == "guidance":
        tickets = tickets.filter(case__isnull=True)
    if q:
        # Chinese words are looked for in the request text alone, where the trigram index serves
        # them (ADR 0008); numbers and codes are also matched against case numbers and tracking codes.
        found = _content_contains(q)
        if not CJK.search(q):
            found |= Q(case__number__icontains=q) | Q(tracking_code=q.upper())
        tickets = tickets.filter(found)
    if state in ("unsigned", "handling"):
        return tickets.order_by("case__due_date", "-received_at", "id")
    # Lists that hold the history: newest first, from the received_at index; sorting years of
    # closed requests by their old deadlines would rescan them all on every page.
    return tickets.order_by("-received_at", "-id")


def _content_contains(q: str) -> Q:
    """`content icontains q`, from an index on PostgreSQL: two characters through the bigram GIN
    index (migration 0006), three or more through the trigram one (migration 0005)."""
    if connection.vendor == "postgresql" and len(q) == 2:
        lexeme = "'" + q.upper().replace("\\", "\\\\").replace("'", "''") + "'"
        return Q(
            RawSQL(
                'hotline_bigrams(UPPER("hotline_ticket"."content")) @@ %s::tsquery',
                [lexeme],
                output_field=BooleanField(),
            )
        )
    return Q(content__icontains=q)


class CappedPaginator(Paginator):
    """A pager for lists that hold the history: it counts up to `cap` rows and then stops, so a
    page costs the same at ten years of requests as at one. `count_capped` tells the template
    to say "10 000+ 条" rather than a number it did not count; open lists keep `Paginator`."""

    cap = COUNT_CAP

    @cached_property
    def _counted(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def count_capped(self) -> bool:
        return self._counted > self.cap


def tickets_by_caller(user: User, phone: str, *, limit: int = 10) -> list[Ticket]:
    """The caller's earlier requests, by exact phone number through the blind index."""
    if not (phone or "").strip():
        return []
    tickets = tickets_visible_to(user).filter(pii_lookup_q(Ticket, "caller_phone", phone))
    return list(_with_related(tickets).order_by("-received_at", "-id")[:limit])


def area_of(region: Region) -> list[int]:
    """A community's whole street (街道), or the region itself with its children above that level."""
    anchor = region.parent if region.level == Region.Level.COMMUNITY and region.parent_id else region
    return [anchor.pk, *Region.objects.filter(parent=anchor).values_list("pk", flat=True)]


def tickets_similar_open(
    user: User, *, category: Category, region: Region, exclude: Ticket | None = None, limit: int = 5
) -> list[Ticket]:
    """Open requests in the same category in the same community or street: candidates for 并单."""
    tickets = tickets_visible_to(user).filter(
        category=category,
        region__in=area_of(region),
        case__status__in=OPEN_STATUSES,
        merged_into__isnull=True,
    )
    if exclude is not None:
        tickets = tickets.exclude(pk=exclude.pk)
    return list(_with_related(tickets).order_by("-received_at", "-id")[:limit])


def ticket_group(ticket: Ticket) -> list[Ticket]:
    """The request it was merged into (if any) and every request merged into that one."""
    root = ticket.merged_into or ticket
    return [
        root,
        *Ticket.objects.filter(merged_into=root).select_related("case").order_by("received_at", "id"),
    ]


def replies_for(ticket: Ticket) -> QuerySet[Reply]:
    """Answers that reach this caller: the ticket's own, or those of the request it was merged into."""
    owner = ticket.merged_into_id or ticket.pk
    return Reply.objects.filter(ticket_id=owner).select_related("unit", "replied_by")


def dispatch_queue(user: User) -> dict[str, QuerySet]:
    """What the centre has to act on: unrouted requests, returns, callbacks, flagged replies, reopens."""
    scope = unit_scope(user, DISPATCH_ROLES)
    if scope.empty:
        empty = Ticket.objects.none()
        return {
            "unrouted": empty,
            "returns": TicketReturn.objects.none(),
            "callbacks": empty,
            "flagged": Reply.objects.none(),
            "reopens": ReopenRequest.objects.none(),
        }
    visible = tickets_visible_to(user)
    open_returns = TicketReturn.objects.filter(ticket=OuterRef("pk"), status=TicketReturn.Status.PENDING)
    # Still with the centre that took it: nobody has been given it yet.
    unrouted = _with_related(
        visible.filter(case__status__in=OPEN_STATUSES, case__handling_unit=F("centre")).exclude(
            Exists(open_returns)
        )
    ).order_by("received_at", "id")
    replied = Exists(Reply.objects.filter(ticket=OuterRef("pk"))) | Exists(
        Reply.objects.filter(ticket=OuterRef("merged_into"))
    )
    # Called back about its latest answer: after a 重办 the new answer needs its own callback.
    latest_reply = (
        Reply.objects.filter(Q(ticket=OuterRef(OuterRef("pk"))) | Q(ticket=OuterRef(OuterRef("merged_into"))))
        .order_by("-replied_at")
        .values("replied_at")[:1]
    )
    called_back = Exists(
        Callback.objects.filter(ticket=OuterRef("pk"), called_at__gte=Subquery(latest_reply))
    )
    callbacks = _with_related(visible.filter(replied).exclude(called_back)).order_by("received_at", "id")
    returns = (
        TicketReturn.objects.filter(status=TicketReturn.Status.PENDING, ticket__in=visible)
        .select_related("ticket", "ticket__case", "unit", "category", "suggested_unit", "returned_by")
        .order_by("returned_at", "id")
    )
    flagged = (
        Reply.objects.filter(ticket__in=visible, reviewed_at__isnull=True)
        .exclude(review_flags=[])
        .select_related("ticket", "ticket__case", "unit")
        .order_by("-replied_at", "-id")
    )
    reopens = (
        ReopenRequest.objects.filter(status=ReopenRequest.Status.PENDING, ticket__in=visible)
        .select_related("ticket", "ticket__case", "callback")
        .order_by("created_at", "id")
    )
    return {
        "unrouted": unrouted,
        "returns": returns,
        "callbacks": callbacks,
        "flagged": flagged,
        "reopens": reopens,
    }
