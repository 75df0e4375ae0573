from django import forms

from fazhi.assessment.models import IndicatorTree
from fazhi.org.forms import ImportForm
from fazhi.org.models import Unit


class _Bootstrap:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class CycleForm(_Bootstrap, forms.Form):
    tree = forms.ModelChoiceField(
        label="指标体系", queryset=IndicatorTree.objects.filter(status=IndicatorTree.Status.ACTIVE)
    )
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    name = forms.CharField(
        label="名称", max_length=100, required=False, help_text="留空为“某年度法治政府建设考核”"
    )
    units = forms.ModelMultipleChoiceField(
        label="考核对象",
        queryset=Unit.objects.filter(status="active").order_by("sort_order", "id"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    submit_due = forms.DateField(label="报送截止日", widget=forms.DateInput(attrs={"type": "date"}))
    appeal_due = forms.DateField(label="申诉截止日", widget=forms.DateInput(attrs={"type": "date"}))


class TreeImportForm(_Bootstrap, ImportForm):
    name = forms.CharField(label="指标体系名称", max_length=100)
    version = forms.CharField(label="版本", max_length=40)


class IndicatorForm(_Bootstrap, forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    requirement = forms.CharField(label="考核要求", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    max_score = forms.DecimalField(label="分值", min_value=0, max_digits=6, decimal_places=2)
    weight = forms.DecimalField(label="权重", required=False, max_digits=6, decimal_places=2)
