"""Pages for requests in bulk: the history import (the 12345 centre) and the exports of the ticket list."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from fazhi.hotline import exports, imports, permissions
from fazhi.org.permissions import CASEWORK_ROLES, unit_scope

RECENT_IMPORTS = 20


class ImportForm(forms.Form):
    file = forms.FileField(
        label="历史诉求文件", help_text="导入模板填写的 .xlsx，或同样列名的 .csv，不超过20MB。"
    )


def _require_centre(user) -> None:
    if not permissions.can_register(user):
        raise PermissionDenied("只有12345中心可以导入历史诉求。")


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@login_required
def import_page(request):
    _require_centre(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    record, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            record = imports.history_import(actor=request.user, file_name=upload.name, content=upload.read())
            status = 200 if record.status == record.Status.DONE else 422
        else:
            status = 400
    context = {
        "form": form,
        "record": record,
        "columns": imports.COLUMNS,
        "recent": imports.imports_visible_to(request.user)[:RECENT_IMPORTS],
    }
    return render(request, "hotline/import.html", context, status=status)


@login_required
@require_GET
def import_template(request):
    _require_centre(request.user)
    return _download(imports.template(), "12345历史诉求导入模板.xlsx", imports.XLSX_CONTENT_TYPE)


@login_required
@require_GET
def import_file(request, pk: int):
    """The uploaded file exactly as it came in."""
    record = get_object_or_404(imports.imports_visible_to(request.user), pk=pk)
    return _download(bytes(record.content), record.file_name, "application/octet-stream")


@login_required
@require_GET
def export(request):
    """The ticket list with the list's filters, as CSV (streamed) or XLSX."""
    if unit_scope(request.user, CASEWORK_ROLES).empty:
        raise PermissionDenied("您没有查看12345工单的权限。")
    state, q = request.GET.get("state", ""), request.GET.get("q", "").strip()
    fmt = request.GET.get("format", "xlsx")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.export_csv(request.user, state=state, q=q), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"12345工单-{stamp}.csv"
        )
        return response
    if fmt != "xlsx":
        raise PermissionDenied("导出格式应为 csv 或 xlsx。")
    return _download(
        exports.export_xlsx(request.user, state=state, q=q),
        f"12345工单-{stamp}.xlsx",
        imports.XLSX_CONTENT_TYPE,
    )
