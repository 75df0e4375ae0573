from django import forms

from fazhi.hotline.models import Callback, Category, Channel, RequestType
from fazhi.org.models import Region, Unit


def category_label(category: Category) -> str:
    """The datalist value the operator picks: code first so it parses back, then the full path."""
    return f"{category.code} {category.full_name}"


def region_label(region: Region) -> str:
    parent = f"（{region.parent.name}）" if region.parent_id else ""
    return f"{region.code} {region.name}{parent}"


class CategoryField(forms.CharField):
    """A third-level category typed or picked from a datalist: "010101 城市管理 / …" or its exact name."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        code = value.split()[0]
        found = Category.objects.filter(code=code, is_active=True).first()
        if found is None:
            matches = list(
                Category.objects.filter(name=value.strip(), level=Category.Level.THIRD, is_active=True)[:2]
            )
            found = matches[0] if len(matches) == 1 else None
        if found is None:
            raise forms.ValidationError("没有这个分类，请输入分类名称的一部分并从列表中选择。")
        return found


class RegionField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        found = Region.objects.filter(code=value.split()[0]).first()
        if found is None:
            matches = list(Region.objects.filter(name=value.strip())[:2])
            found = matches[0] if len(matches) == 1 else None
        if found is None:
            raise forms.ValidationError("没有这个区域，请输入社区、街道或区县名称并从列表中选择。")
        return found


class IntakeForm(forms.Form):
    caller_phone = forms.CharField(label="来电号码", max_length=32, required=False)
    caller_name = forms.CharField(label="来电人", max_length=50, required=False)
    content = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 5}))
    request_type = forms.ChoiceField(label="诉求类型", choices=RequestType.choices, initial=RequestType.HELP)
    category = CategoryField(label="诉求分类")
    region = RegionField(label="所在区域")
    address = forms.CharField(label="详细地址", max_length=200, required=False)
    confidential = forms.BooleanField(label="来电人要求保密（举报）", required=False)
    channel = forms.ChoiceField(label="受理渠道", choices=Channel.choices, initial=Channel.PHONE)
    lead_unit = forms.ModelChoiceField(
        label="主办单位", queryset=Unit.objects.filter(status=Unit.Status.ACTIVE), required=False
    )
    triage_override = forms.BooleanField(label="确认不属于紧急或法定途径事项，继续派单", required=False)
    merge_into = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DispatchForm(forms.Form):
    unit = forms.ModelChoiceField(label="承办单位", queryset=Unit.objects.filter(status=Unit.Status.ACTIVE))
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位", queryset=Unit.objects.filter(status=Unit.Status.ACTIVE), required=False
    )
    note = forms.CharField(label="派单说明", max_length=300, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退单理由", widget=forms.Textarea(attrs={"rows": 3}))
    suggested_unit = forms.ModelChoiceField(
        label="建议承办单位", queryset=Unit.objects.filter(status=Unit.Status.ACTIVE), required=False
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label="理由", max_length=300)


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 3}))
    contacted_caller = forms.BooleanField(label="已联系来电人", required=False)


class CallbackForm(forms.Form):
    satisfaction = forms.ChoiceField(label="满意度", choices=Callback.Satisfaction.choices)
    resolution = forms.ChoiceField(label="解决情况", choices=Callback.Resolution.choices)
    note = forms.CharField(label="回访记录", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    target = forms.CharField(label="并入工单（编号或查询码）", max_length=40)


class OpinionForm(forms.Form):
    note = forms.CharField(label="办理意见", widget=forms.Textarea(attrs={"rows": 3}))


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=16)


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=300, required=False)


class SendBackForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=300)
