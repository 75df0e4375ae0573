"""Pages of 人民调解: the register with filters and export, intake, the dispute with its sessions
and outcome, committees and mediators, the overview by committee and area with drill-down, and
XLSX import. Views parse, call one service or selector, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.cases import permissions as case_permissions
from fazhi.cases.models import Case
from fazhi.cases.selectors import cases_visible_to, clock_of
from fazhi.mediation import forms, permissions, selectors, services, xlsx
from fazhi.mediation.models import Committee, DisputeType, Mediator, Outcome, Party, Source
from fazhi.mediation.services import PartyData
from fazhi.org.permissions import unit_scope
from fazhi.suggestions.figures import DateRange
from fazhi.suggestions.pages import (
    EXPORT_LIMIT,
    PAGE_SIZE,
    as_int,
    form_errors,
    import_page,
    query_without_page,
    recent_years,
    require_casework,
    service_errors,
    xlsx_response,
)
from fazhi.suggestions.xlsx import filename, moment


def _filters(request) -> dict:
    get = request.GET
    return {
        "committee": as_int(get.get("committee")),
        "street": as_int(get.get("street")),
        "county": as_int(get.get("county")),
        "dispute_type": get.get("type", "") if get.get("type") in DisputeType.values else "",
        "source": get.get("source", "") if get.get("source") in Source.values else "",
        "state": get.get("state", ""),
        "figure": get.get("figure", ""),
        "dates": DateRange.from_params(get),
        "q": get.get("q", "").strip(),
    }


@login_required
def dispute_list(request):
    filters = _filters(request)
    rows = selectors.disputes_list(request.user, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "mediation/list.html",
        {
            "page": page,
            "rows": [(d, clock_of(d.case, today=today)) for d in page.object_list],
            "filters": request.GET,
            "tally": next((t for t in selectors.tallies() if t.key == filters["figure"]), None),
            "committees": selectors.committees_visible_to(request.user),
            "types": DisputeType.choices,
            "sources": Source.choices,
            "outcomes": Outcome.choices,
            "query": query_without_page(request),
            "can_register": not unit_scope(request.user, case_permissions.OPENING_ROLES).empty,
        },
    )


@login_required
def dispute_export(request):
    require_casework(request.user)
    rows = selectors.disputes_list(request.user, **_filters(request)).prefetch_related("parties")
    return xlsx_response(xlsx.disputes_export(rows[:EXPORT_LIMIT]), filename(xlsx.DISPUTES, exported=True))


def _committees_for_intake(user):
    scope = unit_scope(user, case_permissions.OPENING_ROLES)
    return Committee.objects.filter(scope.q("unit"), is_active=True).select_related("unit")


@login_required
def dispute_new(request):
    committees = _committees_for_intake(request.user)
    if unit_scope(request.user, case_permissions.OPENING_ROLES).empty:
        raise PermissionDenied("您没有登记调解案件的权限。")
    form = forms.DisputeForm(
        request.POST or None, committees=committees, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hotline_case = None
        if data["hotline_number"].strip():
            hotline_case = (
                cases_visible_to(request.user)
                .filter(number=data["hotline_number"].strip())
                .select_related("case_type")
                .first()
            )
            if hotline_case is None:
                form.add_error("hotline_number", "找不到该工单，或您无权查看。")
        if form.is_valid():
            try:
                dispute = services.dispute_register(
                    actor=request.user,
                    committee=data["committee"],
                    title=data["title"],
                    description=data["description"],
                    dispute_type=data["dispute_type"],
                    source=data["source"],
                    region=data["region"],
                    parties=[
                        PartyData(
                            role=Party.Role.APPLICANT,
                            name=data["applicant"],
                            phone=data["applicant_phone"],
                            id_number=data["applicant_id"],
                        ),
                        PartyData(
                            role=Party.Role.RESPONDENT,
                            name=data["respondent"],
                            phone=data["respondent_phone"],
                            id_number=data["respondent_id"],
                        ),
                    ],
                    hotline_case=hotline_case,
                    referral_reference=data["referral_reference"],
                    amount=data["amount"],
                    mediator=data["mediator"],
                    received_at=timezone.now()
                    if data["received_on"] == timezone.localdate()
                    else moment(data["received_on"]),
                )
            except ValidationError as exc:
                service_errors(request, exc, form)
            else:
                messages.success(
                    request, f"已受理{dispute.case.number}，调解期限{dispute.case.due_date:%Y年%m月%d日}。"
                )
                return redirect(dispute)
    status = 400 if request.method == "POST" else 200
    return render(request, "mediation/new.html", {"form": form}, status=status)


def _context(request, dispute) -> dict:
    user, case = request.user, dispute.case
    is_open = case.status == Case.Status.OPEN
    handles = permissions.can_handle(user, dispute)
    return {
        "dispute": dispute,
        "case": case,
        "clock": clock_of(case),
        "parties": dispute.parties.all(),
        "show_parties": permissions.can_see_parties(user, dispute),
        "sessions": dispute.sessions.prefetch_related("mediators"),
        "timeline": case.timeline.select_related("actor"),
        "supervisions": case.supervisions.select_related("issuing_unit"),
        "can_work": is_open and handles,
        "can_confirm": handles and dispute.outcome == Outcome.SUCCESS and not dispute.confirmation_applied_on,
        "session_form": forms.SessionForm(dispute=dispute, initial={"held_on": timezone.localdate()}),
        "conclude_form": forms.ConcludeForm(),
        "confirmation_form": forms.ConfirmationForm(),
        "preview_deadline": services.confirmation_deadline(timezone.localdate()) if is_open else None,
    }


@login_required
def dispute_detail(request, pk: int):
    dispute = selectors.dispute_get(request.user, pk)
    return render(request, "mediation/detail.html", _context(request, dispute))


@login_required
@require_POST
def dispute_action(request, pk: int, action: str):
    dispute = selectors.dispute_get(request.user, pk)
    if action == "session":
        form = forms.SessionForm(request.POST, dispute=dispute)
    elif action == "conclude":
        form = forms.ConcludeForm(request.POST)
    elif action == "confirmation":
        form = forms.ConfirmationForm(request.POST)
    else:
        raise PermissionDenied("不支持的操作。")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "session":
                services.session_record(
                    dispute=dispute,
                    actor=request.user,
                    held_on=data["held_on"],
                    place=data["place"],
                    summary=data["summary"],
                    mediators=list(data["mediators"]),
                )
                done = "已记录调解过程。"
            elif action == "conclude":
                services.dispute_conclude(dispute=dispute, actor=request.user, **data)
                dispute.refresh_from_db()
                done = (
                    f"调解成功，已结案；请告知当事人可于{dispute.confirmation_deadline:%Y年%m月%d日}前共同申请司法确认。"
                    if dispute.outcome == Outcome.SUCCESS
                    else "调解不成，已结案。"
                )
            else:
                services.confirmation_record(
                    dispute=dispute, actor=request.user, applied_on=data["applied_on"], court=data["court"]
                )
                done = "已记录司法确认申请。"
        except ValidationError as exc:
            service_errors(request, exc, form)
        else:
            messages.success(request, done)
            return redirect("mediation:detail", pk=dispute.pk)
    else:
        form_errors(request, form)
    dispute = selectors.dispute_get(request.user, pk)
    return render(request, "mediation/detail.html", _context(request, dispute), status=400)


@login_required
def overview(request):
    """调处率、调处成功率 by committee, street or county, with drill-down to the cases."""
    require_casework(request.user)
    dates = DateRange.from_params(request.GET, default_year=timezone.localdate().year)
    group = request.GET.get("group", "committee")
    group = group if group in selectors.GROUPS else "committee"
    rows, total, tallies = selectors.figures(request.user, dates=dates, group=group)
    return render(
        request,
        "mediation/overview.html",
        {
            "rows": rows,
            "total": total,
            "tallies": tallies,
            "ratios": selectors.RATIOS,
            "dates": dates,
            "group": group,
            "groups": [(key, label) for key, (_path, label) in selectors.GROUPS.items()],
            "group_label": selectors.GROUPS[group][1],
            "years": recent_years(),
        },
    )


@login_required
def dispute_import(request):
    return import_page(
        request,
        spec=xlsx.DISPUTES,
        run=xlsx.disputes_import,
        template_url=reverse("mediation:template"),
        list_url=reverse("mediation:list"),
    )


@login_required
def dispute_template(request):
    return xlsx_response(xlsx.build_workbook(xlsx.DISPUTES, []), filename(xlsx.DISPUTES, exported=False))


# --- committees -------------------------------------------------------------------------------------


@login_required
def committee_list(request):
    committees = selectors.committees_visible_to(request.user)
    return render(
        request,
        "mediation/committees.html",
        {
            "committees": committees.order_by("unit__sort_order", "name"),
            "can_add": selectors.units_keepable_by(request.user).exists(),
        },
    )


@login_required
def committee_new(request):
    units = selectors.units_keepable_by(request.user)
    if not units.exists():
        raise PermissionDenied("只有法治督察人员或乡镇街道负责人可以添加调解委员会。")
    form = forms.CommitteeForm(request.POST or None)
    form.fields["unit"].queryset = units
    form.fields["region"].queryset = selectors.regions_below_county()
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_save(actor=request.user, committee=form.instance)
        except ValidationError as exc:
            service_errors(request, exc, form)
        else:
            messages.success(request, f"已添加{committee.name}。")
            return redirect(committee)
    return render(
        request,
        "mediation/committee_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def committee_detail(request, pk: int):
    committee = selectors.committee_get(request.user, pk)
    can_keep = permissions.can_keep_committees(request.user, committee.unit)
    form = forms.MediatorForm(request.POST or None)
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied("只有法治督察人员或所属乡镇街道的负责人可以维护调解员名单。")
        if form.is_valid():
            mediator = form.instance
            mediator.committee = committee
            try:
                services.mediator_save(actor=request.user, mediator=mediator)
            except ValidationError as exc:
                service_errors(request, exc, form)
            else:
                messages.success(request, f"已添加调解员{mediator.name}。")
                return redirect(committee)
    dates = DateRange.from_params(request.GET, default_year=timezone.localdate().year)
    rows, _total, tallies = selectors.figures(request.user, dates=dates)
    mine = next((row for row in rows if row.key == committee.pk), None)
    return render(
        request,
        "mediation/committee_detail.html",
        {
            "committee": committee,
            "mediators": Mediator.objects.filter(committee=committee).order_by("-is_active", "post", "name"),
            "form": form,
            "can_keep": can_keep,
            "row": mine,
            "tallies": tallies,
            "ratios": selectors.RATIOS,
            "dates": dates,
        },
        status=400 if request.method == "POST" else 200,
    )
