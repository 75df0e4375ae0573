"""The audit log, for the 审计管理员 only (三员分立; 等保 8.1.4.3 and 安全管理中心·审计管理).

Every read of the log is itself recorded, and so is every refused attempt to read it.
"""

import csv
import json
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.models import AuditEvent
from fazhi.org.permissions import can_read_audit

PAGE_SIZE = 50
EXPORT_COLUMNS = [
    ("id", "序号"),
    ("occurred_at", "时间"),
    ("actor_label", "操作人账号"),
    ("action", "操作"),
    ("target_type", "对象类型"),
    ("target_id", "对象编号"),
    ("target_label", "对象"),
    ("success", "是否成功"),
    ("message", "说明"),
    ("ip", "IP地址"),
    ("request_id", "请求编号"),
    ("before", "变更前"),
    ("after", "变更后"),
    ("prev_hash", "前一记录摘要"),
    ("hash", "摘要(SM3)"),
]


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    action = forms.CharField(
        label="操作（前缀）", required=False, max_length=64, help_text="如 auth. 或 hotline."
    )
    target = forms.CharField(label="对象", required=False, max_length=200, help_text="对象编号或名称")
    success = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部"), ("1", "成功"), ("0", "失败")]
    )
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"
            if field.help_text:
                field.widget.attrs["placeholder"] = field.help_text

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return cleaned

    def used(self) -> dict[str, str]:
        """The filters in force, for the audit record of this read."""
        if not self.is_valid():
            return {}
        return {key: str(value) for key, value in self.cleaned_data.items() if value not in (None, "")}


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_filtered(form: AuditFilterForm) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data["actor"]:
        events = events.filter(actor_label__icontains=data["actor"].strip())
    if data["action"]:
        events = events.filter(action__startswith=data["action"].strip())
    if data["target"]:
        target = data["target"].strip()
        events = events.filter(Q(target_id=target) | Q(target_label__icontains=target))
    if data["success"]:
        events = events.filter(success=data["success"] == "1")
    if data["date_from"]:
        events = events.filter(occurred_at__gte=_start_of(data["date_from"]))
    if data["date_to"]:
        events = events.filter(occurred_at__lt=_start_of(data["date_to"] + timedelta(days=1)))
    return events.order_by("-id")


def _require_audit_reader(request):
    """Anonymous → login page; anyone but the audit administrator → 403 (recorded as access.denied)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_read_audit(request.user):
        # DeniedAccessAuditMiddleware records the attempt.
        raise PermissionDenied("只有审计管理员可以查看审计日志。")
    return None


def audit_log(request):
    if (response := _require_audit_reader(request)) is not None:
        return response
    form = AuditFilterForm(request.GET)
    events = audit_events_filtered(form)
    page = Paginator(events.defer("before", "after"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read before this read is itself recorded
    audit.record(
        actor=request.user,
        action="audit.viewed",
        after={"filters": form.used(), "page": page.number},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _diff_rows(before, after) -> list[dict]:
    """One row per key of before/after, so the reader sees what changed."""
    before, after = before or {}, after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [{"key": "", "before": _shown(before), "after": _shown(after), "changed": before != after}]
    return [
        {
            "key": key,
            "before": _shown(before.get(key)),
            "after": _shown(after.get(key)),
            "changed": before.get(key) != after.get(key),
        }
        for key in dict.fromkeys([*before, *after])
    ]


def audit_detail(request, pk: int):
    if (response := _require_audit_reader(request)) is not None:
        return response
    event = get_object_or_404(AuditEvent.objects.select_related("actor"), pk=pk)
    audit.record(actor=request.user, action="audit.detail_viewed", target=event)
    return render(
        request,
        "core/audit_detail.html",
        {
            "event": event,
            "rows": _diff_rows(event.before, event.after),
            "hash_ok": audit.compute_hash(event) == event.hash,
        },
    )


class _Echo:
    def write(self, value):
        return value


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def export_rows(events: QuerySet[AuditEvent]):
    """CSV lines (with a BOM so Excel reads the Chinese) for a queryset of events."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([label for _, label in EXPORT_COLUMNS])
    for event in events.iterator(chunk_size=2000):
        row = []
        for name, _ in EXPORT_COLUMNS:
            value = getattr(event, name)
            if name == "occurred_at":
                value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
            elif name == "success":
                value = "成功" if value else "失败"
            elif value is None:
                value = ""
            row.append(value)
        yield writer.writerow(row)


def audit_export(request):
    if (response := _require_audit_reader(request)) is not None:
        return response
    form = AuditFilterForm(request.GET)
    # Rows up to now; the record of this export (and later ones) are not part of it.
    events = audit_events_filtered(form).filter(id__lte=last_event_id()).order_by("id")
    audit.record(actor=request.user, action="audit.exported", after={"filters": form.used()})
    response = StreamingHttpResponse(export_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"'
    return response


urlpatterns = [
    path("audit/", audit_log, name="audit_log"),
    path("audit/export.csv", audit_export, name="audit_export"),
    path("audit/<int:pk>/", audit_detail, name="audit_detail"),
]
