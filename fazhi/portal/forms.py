"""The citizen's forms: 我要反映, 查询办理进度, 好差评. Every message names the field and the rule."""

import re
from decimal import Decimal

from django import forms

from fazhi.core import crypto
from fazhi.hotline.models import TRACKING_LENGTH, Category, RatingLevel, RequestType
from fazhi.org.models import Region
from fazhi.portal import uploads

MIN_CONTENT_CHARS = 10
MAX_CONTENT_CHARS = 2000
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0[1-9]\d{8,10}$")  # area code with its 0, then 7 or 8 digits
# Mainland China, generously: coordinates outside are a slip of the finger, not a place.
LATITUDE_RANGE = (Decimal(3), Decimal(54))
LONGITUDE_RANGE = (Decimal(73), Decimal(136))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.gif,.webp,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def normalised_phone(value: str) -> str:
    """ "+86 138-1234-1234" → "13812341234"; "(0393) 123 4567" → "03931234567"."""
    return crypto.normalise(value or "", "phone")


def phone_suffix(value: str) -> str:
    return normalised_phone(value)[-4:]


class SubmitForm(forms.Form):
    request_type = forms.ChoiceField(
        label="诉求类型",
        choices=RequestType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择诉求类型：咨询、求助、投诉、举报、建议、表扬或其他。"},
    )
    category1 = forms.ModelChoiceField(
        label="诉求分类（一级）", queryset=Category.objects.none(), required=False, empty_label="不清楚可不选"
    )
    category2 = forms.ModelChoiceField(
        label="诉求分类（二级）", queryset=Category.objects.none(), required=False, empty_label="请选择"
    )
    category3 = forms.ModelChoiceField(
        label="诉求分类（三级）", queryset=Category.objects.none(), required=False, empty_label="请选择"
    )
    content = forms.CharField(
        label="诉求内容",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_CONTENT_CHARS}),
        error_messages={"required": f"请填写诉求内容（{MIN_CONTENT_CHARS}至{MAX_CONTENT_CHARS}字）。"},
    )
    region1 = forms.ModelChoiceField(
        label="所在区县",
        queryset=Region.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择事项发生地所在的区县。"},
    )
    region2 = forms.ModelChoiceField(
        label="乡镇街道", queryset=Region.objects.none(), required=False, empty_label="请选择"
    )
    region3 = forms.ModelChoiceField(
        label="社区村", queryset=Region.objects.none(), required=False, empty_label="请选择"
    )
    address = forms.CharField(label="详细地址", max_length=200, required=False)
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    phone = forms.CharField(
        label="联系电话",
        max_length=32,
        error_messages={"required": "请填写联系电话，承办单位需要联系您，查询进度也要用到号码后4位。"},
    )
    confidential = forms.BooleanField(label="对我的个人信息保密（仅限举报）", required=False)
    attachments = MultipleFileField(
        label="附件", required=False, error_messages={"empty": "所选文件中有空文件（0字节），请重新选择。"}
    )
    # Honeypot: hidden from people by CSS; software that fills every field fills it too.
    homepage = forms.CharField(label="请勿填写此项", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.filter(is_active=True)
        self.fields["category1"].queryset = categories.filter(level=Category.Level.FIRST)
        self.fields["category2"].queryset = categories.filter(
            level=Category.Level.SECOND, parent_id=self._picked("category1")
        )
        self.fields["category3"].queryset = categories.filter(
            level=Category.Level.THIRD, parent_id=self._picked("category2")
        )
        self.fields["region1"].queryset = Region.objects.filter(level=Region.Level.COUNTY).order_by("code")
        self.fields["region2"].queryset = Region.objects.filter(
            level=Region.Level.STREET, parent_id=self._picked("region1")
        ).order_by("code")
        self.fields["region3"].queryset = Region.objects.filter(
            level=Region.Level.COMMUNITY, parent_id=self._picked("region2")
        ).order_by("code")
        for name in ("category2", "category3", "region2", "region3"):
            self.fields[name].error_messages["invalid_choice"] = (
                f"{self.fields[name].label}与上一级不对应，请重新选择。"
            )
        cascade = {
            "category1": "category2",
            "category2": "category3",
            "region1": "region2",
            "region2": "region3",
        }
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
            if name in cascade:
                widget.attrs["data-child"] = f"id_{cascade[name]}"
                widget.attrs["data-kind"] = name.rstrip("123")
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def _picked(self, name: str) -> int | None:
        """The id the citizen chose in a parent select; -1 (matches nothing) when there is none."""
        value = self.data.get(name, "") if self.is_bound else ""
        return int(value) if str(value).isdigit() else -1

    def clean_content(self) -> str:
        content = self.cleaned_data["content"].strip()
        if len(content) < MIN_CONTENT_CHARS:
            raise forms.ValidationError(
                f"诉求内容不少于{MIN_CONTENT_CHARS}个字（现有{len(content)}字），请写明时间、地点和具体问题。"
            )
        if len(content) > MAX_CONTENT_CHARS:
            raise forms.ValidationError(f"诉求内容不超过{MAX_CONTENT_CHARS}字（现有{len(content)}字）。")
        return content

    def clean_phone(self) -> str:
        phone = normalised_phone(self.cleaned_data["phone"])
        if not (MOBILE.match(phone) or LANDLINE.match(phone)):
            raise forms.ValidationError(
                "联系电话应为11位手机号码（如13812345678），或带区号的固定电话（如0393-1234567）。"
            )
        return phone

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_address(self) -> str:
        return self.cleaned_data["address"].strip()

    def clean_attachments(self) -> list:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > uploads.MAX_FILES:
            raise forms.ValidationError(f"附件最多{uploads.MAX_FILES}个（现有{len(files)}个）。")
        problems = [message for message in (uploads.check(f) for f in files) if message]
        if problems:
            raise forms.ValidationError(problems)
        return files

    def clean(self) -> dict:
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None) and "latitude" not in self.errors:
            self.add_error("latitude", "经纬度须同时填写或同时留空。")
        elif latitude is not None and longitude is not None:
            if not LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]:
                self.add_error("latitude", "纬度应在3至54之间（我国境内）。")
            if not LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]:
                self.add_error("longitude", "经度应在73至136之间（我国境内）。")
        if data.get("confidential") and data.get("request_type") != RequestType.REPORT:
            self.add_error("confidential", "只有“举报”类诉求可以要求保密；如需保密，请把诉求类型选为举报。")
        if data.get("category2") and not data.get("category3"):
            self.add_error("category3", "请把诉求分类选到第三级，或全部不选由12345中心分类。")
        return data

    @property
    def category(self) -> Category | None:
        return self.cleaned_data.get("category3")

    @property
    def region(self) -> Region | None:
        data = self.cleaned_data
        return data.get("region3") or data.get("region2") or data.get("region1")

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("homepage") or "").strip())


class TrackForm(forms.Form):
    code = forms.CharField(
        label="查询码",
        max_length=16,
        error_messages={"required": f"请输入受理时告知您的{TRACKING_LENGTH}位查询码。"},
    )
    phone_suffix = forms.CharField(
        label="联系电话后4位",
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s+", "", self.cleaned_data["code"]).upper()
        if len(code) != TRACKING_LENGTH:
            raise forms.ValidationError(f"查询码为{TRACKING_LENGTH}位字母和数字（现有{len(code)}位）。")
        return code

    def clean_phone_suffix(self) -> str:
        suffix = self.cleaned_data["phone_suffix"].strip()
        if suffix and not re.fullmatch(r"\d{4}", suffix):
            raise forms.ValidationError("请输入联系电话的最后4位数字。")
        return suffix


class RateForm(TrackForm):
    level = forms.TypedChoiceField(
        label="评价",
        choices=RatingLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价：非常满意、满意、基本满意、不满意或非常不满意。"},
    )
    comment = forms.CharField(
        label="评价内容",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )
