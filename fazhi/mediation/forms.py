"""Forms of the 人民调解 pages; they parse input, the services decide."""

from django import forms

from fazhi.mediation.models import Committee, Dispute, DisputeType, Mediator, Outcome, Referral, Source
from fazhi.org.models import Region

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}
DATE = {"class": "form-control form-control-sm", "type": "date"}


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.parent.name} {obj.name}" if obj.parent_id else obj.name


class DisputeForm(forms.Form):
    committee = forms.ModelChoiceField(
        label="调解委员会", queryset=Committee.objects.none(), widget=forms.Select(SELECT)
    )
    title = forms.CharField(label="案件名称", max_length=200, widget=forms.TextInput(TEXT))
    description = forms.CharField(label="简要情况", widget=_area(4))
    dispute_type = forms.ChoiceField(
        label="纠纷类型", choices=DisputeType.choices, widget=forms.Select(SELECT)
    )
    source = forms.ChoiceField(label="来源", choices=Source.choices, widget=forms.Select(SELECT))
    hotline_number = forms.CharField(
        label="12345工单编号", max_length=40, required=False, widget=forms.TextInput(TEXT)
    )
    referral_reference = forms.CharField(
        label="委派/移送文号", max_length=60, required=False, widget=forms.TextInput(TEXT)
    )
    region = RegionField(
        label="纠纷发生地",
        queryset=Region.objects.filter(level__gte=Region.Level.STREET)
        .select_related("parent")
        .order_by("code"),
        widget=forms.Select(SELECT),
    )
    amount = forms.DecimalField(
        label="涉及金额（元）", required=False, min_value=0, widget=forms.NumberInput(TEXT)
    )
    received_on = forms.DateField(label="受理日期", widget=forms.DateInput(DATE))
    applicant = forms.CharField(label="申请人", max_length=100, widget=forms.TextInput(TEXT))
    applicant_phone = forms.CharField(
        label="申请人电话", max_length=32, required=False, widget=forms.TextInput(TEXT)
    )
    applicant_id = forms.CharField(
        label="申请人证件号码", max_length=32, required=False, widget=forms.TextInput(TEXT)
    )
    respondent = forms.CharField(label="被申请人", max_length=100, widget=forms.TextInput(TEXT))
    respondent_phone = forms.CharField(
        label="被申请人电话", max_length=32, required=False, widget=forms.TextInput(TEXT)
    )
    respondent_id = forms.CharField(
        label="被申请人证件号码", max_length=32, required=False, widget=forms.TextInput(TEXT)
    )
    mediator = forms.ModelChoiceField(
        label="主持调解员",
        queryset=Mediator.objects.filter(is_active=True),
        required=False,
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if committees is not None:
            self.fields["committee"].queryset = committees


class SessionForm(forms.Form):
    held_on = forms.DateField(label="调解日期", widget=forms.DateInput(DATE))
    place = forms.CharField(label="地点", max_length=100, widget=forms.TextInput(TEXT))
    mediators = forms.ModelMultipleChoiceField(
        label="调解员", queryset=Mediator.objects.none(), widget=forms.SelectMultiple({**SELECT, "size": 3})
    )
    summary = forms.CharField(label="调解经过", widget=_area(3))

    def __init__(self, *args, dispute: Dispute | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:
            self.fields["mediators"].queryset = dispute.committee.mediators.filter(is_active=True)


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label="调解结果", choices=Outcome.choices, widget=forms.Select(SELECT))
    concluded_on = forms.DateField(label="结案日期", required=False, widget=forms.DateInput(DATE))
    agreement_form = forms.ChoiceField(
        label="协议形式",
        choices=[("", "—"), *Dispute.AgreementForm.choices],
        required=False,
        widget=forms.Select(SELECT),
    )
    agreement_text = forms.CharField(label="协议内容", required=False, widget=_area(3))
    agreement_effective_on = forms.DateField(
        label="协议生效日期", required=False, widget=forms.DateInput(DATE), help_text="留空为结案日期"
    )
    parties_told = forms.BooleanField(label="已告知当事人可在30日内共同申请司法确认", required=False)
    referral = forms.ChoiceField(
        label="已告知的其他途径",
        choices=[("", "—"), *Referral.choices],
        required=False,
        widget=forms.Select(SELECT),
    )
    failure_reason = forms.CharField(label="调解不成原因", required=False, widget=_area(2))


class ConfirmationForm(forms.Form):
    applied_on = forms.DateField(label="申请日期", widget=forms.DateInput(DATE))
    court = forms.CharField(label="受理法院", max_length=60, widget=forms.TextInput(TEXT))


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["name", "kind", "unit", "region", "established_on"]
        widgets = {
            "name": forms.TextInput(TEXT),
            "kind": forms.Select(SELECT),
            "unit": forms.Select(SELECT),
            "region": forms.Select(SELECT),
            "established_on": forms.DateInput(DATE),
        }


class MediatorForm(forms.ModelForm):
    class Meta:
        model = Mediator
        fields = ["name", "post", "phone"]
        widgets = {
            "name": forms.TextInput(TEXT),
            "post": forms.Select(SELECT),
            "phone": forms.TextInput(TEXT),
        }
