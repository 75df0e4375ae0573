"""复议应诉 pages: the reconsideration register and case page, the litigation desk, documents,
figures with drill-down, and XLSX import/export. Views parse, call one service or selector, render."""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.cases.models import Case, Suspension
from fazhi.cases.selectors import clock_of
from fazhi.legal import catalogue, forms, permissions, selectors, services, xlsx
from fazhi.legal.models import (
    ActCategory,
    AnswerFile,
    Attendance,
    CourtHearing,
    DocumentKind,
    Lawsuit,
    LegalDocument,
    Outcome,
    Reconsideration,
    ReconsiderationBody,
    Result,
)
from fazhi.org.models import Unit
from fazhi.org.permissions import CASEWORK_ROLES, unit_scope

PAGE_SIZE = 50


def _require_staff(user) -> None:
    if unit_scope(user, CASEWORK_ROLES).empty:
        raise PermissionDenied("只有在岗工作人员可以查看复议应诉。")


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


def _service_errors(request, exc: ValidationError, form=None) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            label = form.fields[field].label if form is not None and field in form.fields else ""
            for message in errors:
                if form is not None and field in form.fields:
                    form.add_error(field, message)
                messages.error(request, f"{label}：{message}" if label else message)
    else:
        for message in exc.messages:
            messages.error(request, message)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- home -----------------------------------------------------------------------------------------------


@login_required
def home(request):
    _require_staff(request.user)
    user = request.user
    today = timezone.localdate()
    open_recs = (
        selectors.reconsideration_list(user)
        .filter(case__status__in=["open", "suspended"])
        .order_by("case__due_date")
    )
    open_suits = selectors.lawsuit_list(user, state="open").order_by("case__due_date")
    return render(
        request,
        "legal/home.html",
        {
            "counts": selectors.overview_counts(user, today=today),
            "today": today,
            "recs": [(r, clock_of(r.case, today=today)) for r in open_recs[:15]],
            "suits": [(s, clock_of(s.case, today=today)) for s in open_suits[:15]],
            "can_register": permissions.can_register_reconsideration(user),
            "to_answer": [(r, r.answer_due) for r in selectors.answers_awaited(user)[:15]],
        },
    )


# --- 行政复议 ------------------------------------------------------------------------------------------------

STATES = [("", "全部"), ("reviewing", "受理审查中"), ("hearing", "审理中"), ("closed", "已结案")]


def _list_filters(request) -> dict:
    return {
        "q": request.GET.get("q", "").strip(),
        "state": request.GET.get("state", ""),
        "respondent": _int(request.GET.get("respondent")),
        "act_category": request.GET.get("act_category", "")
        if request.GET.get("act_category") in ActCategory.values
        else "",
        "outcome": request.GET.get("outcome", "") if request.GET.get("outcome") in Outcome.values else "",
        "year": _int(request.GET.get("year")),
    }


@login_required
def reconsideration_list(request):
    _require_staff(request.user)
    filters = _list_filters(request)
    rows = selectors.reconsideration_list(request.user, **filters)
    if request.GET.get("export") == "xlsx":
        return _xlsx_response(
            xlsx.export("reconsiderations", rows=rows), xlsx.filename("reconsiderations", exported=True)
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "legal/reconsideration_list.html",
        {
            "page": page,
            "rows": [(r, clock_of(r.case, today=today)) for r in page.object_list],
            "filters": filters,
            "states": STATES,
            "categories": ActCategory.choices,
            "outcomes": Outcome.choices,
            "respondents": Unit.objects.filter(
                pk__in=selectors.reconsiderations_visible_to(request.user).values("respondent")
            ),
            "query": query.urlencode(),
            "can_register": permissions.can_register_reconsideration(request.user),
        },
    )


@login_required
def reconsideration_new(request):
    bodies = permissions.bodies_of(request.user)
    if not bodies:
        raise PermissionDenied("只有行政复议机构的承办人员可以登记行政复议申请。")
    queryset = ReconsiderationBody.objects.filter(pk__in=[b.pk for b in bodies])
    form = forms.ReconsiderationForm(request.POST or None, bodies=queryset, initial={"body": bodies[0].pk})
    if request.method == "POST" and form.is_valid():
        try:
            rec = services.reconsideration_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(request, exc, form)
        else:
            messages.success(request, f"已登记{rec.case.number}，受理审查期限{rec.review_due:%Y年%m月%d日}。")
            return redirect(rec)
    return render(
        request,
        "legal/reconsideration_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _reconsideration_context(request, rec: Reconsideration) -> dict:
    user = request.user
    case = rec.case
    running = case.status != Case.Status.CLOSED
    handler = permissions.can_handle_reconsideration(user, rec) and running
    approver = permissions.can_approve(user, rec) and running
    suspension = (
        case.suspensions.filter(ended_on__isnull=True).first()
        if case.status == Case.Status.SUSPENDED
        else None
    )
    correction_pending = bool(
        rec.correction_notified_on and not rec.correction_received_on and rec.acceptance == "pending"
    )
    kinds = (
        services.document_kinds_available(case) if permissions.can_handle_reconsideration(user, rec) else []
    )
    existing = {d.kind for d in selectors.documents_of(case.pk)}
    draft_form = forms.DocumentDraftForm()
    draft_form.fields["kind"].choices = [(k, DocumentKind(k).label) for k in kinds if k not in existing]
    today = timezone.localdate()
    submitted = services.submitted_answer(rec)
    return {
        "rec": rec,
        "case": case,
        "clock": clock_of(case, today=today),
        "today": today,
        "time_problems": services.application_time_problems(rec) if rec.acceptance == "pending" else [],
        "answered_late": services.answered_late(rec),
        "timeline": case.timeline.select_related("actor").prefetch_related("attachments"),
        "hearings": rec.hearings.all(),
        "documents": selectors.documents_of(case.pk),
        "follow_ups": selectors.follow_ups_of(rec),
        "lawsuits": rec.lawsuits.select_related("case"),
        "suspensions": case.suspensions.all(),
        "extensions": case.extensions.select_related("approved_by"),
        "suspension": suspension,
        "suspended_days": (today - suspension.started_on).days if suspension else 0,
        "is_handler": handler,
        "is_pending": handler and rec.acceptance == "pending" and case.status == Case.Status.OPEN,
        "correction_pending": handler and correction_pending,
        "correction_lapsed": correction_pending and today > rec.correction_due,
        "in_review": handler and rec.is_accepted,
        "can_serve": handler and rec.is_accepted and not rec.copy_served_on,
        "can_answer": handler
        and rec.copy_served_on
        and not rec.answer_received_on
        and case.stage.code == "answer",
        "answer_overdue": rec.answer_due and today > rec.answer_due,
        "can_extend": approver
        and rec.is_accepted
        and rec.procedure == "normal"
        and case.status == Case.Status.OPEN,
        "can_switch": approver and rec.is_accepted and rec.procedure == "simple",
        "can_follow_up": rec.is_accepted and permissions.can_issue_follow_up(user, rec, rec.respondent),
        "submitted": submitted,
        "can_submit_answer": running
        and submitted is None
        and permissions.can_answer(user, rec)
        and rec.copy_served_on
        and not rec.answer_received_on
        and case.stage.code == "answer",
        "answer_form": forms.AnswerForm(),
        "draft_form": draft_form,
        "correction_form": forms.CorrectionForm(),
        "correction_extend_form": forms.CorrectionExtendForm(),
        "day_form": forms.DayForm(),
        "accept_form": forms.AcceptForm(),
        "reject_form": forms.RejectForm(),
        "hearing_form": forms.HearingForm(),
        "suspend_form": forms.SuspendForm(),
        "extend_form": forms.ExtendForm(
            unit=case.handling_unit, initial={"requested_by": case.created_by_id}
        ),
        "switch_form": forms.SwitchForm(),
        "decide_form": forms.DecideForm(),
        "follow_up_form": forms.FollowUpForm(initial={"addressee": rec.respondent_id}),
        "Suspension": Suspension,
    }


@login_required
def reconsideration_detail(request, pk: int):
    rec = selectors.reconsideration_get(request.user, pk)
    return render(request, "legal/reconsideration_detail.html", _reconsideration_context(request, rec))


def _perform_reconsideration(request, rec: Reconsideration, action: str, d: dict) -> str:
    user = request.user
    if action == "correction":
        services.correction_request(
            reconsideration=rec,
            actor=user,
            items=d["items"],
            notified_on=d["notified_on"],
            served_on=d["served_on"],
        )
        return f"已通知补正，补正期限{rec.correction_due:%Y-%m-%d}，期间停止计时。"
    if action == "correction-extend":
        services.correction_extend(reconsideration=rec, actor=user, due=d["due"], reason=d["reason"])
        return "已延长补正期限。"
    if action == "correction-receive":
        services.correction_receive(reconsideration=rec, actor=user, received_on=d["on"])
        return f"已收到补正材料，重新审查，审查期限{rec.review_due:%Y-%m-%d}。"
    if action == "abandon":
        services.correction_abandon(reconsideration=rec, actor=user, on=d["on"])
        return "已记录视为放弃行政复议申请。"
    if action == "accept":
        services.reconsideration_accept(
            reconsideration=rec,
            actor=user,
            accepted_on=d["accepted_on"],
            procedure=d["procedure"],
            simple_ground=d["simple_ground"],
        )
        return f"已{rec.get_acceptance_display()}（{rec.accepted_on:%Y-%m-%d}），决定期限{rec.case.due_date:%Y-%m-%d}。"
    if action == "reject":
        services.reconsideration_reject(
            reconsideration=rec,
            actor=user,
            rejected_on=d["rejected_on"],
            ground=d["ground"],
            reason=d["reason"],
            competent_body=d["competent_body"],
        )
        return "已决定不予受理。"
    if action == "serve":
        services.copy_serve(reconsideration=rec, actor=user, served_on=d["on"])
        return f"已登记送达，被申请人答复期限{rec.answer_due:%Y-%m-%d}。"
    if action == "answer":
        services.answer_receive(reconsideration=rec, actor=user, received_on=d["on"])
        return "已登记收到答复，进入审理。"
    if action == "answer-online":
        submitted = services.submitted_answer(rec)
        if submitted is None:
            raise ValidationError("被申请人尚未网上提交答复。")
        services.answer_receive(
            reconsideration=rec,
            actor=user,
            received_on=timezone.localdate(submitted.submitted_at),
            note="被申请人网上提交。",
        )
        return "已签收被申请人网上答复，进入审理。"
    if action == "answer-submit":
        services.answer_submit(reconsideration=rec, actor=user, text=d["text"], files=d["files"])
        return f"答复已提交，复议机构已收到（答复期限{rec.answer_due:%Y-%m-%d}）。"
    if action == "no-answer":
        services.answer_receive(reconsideration=rec, actor=user, received_on=None)
        return "已记录被申请人逾期未答复，进入审理。"
    if action == "hearing":
        services.hearing_schedule(
            reconsideration=rec,
            actor=user,
            kind=d["kind"],
            scheduled_at=d["scheduled_at"],
            place=d["place"],
            notice_sent_on=d["notice_sent_on"],
        )
        return "已安排。"
    if action == "hearing-conclude":
        hearing = get_object_or_404(rec.hearings, pk=d["hearing"])
        services.hearing_conclude(hearing=hearing, actor=user, status=d["status"], minutes=d["minutes"])
        return "已记录。"
    if action == "suspend":
        services.reconsideration_suspend(
            reconsideration=rec, actor=user, ground=d["ground"], reason=d["reason"], on=d["on"]
        )
        return "已中止审理，停止计时。"
    if action == "resume":
        services.reconsideration_resume(reconsideration=rec, actor=user, on=d["on"])
        return f"已恢复审理，决定期限{rec.case.due_date:%Y-%m-%d}。"
    if action == "extend":
        services.reconsideration_extend(
            reconsideration=rec,
            actor=user,
            requested_by=d["requested_by"],
            period=d["period"].strip(),
            reason=d["reason"],
        )
        return f"已批准延长，决定期限{rec.case.due_date:%Y-%m-%d}。"
    if action == "switch":
        services.procedure_switch(reconsideration=rec, actor=user, reason=d["reason"])
        return f"已转为普通程序，决定期限{rec.case.due_date:%Y-%m-%d}。"
    if action == "decide":
        services.reconsideration_decide(
            reconsideration=rec,
            actor=user,
            outcome=d["outcome"],
            ground=d["ground"],
            summary=d["summary"],
            decided_on=d["decided_on"],
            remake_ordered=d["remake_ordered"],
        )
        return f"已结案：{rec.get_outcome_display()}。请制作并签发{catalogue.DOCUMENT_TITLES.get(rec.outcome, '决定书')}。"
    if action == "follow-up":
        follow_up = services.follow_up_issue(
            reconsideration=rec,
            actor=user,
            kind=d["kind"],
            addressee=d["addressee"],
            content=d["content"],
            issued_on=d["issued_on"],
        )
        return f"已制发{follow_up.get_kind_display()}（{follow_up.case.number}），期限{follow_up.case.due_date:%Y-%m-%d}。"
    if action == "draft":
        document = services.document_draft(case=rec.case, kind=d["kind"], actor=user)
        return f"已生成{document.title}草稿，可修改后签发。"
    raise PermissionDenied("不支持的操作。")


RECONSIDERATION_FORMS = {
    "correction": forms.CorrectionForm,
    "correction-extend": forms.CorrectionExtendForm,
    "correction-receive": forms.DayForm,
    "abandon": forms.DayForm,
    "accept": forms.AcceptForm,
    "reject": forms.RejectForm,
    "serve": forms.DayForm,
    "answer": forms.DayForm,
    "answer-online": None,
    "answer-submit": forms.AnswerForm,
    "no-answer": None,
    "hearing": forms.HearingForm,
    "hearing-conclude": forms.HearingConcludeForm,
    "suspend": forms.SuspendForm,
    "resume": forms.DayForm,
    "extend": forms.ExtendForm,
    "switch": forms.SwitchForm,
    "decide": forms.DecideForm,
    "follow-up": forms.FollowUpForm,
    "draft": forms.DocumentDraftForm,
}


@login_required
@require_POST
def reconsideration_action(request, pk: int, action: str):
    rec = selectors.reconsideration_get(request.user, pk)
    if action not in RECONSIDERATION_FORMS:
        raise PermissionDenied("不支持的操作。")
    form_class = RECONSIDERATION_FORMS[action]
    if form_class is forms.ExtendForm:
        form = form_class(request.POST, unit=rec.case.handling_unit)
    elif form_class is forms.AnswerForm:
        form = form_class(request.POST, request.FILES)
    else:
        form = form_class(request.POST) if form_class else None
    if form_class is forms.DocumentDraftForm:
        form.fields["kind"].choices = DocumentKind.choices
    if form is None or form.is_valid():
        try:
            done = _perform_reconsideration(request, rec, action, form.cleaned_data if form else {})
        except ValidationError as exc:
            _service_errors(request, exc)
        else:
            messages.success(request, done)
            return redirect(rec)
    else:
        _form_errors(request, form)
    rec = selectors.reconsideration_get(request.user, pk)
    return render(
        request, "legal/reconsideration_detail.html", _reconsideration_context(request, rec), status=400
    )


# --- documents and follow-ups ---------------------------------------------------------------------------


def _document_for(user, pk: int) -> LegalDocument:
    """A document of a case the user may see (the reconsideration's parties included)."""
    document = get_object_or_404(LegalDocument.objects.select_related("case", "attachment"), pk=pk)
    visible_recs = selectors.reconsiderations_visible_to(user)
    if visible_recs.filter(case=document.case_id).exists():
        return document
    if visible_recs.filter(follow_ups__case=document.case_id).exists():
        return document
    raise Http404("文书不存在或您无权查看。")


def _subject_url(document: LegalDocument):
    rec = Reconsideration.objects.filter(case=document.case_id).first()
    if rec is not None:
        return rec.get_absolute_url()
    follow_up = document.case.follow_up
    return follow_up.reconsideration.get_absolute_url()


@login_required
def document_edit(request, pk: int):
    document = _document_for(request.user, pk)
    form = forms.DocumentEditForm(request.POST or None, initial={"text": document.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(document=document, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _service_errors(request, exc, form)
        else:
            messages.success(request, "已保存草稿。")
            return redirect("legal:document_edit", pk=document.pk)
    return render(
        request,
        "legal/document_edit.html",
        {
            "document": document,
            "form": form,
            "issue_form": forms.DocumentIssueForm(),
            "back": _subject_url(document),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def document_issue(request, pk: int):
    document = _document_for(request.user, pk)
    form = forms.DocumentIssueForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("legal:document_edit", pk=document.pk)
    try:
        document = services.document_issue(
            document=document, actor=request.user, issued_on=form.cleaned_data["issued_on"]
        )
    except ValidationError as exc:
        _service_errors(request, exc)
        return redirect("legal:document_edit", pk=document.pk)
    messages.success(request, f"已签发{document.title}（{document.number}）。")
    return redirect(_subject_url(document))


@login_required
def document_download(request, pk: int):
    document = _document_for(request.user, pk)
    if document.attachment is None:
        raise Http404("文书尚未签发。")
    return FileResponse(
        document.attachment.file.open("rb"), as_attachment=True, filename=document.attachment.name
    )


@login_required
def answer_file_download(request, pk: int):
    """A file of the respondent's answer: for whoever may read the reconsideration."""
    stored = get_object_or_404(AnswerFile.objects.select_related("answer"), pk=pk)
    selectors.reconsideration_get(request.user, stored.answer.reconsideration_id)
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)


@login_required
def follow_up_detail(request, pk: int):
    follow_up = selectors.follow_up_get(request.user, pk)
    form = forms.FollowUpReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.follow_up_reply(follow_up=follow_up, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _service_errors(request, exc, form)
            else:
                messages.success(request, "已报送纠正情况。")
                return redirect("legal:follow_up_detail", pk=follow_up.pk)
        status = 400
    return render(
        request,
        "legal/follow_up_detail.html",
        {
            "follow_up": follow_up,
            "case": follow_up.case,
            "clock": clock_of(follow_up.case),
            "form": form,
            "can_reply": permissions.can_reply_follow_up(request.user, follow_up)
            and not follow_up.replied_on,
            "documents": selectors.documents_of(follow_up.case_id),
            "can_draft": permissions.can_write_documents(request.user, follow_up.reconsideration, follow_up)
            and not selectors.documents_of(follow_up.case_id).exists(),
        },
        status=status,
    )


@login_required
@require_POST
def follow_up_draft(request, pk: int):
    follow_up = selectors.follow_up_get(request.user, pk)
    try:
        document = services.document_draft(
            case=follow_up.case, kind=DocumentKind.FOLLOW_UP, actor=request.user
        )
    except ValidationError as exc:
        _service_errors(request, exc)
        return redirect("legal:follow_up_detail", pk=follow_up.pk)
    return redirect("legal:document_edit", pk=document.pk)


# --- 行政应诉 ---------------------------------------------------------------------------------------------------


@login_required
def lawsuit_list(request):
    _require_staff(request.user)
    filters = {
        "q": request.GET.get("q", "").strip(),
        "state": request.GET.get("state", ""),
        "unit": _int(request.GET.get("unit")),
        "instance": request.GET.get("instance", "")
        if request.GET.get("instance") in Lawsuit.Instance.values
        else "",
        "act_category": request.GET.get("act_category", "")
        if request.GET.get("act_category") in ActCategory.values
        else "",
        "year": _int(request.GET.get("year")),
    }
    rows = selectors.lawsuit_list(request.user, **filters)
    if request.GET.get("export") == "xlsx":
        return _xlsx_response(xlsx.export("lawsuits", rows=rows), xlsx.filename("lawsuits", exported=True))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "legal/lawsuit_list.html",
        {
            "page": page,
            "rows": [(s, clock_of(s.case, today=today)) for s in page.object_list],
            "filters": filters,
            "instances": Lawsuit.Instance.choices,
            "categories": ActCategory.choices,
            "units": Unit.objects.filter(
                lawsuits_defended__lawsuit__in=selectors.lawsuits_visible_to(request.user)
            ).distinct(),
            "query": query.urlencode(),
        },
    )


def _defendants_for(user):
    from fazhi.cases.permissions import OPENING_ROLES

    return Unit.objects.filter(unit_scope(user, OPENING_ROLES).q(), status=Unit.Status.ACTIVE)


@login_required
def lawsuit_new(request):
    defendants = _defendants_for(request.user)
    if not defendants.exists():
        raise PermissionDenied("只有行政机关的承办人员可以登记应诉案件。")
    form = forms.LawsuitForm(
        request.POST or None,
        defendants=defendants,
        lawsuits=selectors.lawsuits_visible_to(request.user).select_related("case"),
        reconsiderations=selectors.reconsiderations_visible_to(request.user)
        .filter(outcome__in=services.REVIEW_AUTHORITY_OUTCOMES)
        .select_related("case"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            lawsuit = services.lawsuit_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(request, exc, form)
        else:
            messages.success(
                request, f"已登记{lawsuit.case.number}，答辩举证期限{lawsuit.defence_due:%Y年%m月%d日}。"
            )
            return redirect(lawsuit)
    return render(
        request, "legal/lawsuit_new.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


def _lawsuit_context(request, lawsuit: Lawsuit) -> dict:
    user = request.user
    case = lawsuit.case
    running = case.status != Case.Status.CLOSED
    runner = permissions.can_run_lawsuit(user, lawsuit)
    contributor = permissions.can_handle_lawsuit(user, lawsuit)
    defendants = list(lawsuit.defendants.select_related("unit"))
    hearings = list(selectors.hearings_of(lawsuit))
    rows = []
    for hearing in hearings:
        recorded = {a.unit_id: a for a in hearing.attendances.all()}
        rows.append(
            (hearing, [(d, recorded.get(d.unit_id)) for d in defendants], services.notice_short(hearing))
        )
    suggestions = (
        {d.unit_id: list(selectors.judicial_suggestions_for(user, d.unit)[:20]) for d in defendants}
        if contributor
        else {}
    )
    return {
        "lawsuit": lawsuit,
        "case": case,
        "clock": clock_of(case),
        "defendants": defendants,
        "hearing_rows": rows,
        "suggestions": suggestions,
        "appeals": lawsuit.appeals.select_related("case"),
        "timeline": case.timeline.select_related("actor").prefetch_related("attachments"),
        "can_defend": runner and running and not lawsuit.defence_filed_on,
        "can_hearing": contributor,
        "can_judge": runner and running and not lawsuit.judgment_type_id,
        "can_conclude": runner and running and bool(lawsuit.judgment_type_id),
        "defence_form": forms.DefenceForm(),
        "hearing_form": forms.CourtHearingForm(),
        "attendance_form": forms.AttendanceForm(),
        "judgment_form": forms.JudgmentForm(),
        "conclude_form": forms.ConcludeForm(),
        "AbsenceReason": Attendance.AbsenceReason,
    }


@login_required
def lawsuit_detail(request, pk: int):
    lawsuit = selectors.lawsuit_get(request.user, pk)
    return render(request, "legal/lawsuit_detail.html", _lawsuit_context(request, lawsuit))


def _perform_lawsuit(request, lawsuit: Lawsuit, action: str, form) -> str:
    user, d = request.user, form.cleaned_data
    if action == "defence":
        services.defence_file(lawsuit=lawsuit, actor=user, filed_on=d["filed_on"])
        return "已登记提交答辩状和证据。"
    if action == "hearing":
        services.court_hearing_add(
            lawsuit=lawsuit,
            actor=user,
            kind=d["kind"],
            held_at=d["held_at"],
            notice_received_on=d["notice_received_on"],
            head_summoned=d["head_summoned"],
            note=d["note"],
        )
        return "已登记庭审。"
    if action == "attendance":
        hearing = get_object_or_404(CourtHearing, pk=d["hearing"], lawsuit=lawsuit)
        unit = get_object_or_404(Unit, pk=d["unit"], lawsuits_defended__lawsuit=lawsuit)
        services.attendance_record(
            hearing=hearing,
            actor=user,
            unit=unit,
            attendees=form.attendees(),
            absence_reason=d["absence_reason"],
            absence_note=d["absence_note"],
            proof=request.FILES.get("proof"),
        )
        return "已登记出庭情况。"
    if action == "suggestion":
        attendance = get_object_or_404(Attendance, pk=d["attendance"], hearing__lawsuit=lawsuit)
        suggestion = get_object_or_404(Case, pk=d["suggestion"])
        services.attendance_link_suggestion(attendance=attendance, actor=user, suggestion_case=suggestion)
        return f"已关联司法建议{suggestion.number}。"
    if action == "judgment":
        services.judgment_record(
            lawsuit=lawsuit,
            actor=user,
            judgment_type=d["judgment_type"],
            judgment_on=d["judgment_on"],
            served_on=d["served_on"],
            summary=d["summary"],
        )
        return f"已登记裁判结果：{lawsuit.judgment_type.name}（{Result(lawsuit.result).label}）。"
    if action == "conclude":
        services.lawsuit_conclude(
            lawsuit=lawsuit, actor=user, appealed_by=d["appealed_by"], concluded_on=d["concluded_on"]
        )
        return "已结案。"
    raise PermissionDenied("不支持的操作。")


LAWSUIT_FORMS = {
    "defence": forms.DefenceForm,
    "hearing": forms.CourtHearingForm,
    "attendance": forms.AttendanceForm,
    "suggestion": forms.SuggestionLinkForm,
    "judgment": forms.JudgmentForm,
    "conclude": forms.ConcludeForm,
}


@login_required
@require_POST
def lawsuit_action(request, pk: int, action: str):
    lawsuit = selectors.lawsuit_get(request.user, pk)
    if action not in LAWSUIT_FORMS:
        raise PermissionDenied("不支持的操作。")
    form = LAWSUIT_FORMS[action](request.POST, request.FILES)
    if form.is_valid():
        try:
            done = _perform_lawsuit(request, lawsuit, action, form)
        except ValidationError as exc:
            _service_errors(request, exc)
        else:
            messages.success(request, done)
            return redirect(lawsuit)
    else:
        _form_errors(request, form)
    lawsuit = selectors.lawsuit_get(request.user, pk)
    return render(request, "legal/lawsuit_detail.html", _lawsuit_context(request, lawsuit), status=400)


# --- figures ---------------------------------------------------------------------------------------------------


def _period(request) -> tuple[date, date, int | None]:
    today = timezone.localdate()
    year = _int(request.GET.get("year"))
    try:
        start = date.fromisoformat(request.GET["start"]) if request.GET.get("start") else None
        end = date.fromisoformat(request.GET["end"]) if request.GET.get("end") else None
    except ValueError:
        start = end = None
    if start and end and start <= end:
        return start, end, None
    year = year if year and 2000 <= year <= today.year + 1 else today.year
    return date(year, 1, 1), date(year, 12, 31), year


@login_required
def figures(request):
    _require_staff(request.user)
    start, end, year = _period(request)
    kind = "litigation" if request.GET.get("kind") == "litigation" else "reconsideration"
    groups = selectors.LITIGATION_GROUPS if kind == "litigation" else selectors.RECONSIDERATION_GROUPS
    group = request.GET.get("group", "") if request.GET.get("group", "") in groups else ""
    if kind == "litigation":
        rows = selectors.litigation_figures(request.user, start=start, end=end, group=group)
        definitions = selectors.litigation_definitions()
    else:
        rows = selectors.reconsideration_figures(request.user, start=start, end=end, group=group)
        definitions = selectors.reconsideration_definitions()
    today = timezone.localdate()
    return render(
        request,
        "legal/figures.html",
        {
            "kind": kind,
            "table": [(row, [(d.code, row.figures[d.code]) for d in definitions]) for row in rows],
            "definitions": definitions,
            "groups": groups,
            "group": group,
            "start": start,
            "end": end,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
        },
    )


@login_required
def figure_records(request):
    _require_staff(request.user)
    start, end, _year = _period(request)
    kind = "litigation" if request.GET.get("kind") == "litigation" else "reconsideration"
    code, part = request.GET.get("code", ""), request.GET.get("part", "numerator")
    group, key = request.GET.get("group", ""), request.GET.get("key", "")
    if kind == "litigation":
        definitions = {d.code: d for d in selectors.litigation_definitions()}
        records = selectors.litigation_figure_records(
            request.user, code=code, part=part, start=start, end=end, group=group, key=key
        )
    else:
        definitions = {d.code: d for d in selectors.reconsideration_definitions()}
        records = selectors.reconsideration_figure_records(
            request.user, code=code, part=part, start=start, end=end, group=group, key=key
        )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "legal/figure_records.html",
        {
            "kind": kind,
            "definition": definitions.get(code),
            "part": part,
            "page": page,
            "start": start,
            "end": end,
            "query": query.urlencode(),
        },
    )


# --- XLSX import ------------------------------------------------------------------------------------------


@login_required
def import_records(request, kind: str):
    if kind not in xlsx.SHEETS:
        raise Http404("没有该登记簿。")
    if not xlsx.can_import(request.user, kind):
        raise PermissionDenied(xlsx.IMPORT_DENIED[kind])
    if request.GET.get("template"):
        return _xlsx_response(xlsx.template(kind), xlsx.filename(kind, exported=False))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = xlsx.import_file(kind, actor=request.user, upload=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, f"已导入{result.created}条记录。")
    return render(
        request,
        "legal/import.html",
        {"form": form, "result": result, "kind": kind, "spec": xlsx.SHEETS[kind]},
        status=400 if result is not None and not result.ok else 200,
    )
