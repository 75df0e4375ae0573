"""Annual reports (create, prefill from the metrics registry, edit, submit, publish) and report
review from uploads: the engine in `review` reads the file; each upload is audited with
the file's name, size and SM3 digest, so what was reviewed can be matched to the file later."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.cases import services as case_services
from fazhi.cases.models import CaseType
from fazhi.core import audit
from fazhi.org.models import Role, Unit, User
from fazhi.org.permissions import has_role, unit_scope
from fazhi.reports import annual
from fazhi.reports.models import AnnualReport, FigureSentence, ReportSection
from fazhi.reports.permissions import (
    can_create_annual_report,
    can_edit_annual_report,
    can_publish_annual_report,
    can_review_reports,
    can_submit_annual_report,
)
from fazhi.reports.review import Comparison, Review, UnreadableReport, compare, review_file
from fazhi.reports.selectors import CN_NUMBERS, sentence_states

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_COMPARE_FILES = 20
MAX_SECTION_CHARS = 20000


def _file_facts(name: str, data: bytes) -> dict:
    return {"file": name, "bytes": len(data), "sm3": audit.sm3_hex(data)}


def _read(*, actor: User, name: str, data: bytes, action: str) -> Review:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": f"“{name}”超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请只上传报告正文。"}
        )
    try:
        return review_file(name, data)
    except UnreadableReport as exc:
        audit.record(
            actor=actor, action=action, after=_file_facts(name, data), success=False, message=f"{name}：{exc}"
        )
        raise ValidationError({"file": f"“{name}”：{exc}"}) from exc


def report_review_upload(*, actor: User, name: str, data: bytes) -> Review:
    """Review one uploaded report (TXT, DOCX or HTML) and audit the upload."""
    if not can_review_reports(actor):
        raise PermissionDenied("只有在岗工作人员可以使用报告审查。")
    review = _read(actor=actor, name=name, data=data, action="reports.reviewed")
    audit.record(
        actor=actor,
        action="reports.reviewed",
        after={
            **_file_facts(name, data),
            "region": review.region,
            "year": review.year,
            "missing_parts": [p.name for p in review.missing_parts],
            "figures": len(review.figures),
            "problems": len([c for c in review.checks if not c.ok]),
        },
        message=f"审查报告{name}",
    )
    return review


def report_compare_upload(*, actor: User, files: list[tuple[str, bytes]]) -> tuple[Comparison, list[Review]]:
    """Review several uploaded reports and set them side by side (region × indicator)."""
    if not can_review_reports(actor):
        raise PermissionDenied("只有在岗工作人员可以使用报告审查。")
    if len(files) < 2:
        raise ValidationError({"files": "请至少选择两份报告进行对照。"})
    if len(files) > MAX_COMPARE_FILES:
        raise ValidationError({"files": f"一次最多对照{MAX_COMPARE_FILES}份报告。"})
    try:
        reviews = [
            _read(actor=actor, name=name, data=data, action="reports.compared") for name, data in files
        ]
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from exc
    audit.record(
        actor=actor,
        action="reports.compared",
        after={"files": [_file_facts(name, data) for name, data in files]},
        message=f"对照{len(files)}份报告",
    )
    return compare(reviews), reviews


# ---------------------------------------------------------------- annual reports (年度报告)

REPORTING_KINDS = (Unit.Kind.GOVERNMENT, Unit.Kind.DEPARTMENT)


def _report_facts(report: AnnualReport) -> dict:
    return {
        "year": report.year,
        "unit": report.unit.name,
        "status": report.status,
        "due_date": report.due_date.isoformat(),
    }


def _case_start(year: int, due: date, today: date) -> date:
    """The deadline case runs from the day the report is started; a report of a past year
    registered after its deadline is placed on 1 January, so it shows as late, not as new."""
    return today if today < due else min(date(year + 1, 1, 1), due - timedelta(days=1))


@transaction.atomic
def annual_report_create(*, actor: User, unit: Unit, year: int, today: date | None = None) -> AnnualReport:
    """Start a unit's report for `year`: the five parts (part one under the 纲要 headings) and a
    deadline case in the unit's inbox, due 1 March (a department) or 1 April (a government)."""
    if not can_create_annual_report(actor, unit):
        raise PermissionDenied(f"您无权为{unit.name}起草年度报告。")
    today = today or timezone.localdate()
    if not 2000 <= year <= today.year:
        raise ValidationError({"year": f"报告年度应在2000年至{today.year}年之间。"})
    if not unit.is_active:
        raise ValidationError({"unit": f"{unit.name}已{unit.get_status_display()}，不再报送年度报告。"})
    if AnnualReport.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": f"{unit.name}{year}年度的报告已经建立，请直接编辑。"})
    level = (
        AnnualReport.Level.GOVERNMENT if unit.kind == Unit.Kind.GOVERNMENT else AnnualReport.Level.DEPARTMENT
    )
    due = annual.deadline(level, year)
    report = AnnualReport.objects.create(
        year=year,
        unit=unit,
        level=level,
        title=f"{unit.name}关于{year}年度法治政府建设情况的报告",
        due_date=due,
        public_due_date=annual.deadline("public", year),
        created_by=actor,
    )
    sections = [
        ReportSection(report=report, part=1, heading_key=key, heading=title, order=order)
        for order, (key, title) in enumerate(annual.OUTLINE, start=1)
    ]
    sections += [ReportSection(report=report, part=part, order=1) for part in (2, 3, 4, 5)]
    ReportSection.objects.bulk_create(sections)
    start = _case_start(year, due, today)
    report.case = case_services.case_open(
        case_type=CaseType.objects.get(code=annual.CASE_TYPE),
        title=f"{year}年度法治政府建设情况报告",
        handling_unit=unit,
        actor=actor,
        description=f"{'向社会公开' if level == AnnualReport.Level.GOVERNMENT else '向本级政府报送'}期限{due:%Y年%m月%d日}。",
        received_at=timezone.make_aware(datetime.combine(start, time(9))),
        period=f"{(due - start).days}d",
    )
    report.save(update_fields=["case", "updated_at"])
    audit.record(actor=actor, action="reports.annual_created", target=report, after=_report_facts(report))
    return report


def annual_reports_launch(*, actor: User, year: int, today: date | None = None) -> list[AnnualReport]:
    """The 法治办 starts the year's reporting: every government and department in its reach that
    has no report for `year` gets one, each in its own transaction."""
    if not has_role(actor, Role.SUPERVISOR):
        raise PermissionDenied("只有法治督察人员可以统一部署年度报告。")
    units = (
        Unit.objects.filter(
            unit_scope(actor, {Role.SUPERVISOR}).q(), kind__in=REPORTING_KINDS, status="active"
        )
        .exclude(annual_reports__year=year)
        .order_by("path")
    )
    return [annual_report_create(actor=actor, unit=unit, year=year, today=today) for unit in units]


def _sentence_values(template, report: AnnualReport) -> dict:
    found = annual.figures_for(template.metrics.values(), scope_path=report.unit.path, year=report.year)
    return annual.snapshot_of(found)


@transaction.atomic
def annual_report_prefill(*, actor: User, report: AnnualReport) -> list[FigureSentence]:
    """Write the figure sentences from the metrics registry under their 纲要 headings; a sentence
    already there is recomputed in place, the prose around it kept."""
    if not can_edit_annual_report(actor, report):
        raise PermissionDenied("只有本单位起草人员（政府报告还有法治办）可以预填起草中的报告。")
    sections = {s.heading_key: s for s in report.sections.filter(part=1)}
    existing = {(s.section_id, s.template): s for s in FigureSentence.objects.filter(section__report=report)}
    now, written = timezone.now(), []
    for order, template in enumerate(annual.TEMPLATES, start=1):
        if report.level not in template.levels or template.heading not in sections:
            continue
        section = sections[template.heading]
        snapshot = _sentence_values(template, report)
        sentence = existing.get((section.pk, template.code))
        if annual.is_empty(template, snapshot) and sentence is None:
            continue
        text = annual.render(template, report.level, snapshot).text
        if sentence is None:
            sentence = FigureSentence(
                section=section,
                template=template.code,
                metric_codes=list(template.metrics.values()),
                scope_path=report.unit.path,
                year=report.year,
                order=order,
            )
        sentence.snapshot, sentence.text, sentence.computed_at = snapshot, text, now
        sentence.save()
        written.append(sentence)
    report.prefilled_at = now
    report.save(update_fields=["prefilled_at", "updated_at"])
    audit.record(
        actor=actor,
        action="reports.annual_prefilled",
        target=report,
        after={"sentences": {s.template: s.snapshot for s in written}},
        message=f"预填{len(written)}句数据",
    )
    return written


@transaction.atomic
def figure_sentence_refresh(*, actor: User, sentence: FigureSentence) -> FigureSentence:
    """Rewrite a stale sentence with today's figures; the old values stay in the audit trail."""
    report = sentence.section.report
    if not can_edit_annual_report(actor, report):
        raise PermissionDenied("只有本单位起草人员（政府报告还有法治办）可以刷新起草中的报告。")
    template = annual.TEMPLATES_BY_CODE.get(sentence.template)
    if template is None:
        raise ValidationError(
            {"template": f"数据句模板「{sentence.template}」已不存在，请删除该句后重新预填。"}
        )
    before = {"text": sentence.text, "snapshot": sentence.snapshot}
    sentence.snapshot = annual.snapshot_of(
        annual.figures_for(sentence.metric_codes, scope_path=sentence.scope_path, year=sentence.year)
    )
    sentence.text = annual.render(template, report.level, sentence.snapshot).text
    sentence.computed_at = timezone.now()
    sentence.save(update_fields=["snapshot", "text", "computed_at"])
    audit.record(
        actor=actor,
        action="reports.sentence_refreshed",
        target=report,
        before=before,
        after={"text": sentence.text, "snapshot": sentence.snapshot},
    )
    return sentence


@transaction.atomic
def report_section_update(
    *, actor: User, section: ReportSection, narrative: str, around: dict[int, tuple[str, str]] | None = None
) -> ReportSection:
    """Staff write a section's paragraphs and the words around its figure sentences (the
    numbers themselves are only ever written by the registry)."""
    report = section.report
    if not can_edit_annual_report(actor, report):
        raise PermissionDenied("只有本单位起草人员（政府报告还有法治办）可以编辑起草中的报告。")
    if len(narrative) > MAX_SECTION_CHARS:
        raise ValidationError({"narrative": f"“{section}”正文不超过{MAX_SECTION_CHARS}字。"})
    before = {"narrative": section.narrative}
    section.narrative = "\n".join(line.rstrip() for line in narrative.strip().splitlines())
    section.save(update_fields=["narrative"])
    for sentence in section.sentences.all():
        if around and sentence.pk in around:
            sentence.before, sentence.after = (part.strip() for part in around[sentence.pk])
            sentence.save(update_fields=["before", "after"])
    audit.record(
        actor=actor,
        action="reports.section_edited",
        target=report,
        before=before,
        after={"part": section.part, "heading": section.heading, "narrative": section.narrative},
    )
    return section


def _check_complete(report: AnnualReport) -> None:
    sections = list(report.sections.prefetch_related("sentences"))
    for part, label in ReportSection.Part.choices:
        within = [s for s in sections if s.part == part]
        if not any(s.paragraphs or s.sentences.all() for s in within):
            raise ValidationError(
                {"sections": f"第{CN_NUMBERS[part - 1]}部分“{label}”还没有内容，五个部分缺一不可。"}
            )
    stale = [state for state in sentence_states(report) if state.changes]
    if stale:
        raise ValidationError(
            {
                "sentences": f"有{len(stale)}句数据与最新统计不一致（如“{stale[0].sentence.text[:30]}…”），请刷新后再报送。"
            }
        )


@transaction.atomic
def annual_report_submit(*, actor: User, report: AnnualReport) -> AnnualReport:
    """报送: the unit sends its finished report; its deadline case is closed."""
    if not can_submit_annual_report(actor, report):
        raise PermissionDenied("只有本单位承办人员或负责人可以报送起草中的本单位报告。")
    _check_complete(report)
    before = _report_facts(report)
    report.status = AnnualReport.Status.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), actor
    report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    if report.case is not None and report.case.status != "closed":
        case_services.case_close(case=report.case, actor=actor, note=f"已报送《{report.title}》。")
    audit.record(
        actor=actor,
        action="reports.annual_submitted",
        target=report,
        before=before,
        after=_report_facts(report),
    )
    return report


@transaction.atomic
def annual_report_publish(*, actor: User, report: AnnualReport) -> AnnualReport:
    """公开: the 法治办 puts a submitted report on the portal (after its 保密审查)."""
    if not can_publish_annual_report(actor, report):
        raise PermissionDenied("只有法治督察人员可以公开年度报告。")
    if report.status != AnnualReport.Status.SUBMITTED:
        raise ValidationError({"status": f"只有已报送的报告可以公开，该报告{report.get_status_display()}。"})
    before = _report_facts(report)
    report.status = AnnualReport.Status.PUBLISHED
    report.published_at, report.published_by = timezone.now(), actor
    report.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit.record(
        actor=actor,
        action="reports.annual_published",
        target=report,
        before=before,
        after=_report_facts(report),
    )
    return report
