"""Register pages: units, staff, the responsibility list, boundary items; XLSX in and out.

Each view parses its input, calls one selector or service and renders. Reading needs an active
membership; importing needs the administrator the import is for (see `xlsx.import_file`).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from fazhi.org import selectors, services, xlsx
from fazhi.org.forms import (
    BoundaryFilterForm,
    ImportForm,
    MembershipGrantForm,
    ResponsibilityFilterForm,
    StaffFilterForm,
    UnitFilterForm,
)
from fazhi.org.models import Role, Unit
from fazhi.org.permissions import has_role

PAGE_SIZE = 50


def staff_member_required(view):
    """Signed in (else to the login page) and holding an active membership (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_staff_member(request.user):
            raise PermissionDenied("您的账号还没有任何任职，请联系安全管理员授权。")
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _can_import(user, kind: str) -> bool:
    if kind == "staff":
        return has_role(user, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
    return has_role(user, Role.SYSTEM_ADMIN)


def _sheet_kind(kind: str) -> str:
    if kind not in xlsx.SHEETS:
        raise Http404("没有这种名录。")
    return kind


def _tools(user, kind: str) -> dict:
    return {"sheet_kind": kind, "can_import": _can_import(user, kind)}


@staff_member_required
def unit_list(request):
    form = UnitFilterForm(request.GET)
    f = form.filters()
    units = selectors.units_visible_to(
        request.user,
        kind=f.get("kind", ""),
        status=f.get("status", ""),
        keyword=f.get("q", ""),
        within=f.get("unit"),
    )
    context = {"form": form, "page_obj": _page(request, units), **_tools(request.user, "units")}
    return render(request, "org/unit_list.html", context)


@staff_member_required
def unit_detail(request, pk: int):
    try:
        detail = selectors.unit_detail(request.user, pk=pk)
    except Unit.DoesNotExist:
        raise Http404("没有这个单位。") from None
    return render(request, "org/unit_detail.html", {"detail": detail, "unit": detail.unit})


@staff_member_required
def staff_list(request):
    form = StaffFilterForm(request.GET)
    f = form.filters()
    staff = selectors.staff_visible_to(
        request.user, unit=f.get("unit"), role=f.get("role", ""), keyword=f.get("q", "")
    )
    context = {
        "form": form,
        "page_obj": _page(request, staff),
        "can_grant": has_role(request.user, Role.SECURITY_ADMIN),
        "can_manage_accounts": has_role(request.user, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN),
        **_tools(request.user, "staff"),
    }
    return render(request, "org/staff_list.html", context)


def _require_security_admin(user) -> None:
    if not has_role(user, Role.SECURITY_ADMIN):
        raise PermissionDenied("只有安全管理员可以授予或收回角色。")


@staff_member_required
def membership_grant(request):
    _require_security_admin(request.user)
    form = MembershipGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_grant(
                actor=request.user,
                user=data["username"],
                unit=data["unit"],
                role=data["role"],
                scope=data["scope"],
                post=data["post"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"已授予：{membership}。")
            return redirect("org:staff_list")
    return render(request, "org/membership_grant.html", {"form": form})


@require_POST
@staff_member_required
def membership_revoke(request, pk: int):
    _require_security_admin(request.user)
    membership = get_object_or_404(selectors.staff_visible_to(request.user), pk=pk)
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已收回：{membership}。")
    return redirect("org:staff_list")


@staff_member_required
def responsibility_list(request):
    form = ResponsibilityFilterForm(request.GET)
    f = form.filters()
    items = selectors.responsibility_items_visible_to(
        request.user,
        kind=f.get("kind", ""),
        unit=f.get("unit"),
        keyword=f.get("q", ""),
        include_retired=bool(f.get("retired")),
    )
    context = {
        "form": form,
        "page_obj": _page(request, items),
        **_tools(request.user, "responsibility_items"),
    }
    return render(request, "org/responsibility_list.html", context)


@staff_member_required
def boundary_list(request):
    form = BoundaryFilterForm(request.GET)
    f = form.filters()
    items = selectors.boundary_items_visible_to(
        request.user, unit=f.get("unit"), keyword=f.get("q", ""), include_retired=bool(f.get("retired"))
    )
    return render(request, "org/boundary_list.html", {"form": form, "page_obj": _page(request, items)})


def _xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@staff_member_required
def register_template(request, kind: str):
    kind = _sheet_kind(kind)
    return _xlsx_response(xlsx.template(kind), xlsx.filename(kind, exported=False))


@staff_member_required
def register_export(request, kind: str):
    kind = _sheet_kind(kind)
    return _xlsx_response(xlsx.export(kind, user=request.user), xlsx.filename(kind, exported=True))


@staff_member_required
def register_import(request, kind: str):
    kind = _sheet_kind(kind)
    if not _can_import(request.user, kind):
        raise PermissionDenied("您没有导入该名录的权限。")
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = xlsx.import_file(kind, actor=request.user, upload=form.cleaned_data["file"])
    context = {"form": form, "result": result, "spec": xlsx.SHEETS[kind], "sheet_kind": kind}
    return render(request, "org/import.html", context, status=200 if result is None or result.ok else 422)


@staff_member_required
def account_security(request, pk: int):
    """安全管理员/系统管理员: see an account's lock and password state, unlock it or reset its password."""
    from fazhi.core import security_services
    from fazhi.core.security import can_manage_credentials
    from fazhi.org.models import User

    if not can_manage_credentials(request.user):
        raise PermissionDenied("只有系统管理员或安全管理员可以管理账号安全。")
    account = get_object_or_404(User, pk=pk)
    temporary_password = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "unlock":
                security_services.account_unlock(actor=request.user, user=account)
                messages.success(request, f"已解除{account.display_name}的登录锁定。")
            elif action == "reset":
                temporary_password = services.generate_password()
                security_services.password_reset(
                    actor=request.user, user=account, new_password=temporary_password
                )
                messages.success(
                    request,
                    "已重置密码。临时密码只显示这一次，请当面或通过安全渠道告知本人；首次登录须修改。",
                )
            else:
                raise PermissionDenied("不支持的操作。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return render(
        request,
        "org/account_security.html",
        {
            "account": account,
            "memberships": account.memberships.filter(is_active=True).select_related("unit"),
            "temporary_password": temporary_password,
        },
    )
