"""Reads of the registers.

The registers — units, the responsibility list, boundary items — are the government's own
description of itself: every signed-in staff member (anyone with an active membership) reads
all of them. Staff lists are narrower: a viewer sees the staff of the units in their scope,
and the three administrators see everyone (they manage, authorise and audit accounts).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from fazhi.org.models import BoundaryItem, Membership, Region, ResponsibilityItem, Role, Unit, User
from fazhi.org.permissions import CASEWORK_ROLES, has_role, memberships_of, unit_scope
from fazhi.org.validators import split_keywords

STAFF_SEE_ALL_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def is_staff_member(user: User) -> bool:
    """Signed in, active and holding at least one active membership."""
    return bool(memberships_of(user))


def _readers_only(user: User, queryset: QuerySet) -> QuerySet:
    return queryset if is_staff_member(user) else queryset.none()


# --- units -------------------------------------------------------------------------------------


def units_visible_to(
    user: User,
    *,
    kind: str = "",
    status: str = "",
    keyword: str = "",
    within: Unit | None = None,
) -> QuerySet[Unit]:
    """The unit register as a staff member sees it (all units; not the casework scope, for which
    see `fazhi.org.permissions.units_visible_to`), filtered by kind, status, name and subtree."""
    units = Unit.objects.select_related("parent", "region", "successor")
    if kind:
        units = units.filter(kind=kind)
    if status:
        units = units.filter(status=status)
    if keyword:
        units = units.filter(
            Q(name__icontains=keyword) | Q(short_name__icontains=keyword) | Q(credit_code__icontains=keyword)
        )
    if within is not None:
        units = units.filter(path__startswith=within.path)
    return _readers_only(user, units)


def unit_subtree(unit: Unit, *, include_self: bool = True) -> QuerySet[Unit]:
    units = Unit.objects.filter(path__startswith=unit.path)
    return units if include_self else units.exclude(pk=unit.pk)


def unit_ancestors(unit: Unit) -> list[Unit]:
    """From the top unit down to the parent, read from the materialised path in one query."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def units_active() -> QuerySet[Unit]:
    """Units that can take new work, for choosers."""
    return Unit.objects.filter(status=Unit.Status.ACTIVE)


def regions_all() -> QuerySet[Region]:
    return Region.objects.select_related("parent")


@dataclass
class UnitDetail:
    unit: Unit
    ancestors: list[Unit]
    children: list[Unit]
    predecessors: list[Unit]
    staff: list[Membership]
    staff_hidden: bool
    responsibility_items: list[ResponsibilityItem]
    boundary_led: list[BoundaryItem] = field(default_factory=list)
    boundary_joined: list[BoundaryItem] = field(default_factory=list)


def unit_detail(user: User, *, pk: int) -> UnitDetail:
    """Everything the unit page shows; staff only when the unit is in the viewer's staff scope."""
    unit = units_visible_to(user).get(pk=pk)
    staff_scope = _staff_scope_q(user)
    staff = list(_active_staff().filter(unit=unit).filter(staff_scope).order_by("role", "user__full_name"))
    in_scope = _staff_scope_contains(user, unit)
    boundary = boundary_items_for_unit(unit)
    return UnitDetail(
        unit=unit,
        ancestors=unit_ancestors(unit),
        children=list(unit.children.select_related("region").order_by("status", "sort_order", "id")),
        predecessors=list(unit.predecessors.order_by("-status_changed_on", "id")),
        staff=staff,
        staff_hidden=not in_scope,
        responsibility_items=list(responsibility_items_for(unit)),
        boundary_led=[b for b in boundary if b.lead_unit_id == unit.pk],
        boundary_joined=[b for b in boundary if b.lead_unit_id != unit.pk],
    )


# --- staff -------------------------------------------------------------------------------------


def _active_staff() -> QuerySet[Membership]:
    return Membership.objects.filter(is_active=True, user__is_active=True).select_related("user", "unit")


def _staff_scope_q(user: User) -> Q:
    if has_role(user, *STAFF_SEE_ALL_ROLES):
        return Q()
    if not is_staff_member(user):
        return Q(pk__in=[])
    scope = unit_scope(user, CASEWORK_ROLES)
    return scope.q("unit")


def _staff_scope_contains(user: User, unit: Unit) -> bool:
    if has_role(user, *STAFF_SEE_ALL_ROLES):
        return True
    return is_staff_member(user) and unit_scope(user, CASEWORK_ROLES).contains(unit)


def staff_visible_to(
    user: User, *, unit: Unit | None = None, role: str = "", keyword: str = ""
) -> QuerySet[Membership]:
    """Active memberships of active accounts in the viewer's scope (one row per role held)."""
    staff = _active_staff().filter(_staff_scope_q(user))
    if unit is not None:
        staff = staff.filter(unit__path__startswith=unit.path)
    if role:
        staff = staff.filter(role=role)
    if keyword:
        staff = staff.filter(
            Q(user__full_name__icontains=keyword)
            | Q(user__username__icontains=keyword)
            | Q(post__icontains=keyword)
        )
    return staff.order_by("unit__sort_order", "unit_id", "role", "user__full_name", "pk")


# --- responsibility list -------------------------------------------------------------------------


def responsibility_items_public() -> QuerySet[ResponsibilityItem]:
    """The published responsibility list: active items, for the public portal."""
    return ResponsibilityItem.objects.filter(is_active=True).select_related("unit")


def responsibility_items_for(unit: Unit) -> QuerySet[ResponsibilityItem]:
    return ResponsibilityItem.objects.filter(unit=unit, is_active=True).order_by("kind", "code")


def responsibility_items_visible_to(
    user: User,
    *,
    kind: str = "",
    unit: Unit | None = None,
    keyword: str = "",
    include_retired: bool = False,
) -> QuerySet[ResponsibilityItem]:
    items = ResponsibilityItem.objects.select_related("unit")
    if not include_retired:
        items = items.filter(is_active=True)
    if kind:
        items = items.filter(kind=kind)
    if unit is not None:
        items = items.filter(unit__path__startswith=unit.path)
    if keyword:
        items = items.filter(
            Q(name__icontains=keyword) | Q(code__icontains=keyword) | Q(legal_basis__icontains=keyword)
        )
    return _readers_only(user, items.order_by("unit__sort_order", "unit_id", "kind", "code"))


# --- boundary items ------------------------------------------------------------------------------


def _with_units(items: QuerySet[BoundaryItem]) -> QuerySet[BoundaryItem]:
    return items.select_related("lead_unit").prefetch_related(
        Prefetch("co_units", queryset=Unit.objects.order_by("sort_order", "id"))
    )


def boundary_items_for_unit(unit: Unit) -> list[BoundaryItem]:
    """Active boundary items the unit leads or co-operates on."""
    items = BoundaryItem.objects.filter(Q(lead_unit=unit) | Q(co_units=unit), is_active=True).distinct()
    return list(_with_units(items).order_by("code"))


def boundary_items_visible_to(
    user: User, *, unit: Unit | None = None, keyword: str = "", include_retired: bool = False
) -> QuerySet[BoundaryItem]:
    items = BoundaryItem.objects.all()
    if not include_retired:
        items = items.filter(is_active=True)
    if unit is not None:
        items = items.filter(Q(lead_unit=unit) | Q(co_units=unit)).distinct()
    if keyword:
        items = items.filter(
            Q(name__icontains=keyword) | Q(keywords__icontains=keyword) | Q(description__icontains=keyword)
        )
    return _readers_only(user, _with_units(items).order_by("code"))


def keywords_of(item: BoundaryItem) -> list[str]:
    return split_keywords(item.keywords)


def boundary_items_matching(text: str) -> list[tuple[BoundaryItem, list[str]]]:
    """Active boundary items whose keywords occur in the text, best match first.

    More matched keywords wins, then more matched characters (a specific phrase beats a short
    word), then the item code, so the answer is stable.
    """
    text = text or ""
    scored = []
    for item in _with_units(BoundaryItem.objects.filter(is_active=True)):
        hits = [word for word in keywords_of(item) if word in text]
        if hits:
            scored.append((-len(hits), -sum(len(w) for w in hits), item.code, item, hits))
    scored.sort(key=lambda row: row[:3])
    return [(item, hits) for *_, item, hits in scored]


def boundary_item_for_text(text: str) -> BoundaryItem | None:
    """The boundary item a request's text falls under (for 12345 routing), or None."""
    matches = boundary_items_matching(text)
    return matches[0][0] if matches else None
