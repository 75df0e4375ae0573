from django import forms

from fazhi.reports.review.documents import SUFFIXES

ACCEPT = ",".join(SUFFIXES)


class ReportFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReviewForm(forms.Form):
    file = forms.FileField(
        label="报告文件",
        help_text="TXT、DOCX或HTML格式",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "form-control"}),
    )


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", ReportFileInput(attrs={"accept": ACCEPT, "class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class CompareForm(forms.Form):
    files = MultipleFileField(label="报告文件", help_text="选择两份或更多报告（TXT、DOCX或HTML）")
