"""Pages of 司法建议/检察建议 and 人大建议/政协提案: registers with filters and export, intake,
detail with the units' and the office's actions, the supervisors' overviews with figures that
drill down to their records, XLSX import, and the public page of disclosed answers.

Views parse, call one service or selector, and render."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.cases import permissions as case_permissions
from fazhi.cases.models import Case, CaseUnit
from fazhi.cases.selectors import clock_of
from fazhi.org.permissions import has_role, unit_scope, units_visible_to
from fazhi.suggestions import forms, permissions, selectors, services, xlsx
from fazhi.suggestions.figures import DateRange
from fazhi.suggestions.models import (
    JUDICIAL_CASE_TYPES,
    Body,
    Grade,
    JudicialSuggestion,
    Proposal,
    ProposalAnswer,
    ProposalReturn,
    Representative,
    Session,
    SuggestionKind,
)
from fazhi.suggestions.pages import (
    EXPORT_LIMIT,
    IMPORT_ROLES,
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
from fazhi.suggestions.xlsx import moment

# --- 司法建议 / 检察建议 --------------------------------------------------------------------------


def _with_clocks(rows):
    today = timezone.localdate()
    return [(row, clock_of(row.case, today=today)) for row in rows]


def _units_for_filter(user):
    return units_visible_to(user).filter(status="active").order_by("sort_order", "id")


def _judicial_filters(request) -> dict:
    get = request.GET
    return {
        "case_type": get.get("type", "") if get.get("type") in JUDICIAL_CASE_TYPES else "",
        "kind": get.get("kind", ""),
        "unit": as_int(get.get("unit")),
        "issuer": as_int(get.get("issuer")),
        "state": get.get("state", ""),
        "figure": get.get("figure", ""),
        "dates": DateRange.from_params(get),
        "q": get.get("q", "").strip(),
    }


@login_required
def suggestion_list(request):
    filters = _judicial_filters(request)
    rows = selectors.suggestions_list(request.user, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    tally = next((t for t in selectors.judicial_tallies() if t.key == filters["figure"]), None)
    return render(
        request,
        "suggestions/list.html",
        {
            "page": page,
            "rows": _with_clocks(page.object_list),
            "filters": request.GET,
            "tally": tally,
            "kinds": SuggestionKind.objects.filter(is_active=True),
            "issuers": selectors.issuers(),
            "units": _units_for_filter(request.user),
            "query": query_without_page(request),
            "can_register": not unit_scope(request.user, case_permissions.OPENING_ROLES).empty,
            "can_import": has_role(request.user, *IMPORT_ROLES),
        },
    )


@login_required
def suggestion_export(request):
    require_casework(request.user)
    rows = selectors.suggestions_list(request.user, **_judicial_filters(request)).prefetch_related("replies")
    return xlsx_response(
        xlsx.judicial_export(rows[:EXPORT_LIMIT]), xlsx.filename(xlsx.JUDICIAL, exported=True)
    )


@login_required
def suggestion_new(request):
    if unit_scope(request.user, case_permissions.OPENING_ROLES).empty:
        raise PermissionDenied("您没有登记司法建议、检察建议的权限。")
    form = forms.SuggestionForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_register(
                actor=request.user,
                kind=data["kind"],
                issuer=data["issuer"],
                addressee=data["addressee"],
                title=data["title"],
                content=data["content"],
                received_at=timezone.now()
                if data["received_on"] == timezone.localdate()
                else moment(data["received_on"]),
                document_number=data["document_number"],
                issued_on=data["issued_on"],
                urgent=data["urgent"],
                stated_period=data["stated_period"],
            )
        except ValidationError as exc:
            service_errors(request, exc, form)
        else:
            messages.success(
                request,
                f"已登记{suggestion.case.number}，交{suggestion.case.handling_unit.name}办理，"
                f"回复期限{suggestion.case.due_date:%Y年%m月%d日}。",
            )
            return redirect(suggestion)
    status = 400 if request.method == "POST" else 200
    return render(request, "suggestions/new.html", {"form": form}, status=status)


def _suggestion_context(request, suggestion: JudicialSuggestion) -> dict:
    user, case = request.user, suggestion.case
    is_open = case.status == Case.Status.OPEN
    return {
        "suggestion": suggestion,
        "case": case,
        "clock": clock_of(case),
        "replies": suggestion.replies.select_related("unit", "replied_by"),
        "follow_ups": suggestion.follow_up_requests.select_related("recorded_by"),
        "supervisions": case.supervisions.select_related("issuing_unit"),
        "timeline": case.timeline.select_related("actor"),
        "units": case.case_units.filter(is_active=True).select_related("unit").order_by("-role", "id"),
        # 负责人不出庭: the hearings the litigation desk linked this suggestion to (fazhi.legal).
        "absences": case.absence_attendances.select_related("hearing__lawsuit__case", "unit")
        if hasattr(case, "absence_attendances")
        else [],
        "can_reply": permissions.can_reply(user, case) and is_open,
        "can_follow_up": permissions.can_request_follow_up(user, case) and case.status == Case.Status.CLOSED,
        "reply_form": forms.ReplyForm(),
        "follow_up_form": forms.FollowUpForm(),
    }


@login_required
def suggestion_detail(request, pk: int):
    suggestion = selectors.suggestion_get(request.user, pk)
    return render(request, "suggestions/detail.html", _suggestion_context(request, suggestion))


@login_required
@require_POST
def suggestion_action(request, pk: int, action: str):
    suggestion = selectors.suggestion_get(request.user, pk)
    form_class = {"reply": forms.ReplyForm, "follow-up": forms.FollowUpForm}.get(action)
    if form_class is None:
        raise PermissionDenied("不支持的操作。")
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "reply":
                services.suggestion_reply(
                    suggestion=suggestion,
                    actor=request.user,
                    adoption=data["adoption"],
                    text=data["text"],
                    reasons=data["reasons"],
                    measures=data["measures"],
                    replied_on=data["replied_on"],
                )
                done = "已回复，建议办结。"
            else:
                services.suggestion_follow_up(
                    suggestion=suggestion,
                    actor=request.user,
                    note=data["note"],
                    requested_on=data["requested_on"],
                    period=data["period"],
                )
                done = "已登记补充回复要求，重新交承办单位办理。"
        except ValidationError as exc:
            service_errors(request, exc, form)
        else:
            messages.success(request, done)
            return redirect("suggestions:detail", pk=suggestion.pk)
    else:
        form_errors(request, form)
    suggestion = selectors.suggestion_get(request.user, pk)
    return render(request, "suggestions/detail.html", _suggestion_context(request, suggestion), status=400)


@login_required
def overview(request):
    """The supervisor's view: figures by unit with drill-down, and everything still unanswered."""
    require_casework(request.user)
    dates = DateRange.from_params(request.GET, default_year=timezone.localdate().year)
    case_type = request.GET.get("type", "") if request.GET.get("type") in JUDICIAL_CASE_TYPES else ""
    rows, total, tallies = selectors.judicial_figures(request.user, dates=dates, case_type=case_type)
    waiting = selectors.unanswered(request.user)["suggestions"]
    return render(
        request,
        "suggestions/overview.html",
        {
            "rows": rows,
            "total": total,
            "tallies": tallies,
            "ratios": selectors.JUDICIAL_RATIOS,
            "dates": dates,
            "type": case_type,
            "years": recent_years(),
            "waiting": _with_clocks(waiting[:200]),
            "waiting_count": waiting.count(),
        },
    )


@login_required
def suggestion_import(request):
    from django.urls import reverse

    return import_page(
        request,
        spec=xlsx.JUDICIAL,
        run=xlsx.judicial_import,
        template_url=reverse("suggestions:template"),
        list_url=reverse("suggestions:list"),
    )


@login_required
def suggestion_template(request):
    return xlsx_response(xlsx.build_workbook(xlsx.JUDICIAL, []), xlsx.filename(xlsx.JUDICIAL, exported=False))


# --- 人大代表建议 / 政协提案 -----------------------------------------------------------------------


def _proposal_filters(request) -> dict:
    get = request.GET
    return {
        "body": get.get("body", "") if get.get("body") in Body.values else "",
        "session": as_int(get.get("session")),
        "unit": as_int(get.get("unit")),
        "state": get.get("state", ""),
        "grade": get.get("grade", "") if get.get("grade") in Grade.values else "",
        "figure": get.get("figure", ""),
        "dates": DateRange.from_params(get),
        "q": get.get("q", "").strip(),
    }


@login_required
def proposal_list(request):
    filters = _proposal_filters(request)
    rows = selectors.proposals_list(request.user, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    tally = next((t for t in selectors.proposal_tallies() if t.key == filters["figure"]), None)
    return render(
        request,
        "suggestions/proposal_list.html",
        {
            "page": page,
            "rows": _with_clocks(page.object_list),
            "filters": request.GET,
            "tally": tally,
            "sessions": Session.objects.all(),
            "bodies": Body.choices,
            "grades": Grade.choices,
            "units": _units_for_filter(request.user),
            "query": query_without_page(request),
            "can_register": permissions.assigning_unit_of(request.user) is not None,
            "can_import": has_role(request.user, *IMPORT_ROLES),
            "can_keep": permissions.can_manage_sessions(request.user),
        },
    )


@login_required
def proposal_export(request):
    require_casework(request.user)
    rows = selectors.proposals_list(request.user, **_proposal_filters(request)).prefetch_related(
        "answers__feedback",
        "contacts",
        "co_proposers",
        Prefetch("case__case_units", queryset=CaseUnit.objects.select_related("unit")),
    )
    return xlsx_response(
        xlsx.proposals_export(rows[:EXPORT_LIMIT]), xlsx.filename(xlsx.PROPOSALS, exported=True)
    )


@login_required
def proposal_new(request):
    if permissions.assigning_unit_of(request.user) is None:
        raise PermissionDenied("只有交办单位（法治督察人员）可以交办代表建议、政协提案。")
    form = forms.ProposalForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_register(
                actor=request.user,
                session=data["session"],
                number=data["number"],
                title=data["title"],
                content=data["content"],
                lead_proposer=data["lead_proposer"],
                co_proposers=list(data["co_proposers"]),
                lead_unit=data["lead_unit"],
                co_units=list(data["co_units"]),
                topic=data["topic"],
                is_key=data["is_key"],
                received_at=timezone.now()
                if data["received_on"] == timezone.localdate()
                else moment(data["received_on"]),
            )
        except ValidationError as exc:
            service_errors(request, exc, form)
        else:
            messages.success(
                request,
                f"已交办{proposal.case.handling_unit.name}主办，答复期限{proposal.case.due_date:%Y年%m月%d日}。",
            )
            return redirect(proposal)
    status = 400 if request.method == "POST" else 200
    return render(request, "suggestions/proposal_new.html", {"form": form}, status=status)


def _proposal_context(request, proposal: Proposal) -> dict:
    user, case = request.user, proposal.case
    is_open = case.status == Case.Status.OPEN
    handles = case_permissions.can_handle(user, case)
    answers = list(proposal.answers.select_related("unit", "answered_by").prefetch_related("feedback"))
    latest = answers[-1] if answers else None
    pending = proposal.returns.filter(status=ProposalReturn.Status.PENDING).select_related(
        "unit", "suggested_unit"
    )
    pending = pending.first()
    return {
        "proposal": proposal,
        "case": case,
        "clock": clock_of(case),
        "answers": answers,
        "contacts": proposal.contacts.select_related("unit", "recorded_by"),
        "returns": proposal.returns.select_related("unit", "suggested_unit", "reassigned_to", "decided_by"),
        "pending_return": pending,
        "return_deadline": services.return_deadline(proposal),
        "supervisions": case.supervisions.select_related("issuing_unit"),
        "timeline": case.timeline.select_related("actor"),
        "units": case.case_units.filter(is_active=True).select_related("unit").order_by("-role", "id"),
        "co_proposers": proposal.co_proposers.all(),
        "can_contact": is_open and permissions.contributing_unit(user, case) is not None,
        "can_answer": is_open and handles and pending is None,
        "can_return": is_open
        and handles
        and pending is None
        and not answers
        and timezone.localdate() <= services.return_deadline(proposal),
        "can_decide": pending is not None and permissions.can_decide_return(user, case),
        "can_add_co_unit": is_open and (handles or case_permissions.can_assign(user, case)),
        "can_request_extension": is_open
        and handles
        and not case.extended
        and not proposal.extension_requested_at,
        "can_approve_extension": is_open
        and bool(proposal.extension_requested_at)
        and not case.extended
        and case_permissions.can_approve_extension(user, case),
        "can_feedback": latest is not None
        and not hasattr(latest, "feedback")
        and permissions.can_record_feedback(user, case),
        "can_disclose": permissions.can_disclose(user, case),
        "latest": latest,
        "contact_form": forms.ContactForm(),
        "answer_form": forms.AnswerForm(),
        "feedback_form": forms.FeedbackForm(),
        "return_form": forms.ReturnForm(),
        "decision_form": forms.ReturnDecisionForm(),
        "co_unit_form": forms.CoUnitForm(),
        "extension_form": forms.ExtensionRequestForm(),
    }


@login_required
def proposal_detail(request, pk: int):
    proposal = selectors.proposal_get(request.user, pk)
    return render(request, "suggestions/proposal_detail.html", _proposal_context(request, proposal))


PROPOSAL_FORMS = {
    "contact": forms.ContactForm,
    "answer": forms.AnswerForm,
    "feedback": forms.FeedbackForm,
    "return": forms.ReturnForm,
    "return-accept": forms.ReturnDecisionForm,
    "return-reject": forms.ReturnDecisionForm,
    "co-unit": forms.CoUnitForm,
    "extension-request": forms.ExtensionRequestForm,
    "extension-approve": forms.NoteForm,
    "disclose": forms.NoteForm,
    "withdraw": forms.NoteForm,
}


def _answer_of(request, proposal: Proposal) -> ProposalAnswer:
    return get_object_or_404(proposal.answers, pk=as_int(request.POST.get("answer")))


def _perform(request, proposal: Proposal, action: str, data: dict) -> str:
    user = request.user
    if action == "contact":
        services.proposal_contact(
            proposal=proposal,
            actor=user,
            method=data["method"],
            note=data["note"],
            contacted_on=data["contacted_on"],
        )
        return "已记录沟通联系。"
    if action == "answer":
        services.proposal_answer(
            proposal=proposal,
            actor=user,
            grade=data["grade"],
            text=data["text"],
            answered_on=data["answered_on"],
        )
        return "已答复，办结。"
    if action == "feedback":
        feedback = services.proposal_feedback(
            answer=_answer_of(request, proposal),
            actor=user,
            satisfaction=data["satisfaction"],
            note=data["note"],
            received_on=data["received_on"],
        )
        return (
            "代表、委员不满意，已交承办单位重新办理。"
            if feedback.satisfaction == "unsatisfied"
            else "已登记意见。"
        )
    if action == "return":
        services.proposal_return(
            proposal=proposal, actor=user, reason=data["reason"], suggested_unit=data["suggested_unit"]
        )
        return "已退回交办单位，等待处理。"
    if action in ("return-accept", "return-reject"):
        item = proposal.returns.filter(status=ProposalReturn.Status.PENDING).first()
        if item is None:
            raise ValidationError("没有待处理的退回。")
        accept = action == "return-accept"
        services.proposal_return_decide(
            item=item, actor=user, accept=accept, unit=data["unit"], note=data["note"]
        )
        return "已改派。" if accept else "已决定不予退回。"
    if action == "co-unit":
        from fazhi.cases.services import case_add_co_unit

        case_add_co_unit(case=proposal.case, actor=user, unit=data["unit"])
        return f"已增加会办单位{data['unit'].name}。"
    if action == "extension-request":
        services.proposal_extension_request(proposal=proposal, actor=user, reason=data["reason"])
        return "已申请延期，等待审批。"
    if action == "extension-approve":
        services.proposal_extension_approve(proposal=proposal, actor=user)
        return "已批准延期。"
    if action in ("disclose", "withdraw"):
        services.answer_disclose(
            answer=_answer_of(request, proposal), actor=user, disclose=action == "disclose"
        )
        return "答复已公开。" if action == "disclose" else "已撤回公开。"
    raise PermissionDenied("不支持的操作。")


@login_required
@require_POST
def proposal_action(request, pk: int, action: str):
    proposal = selectors.proposal_get(request.user, pk)
    form_class = PROPOSAL_FORMS.get(action)
    if form_class is None:
        raise PermissionDenied("不支持的操作。")
    form = form_class(request.POST)
    if form.is_valid():
        try:
            done = _perform(request, proposal, action, form.cleaned_data)
        except ValidationError as exc:
            service_errors(request, exc, form)
        else:
            messages.success(request, done)
            return redirect("suggestions:proposal_detail", pk=proposal.pk)
    else:
        form_errors(request, form)
    proposal = selectors.proposal_get(request.user, pk)
    return render(
        request, "suggestions/proposal_detail.html", _proposal_context(request, proposal), status=400
    )


@login_required
def proposal_overview(request):
    require_casework(request.user)
    dates = DateRange.from_params(request.GET, default_year=timezone.localdate().year)
    body = request.GET.get("body", "") if request.GET.get("body") in Body.values else ""
    rows, total, tallies = selectors.proposal_figures(request.user, dates=dates, body=body)
    waiting = selectors.unanswered(request.user)["proposals"]
    return render(
        request,
        "suggestions/proposal_overview.html",
        {
            "rows": rows,
            "total": total,
            "tallies": tallies,
            "ratios": selectors.PROPOSAL_RATIOS,
            "dates": dates,
            "body": body,
            "bodies": Body.choices,
            "years": recent_years(),
            "waiting": _with_clocks(waiting[:200]),
            "waiting_count": waiting.count(),
            "returns": selectors.returns_pending(request.user),
            "extensions": selectors.extensions_pending(request.user),
        },
    )


@login_required
def proposal_import(request):
    from django.urls import reverse

    return import_page(
        request,
        spec=xlsx.PROPOSALS,
        run=xlsx.proposals_import,
        template_url=reverse("suggestions:proposal_template"),
        list_url=reverse("suggestions:proposal_list"),
    )


@login_required
def proposal_template(request):
    return xlsx_response(
        xlsx.build_workbook(xlsx.PROPOSALS, []), xlsx.filename(xlsx.PROPOSALS, exported=False)
    )


# --- sessions and deputies -----------------------------------------------------------------------


def _require_keeper(user) -> None:
    if not permissions.can_manage_sessions(user):
        raise PermissionDenied("只有法治督察人员或人大、政协工作机构人员可以维护届次会议和代表委员名单。")


@login_required
def sessions(request):
    """届次会议: the sessions and their local periods; a keeper adds the next one."""
    _require_keeper(request.user)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_save(actor=request.user, session=form.instance)
        except ValidationError as exc:
            service_errors(request, exc, form)
        else:
            messages.success(request, f"已添加{session.name}。")
            return redirect("suggestions:sessions")
    return render(
        request,
        "suggestions/sessions.html",
        {"sessions": Session.objects.all(), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def representatives(request):
    """代表、委员名单: names and groups; phone numbers shown masked."""
    _require_keeper(request.user)
    form = forms.RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.representative_save(actor=request.user, representative=form.instance)
        except ValidationError as exc:
            service_errors(request, exc, form)
        else:
            messages.success(request, f"已添加{person}。")
            return redirect("suggestions:representatives")
    body = request.GET.get("body", "") if request.GET.get("body") in Body.values else ""
    people = Representative.objects.filter(body=body) if body else Representative.objects.all()
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/representatives.html",
        {"page": page, "form": form, "body": body, "bodies": Body.choices, "query": f"body={body}"},
        status=400 if request.method == "POST" else 200,
    )


# --- the public page ------------------------------------------------------------------------------

_LONG_DIGITS = re.compile(r"\d{7,}")


def public_text(text: str) -> str:
    """Answers are written to the deputy; on the web, hide any number long enough to be a phone or ID."""
    return _LONG_DIGITS.sub("***", text or "")


def public_answers(request):
    """建议提案办理答复公开: no login; session, number, title, proposer and unit — no contact data."""
    answers = selectors.answers_public()
    session = as_int(request.GET.get("session"))
    if session:
        answers = answers.filter(proposal__session_id=session)
    page = Paginator(answers, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/public_list.html",
        {
            "page": page,
            "sessions": selectors.public_sessions(),
            "session": session,
            "query": f"session={session}" if session else "",
        },
    )


def public_answer(request, pk: int):
    answer = selectors.answer_public_get(pk)
    return render(
        request, "suggestions/public_answer.html", {"answer": answer, "text": public_text(answer.text)}
    )
