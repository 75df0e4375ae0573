"""Back office of 复议应诉: the local configuration (reconsideration bodies, document templates,
the win/loss mapping, how figures count) is edited here and audited; casework is read-only here
and changes only through the staff pages and services."""

from django import forms
from django.contrib import admin
from django.template import TemplateSyntaxError

from fazhi.cases.admin import ReadOnlyAdmin
from fazhi.core.admin import FazhiModelAdmin
from fazhi.legal import documents
from fazhi.legal.models import (
    DocumentTemplate,
    FigureSettings,
    JudgmentType,
    Lawsuit,
    Outcome,
    Reconsideration,
    ReconsiderationBody,
)


@admin.register(ReconsiderationBody)
class ReconsiderationBodyAdmin(FazhiModelAdmin):
    list_display = ["unit", "authority", "document_prefix", "is_active"]
    list_select_related = ["unit", "authority"]


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["kind", "title", "number_format", "body"]

    def clean_number_format(self):
        pattern = self.cleaned_data["number_format"]
        try:
            pattern.format(prefix="明政复", year=2024, seq=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise forms.ValidationError(f"编号格式只能使用 {{prefix}}、{{year}}、{{seq}}：{exc}") from None
        return pattern

    def clean_body(self):
        body = self.cleaned_data["body"]
        try:
            documents.render_text(body, {})
        except TemplateSyntaxError as exc:
            raise forms.ValidationError(f"正文模板语法错误：{exc}") from None
        return body


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(FazhiModelAdmin):
    form = DocumentTemplateForm
    allow_add = False  # one per kind, loaded with the installation
    list_display = ["kind", "title", "number_format", "updated_at"]


@admin.register(JudgmentType)
class JudgmentTypeAdmin(FazhiModelAdmin):
    list_display = ["name", "kind", "result", "article", "order", "is_active"]
    list_editable = ["result"]
    list_filter = ["kind", "result", "is_active"]


class FigureSettingsForm(forms.ModelForm):
    direct_correction = forms.MultipleChoiceField(
        label="直接纠错计入的结案方式",
        choices=Outcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    broad_correction = forms.MultipleChoiceField(
        label="纠错（广义）计入的结案方式",
        choices=Outcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    mediation_withdrawal = forms.MultipleChoiceField(
        label="调撤计入的结案方式",
        choices=Outcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    upheld = forms.MultipleChoiceField(
        label="维持计入的结案方式",
        choices=Outcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rejected = forms.MultipleChoiceField(
        label="驳回计入的结案方式",
        choices=Outcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = FigureSettings
        fields = [
            "direct_correction",
            "broad_correction",
            "mediation_withdrawal",
            "upheld",
            "rejected",
            "correction_denominator",
        ]


@admin.register(FigureSettings)
class FigureSettingsAdmin(FazhiModelAdmin):
    form = FigureSettingsForm
    allow_add = False  # one row, created with the installation


@admin.register(Reconsideration)
class ReconsiderationAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "respondent",
        "act_category",
        "acceptance",
        "procedure",
        "outcome",
        "decided_on",
    ]
    list_filter = ["acceptance", "procedure", "outcome", "act_category"]
    list_select_related = ["case", "respondent"]
    search_fields = ["case__number", "act_name"]
    exclude = ["applicant_name", "applicant_id_number", "applicant_phone", "applicant_id_index"]


@admin.register(Lawsuit)
class LawsuitAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "court", "instance", "filed_on", "judgment_type", "concluded_on"]
    list_filter = ["instance", "judgment_type"]
    list_select_related = ["case", "judgment_type"]
    search_fields = ["court_number", "case__number", "act_name"]
    exclude = ["plaintiff_name"]
