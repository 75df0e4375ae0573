from django import forms

from fazhi.cases.models import Supervision, SuspensionKind


class CloseForm(forms.Form):
    note = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 3}))


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(
        label="进入阶段", widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    note = forms.CharField(label="说明", required=False)

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s.code, s.name) for s in stages if not s.is_final]


class SuspendForm(forms.Form):
    kind = forms.ChoiceField(
        label="中止情形",
        choices=SuspensionKind.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    reason = forms.CharField(label="理由", max_length=300)


class ResumeForm(forms.Form):
    note = forms.CharField(label="说明", required=False)


class ExtendForm(forms.Form):
    period = forms.CharField(
        label="延长期限", help_text="如 5wd（工作日）、30d（日）、3m（月）", max_length=12
    )
    reason = forms.CharField(label="理由", max_length=300)


class CommentForm(forms.Form):
    note = forms.CharField(label="意见/办理情况", widget=forms.Textarea(attrs={"rows": 3}))
    files = forms.FileField(label="附件", required=False)


class SupervisionForm(forms.Form):
    level = forms.TypedChoiceField(label="级别", choices=Supervision.Level.choices, coerce=int)
    reason = forms.CharField(label="督办事由", max_length=300)
    due = forms.DateField(label="督办期限", widget=forms.DateInput(attrs={"type": "date"}))


class ResolveSupervisionForm(forms.Form):
    resolution = forms.CharField(
        label="办理情况", widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
