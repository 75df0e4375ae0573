"""Filter and upload forms for the register pages. They only parse; selectors and services decide."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from fazhi.org.models import Membership, ResponsibilityItem, Role, Unit, User

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _blank_first(choices, blank: str = "全部") -> list[tuple[str, str]]:
    return [("", blank), *choices]


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.order_by("status", "sort_order", "id"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "全部单位")
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        return obj.name if obj.is_active else f"{obj.name}（{obj.get_status_display()}）"


class FilterForm(forms.Form):
    """A GET filter: bad values are dropped rather than shown as errors, so a stale link still works."""

    q = forms.CharField(label="关键词", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs.setdefault("class", css)

    def filters(self) -> dict:
        self.is_valid()  # cleaned_data then holds only the fields that parsed
        return self.cleaned_data


class UnitFilterForm(FilterForm):
    kind = forms.ChoiceField(label="单位类型", required=False, choices=_blank_first(Unit.Kind.choices))
    status = forms.ChoiceField(label="状态", required=False, choices=_blank_first(Unit.Status.choices))
    unit = UnitChoiceField(label="所属单位（含下级）")


class StaffFilterForm(FilterForm):
    unit = UnitChoiceField(label="单位（含下级）")
    role = forms.ChoiceField(label="角色", required=False, choices=_blank_first(Role.choices))


class ResponsibilityFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label="职权类型", required=False, choices=_blank_first(ResponsibilityItem.Kind.choices)
    )
    unit = UnitChoiceField(label="实施主体（含下级）")
    retired = forms.BooleanField(label="含已废止事项", required=False)


class BoundaryFilterForm(FilterForm):
    unit = UnitChoiceField(label="涉及单位")
    retired = forms.BooleanField(label="含已废止事项", required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="XLSX 文件", help_text="请使用本页下载的模板，大小不超过5MB。")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 格式的文件（Excel 2007 及以后版本的工作簿）。")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("文件超过5MB，请分批导入。")
        return upload


class MembershipGrantForm(forms.Form):
    """The security administrator's grant: an account (by its login name) a role at a unit."""

    username = forms.CharField(label="账号", max_length=150)
    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.filter(status=Unit.Status.ACTIVE).order_by("sort_order", "id")
    )
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    scope = forms.ChoiceField(label="范围", choices=Membership.Scope.choices, initial=Membership.Scope.UNIT)
    post = forms.CharField(label="岗位/职务", max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(f"没有账号“{username}”，请先由系统管理员开设。")
        return user

    def add_service_errors(self, exc: ValidationError) -> None:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        for field, messages in errors.items():
            self.add_error(
                "username" if field == "user" else field if field in self.fields else None, messages
            )
