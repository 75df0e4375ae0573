"""Every write to the registers: regions, units, accounts, roles, the responsibility list (权责清单)
and boundary items (边界事项).

Who may write (三员分立, GB/T 22239-2019 8.1.4.2 d and the 安全管理中心 items):

- the system administrator (系统管理员) keeps the registers and creates accounts;
- the security administrator (安全管理员) is the only one who grants, changes and revokes roles,
  the admin roles included — authorisation is a security decision;
- either of them may deactivate an account (it only takes rights away);
- an empty install gets its first unit and its first administrators from `bootstrap_root_unit`
  and `bootstrap_admin`, which refuse to run once such a unit or administrator exists and are
  audited as "系统初始化".

Every function is keyword-only, atomic and audited with before/after snapshots; it raises
PermissionDenied or a ValidationError whose keys are the model's field names and whose messages
name the field in Chinese.
"""

import secrets
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from fazhi.core import audit
from fazhi.org.models import (
    ADMIN_ROLES,
    BoundaryItem,
    Membership,
    Region,
    ResponsibilityItem,
    Role,
    Unit,
    User,
)
from fazhi.org.permissions import has_role
from fazhi.org.validators import (
    credit_code_problem,
    normalise_credit_code,
    region_code_problem,
    split_keywords,
)

BOOTSTRAP_ACTOR = "系统初始化"

REGION_FIELDS = ("code", "name", "level", "parent")
UNIT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "path",
    "region",
    "credit_code",
    "status",
    "successor",
    "status_changed_on",
    "status_note",
    "sort_order",
)
UNIT_EDITABLE = ("name", "short_name", "kind", "parent", "region", "credit_code", "sort_order")
USER_FIELDS = ("username", "full_name", "is_active", "password_changed_at")
MEMBERSHIP_FIELDS = ("user", "unit", "role", "scope", "post", "is_active")
ITEM_FIELDS = ("code", "kind", "name", "legal_basis", "unit", "is_active")
ITEM_EDITABLE = ("code", "kind", "name", "legal_basis", "unit")
BOUNDARY_FIELDS = (
    "code",
    "name",
    "description",
    "keywords",
    "legal_basis",
    "lead_unit",
    "settled_by",
    "is_active",
)
BOUNDARY_EDITABLE = (
    "code",
    "name",
    "description",
    "keywords",
    "legal_basis",
    "lead_unit",
    "co_units",
    "settled_by",
)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """JSON-safe values of some fields (foreign keys by id), for the audit trail's before/after."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if isinstance(value, date):
            value = value.isoformat()
        data[field.attname] = value
    return data


def _apply_audited(
    obj: models.Model,
    changes: dict[str, Any],
    *,
    fields: Iterable[str],
    actor: User,
    action: str,
    update_fields: list[str] | None = None,
) -> None:
    """Set `changes` on `obj`, save, and record before/after of `fields` in the audit trail."""
    before = snapshot(obj, fields)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save(update_fields=update_fields)
    audit.record(actor=actor, action=action, target=obj, before=before, after=snapshot(obj, fields))


def _changes(obj: models.Model, cleaned: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in cleaned.items() if getattr(obj, name) != value}


def _forget_roles(user: User) -> None:
    # permissions.memberships_of caches on the instance; a grant or revoke makes it stale.
    user.__dict__.pop("_fazhi_memberships", None)


# --- permissions -------------------------------------------------------------------------------


def _require_actor(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied("请以有效的工作人员账号操作。")


def _require_registrar(actor: Any) -> None:
    _require_actor(actor)
    if not has_role(actor, Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有系统管理员可以维护名录（区划、单位、账号、权责清单、边界事项）。")


def _require_security_admin(actor: Any) -> None:
    _require_actor(actor)
    if not has_role(actor, Role.SECURITY_ADMIN):
        raise PermissionDenied("只有安全管理员可以授予、调整或收回角色。")


# --- small field checks shared by the services ---------------------------------------------------


def _text(value: Any) -> str:
    return str(value or "").strip()


def _required(errors: dict, field: str, label: str, value: str, max_length: int) -> None:
    if not value:
        errors[field] = f"请填写「{label}」。"
    elif len(value) > max_length:
        errors[field] = f"「{label}」不能超过{max_length}个字，现为{len(value)}个字。"


def _choice(errors: dict, field: str, label: str, value: str, choices: type[models.Choices]) -> None:
    if value not in choices.values:
        allowed = "、".join(str(c) for c in choices.labels)
        errors[field] = f"「{label}」“{value}”无效，应为{allowed}之一。"


def _active_unit(errors: dict, field: str, label: str, unit: Unit | None, *, required: bool = True) -> None:
    if unit is None:
        if required:
            errors[field] = f"请选择「{label}」。"
    elif unit.status != Unit.Status.ACTIVE:
        successor = f"，请改用承继单位「{unit.successor}」" if unit.successor_id else ""
        errors[field] = f"「{label}」{unit}{unit.get_status_display()}{successor}。"


# --- regions -----------------------------------------------------------------------------------


@transaction.atomic
def region_create(*, actor: User, code: str, name: str, level: int, parent: Region | None = None) -> Region:
    """Add a region under an optional parent; the code follows GB/T 2260 and the parent's prefix."""
    _require_registrar(actor)
    code, name = _text(code), _text(name)
    errors: dict[str, str] = {}
    _required(errors, "name", "名称", name, 50)
    problem = region_code_problem(
        code, level, parent.code if parent else None, parent.level if parent else None
    )
    if problem:
        errors["code"] = f"「区划代码」{problem}。"
    elif Region.objects.filter(code=code).exists():
        errors["code"] = f"「区划代码」“{code}”已存在。"
    if errors:
        raise ValidationError(errors)
    region = Region.objects.create(code=code, name=name, level=level, parent=parent)
    audit.record(
        actor=actor, action="org.region_created", target=region, after=snapshot(region, REGION_FIELDS)
    )
    return region


# --- units -------------------------------------------------------------------------------------


def _clean_unit(values: dict[str, Any], *, unit: Unit | None = None) -> dict[str, Any]:
    """Normalise and check a unit's editable fields; raise one ValidationError listing them all."""
    errors: dict[str, str] = {}
    cleaned = {
        "name": _text(values.get("name")),
        "short_name": _text(values.get("short_name")),
        "kind": _text(values.get("kind")),
        "parent": values.get("parent"),
        "region": values.get("region"),
        "credit_code": normalise_credit_code(values.get("credit_code")),
        "sort_order": values.get("sort_order") or 0,
    }
    others = Unit.objects.exclude(pk=unit.pk) if unit else Unit.objects.all()
    _required(errors, "name", "单位名称", cleaned["name"], 100)
    if "name" not in errors and others.filter(name=cleaned["name"]).exists():
        errors["name"] = f"「单位名称」“{cleaned['name']}”已被另一单位使用。"
    if len(cleaned["short_name"]) > 30:
        errors["short_name"] = "「简称」不能超过30个字。"
    _choice(errors, "kind", "单位类型", cleaned["kind"], Unit.Kind)
    if not isinstance(cleaned["region"], Region):
        errors["region"] = "请选择「所在区划」。"
    parent = cleaned["parent"]
    if parent is not None and unit is not None and unit.pk and parent.path.startswith(unit.path):
        errors["parent"] = "「上级单位」不能是本单位或其下级单位。"
    elif parent is None or unit is None or parent.pk != unit.parent_id:
        # An existing link to a unit merged since is left alone; a new link must be to an active unit.
        _active_unit(errors, "parent", "上级单位", parent, required=False)
    code = cleaned["credit_code"]
    if code:
        problem = credit_code_problem(code)
        if problem:
            errors["credit_code"] = f"「统一社会信用代码」{problem}。"
        elif others.filter(credit_code=code).exists():
            errors["credit_code"] = f"「统一社会信用代码」“{code}”已被另一单位使用。"
    try:
        cleaned["sort_order"] = int(cleaned["sort_order"])
        if cleaned["sort_order"] < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["sort_order"] = "「排序」应为不小于0的整数。"
    if errors:
        raise ValidationError(errors)
    return cleaned


def _rewrite_subtree_paths(old_prefix: str, new_prefix: str) -> int:
    """Swap the path prefix of a whole subtree in one UPDATE (the unit itself included)."""
    return Unit.objects.filter(path__startswith=old_prefix).update(
        path=Concat(
            models.Value(new_prefix),
            Substr("path", len(old_prefix) + 1),
            output_field=models.CharField(),
        )
    )


@transaction.atomic
def unit_create(
    *,
    actor: User,
    name: str,
    kind: str,
    region: Region,
    parent: Unit | None = None,
    short_name: str = "",
    credit_code: str | None = None,
    sort_order: int = 0,
) -> Unit:
    """Add a unit under an optional parent and give it its materialised path."""
    _require_registrar(actor)
    cleaned = _clean_unit(
        {
            "name": name,
            "kind": kind,
            "region": region,
            "parent": parent,
            "short_name": short_name,
            "credit_code": credit_code,
            "sort_order": sort_order,
        }
    )
    unit = Unit.objects.create(**cleaned)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    audit.record(actor=actor, action="org.unit_created", target=unit, after=snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, **fields: Any) -> Unit:
    """Change a unit's name, kind, region, codes, order or parent; a new parent moves the subtree.

    Status and successor change only through `unit_reorganise`.
    """
    _require_registrar(actor)
    unknown = set(fields) - set(UNIT_EDITABLE)
    if unknown:
        if unknown & {"status", "successor", "status_changed_on", "status_note"}:
            raise ValidationError({"status": "单位的合并、撤销请通过“机构改革”办理，不能直接修改状态。"})
        raise ValidationError({sorted(unknown)[0]: f"不能修改单位的“{'、'.join(sorted(unknown))}”。"})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    current = {name: getattr(unit, name) for name in UNIT_EDITABLE}
    cleaned = _clean_unit({**current, **fields}, unit=unit)
    changes = _changes(unit, cleaned)
    if not changes:
        return unit
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in changes.items():
        setattr(unit, name, value)
    unit.save()
    if "parent" in changes:
        new_path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        _rewrite_subtree_paths(unit.path, new_path)
        unit.path = new_path
    audit.record(
        actor=actor, action="org.unit_updated", target=unit, before=before, after=snapshot(unit, UNIT_FIELDS)
    )
    return unit


ReorganisationHook = Callable[..., None]
_reorganisation_hooks: list[ReorganisationHook] = []


def on_unit_reorganised(hook: ReorganisationHook) -> ReorganisationHook:
    """Register `hook(*, actor, unit, successor, note)`, called inside `unit_reorganise`'s
    transaction after the registers have moved; `successor` is None for a unit abolished without one.

    The case engine registers here (from its AppConfig.ready) the service that hands the unit's
    open cases to the successor — `fazhi.cases.services.cases_transfer_to_successor` has this
    shape. A hook may raise ValidationError to refuse the change (say, open cases and no successor).
    """
    if hook not in _reorganisation_hooks:
        _reorganisation_hooks.append(hook)
    return hook


def _move_memberships(unit: Unit, successor: Unit | None) -> list[int]:
    """End the unit's active memberships; with a successor, the same people get the same roles there."""
    moved: list[int] = []
    for membership in Membership.objects.filter(unit=unit, is_active=True).select_related("user"):
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
        moved.append(membership.pk)
        _forget_roles(membership.user)
        if successor is None:
            continue
        target, created = Membership.objects.get_or_create(
            user_id=membership.user_id,
            unit=successor,
            role=membership.role,
            defaults={"scope": membership.scope, "post": membership.post},
        )
        if not created and not target.is_active:
            target.is_active, target.scope, target.post = True, membership.scope, membership.post
            target.save(update_fields=["is_active", "scope", "post", "updated_at"])
    return moved


def _move_boundary_items(unit: Unit, successor: Unit | None) -> tuple[list[int], list[int]]:
    """Hand the unit's lead and co-operating duties to the successor.

    When lead and co-operating unit become the same body the duty is no longer a boundary
    between units, so the item is retired rather than left with nobody to co-operate.
    """
    moved: list[int] = []
    retired: list[int] = []
    items = BoundaryItem.objects.filter(models.Q(lead_unit=unit) | models.Q(co_units=unit), is_active=True)
    for item in items.distinct().prefetch_related("co_units"):
        co = {u.pk for u in item.co_units.all()} - {unit.pk}
        lead_id = item.lead_unit_id
        if lead_id == unit.pk:
            lead_id = successor.pk
        elif unit.pk in {u.pk for u in item.co_units.all()}:
            co.add(successor.pk)
        co.discard(lead_id)
        item.lead_unit_id = lead_id
        if co:
            item.save(update_fields=["lead_unit", "updated_at"])
            item.co_units.set(co)
            moved.append(item.pk)
        else:
            item.is_active = False
            item.save(update_fields=["lead_unit", "is_active", "updated_at"])
            retired.append(item.pk)
    return moved, retired


def _abolish_without_successor_problems(unit: Unit) -> dict[str, str]:
    errors: dict[str, str] = {}
    children = list(unit.children.filter(status=Unit.Status.ACTIVE).values_list("name", flat=True))
    if children:
        errors["successor"] = (
            f"该单位还有下级单位（{'、'.join(children)}），请先调整其隶属关系或指定承继单位。"
        )
    led = list(BoundaryItem.objects.filter(lead_unit=unit, is_active=True).values_list("code", flat=True))
    sole_co = [
        item.code
        for item in BoundaryItem.objects.filter(co_units=unit, is_active=True).prefetch_related("co_units")
        if len(item.co_units.all()) == 1
    ]
    if led or sole_co:
        codes = "、".join(led + sole_co)
        errors.setdefault(
            "successor", f"该单位牵头或唯一配合边界事项（{codes}），撤销前请先调整分工或指定承继单位。"
        )
    return errors


@transaction.atomic
def unit_reorganise(
    *,
    actor: User,
    unit: Unit,
    status: str,
    successor: Unit | None,
    on: date,
    note: str = "",
) -> Unit:
    """机构改革: mark a unit merged into its successor, or abolished (with or without successor).

    With a successor: its active child units, memberships (same role and scope at the successor),
    active responsibility items and boundary duties move there. Without one (abolished only): its
    memberships end and its responsibility items are retired. Open cases are moved by the case
    engine's own service, which it registers through `on_unit_reorganised`.
    """
    _require_registrar(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    errors: dict[str, str] = {}
    if status not in (Unit.Status.MERGED, Unit.Status.ABOLISHED):
        errors["status"] = "「状态」应为已合并或已撤销。"
    if not unit.is_active:
        errors["status"] = f"{unit}已是“{unit.get_status_display()}”状态。"
    if status == Unit.Status.MERGED and successor is None:
        errors["successor"] = "合并的单位须指定「承继单位」。"
    if successor is not None:
        if successor.path.startswith(unit.path):
            errors["successor"] = "「承继单位」不能是本单位或其下级单位。"
        else:
            _active_unit(errors, "successor", "承继单位", successor)
    if not isinstance(on, date):
        errors["status_changed_on"] = "请填写「状态变更日期」。"
    elif on > timezone.localdate():
        errors["status_changed_on"] = "「状态变更日期」不能晚于今天。"
    if len(_text(note)) > 200:
        errors["status_note"] = "「状态变更说明」不能超过200个字。"
    if not errors and successor is None:
        errors = _abolish_without_successor_problems(unit)
    if errors:
        raise ValidationError(errors)

    before = snapshot(unit, UNIT_FIELDS)
    moved_children = []
    if successor is not None:
        for child in unit.children.filter(status=Unit.Status.ACTIVE):
            child_before = snapshot(child, UNIT_FIELDS)
            child.parent = successor
            child.save(update_fields=["parent", "updated_at"])
            new_path = f"{successor.path}{child.pk}/"
            _rewrite_subtree_paths(child.path, new_path)
            child.path = new_path
            moved_children.append(child.pk)
            audit.record(
                actor=actor,
                action="org.unit_updated",
                target=child,
                before=child_before,
                after=snapshot(child, UNIT_FIELDS),
                message=f"因{unit}机构改革，隶属调整为{successor}",
            )
    memberships = _move_memberships(unit, successor)
    items = list(ResponsibilityItem.objects.filter(unit=unit, is_active=True).values_list("pk", flat=True))
    if successor is not None:
        ResponsibilityItem.objects.filter(pk__in=items).update(unit=successor, updated_at=timezone.now())
        boundary_moved, boundary_retired = _move_boundary_items(unit, successor)
    else:
        ResponsibilityItem.objects.filter(pk__in=items).update(is_active=False, updated_at=timezone.now())
        for item in BoundaryItem.objects.filter(co_units=unit, is_active=True):
            item.co_units.remove(unit)
        boundary_moved, boundary_retired = [], []

    unit.status = status
    unit.successor = successor
    unit.status_changed_on = on
    unit.status_note = _text(note)
    unit.save()
    for hook in _reorganisation_hooks:
        hook(actor=actor, unit=unit, successor=successor, note=unit.status_note)
    audit.record(
        actor=actor,
        action="org.unit_reorganised",
        target=unit,
        before=before,
        after={
            **snapshot(unit, UNIT_FIELDS),
            "moved_children": moved_children,
            "moved_memberships": memberships,
            "responsibility_items": items,
            "responsibility_items_to": "successor" if successor else "retired",
            "boundary_items_moved": boundary_moved,
            "boundary_items_retired": boundary_retired,
        },
        message=_text(note),
    )
    return unit


# --- accounts ----------------------------------------------------------------------------------

# Left out: characters people misread when a password is read out or copied from paper.
_PASSWORD_ALPHABETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%&*!?")


def generate_password(length: int = 14) -> str:
    """A random password with every character class, so the complexity rule always passes."""
    pool = "".join(_PASSWORD_ALPHABETS)
    chars = [secrets.choice(alphabet) for alphabet in _PASSWORD_ALPHABETS]
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _clean_new_account(username: str, full_name: str, password: str) -> tuple[str, str]:
    username, full_name = _text(username), _text(full_name)
    errors: dict[str, Any] = {}
    _required(errors, "username", "账号", username, 150)
    if "username" not in errors:
        try:
            User.username_validator(username)
        except ValidationError:
            errors["username"] = "「账号」只能包含字母、数字和 @ . + - _ 字符。"
        else:
            if User.objects.filter(username__iexact=username).exists():
                errors["username"] = f"「账号」“{username}”已存在。"
    _required(errors, "full_name", "姓名", full_name, 50)
    try:
        validate_password(password, User(username=username, full_name=full_name))
    except ValidationError as exc:
        errors["password"] = [f"「密码」{m}" for m in exc.messages]
    if errors:
        raise ValidationError(errors)
    return username, full_name


def _account_create(*, username: str, full_name: str, password: str, password_set_now: bool) -> User:
    user = User(username=username, full_name=full_name)
    user.set_password(password)
    # No date means "change the initial password at first sign-in" (PasswordExpiryMiddleware).
    user.password_changed_at = timezone.now() if password_set_now else None
    user.save()
    return user


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    password: str | None = None,
    password_set_now: bool = False,
) -> tuple[User, str]:
    """Open an account with no roles; return it with its initial password.

    Without a password one is generated. The holder must change it at first sign-in unless
    `password_set_now` (the demo city, whose passwords are published in its guide).
    """
    _require_registrar(actor)
    generated = password is None
    password = generate_password() if password is None else password
    username, full_name = _clean_new_account(username, full_name, password)
    user = _account_create(
        username=username, full_name=full_name, password=password, password_set_now=password_set_now
    )
    audit.record(
        actor=actor,
        action="org.user_created",
        target=user,
        after={**snapshot(user, USER_FIELDS), "password_generated": generated},
    )
    return user, password


@transaction.atomic
def user_update(*, actor: User, user: User, full_name: str) -> User:
    """Correct the name on an account."""
    _require_registrar(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, str] = {}
    full_name = _text(full_name)
    _required(errors, "full_name", "姓名", full_name, 50)
    if errors:
        raise ValidationError(errors)
    if full_name == user.full_name:
        return user
    _apply_audited(
        user,
        {"full_name": full_name},
        fields=USER_FIELDS,
        actor=actor,
        action="org.user_updated",
        update_fields=["full_name"],
    )
    return user


def _last_admin_problem(role: str, *, leaving_user: User) -> str | None:
    """Refuse to remove the last active holder of an admin role: nobody could then do that duty."""
    others = Membership.objects.filter(role=role, is_active=True, user__is_active=True).exclude(
        user=leaving_user
    )
    if others.exists():
        return None
    return f"{leaving_user}是最后一名有效的{Role(role).label}，请先为他人授予该角色。"


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Disable an account and end all its memberships (等保: 及时停用多余的、过期的账户)."""
    _require_actor(actor)
    if not has_role(actor, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        raise PermissionDenied("只有系统管理员或安全管理员可以停用账号。")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError({"user": "不能停用自己的账号。"})
    if not user.is_active:
        raise ValidationError({"user": f"账号{user.username}已停用。"})
    for role in Membership.objects.filter(user=user, is_active=True, role__in=ADMIN_ROLES).values_list(
        "role", flat=True
    ):
        problem = _last_admin_problem(role, leaving_user=user)
        if problem:
            raise ValidationError({"user": problem})
    before = snapshot(user, USER_FIELDS)
    ended = list(Membership.objects.filter(user=user, is_active=True).values_list("pk", flat=True))
    Membership.objects.filter(pk__in=ended).update(is_active=False, updated_at=timezone.now())
    user.is_active = False
    user.save(update_fields=["is_active"])
    _forget_roles(user)
    audit.record(
        actor=actor,
        action="org.user_deactivated",
        target=user,
        before=before,
        after={**snapshot(user, USER_FIELDS), "ended_memberships": ended},
    )
    return user


# --- memberships (roles) -----------------------------------------------------------------------


def _three_admins_problem(user: User, role: str, *, unit: Unit) -> str | None:
    """三员分立: an admin role excludes every other role on the same account, and vice versa."""
    held = Membership.objects.filter(user=user, is_active=True).exclude(unit=unit, role=role)
    held_roles = sorted({Role(r).label for r in held.values_list("role", flat=True)})
    if role in ADMIN_ROLES and held_roles:
        return (
            f"三员分立：{Role(role).label}不得兼任其他任何角色，该账号已有“{'、'.join(held_roles)}”角色；"
            "请为其另开账号。"
        )
    held_admin = sorted(
        {Role(r).label for r in held.filter(role__in=ADMIN_ROLES).values_list("role", flat=True)}
    )
    if held_admin:
        return f"三员分立：该账号是{'、'.join(held_admin)}，不能再授予其他角色；请为其另开账号。"
    return None


@transaction.atomic
def membership_grant(
    *,
    actor: User,
    user: User,
    unit: Unit,
    role: str,
    scope: str = Membership.Scope.UNIT,
    post: str = "",
) -> Membership:
    """Give an account a role at a unit with a scope. Admin roles always act on everything."""
    _require_security_admin(actor)
    post = _text(post)
    errors: dict[str, str] = {}
    _choice(errors, "role", "角色", role, Role)
    _choice(errors, "scope", "范围", scope, Membership.Scope)
    if len(post) > 50:
        errors["post"] = "「岗位/职务」不能超过50个字。"
    if not user.is_active:
        errors["user"] = f"账号{user.username}已停用，不能授予角色。"
    _active_unit(errors, "unit", "单位", unit)
    if errors:
        raise ValidationError(errors)
    if role in ADMIN_ROLES:
        scope = Membership.Scope.ALL
    existing = Membership.objects.filter(user=user, unit=unit, role=role).first()
    if existing is not None and existing.is_active:
        raise ValidationError({"role": f"{user}在{unit}已有“{Role(role).label}”角色。"})
    problem = _three_admins_problem(user, role, unit=unit)
    if problem:
        raise ValidationError({"role": problem})
    before = snapshot(existing, MEMBERSHIP_FIELDS) if existing else None
    if existing is None:
        membership = Membership.objects.create(user=user, unit=unit, role=role, scope=scope, post=post)
    else:
        membership = existing
        membership.is_active, membership.scope, membership.post = True, scope, post
        membership.save(update_fields=["is_active", "scope", "post", "updated_at"])
    _forget_roles(user)
    audit.record(
        actor=actor,
        action="org.membership_granted",
        target=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return membership


@transaction.atomic
def membership_update(
    *, actor: User, membership: Membership, scope: str | None = None, post: str | None = None
) -> Membership:
    """Change the scope or post of an active membership."""
    _require_security_admin(actor)
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    errors: dict[str, str] = {}
    cleaned = {
        "scope": membership.scope if scope is None else scope,
        "post": membership.post if post is None else _text(post),
    }
    if membership.role in ADMIN_ROLES:
        cleaned["scope"] = Membership.Scope.ALL
    _choice(errors, "scope", "范围", cleaned["scope"], Membership.Scope)
    if len(cleaned["post"]) > 50:
        errors["post"] = "「岗位/职务」不能超过50个字。"
    if not membership.is_active:
        errors["role"] = "该任职已终止，请重新授予。"
    if errors:
        raise ValidationError(errors)
    changes = _changes(membership, cleaned)
    if not changes:
        return membership
    _apply_audited(
        membership,
        changes,
        fields=MEMBERSHIP_FIELDS,
        actor=actor,
        action="org.membership_updated",
        update_fields=[*changes, "updated_at"],
    )
    _forget_roles(membership.user)
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> Membership:
    """End a membership; the row stays as the record of who held the role."""
    _require_security_admin(actor)
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError({"role": "该任职已终止。"})
    if membership.role in ADMIN_ROLES:
        others = Membership.objects.filter(
            role=membership.role, is_active=True, user__is_active=True
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise ValidationError(
                {"role": f"这是最后一名有效的{membership.get_role_display()}，请先为他人授予该角色。"}
            )
    _apply_audited(
        membership,
        {"is_active": False},
        fields=MEMBERSHIP_FIELDS,
        actor=actor,
        action="org.membership_revoked",
        update_fields=["is_active", "updated_at"],
    )
    _forget_roles(membership.user)
    return membership


# --- bootstrap of an empty install ---------------------------------------------------------------


@transaction.atomic
def bootstrap_root_unit(
    *,
    region_code: str,
    region_name: str,
    region_level: int,
    name: str,
    kind: str = Unit.Kind.GOVERNMENT,
    short_name: str = "",
    credit_code: str | None = None,
) -> Unit:
    """The first unit of an empty install (本级人民政府), so that its first administrators have a
    unit to belong to. Refused once any unit exists; afterwards units come from `unit_create`."""
    if Unit.objects.exists():
        raise PermissionDenied("系统中已有单位，不能再次初始化；请由系统管理员新增单位。")
    region = Region.objects.filter(code=_text(region_code)).first()
    if region is None:
        problem = region_code_problem(_text(region_code), region_level)
        if problem:
            raise ValidationError({"region": f"「区划代码」{problem}。"})
        region = Region.objects.create(code=_text(region_code), name=_text(region_name), level=region_level)
        audit.record(
            actor=BOOTSTRAP_ACTOR,
            action="org.region_created",
            target=region,
            after=snapshot(region, REGION_FIELDS),
        )
    cleaned = _clean_unit(
        {"name": name, "kind": kind, "region": region, "short_name": short_name, "credit_code": credit_code}
    )
    unit = Unit.objects.create(**cleaned)
    unit.path = f"/{unit.pk}/"
    unit.save(update_fields=["path"])
    audit.record(
        actor=BOOTSTRAP_ACTOR, action="org.unit_created", target=unit, after=snapshot(unit, UNIT_FIELDS)
    )
    return unit


@transaction.atomic
def bootstrap_admin(
    *,
    username: str,
    full_name: str,
    role: str,
    password: str,
    unit: Unit | None = None,
    password_set_now: bool = True,
) -> User:
    """Create the first holder of an admin role on an empty install (audited as 系统初始化).

    Refused once an active account holds that role: from then on accounts come from
    `user_create` and roles from the security administrator. The account belongs to `unit`, or
    by default to the top unit (see `bootstrap_root_unit`).
    """
    if role not in ADMIN_ROLES:
        raise ValidationError({"role": "初始化只能创建系统管理员、安全管理员或审计管理员。"})
    if Membership.objects.filter(role=role, is_active=True, user__is_active=True).exists():
        raise PermissionDenied(f"已有有效的{Role(role).label}，不能再次初始化；请由安全管理员授权。")
    if unit is None:
        unit = (
            Unit.objects.filter(parent=None, status=Unit.Status.ACTIVE).order_by("sort_order", "id").first()
        )
    if unit is None:
        raise ValidationError({"unit": "系统中还没有单位：请先用 bootstrap_root_unit() 建立本级人民政府。"})
    username, full_name = _clean_new_account(username, full_name, password)
    user = _account_create(
        username=username, full_name=full_name, password=password, password_set_now=password_set_now
    )
    membership = Membership.objects.create(user=user, unit=unit, role=role, scope=Membership.Scope.ALL)
    audit.record(
        actor=BOOTSTRAP_ACTOR, action="org.user_created", target=user, after=snapshot(user, USER_FIELDS)
    )
    audit.record(
        actor=BOOTSTRAP_ACTOR,
        action="org.membership_granted",
        target=membership,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return user


# --- responsibility list (权责清单) ----------------------------------------------------------------


def _clean_item(values: dict[str, Any], *, item: ResponsibilityItem | None = None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = {
        "code": _text(values.get("code")),
        "kind": _text(values.get("kind")),
        "name": _text(values.get("name")),
        "legal_basis": _text(values.get("legal_basis")),
        "unit": values.get("unit"),
    }
    _required(errors, "code", "事项编码", cleaned["code"], 40)
    others = ResponsibilityItem.objects.exclude(pk=item.pk) if item else ResponsibilityItem.objects.all()
    if "code" not in errors and others.filter(code=cleaned["code"]).exists():
        errors["code"] = f"「事项编码」“{cleaned['code']}”已被另一事项使用。"
    _choice(errors, "kind", "职权类型", cleaned["kind"], ResponsibilityItem.Kind)
    _required(errors, "name", "事项名称", cleaned["name"], 200)
    _required(errors, "legal_basis", "设定依据", cleaned["legal_basis"], 10_000)
    if item is None or cleaned["unit"] is None or cleaned["unit"].pk != item.unit_id:
        _active_unit(errors, "unit", "实施主体", cleaned["unit"])
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def responsibility_item_create(
    *, actor: User, code: str, kind: str, name: str, legal_basis: str, unit: Unit
) -> ResponsibilityItem:
    """Add a power to a unit's responsibility list, with its legal basis."""
    _require_registrar(actor)
    cleaned = _clean_item(
        {"code": code, "kind": kind, "name": name, "legal_basis": legal_basis, "unit": unit}
    )
    item = ResponsibilityItem.objects.create(**cleaned)
    audit.record(
        actor=actor, action="org.responsibility_item_created", target=item, after=snapshot(item, ITEM_FIELDS)
    )
    return item


@transaction.atomic
def responsibility_item_update(*, actor: User, item: ResponsibilityItem, **fields: Any) -> ResponsibilityItem:
    """Change an item's code, kind, name, legal basis or unit."""
    _require_registrar(actor)
    unknown = set(fields) - set(ITEM_EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: f"不能修改事项的“{'、'.join(sorted(unknown))}”。"})
    item = ResponsibilityItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_active:
        raise ValidationError({"code": f"事项{item.code}已废止，不能修改。"})
    current = {name: getattr(item, name) for name in ITEM_EDITABLE}
    cleaned = _clean_item({**current, **fields}, item=item)
    changes = _changes(item, cleaned)
    if not changes:
        return item
    _apply_audited(item, changes, fields=ITEM_FIELDS, actor=actor, action="org.responsibility_item_updated")
    return item


@transaction.atomic
def responsibility_item_retire(*, actor: User, item: ResponsibilityItem) -> ResponsibilityItem:
    """Take an item off the list (it stays on record; casework may still cite it)."""
    _require_registrar(actor)
    item = ResponsibilityItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_active:
        raise ValidationError({"code": f"事项{item.code}已废止。"})
    _apply_audited(
        item,
        {"is_active": False},
        fields=ITEM_FIELDS,
        actor=actor,
        action="org.responsibility_item_retired",
        update_fields=["is_active", "updated_at"],
    )
    return item


# --- boundary items (边界事项) ---------------------------------------------------------------------


def normalise_keywords(value: str) -> str:
    """One separator (、) and no repeats, whatever people typed."""
    return "、".join(dict.fromkeys(split_keywords(value)))


def _clean_boundary(values: dict[str, Any], *, item: BoundaryItem | None = None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    co_units = list(dict.fromkeys(values.get("co_units") or []))
    cleaned = {
        "code": _text(values.get("code")),
        "name": _text(values.get("name")),
        "description": _text(values.get("description")),
        "keywords": normalise_keywords(values.get("keywords") or ""),
        "legal_basis": _text(values.get("legal_basis")),
        "lead_unit": values.get("lead_unit"),
        "co_units": co_units,
        "settled_by": _text(values.get("settled_by")),
    }
    _required(errors, "code", "事项编码", cleaned["code"], 40)
    others = BoundaryItem.objects.exclude(pk=item.pk) if item else BoundaryItem.objects.all()
    if "code" not in errors and others.filter(code=cleaned["code"]).exists():
        errors["code"] = f"「事项编码」“{cleaned['code']}”已被另一边界事项使用。"
    _required(errors, "name", "事项名称", cleaned["name"], 200)
    _required(errors, "description", "情形与分工", cleaned["description"], 10_000)
    if len(cleaned["keywords"]) > 200:
        errors["keywords"] = "「识别关键词」不能超过200个字。"
    if len(cleaned["settled_by"]) > 200:
        errors["settled_by"] = "「确定依据文件」不能超过200个字。"
    lead = cleaned["lead_unit"]
    _active_unit(errors, "lead_unit", "牵头单位", lead)
    if not co_units:
        errors["co_units"] = "请至少选择一个「配合单位」：只有一个单位负责的事项属于权责清单，不是边界事项。"
    elif lead is not None and any(u.pk == lead.pk for u in co_units):
        errors["co_units"] = f"「配合单位」不能包含牵头单位{lead}。"
    else:
        inactive = [str(u) for u in co_units if u.status != Unit.Status.ACTIVE]
        if inactive:
            errors["co_units"] = f"「配合单位」{'、'.join(inactive)}已合并或撤销，请改用承继单位。"
    if errors:
        raise ValidationError(errors)
    return cleaned


def _boundary_snapshot(item: BoundaryItem) -> dict[str, Any]:
    return {**snapshot(item, BOUNDARY_FIELDS), "co_units": sorted(u.pk for u in item.co_units.all())}


@transaction.atomic
def boundary_item_create(
    *,
    actor: User,
    code: str,
    name: str,
    description: str,
    lead_unit: Unit,
    co_units: list[Unit],
    keywords: str = "",
    legal_basis: str = "",
    settled_by: str = "",
) -> BoundaryItem:
    """Record who leads and who co-operates on a duty that falls between units."""
    _require_registrar(actor)
    cleaned = _clean_boundary(
        {
            "code": code,
            "name": name,
            "description": description,
            "lead_unit": lead_unit,
            "co_units": co_units,
            "keywords": keywords,
            "legal_basis": legal_basis,
            "settled_by": settled_by,
        }
    )
    co = cleaned.pop("co_units")
    item = BoundaryItem.objects.create(**cleaned)
    item.co_units.set(co)
    audit.record(actor=actor, action="org.boundary_item_created", target=item, after=_boundary_snapshot(item))
    return item


@transaction.atomic
def boundary_item_update(*, actor: User, item: BoundaryItem, **fields: Any) -> BoundaryItem:
    """Change a boundary item's text, keywords or the division of work."""
    _require_registrar(actor)
    unknown = set(fields) - set(BOUNDARY_EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: f"不能修改边界事项的“{'、'.join(sorted(unknown))}”。"})
    item = BoundaryItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_active:
        raise ValidationError({"code": f"边界事项{item.code}已废止，不能修改。"})
    current = {name: getattr(item, name) for name in BOUNDARY_EDITABLE if name != "co_units"}
    current["co_units"] = list(item.co_units.all())
    cleaned = _clean_boundary({**current, **fields}, item=item)
    co = cleaned.pop("co_units")
    before = _boundary_snapshot(item)
    changes = _changes(item, cleaned)
    co_changed = sorted(u.pk for u in co) != before["co_units"]
    if not changes and not co_changed:
        return item
    for name, value in changes.items():
        setattr(item, name, value)
    item.save()
    if co_changed:
        item.co_units.set(co)
    audit.record(
        actor=actor,
        action="org.boundary_item_updated",
        target=item,
        before=before,
        after=_boundary_snapshot(item),
    )
    return item


@transaction.atomic
def boundary_item_retire(*, actor: User, item: BoundaryItem) -> BoundaryItem:
    """Take a boundary item out of use (routing stops matching it); the record stays."""
    _require_registrar(actor)
    item = BoundaryItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_active:
        raise ValidationError({"code": f"边界事项{item.code}已废止。"})
    before = _boundary_snapshot(item)
    item.is_active = False
    item.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action="org.boundary_item_retired",
        target=item,
        before=before,
        after=_boundary_snapshot(item),
    )
    return item
