from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from fazhi.assessment import rules, services
from fazhi.assessment.models import (
    Appeal,
    AssessmentCycle,
    Deduction,
    IndicatorTree,
    Result,
    Score,
    ScoringRule,
    Submission,
)
from fazhi.cases import services as case_services
from fazhi.cases.models import Case
from tests.assessment.factories import cycle, evidence_leaves, late_filing, leaf, review_all
from tests.cases.factories import at, open_case

pytestmark = pytest.mark.django_db


def reviewing(supervisor, tree, units):
    c = cycle(supervisor, tree, units)
    services.cycle_advance(actor=supervisor, cycle=c)
    return services.cycle_advance(actor=supervisor, cycle=c)


def test_starter_tree_follows_the_outline_and_is_marked_a_template(supervisor):
    tree = services.tree_load_starter(actor=supervisor)
    top = list(tree.indicators.filter(level=1).order_by("order").values_list("name", flat=True))
    assert tree.is_template and "模板" in tree.name
    assert len(top) == 10
    assert top[0] == "政府职能依法全面履行"
    assert top[-1] == "法治政府建设组织领导落实到位"
    assert sum(i.max_score for i in tree.indicators.filter(level=1)) == 100
    assert services.tree_load_starter(actor=supervisor) == tree  # loading again adds nothing


def test_a_template_must_be_activated_before_a_year_is_opened(supervisor, urban):
    tree = services.tree_load_starter(actor=supervisor)
    with pytest.raises(ValidationError, match="未启用"):
        cycle(supervisor, tree, [urban])


def test_only_the_fazhiban_opens_a_year(starter, urban_handler, urban):
    with pytest.raises(PermissionDenied):
        cycle(urban_handler, starter, [urban])


def test_a_late_filing_is_deducted_and_names_its_case(supervisor, starter, urban, urban_handler, housing):
    # given a 规范性文件备案 that was due in April 2025 and closed in May
    filing = late_filing(urban, urban_handler)
    # and one filed on time
    on_time = open_case(urban, code="normative_filing", received_at=at(2025, 6, 2))
    case_services.case_close(
        case=on_time, actor=urban_handler, note="备案审查完成，予以登记。", closed_at=at(2025, 6, 20)
    )
    # when the year goes to review
    c = reviewing(supervisor, starter, [urban, housing])
    # then the late one, and only it, costs 2 points on 2.1.1, traced to its case
    filing_leaf = leaf(starter, "2.1.1")
    deductions = list(Deduction.objects.filter(cycle=c, unit=urban))
    assert [(d.case, d.points, d.indicator) for d in deductions] == [(filing, Decimal("2.00"), filing_leaf)]
    assert filing.number in deductions[0].reason
    assert Score.objects.get(cycle=c, unit=urban, indicator=filing_leaf).points == Decimal("4.00")
    assert Score.objects.get(cycle=c, unit=housing, indicator=filing_leaf).points == Decimal("6.00")


def test_deductions_stop_at_the_cap(supervisor, starter, urban, urban_handler):
    for month in (2, 3, 4, 5):
        late_filing(urban, urban_handler, received=(2025, month, 3), closed=(2025, month + 2, 20))
    c = reviewing(supervisor, starter, [urban])
    rows = Deduction.objects.filter(cycle=c, unit=urban)
    assert sum(d.points for d in rows) == Decimal("6")
    assert rows.count() == 3
    score = Score.objects.get(cycle=c, unit=urban, indicator=leaf(starter, "2.1.1"))
    assert score.points == 0
    assert score.basis == "规范性文件备案超期4件，每件扣2分，扣6分（上限6分）"


def test_an_open_case_past_its_deadline_counts_but_one_not_yet_due_does_not(supervisor, starter, urban):
    overdue = open_case(urban, code="normative_filing", received_at=at(2025, 11, 3))
    open_case(urban, code="normative_filing", received_at=at(2026, 11, 16))  # due in December 2026
    c = reviewing(supervisor, starter, [urban])
    assert list(Deduction.objects.filter(cycle=c).values_list("case", flat=True)) == [overdue.pk]


def test_metric_threshold_places_the_figure_in_its_band(supervisor, starter, urban, monkeypatch):
    from fazhi.metrics import compute

    rule = leaf(starter, "1.2.1").rule
    real = compute.figure

    def pretend(metric, **kwargs):
        figure = real(metric, **kwargs)
        return compute.Figure(metric, 92, 100) if metric.code == "hotline.ontime_rate" else figure

    monkeypatch.setattr(compute, "figure", pretend)
    outcome = rules.metric_score(rule, unit=urban, year=2025)
    assert outcome.points == Decimal("2")
    assert "92.0%" in outcome.basis and "≥90" in outcome.basis


def test_metric_without_records_keeps_full_marks(supervisor, starter, urban):
    outcome = rules.metric_score(leaf(starter, "1.2.1").rule, unit=urban, year=2025)
    assert outcome.points == Decimal("3")
    assert "无统计记录" in outcome.basis


def test_bands_read_as_people_write_them():
    bands = rules.parse_bands("≥95:3；>=90：2; 其他:0")
    assert bands == [
        {"op": ">=", "value": "95", "points": "3"},
        {"op": ">=", "value": "90", "points": "2"},
        {"op": "else", "value": "", "points": "0"},
    ]
    assert rules.format_bands(bands) == "≥95:3；≥90:2；其他:0"
    with pytest.raises(ValueError, match="应写成"):
        rules.parse_bands("95分以上3分")


def test_unit_submits_self_assessment_with_evidence(supervisor, starter, urban, urban_handler):
    c = cycle(supervisor, starter, [urban])
    services.cycle_advance(actor=supervisor, cycle=c)
    submission = Submission.objects.get(cycle=c, unit=urban)
    leaves = evidence_leaves(starter)
    with pytest.raises(ValidationError, match="须填写自评说明或上传佐证材料"):
        services.submission_submit(actor=urban_handler, submission=submission)
    services.submission_save(
        actor=urban_handler,
        submission=submission,
        entries={ind.pk: (ind.max_score, "已按要求落实，详见佐证材料。") for ind in leaves[1:]},
    )
    evidence = services.evidence_add(
        actor=urban_handler,
        submission=submission,
        indicator=leaves[0],
        upload=SimpleUploadedFile("审批时限压缩情况.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    assert len(evidence.sha256) == 64
    services.submission_submit(actor=urban_handler, submission=submission)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    with pytest.raises(ValidationError, match="已报送"):
        services.submission_save(actor=urban_handler, submission=submission, entries={})


def test_another_units_staff_cannot_fill_in_a_submission(supervisor, starter, urban, housing_handler):
    c = cycle(supervisor, starter, [urban])
    services.cycle_advance(actor=supervisor, cycle=c)
    with pytest.raises(PermissionDenied):
        services.submission_save(actor=housing_handler, submission=c.submissions.get(), entries={})


def test_reviewer_must_say_why_points_are_lost(supervisor, starter, urban):
    c = reviewing(supervisor, starter, [urban])
    ind = evidence_leaves(starter)[0]
    with pytest.raises(ValidationError, match="写明理由"):
        services.score_review(
            actor=supervisor, cycle=c, unit=urban, indicator=ind, points=Decimal("1"), comment=""
        )
    with pytest.raises(ValidationError, match="须在0至"):
        services.score_review(
            actor=supervisor, cycle=c, unit=urban, indicator=ind, points=Decimal("99"), comment="太多了吧"
        )
    score = services.score_review(
        actor=supervisor,
        cycle=c,
        unit=urban,
        indicator=ind,
        points=Decimal("2.5"),
        comment="时限压缩材料不全。",
    )
    assert score.source == Score.Source.REVIEWER and score.reviewer == supervisor


def test_a_deduction_may_be_appealed_once(supervisor, starter, urban, urban_handler):
    late_filing(urban, urban_handler)
    c = reviewing(supervisor, starter, [urban])
    deduction = Deduction.objects.get(cycle=c)
    appeal = services.appeal_submit(
        actor=urban_handler, deduction=deduction, reasons="该文件已于期限内以纸质方式报送，系统补录日期有误。"
    )
    with pytest.raises(ValidationError, match="只能申诉一次"):
        services.appeal_submit(
            actor=urban_handler, deduction=deduction, reasons="再次申诉，请重新核查报送日期。"
        )
    services.appeal_decide(actor=supervisor, appeal=appeal, accept=True, reason="经核纸质签收单，按时报送。")
    deduction.refresh_from_db()
    assert deduction.status == Deduction.Status.WITHDRAWN
    assert Score.objects.get(cycle=c, unit=urban, indicator=deduction.indicator).points == Decimal("6.00")
    with pytest.raises(ValidationError, match="已处理"):
        services.appeal_decide(actor=supervisor, appeal=appeal, accept=False, reason="改变主意了。。")


def test_a_rejected_appeal_keeps_the_points_off(supervisor, starter, urban, urban_handler):
    late_filing(urban, urban_handler)
    c = reviewing(supervisor, starter, [urban])
    deduction = Deduction.objects.get(cycle=c)
    appeal = services.appeal_submit(
        actor=urban_handler, deduction=deduction, reasons="文件内容简单，晚报几天影响不大。"
    )
    services.appeal_decide(
        actor=supervisor, appeal=appeal, accept=False, reason="超过规定的备案期限，理由不成立。"
    )
    assert Appeal.objects.get().decision == Appeal.Decision.REJECTED
    assert Score.objects.get(cycle=c, unit=urban, indicator=deduction.indicator).points == Decimal("4.00")


def test_publish_needs_every_leaf_scored_and_no_appeal_pending(supervisor, starter, urban, urban_handler):
    late_filing(urban, urban_handler)
    c = reviewing(supervisor, starter, [urban])
    with pytest.raises(ValidationError, match="未评分"):
        services.cycle_publish(actor=supervisor, cycle=c)
    review_all(supervisor, c)
    services.appeal_submit(
        actor=urban_handler, deduction=Deduction.objects.get(), reasons="已在期限内报送，请核查纸质签收。"
    )
    with pytest.raises(ValidationError, match="申诉未处理"):
        services.cycle_publish(actor=supervisor, cycle=c)


def test_publish_ranks_units_by_total(supervisor, starter, urban, urban_handler, housing, justice):
    late_filing(urban, urban_handler)
    c = reviewing(supervisor, starter, [urban, housing, justice])
    first = evidence_leaves(starter)[0]
    review_all(supervisor, c, {(justice.pk, first.code): first.max_score - 2})
    services.cycle_publish(actor=supervisor, cycle=c, bulletin_number="明法治办〔2026〕3号")
    c.refresh_from_db()
    assert c.status == AssessmentCycle.Status.PUBLISHED
    ranking = [(r.unit, r.total, r.lost, r.rank) for r in Result.objects.filter(cycle=c)]
    assert ranking == [
        (housing, Decimal("100.00"), Decimal("0.00"), 1),
        (justice, Decimal("98.00"), Decimal("2.00"), 2),  # equal totals share the place, in unit order
        (urban, Decimal("98.00"), Decimal("2.00"), 2),
    ]


def test_ranking_shares_places_on_equal_totals():
    assert services.ranking({1: Decimal(90), 2: Decimal(95), 3: Decimal(90), 4: Decimal(80)}) == {
        2: 1,
        1: 2,
        3: 2,
        4: 4,
    }


def test_a_lost_point_becomes_a_rectification_case_tracked_to_closure(
    supervisor, starter, urban, urban_handler
):
    late_filing(urban, urban_handler)
    c = reviewing(supervisor, starter, [urban])
    review_all(supervisor, c)
    deduction = Deduction.objects.get()
    with pytest.raises(ValidationError, match="公布后"):
        services.rectification_open(
            actor=supervisor, cycle=c, unit=urban, indicator=deduction.indicator, deduction=deduction
        )
    services.cycle_publish(actor=supervisor, cycle=c)
    rectification = services.rectification_open(
        actor=supervisor, cycle=c, unit=urban, indicator=deduction.indicator, deduction=deduction
    )
    case = rectification.case
    assert case.case_type.code == "rectification"
    assert case.handling_unit == urban
    assert case.due_date > date(2026, 11, 22)
    assert deduction.case.number in case.description
    assert rectification.lost_points == Decimal("2.00")
    with pytest.raises(ValidationError, match="已交办整改"):
        services.rectification_open(
            actor=supervisor, cycle=c, unit=urban, indicator=deduction.indicator, deduction=deduction
        )
    case_services.case_close(
        case=case, actor=urban_handler, note="已建立规范性文件报备台账，明确专人按期报送。"
    )
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED


def test_a_reviewer_loss_becomes_a_rectification_too(supervisor, starter, urban):
    c = reviewing(supervisor, starter, [urban])
    first = evidence_leaves(starter)[0]
    review_all(supervisor, c, {(urban.pk, first.code): Decimal("1")})
    services.cycle_publish(actor=supervisor, cycle=c)
    rectification = services.rectification_open(actor=supervisor, cycle=c, unit=urban, indicator=first)
    assert rectification.lost_points == first.max_score - 1
    assert "缺少培训签到表" in rectification.case.description
    with pytest.raises(ValidationError, match="没有失分"):
        services.rectification_open(
            actor=supervisor, cycle=c, unit=urban, indicator=evidence_leaves(starter)[1]
        )


def test_a_draft_copy_can_be_edited_while_the_active_version_cannot(supervisor, starter):
    target = leaf(starter, "2.1.1")
    with pytest.raises(ValidationError, match="草稿"):
        services.indicator_update(
            actor=supervisor, indicator=target, name=target.name, requirement="", max_score=Decimal(8)
        )
    copy = services.tree_copy(actor=supervisor, tree=starter, version="明湖2026")
    assert copy.status == IndicatorTree.Status.DRAFT
    edited = services.indicator_update(
        actor=supervisor,
        indicator=leaf(copy, "2.1.1"),
        name="规范性文件报备及时",
        requirement="按时报备。",
        max_score=Decimal(8),
        rule={
            "kind": ScoringRule.Kind.EVENTS,
            "source": "case_late",
            "case_type_code": "normative_filing",
            "points_per_record": 4,
            "cap": 8,
        },
    )
    assert edited.parent.max_score == Decimal("12.00")
    assert edited.parent.parent.max_score == Decimal("12.00")
    assert leaf(starter, "2.1.1").max_score == Decimal("6.00")


def test_command_loads_the_template_once(supervisor):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("assessment_starter", "--as", supervisor.username, stdout=out)
    call_command("assessment_starter", "--as", supervisor.username, stdout=out)
    assert IndicatorTree.objects.count() == 1
    assert "模板" in out.getvalue() and "草稿" in out.getvalue()


def test_evidence_must_be_a_document_or_picture(supervisor, starter, urban, urban_handler):
    c = cycle(supervisor, starter, [urban])
    services.cycle_advance(actor=supervisor, cycle=c)
    with pytest.raises(ValidationError, match="格式不能作为佐证材料"):
        services.evidence_add(
            actor=urban_handler,
            submission=c.submissions.get(),
            indicator=evidence_leaves(starter)[0],
            upload=SimpleUploadedFile("run.exe", b"MZ"),
        )


def test_a_lower_is_better_figure_uses_upper_bands(supervisor, starter, urban, monkeypatch):
    from fazhi.metrics import compute

    real = compute.figure

    def pretend(metric, **kwargs):
        return (
            compute.Figure(metric, 3, 40)
            if metric.code.endswith("correction_rate")
            else real(metric, **kwargs)
        )

    monkeypatch.setattr(compute, "figure", pretend)
    outcome = rules.metric_score(leaf(starter, "6.1.1").rule, unit=urban, year=2025)
    assert outcome.points == Decimal("2")  # 7.5% is over 5 but within 10
    assert outcome.basis == "纠错率7.5%（≤10档）"


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=30))
def test_rank_is_one_plus_the_units_strictly_ahead(totals):
    ranks = services.ranking({i: Decimal(t) for i, t in enumerate(totals)})
    for i, total in enumerate(totals):
        assert ranks[i] == 1 + sum(1 for other in totals if other > total)
