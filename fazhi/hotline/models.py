"""12345 政务服务便民热线: the 诉求 a caller brings, how it is classified and routed, the
handling unit's answer and the centre's 回访.

A dispatched request is a `cases.Case` of type "hotline"; `Ticket` is its detail. Numbering,
the clock, the lead and co-handling units and the timeline belong to the case engine.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.cases.models import Case, Supervision
from fazhi.core.fields import BlindIndexField, EncryptedCharField
from fazhi.core.models import TimeStampedModel
from fazhi.org.models import Region, Unit

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
TRACKING_LENGTH = 10  # 32^10 ≈ 10^15 codes; lookups are rate-limited


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


class RequestType(models.TextChoices):
    CONSULTATION = "consultation", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    WEB = "web", "网站"
    API = "api", "API"
    OPEN311 = "open311", "Open311"
    IMPORT = "import", "导入"
    OTHER = "other", "其他"


class Category(models.Model):
    """诉求分类：一级、二级、三级（如 城市管理 → 市政设施 → 道路破损）。登记时只选三级分类。"""

    class Level(models.IntegerChoices):
        FIRST = 1, "一级"
        SECOND = 2, "二级"
        THIRD = 3, "三级"

    code = models.CharField("分类代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    keywords = models.CharField(
        "识别关键词", max_length=300, blank=True, help_text="来电人常用说法，以顿号分隔，用于派单建议"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "诉求分类"
        verbose_name_plural = "诉求分类"
        constraints = [
            models.CheckConstraint(
                name="category_parent_below_first_level",
                condition=models.Q(level=1, parent__isnull=True)
                | models.Q(level__gt=1, parent__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_leaf(self) -> bool:
        return self.level == self.Level.THIRD

    def path_names(self) -> list[str]:
        """Names from the first level down; walks parents (use select_related("parent__parent"))."""
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return names[::-1]

    @property
    def full_name(self) -> str:
        return " / ".join(self.path_names())

    def keyword_list(self) -> list[str]:
        return [
            w.strip() for w in self.keywords.replace(",", "、").replace("，", "、").split("、") if w.strip()
        ]


class Disposition(models.TextChoices):
    """How the centre disposed of a request (国办函〔2025〕66号 诉求分类处理)."""

    DISPATCH = "dispatch", "派单办理"
    EMERGENCY = "emergency", "转紧急热线"
    STATUTORY = "statutory", "告知法定途径"
    MERGED = "merged", "并单"


class Ticket(TimeStampedModel):
    """12345 工单：来电人反映的一件诉求。

    `case` is the engine case once the request is dispatched; a request handled by guidance
    (emergencies transferred to 110/119/120/122, matters for 诉讼/复议/信访 …) or merged into
    an earlier one at intake has no case: nobody is responsible for it and no clock runs.
    `centre` is the 12345 centre that took it: it dispatches, reviews returns and calls back.
    """

    case = models.OneToOneField(
        Case, verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    centre = models.ForeignKey(
        Unit, verbose_name="受理中心", on_delete=models.PROTECT, related_name="hotline_tickets_taken"
    )
    request_type = models.CharField("诉求类型", max_length=16, choices=RequestType.choices)
    category = models.ForeignKey(
        Category, verbose_name="诉求分类", on_delete=models.PROTECT, related_name="tickets"
    )
    channel = models.CharField("渠道", max_length=12, choices=Channel.choices)
    caller_name = EncryptedCharField("来电人", kind="name", blank=True)
    caller_phone = EncryptedCharField("来电号码", kind="phone", blank=True)
    caller_phone_index = BlindIndexField(source="caller_phone")
    confidential = models.BooleanField("保密", default=False, help_text="举报人要求对个人信息保密")
    region = models.ForeignKey(
        Region, verbose_name="所在区域", on_delete=models.PROTECT, related_name="hotline_tickets"
    )
    address = models.CharField("详细地址", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    content = models.TextField("诉求内容")
    received_at = models.DateTimeField("受理时间")
    tracking_code = models.CharField("查询码", max_length=16, unique=True, default=new_tracking_code)
    disposition = models.CharField(
        "处置方式", max_length=12, choices=Disposition.choices, default=Disposition.DISPATCH
    )
    triage = models.CharField(
        "识别结果", max_length=20, blank=True, help_text="紧急热线号码或法定途径代码，如 119、litigation"
    )
    guidance = models.TextField("告知内容", blank=True)
    triage_overridden = models.BooleanField("话务员确认非紧急/非法定途径事项", default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入工单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    merged_at = models.DateTimeField("并单时间", null=True, blank=True)
    signed_at = models.DateTimeField(
        "签收时间", null=True, blank=True, help_text="改派后清空，由新承办单位重新签收"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "热线工单"
        verbose_name_plural = "热线工单"
        indexes = [
            models.Index(fields=["category", "region", "received_at"], name="ticket_cat_region_idx"),
            models.Index(fields=["centre", "disposition"], name="ticket_centre_disp_idx"),
            models.Index(fields=["received_at"], name="ticket_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="ticket_merged_has_target",
                condition=~models.Q(disposition="merged") | models.Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"热线工单 {self.reference}"  # also the audit label: never the caller or the content

    def get_absolute_url(self) -> str:
        return reverse("hotline:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """The number staff quote: the case number once dispatched, else the tracking code."""
        return self.case.number if self.case_id else self.tracking_code


class RoutingRule(TimeStampedModel):
    """派单规则：诉求分类 × 区域（× 诉求类型、关键词）→ 主办单位和协办单位。

    Rules are tried in ascending `priority` (then id); the first whose every set condition
    holds wins. A condition left empty matches anything. A category or region condition also
    matches everything below it in its tree.
    """

    name = models.CharField("规则名称", max_length=100)
    priority = models.PositiveIntegerField("优先级", default=100, help_text="数字小的先匹配")
    category = models.ForeignKey(
        Category, verbose_name="诉求分类", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name="区域", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request_type = models.CharField("诉求类型", max_length=16, choices=RequestType.choices, blank=True)
    keywords = models.CharField(
        "内容关键词", max_length=200, blank=True, help_text="以顿号分隔；内容含其中任一词即符合"
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name="主办单位", on_delete=models.PROTECT, related_name="hotline_rules_led"
    )
    co_units = models.ManyToManyField(
        Unit, verbose_name="协办单位", blank=True, related_name="hotline_rules_joined"
    )
    basis = models.CharField("依据", max_length=200, blank=True, help_text="三定方案、权责清单或派单目录条目")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = "派单规则"
        verbose_name_plural = "派单规则"

    def __str__(self) -> str:
        return f"{self.priority} {self.name}"

    def keyword_list(self) -> list[str]:
        return [
            w.strip() for w in self.keywords.replace(",", "、").replace("，", "、").split("、") if w.strip()
        ]


class HandlingLimit(models.Model):
    """本地办理时限：按诉求分类和诉求类型设定（如 咨询 2 个工作日，房屋质量 15 个工作日）。

    The most specific row wins: one naming the request type beats one that does not, then the
    deeper category beats the shallower; with no row the hotline case type's period applies.
    """

    category = models.ForeignKey(
        Category,
        verbose_name="诉求分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handling_limits",
        help_text="留空表示所有分类",
    )
    request_type = models.CharField(
        "诉求类型", max_length=16, choices=RequestType.choices, blank=True, help_text="留空表示所有类型"
    )
    period = models.CharField("办理时限", max_length=12, help_text="如 5wd（工作日）、15d（自然日）")
    sign_period = models.CharField("签收时限", max_length=12, blank=True, help_text="如 1wd；留空按案件类型")
    basis = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["category__code", "request_type"]
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        constraints = [
            models.UniqueConstraint(
                fields=["category", "request_type"],
                condition=models.Q(category__isnull=False),
                name="handlinglimit_unique_category_type",
            ),
            models.UniqueConstraint(
                fields=["request_type"],
                condition=models.Q(category__isnull=True),
                name="handlinglimit_unique_type_for_all",
            ),
        ]

    def __str__(self) -> str:
        who = self.category.name if self.category_id else "所有分类"
        kind = self.get_request_type_display() if self.request_type else "所有类型"
        return f"{who} · {kind}：{self.period}"


class TicketReturn(models.Model):
    """退单：承办单位认为不属于本单位职责，说明理由退回派单；中心审核后改派或驳回。

    Each row is a misroute example for the routing model: the text, the category and the unit
    it wrongly reached.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "已改派"
        REJECTED = "rejected", "已驳回"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="returns")
    unit = models.ForeignKey(Unit, verbose_name="退单单位", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        Category, verbose_name="退单时分类", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("退单理由")
    suggested_unit = models.ForeignKey(
        Unit, verbose_name="建议承办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField("退单时间")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)
    reassigned_to = models.ForeignKey(
        Unit, verbose_name="改派单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-returned_at", "-id"]
        verbose_name = "退单"
        verbose_name_plural = "退单"
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=models.Q(status="pending"), name="ticketreturn_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket.reference} 退单（{self.unit}）"


class Reply(models.Model):
    """承办单位的答复：对来电人说了什么、实际做了什么、是否联系了来电人。"""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey(Unit, verbose_name="答复单位", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("答复内容")
    actions = models.TextField("办理情况", help_text="实际做了什么：到场核查、整改、处罚、解释政策等")
    contacted_caller = models.BooleanField("已联系来电人")
    replied_at = models.DateTimeField("答复时间")
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_flags = models.JSONField(
        "敷衍提示", default=list, blank=True, help_text="答复规则给出的待复核提示（代码与说明）"
    )
    # The centre's review of a flagged reply (quality.py): cleared, or sent back for 重办.
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_outcome = models.CharField(
        "复核结果",
        max_length=10,
        blank=True,
        choices=[("cleared", "答复合格"), ("sent_back", "退回重办")],
    )
    review_note = models.CharField("复核意见", max_length=300, blank=True)

    class Meta:
        ordering = ["replied_at", "id"]
        verbose_name = "答复"
        verbose_name_plural = "答复"

    def __str__(self) -> str:
        return f"{self.ticket.reference} 答复 {self.replied_at:%Y-%m-%d}"


class Callback(models.Model):
    """回访：中心向来电人核实是否解决、是否满意。"""

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASICALLY = "basically", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"
        UNREACHABLE = "unreachable", "未接通/未评价"

    class Resolution(models.TextChoices):
        RESOLVED = "resolved", "已解决"
        PARTIAL = "partial", "部分解决"
        UNRESOLVED = "unresolved", "未解决"
        UNKNOWN = "unknown", "未评价"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="callbacks")
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.PROTECT, related_name="callbacks"
    )
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices)
    resolution = models.CharField("解决情况", max_length=12, choices=Resolution.choices)
    note = models.TextField("回访记录", blank=True)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField("回访时间")

    class Meta:
        ordering = ["called_at", "id"]
        verbose_name = "回访"
        verbose_name_plural = "回访"

    def __str__(self) -> str:
        return f"{self.ticket.reference} 回访 {self.get_satisfaction_display()}"

    @property
    def is_unhappy(self) -> bool:
        return (
            self.satisfaction == self.Satisfaction.UNSATISFIED
            or self.resolution == self.Resolution.UNRESOLVED
        )


class ReopenRequest(models.Model):
    """重办申请：回访不满意或未解决时生成，由中心决定重办（退回承办单位重新办理）或说明理由不予重办。"""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "已重办"
        REJECTED = "rejected", "不予重办"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="reopen_requests")
    callback = models.OneToOneField(Callback, on_delete=models.PROTECT, related_name="reopen_request")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "重办申请"
        verbose_name_plural = "重办申请"

    def __str__(self) -> str:
        return f"{self.ticket.reference} 重办申请（{self.get_status_display()}）"


class RoutingModel(models.Model):
    """派单模型：用本市历史工单训练的分类和主办单位建议模型，每训练一次一个版本。

    The artefact is the joblib dump of the fitted pipelines (learning.py); the accuracies were
    measured on a held-out part of the history the version did not learn from.
    """

    version = models.PositiveIntegerField("版本", unique=True)
    trained_at = models.DateTimeField("训练时间")
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="训练人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="由定时任务训练时为空",
    )
    algorithm = models.CharField("算法", max_length=200)
    samples = models.PositiveIntegerField("训练样本数")
    holdout = models.PositiveIntegerField("留出验证样本数")
    category_accuracy = models.FloatField("分类准确率", null=True, blank=True)
    unit_accuracy = models.FloatField("主办单位准确率", null=True, blank=True)
    metrics = models.JSONField("评估指标", default=dict, blank=True)
    artefact = models.BinaryField("模型文件")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    is_active = models.BooleanField("在用", default=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = "派单模型"
        verbose_name_plural = "派单模型"
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="routingmodel_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"派单模型第{self.version}版"


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASICALLY = 3, "基本满意"
    UNSATISFIED = 2, "不满意"
    VERY_UNSATISFIED = 1, "非常不满意"


class Rating(models.Model):
    """好差评：来电人凭查询码对诉求办理的评价，每件诉求一次；差评形成整改任务。"""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField("评价", choices=RatingLevel.choices)
    comment = models.TextField("评价内容", blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="被评价单位", on_delete=models.PROTECT, related_name="hotline_ratings"
    )
    rectification = models.OneToOneField(
        Case,
        verbose_name="整改任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_rating",
    )
    created_at = models.DateTimeField("评价时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "好差评"
        verbose_name_plural = "好差评"
        constraints = [
            models.CheckConstraint(name="rating_level_1_to_5", condition=models.Q(level__gte=1, level__lte=5))
        ]

    def __str__(self) -> str:
        return f"{self.ticket.reference} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level <= RatingLevel.UNSATISFIED


class EscalationRule(TimeStampedModel):
    """督办升级规则：超期、重办、敷衍答复被退回等情形达到条件时，依次催办、督办、挂牌督办。

    Every active rule is checked for every open request; when several hold, the highest level
    wins. A request gets a level at most once per clock (a 重办 starts a new clock).
    """

    class Trigger(models.TextChoices):
        OVERDUE = "overdue", "超期达到N个工作日"
        LAPSED = "lapsed", "下一级督办期限过后N个工作日仍未办结"
        REOPENED = "reopened", "重办达到N次"
        SENT_BACK = "sent_back", "答复敷衍被退回达到N次"

    name = models.CharField("规则名称", max_length=100)
    trigger = models.CharField("情形", max_length=12, choices=Trigger.choices)
    threshold = models.PositiveSmallIntegerField("N", default=1)
    level = models.PositiveSmallIntegerField("督办级别", choices=Supervision.Level.choices)
    period = models.CharField("督办期限", max_length=12, default="3wd", help_text="如 2wd（工作日）")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["level", "trigger", "threshold"]
        verbose_name = "督办升级规则"
        verbose_name_plural = "督办升级规则"

    def __str__(self) -> str:
        return self.name
