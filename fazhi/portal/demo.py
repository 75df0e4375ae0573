"""The portal's part of the demo city: the account web requests are registered as, and a few
requests citizens sent from the portal."""

from fazhi.hotline.models import RequestType
from fazhi.org import services as org
from fazhi.org.models import Region, Role
from fazhi.portal import services

PORTAL_ACCOUNT = "portal"
CENTRE = "rx"

REQUESTS = [
    (RequestType.COMPLAINT, "小区门口人行道的路灯连续一周晚上不亮，老人晚上出门很不方便，希望尽快修复。"),
    (RequestType.CONSULTATION, "想咨询一下灵活就业人员怎么在网上办理城乡居民医疗保险参保缴费。"),
]


def build(city) -> None:
    """A centre operator account nobody signs in with (its password is generated and not kept)."""
    user, _password = org.user_create(actor=city.sysadmin, username=PORTAL_ACCOUNT, full_name="门户网上受理")
    org.membership_grant(
        actor=city.secadmin,
        user=user,
        unit=city.units[CENTRE],
        role=Role.OPERATOR,
        scope="all",
        post="门户网上受理（系统账号）",
    )
    community = Region.objects.filter(level=Region.Level.COMMUNITY).order_by("code").first()
    for number, (request_type, content) in enumerate(REQUESTS):
        services.submission_register(
            request_type=request_type,
            content=content,
            category=None,
            region=community,
            phone=f"1390000{number:04d}",
            address="",
        )
    city.step()
