"""Forms of the suggestion and proposal pages; they parse input, the services decide."""

from django import forms

from fazhi.org.models import Unit
from fazhi.org.selectors import units_active
from fazhi.suggestions import selectors
from fazhi.suggestions.models import Adoption, Grade, ProposalContact, Representative, Satisfaction, Session

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}
DATE = {"class": "form-control form-control-sm", "type": "date"}


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class SuggestionForm(forms.Form):
    kind = forms.ModelChoiceField(
        label="建议类别", queryset=selectors.suggestion_kinds_active(), widget=forms.Select(SELECT)
    )
    issuer = UnitChoiceField(label="建议机关", queryset=selectors.issuers(), widget=forms.Select(SELECT))
    document_number = forms.CharField(
        label="文号", max_length=60, required=False, widget=forms.TextInput(TEXT)
    )
    issued_on = forms.DateField(label="发文日期", required=False, widget=forms.DateInput(DATE))
    received_on = forms.DateField(label="收到日期", widget=forms.DateInput(DATE))
    addressee = UnitChoiceField(
        label="承办（被建议）单位", queryset=units_active(), widget=forms.Select(SELECT)
    )
    title = forms.CharField(label="标题", max_length=200, widget=forms.TextInput(TEXT))
    content = forms.CharField(label="主要内容", widget=_area(5))
    urgent = forms.BooleanField(label="紧急情形（国家利益或社会公共利益损害继续扩大）", required=False)
    stated_period = forms.CharField(
        label="来文载明期限",
        max_length=12,
        required=False,
        help_text="来文写明回复期限的填写，如 30d（日）、2m（月）；不填按类别。",
        widget=forms.TextInput(TEXT),
    )


class ReplyForm(forms.Form):
    adoption = forms.ChoiceField(label="采纳情况", choices=Adoption.choices, widget=forms.Select(SELECT))
    reasons = forms.CharField(label="未采纳或部分采纳的理由", required=False, widget=_area(2))
    measures = forms.CharField(label="整改措施", required=False, widget=_area(2))
    text = forms.CharField(label="回复内容", widget=_area(4))
    replied_on = forms.DateField(
        label="回复日期", required=False, widget=forms.DateInput(DATE), help_text="留空为今天"
    )


class FollowUpForm(forms.Form):
    note = forms.CharField(label="要求补充回复的事项", widget=_area(2))
    requested_on = forms.DateField(label="来函日期", required=False, widget=forms.DateInput(DATE))
    period = forms.CharField(
        label="补充回复期限", max_length=12, required=False, widget=forms.TextInput(TEXT)
    )


class ProposalForm(forms.Form):
    session = forms.ModelChoiceField(
        label="届次会议", queryset=selectors.sessions_open(), widget=forms.Select(SELECT)
    )
    number = forms.CharField(label="建议/提案号", max_length=20, widget=forms.TextInput(TEXT))
    title = forms.CharField(label="标题", max_length=200, widget=forms.TextInput(TEXT))
    content = forms.CharField(label="主要内容", widget=_area(5))
    lead_proposer = forms.ModelChoiceField(
        label="领衔人", queryset=Representative.objects.filter(is_active=True), widget=forms.Select(SELECT)
    )
    co_proposers = forms.ModelMultipleChoiceField(
        label="联名人",
        queryset=Representative.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple({**SELECT, "size": 4}),
    )
    topic = forms.CharField(label="类别", max_length=30, required=False, widget=forms.TextInput(TEXT))
    is_key = forms.BooleanField(label="重点督办", required=False)
    lead_unit = UnitChoiceField(label="主办单位", queryset=units_active(), widget=forms.Select(SELECT))
    co_units = forms.ModelMultipleChoiceField(
        label="会办单位",
        queryset=units_active(),
        required=False,
        widget=forms.SelectMultiple({**SELECT, "size": 5}),
    )
    received_on = forms.DateField(label="交办日期", widget=forms.DateInput(DATE))


class ContactForm(forms.Form):
    method = forms.ChoiceField(
        label="联系方式", choices=ProposalContact.Method.choices, widget=forms.Select(SELECT)
    )
    contacted_on = forms.DateField(label="联系日期", required=False, widget=forms.DateInput(DATE))
    note = forms.CharField(label="沟通情况", widget=_area(2))


class AnswerForm(forms.Form):
    grade = forms.ChoiceField(label="办理结果", choices=Grade.choices, widget=forms.Select(SELECT))
    text = forms.CharField(label="答复内容", widget=_area(5))
    answered_on = forms.DateField(label="答复日期", required=False, widget=forms.DateInput(DATE))


class FeedbackForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="满意程度", choices=Satisfaction.choices, widget=forms.Select(SELECT)
    )
    note = forms.CharField(label="代表、委员的意见", required=False, widget=_area(2))
    received_on = forms.DateField(label="反馈日期", required=False, widget=forms.DateInput(DATE))


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=_area(2))
    suggested_unit = UnitChoiceField(
        label="建议承办单位", queryset=units_active(), required=False, widget=forms.Select(SELECT)
    )


class ReturnDecisionForm(forms.Form):
    unit = UnitChoiceField(
        label="改派单位", queryset=units_active(), required=False, widget=forms.Select(SELECT)
    )
    note = forms.CharField(label="处理意见", max_length=300, required=False, widget=forms.TextInput(TEXT))


class CoUnitForm(forms.Form):
    unit = UnitChoiceField(label="会办单位", queryset=units_active(), widget=forms.Select(SELECT))


class ExtensionRequestForm(forms.Form):
    reason = forms.CharField(label="申请延期理由", widget=_area(2))


class NoteForm(forms.Form):
    """For actions that take nothing but the button (approve, disclose)."""


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "body",
            "name",
            "term",
            "meeting",
            "opened_on",
            "period",
            "return_window",
            "rehandle_period",
        ]
        widgets = {
            "body": forms.Select(SELECT),
            "name": forms.TextInput(TEXT),
            "term": forms.NumberInput(TEXT),
            "meeting": forms.NumberInput(TEXT),
            "opened_on": forms.DateInput(DATE),
            "period": forms.TextInput(TEXT),
            "return_window": forms.TextInput(TEXT),
            "rehandle_period": forms.TextInput(TEXT),
        }


class RepresentativeForm(forms.ModelForm):
    class Meta:
        model = Representative
        fields = ["body", "name", "group", "organisation", "phone"]
        widgets = {
            "body": forms.Select(SELECT),
            "name": forms.TextInput(TEXT),
            "group": forms.TextInput(TEXT),
            "organisation": forms.TextInput(TEXT),
            "phone": forms.TextInput(TEXT),
        }
