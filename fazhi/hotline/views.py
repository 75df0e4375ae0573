"""12345 pages: operator intake, the centre's dispatch queue, the ticket list and detail with the
unit's and the centre's actions, and the public progress page. Views parse, call one service or
selector, and render."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fazhi.cases.permissions import DISPATCH_ROLES
from fazhi.cases.selectors import clock_of
from fazhi.hotline import (
    forms,
    permissions,
    quality,
    routing,
    rules,
    selectors,
    services,
)
from fazhi.hotline.models import Category, Rating, ReopenRequest, Reply, Ticket, TicketReturn
from fazhi.org.models import Region
from fazhi.org.permissions import unit_scope

PAGE_SIZE = 50


def _require_operator(user) -> None:
    if not permissions.can_register(user):
        raise PermissionDenied("只有12345话务员可以使用受理页面。")


def _require_centre(user) -> None:
    if unit_scope(user, DISPATCH_ROLES).empty:
        raise PermissionDenied("只有12345中心可以查看派单队列。")


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


def _service_errors(request, exc: ValidationError, form=None) -> None:
    if hasattr(exc, "error_dict") and form is not None:
        for field, errors in exc.message_dict.items():
            if field in form.fields:
                for message in errors:
                    form.add_error(field, message)
            else:
                for message in errors:
                    messages.error(request, message)
    else:
        for message in exc.messages:
            messages.error(request, message)


# --- intake ---------------------------------------------------------------------------------------


def _intake_context(form) -> dict:
    return {
        "form": form,
        "categories": [
            (c.pk, forms.category_label(c))
            for c in Category.objects.filter(level=Category.Level.THIRD, is_active=True).select_related(
                "parent__parent"
            )
        ],
        "regions": [
            forms.region_label(r)
            for r in Region.objects.filter(level__gte=Region.Level.COUNTY)
            .select_related("parent")
            .order_by("code")
        ],
    }


@login_required
def intake(request):
    """受理: the operator's form, built to be used from the keyboard while on the phone."""
    _require_operator(request.user)
    form = forms.IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        merge_into = None
        if data.get("merge_into"):
            merge_into = selectors.ticket_get(request.user, data["merge_into"])
        try:
            ticket = services.ticket_register(
                actor=request.user,
                content=data["content"],
                request_type=data["request_type"],
                category=data["category"],
                region=data["region"],
                channel=data["channel"],
                address=data["address"],
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
                confidential=data["confidential"],
                lead_unit=data["lead_unit"],
                triage_override=data["triage_override"],
                merge_into=merge_into,
            )
        except ValidationError as exc:
            _service_errors(request, exc, form)
        else:
            if ticket.guidance:
                messages.warning(request, ticket.guidance)
            elif ticket.merged_into_id:
                messages.success(request, f"已并入工单{ticket.merged_into.reference}，答复将一并告知来电人。")
            elif ticket.case.handling_unit_id == ticket.centre_id:
                messages.info(request, f"已登记{ticket.reference}，暂无对应承办单位，已进入派单队列。")
            else:
                messages.success(request, f"已登记{ticket.reference}，派至{ticket.case.handling_unit.name}。")
            messages.info(request, f"请告知来电人查询码：{ticket.tracking_code}")
            return redirect("hotline:intake")
    status = 400 if request.method == "POST" else 200
    return render(request, "hotline/intake.html", _intake_context(form), status=status)


@login_required
@require_GET
def caller_history(request):
    _require_operator(request.user)
    phone = request.GET.get("caller_phone", "").strip()
    digits = re.sub(r"\D", "", phone)
    tickets = selectors.tickets_by_caller(request.user, phone) if len(digits) >= 7 else []
    return render(request, "hotline/_caller_history.html", {"tickets": tickets, "asked": len(digits) >= 7})


@login_required
@require_GET
def assist(request):
    """As the operator types: emergency warning, routing preview, similar open requests."""
    _require_operator(request.user)
    content = request.GET.get("content", "")
    category = forms.CategoryField(required=False)
    region = forms.RegionField(required=False)
    try:
        chosen_category = category.clean(request.GET.get("category", ""))
    except Exception:
        chosen_category = None
    try:
        chosen_region = region.clean(request.GET.get("region", ""))
    except Exception:
        chosen_region = None
    if chosen_category is not None and not chosen_category.is_leaf:
        chosen_category = None
    suggestion = routing.suggest_route(
        text=content,
        region=chosen_region,
        category=chosen_category,
        request_type=request.GET.get("request_type", ""),
    )
    similar = []
    if chosen_region is not None and suggestion.category is not None:
        similar = selectors.tickets_similar_open(
            request.user, category=suggestion.category, region=chosen_region
        )
    return render(
        request,
        "hotline/_assist.html",
        {
            "triage": rules.triage(content) if content.strip() else None,
            "suggestion": suggestion,
            "guessed": chosen_category is None and suggestion.category is not None,
            "category_label": forms.category_label(suggestion.category) if suggestion.category else "",
            "similar": similar,
            "threshold": routing.auto_route_confidence(),
        },
    )


# --- lists ------------------------------------------------------------------------------------------


@login_required
def queue(request):
    """派单队列: what the centre must act on."""
    _require_centre(request.user)
    sections = selectors.dispatch_queue(request.user)
    context = {key: value[:PAGE_SIZE] for key, value in sections.items()}
    # Most doubtful first: the rule weights add up to a 敷衍 score the reviewer can sort by.
    context["flagged"] = sorted(
        ((quality.perfunctory_score(r.review_flags), r) for r in context["flagged"]),
        key=lambda pair: -pair[0],
    )
    return render(request, "hotline/queue.html", context)


STATES = [
    ("", "全部"),
    ("unsigned", "待签收"),
    ("handling", "办理中"),
    ("replied", "已答复"),
    ("guidance", "未派单（告知/并单）"),
]


@login_required
def ticket_list(request):
    state = request.GET.get("state", "")
    tickets = selectors.tickets_list(request.user, state=state, q=request.GET.get("q", "").strip())
    # Open lists are counted exactly; lists over the history stop counting at 10 000 ("10 000+").
    pager = Paginator if state in ("unsigned", "handling") else selectors.CappedPaginator
    page = pager(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(t, clock_of(t.case, today=today) if t.case_id else None) for t in page.object_list]
    return render(
        request,
        "hotline/list.html",
        {"page": page, "rows": rows, "states": STATES, "state": state, "q": request.GET.get("q", "")},
    )


# --- detail and actions -------------------------------------------------------------------------------


def _detail_context(request, ticket: Ticket, **overrides) -> dict:
    user = request.user
    case = ticket.case
    is_open = case is not None and case.status != case.Status.CLOSED
    pending_return = ticket.returns.filter(status=TicketReturn.Status.PENDING).first()
    can_handle = permissions.can_handle(user, ticket) and is_open
    unrouted = is_open and case.handling_unit_id == ticket.centre_id
    context = {
        "ticket": ticket,
        "case": case,
        "clock": clock_of(case) if case else None,
        "group": selectors.ticket_group(ticket),
        "replies": selectors.replies_for(ticket),
        "callbacks": ticket.callbacks.select_related("called_by"),
        "returns": ticket.returns.select_related("unit", "returned_by", "suggested_unit", "reassigned_to"),
        "reopens": ticket.reopen_requests.select_related("callback", "decided_by"),
        "rating": Rating.objects.filter(ticket=ticket).select_related("rectification", "unit").first(),
        "supervisions": case.supervisions.select_related("issuing_unit") if case else [],
        "timeline": case.timeline.select_related("actor") if case else [],
        "units": case.case_units.filter(is_active=True).select_related("unit") if case else [],
        "pending_return": pending_return,
        "can_sign": can_handle and not unrouted and ticket.signed_at is None and pending_return is None,
        "can_return": can_handle and not unrouted and pending_return is None,
        "can_reply": can_handle and ticket.signed_at is not None and pending_return is None,
        "can_dispatch": permissions.can_dispatch(user, ticket) and is_open and not ticket.merged_into_id,
        "can_callback": permissions.can_callback(user, ticket) and selectors.replies_for(ticket).exists(),
        "can_opinion": permissions.can_give_opinion(user, ticket) and is_open,
        "can_merge": is_open and can_handle and not ticket.merged_into_id,
        "can_reveal": permissions.can_reveal_phone(user, ticket),
        "suggestion": routing.suggest_route(
            text=ticket.content, region=ticket.region, category=ticket.category
        )
        if (unrouted or pending_return) and permissions.can_dispatch(user, ticket)
        else None,
        "dispatch_form": forms.DispatchForm(),
        "return_form": forms.ReturnForm(),
        "reply_form": forms.ReplyForm(),
        "callback_form": forms.CallbackForm(),
        "decision_form": forms.DecisionForm(),
        "merge_form": forms.MergeForm(),
        "opinion_form": forms.OpinionForm(),
    }
    context.update(overrides)
    return context


@login_required
def ticket_detail(request, pk: int):
    ticket = selectors.ticket_get(request.user, pk)
    return render(request, "hotline/detail.html", _detail_context(request, ticket))


def _merge_target(request, reference: str) -> Ticket:
    reference = reference.strip()
    found = (
        selectors.tickets_visible_to(request.user)
        .filter(Q(case__number=reference) | Q(tracking_code=reference.upper()))
        .select_related("case", "merged_into")
        .first()
    )
    if found is None:
        raise ValidationError({"target": f"找不到工单“{reference}”，或您无权查看。"})
    return found


def _perform(request, ticket: Ticket, action: str, data: dict) -> str:
    user = request.user
    if action == "sign":
        services.ticket_sign(ticket=ticket, actor=user)
        return "已签收。"
    if action == "return":
        services.ticket_return(
            ticket=ticket, actor=user, reason=data["reason"], suggested_unit=data.get("suggested_unit")
        )
        return "已退单，等待12345中心审核。"
    if action == "dispatch":
        services.ticket_dispatch(
            ticket=ticket, actor=user, unit=data["unit"], co_units=data["co_units"], note=data["note"]
        )
        return f"已派至{data['unit'].name}。"
    if action == "reply":
        services.reply_submit(
            ticket=ticket,
            actor=user,
            text=data["text"],
            actions=data["actions"],
            contacted_caller=data["contacted_caller"],
        )
        return "已答复，工单办结。"
    if action == "callback":
        callback = services.callback_record(
            ticket=ticket,
            actor=user,
            satisfaction=data["satisfaction"],
            resolution=data["resolution"],
            note=data["note"],
        )
        return "已记录回访，生成重办申请。" if callback.is_unhappy else "已记录回访。"
    if action == "merge":
        target = _merge_target(request, data["target"])
        services.ticket_merge(source=ticket, target=target, actor=user)
        return f"已并入工单{target.reference}。"
    if action == "opinion":
        services.opinion_give(ticket=ticket, actor=user, note=data["note"])
        return "已填写办理意见。"
    if action == "return-reject":
        pending = ticket.returns.filter(status=TicketReturn.Status.PENDING).first()
        if pending is None:
            raise ValidationError("该工单没有待审核的退单。")
        services.return_reject(ticket_return=pending, actor=user, note=data["note"])
        return "已驳回退单，原承办单位继续办理。"
    if action == "reopen-reject":
        request_id = request.POST.get("request")
        pending = get_object_or_404(
            ticket.reopen_requests, pk=request_id, status=ReopenRequest.Status.PENDING
        )
        services.reopen_reject(request=pending, actor=user, note=data["note"])
        return "已决定不予重办。"
    if action == "reopen-accept":
        pending = get_object_or_404(
            ticket.reopen_requests, pk=request.POST.get("request"), status=ReopenRequest.Status.PENDING
        )
        services.reopen_accept(request=pending, actor=user, note=data["note"])
        return f"已重办，退回{ticket.case.handling_unit.name}重新办理，期限{ticket.case.due_date:%Y-%m-%d}。"
    if action in {"reply-clear", "reply-send-back"}:
        reply = get_object_or_404(Reply, ticket=ticket, pk=request.POST.get("reply"))
        if action == "reply-clear":
            quality.reply_clear(reply=reply, actor=user, note=data["note"])
            return "已复核，答复合格。"
        quality.reply_send_back(reply=reply, actor=user, reason=data["reason"])
        return "已退回承办单位重新办理。"
    raise PermissionDenied("不支持的操作。")


ACTION_FORMS = {
    "sign": None,
    "return": forms.ReturnForm,
    "dispatch": forms.DispatchForm,
    "reply": forms.ReplyForm,
    "callback": forms.CallbackForm,
    "merge": forms.MergeForm,
    "opinion": forms.OpinionForm,
    "return-reject": forms.DecisionForm,
    "reopen-reject": forms.DecisionForm,
    "reopen-accept": forms.NoteForm,
    "reply-clear": forms.NoteForm,
    "reply-send-back": forms.SendBackForm,
}


@login_required
@require_POST
def ticket_action(request, pk: int, action: str):
    ticket = selectors.ticket_get(request.user, pk)
    if action not in ACTION_FORMS:
        raise PermissionDenied("不支持的操作。")
    form_class = ACTION_FORMS[action]
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            done = _perform(request, ticket, action, form.cleaned_data if form else {})
        except ValidationError as exc:
            _service_errors(request, exc)
        else:
            messages.success(request, done)
            return redirect("hotline:detail", pk=ticket.pk)
    else:
        _form_errors(request, form)
    ticket = selectors.ticket_get(request.user, pk)
    return render(request, "hotline/detail.html", _detail_context(request, ticket), status=400)


@never_cache
@login_required
@require_POST
def reveal_phone(request, pk: int):
    """The full number on an explicit click; the service writes the audit record."""
    ticket = selectors.ticket_get(request.user, pk)
    phone = services.phone_reveal(ticket=ticket, actor=request.user)
    return render(request, "hotline/_phone.html", {"phone": phone})


# --- the public progress page moved to the portal (fazhi/portal), which also asks for the phone suffix ---


@require_GET
def track(request):
    """Printed slips carry /hotline/track/?code=…: the portal's page asks for the phone suffix too."""
    code = request.GET.get("code", "").strip()[:16]
    target = reverse("portal:track")
    return redirect(f"{target}?code={code}" if code else target, permanent=True)


@require_POST
def rate(request):
    """Ratings moved to the portal with the tracking page (code + phone suffix)."""
    return redirect("portal:track", permanent=False)
