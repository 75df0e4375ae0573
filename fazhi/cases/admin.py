"""Back office for the case engine: case types are configuration edited here; casework itself is
read-only here and changes only through the staff pages and services."""

from django import forms
from django.contrib import admin

from fazhi.cases.models import Case, CaseStage, CaseType, Supervision, SuspensionKind
from fazhi.core.admin import FazhiModelAdmin
from fazhi.core.deadlines import Period
from fazhi.core.security import can_use_admin


def _check_period(value: str, label: str, *, blank: bool) -> str:
    if blank and not value:
        return value
    try:
        Period.parse(value)
    except ValueError as exc:
        raise forms.ValidationError(f"{label}：{exc}") from None
    return value


class CaseTypeForm(forms.ModelForm):
    allowed_suspensions = forms.MultipleChoiceField(
        label="允许的中止情形",
        choices=SuspensionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CaseType
        fields = [
            "code",
            "name",
            "legal_basis",
            "period",
            "roll_forward",
            "warning_period",
            "allowed_suspensions",
            "max_extension",
            "extension_approver_role",
            "number_prefix",
            "number_format",
            "is_active",
        ]

    def clean_period(self):
        return _check_period(self.cleaned_data["period"], "办理期限", blank=False)

    def clean_warning_period(self):
        return _check_period(self.cleaned_data["warning_period"], "临期提醒窗口", blank=False)

    def clean_max_extension(self):
        return _check_period(self.cleaned_data["max_extension"], "延期上限", blank=True)

    def clean_number_format(self):
        pattern = self.cleaned_data["number_format"]
        try:
            pattern.format(prefix="X", year=2024, seq=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise forms.ValidationError(f"编号格式只能使用 {{prefix}}、{{year}}、{{seq}}：{exc}") from None
        return pattern


class CaseStageInline(admin.TabularInline):
    """Stages are edited with their case type; removing one would orphan cases in it."""

    model = CaseStage
    extra = 0

    def has_view_permission(self, request, obj=None):
        return can_use_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return can_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return can_use_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseType)
class CaseTypeAdmin(FazhiModelAdmin):
    form = CaseTypeForm
    list_display = [
        "code",
        "name",
        "period",
        "max_extension",
        "extension_approver_role",
        "number_format",
        "is_active",
    ]
    list_filter = ["is_active"]
    inlines = [CaseStageInline]


class ReadOnlyAdmin(FazhiModelAdmin):
    allow_add = allow_change = allow_delete = False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "case_type", "handling_unit", "status", "due_date", "closed_at"]
    list_filter = ["case_type", "status", "is_confidential"]
    search_fields = ["number", "title"]
    list_select_related = ["case_type", "handling_unit"]
    show_full_result_count = False


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ["case", "level", "reason", "due_date", "issuing_unit", "resolved_at"]
    list_filter = ["level"]
    list_select_related = ["case", "issuing_unit"]
