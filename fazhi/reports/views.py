"""Annual report pages (list, editor, exports, late list, public pages) and report review pages
(upload one report and read its review, or several and compare them)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from fazhi.org.models import Role, Unit
from fazhi.org.permissions import has_role, units_visible_to
from fazhi.reports import annual, export, forms, permissions, selectors, services
from fazhi.reports.models import AnnualReport, FigureSentence, ReportSection
from fazhi.reports.permissions import can_review_reports
from fazhi.reports.selectors import CN_NUMBERS


def _require_staff(user) -> None:
    if not can_review_reports(user):
        raise PermissionDenied("只有在岗工作人员可以使用报告审查。")


def _bound(request):
    """A POST binds the form even when it carries only files (or nothing, to show what is missing)."""
    return request.POST if request.method == "POST" else None


def _add_errors(form, exc: ValidationError, field: str) -> None:
    for message in exc.messages:
        form.add_error(field, message)


@login_required
def review(request):
    _require_staff(request.user)
    form = forms.ReviewForm(_bound(request), request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.report_review_upload(actor=request.user, name=upload.name, data=upload.read())
        except ValidationError as exc:
            _add_errors(form, exc, "file")
    context = {
        "form": form,
        "review": result,
        "problems": [c for c in result.checks if not c.ok] if result else [],
        "review_json": json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if result else "",
    }
    status = 400 if request.method == "POST" and result is None else 200
    return render(request, "reports/review.html", context, status=status)


@login_required
def compare(request):
    _require_staff(request.user)
    form = forms.CompareForm(_bound(request), request.FILES or None)
    comparison = reviews = None
    if request.method == "POST" and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        try:
            comparison, reviews = services.report_compare_upload(actor=request.user, files=files)
        except ValidationError as exc:
            _add_errors(form, exc, "files")
    rows = []
    if comparison is not None:
        rows = [
            (column, [row.cells.get(column.code) for row in comparison.rows]) for column in comparison.columns
        ]
    context = {"form": form, "comparison": comparison, "reviews": reviews, "rows": rows}
    status = 400 if request.method == "POST" and comparison is None else 200
    return render(request, "reports/compare.html", context, status=status)


# ---------------------------------------------------------------- annual reports (年度报告)

ANNUAL_PAGE_SIZE = 50


def _annual_or_404(request, pk: int) -> AnnualReport:
    return get_object_or_404(selectors.annual_reports_visible_to(request.user), pk=pk)


def _default_year() -> int:
    return timezone.localdate().year - 1


def _year(request) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else _default_year()


def _fail(request, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, PermissionDenied):
        raise exc
    for message in exc.messages:
        messages.error(request, message)


@login_required
def annual_list(request):
    if not has_role(request.user, *permissions.READER_ROLES):
        raise PermissionDenied("只有在岗工作人员可以查看年度报告。")
    reports = selectors.annual_reports_visible_to(request.user).order_by("-year", "unit__path")
    year = request.GET.get("year", "")
    if year.isdigit():
        reports = reports.filter(year=int(year))
    page = Paginator(reports, ANNUAL_PAGE_SIZE).get_page(request.GET.get("page"))
    creatable = units_visible_to(request.user, permissions.WRITER_ROLES | {Role.SUPERVISOR}).filter(
        kind__in=services.REPORTING_KINDS, status=Unit.Status.ACTIVE
    )
    return render(
        request,
        "reports/annual_list.html",
        {
            "page": page,
            "year": year,
            "creatable": creatable.order_by("path")[:200],
            "default_year": _default_year(),
            "can_launch": has_role(request.user, Role.SUPERVISOR),
            "can_see_late": permissions.can_list_late_reports(request.user),
        },
    )


@login_required
@require_POST
def annual_create(request):
    unit = get_object_or_404(Unit, pk=request.POST.get("unit") or 0)
    year = request.POST.get("year", "")
    try:
        report = services.annual_report_create(
            actor=request.user, unit=unit, year=int(year) if year.isdigit() else 0
        )
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("reports:annual_list")
    messages.success(request, f"已建立《{report.title}》，报送期限{report.due_date:%Y年%m月%d日}。")
    return redirect(report)


@login_required
@require_POST
def annual_launch(request):
    year = request.POST.get("year", "")
    try:
        made = services.annual_reports_launch(actor=request.user, year=int(year) if year.isdigit() else 0)
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("reports:annual_list")
    messages.success(request, f"已为{len(made)}个单位建立{year}年度报告并开始计时。")
    return redirect(f"{reverse('reports:annual_list')}?year={year}")


def _numbers(sentence, report) -> list:
    """The sentence in runs, each number with a link to its metric's records."""
    template = annual.TEMPLATES_BY_CODE.get(sentence.template)
    if template is None:
        return [(sentence.text, "")]
    rendered = annual.render(template, report.level, sentence.snapshot)
    return [
        (
            piece.text,
            annual.records_url(
                metric=piece.metric, part=piece.part, unit_id=report.unit_id, year=sentence.year
            )
            if piece.metric
            else "",
        )
        for piece in rendered.pieces
    ]


@login_required
def annual_detail(request, pk: int):
    report = _annual_or_404(request, pk)
    sections = list(report.sections.prefetch_related("sentences"))
    states = {state.sentence.pk: state for state in selectors.sentence_states(report)}
    parts = []
    for part, label in ReportSection.Part.choices:
        within = []
        for section in (s for s in sections if s.part == part):
            within.append(
                {
                    "section": section,
                    "sentences": [
                        {"sentence": s, "runs": _numbers(s, report), "changes": states[s.pk].changes}
                        for s in section.sentences.all()
                    ],
                }
            )
        heading = annual.PART_HEADINGS[part].format(year=report.year, next=report.next_year)
        parts.append({"number": CN_NUMBERS[part - 1], "heading": heading, "label": label, "sections": within})
    return render(
        request,
        "reports/annual_detail.html",
        {
            "report": report,
            "parts": parts,
            "stale": sum(1 for s in states.values() if s.changes),
            "can_edit": permissions.can_edit_annual_report(request.user, report),
            "can_submit": permissions.can_submit_annual_report(request.user, report),
            "can_publish": permissions.can_publish_annual_report(request.user, report)
            and report.status == AnnualReport.Status.SUBMITTED,
        },
    )


@login_required
@require_POST
def annual_section(request, pk: int, section_pk: int):
    report = _annual_or_404(request, pk)
    section = get_object_or_404(report.sections, pk=section_pk)
    around = {
        s.pk: (request.POST.get(f"before-{s.pk}", s.before), request.POST.get(f"after-{s.pk}", s.after))
        for s in section.sentences.all()
    }
    try:
        services.report_section_update(
            actor=request.user, section=section, narrative=request.POST.get("narrative", ""), around=around
        )
        messages.success(request, f"已保存“{section}”。")
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(f"{report.get_absolute_url()}#section-{section.pk}")


ANNUAL_ACTIONS = {
    "prefill": (services.annual_report_prefill, "已从指标登记册预填数据句。"),
    "submit": (services.annual_report_submit, "报告已报送，报送期限案件已办结。"),
    "publish": (services.annual_report_publish, "报告已在门户网站公开。"),
}


@login_required
@require_POST
def annual_action(request, pk: int, action: str):
    report = _annual_or_404(request, pk)
    if action not in ANNUAL_ACTIONS:
        raise Http404("没有该操作。")
    service, done = ANNUAL_ACTIONS[action]
    try:
        service(actor=request.user, report=report)
        messages.success(request, done)
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(report)


@login_required
@require_POST
def sentence_refresh(request, pk: int, sentence_pk: int):
    report = _annual_or_404(request, pk)
    sentence = get_object_or_404(FigureSentence, section__report=report, pk=sentence_pk)
    try:
        services.figure_sentence_refresh(actor=request.user, sentence=sentence)
        messages.success(request, "已按最新统计刷新该句。")
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(f"{report.get_absolute_url()}#sentence-{sentence.pk}")


def _filename(report: AnnualReport, ext: str) -> str:
    return f"{report.unit.name}{report.year}年度法治政府建设情况报告.{ext}"


@login_required
def annual_docx(request, pk: int):
    report = _annual_or_404(request, pk)
    response = HttpResponse(export.annual_report_docx(report), content_type=export.DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _filename(report, "docx"))
    return response


@login_required
def annual_html(request, pk: int):
    return HttpResponse(export.annual_report_html(_annual_or_404(request, pk)))


@login_required
def annual_late(request):
    if not permissions.can_list_late_reports(request.user):
        raise PermissionDenied("只有法治督察人员和领导可以查看逾期未报名单。")
    year = _year(request)
    today = timezone.localdate()
    return render(
        request,
        "reports/annual_late.html",
        {
            "year": year,
            "late": selectors.annual_reports_late(request.user, year=year, today=today),
            "department_due": annual.deadline("department", year),
            "public_due": annual.deadline("public", year),
            "today": today,
        },
    )


# public pages: anyone, published reports only


def public_list(request):
    return render(request, "reports/public_list.html", {"reports": selectors.annual_reports_published()})


def public_detail(request, pk: int):
    report = get_object_or_404(selectors.with_content(selectors.annual_reports_published()), pk=pk)
    return HttpResponse(export.annual_report_html(report))
