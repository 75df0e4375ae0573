import factory
from django.utils import timezone

from fazhi.org.models import BoundaryItem, Membership, Region, ResponsibilityItem, Role, Unit, User

PASSWORD = "Fazhi@2024"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "370100"
    name = "济南市"
    level = Region.Level.CITY


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit whose materialised path is filled in after the insert, as the org services do."""

    class Meta:
        model = Unit
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试市第{n}局")
    kind = Unit.Kind.DEPARTMENT
    region = factory.SubFactory(RegionFactory)
    parent = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        if create:
            Unit.objects.filter(pk=obj.pk).update(path=obj.path)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.HANDLER
    scope = Membership.Scope.UNIT


class ResponsibilityItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibilityItem

    code = factory.Sequence(lambda n: f"XK-{n:05d}")
    kind = ResponsibilityItem.Kind.LICENSING
    name = factory.Sequence(lambda n: f"测试许可事项{n}")
    legal_basis = "《中华人民共和国行政许可法》第十二条"
    unit = factory.SubFactory(UnitFactory)


def user_with_role(role: str, unit: Unit | None = None, scope: str = Membership.Scope.UNIT, **kwargs) -> User:
    membership = MembershipFactory(role=role, unit=unit or UnitFactory(), scope=scope, **kwargs)
    return membership.user


def credit_code(n: int, *, prefix: str = "11") -> str:
    """A valid 统一社会信用代码 (GB 32100-2015) for test number n: prefix, region, serial, check."""
    from fazhi.org.validators import credit_code_check_char

    first17 = f"{prefix}410900{n:09d}"[:17]
    return first17 + credit_code_check_char(first17)


class BoundaryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoundaryItem
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"BJ-{n:04d}")
    name = factory.Sequence(lambda n: f"测试边界事项{n}")
    description = "牵头单位负责受理和处置，配合单位按职责提供支持。"
    keywords = "噪音、扰民"
    lead_unit = factory.SubFactory(UnitFactory)

    @factory.post_generation
    def co_units(obj, create, extracted, **kwargs):
        if create:
            obj.co_units.set(extracted if extracted is not None else [UnitFactory()])


def admin_user(role: str, unit: Unit | None = None, **kwargs) -> User:
    """A holder of one of the 三员 roles; their scope is always 全部."""
    return user_with_role(role, unit, scope=Membership.Scope.ALL, **kwargs)
