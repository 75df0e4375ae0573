"""行政应诉: lawsuits against the government's units, their hearings and who appeared.

A lawsuit is a `cases.Case` of type "litigation" handled by the lead defendant; co-defendants
are the case's co-handling units. One `Lawsuit` row per 审级 (一审、二审、再审): an appeal is a
new lawsuit linked to the one below, as 负责人出庭 counts each 审理程序 separately (法释〔2020〕3号
Art. 7).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.cases.models import Attachment, Case
from fazhi.core.fields import EncryptedCharField
from fazhi.core.models import TimeStampedModel
from fazhi.legal.models.reconsideration import ActCategory, PartyKind, Procedure, Reconsideration
from fazhi.org.models import Unit


class Result(models.TextChoices):
    LOST = "lost", "败诉"
    WON = "won", "胜诉"
    OTHER = "other", "其他"
    INHERIT = "inherit", "同原审结果"


class JudgmentType(models.Model):
    """裁判结果类型及其胜败诉归类。归类口径各地不一（撤诉、驳回起诉是否计入），由本地在后台调整。"""

    class Kind(models.TextChoices):
        JUDGMENT = "judgment", "判决"
        RULING = "ruling", "裁定"
        MEDIATION = "mediation", "调解"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("文书类型", max_length=10, choices=Kind.choices)
    article = models.CharField("依据", max_length=100)
    result = models.CharField("归类", max_length=8, choices=Result.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "裁判结果类型"
        verbose_name_plural = "裁判结果类型"

    def __str__(self) -> str:
        return self.name


class Lawsuit(TimeStampedModel):
    """行政诉讼案件（一个审级）：原告起诉、法院立案、被告答辩举证、开庭、裁判、上诉。"""

    class Instance(models.TextChoices):
        FIRST = "first", "一审"
        SECOND = "second", "二审"
        RETRIAL = "retrial", "再审"

    class AppealedBy(models.TextChoices):
        NONE = "none", "未上诉"
        DEFENDANT = "defendant", "行政机关上诉"
        PLAINTIFF = "plaintiff", "原告上诉"
        BOTH = "both", "双方上诉"

    case = models.OneToOneField(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="lawsuit")
    court = models.CharField("受理法院", max_length=100)
    court_number = models.CharField("法院案号", max_length=60, blank=True, help_text="如（2024）鲁99行初12号")
    instance = models.CharField("审级", max_length=8, choices=Instance.choices)
    procedure = models.CharField(
        "审理程序", max_length=8, choices=Procedure.choices, default=Procedure.NORMAL
    )
    plaintiff_kind = models.CharField("原告类型", max_length=16, choices=PartyKind.choices)
    plaintiff_name = EncryptedCharField("原告姓名", kind="name", blank=True)
    plaintiff_org = models.CharField("原告名称", max_length=100, blank=True)
    plaintiff_count = models.PositiveSmallIntegerField("原告人数", default=1)
    act_name = models.CharField("被诉行政行为", max_length=200)
    act_category = models.CharField("行为类别", max_length=20, choices=ActCategory.choices)
    filed_on = models.DateField("立案日期")
    complaint_received_on = models.DateField("收到起诉状副本日期")
    defence_due = models.DateField("答辩举证期限")
    defence_filed_on = models.DateField("提交答辩日期", null=True, blank=True)
    reconsideration = models.ForeignKey(
        Reconsideration,
        verbose_name="关联行政复议（复议维持共同被告）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lawsuits",
    )
    appeal_of = models.ForeignKey(
        "self",
        verbose_name="原审案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    judgment_type = models.ForeignKey(
        JudgmentType,
        verbose_name="裁判结果",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    judgment_on = models.DateField("裁判日期", null=True, blank=True)
    judgment_served_on = models.DateField("收到裁判文书日期", null=True, blank=True)
    judgment_summary = models.TextField("裁判要旨", blank=True)
    appealed_by = models.CharField("上诉情况", max_length=10, choices=AppealedBy.choices, blank=True)
    concluded_on = models.DateField("结案日期", null=True, blank=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = "行政诉讼案件"
        verbose_name_plural = "行政诉讼案件"
        indexes = [
            models.Index(fields=["concluded_on"], name="lawsuit_concluded_idx"),
            models.Index(fields=["filed_on"], name="lawsuit_filed_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "court_number"],
                condition=~models.Q(court_number=""),
                name="lawsuit_unique_court_number",
            ),
            models.CheckConstraint(
                name="lawsuit_appeal_has_lower_instance",
                condition=models.Q(instance="first", appeal_of__isnull=True) | ~models.Q(instance="first"),
            ),
        ]

    def __str__(self) -> str:
        return f"行政诉讼 {self.court_number or self.case.number}"

    def get_absolute_url(self) -> str:
        return reverse("legal:lawsuit_detail", args=[self.pk])

    @property
    def plaintiff_display(self) -> str:
        return self.plaintiff_org or self.get_plaintiff_name_masked()

    @property
    def result(self) -> str:
        """败诉/胜诉/其他 by the configured mapping; an upheld appeal keeps the result below."""
        lawsuit, seen = self, 0
        while lawsuit is not None and seen < 5:
            if lawsuit.judgment_type_id is None:
                return ""
            if lawsuit.judgment_type.result != Result.INHERIT:
                return lawsuit.judgment_type.result
            lawsuit, seen = lawsuit.appeal_of, seen + 1
        return Result.OTHER


class Defendant(models.Model):
    """被告：被诉行政行为的作出机关；复议机关维持原行为的，复议机关为共同被告（行政诉讼法第二十六条）。"""

    class Role(models.TextChoices):
        DEFENDANT = "defendant", "被告"
        CO_DEFENDANT = "co_defendant", "共同被告"
        REVIEW_AUTHORITY = "review_authority", "复议机关（共同被告）"

    lawsuit = models.ForeignKey(Lawsuit, on_delete=models.CASCADE, related_name="defendants")
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="lawsuits_defended"
    )
    role = models.CharField("诉讼地位", max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["lawsuit_id", "id"]
        verbose_name = "被告"
        verbose_name_plural = "被告"
        constraints = [models.UniqueConstraint(fields=["lawsuit", "unit"], name="defendant_unique_unit")]

    def __str__(self) -> str:
        return f"{self.unit.name}（{self.get_role_display()}）"


class CourtHearing(TimeStampedModel):
    """庭审：开庭、庭前会议或宣判。负责人出庭率只统计开庭。"""

    class Kind(models.TextChoices):
        TRIAL = "trial", "开庭审理"
        PRETRIAL = "pretrial", "庭前会议"
        PRONOUNCEMENT = "pronouncement", "宣判"

    lawsuit = models.ForeignKey(Lawsuit, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField("类型", max_length=14, choices=Kind.choices, default=Kind.TRIAL)
    held_at = models.DateTimeField("开庭时间")
    notice_received_on = models.DateField("收到出庭通知日期", null=True, blank=True)
    head_summoned = models.BooleanField(
        "法院通知负责人出庭", default=False, help_text="法释〔2020〕3号第四条：法院书面通知负责人出庭"
    )
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_at", "id"]
        verbose_name = "庭审"
        verbose_name_plural = "庭审"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"


class Attendance(models.Model):
    """一个被告单位在一次庭审中的出庭情况：谁出庭、负责人未出庭的理由与证明、由此收到的司法建议。"""

    class AbsenceReason(models.TextChoices):
        FORCE_MAJEURE = "force_majeure", "不可抗力"
        ACCIDENT = "accident", "意外事件"
        IRREPLACEABLE_DUTY = "duty", "需要履行他人不能代替的公务"
        OTHER = "other", "其他正当事由"
        NONE = "none", "无正当理由"

    hearing = models.ForeignKey(CourtHearing, on_delete=models.CASCADE, related_name="attendances")
    unit = models.ForeignKey(Unit, verbose_name="被告单位", on_delete=models.PROTECT, related_name="+")
    absence_reason = models.CharField(
        "负责人未出庭理由", max_length=16, choices=AbsenceReason.choices, blank=True
    )
    absence_note = models.CharField("理由说明", max_length=300, blank=True)
    absence_proof = models.ForeignKey(
        Attachment, verbose_name="证明材料", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suggestion_case = models.ForeignKey(
        Case,
        verbose_name="因未出庭收到的司法建议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="absence_attendances",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        ordering = ["hearing_id", "id"]
        verbose_name = "出庭情况"
        verbose_name_plural = "出庭情况"
        constraints = [models.UniqueConstraint(fields=["hearing", "unit"], name="attendance_unique_unit")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.hearing}"


class Attendee(models.Model):
    """出庭人员。"""

    class Capacity(models.TextChoices):
        CHIEF = "chief", "正职负责人"
        DEPUTY = "deputy", "副职负责人"
        IN_CHARGE = "in_charge", "其他参与分管的负责人"
        STAFF = "staff", "工作人员"
        LAWYER = "lawyer", "律师"

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=60, blank=True)
    capacity = models.CharField("出庭身份", max_length=10, choices=Capacity.choices)

    class Meta:
        ordering = ["attendance_id", "id"]
        verbose_name = "出庭人员"
        verbose_name_plural = "出庭人员"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_capacity_display()}）"


HEAD_CAPACITIES = (Attendee.Capacity.CHIEF, Attendee.Capacity.DEPUTY, Attendee.Capacity.IN_CHARGE)
