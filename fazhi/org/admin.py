"""The org registers in Django admin (the 系统管理员's tool). Every save goes through
`fazhi.org.services`.

The service runs while the admin validates the form, so its Chinese messages appear against the
fields and a refused save writes nothing (the admin view is one transaction). Nothing here can
be deleted: units are reorganised, items retired, accounts deactivated. Roles are granted and
revoked by the 安全管理员 on the staff pages, so memberships are read-only here.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from fazhi.core.admin import FazhiModelAdmin
from fazhi.org import services
from fazhi.org.models import BoundaryItem, Membership, Region, ResponsibilityItem, Unit, User


class ServiceAdmin(FazhiModelAdmin):
    """Subclasses say which service creates and which updates; the admin never saves by itself."""

    audit_writes = False  # the services audit, with before/after snapshots

    def create(self, request, data: dict):
        raise NotImplementedError

    def update(self, request, obj, data: dict):
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(base):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                data = {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}
                try:
                    if obj is None:
                        self.service_result = model_admin.create(request, data)
                    else:
                        # The form has already copied its values onto `obj`; the service compares
                        # against the stored row, so hand it a fresh one.
                        fresh = type(obj)._default_manager.get(pk=obj.pk)
                        self.service_result = model_admin.update(request, fresh, data)
                except ValidationError as exc:
                    errors = (
                        exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
                    )
                    for field, field_errors in errors.items():
                        self.add_error(field if field in self.fields else None, field_errors)
                except PermissionDenied as exc:
                    self.add_error(None, str(exc) or "您没有执行此操作的权限。")

        return ServiceForm

    def save_form(self, request, form, change):
        return form.service_result

    def save_model(self, request, obj, form, change):
        pass  # already saved by the service during validation

    def save_related(self, request, form, formsets, change):
        pass  # many-to-many fields are the service's business too

    def run_each(self, request, queryset, action, done: str) -> None:
        """Apply a service to each selected row; report refusals one by one."""
        count = 0
        for obj in queryset:
            try:
                action(obj)
                count += 1
            except (ValidationError, PermissionDenied) as exc:
                text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{obj}：{text}", messages.ERROR)
        if count:
            self.message_user(request, f"已{done}{count}条。", messages.SUCCESS)


@admin.register(Region)
class RegionAdmin(ServiceAdmin):
    # Codes are referenced by units and statistics: a wrong region is replaced, not edited.
    allow_change = False
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)

    def create(self, request, data):
        return services.region_create(actor=request.user, **data)

    def update(self, request, obj, data):
        return obj


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    list_display = ("name", "short_name", "kind", "parent", "region", "status", "sort_order")
    list_filter = ("kind", "status")
    search_fields = ("name", "short_name", "credit_code")
    autocomplete_fields = ("parent", "region")
    fields = (
        "name",
        "short_name",
        "kind",
        "parent",
        "region",
        "credit_code",
        "sort_order",
        "path",
        "status",
        "successor",
        "status_changed_on",
        "status_note",
    )
    readonly_fields = ("path", "status", "successor", "status_changed_on", "status_note")

    def create(self, request, data):
        return services.unit_create(actor=request.user, **data)

    def update(self, request, obj, data):
        return services.unit_update(actor=request.user, unit=obj, **data)


class UserAddForm(forms.ModelForm):
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=False),
        help_text="本人首次登录时须修改。",
    )

    class Meta:
        model = User
        fields = ("username", "full_name")


@admin.register(User)
class UserAdmin(ServiceAdmin):
    list_display = ("username", "full_name", "is_active", "last_login", "password_changed_at", "locked_until")
    list_filter = ("is_active",)
    search_fields = ("username", "full_name")
    actions = ("deactivate",)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = UserAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("username", "full_name", "password")
        return (
            "username",
            "full_name",
            "is_active",
            "last_login",
            "password_changed_at",
            "failed_login_count",
            "locked_until",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "username",
            "is_active",
            "last_login",
            "password_changed_at",
            "failed_login_count",
            "locked_until",
        )

    def create(self, request, data):
        user, _ = services.user_create(
            actor=request.user,
            username=data["username"],
            full_name=data["full_name"],
            password=data["password"],
        )
        return user

    def update(self, request, obj, data):
        return services.user_update(actor=request.user, user=obj, full_name=data["full_name"])

    @admin.action(description="停用所选账号（同时终止其全部任职）")
    def deactivate(self, request, queryset):
        self.run_each(
            request, queryset, lambda u: services.user_deactivate(actor=request.user, user=u), "停用"
        )


@admin.register(Membership)
class MembershipAdmin(FazhiModelAdmin):
    """Read-only: authorisation is the 安全管理员's duty (人员 page → 授予角色 / 收回)."""

    allow_add = False
    allow_change = False
    list_display = ("user", "unit", "role", "scope", "post", "is_active")
    list_filter = ("role", "scope", "is_active")
    search_fields = ("user__username", "user__full_name", "unit__name", "post")
    list_select_related = ("user", "unit")


@admin.register(ResponsibilityItem)
class ResponsibilityItemAdmin(ServiceAdmin):
    list_display = ("code", "name", "kind", "unit", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "legal_basis")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)
    fields = ("code", "name", "kind", "unit", "legal_basis", "is_active")
    readonly_fields = ("is_active",)
    actions = ("retire",)

    def create(self, request, data):
        return services.responsibility_item_create(actor=request.user, **data)

    def update(self, request, obj, data):
        return services.responsibility_item_update(actor=request.user, item=obj, **data)

    @admin.action(description="废止所选事项")
    def retire(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda i: services.responsibility_item_retire(actor=request.user, item=i),
            "废止",
        )


@admin.register(BoundaryItem)
class BoundaryItemAdmin(ServiceAdmin):
    list_display = ("code", "name", "lead_unit", "keywords", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name", "keywords", "description")
    autocomplete_fields = ("lead_unit",)
    filter_horizontal = ("co_units",)
    list_select_related = ("lead_unit",)
    fields = (
        "code",
        "name",
        "lead_unit",
        "co_units",
        "description",
        "keywords",
        "legal_basis",
        "settled_by",
        "is_active",
    )
    readonly_fields = ("is_active",)
    actions = ("retire",)

    def create(self, request, data):
        return services.boundary_item_create(
            actor=request.user, **{**data, "co_units": list(data["co_units"])}
        )

    def update(self, request, obj, data):
        return services.boundary_item_update(
            actor=request.user, item=obj, **{**data, "co_units": list(data["co_units"])}
        )

    @admin.action(description="废止所选边界事项")
    def retire(self, request, queryset):
        self.run_each(
            request, queryset, lambda i: services.boundary_item_retire(actor=request.user, item=i), "废止"
        )
