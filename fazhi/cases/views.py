"""Staff pages of the case engine: workbench, unit inbox, case list and case detail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.cases import forms, permissions, selectors, services
from fazhi.cases.models import Case, CaseType
from fazhi.core.deadlines import ClockState

PAGE_SIZE = 50


def _with_clocks(cases):
    today = timezone.localdate()
    return [(case, selectors.clock_of(case, today=today)) for case in cases]


@login_required
def workbench(request):
    cases = selectors.cases_on_workbench(request.user)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/workbench.html",
        {
            "page": page,
            "rows": _with_clocks(page.object_list),
            "supervisions": selectors.supervisions_received(request.user)[:20],
            "unread": selectors.notices_for(request.user, unread_only=True).count(),
        },
    )


@login_required
def inbox(request):
    notices = selectors.notices_for(request.user, unread_only=request.GET.get("unread") == "1")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/inbox.html", {"page": page})


@login_required
@require_POST
def notice_read(request, pk: int):
    notice = selectors.notice_get(request.user, pk)
    services.notice_mark_read(notice=notice, actor=request.user)
    if notice.case_id and request.POST.get("open"):
        return redirect("cases:detail", pk=notice.case_id)
    return redirect("cases:inbox")


@login_required
def case_list(request):
    cases = selectors.cases_visible_to(request.user).select_related("case_type", "handling_unit", "stage")
    q = request.GET.get("q", "").strip()
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(title__icontains=q))
    if request.GET.get("type"):
        cases = cases.filter(case_type__code=request.GET["type"])
    if request.GET.get("status") in Case.Status.values:
        cases = cases.filter(status=request.GET["status"])
    if request.GET.get("overdue") == "1":
        cases = cases.filter(selectors.overdue_filter())
    page = Paginator(cases.order_by("due_date", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "rows": _with_clocks(page.object_list),
            "case_types": CaseType.objects.filter(is_active=True),
            "statuses": Case.Status.choices,
            "filters": request.GET,
        },
    )


def _detail_context(request, case: Case, **forms_override) -> dict:
    user = request.user
    can_handle = permissions.can_handle(user, case)
    context = {
        "case": case,
        "clock": selectors.clock_of(case),
        "period_label": services.case_period(case).label,
        "timeline": case.timeline.select_related("actor").prefetch_related("attachments"),
        "attachments": case.attachments.all(),
        "units": case.case_units.filter(is_active=True).select_related("unit"),
        "suspensions": case.suspensions.all(),
        "extensions": case.extensions.select_related("approved_by", "requested_by"),
        "supervisions": case.supervisions.select_related("issued_by", "issuing_unit"),
        "can_handle": can_handle and case.status != Case.Status.CLOSED,
        "can_contribute": permissions.can_contribute(user, case) and case.status != Case.Status.CLOSED,
        "can_supervise": permissions.can_supervise(user, case) and case.status != Case.Status.CLOSED,
        "can_extend": permissions.can_approve_extension(user, case)
        and bool(case.case_type.max_extension)
        and case.status == Case.Status.OPEN,
        "close_form": forms.CloseForm(),
        "advance_form": forms.AdvanceForm(stages=case.case_type.stages.all()),
        "suspend_form": forms.SuspendForm(),
        "extend_form": forms.ExtendForm(),
        "comment_form": forms.CommentForm(),
        "supervision_form": forms.SupervisionForm(),
        "resolve_form": forms.ResolveSupervisionForm(),
        "ClockState": ClockState,
    }
    context["suspend_form"].fields["kind"].choices = [
        c
        for c in context["suspend_form"].fields["kind"].choices
        if c[0] in case.case_type.allowed_suspensions
    ]
    context.update(forms_override)
    return context


@login_required
def case_detail(request, pk: int):
    case = selectors.case_get(request.user, pk)
    return render(request, "cases/detail.html", _detail_context(request, case))


ACTIONS = {
    "close": (
        forms.CloseForm,
        lambda case, user, d, req: services.case_close(case=case, actor=user, note=d["note"]),
        "已办结。",
    ),
    "advance": (
        forms.AdvanceForm,
        lambda case, user, d, req: services.case_advance(
            case=case, actor=user, to_stage=d["to_stage"], note=d["note"]
        ),
        "已进入新阶段。",
    ),
    "suspend": (
        forms.SuspendForm,
        lambda case, user, d, req: services.case_suspend(
            case=case, actor=user, kind=d["kind"], reason=d["reason"]
        ),
        "已中止计时。",
    ),
    "resume": (
        forms.ResumeForm,
        lambda case, user, d, req: services.case_resume(case=case, actor=user, note=d["note"]),
        "已恢复计时。",
    ),
    "extend": (
        forms.ExtendForm,
        lambda case, user, d, req: services.case_extend(
            case=case, actor=user, requested_by=user, period=d["period"].strip(), reason=d["reason"]
        ),
        "已批准延期。",
    ),
    "comment": (
        forms.CommentForm,
        lambda case, user, d, req: services.case_comment(
            case=case, actor=user, note=d["note"], files=req.FILES.getlist("files")
        ),
        "已记录。",
    ),
    "supervise": (
        forms.SupervisionForm,
        lambda case, user, d, req: services.supervision_issue(
            case=case, actor=user, level=d["level"], reason=d["reason"], due=d["due"]
        ),
        "已发出督办。",
    ),
}


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    case = selectors.case_get(request.user, pk)
    if action not in ACTIONS:
        raise PermissionDenied("不支持的操作。")
    form_class, perform, done = ACTIONS[action]
    form = (
        form_class(request.POST, request.FILES, stages=case.case_type.stages.all())
        if form_class is forms.AdvanceForm
        else form_class(request.POST, request.FILES)
    )
    if action == "suspend":
        form.fields["kind"].choices = [
            c for c in form.fields["kind"].choices if c[0] in case.case_type.allowed_suspensions
        ]
    if form.is_valid():
        try:
            perform(case, request.user, form.cleaned_data, request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
            return redirect("cases:detail", pk=case.pk)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    case.refresh_from_db()
    return render(request, "cases/detail.html", _detail_context(request, case), status=400)


@login_required
@require_POST
def supervision_resolve(request, pk: int, supervision_pk: int):
    case = selectors.case_get(request.user, pk)
    supervision = get_object_or_404(case.supervisions, pk=supervision_pk)
    form = forms.ResolveSupervisionForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_resolve(
                supervision=supervision, actor=request.user, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已反馈督办办理情况。")
    else:
        messages.error(request, "请填写办理情况。")
    return redirect("cases:detail", pk=case.pk)


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    from django.http import FileResponse

    case = selectors.case_get(request.user, pk)
    attachment = get_object_or_404(case.attachments, pk=attachment_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
