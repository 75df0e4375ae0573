"""REST reads of the registers, /api/v1/org/: units, regions, responsibility list, boundary items."""

from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from fazhi.org import selectors
from fazhi.org.models import Region

router = Router(tags=["机构与权责"])


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    region_code: str = Field(..., alias="region.code")
    credit_code: str | None
    status: str
    successor_id: int | None


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None = Field(None, alias="parent.code")


class ResponsibilityItemOut(Schema):
    code: str
    kind: str
    name: str
    legal_basis: str
    unit_id: int
    unit: str = Field(..., alias="unit.name")


class BoundaryItemOut(Schema):
    code: str
    name: str
    description: str
    keywords: str
    lead_unit_id: int
    lead_unit: str = Field(..., alias="lead_unit.name")
    co_unit_ids: list[int]

    @staticmethod
    def resolve_co_unit_ids(obj) -> list[int]:
        return [unit.pk for unit in obj.co_units.all()]


@router.get("/units", response=list[UnitOut], summary="单位名录")
@paginate(LimitOffsetPagination)
def units(request, kind: str = "", status: str = "", keyword: str = ""):
    return selectors.units_visible_to(request.auth, kind=kind, status=status, keyword=keyword)


@router.get("/regions", response=list[RegionOut], summary="行政区划")
@paginate(LimitOffsetPagination)
def regions(request):
    if not selectors.is_staff_member(request.auth):
        return Region.objects.none()
    return selectors.regions_all()


@router.get("/responsibility-items", response=list[ResponsibilityItemOut], summary="权责清单")
@paginate(LimitOffsetPagination)
def responsibility_items(request, kind: str = "", keyword: str = ""):
    return selectors.responsibility_items_visible_to(request.auth, kind=kind, keyword=keyword)


@router.get("/boundary-items", response=list[BoundaryItemOut], summary="边界事项")
@paginate(LimitOffsetPagination)
def boundary_items(request, keyword: str = ""):
    return selectors.boundary_items_visible_to(request.auth, keyword=keyword)
