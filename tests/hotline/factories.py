from fazhi.hotline import services
from fazhi.hotline.models import Category, Channel, RequestType, RoutingRule, Ticket
from fazhi.org.models import Region, Unit, User
from tests.cases.factories import at


def category(code: str = "010101") -> Category:
    """A category from the tree the data migration loads (010101 = 城市管理/市政设施/道路破损)."""
    return Category.objects.get(code=code)


def rule(lead_unit: Unit, *, co_units=(), **conditions) -> RoutingRule:
    conditions.setdefault("name", f"派单至{lead_unit.name}")
    created = RoutingRule.objects.create(lead_unit=lead_unit, **conditions)
    created.co_units.set(co_units)
    return created


def register(operator: User, region: Region, **kwargs) -> Ticket:
    """A phone request registered by an operator, about a pothole unless told otherwise."""
    kwargs.setdefault("content", "幸福路和建设路交叉口东侧路面有个大坑，晚上骑车很危险，希望尽快修补。")
    kwargs.setdefault("request_type", RequestType.HELP)
    kwargs.setdefault("category", category())
    kwargs.setdefault("channel", Channel.PHONE)
    kwargs.setdefault("caller_phone", "13812341234")
    kwargs.setdefault("received_at", at(2024, 9, 23))
    return services.ticket_register(actor=operator, region=region, **kwargs)
