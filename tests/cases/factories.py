from datetime import datetime
from zoneinfo import ZoneInfo

from fazhi.cases import services
from fazhi.cases.models import Case, CaseType
from fazhi.org.models import Role, Unit
from tests.org.factories import user_with_role

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


def open_case(
    unit: Unit, *, code: str = "reconsideration", received_at: datetime | None = None, **kwargs
) -> Case:
    """A case opened through the engine by an operator who may dispatch to any unit."""
    operator = kwargs.pop("actor", None) or user_with_role(Role.OPERATOR, unit, scope="all")
    return services.case_open(
        case_type=CaseType.objects.get(code=code),
        title=kwargs.pop("title", "关于某行政处罚决定的复议申请"),
        handling_unit=unit,
        actor=operator,
        received_at=received_at or at(2024, 9, 27),
        **kwargs,
    )
