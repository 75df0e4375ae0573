"""Annual report pages: the four permission cases for each, the editor's stale marks and links to
the metric records, the late list, and the public pages that show only published reports."""

import pytest
from django.urls import reverse

from fazhi.legal.models import Outcome
from fazhi.org.models import Role
from fazhi.reports import services
from fazhi.reports.models import AnnualReport, FigureSentence
from tests.legal.factories import decided
from tests.org.factories import UnitFactory, UserFactory, user_with_role
from tests.reports.annual.conftest import YEAR, write_every_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def prefilled(urban_writer, urban_report):
    services.annual_report_prefill(actor=urban_writer, report=urban_report)
    return urban_report


@pytest.fixture
def sentence(prefilled):
    return FigureSentence.objects.get(section__report=prefilled)


@pytest.fixture
def stranger(market):
    """Staff of another department: 市市场监管局's handler reads only its own report."""
    return user_with_role(Role.HANDLER, market)


def pages(report, sentence=None):
    """(method, url) of every staff page about one report."""
    section = report.sections.get(part=2)
    found = [
        ("get", reverse("reports:annual_detail", args=[report.pk])),
        ("get", reverse("reports:annual_docx", args=[report.pk])),
        ("get", reverse("reports:annual_html", args=[report.pk])),
        ("post", reverse("reports:annual_section", args=[report.pk, section.pk])),
        ("post", reverse("reports:annual_action", args=[report.pk, "prefill"])),
        ("post", reverse("reports:annual_action", args=[report.pk, "submit"])),
        ("post", reverse("reports:annual_action", args=[report.pk, "publish"])),
    ]
    if sentence is not None:
        found.append(("post", reverse("reports:sentence_refresh", args=[report.pk, sentence.pk])))
    return found


def test_anonymous_is_sent_to_login(client, prefilled, sentence):
    urls = [*pages(prefilled, sentence)]
    urls += [("get", reverse("reports:annual_list")), ("get", reverse("reports:annual_late"))]
    urls += [("post", reverse("reports:annual_create")), ("post", reverse("reports:annual_launch"))]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_an_account_without_a_working_role_is_refused(client, prefilled):
    client.force_login(UserFactory())

    assert client.get(reverse("reports:annual_list")).status_code == 403
    assert client.get(reverse("reports:annual_late")).status_code == 403
    assert client.get(reverse("reports:annual_detail", args=[prefilled.pk])).status_code == 404


def test_another_units_staff_cannot_open_or_change_the_report(client, stranger, prefilled, sentence):
    client.force_login(stranger)

    for method, url in pages(prefilled, sentence):
        assert getattr(client, method)(url).status_code == 404, url
    assert (
        client.post(reverse("reports:annual_create"), {"unit": prefilled.unit_id, "year": 2023}).status_code
        == 403
    )
    assert not AnnualReport.objects.filter(year=2023).exists()


def test_the_units_staff_read_the_report_with_links_to_the_records(client, urban_writer, prefilled, sentence):
    client.force_login(urban_writer)

    page = client.get(reverse("reports:annual_detail", args=[prefilled.pk])).content.decode()

    records = reverse("metrics:records", args=["legal.reconsideration.direct_correction_rate"])
    assert (
        f'href="{records}?period=2024-01-01~2024-12-31&amp;unit={prefilled.unit_id}&amp;subtree=1&amp;part=denominator"'
        in page
    )
    assert "五、其他需要报告的情况" in page
    assert "与最新统计不一致" not in page


def test_the_editor_marks_a_stale_sentence_and_refreshes_it(
    client, urban_writer, prefilled, sentence, clerk, body, urban
):
    decided(clerk, body, urban, Outcome.ANNULLED, "procedure")
    client.force_login(urban_writer)
    url = reverse("reports:annual_detail", args=[prefilled.pk])

    page = client.get(url).content.decode()
    assert "有1句数据与最新统计不一致" in page
    assert "直接纠错率：原为33.3%（1/3），现为50.0%（2/4）" in page

    client.post(reverse("reports:sentence_refresh", args=[prefilled.pk, sentence.pk]))

    assert "与最新统计不一致" not in client.get(url).content.decode()
    sentence.refresh_from_db()
    assert "直接纠错率50.0%" in sentence.text


def test_staff_write_a_section_and_submit(client, urban_writer, prefilled):
    client.force_login(urban_writer)
    for section in prefilled.sections.filter(part__gt=1):
        client.post(
            reverse("reports:annual_section", args=[prefilled.pk, section.pk]),
            {"narrative": "本部分由市城管局法制科撰写，内容经局长办公会审定。"},
        )

    client.post(reverse("reports:annual_action", args=[prefilled.pk, "submit"]))

    prefilled.refresh_from_db()
    assert prefilled.status == AnnualReport.Status.SUBMITTED


def test_the_docx_downloads_with_the_reports_name(client, urban_writer, prefilled):
    client.force_login(urban_writer)

    response = client.get(reverse("reports:annual_docx", args=[prefilled.pk]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_a_department_cannot_publish(client, urban_writer, prefilled):
    write_every_part(urban_writer, prefilled)
    services.annual_report_submit(actor=urban_writer, report=prefilled)
    client.force_login(urban_writer)

    assert client.post(reverse("reports:annual_action", args=[prefilled.pk, "publish"])).status_code == 403


def test_publish_puts_the_report_on_the_public_pages(client, urban_writer, prefilled, fazhiban):
    write_every_part(urban_writer, prefilled)
    services.annual_report_submit(actor=urban_writer, report=prefilled)
    public = reverse("reports:public_detail", args=[prefilled.pk])
    assert client.get(public).status_code == 404
    assert prefilled.title not in client.get(reverse("reports:public_list")).content.decode()

    client.force_login(fazhiban)
    client.post(reverse("reports:annual_action", args=[prefilled.pk, "publish"]))
    client.logout()

    assert prefilled.title in client.get(reverse("reports:public_list")).content.decode()
    page = client.get(public).content.decode()
    assert "全年以本单位为被申请人的行政复议申请3件" in page
    assert "/metrics/" not in page  # the public page does not link into the staff system


def test_the_public_pages_hide_drafts_from_everyone(client, prefilled, urban_writer):
    client.force_login(urban_writer)
    assert client.get(reverse("reports:public_detail", args=[prefilled.pk])).status_code == 404


def test_the_list_costs_the_same_whatever_the_number_of_reports(
    client, fazhiban, django_assert_num_queries, city
):
    for _n in range(3):
        services.annual_report_create(actor=fazhiban, unit=UnitFactory(region=city), year=YEAR)
    client.force_login(fazhiban)
    client.get(reverse("reports:annual_list"))  # the memberships and the session are read once

    with django_assert_num_queries(6):
        client.get(reverse("reports:annual_list"))
    for _n in range(5):
        services.annual_report_create(actor=fazhiban, unit=UnitFactory(region=city), year=YEAR)
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:annual_list"))
    assert response.content.decode().count("年度法治政府建设情况的报告</a>") == 8


def test_the_fazhiban_launches_the_year_and_sees_who_is_late(
    client, fazhiban, urban_report, government, justice, market
):
    client.force_login(fazhiban)

    page = client.get(reverse("reports:annual_late") + f"?year={YEAR}").content.decode()

    assert "明湖市市场监督管理局" in page and "未起草" in page
    assert "明湖市城市管理局" in page and "未报送" in page  # today is after 1 March 2025
    client.post(reverse("reports:annual_launch"), {"year": YEAR})
    assert AnnualReport.objects.filter(year=YEAR).count() == 4


def test_a_department_handler_does_not_see_the_late_list_or_launch(client, urban_writer):
    client.force_login(urban_writer)

    assert client.get(reverse("reports:annual_late")).status_code == 403
    assert client.post(reverse("reports:annual_launch"), {"year": YEAR}).status_code == 403
    assert not AnnualReport.objects.exists()


def test_a_leader_sees_the_late_list(client, city, government):
    leader = user_with_role(Role.LEADER, government, scope="all")
    client.force_login(leader)

    assert client.get(reverse("reports:annual_late") + "?year=2024").status_code == 200


def test_the_late_list_costs_the_same_whatever_the_number_of_units(
    client, fazhiban, django_assert_num_queries, city, government
):
    client.force_login(fazhiban)
    url = reverse("reports:annual_late") + f"?year={YEAR}"
    client.get(url)
    with django_assert_num_queries(5):
        client.get(url)
    for _n in range(6):
        services.annual_report_create(
            actor=fazhiban, unit=UnitFactory(region=city, parent=government), year=YEAR
        )
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count("未报送") == 6


def test_the_public_list_costs_the_same_whatever_the_number_of_reports(
    client, django_assert_num_queries, fazhiban, city
):
    for _n in range(4):
        writer = user_with_role(Role.HANDLER, UnitFactory(region=city))
        report = services.annual_report_create(actor=writer, unit=writer.memberships.get().unit, year=YEAR)
        services.annual_report_prefill(actor=writer, report=report)
        write_every_part(writer, report)
        services.annual_report_submit(actor=writer, report=report)
        services.annual_report_publish(actor=fazhiban, report=report)

    with django_assert_num_queries(1):
        response = client.get(reverse("reports:public_list"))
    assert response.content.decode().count("年度法治政府建设情况的报告</a>") == 4


def test_the_fazhiban_is_told_who_submits_the_government_report(client, fazhiban, gov_report):
    client.force_login(fazhiban)

    page = client.get(reverse("reports:annual_detail", args=[gov_report.pk])).content.decode()

    assert "本报告由明湖市人民政府的承办人员或负责人审定后报送" in page
    assert reverse("reports:annual_action", args=[gov_report.pk, "submit"]) not in page
