import pytest

from fazhi.hotline import routing
from fazhi.hotline.models import RequestType
from tests.hotline.factories import category, rule
from tests.org.factories import BoundaryItemFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_the_category_is_guessed_from_the_callers_words_with_reasons(community, urban, road_rule):
    suggestion = routing.suggest_route(text="我们小区门口的路面坑坑洼洼，有个大坑", region=community)

    assert suggestion.category == category("010101")
    assert suggestion.lead_unit == urban
    assert suggestion.source == "rule"
    assert suggestion.confidence >= routing.auto_route_confidence()
    assert "坑坑洼洼" in suggestion.reasons[0] and "市政设施归城管" in suggestion.reasons[1]


def test_a_weak_or_ambiguous_match_is_not_confident_enough_to_route(community, road_rule):
    suggestion = routing.suggest_route(text="有个井盖", region=community)

    assert suggestion.category == category("010102")
    assert 0 < suggestion.confidence < routing.auto_route_confidence()
    assert not suggestion.routable


def test_a_rule_on_keywords_and_request_type_overrides_the_category_rule(community, urban, road_rule):
    police = UnitFactory(name="濮阳市公安局交通管理支队")
    rule(
        police,
        keywords="红绿灯、信号灯",
        request_type=RequestType.COMPLAINT,
        priority=1,
        name="信号灯投诉归交警",
    )

    complaint = routing.suggest_route(
        text="路口红绿灯坏了，路面也有坑洼",
        region=community,
        category=category("010101"),
        request_type="complaint",
    )
    help_request = routing.suggest_route(
        text="路口红绿灯坏了，路面也有坑洼",
        region=community,
        category=category("010101"),
        request_type="help",
    )

    assert complaint.lead_unit == police
    assert help_request.lead_unit == urban


def test_boundary_items_route_what_the_table_does_not_cover(community):
    lead, co = UnitFactory(name="华龙区城市管理局"), UnitFactory(name="华龙区生态环境分局")
    BoundaryItemFactory(
        name="夜间施工噪声扰民", keywords="夜间施工、噪音、扰民", lead_unit=lead, co_units=[co]
    )

    suggestion = routing.suggest_route(text="隔壁工地夜间施工噪音扰民，吵得睡不着", region=community)

    assert suggestion.source == "boundary"
    assert suggestion.lead_unit == lead and suggestion.co_units == [co]
    assert "夜间施工噪声扰民" in suggestion.reasons[-1]
    assert suggestion.confidence == 0.85


def test_nothing_matches_and_the_operator_is_told_to_dispatch_by_hand(community):
    suggestion = routing.suggest_route(text="你好", region=community)
    assert suggestion.category is None and suggestion.lead_unit is None and suggestion.confidence == 0
    assert "人工派单" in suggestion.reasons[-1]


def test_a_rule_pointing_at_a_merged_unit_is_skipped(community, urban, road_rule):
    from fazhi.org.models import Unit

    Unit.objects.filter(pk=urban.pk).update(status=Unit.Status.MERGED)
    suggestion = routing.suggest_route(text="路面坑洼", region=community, category=category("010101"))
    assert suggestion.lead_unit is None
