"""Hotspots (热点) and early warnings (部门预警): where requests of one kind pile up, and when.

Requests are counted by second-level category × street over a window (default the last 7 days)
and compared with the window before it. A cell is a spike when it has at least `min_count`
requests and at least `factor` times as many as the previous window; each spike warns the unit
that handled most of its requests and the leaders' units, once per cell and window.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case as When_
from django.db.models import Count, F, IntegerField, QuerySet, When
from django.utils import timezone

from fazhi.cases.models import Notice
from fazhi.core import audit
from fazhi.hotline.models import Category, Ticket
from fazhi.org.models import Membership, Region, Role


@dataclass(frozen=True)
class Cell:
    category_id: int
    category: str
    street_id: int
    street: str
    current: int
    previous: int

    @property
    def spike(self) -> bool:
        threshold = max(settings.FAZHI_HOTSPOT_MIN_COUNT, settings.FAZHI_HOTSPOT_FACTOR * self.previous)
        return self.current >= threshold

    @property
    def change(self) -> str:
        if self.previous == 0:
            return "新出现"
        return f"{(self.current - self.previous) / self.previous:+.0%}"


def _window(end: date, days: int) -> tuple:
    tz = timezone.get_current_timezone()
    start = timezone.datetime.combine(end - timedelta(days=days), timezone.datetime.min.time(), tz)
    stop = timezone.datetime.combine(end, timezone.datetime.min.time(), tz)
    return start, stop


def _street_counts(tickets: QuerySet[Ticket], start, stop) -> Counter:
    # A ticket sits in a community (level 5) or directly in a street (level 4); count it for the street.
    street = When_(
        When(region__level=Region.Level.COMMUNITY, then=F("region__parent_id")),
        When(region__level=Region.Level.STREET, then=F("region_id")),
        default=None,
        output_field=IntegerField(),
    )
    rows = (
        tickets.filter(received_at__gte=start, received_at__lt=stop, category__parent__isnull=False)
        .annotate(street_id=street, group_id=F("category__parent_id"))
        .exclude(street_id=None)
        .values("group_id", "street_id")
        .annotate(n=Count("id"))
    )
    return Counter({(r["group_id"], r["street_id"]): r["n"] for r in rows})


def hotspot_cells(tickets: QuerySet[Ticket], *, end: date | None = None, days: int = 7) -> list[Cell]:
    """Counts per second-level category × street for the window ending (exclusive) at `end`,
    with the window before it; `tickets` is already scoped to the reader."""
    end = end or timezone.localdate() + timedelta(days=1)
    current = _street_counts(tickets, *_window(end, days))
    previous = _street_counts(tickets, *_window(end - timedelta(days=days), days))
    keys = set(current) | set(previous)
    categories = dict(Category.objects.filter(pk__in={k[0] for k in keys}).values_list("pk", "name"))
    streets = dict(Region.objects.filter(pk__in={k[1] for k in keys}).values_list("pk", "name"))
    cells = [
        Cell(
            cat,
            categories[cat],
            street,
            streets[street],
            current.get((cat, street), 0),
            previous.get((cat, street), 0),
        )
        for cat, street in keys
    ]
    return sorted(cells, key=lambda c: (-c.current, c.category, c.street))


@transaction.atomic
def hotspot_warnings_issue(*, end: date | None = None, days: int = 7) -> list[Cell]:
    """Warn the responsible unit and the leaders' units about each spike; idempotent per window."""
    end = end or timezone.localdate() + timedelta(days=1)
    tickets = Ticket.objects.filter(case__isnull=False)
    spikes = [cell for cell in hotspot_cells(tickets, end=end, days=days) if cell.spike]
    leader_units = set(
        Membership.objects.filter(role=Role.LEADER, is_active=True).values_list("unit_id", flat=True)
    )
    start, stop = _window(end, days)
    issued = []
    for cell in spikes:
        handlers = Counter(
            tickets.filter(
                received_at__gte=start,
                received_at__lt=stop,
                category__parent_id=cell.category_id,
            )
            .filter(
                region__in=Region.objects.filter(pk=cell.street_id)
                | Region.objects.filter(parent_id=cell.street_id)
            )
            .values_list("case__handling_unit_id", flat=True)
        )
        responsible = handlers.most_common(1)[0][0] if handlers else None
        title = (
            f"热点预警：{cell.street}「{cell.category}」近{days}日{cell.current}件，"
            f"前{days}日{cell.previous}件（{cell.change}）"
        )
        created = False
        for unit_id in {responsible, *leader_units} - {None}:
            _, fresh = Notice.objects.get_or_create(
                key=f"hotspot:{cell.category_id}:{cell.street_id}:{end:%Y%m%d}:{days}:{unit_id}",
                defaults={"unit_id": unit_id, "kind": Notice.Kind.WARNING, "title": title[:200]},
            )
            created = created or fresh
        if created:
            issued.append(cell)
    if issued:
        audit.record(
            actor=None,
            action="hotline.hotspot_warned",
            after={"window_end": end.isoformat(), "days": days, "spikes": len(issued)},
        )
    return issued
