"""Who may do what, from the user's active memberships (unit, role, scope).

Every selector that reads casework asks `unit_scope(user, roles)` which units the user sees.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from fazhi.org.models import ADMIN_ROLES, Membership, Role, Unit, User

CASEWORK_ROLES = frozenset({Role.SUPERVISOR, Role.HANDLER, Role.UNIT_LEADER, Role.OPERATOR, Role.LEADER})


@dataclass(frozen=True)
class UnitScope:
    """The units a user reaches through some roles: everything, or a set of units and subtrees."""

    all: bool
    unit_ids: frozenset[int]
    subtree_paths: frozenset[str]

    @property
    def empty(self) -> bool:
        return not self.all and not self.unit_ids and not self.subtree_paths

    def q(self, field: str = "") -> Q:
        """A filter on a Unit foreign key named `field` ("" for Unit itself)."""
        prefix = f"{field}__" if field else ""
        if self.all:
            return Q()
        if self.empty:
            return Q(pk__in=[]) if not field else Q(**{f"{prefix}pk__in": []})
        condition = Q(**{f"{prefix}pk__in": self.unit_ids}) if self.unit_ids else Q()
        for path in self.subtree_paths:
            condition |= Q(**{f"{prefix}path__startswith": path})
        return condition

    def contains(self, unit: Unit) -> bool:
        return (
            self.all or unit.pk in self.unit_ids or any(unit.path.startswith(p) for p in self.subtree_paths)
        )


def memberships_of(user: User) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_fazhi_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, is_active=True).select_related("unit"))
        user._fazhi_memberships = cached
    return cached


def roles_of(user: User) -> set[str]:
    return {m.role for m in memberships_of(user)}


def has_role(user: User, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def unit_scope(user: User, roles: frozenset[str] | set[str] = CASEWORK_ROLES) -> UnitScope:
    everything = False
    unit_ids: set[int] = set()
    paths: set[str] = set()
    for m in memberships_of(user):
        if m.role not in roles:
            continue
        if m.scope == Membership.Scope.ALL:
            everything = True
        elif m.scope == Membership.Scope.SUBTREE:
            paths.add(f"{m.unit.path}")
        else:
            unit_ids.add(m.unit_id)
    return UnitScope(all=everything, unit_ids=frozenset(unit_ids), subtree_paths=frozenset(paths))


def units_visible_to(user: User, roles: frozenset[str] | set[str] = CASEWORK_ROLES) -> QuerySet[Unit]:
    return Unit.objects.filter(unit_scope(user, roles).q())


def is_admin_role(role: str) -> bool:
    return role in ADMIN_ROLES


def can_manage_registers(user: User) -> bool:
    return has_role(user, Role.SYSTEM_ADMIN)


def can_read_audit(user: User) -> bool:
    return has_role(user, Role.AUDIT_ADMIN)


def can_manage_security(user: User) -> bool:
    return has_role(user, Role.SECURITY_ADMIN)


def can_edit_calendar(user: User) -> bool:
    return has_role(user, Role.SYSTEM_ADMIN)
