"""Forms of the 复议应诉 pages: they parse input; the services check the law."""

from django import forms
from django.utils import timezone

from fazhi.cases.permissions import HANDLING_ROLES
from fazhi.legal import catalogue
from fazhi.legal.models import (
    ActCategory,
    Attendance,
    Attendee,
    CourtHearing,
    FollowUp,
    Hearing,
    JudgmentType,
    Lawsuit,
    Outcome,
    PartyKind,
    Procedure,
    Reconsideration,
)
from fazhi.org.models import Unit, User

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "form-control form-control-sm"}, format="%Y-%m-%dT%H:%M"
)


def _today():
    return timezone.localdate()


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates can render fields as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


def unit_choices() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.filter(status=Unit.Status.ACTIVE).order_by("sort_order", "id")
    )


class ReconsiderationForm(StyledForm):
    body = forms.ModelChoiceField(label="行政复议机构", queryset=None)
    received_at = forms.DateTimeField(label="收到申请时间", widget=DATETIME, initial=timezone.now)
    channel = forms.ChoiceField(label="申请方式", choices=Reconsideration.Channel.choices)
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=PartyKind.choices)
    applicant_name = forms.CharField(label="申请人姓名（公民）", required=False, max_length=100)
    applicant_org = forms.CharField(label="申请人名称（法人或者其他组织）", required=False, max_length=100)
    applicant_id_number = forms.CharField(label="身份证件号码", required=False, max_length=32)
    applicant_phone = forms.CharField(label="联系电话", required=False, max_length=32)
    applicant_count = forms.IntegerField(label="申请人人数", min_value=1, initial=1)
    agent = forms.CharField(label="委托代理人", required=False, max_length=100)
    third_party = forms.CharField(label="第三人", required=False, max_length=100)
    respondent = forms.ModelChoiceField(label="被申请人", queryset=None)
    act_name = forms.CharField(label="被申请行政复议的行政行为", max_length=200)
    act_number = forms.CharField(label="文书编号", required=False, max_length=100)
    act_category = forms.ChoiceField(label="行为类别", choices=ActCategory.choices)
    act_date = forms.DateField(label="行政行为作出日期", required=False, widget=DATE)
    known_on = forms.DateField(label="知道该行政行为之日", required=False, widget=DATE)
    real_property = forms.BooleanField(label="涉及不动产", required=False)
    claims = forms.CharField(label="行政复议请求", widget=forms.Textarea(attrs={"rows": 3}))
    facts = forms.CharField(label="事实和理由", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    normative_review = forms.CharField(label="一并请求审查的规范性文件", required=False, max_length=200)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["respondent"].queryset = Unit.objects.filter(status=Unit.Status.ACTIVE).exclude(
            kind__in=[Unit.Kind.COURT, Unit.Kind.PROCURATORATE, Unit.Kind.CONGRESS]
        )


class CorrectionForm(StyledForm):
    items = forms.CharField(label="需要补正的事项（一次性列明）", widget=forms.Textarea(attrs={"rows": 3}))
    notified_on = forms.DateField(label="通知日期", widget=DATE, initial=_today)
    served_on = forms.DateField(label="送达日期", required=False, widget=DATE, help_text="留空同通知日期")


class CorrectionExtendForm(StyledForm):
    due = forms.DateField(label="延长至", widget=DATE)
    reason = forms.CharField(label="正当理由", max_length=300)


class DayForm(StyledForm):
    on = forms.DateField(label="日期", widget=DATE, initial=_today)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class AnswerForm(StyledForm):
    """被申请人网上答复: the answer's gist and the files (答复书, 证据, 依据)."""

    text = forms.CharField(
        label="答复意见",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="作出行政行为的事实、证据、依据和理由",
    )
    files = MultipleFileField(
        label="书面答复书和证据材料", required=False, help_text="可多选，每个文件不超过20MB"
    )


class AcceptForm(StyledForm):
    accepted_on = forms.DateField(label="受理日期", widget=DATE, initial=_today)
    procedure = forms.ChoiceField(label="审理程序", choices=Procedure.choices)
    simple_ground = forms.ChoiceField(
        label="适用简易程序的情形", required=False, choices=[("", "—")] + catalogue.SIMPLE_GROUNDS
    )


class RejectForm(StyledForm):
    rejected_on = forms.DateField(label="决定日期", widget=DATE, initial=_today)
    ground = forms.ChoiceField(label="不予受理理由", choices=catalogue.REJECTION_GROUNDS)
    reason = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    competent_body = forms.CharField(label="有管辖权的行政复议机关", required=False, max_length=100)


class HearingForm(StyledForm):
    kind = forms.ChoiceField(label="形式", choices=Hearing.Kind.choices)
    scheduled_at = forms.DateTimeField(label="时间", widget=DATETIME)
    place = forms.CharField(label="地点或方式", max_length=200)
    notice_sent_on = forms.DateField(label="通知日期", required=False, widget=DATE)


class HearingConcludeForm(StyledForm):
    hearing = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="情况", choices=[("held", "已举行"), ("cancelled", "已取消")])
    minutes = forms.CharField(label="记录", widget=forms.Textarea(attrs={"rows": 2}))


class SuspendForm(StyledForm):
    ground = forms.ChoiceField(label="中止情形", choices=catalogue.SUSPENSION_GROUNDS)
    reason = forms.CharField(label="说明", required=False, max_length=200)
    on = forms.DateField(label="中止日期", widget=DATE, initial=_today)


class ExtendForm(StyledForm):
    requested_by = forms.ModelChoiceField(label="申请人（承办人员）", queryset=User.objects.none())
    period = forms.CharField(label="延长", initial="30d", max_length=12, help_text="最多30日，如 30d")
    reason = forms.CharField(label="理由", max_length=300)

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            # the clerks of the reconsideration body, who ask for the extension the approver grants
            self.fields["requested_by"].queryset = User.objects.filter(
                memberships__unit=unit,
                memberships__role__in=list(HANDLING_ROLES),
                memberships__is_active=True,
            ).distinct()


class SwitchForm(StyledForm):
    reason = forms.CharField(label="转为普通程序的理由", max_length=300)


class DecideForm(StyledForm):
    outcome = forms.ChoiceField(label="结案方式", choices=Outcome.choices)
    ground = forms.ChoiceField(label="理由及依据", choices=[])
    remake_ordered = forms.BooleanField(label="责令重新作出行政行为", required=False)
    summary = forms.CharField(label="查明的事实和理由", widget=forms.Textarea(attrs={"rows": 4}))
    decided_on = forms.DateField(label="决定日期", widget=DATE, initial=_today)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for outcome, label in Outcome.choices:
            choices.append((label, [(g, text) for g, text in catalogue.OUTCOME_GROUNDS[outcome]]))
        self.fields["ground"].choices = choices


class FollowUpForm(StyledForm):
    kind = forms.ChoiceField(label="类型", choices=FollowUp.Kind.choices)
    addressee = forms.ModelChoiceField(
        label="送达单位", queryset=Unit.objects.filter(status=Unit.Status.ACTIVE)
    )
    content = forms.CharField(label="发现的问题与意见", widget=forms.Textarea(attrs={"rows": 3}))
    issued_on = forms.DateField(label="制发日期", widget=DATE, initial=_today)


class FollowUpReplyForm(StyledForm):
    reply = forms.CharField(label="纠正情况", widget=forms.Textarea(attrs={"rows": 4}))
    replied_on = forms.DateField(label="报送日期", widget=DATE, initial=_today)


class DocumentDraftForm(StyledForm):
    kind = forms.ChoiceField(label="文书", choices=[])


class DocumentEditForm(StyledForm):
    text = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 18}))


class DocumentIssueForm(StyledForm):
    issued_on = forms.DateField(label="签发日期", widget=DATE, initial=_today)


# --- litigation ---------------------------------------------------------------------------------------


class LawsuitForm(StyledForm):
    defendant = forms.ModelChoiceField(label="被告（主办单位）", queryset=None)
    co_defendants = forms.ModelMultipleChoiceField(
        label="共同被告", required=False, queryset=Unit.objects.filter(status=Unit.Status.ACTIVE)
    )
    court = forms.CharField(label="受理法院", max_length=100)
    court_number = forms.CharField(label="法院案号", required=False, max_length=60)
    instance = forms.ChoiceField(label="审级", choices=Lawsuit.Instance.choices)
    procedure = forms.ChoiceField(label="审理程序", choices=Procedure.choices)
    appeal_of = forms.ModelChoiceField(label="原审案件（二审、再审）", required=False, queryset=None)
    reconsideration = forms.ModelChoiceField(
        label="关联行政复议（复议维持共同被告）", required=False, queryset=None
    )
    plaintiff_kind = forms.ChoiceField(label="原告类型", choices=PartyKind.choices)
    plaintiff_name = forms.CharField(label="原告姓名（公民）", required=False, max_length=100)
    plaintiff_org = forms.CharField(label="原告名称（法人或者其他组织）", required=False, max_length=100)
    plaintiff_count = forms.IntegerField(label="原告人数", min_value=1, initial=1)
    act_name = forms.CharField(label="被诉行政行为", max_length=200)
    act_category = forms.ChoiceField(label="行为类别", choices=ActCategory.choices)
    filed_on = forms.DateField(label="立案日期", widget=DATE)
    complaint_received_on = forms.DateField(label="收到起诉状副本日期", widget=DATE, initial=_today)

    def __init__(self, *args, defendants=(), lawsuits=(), reconsiderations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["defendant"].queryset = defendants
        self.fields["appeal_of"].queryset = lawsuits
        self.fields["reconsideration"].queryset = reconsiderations
        self.fields["appeal_of"].label_from_instance = lambda s: (
            f"{s.court_number or s.case.number} {s.act_name}"
        )
        self.fields["reconsideration"].label_from_instance = lambda r: (
            f"{r.case.number} {r.act_name}（{r.get_outcome_display()}）"
        )


class DefenceForm(StyledForm):
    filed_on = forms.DateField(label="提交答辩日期", widget=DATE, initial=_today)


class CourtHearingForm(StyledForm):
    kind = forms.ChoiceField(label="类型", choices=CourtHearing.Kind.choices)
    held_at = forms.DateTimeField(label="开庭时间", widget=DATETIME)
    notice_received_on = forms.DateField(label="收到出庭通知日期", required=False, widget=DATE)
    head_summoned = forms.BooleanField(label="法院通知负责人出庭", required=False)
    note = forms.CharField(label="说明", required=False, max_length=300)


ATTENDEE_ROWS = 4


class AttendanceForm(StyledForm):
    hearing = forms.IntegerField(widget=forms.HiddenInput)
    unit = forms.IntegerField(widget=forms.HiddenInput)
    absence_reason = forms.ChoiceField(
        label="负责人未出庭理由",
        required=False,
        choices=[("", "—（负责人已出庭）")] + Attendance.AbsenceReason.choices,
    )
    absence_note = forms.CharField(label="理由说明", required=False, max_length=300)
    proof = forms.FileField(label="证明材料（加盖公章）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(ATTENDEE_ROWS):
            self.fields[f"name_{n}"] = forms.CharField(label="姓名", required=False, max_length=50)
            self.fields[f"post_{n}"] = forms.CharField(label="职务", required=False, max_length=60)
            self.fields[f"capacity_{n}"] = forms.ChoiceField(
                label="身份", required=False, choices=[("", "—")] + Attendee.Capacity.choices
            )
            for name in (f"name_{n}", f"post_{n}"):
                self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
            self.fields[f"capacity_{n}"].widget.attrs["class"] = "form-select form-select-sm"

    def attendees(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"name": data[f"name_{n}"], "post": data[f"post_{n}"], "capacity": data[f"capacity_{n}"]}
            for n in range(ATTENDEE_ROWS)
            if data.get(f"name_{n}") or data.get(f"capacity_{n}")
        ]


class SuggestionLinkForm(StyledForm):
    attendance = forms.IntegerField(widget=forms.HiddenInput)
    suggestion = forms.IntegerField(label="司法建议案件")


class JudgmentForm(StyledForm):
    judgment_type = forms.ModelChoiceField(
        label="裁判结果", queryset=JudgmentType.objects.filter(is_active=True)
    )
    judgment_on = forms.DateField(label="裁判日期", widget=DATE)
    served_on = forms.DateField(label="收到裁判文书日期", widget=DATE, initial=_today)
    summary = forms.CharField(label="裁判要旨", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConcludeForm(StyledForm):
    appealed_by = forms.ChoiceField(label="上诉情况", choices=Lawsuit.AppealedBy.choices)
    concluded_on = forms.DateField(label="结案日期", widget=DATE, initial=_today)


class ImportForm(forms.Form):
    file = forms.FileField(label="XLSX 文件")
