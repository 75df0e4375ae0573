from datetime import date, timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fazhi.core.models import AuditEvent
from fazhi.org import services
from fazhi.org.models import BoundaryItem, Membership, Region, ResponsibilityItem, Role, Unit, User
from tests.org.factories import (
    BoundaryItemFactory,
    MembershipFactory,
    ResponsibilityItemFactory,
    UnitFactory,
    UserFactory,
    credit_code,
    user_with_role,
)


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


def make_unit(actor, name, parent=None, **kwargs) -> Unit:
    region = kwargs.pop("region", None) or Region.objects.get(code="410900")
    return services.unit_create(
        actor=actor,
        name=name,
        kind=kwargs.pop("kind", Unit.Kind.DEPARTMENT),
        region=region,
        parent=parent,
        **kwargs,
    )


# --- who may write -------------------------------------------------------------------------------


def test_writes_without_an_actor_are_refused(city):
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=None, name="濮阳市司法局", kind=Unit.Kind.DEPARTMENT, region=city)


def test_registers_are_kept_by_the_system_admin_only(city, government, secadmin):
    handler = user_with_role(Role.HANDLER, government)
    for actor in (handler, secadmin):
        with pytest.raises(PermissionDenied, match="只有系统管理员"):
            services.unit_create(actor=actor, name="濮阳市司法局", kind=Unit.Kind.DEPARTMENT, region=city)
    assert not Unit.objects.filter(name="濮阳市司法局").exists()


# --- regions -------------------------------------------------------------------------------------


def test_region_create_checks_code_against_parent_and_audits(sysadmin, city):
    county = services.region_create(actor=sysadmin, code="410923", name="南乐县", level=3, parent=city)

    assert county.parent == city
    assert last_event("org.region_created").after == {
        "code": "410923",
        "name": "南乐县",
        "level": 3,
        "parent_id": city.pk,
    }
    with pytest.raises(ValidationError) as exc:
        services.region_create(actor=sysadmin, code="411023", name="许昌县", level=3, parent=city)
    assert "应以上级区划代码的前4位“4109”开头" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError, match="已存在"):
        services.region_create(actor=sysadmin, code="410923", name="南乐县", level=3, parent=city)


# --- units ---------------------------------------------------------------------------------------


def test_unit_create_sets_materialised_path_and_audits(sysadmin, government):
    bureau = make_unit(sysadmin, "濮阳市司法局", parent=government, credit_code=credit_code(5))
    office = make_unit(sysadmin, "濮阳市司法局行政复议科", parent=bureau)

    assert bureau.path == f"{government.path}{bureau.pk}/"
    assert office.path == f"{government.path}{bureau.pk}/{office.pk}/"
    event = last_event("org.unit_created")
    assert event.actor == sysadmin
    assert event.target_id == str(office.pk)
    assert event.after["parent_id"] == bureau.pk
    assert event.after["path"] == office.path


def test_unit_create_refuses_bad_credit_code_naming_the_field(sysadmin, government):
    bad = credit_code(5)[:-1] + ("0" if credit_code(5)[-1] != "0" else "1")

    with pytest.raises(ValidationError) as exc:
        make_unit(sysadmin, "濮阳市司法局", parent=government, credit_code=bad)

    message = exc.value.message_dict["credit_code"][0]
    assert message.startswith("「统一社会信用代码」校验位错误，应为")
    assert not Unit.objects.filter(name="濮阳市司法局").exists()


def test_unit_create_refuses_duplicate_name_and_merged_parent(sysadmin, government, city):
    make_unit(sysadmin, "濮阳市司法局", parent=government)
    merged = UnitFactory(name="原濮阳市法制办", region=city, status=Unit.Status.MERGED, successor=government)

    with pytest.raises(ValidationError) as exc:
        make_unit(sysadmin, "濮阳市司法局", parent=merged)

    assert "已被另一单位使用" in exc.value.message_dict["name"][0]
    assert "已合并" in exc.value.message_dict["parent"][0]


def test_moving_a_unit_rewrites_its_whole_subtree(sysadmin, government):
    a = make_unit(sysadmin, "甲局", parent=government)
    b = make_unit(sysadmin, "乙局", parent=government)
    a1 = make_unit(sysadmin, "甲局一科", parent=a)
    a11 = make_unit(sysadmin, "甲局一科一组", parent=a1)

    services.unit_update(actor=sysadmin, unit=a1, parent=b)

    a1.refresh_from_db()
    a11.refresh_from_db()
    assert a1.path == f"{b.path}{a1.pk}/"
    assert a11.path == f"{b.path}{a1.pk}/{a11.pk}/"
    assert set(Unit.objects.filter(path__startswith=b.path)) == {b, a1, a11}
    event = last_event("org.unit_updated")
    assert (event.before["parent_id"], event.after["parent_id"]) == (a.pk, b.pk)


def test_moving_a_unit_under_its_own_descendant_is_refused(sysadmin, government):
    a = make_unit(sysadmin, "甲局", parent=government)
    a1 = make_unit(sysadmin, "甲局一科", parent=a)

    for target in (a, a1):
        with pytest.raises(ValidationError) as exc:
            services.unit_update(actor=sysadmin, unit=a, parent=target)
        assert exc.value.message_dict["parent"] == ["「上级单位」不能是本单位或其下级单位。"]
    a.refresh_from_db()
    assert a.parent == government


def test_unit_update_without_changes_writes_no_audit(sysadmin, government):
    a = make_unit(sysadmin, "甲局", parent=government)
    count = AuditEvent.objects.count()

    services.unit_update(actor=sysadmin, unit=a, name="甲局", sort_order=0)

    assert AuditEvent.objects.count() == count


def test_unit_status_changes_only_through_reorganisation(sysadmin, government):
    with pytest.raises(ValidationError, match="机构改革"):
        services.unit_update(actor=sysadmin, unit=government, status=Unit.Status.ABOLISHED)


# --- 机构改革 --------------------------------------------------------------------------------------


@pytest.fixture
def reform(sysadmin, government):
    """普兰店-style reform: the legal affairs office merges into the justice bureau."""
    office = make_unit(sysadmin, "区政府法制办公室", parent=government)
    section = make_unit(sysadmin, "法制办执法监督科", parent=office)
    bureau = make_unit(sysadmin, "区司法局", parent=government)
    return office, section, bureau


def test_merging_moves_memberships_items_and_child_units_to_the_successor(sysadmin, reform):
    office, section, bureau = reform
    clerk = MembershipFactory(unit=office, role=Role.HANDLER, scope=Membership.Scope.SUBTREE, post="科员")
    retired_role = MembershipFactory(unit=office, role=Role.LEADER, is_active=False)
    item = ResponsibilityItemFactory(unit=office)
    retired_item = ResponsibilityItemFactory(unit=office, is_active=False)
    today = timezone.localdate()

    services.unit_reorganise(
        actor=sysadmin,
        unit=office,
        status=Unit.Status.MERGED,
        successor=bureau,
        on=today,
        note="大普委发〔2019〕1号",
    )

    office.refresh_from_db()
    section.refresh_from_db()
    clerk.refresh_from_db()
    item.refresh_from_db()
    retired_item.refresh_from_db()
    assert (office.status, office.successor, office.status_changed_on) == (Unit.Status.MERGED, bureau, today)
    assert office.status_note == "大普委发〔2019〕1号"
    assert section.parent == bureau and section.path == f"{bureau.path}{section.pk}/"
    assert not clerk.is_active
    moved = Membership.objects.get(user=clerk.user, unit=bureau, role=Role.HANDLER)
    assert (moved.is_active, moved.scope, moved.post) == (True, Membership.Scope.SUBTREE, "科员")
    assert not Membership.objects.filter(user=retired_role.user, unit=bureau).exists()
    assert item.unit == bureau and item.is_active
    assert retired_item.unit == office
    event = last_event("org.unit_reorganised")
    assert event.before["status"] == "active"
    assert event.after["status"] == "merged"
    assert event.after["successor_id"] == bureau.pk
    assert event.after["moved_memberships"] == [clerk.pk]
    assert event.after["responsibility_items"] == [item.pk]
    assert event.after["moved_children"] == [section.pk]


def test_merging_hands_boundary_duties_to_the_successor(sysadmin, reform, government):
    office, _, bureau = reform
    police = make_unit(sysadmin, "区公安分局", parent=government)
    led = BoundaryItemFactory(lead_unit=office, co_units=[police])
    joined = BoundaryItemFactory(lead_unit=police, co_units=[office])
    collapses = BoundaryItemFactory(lead_unit=office, co_units=[bureau])

    services.unit_reorganise(
        actor=sysadmin, unit=office, status=Unit.Status.MERGED, successor=bureau, on=timezone.localdate()
    )

    led.refresh_from_db()
    joined.refresh_from_db()
    collapses.refresh_from_db()
    assert led.lead_unit == bureau and list(led.co_units.all()) == [police]
    assert joined.lead_unit == police and list(joined.co_units.all()) == [bureau]
    # Lead and co-operating unit are now one body: no longer a boundary between units.
    assert not collapses.is_active


def test_reorganisation_calls_registered_hooks_inside_the_transaction(sysadmin, reform, monkeypatch):
    office, _, bureau = reform
    calls = []
    monkeypatch.setattr(services, "_reorganisation_hooks", [])
    services.on_unit_reorganised(lambda **kwargs: calls.append(kwargs))

    services.unit_reorganise(
        actor=sysadmin,
        unit=office,
        status=Unit.Status.MERGED,
        successor=bureau,
        on=timezone.localdate(),
        note="改革",
    )

    assert calls == [{"actor": sysadmin, "unit": office, "successor": bureau, "note": "改革"}]


def test_a_hook_can_refuse_the_reorganisation(sysadmin, reform, monkeypatch):
    office, _, bureau = reform

    def refuse(**kwargs):
        raise ValidationError({"successor": "该单位还有未办结的案件。"})

    monkeypatch.setattr(services, "_reorganisation_hooks", [refuse])
    with pytest.raises(ValidationError):
        services.unit_reorganise(
            actor=sysadmin, unit=office, status=Unit.Status.MERGED, successor=bureau, on=timezone.localdate()
        )
    office.refresh_from_db()
    assert office.is_active


@pytest.mark.parametrize(
    ("status", "successor", "on", "field", "message"),
    [
        ("merged", None, 0, "successor", "合并的单位须指定「承继单位」。"),
        ("merged", "section", 0, "successor", "「承继单位」不能是本单位或其下级单位。"),
        ("merged", "bureau", 1, "status_changed_on", "「状态变更日期」不能晚于今天。"),
        ("active", "bureau", 0, "status", "「状态」应为已合并或已撤销。"),
    ],
)
def test_reorganisation_rules(sysadmin, reform, status, successor, on, field, message):
    office, section, bureau = reform
    target = {"section": section, "bureau": bureau, None: None}[successor]
    with pytest.raises(ValidationError) as exc:
        services.unit_reorganise(
            actor=sysadmin,
            unit=office,
            status=status,
            successor=target,
            on=timezone.localdate() + timedelta(days=on),
        )
    assert exc.value.message_dict[field] == [message]


def test_abolishing_without_successor_ends_memberships_and_retires_items(sysadmin, government):
    office = make_unit(sysadmin, "区政府驻京联络处", parent=government)
    clerk = MembershipFactory(unit=office)
    item = ResponsibilityItemFactory(unit=office)

    services.unit_reorganise(
        actor=sysadmin, unit=office, status=Unit.Status.ABOLISHED, successor=None, on=date(2019, 3, 1)
    )

    clerk.refresh_from_db()
    item.refresh_from_db()
    assert not clerk.is_active
    assert not item.is_active and item.unit == office


def test_abolishing_a_unit_that_leads_a_boundary_item_needs_a_successor(sysadmin, government):
    office = make_unit(sysadmin, "区城管局", parent=government)
    BoundaryItemFactory(code="BJ-广场舞", lead_unit=office)

    with pytest.raises(ValidationError, match="BJ-广场舞"):
        services.unit_reorganise(
            actor=sysadmin, unit=office, status=Unit.Status.ABOLISHED, successor=None, on=date(2019, 3, 1)
        )


def test_a_merged_unit_cannot_be_reorganised_again(sysadmin, reform):
    office, _, bureau = reform
    services.unit_reorganise(
        actor=sysadmin, unit=office, status="merged", successor=bureau, on=date(2019, 3, 1)
    )

    with pytest.raises(ValidationError, match="已是“已合并”状态"):
        services.unit_reorganise(
            actor=sysadmin, unit=office, status="abolished", successor=None, on=date(2019, 3, 2)
        )


# --- accounts ------------------------------------------------------------------------------------


def test_user_create_generates_a_compliant_password_to_change_at_first_login(sysadmin):
    user, password = services.user_create(actor=sysadmin, username="zhangsan", full_name="张三")

    validate_password(password, user)
    assert user.check_password(password)
    assert user.password_changed_at is None
    assert not user.memberships.exists()
    event = last_event("org.user_created")
    assert event.after["password_generated"] is True
    assert password not in str(event.after)


def test_user_create_with_password_set_now_for_the_demo(sysadmin):
    user, password = services.user_create(
        actor=sysadmin, username="demo", full_name="演示用户", password="Demo@2024x", password_set_now=True
    )
    assert password == "Demo@2024x"
    assert user.password_changed_at is not None


def test_user_create_refuses_weak_password_and_case_twin_username(sysadmin):
    services.user_create(actor=sysadmin, username="zhangsan", full_name="张三")

    with pytest.raises(ValidationError) as exc:
        services.user_create(actor=sysadmin, username="ZhangSan", full_name="张三", password="12345678")

    errors = exc.value.message_dict
    assert errors["username"] == ["「账号」“ZhangSan”已存在。"]
    assert any("密码须包含大写字母" in m for m in errors["password"])


def test_only_the_system_admin_opens_accounts(secadmin):
    with pytest.raises(PermissionDenied):
        services.user_create(actor=secadmin, username="lisi", full_name="李四")


def test_user_deactivate_ends_all_memberships(sysadmin, government):
    handler = user_with_role(Role.HANDLER, government)

    services.user_deactivate(actor=sysadmin, user=handler)

    handler.refresh_from_db()
    assert not handler.is_active
    assert not handler.memberships.filter(is_active=True).exists()
    assert last_event("org.user_deactivated").before["is_active"] is True


def test_user_deactivate_keeps_the_last_security_admin_and_refuses_self(sysadmin, secadmin):
    with pytest.raises(ValidationError, match="最后一名有效的安全管理员"):
        services.user_deactivate(actor=sysadmin, user=secadmin)
    with pytest.raises(ValidationError, match="不能停用自己的账号"):
        services.user_deactivate(actor=sysadmin, user=sysadmin)


# --- roles and 三员分立 -----------------------------------------------------------------------------


def test_security_admin_grants_roles_and_the_grant_is_audited(secadmin, government):
    user = UserFactory()

    membership = services.membership_grant(
        actor=secadmin, user=user, unit=government, role=Role.SUPERVISOR, scope="subtree", post="科长"
    )

    assert (membership.role, membership.scope, membership.post) == (Role.SUPERVISOR, "subtree", "科长")
    event = last_event("org.membership_granted")
    assert event.before is None
    assert event.after["role"] == Role.SUPERVISOR and event.after["is_active"] is True


def test_system_admin_cannot_grant_roles(sysadmin, government):
    with pytest.raises(PermissionDenied, match="只有安全管理员"):
        services.membership_grant(actor=sysadmin, user=UserFactory(), unit=government, role=Role.HANDLER)


def test_admin_roles_exclude_any_other_role(secadmin, sysadmin, government):
    with pytest.raises(ValidationError) as exc:
        services.membership_grant(actor=secadmin, user=sysadmin, unit=government, role=Role.HANDLER)
    assert exc.value.message_dict["role"] == [
        "三员分立：该账号是系统管理员，不能再授予其他角色；请为其另开账号。"
    ]

    with pytest.raises(ValidationError, match="三员分立：审计管理员不得兼任其他任何角色"):
        services.membership_grant(actor=secadmin, user=sysadmin, unit=government, role=Role.AUDIT_ADMIN)

    handler = user_with_role(Role.HANDLER, government)
    with pytest.raises(ValidationError, match="该账号已有“承办人员”角色"):
        services.membership_grant(actor=secadmin, user=handler, unit=government, role=Role.SECURITY_ADMIN)


def test_admin_roles_always_reach_everything(secadmin, government):
    membership = services.membership_grant(
        actor=secadmin, user=UserFactory(), unit=government, role=Role.AUDIT_ADMIN, scope="unit"
    )
    assert membership.scope == Membership.Scope.ALL


def test_grant_refuses_merged_unit_duplicates_and_inactive_accounts(secadmin, government, city):
    merged = UnitFactory(region=city, status=Unit.Status.MERGED, successor=government)
    user = user_with_role(Role.HANDLER, government)
    inactive = UserFactory(is_active=False)

    with pytest.raises(ValidationError) as exc:
        services.membership_grant(actor=secadmin, user=user, unit=merged, role=Role.HANDLER)
    assert f"请改用承继单位「{government}」" in exc.value.message_dict["unit"][0]
    with pytest.raises(ValidationError, match="已有“承办人员”角色"):
        services.membership_grant(actor=secadmin, user=user, unit=government, role=Role.HANDLER)
    with pytest.raises(ValidationError, match="已停用"):
        services.membership_grant(actor=secadmin, user=inactive, unit=government, role=Role.HANDLER)


def test_revoke_keeps_the_row_and_a_regrant_reactivates_it(secadmin, government):
    membership = MembershipFactory(unit=government, role=Role.HANDLER)

    services.membership_revoke(actor=secadmin, membership=membership)
    membership.refresh_from_db()
    assert not membership.is_active
    event = last_event("org.membership_revoked")
    assert (event.before["is_active"], event.after["is_active"]) == (True, False)

    again = services.membership_grant(
        actor=secadmin, user=membership.user, unit=government, role=Role.HANDLER
    )
    assert again.pk == membership.pk and again.is_active


def test_the_last_security_admin_cannot_be_revoked(secadmin):
    membership = secadmin.memberships.get()
    with pytest.raises(ValidationError, match="最后一名有效的安全管理员"):
        services.membership_revoke(actor=secadmin, membership=membership)


def test_grant_takes_effect_on_the_same_user_object(secadmin, government):
    from fazhi.org.permissions import has_role

    user = UserFactory()
    assert not has_role(user, Role.HANDLER)  # fills the per-instance cache
    services.membership_grant(actor=secadmin, user=user, unit=government, role=Role.HANDLER)
    assert has_role(user, Role.HANDLER)


# --- bootstrap -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bootstrap_of_an_empty_install():
    root = services.bootstrap_root_unit(
        region_code="210214", region_name="普兰店区", region_level=3, name="大连市普兰店区人民政府"
    )
    sysadmin = services.bootstrap_admin(
        username="sysadmin", full_name="系统管理员", role=Role.SYSTEM_ADMIN, password="Init@2024pw"
    )
    secadmin = services.bootstrap_admin(
        username="secadmin", full_name="安全管理员", role=Role.SECURITY_ADMIN, password="Init@2024pw"
    )

    assert root.path == f"/{root.pk}/"
    assert sysadmin.memberships.get().unit == root
    assert sysadmin.memberships.get().scope == Membership.Scope.ALL
    assert AuditEvent.objects.filter(actor_label="系统初始化").count() == 6
    # From here on the ordinary services take over.
    bureau = services.unit_create(
        actor=sysadmin, name="区司法局", kind=Unit.Kind.DEPARTMENT, region=root.region
    )
    services.membership_grant(actor=secadmin, user=UserFactory(), unit=bureau, role=Role.HANDLER)
    with pytest.raises(PermissionDenied, match="已有有效的系统管理员"):
        services.bootstrap_admin(username="x", full_name="某", role=Role.SYSTEM_ADMIN, password="Init@2024pw")
    with pytest.raises(PermissionDenied, match="系统中已有单位"):
        services.bootstrap_root_unit(
            region_code="210214", region_name="普兰店区", region_level=3, name="又一个"
        )


@pytest.mark.django_db
def test_bootstrap_admin_needs_a_unit_and_an_admin_role():
    with pytest.raises(ValidationError, match="bootstrap_root_unit"):
        services.bootstrap_admin(username="a", full_name="甲", role=Role.SYSTEM_ADMIN, password="Init@2024pw")
    with pytest.raises(ValidationError, match="只能创建系统管理员"):
        services.bootstrap_admin(username="a", full_name="甲", role=Role.HANDLER, password="Init@2024pw")
    assert not User.objects.exists()


# --- responsibility list -------------------------------------------------------------------------


def test_responsibility_item_lifecycle(sysadmin, government):
    bureau = make_unit(sysadmin, "濮阳市生态环境局", parent=government)
    item = services.responsibility_item_create(
        actor=sysadmin,
        code="CF-0001",
        kind=ResponsibilityItem.Kind.PENALTY,
        name="对噪声污染违法行为的处罚",
        legal_basis="《中华人民共和国噪声污染防治法》第七十一条",
        unit=bureau,
    )

    services.responsibility_item_update(actor=sysadmin, item=item, name="对工业噪声污染违法行为的处罚")
    assert last_event("org.responsibility_item_updated").before["name"] == "对噪声污染违法行为的处罚"

    services.responsibility_item_retire(actor=sysadmin, item=item)
    item.refresh_from_db()
    assert not item.is_active and ResponsibilityItem.objects.filter(pk=item.pk).exists()
    with pytest.raises(ValidationError, match="已废止"):
        services.responsibility_item_update(actor=sysadmin, item=item, name="再改")


def test_responsibility_item_rules_name_each_field(sysadmin, government):
    ResponsibilityItemFactory(code="XK-1", unit=government)

    with pytest.raises(ValidationError) as exc:
        services.responsibility_item_create(
            actor=sysadmin, code="XK-1", kind="licence", name="", legal_basis=" ", unit=government
        )

    errors = exc.value.message_dict
    assert errors["code"] == ["「事项编码」“XK-1”已被另一事项使用。"]
    assert errors["kind"][0].startswith("「职权类型」“licence”无效")
    assert errors["name"] == ["请填写「事项名称」。"]
    assert errors["legal_basis"] == ["请填写「设定依据」。"]


# --- boundary items ------------------------------------------------------------------------------


def test_boundary_item_needs_co_units_without_the_lead(sysadmin, government):
    police = make_unit(sysadmin, "濮阳市公安局", parent=government)
    urban = make_unit(sysadmin, "濮阳市城市管理局", parent=government)
    fields = {
        "actor": sysadmin,
        "code": "BJ-1",
        "name": "广场舞噪音扰民",
        "description": "公安牵头，城管配合。",
    }

    with pytest.raises(ValidationError) as exc:
        services.boundary_item_create(**fields, lead_unit=police, co_units=[])
    assert "请至少选择一个「配合单位」" in exc.value.message_dict["co_units"][0]
    with pytest.raises(ValidationError) as exc:
        services.boundary_item_create(**fields, lead_unit=police, co_units=[police, urban])
    assert exc.value.message_dict["co_units"] == ["「配合单位」不能包含牵头单位濮阳市公安局。"]

    item = services.boundary_item_create(
        **fields, lead_unit=police, co_units=[urban, urban], keywords="广场舞，噪音 ,扰民、噪音"
    )
    assert item.keywords == "广场舞、噪音、扰民"
    assert last_event("org.boundary_item_created").after["co_units"] == [urban.pk]


def test_boundary_item_update_and_retire(sysadmin, government):
    item = BoundaryItemFactory()
    other = make_unit(sysadmin, "濮阳市市场监督管理局", parent=government)

    services.boundary_item_update(actor=sysadmin, item=item, co_units=[other])
    event = last_event("org.boundary_item_updated")
    assert event.after["co_units"] == [other.pk] and event.before["co_units"] != [other.pk]

    services.boundary_item_retire(actor=sysadmin, item=item)
    assert not BoundaryItem.objects.get(pk=item.pk).is_active


def test_audit_admin_cannot_write_registers(auditadmin, government):
    with pytest.raises(PermissionDenied):
        services.responsibility_item_retire(actor=auditadmin, item=ResponsibilityItemFactory(unit=government))
