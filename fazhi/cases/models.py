"""The case engine: every matter with a responsible unit and a statutory deadline.

A hotline request, a 行政复议, a lawsuit, a 司法建议, a 人大建议 — each is a `Case` of a
`CaseType` held as data. Domain apps hang their own detail model on `Case`; there is one engine.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.core.models import TimeStampedModel
from fazhi.org.models import Role, Unit


class SuspensionKind(models.TextChoices):
    SUSPENDED = "suspended", "中止"
    CORRECTION = "correction", "补正"
    AWAITING_CITIZEN = "awaiting", "等待当事人"
    APPRAISAL = "appraisal", "鉴定/检测"
    HEARING = "hearing", "听证"


class CaseType(TimeStampedModel):
    """案件类型：法定期限、计期规则、阶段、可中止情形、延期上限与审批、编号格式。

    Periods are strings the deadline engine parses: "5wd" working days, "60d" calendar days,
    "3m" calendar months. `number_format` is a str.format pattern over `year`, `seq` and `prefix`.
    """

    code = models.SlugField("类型代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    legal_basis = models.TextField("法律依据")
    period = models.CharField("办理期限", max_length=12)
    roll_forward = models.BooleanField("期限末日遇节假日顺延", default=True)
    warning_period = models.CharField("临期提醒窗口", max_length=12, default="2wd")
    allowed_suspensions = models.JSONField("允许的中止情形", default=list, blank=True)
    max_extension = models.CharField("延期上限", max_length=12, blank=True, help_text="留空表示不得延期")
    extension_approver_role = models.CharField(
        "延期审批角色", max_length=20, choices=Role.choices, default=Role.SUPERVISOR
    )
    number_format = models.CharField("编号格式", max_length=60, default="{prefix}-{year}-{seq:06d}")
    number_prefix = models.CharField("编号前缀", max_length=20)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "案件类型"
        verbose_name_plural = "案件类型"

    def __str__(self) -> str:
        return self.name


class CaseStage(models.Model):
    """案件类型中的一个办理阶段，可有自己的时限（如签收 1 个工作日）。"""

    case_type = models.ForeignKey(
        CaseType, verbose_name="案件类型", on_delete=models.CASCADE, related_name="stages"
    )
    code = models.SlugField("阶段代码", max_length=40)
    name = models.CharField("阶段名称", max_length=40)
    order = models.PositiveSmallIntegerField("顺序")
    period = models.CharField("阶段时限", max_length=12, blank=True)
    is_final = models.BooleanField("办结阶段", default=False)

    class Meta:
        ordering = ["case_type_id", "order"]
        verbose_name = "办理阶段"
        verbose_name_plural = "办理阶段"
        constraints = [
            models.UniqueConstraint(fields=["case_type", "code"], name="casestage_unique_code"),
            models.UniqueConstraint(fields=["case_type", "order"], name="casestage_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.case_type.name} · {self.name}"


class NumberSequence(models.Model):
    """每类案件每年一个流水号序列；取号时行锁，保证不重号。"""

    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="sequences")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [
            models.UniqueConstraint(fields=["case_type", "year"], name="numbersequence_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.case_type_id} {self.year}: {self.last}"


class Case(TimeStampedModel):
    """一件有承办单位和法定期限的事项。

    `due_date` and `stage_due_date` are caches of the clock (start, period, suspensions,
    extensions) kept by the services so lists can sort and filter on them; the 正常/临期/超期
    state is derived from them at read time, never stored.
    """

    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        SUSPENDED = "suspended", "中止"
        CLOSED = "closed", "已办结"

    number = models.CharField("编号", max_length=40, unique=True)
    case_type = models.ForeignKey(
        CaseType, verbose_name="类型", on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField("标题", max_length=200)
    description = models.TextField("内容", blank=True)
    handling_unit = models.ForeignKey(
        Unit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="cases_handled"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    stage = models.ForeignKey(
        CaseStage, verbose_name="当前阶段", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage_started_on = models.DateField("阶段开始日", null=True, blank=True)
    stage_due_date = models.DateField("阶段期限", null=True, blank=True)
    received_at = models.DateTimeField("收到时间")
    start_date = models.DateField("起算日", help_text="期限从次日起算")
    period = models.CharField(
        "本案期限",
        max_length=12,
        blank=True,
        help_text="留空按案件类型；来文载明或法定特别期限时填写，如 15d",
    )
    stage_periods = models.JSONField(
        "本案阶段时限",
        default=dict,
        blank=True,
        help_text='按阶段代码覆盖类型中的阶段时限，如 {"sign": "1wd"}',
    )
    due_date = models.DateField("办理期限", db_index=True)
    extended = models.BooleanField("已延期", default=False)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    is_confidential = models.BooleanField("保密", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    archive_reason = models.CharField("归档原因", max_length=200, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = "案件"
        verbose_name_plural = "案件"
        indexes = [
            models.Index(fields=["handling_unit", "status", "due_date"], name="case_unit_status_due_idx"),
            models.Index(fields=["case_type", "received_at"], name="case_type_received_idx"),
            models.Index(fields=["status", "due_date"], name="case_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])


class CaseUnit(models.Model):
    """案件的承办关系：主办或协办单位。主办单位同时记在 Case.handling_unit 上以便查询。"""

    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        CO = "co", "协办"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_units")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField("承办方式", max_length=8, choices=Role.choices)
    assigned_at = models.DateTimeField("交办时间")
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["case_id", "role", "id"]
        verbose_name = "承办单位"
        verbose_name_plural = "承办单位"
        indexes = [
            models.Index(fields=["unit", "is_active"], name="caseunit_unit_active_idx"),
            # The unit-scope probe "is this case co-handled by one of my units": without it SQLite
            # walks the unit's whole history once per case (20 s for a department's 12345 list).
            models.Index(fields=["case", "unit"], name="caseunit_case_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_role_display()} {self.unit}"


class TimelineEntry(models.Model):
    """办理过程记录，只增不改：谁、何时、做了什么、状态从何到何。"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="操作单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=40)
    from_status = models.CharField("原状态", max_length=12, blank=True)
    to_status = models.CharField("新状态", max_length=12, blank=True)
    from_stage = models.CharField("原阶段", max_length=40, blank=True)
    to_stage = models.CharField("新阶段", max_length=40, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d %H:%M} {self.action}"


class Suspension(models.Model):
    """期限中止：中止、补正、等待当事人等期间不计入办理期限。"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField("情形", max_length=12, choices=SuspensionKind.choices)
    reason = models.CharField("理由", max_length=300)
    started_on = models.DateField("中止日")
    ended_on = models.DateField("恢复日", null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "started_on"]
        verbose_name = "期限中止"
        verbose_name_plural = "期限中止"
        constraints = [
            models.CheckConstraint(
                name="suspension_ends_after_start",
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}–{self.ended_on or ''}"


class Extension(models.Model):
    """延期：经批准延长办理期限，记录理由、申请人和审批人；总延期不超过案件类型的上限。"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    period = models.CharField("延长期限", max_length=12)
    reason = models.CharField("理由", max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("批准时间")
    due_before = models.DateField("原期限")
    due_after = models.DateField("新期限")

    class Meta:
        ordering = ["case_id", "approved_at"]
        verbose_name = "延期"
        verbose_name_plural = "延期"

    def __str__(self) -> str:
        return f"{self.case_id} +{self.period}"


class Supervision(models.Model):
    """督办：对一件案件发出的催办、督办或挂牌督办，有自己的期限和办结情况。"""

    class Level(models.IntegerChoices):
        URGE = 1, "催办"
        SUPERVISE = 2, "督办"
        LISTED = 3, "挂牌督办"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervisions")
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices)
    reason = models.CharField("督办事由", max_length=300)
    due_date = models.DateField("督办期限")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="督办人", on_delete=models.PROTECT, related_name="+"
    )
    issuing_unit = models.ForeignKey(
        Unit, verbose_name="督办单位", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("督办时间")
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField("办理情况", blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = "督办"
        verbose_name_plural = "督办"

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.case.number}"


class Notice(models.Model):
    """单位收件箱中的一条提醒（临期、超期、督办、交办）。`key` 使周期扫描可重复执行而不重复提醒。"""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "临期提醒"
        OVERDUE = "overdue", "超期提醒"
        SUPERVISION = "supervision", "督办通知"
        ASSIGNED = "assigned", "新交办"
        WARNING = "warning", "预警"

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="notices")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    key = models.CharField(max_length=120, unique=True)
    due_date = models.DateField("案件期限", null=True, blank=True, help_text="临期、超期提醒针对的期限")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        indexes = [
            models.Index(fields=["unit", "read_at"], name="notice_unit_unread_idx"),
            models.Index(fields=["case", "kind", "due_date"], name="notice_case_kind_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class Attachment(models.Model):
    """案件附件。"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    entry = models.ForeignKey(
        TimelineEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name
