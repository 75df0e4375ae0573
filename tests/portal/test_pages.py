"""The portal's home, the public answers to deputies and members, the annual reports, the demo."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.hotline.models import Channel, Ticket
from fazhi.org.models import Role, Unit
from fazhi.portal import demo
from fazhi.reports.models import AnnualReport
from fazhi.suggestions import services as suggestion_services
from fazhi.suggestions.models import Body
from tests.org.factories import UnitFactory, user_with_role
from tests.portal.helpers import submit
from tests.suggestions.factories import propose, session
from tests.suggestions.test_views import answered

pytestmark = pytest.mark.django_db


def test_home_offers_the_four_services_and_a_small_staff_link(client, db):
    page = client.get(reverse("portal:home")).content.decode()
    for link in ("portal:submit", "portal:track", "portal:answers"):
        assert reverse(link) in page
    assert "工作人员登录" in page and reverse("login") in page
    # No published report yet: no section, no dead link
    assert "法治政府建设年度报告" not in page


def test_home_shows_registry_figures_for_this_year(client, community, portal_account):
    # Given one web request received today
    submit(client, community)

    page = client.get(reverse("portal:home")).content.decode()

    # Then the home page shows this year's figures under their registry names
    assert f"{timezone.localdate().year}年12345热线办理情况" in page
    assert "受理派单量" in page and "按时办结率" in page and "好评率" in page
    assert '<div class="fs-3 fw-bold">1件</div>' in page


def test_published_reports_appear_and_drafts_do_not(client, city, portal_account):
    unit = UnitFactory(name="濮阳市人民政府", region=city)
    common = {
        "unit": unit,
        "level": AnnualReport.Level.GOVERNMENT,
        "due_date": date(2026, 3, 1),
        "public_due_date": date(2026, 4, 1),
        "created_by": portal_account,
    }
    published = AnnualReport.objects.create(
        year=2025,
        title="濮阳市人民政府关于2025年度法治政府建设情况的报告",
        status=AnnualReport.Status.PUBLISHED,
        published_at=timezone.now(),
        **common,
    )
    draft = AnnualReport.objects.create(year=2026, title="2026年度报告（草稿）", **common)

    home = client.get(reverse("portal:home")).content.decode()
    listing = client.get(reverse("portal:reports")).content.decode()

    assert published.title in home and reverse("portal:report", args=[published.pk]) in home
    assert published.title in listing and draft.title not in home + listing
    assert client.get(reverse("portal:report", args=[published.pk])).status_code == 200
    assert client.get(reverse("portal:report", args=[draft.pk])).status_code == 404


def test_the_reports_list_costs_the_same_for_one_or_three(
    client, city, portal_account, django_assert_num_queries
):
    def publish(name):
        AnnualReport.objects.create(
            unit=UnitFactory(name=name, region=city),
            level=AnnualReport.Level.DEPARTMENT,
            year=2025,
            title=f"{name}2025年度法治政府建设情况报告",
            status=AnnualReport.Status.PUBLISHED,
            published_at=timezone.now(),
            due_date=date(2026, 3, 1),
            public_due_date=date(2026, 4, 1),
            created_by=portal_account,
        )

    publish("濮阳市司法局")
    with django_assert_num_queries(2):  # count, rows with their units
        client.get(reverse("portal:reports"))
    publish("濮阳市教育局")
    publish("濮阳市民政局")
    with django_assert_num_queries(2):
        assert client.get(reverse("portal:reports")).content.decode().count("年度法治政府建设情况报告") == 3


# --- 建议提案答复公开 ---------------------------------------------------------------------------------------


@pytest.fixture
def proposal(city):
    office = UnitFactory(name="濮阳市人民政府办公室", region=city)
    housing = UnitFactory(name="濮阳市住房和城乡建设局", region=city)
    dispatcher = user_with_role(Role.SUPERVISOR, office, scope="all")
    return propose(dispatcher, housing, session=session(Body.CONGRESS))


def test_answers_are_public_only_once_disclosed_and_without_contact_data(client, proposal):
    handler = user_with_role(Role.HANDLER, proposal.case.handling_unit)
    answer = answered(proposal, handler)
    assert proposal.case.title not in client.get(reverse("portal:answers")).content.decode()
    assert client.get(reverse("portal:answer", args=[answer.pk])).status_code == 404

    suggestion_services.answer_disclose(answer=answer, actor=handler)

    listing = client.get(reverse("portal:answers")).content.decode()
    detail = client.get(reverse("portal:answer", args=[answer.pk])).content.decode()
    assert proposal.case.title in listing and "已列入2024年度老旧小区改造计划" in detail
    assert "工作人员登录" in detail  # the portal's own layout
    assert "13912345678" not in detail and "13812345678" not in listing + detail


def test_the_answers_list_costs_the_same_for_one_or_five(client, city, django_assert_num_queries):
    office = UnitFactory(name="濮阳市人民政府办公室", region=city)
    housing = UnitFactory(name="濮阳市住房和城乡建设局", region=city, kind=Unit.Kind.DEPARTMENT)
    dispatcher = user_with_role(Role.SUPERVISOR, office, scope="all")
    handler = user_with_role(Role.HANDLER, housing)
    meeting = session(Body.CONGRESS)

    def disclose(number):
        answer = answered(propose(dispatcher, housing, session=meeting, number=number), handler)
        suggestion_services.answer_disclose(answer=answer, actor=handler)

    disclose("0001")
    with django_assert_num_queries(3):  # count, page, sessions
        client.get(reverse("portal:answers"))
    for number in ("0002", "0003", "0004", "0005"):
        disclose(number)
    with django_assert_num_queries(3):
        assert client.get(reverse("portal:answers")).content.decode().count("第000") == 5


def test_staff_signed_in_see_the_same_public_page(client, proposal, operator):
    client.force_login(operator)
    page = client.get(reverse("portal:answers")).content.decode()
    assert "工作人员登录" in page and "我的工作台" not in page


# --- demo ------------------------------------------------------------------------------------------------


class _City:
    """What portal.demo.build reads from the demo builder."""

    def __init__(self, sysadmin, secadmin, centre):
        self.sysadmin, self.secadmin, self.units = sysadmin, secadmin, {"rx": centre}

    def step(self, n: int = 1) -> None:
        pass


def test_the_demo_city_gets_a_portal_account_and_web_requests(community, centre, settings):
    sysadmin = user_with_role(Role.SYSTEM_ADMIN, scope="all")
    secadmin = user_with_role(Role.SECURITY_ADMIN, scope="all")
    settings.FAZHI_PORTAL_OPERATOR = demo.PORTAL_ACCOUNT

    demo.build(_City(sysadmin, secadmin, centre))

    tickets = Ticket.objects.all()
    assert tickets.count() == len(demo.REQUESTS)
    assert {t.channel for t in tickets} == {Channel.WEB} and all(t.case_id for t in tickets)
