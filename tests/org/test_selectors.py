import pytest

from fazhi.org import selectors
from fazhi.org.models import Membership, Role, Unit
from tests.org.factories import (
    BoundaryItemFactory,
    MembershipFactory,
    ResponsibilityItemFactory,
    UnitFactory,
    UserFactory,
    user_with_role,
)


@pytest.fixture
def tree(government):
    bureau = UnitFactory(name="濮阳市司法局", parent=government, region=government.region)
    section = UnitFactory(name="濮阳市司法局复议科", parent=bureau, region=government.region)
    police = UnitFactory(name="濮阳市公安局", parent=government, region=government.region)
    return bureau, section, police


def test_every_staff_member_reads_the_whole_unit_register(tree, government):
    bureau, section, police = tree
    handler = user_with_role(Role.HANDLER, section)

    assert set(selectors.units_visible_to(handler)) == {government, bureau, section, police}
    assert set(selectors.units_visible_to(handler, within=bureau)) == {bureau, section}
    assert list(selectors.units_visible_to(handler, keyword="公安")) == [police]


def test_an_account_without_memberships_reads_nothing(tree):
    assert not selectors.units_visible_to(UserFactory()).exists()
    assert not selectors.responsibility_items_visible_to(UserFactory()).exists()


def test_unit_ancestors_and_subtree(tree, government):
    bureau, section, _ = tree
    assert selectors.unit_ancestors(section) == [government, bureau]
    assert set(selectors.unit_subtree(bureau)) == {bureau, section}
    assert set(selectors.unit_subtree(bureau, include_self=False)) == {section}


def test_staff_list_is_limited_to_the_viewers_scope(tree, government, sysadmin):
    bureau, section, police = tree
    colleague = MembershipFactory(unit=bureau)
    below = MembershipFactory(unit=section)
    elsewhere = MembershipFactory(unit=police)
    gone = MembershipFactory(unit=bureau, user=UserFactory(is_active=False))
    handler = user_with_role(Role.HANDLER, bureau)
    head = user_with_role(Role.UNIT_LEADER, bureau, scope=Membership.Scope.SUBTREE)

    handler_sees = set(selectors.staff_visible_to(handler))
    head_sees = set(selectors.staff_visible_to(head))

    assert colleague in handler_sees and below not in handler_sees and elsewhere not in handler_sees
    assert {colleague, below} <= head_sees and elsewhere not in head_sees
    assert elsewhere in set(selectors.staff_visible_to(sysadmin))
    assert gone not in set(selectors.staff_visible_to(sysadmin))


def test_unit_detail_hides_staff_outside_the_viewers_scope(tree):
    bureau, _, police = tree
    MembershipFactory(unit=police)
    handler = user_with_role(Role.HANDLER, bureau)

    detail = selectors.unit_detail(handler, pk=police.pk)

    assert detail.staff_hidden and detail.staff == []


def test_public_responsibility_list_has_active_items_only(government):
    active = ResponsibilityItemFactory(unit=government)
    ResponsibilityItemFactory(unit=government, is_active=False)
    assert list(selectors.responsibility_items_public()) == [active]


@pytest.fixture
def noise_duties(tree):
    """The three noise complaints the 濮阳 report says nobody clearly owned."""
    _, _, police = tree
    urban = UnitFactory(name="濮阳市城市管理局")
    ecology = UnitFactory(name="濮阳市生态环境局")
    housing = UnitFactory(name="濮阳市住房和城乡建设局")
    dance = BoundaryItemFactory(
        code="BJ-001", name="广场舞噪音扰民", keywords="广场舞、噪音", lead_unit=police, co_units=[urban]
    )
    smoke = BoundaryItemFactory(
        code="BJ-002", name="餐饮油烟噪音", keywords="油烟、餐饮", lead_unit=ecology, co_units=[urban]
    )
    night = BoundaryItemFactory(
        code="BJ-003",
        name="夜间施工噪音",
        keywords="夜间施工、施工噪音、噪音",
        lead_unit=housing,
        co_units=[ecology, urban],
    )
    return dance, smoke, night


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("小区楼下每晚跳广场舞，音响噪音太大", "BJ-001"),
        ("楼下饭店餐饮油烟直排进窗户", "BJ-002"),
        ("工地夜间施工噪音扰民，凌晨还在打桩", "BJ-003"),
        ("路灯坏了", None),
    ],
)
def test_boundary_item_for_text_picks_the_best_keyword_match(noise_duties, text, expected):
    item = selectors.boundary_item_for_text(text)
    assert (item.code if item else None) == expected


def test_retired_boundary_items_are_not_matched(noise_duties):
    dance, _, _ = noise_duties
    dance.is_active = False
    dance.save()
    assert selectors.boundary_item_for_text("广场舞") is None


def test_boundary_items_for_unit_includes_led_and_joined(noise_duties):
    dance, smoke, night = noise_duties
    urban = Unit.objects.get(name="濮阳市城市管理局")
    ecology = Unit.objects.get(name="濮阳市生态环境局")
    assert selectors.boundary_items_for_unit(urban) == [dance, smoke, night]
    detail_led = [b for b in selectors.boundary_items_for_unit(ecology) if b.lead_unit_id == ecology.pk]
    assert detail_led == [smoke]
