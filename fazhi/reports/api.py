"""REST endpoints of annual reports, /api/v1/reports/: the reports a user may read, and one report
with its parts and figure sentences — each sentence with the values it was written with, today's
values where they moved, and the metric codes to trace them (/api/v1/metrics/…)."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from fazhi.org.permissions import has_role
from fazhi.reports import annual, selectors
from fazhi.reports.models import AnnualReport
from fazhi.reports.permissions import READER_ROLES

router = Router(tags=["年度报告"])


class AnnualReportOut(Schema):
    id: int
    year: int
    unit_id: int
    unit: str
    level: str
    title: str
    status: str
    due_date: date
    public_due_date: date
    submitted_at: datetime | None
    published_at: datetime | None


class SentenceOut(Schema):
    id: int
    template: str
    text: str
    paragraph: str
    metrics: list[str]
    values: dict
    stale: bool
    changes: list[dict]


class SectionOut(Schema):
    part: int
    part_heading: str
    heading: str
    paragraphs: list[str]
    sentences: list[SentenceOut]


class AnnualReportDetailOut(AnnualReportOut):
    sections: list[SectionOut]


def _out(report: AnnualReport) -> dict:
    return {
        "id": report.pk,
        "year": report.year,
        "unit_id": report.unit_id,
        "unit": report.unit.name,
        "level": report.level,
        "title": report.title,
        "status": report.status,
        "due_date": report.due_date,
        "public_due_date": report.public_due_date,
        "submitted_at": report.submitted_at,
        "published_at": report.published_at,
    }


@router.get("/annual", response=list[AnnualReportOut], summary="年度报告（仅本人可见范围）")
@paginate(LimitOffsetPagination)
def annual_list(request, year: int | None = None, status: str = ""):
    if not has_role(request.auth, *READER_ROLES):
        raise HttpError(403, "只有在岗工作人员可以查看年度报告。")
    reports = selectors.annual_reports_visible_to(request.auth).order_by("-year", "unit__path")
    if year:
        reports = reports.filter(year=year)
    if status:
        reports = reports.filter(status=status)
    return [_out(r) for r in reports[:10_000]]


@router.get("/annual/{int:report_id}", response=AnnualReportDetailOut, summary="年度报告及其数据句")
def annual_detail(request, report_id: int):
    report = get_object_or_404(selectors.annual_reports_visible_to(request.auth), pk=report_id)
    states = {s.sentence.pk: s for s in selectors.sentence_states(report)}
    sections = []
    for section in report.sections.prefetch_related("sentences"):
        sentences = list(section.sentences.all())
        if not (section.paragraphs or sentences):
            continue
        sections.append(
            {
                "part": section.part,
                "part_heading": annual.PART_HEADINGS[section.part].format(
                    year=report.year, next=report.next_year
                ),
                "heading": section.heading,
                "paragraphs": section.paragraphs,
                "sentences": [
                    {
                        "id": s.pk,
                        "template": s.template,
                        "text": s.text,
                        "paragraph": s.paragraph,
                        "metrics": s.metric_codes,
                        "values": s.snapshot,
                        "stale": bool(states[s.pk].changes),
                        "changes": states[s.pk].changes,
                    }
                    for s in sentences
                ],
            }
        )
    return {**_out(report), "sections": sections}
