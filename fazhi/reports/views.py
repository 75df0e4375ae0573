"""Report review pages: upload one report and read its review, or several and compare them."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from fazhi.reports import forms, services
from fazhi.reports.permissions import can_review_reports


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
