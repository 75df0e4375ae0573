"""The annual report: created with its deadline case, prefilled from the metrics registry, stale
sentences seen and refreshed, submitted (closing the case), published; each step audited."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError

from fazhi.cases.models import Case
from fazhi.core.models import AuditEvent
from fazhi.legal.models import Outcome
from fazhi.metrics import compute, periods
from fazhi.metrics.registry import registry
from fazhi.reports import annual, selectors, services
from fazhi.reports.models import AnnualReport, FigureSentence
from tests.legal.factories import decided
from tests.reports.annual.conftest import YEAR, write_every_part

pytestmark = pytest.mark.django_db


def registry_figure(code, unit):
    period = periods.year(YEAR)
    return compute.figure(
        registry.get(code), units=compute.subtree(unit.path), start=period.start, end=period.end
    )


def test_a_department_report_has_five_parts_and_a_case_due_on_1_march(urban_report, urban):
    parts = sorted({s.part for s in urban_report.sections.all()})
    headings = [s.heading for s in urban_report.sections.filter(part=1)]

    assert parts == [1, 2, 3, 4, 5]
    assert headings[:2] == ["深入学习贯彻习近平法治思想", "依法全面履行政府职能"]
    assert urban_report.level == AnnualReport.Level.DEPARTMENT
    assert urban_report.due_date == date(2025, 3, 1)  # a Saturday: the statutory date is not moved
    assert urban_report.case.due_date == date(2025, 3, 1)
    assert urban_report.case.handling_unit == urban
    assert urban_report.case.case_type.code == "annual_report"


def test_the_government_report_is_due_when_it_must_be_public(gov_report):
    assert gov_report.level == AnnualReport.Level.GOVERNMENT
    assert gov_report.due_date == gov_report.case.due_date == date(2025, 4, 1)
    assert gov_report.title == "明湖市人民政府关于2024年度法治政府建设情况的报告"


def test_the_deadline_dates_are_a_local_setting(settings, urban_writer, urban):
    settings.FAZHI_ANNUAL_REPORT_DATES = {"department": (1, 31)}  # a 示范地区 reports by end of January

    report = services.annual_report_create(actor=urban_writer, unit=urban, year=YEAR)

    assert report.due_date == report.case.due_date == date(2025, 1, 31)


def test_the_deadline_dates_can_come_from_the_environment(settings):
    settings.FAZHI_ANNUAL_REPORT_DATES = "department=01-31,public=03-31"

    assert annual.deadline("department", YEAR) == date(2025, 1, 31)
    assert annual.deadline("government", YEAR) == date(2025, 4, 1)
    assert annual.deadline("public", YEAR) == date(2025, 3, 31)
    settings.FAZHI_ANNUAL_REPORT_DATES = "department=3月1日"
    with pytest.raises(ImproperlyConfigured, match="department=3月1日"):
        annual.deadline("department", YEAR)


def test_one_report_per_unit_and_year(urban_report, urban_writer, urban):
    with pytest.raises(ValidationError, match="2024年度的报告已经建立"):
        services.annual_report_create(actor=urban_writer, unit=urban, year=YEAR)


def test_another_units_staff_cannot_start_its_report(market_writer, urban):
    with pytest.raises(PermissionDenied):
        services.annual_report_create(actor=market_writer, unit=urban, year=YEAR)


def test_prefill_writes_the_registry_figures_as_a_sentence(fazhiban, gov_report, government):
    sentences = services.annual_report_prefill(actor=fazhiban, report=gov_report)

    sentence = next(s for s in sentences if s.template == "reconsideration")
    received = registry_figure("legal.reconsideration.received", government)
    accepted = registry_figure("legal.reconsideration.accepted", government)
    corrected = registry_figure("legal.reconsideration.direct_correction_rate", government)
    assert (received.numerator, accepted.numerator, corrected.numerator, corrected.denominator) == (
        5,
        4,
        1,
        4,
    )
    assert sentence.text == (
        "全年共收到行政复议申请5件，依法受理4件，审结4件，其中直接纠错1件，直接纠错率25.0%。"
    )
    assert sentence.section.heading_key == "disputes"
    assert sentence.snapshot["legal.reconsideration.direct_correction_rate"] == {
        "numerator": 1,
        "denominator": 4,
        "text": corrected.text,
    }
    assert "mediation" not in {s.template for s in sentences}  # no 人民调解 records: no sentence


def test_a_department_sentence_counts_its_own_subtree(urban_writer, urban_report):
    sentences = services.annual_report_prefill(actor=urban_writer, report=urban_report)

    assert [s.text for s in sentences if s.template == "reconsideration"] == [
        "全年以本单位为被申请人的行政复议申请3件，复议机关受理3件，审结3件，其中直接纠错1件，直接纠错率33.3%。"
    ]


def test_sentences_without_records_are_left_out(urban_writer, urban_report):
    sentences = services.annual_report_prefill(actor=urban_writer, report=urban_report)

    assert {s.template for s in sentences} == {"reconsideration"}


def test_a_rate_is_rounded_half_up_as_the_registry_rounds_it():
    figure = compute.Figure(registry.get("legal.reconsideration.direct_correction_rate"), 1, 8)
    snapshot = annual.snapshot_of({"legal.reconsideration.direct_correction_rate": figure})

    assert snapshot["legal.reconsideration.direct_correction_rate"]["text"] == "12.5%"
    # 1/16 = 6.25%: half up gives 6.3%, banker's rounding would give 6.2%
    assert annual.value_text(compute.Figure(registry.get("hotline.ontime_rate"), 1, 16)) == "6.3%"


def test_a_change_in_the_data_marks_the_sentence_stale_with_old_and_new(
    fazhiban, gov_report, clerk, body, urban
):
    services.annual_report_prefill(actor=fazhiban, report=gov_report)
    assert not [s for s in selectors.sentence_states(gov_report) if s.changes]

    decided(clerk, body, urban, Outcome.ANNULLED, "procedure")

    stale = [s for s in selectors.sentence_states(gov_report) if s.changes]
    assert [s.sentence.template for s in stale] == ["reconsideration"]
    moved = {c["metric"]: (c["old"]["text"], c["new"]["text"]) for c in stale[0].changes}
    assert moved == {
        "legal.reconsideration.received": ("5", "6"),
        "legal.reconsideration.accepted": ("4", "5"),
        "legal.reconsideration.direct_correction_rate": ("25.0%", "40.0%"),
    }


def test_refresh_rewrites_the_sentence_and_keeps_the_prose_around_it(
    fazhiban, gov_report, clerk, body, urban
):
    services.annual_report_prefill(actor=fazhiban, report=gov_report)
    sentence = FigureSentence.objects.get(section__report=gov_report, template="reconsideration")
    services.report_section_update(
        actor=fazhiban,
        section=sentence.section,
        narrative="",
        around={sentence.pk: ("二是发挥行政复议化解行政争议主渠道作用。", "")},
    )
    decided(clerk, body, urban, Outcome.ANNULLED, "procedure")

    services.figure_sentence_refresh(actor=fazhiban, sentence=sentence)

    sentence.refresh_from_db()
    assert sentence.paragraph.startswith("二是发挥行政复议化解行政争议主渠道作用。全年共收到行政复议申请6件")
    assert not [s for s in selectors.sentence_states(gov_report) if s.changes]
    assert AuditEvent.objects.filter(action="reports.sentence_refreshed").count() == 1


def test_submit_needs_all_five_parts(urban_writer, urban_report):
    services.annual_report_prefill(actor=urban_writer, report=urban_report)

    with pytest.raises(ValidationError, match="第二部分“存在的不足和原因”还没有内容"):
        services.annual_report_submit(actor=urban_writer, report=urban_report)


def test_submit_refuses_stale_figures(urban_writer, urban_report, clerk, body, urban):
    services.annual_report_prefill(actor=urban_writer, report=urban_report)
    write_every_part(urban_writer, urban_report)
    decided(clerk, body, urban, Outcome.UPHELD, "lawful")

    with pytest.raises(ValidationError, match="1句数据与最新统计不一致"):
        services.annual_report_submit(actor=urban_writer, report=urban_report)


def test_submit_closes_the_deadline_case_and_publish_follows(urban_writer, urban_report, fazhiban):
    services.annual_report_prefill(actor=urban_writer, report=urban_report)
    write_every_part(urban_writer, urban_report)

    services.annual_report_submit(actor=urban_writer, report=urban_report)
    services.annual_report_publish(actor=fazhiban, report=urban_report)

    urban_report.refresh_from_db()
    assert urban_report.case.status == Case.Status.CLOSED
    assert urban_report.status == AnnualReport.Status.PUBLISHED
    assert list(selectors.annual_reports_published()) == [urban_report]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "reports.annual_created",
        "reports.annual_prefilled",
        "reports.section_edited",
        "reports.annual_submitted",
        "reports.annual_published",
    } <= actions


def test_only_the_fazhiban_publishes_and_only_what_was_submitted(urban_writer, urban_report, fazhiban):
    with pytest.raises(ValidationError, match="只有已报送的报告可以公开"):
        services.annual_report_publish(actor=fazhiban, report=urban_report)
    with pytest.raises(PermissionDenied):
        services.annual_report_publish(actor=urban_writer, report=urban_report)


def test_the_fazhiban_edits_the_government_report_but_not_a_departments(fazhiban, gov_report, urban_report):
    services.annual_report_prefill(actor=fazhiban, report=gov_report)

    with pytest.raises(PermissionDenied):
        services.annual_report_prefill(actor=fazhiban, report=urban_report)


def test_a_submitted_report_is_no_longer_edited(urban_writer, urban_report):
    services.annual_report_prefill(actor=urban_writer, report=urban_report)
    write_every_part(urban_writer, urban_report)
    services.annual_report_submit(actor=urban_writer, report=urban_report)

    with pytest.raises(PermissionDenied):
        services.report_section_update(
            actor=urban_writer, section=urban_report.sections.first(), narrative="改动"
        )


def test_launch_opens_a_report_for_every_government_and_department(
    fazhiban, government, urban, market, justice
):
    made = services.annual_reports_launch(actor=fazhiban, year=YEAR)

    assert {r.unit for r in made} == {government, urban, market, justice}
    assert services.annual_reports_launch(actor=fazhiban, year=YEAR) == []


def test_the_late_list_names_units_without_a_submitted_report(
    fazhiban, urban_writer, urban_report, government, justice, market
):
    services.annual_report_prefill(actor=urban_writer, report=urban_report)
    write_every_part(urban_writer, urban_report)
    services.annual_report_submit(actor=urban_writer, report=urban_report)

    before = selectors.annual_reports_late(fazhiban, year=YEAR, today=date(2025, 2, 28))
    after = selectors.annual_reports_late(fazhiban, year=YEAR, today=date(2025, 3, 3))
    public = selectors.annual_reports_late(fazhiban, year=YEAR, today=date(2025, 4, 2))

    assert before == []
    assert {(row.unit.name, row.what) for row in after} == {
        ("明湖市司法局", "未起草"),
        ("明湖市市场监督管理局", "未起草"),
    }
    assert ("明湖市城市管理局", "未公开") in {(row.unit.name, row.what) for row in public}
    assert ("明湖市人民政府", "未起草") in {(row.unit.name, row.what) for row in public}


def test_the_sweep_warns_and_then_marks_the_report_overdue(urban_report, urban):
    from fazhi.cases.models import Notice
    from fazhi.cases.services import reminders_sweep

    reminders_sweep(today=date(2025, 2, 24))
    reminders_sweep(today=date(2025, 3, 3))

    kinds = set(Notice.objects.filter(case=urban_report.case, unit=urban).values_list("kind", flat=True))
    assert kinds == {Notice.Kind.ASSIGNED, Notice.Kind.DUE_SOON, Notice.Kind.OVERDUE}
