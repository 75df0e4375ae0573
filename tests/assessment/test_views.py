from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.assessment import services
from fazhi.assessment.models import (
    Appeal,
    AssessmentCycle,
    Deduction,
    Evidence,
    IndicatorTree,
    Rectification,
    Submission,
)
from fazhi.org.models import Role
from tests.assessment.factories import cycle, evidence_leaves, late_filing, review_all
from tests.org.factories import PASSWORD, UnitFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def outsider(db):
    """A 12345 operator: a casework role, but no part in the assessment."""
    return user_with_role(Role.OPERATOR, UnitFactory(name="12345热线中心"))


@pytest.fixture
def reviewing(supervisor, starter, urban, urban_handler, housing):
    late_filing(urban, urban_handler)
    c = cycle(supervisor, starter, [urban, housing])
    services.cycle_advance(actor=supervisor, cycle=c)
    return services.cycle_advance(actor=supervisor, cycle=c)


@pytest.fixture
def published(supervisor, reviewing):
    review_all(supervisor, reviewing)
    return services.cycle_publish(actor=supervisor, cycle=reviewing)


# --- supervisor pages: anonymous, no permission, permission ----------------------------------------------


@pytest.mark.parametrize("name", ["assessment:cycle_new", "assessment:tree_import"])
def test_supervisor_pages(client, name, supervisor, urban_handler):
    url = reverse(name)
    assert client.get(url).status_code == 302
    assert login(client, urban_handler).get(url).status_code == 403
    assert login(client, supervisor).get(url).status_code == 200


def test_trees_are_read_by_staff_and_kept_by_the_fazhiban(
    client, supervisor, starter, urban_handler, outsider
):
    detail = reverse("assessment:tree_detail", args=[starter.pk])
    assert client.get(detail).status_code == 302
    page = login(client, urban_handler).get(detail)
    assert page.status_code == 200 and "政府职能依法全面履行" in page.content.decode()
    assert "启用" not in page.content.decode().split('id="outline"')[0].split("导出 XLSX")[1]
    assert (
        login(client, urban_handler)
        .post(reverse("assessment:tree_action", args=[starter.pk, "retired"]))
        .status_code
        == 403
    )
    response = login(client, supervisor).post(reverse("assessment:tree_action", args=[starter.pk, "retired"]))
    assert response.status_code == 302
    assert IndicatorTree.objects.get(pk=starter.pk).status == IndicatorTree.Status.RETIRED


def test_tree_export_downloads_a_workbook(client, supervisor, starter):
    response = login(client, supervisor).get(reverse("assessment:tree_export", args=[starter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_fazhiban_loads_the_starter_and_edits_a_draft(client, supervisor, urban_handler):
    assert login(client, urban_handler).post(reverse("assessment:tree_starter")).status_code == 403
    response = login(client, supervisor).post(reverse("assessment:tree_starter"), follow=True)
    assert "模板" in response.content.decode()
    tree = IndicatorTree.objects.get()
    leaf = tree.indicators.get(code="1.2.1")
    edit = reverse("assessment:indicator_edit", args=[leaf.pk])
    assert login(client, urban_handler).get(edit).status_code == 403
    response = login(client, supervisor).post(
        edit,
        {
            "name": "热线按时办结",
            "requirement": "按时办结率不低于98%。",
            "max_score": "3",
            "bands": "≥98:3；其他:0",
        },
    )
    assert response.status_code == 302
    leaf.refresh_from_db()
    assert leaf.name == "热线按时办结" and leaf.rule.bands[0]["value"] == "98"


def test_supervisor_opens_a_year_through_the_form(client, supervisor, starter, urban, housing):
    response = login(client, supervisor).post(
        reverse("assessment:cycle_new"),
        {
            "tree": starter.pk,
            "year": 2025,
            "units": [urban.pk, housing.pk],
            "submit_due": "2026-11-30",
            "appeal_due": "2026-12-15",
        },
    )
    c = AssessmentCycle.objects.get()
    assert response.status_code == 302 and response["Location"] == c.get_absolute_url()
    assert c.submissions.count() == 2


def test_cycle_actions_belong_to_the_fazhiban(client, supervisor, starter, urban, urban_handler):
    c = cycle(supervisor, starter, [urban])
    url = reverse("assessment:cycle_action", args=[c.pk, "advance"])
    assert client.post(url).status_code == 302 and AssessmentCycle.objects.get().status == "open"
    assert login(client, urban_handler).post(url).status_code == 403
    login(client, supervisor).post(url)
    assert AssessmentCycle.objects.get().status == AssessmentCycle.Status.SUBMITTING


# --- unit pages: anonymous, no permission, own unit, another unit -----------------------------------------


def test_unit_page_four_cases(client, reviewing, urban, urban_handler, housing_handler, outsider, supervisor):
    url = reverse("assessment:submission", args=[reviewing.pk, urban.pk])
    assert client.get(url).status_code == 302
    assert login(client, outsider).get(url).status_code == 404
    assert login(client, housing_handler).get(url).status_code == 404
    page = login(client, urban_handler).get(url)
    assert page.status_code == 200
    deduction = Deduction.objects.get()
    assert deduction.case.number in page.content.decode()
    assert deduction.case.get_absolute_url() in page.content.decode()  # drill-down to the record
    assert login(client, supervisor).get(url).status_code == 200


def test_unit_staff_fill_in_and_submit(client, supervisor, starter, urban, urban_handler, housing_handler):
    c = cycle(supervisor, starter, [urban])
    services.cycle_advance(actor=supervisor, cycle=c)
    leaves = evidence_leaves(starter)
    save = reverse("assessment:submission_action", args=[c.pk, urban.pk, "save"])
    data = {f"statement-{leaf.pk}": "已按要求落实，材料齐全。" for leaf in leaves}
    data[f"score-{leaves[0].pk}"] = "3"
    assert client.post(save, data).status_code == 302 and not Submission.objects.get().entries.exists()
    assert login(client, housing_handler).post(save, data).status_code == 404
    login(client, urban_handler).post(save, data)
    assert Submission.objects.get().entries.count() == len(leaves)
    upload = SimpleUploadedFile("培训签到表.pdf", b"%PDF-1.4 sign-in", content_type="application/pdf")
    client.post(
        reverse("assessment:submission_action", args=[c.pk, urban.pk, "evidence"]),
        {"indicator": leaves[0].pk, "file": upload},
    )
    client.post(reverse("assessment:submission_action", args=[c.pk, urban.pk, "submit"]))
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    evidence = Evidence.objects.get()
    download = reverse("assessment:evidence", args=[evidence.pk])
    assert login(client, housing_handler).get(download).status_code == 403
    response = login(client, supervisor).get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 sign-in"


def test_reviewer_scores_through_the_unit_page(client, reviewing, supervisor, urban, urban_handler):
    leaf = evidence_leaves(reviewing.tree)[0]
    url = reverse("assessment:submission_action", args=[reviewing.pk, urban.pk, "score"])
    login(client, urban_handler).post(url, {"indicator": leaf.pk, "points": "4", "comment": ""})
    assert not reviewing.scores.filter(indicator=leaf).exists()
    login(client, supervisor).post(
        url, {"indicator": leaf.pk, "points": "2", "comment": "审批时限压缩材料缺失。"}
    )
    assert reviewing.scores.get(indicator=leaf, unit=urban).points == Decimal("2.00")


def test_appeal_four_cases(client, reviewing, urban_handler, housing_handler, outsider, supervisor):
    deduction = Deduction.objects.get()
    url = reverse("assessment:appeal_new", args=[deduction.pk])
    assert client.get(url).status_code == 302
    assert login(client, outsider).get(url).status_code == 403
    assert (
        login(client, housing_handler).post(url, {"reasons": "这不是我们单位的扣分，但想试试。"}).status_code
        == 403
    )
    response = login(client, urban_handler).post(
        url, {"reasons": "该文件已于期限内以纸质方式报送，附签收单。"}
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    decide = reverse("assessment:appeal_decide", args=[appeal.pk])
    login(client, urban_handler).post(decide, {"decision": "accept", "reason": "自己批准自己。"})
    assert Appeal.objects.get().decision == Appeal.Decision.PENDING
    page = login(client, supervisor).get(reviewing.get_absolute_url())
    assert appeal.reasons in page.content.decode()
    login(client, supervisor).post(decide, {"decision": "accept", "reason": "经核纸质签收单，按时报送。"})
    assert Deduction.objects.get().status == Deduction.Status.WITHDRAWN


def test_results_and_bulletin_four_cases(client, published, urban, urban_handler, outsider, supervisor):
    results = reverse("assessment:results", args=[published.pk])
    docx = reverse("assessment:bulletin", args=[published.pk])
    assert client.get(results).status_code == 302
    assert login(client, outsider).get(results).status_code == 404
    assert login(client, outsider).get(docx).status_code == 404
    page = login(client, urban_handler).get(results)
    assert page.status_code == 200
    deduction = Deduction.objects.get()
    assert deduction.case.get_absolute_url() in page.content.decode()
    response = login(client, urban_handler).get(docx)
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert login(client, supervisor).get(results).status_code == 200


def test_a_unit_sees_the_ranking_but_only_its_own_deductions(client, published, housing_handler):
    page = (
        login(client, housing_handler)
        .get(reverse("assessment:results", args=[published.pk]))
        .content.decode()
    )
    assert 'id="ranking"' in page
    assert Deduction.objects.get().case.number not in page


def test_rectification_from_the_unit_page(client, published, supervisor, urban, urban_handler):
    deduction = Deduction.objects.get()
    url = reverse("assessment:cycle_action", args=[published.pk, "rectify"])
    data = {"unit": urban.pk, "indicator": deduction.indicator_id, "deduction": deduction.pk}
    assert login(client, urban_handler).post(url, data).status_code == 403
    login(client, supervisor).post(url, data)
    rectification = Rectification.objects.get()
    page = login(client, urban_handler).get(reverse("assessment:submission", args=[published.pk, urban.pk]))
    assert rectification.case.number in page.content.decode()


# --- query counts ----------------------------------------------------------------------------------------


def test_cycle_page_queries_do_not_grow_with_units(client, supervisor, starter, django_assert_num_queries):
    units = [UnitFactory() for _ in range(6)]
    c = cycle(supervisor, starter, units[:2])
    big = cycle(supervisor, starter, units, name="扩大范围考核")
    login(client, supervisor)
    client.get(c.get_absolute_url())  # warm the session and memberships
    with django_assert_num_queries(QUERIES_CYCLE_PAGE):
        client.get(c.get_absolute_url())
    with django_assert_num_queries(QUERIES_CYCLE_PAGE):
        client.get(big.get_absolute_url())


def test_unit_page_queries_do_not_grow_with_deductions(
    client, supervisor, starter, urban, urban_handler, django_assert_num_queries
):
    late_filing(urban, urban_handler)
    late_filing(urban, urban_handler, received=(2025, 6, 2), closed=(2025, 9, 1))
    c = cycle(supervisor, starter, [urban])
    services.cycle_advance(actor=supervisor, cycle=c)
    services.cycle_advance(actor=supervisor, cycle=c)
    assert Deduction.objects.count() == 2
    login(client, urban_handler)
    with django_assert_num_queries(QUERIES_UNIT_PAGE):
        client.get(reverse("assessment:submission", args=[c.pk, urban.pk]))


QUERIES_CYCLE_PAGE = 9
QUERIES_UNIT_PAGE = 16


def test_home_and_tree_list_four_cases(
    client, supervisor, starter, urban, urban_handler, housing_handler, outsider
):
    c = cycle(supervisor, starter, [urban])
    home, trees = reverse("assessment:home"), reverse("assessment:tree_list")
    assert client.get(home).status_code == 302
    no_role = UserFactory()
    assert login(client, no_role).get(home).status_code == 403
    assert login(client, no_role).get(trees).status_code == 403
    page = login(client, urban_handler).get(home).content.decode()
    assert c.name in page and "开启年度考核" not in page
    assert c.name not in login(client, housing_handler).get(home).content.decode()  # not in its scope
    assert c.name not in login(client, outsider).get(home).content.decode()
    page = login(client, supervisor).get(trees).content.decode()
    assert starter.name in page and "载入示范模板" in page


def test_tree_import_through_the_page(client, supervisor, starter):
    from fazhi.assessment import xlsx

    content = xlsx.export_tree(starter)
    upload = SimpleUploadedFile("指标.xlsx", content)
    response = login(client, supervisor).post(
        reverse("assessment:tree_import"), {"name": "明湖市指标", "version": "2026", "file": upload}
    )
    tree = IndicatorTree.objects.get(name="明湖市指标")
    assert response.status_code == 302 and response["Location"] == tree.get_absolute_url()
    bad = SimpleUploadedFile("指标.xlsx", content)
    response = client.post(
        reverse("assessment:tree_import"), {"name": "明湖市指标", "version": "2026", "file": bad}
    )
    assert response.status_code == 422
    assert "已有版本" in response.content.decode()


def test_indicator_editor_shows_the_rule(client, supervisor):
    tree = services.tree_load_starter(actor=supervisor)
    leaf = tree.indicators.get(code="1.2.1")
    page = (
        login(client, supervisor).get(reverse("assessment:indicator_edit", args=[leaf.pk])).content.decode()
    )
    assert "≥95:3；≥90:2；≥80:1；其他:0" in page
    page = client.get(tree.get_absolute_url()).content.decode()
    assert reverse("assessment:indicator_edit", args=[leaf.pk]) in page


def test_cycle_page_tracks_rectification_to_closure(client, published, supervisor, urban, urban_handler):
    from fazhi.cases import services as case_services

    deduction = Deduction.objects.get()
    rectification = services.rectification_open(
        actor=supervisor, cycle=published, unit=urban, indicator=deduction.indicator, deduction=deduction
    )
    page = login(client, supervisor).get(published.get_absolute_url()).content.decode()
    assert rectification.case.number in page and "办理中" in page.split('id="rectifications"')[1]
    case_services.case_close(case=rectification.case, actor=urban_handler, note="已建立报备台账并专人负责。")
    page = client.get(published.get_absolute_url()).content.decode()
    assert "销号" in page.split('id="rectifications"')[1]


@pytest.mark.parametrize("months", [(2,), (2, 5, 8)])
def test_results_page_queries_do_not_grow_with_deductions(
    months, client, supervisor, starter, urban, urban_handler, housing, django_assert_num_queries
):
    for month in months:
        late_filing(urban, urban_handler, received=(2025, month, 3), closed=(2025, month + 2, 20))
    c = cycle(supervisor, starter, [urban, housing])
    services.cycle_advance(actor=supervisor, cycle=c)
    services.cycle_advance(actor=supervisor, cycle=c)
    review_all(supervisor, c)
    services.cycle_publish(actor=supervisor, cycle=c)
    assert Deduction.objects.count() == len(months)
    login(client, supervisor)
    with django_assert_num_queries(QUERIES_RESULTS_PAGE):
        page = client.get(reverse("assessment:results", args=[c.pk]))
    assert all(d.case.number in page.content.decode() for d in Deduction.objects.select_related("case"))


QUERIES_RESULTS_PAGE = 11
