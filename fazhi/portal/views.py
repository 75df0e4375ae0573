"""The public portal at /portal/: 我要反映, 查询办理进度 and 好差评, 建议提案答复公开.

No login. Views parse, call one service or selector, and render. The tracking code and the
phone suffix travel in POST bodies only, so neither lands in a URL, a proxy log or a history.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.hotline import escalation, ratings
from fazhi.hotline.models import Ticket
from fazhi.portal import forms, limits, selectors, services, uploads
from fazhi.reports import selectors as report_selectors
from fazhi.suggestions import selectors as suggestion_selectors

RECEIPT_SESSION_KEY = "portal_receipts"
RECEIPTS_KEPT = 5
HOME_REPORTS = 5


def _render(request, template: str, context: dict, status: int = 200):
    return render(request, template, context, status=status)


@xframe_options_deny
@require_GET
def home(request):
    year, figures = selectors.figures_public()
    reports = list(report_selectors.annual_reports_published()[:HOME_REPORTS])
    return _render(request, "portal/home.html", {"year": year, "figures": figures, "reports": reports})


# --- 我要反映 -------------------------------------------------------------------------------------------


def _submit_context(form, **extra) -> dict:
    return {
        "form": form,
        "max_files": uploads.MAX_FILES,
        "max_mb": uploads.MAX_FILE_BYTES // 1024 // 1024,
        "allowed": uploads.ALLOWED_TEXT,
        **extra,
    }


def _service_errors(form, exc: ValidationError) -> None:
    fields = {"category": "category3", "region": "region1", "caller_phone": "phone", "caller_name": "name"}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = fields.get(field, field)
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@xframe_options_deny
@never_cache
@require_http_methods(["GET", "POST"])
def submit(request):
    """The form; on any error it comes back with everything typed and a message per field."""
    if request.method == "GET":
        return _render(request, "portal/submit.html", _submit_context(forms.SubmitForm()))
    form = forms.SubmitForm(request.POST, request.FILES)
    files_sent = bool(request.FILES.getlist("attachments"))
    if form.is_bot:
        form.add_error(None, "提交未通过校验：请清空页面上“请勿填写此项”一栏后重新提交。")
        return _render(request, "portal/submit.html", _submit_context(form, files_sent=files_sent), 400)
    if not form.is_valid():
        return _render(request, "portal/submit.html", _submit_context(form, files_sent=files_sent), 400)
    address = limits.client_address(request)
    phone_key = limits.phone_key(form.cleaned_data["phone"])
    if limits.reached(limits.SUBMIT_PER_ADDRESS, address) or limits.reached(
        limits.SUBMIT_PER_PHONE, phone_key
    ):
        form.add_error(
            None,
            "提交过于频繁：同一网络每小时、同一号码每天可提交的诉求数已满。"
            "您填写的内容仍在下方，请稍后再提交，紧急事项请直接拨打12345。",
        )
        return _render(request, "portal/submit.html", _submit_context(form, files_sent=files_sent), 429)
    data = form.cleaned_data
    try:
        ticket = services.submission_register(
            request_type=data["request_type"],
            content=data["content"],
            category=form.category,
            region=form.region,
            phone=data["phone"],
            name=data["name"],
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            confidential=data["confidential"],
            attachments=data["attachments"],
            client_address=address,
        )
    except ValidationError as exc:
        _service_errors(form, exc)
        return _render(request, "portal/submit.html", _submit_context(form, files_sent=files_sent), 400)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return _render(request, "portal/submit.html", _submit_context(form, files_sent=files_sent), 503)
    limits.count(limits.SUBMIT_PER_ADDRESS, address)
    limits.count(limits.SUBMIT_PER_PHONE, phone_key)
    receipts = [ticket.pk, *request.session.get(RECEIPT_SESSION_KEY, [])][:RECEIPTS_KEPT]
    request.session[RECEIPT_SESSION_KEY] = receipts
    return redirect("portal:receipt")


@xframe_options_deny
@never_cache
@require_GET
def receipt(request):
    """受理回执 for the request just sent from this browser session: printable, no PII in the URL."""
    receipts = request.session.get(RECEIPT_SESSION_KEY, [])
    ticket = (
        Ticket.objects.filter(pk=receipts[0]).select_related("case", "case__handling_unit").first()
        if receipts
        else None
    )
    if ticket is None:
        return redirect("portal:submit")
    attachments = ticket.case.attachments.count() if ticket.case_id else 0
    return _render(
        request,
        "portal/receipt.html",
        {
            "ticket": ticket,
            "suffix": (ticket.caller_phone or "")[-4:],
            "attachments": attachments,
        },
    )


@require_GET
def options(request, kind: str):
    """<option>s under a chosen parent for the cascading selects (categories, regions)."""
    parent = request.GET.get("parent", "")
    parent_id = int(parent) if parent.isdigit() else None
    if kind == "category":
        items = selectors.category_children(parent_id) if parent_id else []
    elif kind == "region":
        items = selectors.region_children(parent_id) if parent_id else []
    else:
        raise PermissionDenied("不支持的选项。")
    return _render(request, "portal/_options.html", {"items": items})


# --- 查询办理进度 and 好差评 -------------------------------------------------------------------------------


def _track_failure(request, form, message: str, status: int):
    form.add_error(None, message)
    return _render(request, "portal/track.html", {"form": form}, status)


def _verified(request, form) -> tuple[Ticket | None, object]:
    """The request the citizen holds the code (and phone suffix) for, or the error page to show."""
    if limits.hit(limits.TRACK_PER_ADDRESS, limits.client_address(request)):
        return None, _track_failure(request, form, "查询过于频繁，请10分钟后再试。", 429)
    if not form.is_valid():
        return None, _render(request, "portal/track.html", {"form": form}, 400)
    code = form.cleaned_data["code"]
    if limits.reached(limits.WRONG_SUFFIX_PER_CODE, code):
        return None, _track_failure(
            request, form, "该查询码的号码后4位输错次数过多，已暂停查询1小时，请稍后再试或拨打12345。", 429
        )
    ticket, matched = selectors.ticket_for_tracking(code, form.cleaned_data["phone_suffix"])
    if ticket is None or not matched:
        if ticket is not None:
            limits.count(limits.WRONG_SUFFIX_PER_CODE, code)
        # One message for both: a wrong suffix must not confirm that the code exists.
        return None, _track_failure(
            request,
            form,
            "查询码或联系电话后4位不正确，请核对受理回执后重新输入（查询码为10位字母和数字）。",
            404,
        )
    return ticket, None


def _progress_page(request, ticket: Ticket, form, *, rate_form=None, done: str = "", status: int = 200):
    context = {
        "form": form,
        "done": done,
        **selectors.public_progress(ticket),
        "rate_form": rate_form or forms.RateForm(initial=form.cleaned_data),
    }
    return _render(request, "portal/track.html", context, status)


def _latest_receipt_code(request) -> str:
    receipts = request.session.get(RECEIPT_SESSION_KEY, [])
    if not receipts:
        return ""
    return Ticket.objects.filter(pk=receipts[0]).values_list("tracking_code", flat=True).first() or ""


@xframe_options_deny
@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """查询办理进度: the tracking code, plus the phone's last 4 digits when one was given."""
    if request.method == "GET":
        # Printed slips carry /hotline/track/?code=…: the code alone only fills the form in.
        # From the receipt, the code comes from the session so it stays out of the address bar.
        code = request.GET.get("code", "")[:16] or _latest_receipt_code(request)
        form = forms.TrackForm(initial={"code": code})
        return _render(request, "portal/track.html", {"form": form})
    form = forms.TrackForm(request.POST)
    ticket, failure = _verified(request, form)
    if failure is not None:
        return failure
    return _progress_page(request, ticket, form)


@xframe_options_deny
@never_cache
@require_POST
def rate(request):
    """好差评, five levels; the same credential as reading. A bad rating opens a rectification task."""
    form = forms.TrackForm(request.POST)
    ticket, failure = _verified(request, form)
    if failure is not None:
        return failure
    rate_form = forms.RateForm(request.POST)
    if not rate_form.is_valid():
        return _progress_page(request, ticket, form, rate_form=rate_form, status=400)
    try:
        ratings.rating_submit(
            ticket=ticket,
            level=rate_form.cleaned_data["level"],
            comment=rate_form.cleaned_data["comment"],
            actor=escalation.configured_supervisor(),
        )
    except ValidationError as exc:
        rate_form.add_error(None, "；".join(exc.messages))
        return _progress_page(request, ticket, form, rate_form=rate_form, status=400)
    return _progress_page(
        request,
        ticket,
        form,
        done="感谢您的评价！“不满意”“非常不满意”的评价将形成整改任务，由承办单位限期整改。",
    )


# --- 建议提案答复公开 ---------------------------------------------------------------------------------


@xframe_options_deny
@require_GET
def answers(request):
    """人大代表建议、政协提案办理答复公开, from the suggestions app's public selectors."""
    found = suggestion_selectors.answers_public()
    session = request.GET.get("session", "")
    session_id = int(session) if session.isdigit() else None
    if session_id:
        found = found.filter(proposal__session_id=session_id)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    return _render(
        request,
        "portal/answers.html",
        {"page": page, "sessions": suggestion_selectors.public_sessions(), "session": session_id},
    )


@xframe_options_deny
@require_GET
def answer(request, pk: int):
    found = suggestion_selectors.answer_public_get(pk)
    return _render(
        request, "portal/answer.html", {"answer": found, "text": selectors.public_text(found.text)}
    )


# --- 法治政府建设年度报告 -----------------------------------------------------------------------------


@xframe_options_deny
@require_GET
def reports(request):
    """Published annual reports (the reports app publishes them; its page renders each one)."""
    page = Paginator(report_selectors.annual_reports_published(), 20).get_page(request.GET.get("page"))
    return _render(request, "portal/reports.html", {"page": page})
