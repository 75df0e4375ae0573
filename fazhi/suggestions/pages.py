"""Helpers the suggestion and mediation pages share: messages from forms and services, XLSX
responses, the import page, filters kept across pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from fazhi.org.forms import ImportForm
from fazhi.org.models import Role
from fazhi.org.permissions import has_role, unit_scope
from fazhi.org.xlsx import XLSX_CONTENT_TYPE

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000
IMPORT_ROLES = (Role.SUPERVISOR, Role.HANDLER, Role.UNIT_LEADER)


def as_int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def require_casework(user) -> None:
    if unit_scope(user).empty:
        raise PermissionDenied("您没有查看办理情况的权限。")


def service_errors(request, exc: ValidationError, form=None) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            label = form.fields[field].label if form is not None and field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}：{message}" if label else message)
    else:
        for message in exc.messages:
            messages.error(request, message)


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def recent_years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 8, -1))


def import_page(request, *, spec, run, template_url: str, list_url: str):
    """Upload a register; show every row's problem, or how many records were written."""
    if not has_role(request.user, *IMPORT_ROLES):
        raise PermissionDenied("只有法治督察人员和承办单位的工作人员可以导入历史记录。")
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = run(actor=request.user, upload=form.cleaned_data["file"])
    context = {
        "form": form,
        "result": result,
        "spec": spec,
        "template_url": template_url,
        "list_url": list_url,
    }
    return render(
        request, "suggestions/import.html", context, status=200 if result is None or result.ok else 422
    )
