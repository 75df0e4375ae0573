import pytest
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.org.models import BoundaryItem, Membership, ResponsibilityItem, Role, Unit, User
from tests.org.factories import MembershipFactory, ResponsibilityItemFactory, UnitFactory, credit_code


@pytest.fixture
def admin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


def unit_form(government, **overrides) -> dict:
    data = {
        "name": "濮阳市财政局",
        "short_name": "财政局",
        "kind": Unit.Kind.DEPARTMENT,
        "parent": government.pk,
        "region": government.region.pk,
        "credit_code": credit_code(31),
        "sort_order": 5,
    }
    return {**data, **overrides}


def test_adding_a_unit_in_the_admin_goes_through_the_service(admin_client, government, sysadmin):
    response = admin_client.post(reverse("admin:org_unit_add"), unit_form(government))

    assert response.status_code == 302
    unit = Unit.objects.get(name="濮阳市财政局")
    assert unit.path == f"{government.path}{unit.pk}/"
    assert AuditEvent.objects.get(action="org.unit_created", target_id=str(unit.pk)).actor == sysadmin


def test_the_admin_shows_service_errors_on_the_field(admin_client, government):
    bad = credit_code(31)[:-1] + ("0" if credit_code(31)[-1] != "0" else "1")

    response = admin_client.post(reverse("admin:org_unit_add"), unit_form(government, credit_code=bad))

    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert not Unit.objects.filter(name="濮阳市财政局").exists()


def test_moving_a_unit_in_the_admin_rewrites_the_subtree(admin_client, government):
    a = UnitFactory(parent=government, region=government.region)
    b = UnitFactory(parent=government, region=government.region)
    a1 = UnitFactory(parent=a, region=government.region)

    response = admin_client.post(
        reverse("admin:org_unit_change", args=[a.pk]),
        unit_form(government, name=a.name, parent=b.pk, credit_code="", short_name="", sort_order=0),
    )

    assert response.status_code == 302
    a1.refresh_from_db()
    assert a1.path == f"{b.path}{a.pk}/{a1.pk}/"


def test_nothing_can_be_deleted_in_the_admin(admin_client, government):
    item = ResponsibilityItemFactory(unit=government)
    assert admin_client.get(reverse("admin:org_unit_delete", args=[government.pk])).status_code == 403
    assert admin_client.get(reverse("admin:org_responsibilityitem_delete", args=[item.pk])).status_code == 403


def test_memberships_are_read_only_in_the_admin(admin_client, government):
    membership = MembershipFactory(unit=government)
    assert admin_client.get(reverse("admin:org_membership_add")).status_code == 403
    assert admin_client.get(reverse("admin:org_membership_change", args=[membership.pk])).status_code == 200
    admin_client.post(
        reverse("admin:org_membership_change", args=[membership.pk]), {"scope": "all", "post": "改"}
    )
    membership.refresh_from_db()
    assert membership.scope == Membership.Scope.UNIT


def test_opening_an_account_in_the_admin(admin_client):
    weak = admin_client.post(
        reverse("admin:org_user_add"), {"username": "chenyi", "full_name": "陈一", "password": "12345678"}
    )
    assert "密码须包含大写字母" in weak.content.decode()

    admin_client.post(
        reverse("admin:org_user_add"), {"username": "chenyi", "full_name": "陈一", "password": "Chen@2024x"}
    )

    user = User.objects.get(username="chenyi")
    assert user.check_password("Chen@2024x") and user.password_changed_at is None


def test_retire_action_keeps_the_item(admin_client, government):
    item = ResponsibilityItemFactory(unit=government)

    admin_client.post(
        reverse("admin:org_responsibilityitem_changelist"),
        {"action": "retire", "_selected_action": [item.pk]},
    )

    item.refresh_from_db()
    assert not item.is_active


def test_boundary_item_added_in_the_admin_keeps_its_co_units(admin_client, government):
    police = UnitFactory(name="濮阳市公安局")
    urban = UnitFactory(name="濮阳市城市管理局")

    response = admin_client.post(
        reverse("admin:org_boundaryitem_add"),
        {
            "code": "BJ-9",
            "name": "广场舞噪音扰民",
            "lead_unit": police.pk,
            "co_units": [urban.pk],
            "description": "公安牵头处置，城管配合。",
            "keywords": "广场舞、噪音",
            "legal_basis": "",
            "settled_by": "",
        },
    )

    assert response.status_code == 302
    assert list(BoundaryItem.objects.get(code="BJ-9").co_units.all()) == [urban]


def test_a_casework_user_cannot_open_the_admin(client, government):
    from tests.org.factories import user_with_role

    client.force_login(user_with_role(Role.HANDLER, government))
    assert client.get(reverse("admin:org_unit_changelist")).status_code in (302, 403)


def test_changing_an_item_in_the_admin_is_saved_and_audited(admin_client, government):
    item = ResponsibilityItemFactory(unit=government, name="旧名称")

    response = admin_client.post(
        reverse("admin:org_responsibilityitem_change", args=[item.pk]),
        {
            "code": item.code,
            "name": "新名称",
            "kind": item.kind,
            "unit": government.pk,
            "legal_basis": item.legal_basis,
        },
    )

    assert response.status_code == 302
    assert ResponsibilityItem.objects.get(pk=item.pk).name == "新名称"
    event = AuditEvent.objects.get(action="org.responsibility_item_updated")
    assert (event.before["name"], event.after["name"]) == ("旧名称", "新名称")


def test_renaming_an_account_in_the_admin(admin_client, government):
    from tests.org.factories import UserFactory

    user = UserFactory(full_name="旧名")
    admin_client.post(reverse("admin:org_user_change", args=[user.pk]), {"full_name": "新名"})
    user.refresh_from_db()
    assert user.full_name == "新名"


def test_adding_a_region_in_the_admin_checks_its_code(admin_client, city):
    bad = admin_client.post(
        reverse("admin:org_region_add"), {"code": "411023", "name": "许昌县", "level": 3, "parent": city.pk}
    )
    assert "应以上级区划代码的前4位“4109”开头" in bad.content.decode()

    good = admin_client.post(
        reverse("admin:org_region_add"), {"code": "410923", "name": "南乐县", "level": 3, "parent": city.pk}
    )
    assert good.status_code == 302
    assert AuditEvent.objects.filter(action="org.region_created", target_label="南乐县").exists()
