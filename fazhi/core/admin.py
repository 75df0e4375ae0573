"""The Django admin, locked down to the 系统管理员 (三员分立; 等保 8.1.4.2 d, 安全管理中心·系统管理).

Access comes from the role, never from is_staff or is_superuser. Every app's ModelAdmin
inherits FazhiModelAdmin: it grants the system administrator what the class allows, and
records each save and delete in the audit trail unless the subclass writes through a service
(which audits itself). Login, logout and password change go through /accounts/, where
lockout and auditing live; the admin's own login form is never shown.
"""

import datetime
import decimal

from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse

from fazhi.core import audit, crypto
from fazhi.core.auth_urls import LogoutView
from fazhi.core.fields import EncryptedCharField
from fazhi.core.models import ApiToken, AuditEvent, CalendarDay
from fazhi.core.security import can_use_admin
from fazhi.core.tokens import token_revoke

SECRET_FIELD_NAMES = frozenset({"password", "digest"})


def _has_permission(request) -> bool:
    return can_use_admin(request.user)


def _login(request, extra_context=None):
    if request.user.is_authenticated:
        raise PermissionDenied("只有系统管理员可以进入后台管理。")
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


def _password_change(request, extra_context=None):
    return redirect("password_change")


def lock_down(site: AdminSite) -> None:
    """Route the site's permission check and account pages to ours (works on the default site)."""
    site.has_permission = _has_permission
    site.login = _login
    site.logout = LogoutView.as_view()
    site.password_change = _password_change
    site.password_change_done = _password_change


lock_down(admin.site)
if admin.site.is_registered(Group):
    admin.site.unregister(Group)  # permissions come from Membership roles, not Django groups


def _plain(field: models.Field | None, value):
    """A JSON-safe, PII-safe rendering of a form value for the audit record."""
    if field is not None and field.name in SECRET_FIELD_NAMES:
        return "******"
    if isinstance(field, EncryptedCharField):
        return crypto.mask(value, field.kind)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}#{value.pk} {value}"[:200]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [_plain(None, item) for item in value]
    return str(value)


class FazhiModelAdmin(admin.ModelAdmin):
    """Base class for every ModelAdmin in Fazhi.

    Set ``allow_add`` / ``allow_change`` / ``allow_delete`` to what the system administrator may
    do here (deleting is off by default: records are archived, not deleted). Set
    ``audit_writes = False`` when ``save_model``/``delete_model`` call a service that audits.
    """

    allow_add = True
    allow_change = True
    allow_delete = False
    audit_writes = True

    def has_module_permission(self, request) -> bool:
        return can_use_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_use_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return self.allow_add and can_use_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.allow_change and can_use_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.allow_delete and can_use_admin(request.user)

    def _action(self, verb: str) -> str:
        return f"admin.{self.opts.app_label}.{self.opts.model_name}.{verb}"[:64]

    def _changes(self, form, change: bool) -> tuple[dict | None, dict]:
        before, after = {}, {}
        for name in form.changed_data:
            try:
                field = self.opts.get_field(name)
            except Exception:
                field = None
            if change:
                before[name] = _plain(field, form.initial.get(name))
            after[name] = _plain(field, form.cleaned_data.get(name))
        return (before if change else None), after

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if self.audit_writes:
            before, after = self._changes(form, change)
            audit.record(
                actor=request.user,
                action=self._action("changed" if change else "created"),
                target=obj,
                before=before,
                after=after,
                message="后台管理",
            )

    def delete_model(self, request, obj):
        if self.audit_writes:
            audit.record(actor=request.user, action=self._action("deleted"), target=obj, message="后台管理")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if self.audit_writes:
            for obj in queryset:
                audit.record(
                    actor=request.user, action=self._action("deleted"), target=obj, message="后台管理（批量）"
                )
        super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Registered so nobody else can register it editable; visible to no one here.

    The 审计管理员 reads the log at /core/audit/; the 系统管理员 must not (三员分立).
    """

    def has_module_permission(self, request) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(FazhiModelAdmin):
    """List and revoke only. Tokens are issued with `fazhi token create`; the digest is never shown."""

    allow_add = False
    allow_change = False
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["prefix", "user__username", "user__full_name", "name"]
    fields = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_revoke_permission(self, request) -> bool:
        return can_use_admin(request.user)

    @admin.action(description="吊销所选令牌", permissions=["revoke"])
    def revoke(self, request, queryset):
        live = list(queryset.filter(revoked_at__isnull=True))
        for token in live:
            token_revoke(actor=request.user, token=token)
        self.message_user(request, f"已吊销{len(live)}个令牌。", messages.SUCCESS)


@admin.register(CalendarDay)
class CalendarDayAdmin(FazhiModelAdmin):
    """Read-only here: the work calendar is edited on its own page, where changes are checked."""

    allow_add = False
    allow_change = False
    list_display = ["date", "kind", "is_workday", "name", "source", "note"]
    list_filter = ["kind", "source"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]
