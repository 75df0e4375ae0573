"""人民调解: committees and their mediators, the disputes they take, the sessions they hold and
how each dispute ends.

A dispute is a `cases.Case` of type "mediation" handled by the unit the committee works under
(the 街道办事处 or 乡镇人民政府); `Dispute` is its detail. Parties' names, ID and phone numbers
are encrypted at rest and never appear in labels, audit records or logs.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.cases.models import Case
from fazhi.core.fields import BlindIndexField, EncryptedCharField
from fazhi.core.models import TimeStampedModel
from fazhi.org.models import Region, Unit

MEDIATION_CASE_TYPE = "mediation"


class Committee(TimeStampedModel):
    """人民调解委员会：村（居）民委员会、乡镇街道、企事业单位或行业性专业性调解委员会。"""

    class Kind(models.TextChoices):
        VILLAGE = "village", "村民调解委员会"
        COMMUNITY = "community", "居民调解委员会"
        TOWNSHIP = "township", "乡镇（街道）调解委员会"
        ENTERPRISE = "enterprise", "企事业单位调解委员会"
        INDUSTRY = "industry", "行业性专业性调解委员会"

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="所属乡镇街道",
        on_delete=models.PROTECT,
        related_name="mediation_committees",
        help_text="指导和承办其案件的乡镇人民政府或街道办事处（司法所所在单位）",
    )
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="mediation_committees"
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["unit_id", "name"]
        verbose_name = "人民调解委员会"
        verbose_name_plural = "人民调解委员会"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mediation:committee_detail", args=[self.pk])


class Mediator(TimeStampedModel):
    """人民调解员。"""

    class Post(models.TextChoices):
        CHAIR = "chair", "主任"
        VICE_CHAIR = "vice_chair", "副主任"
        MEMBER = "member", "委员"
        FULL_TIME = "full_time", "专职调解员"
        PART_TIME = "part_time", "兼职调解员"

    committee = models.ForeignKey(
        Committee, verbose_name="调解委员会", on_delete=models.PROTECT, related_name="mediators"
    )
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=12, choices=Post.choices, default=Post.MEMBER)
    phone = EncryptedCharField("联系电话", kind="phone", blank=True)
    phone_index = BlindIndexField(source="phone")
    is_active = models.BooleanField("在任", default=True)

    class Meta:
        ordering = ["committee_id", "post", "name"]
        verbose_name = "人民调解员"
        verbose_name_plural = "人民调解员"
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="mediator_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.committee.name}）"


class DisputeType(models.TextChoices):
    """纠纷类型，按人民调解工作统计常用分类。"""

    FAMILY = "family", "婚姻家庭纠纷"
    NEIGHBOUR = "neighbour", "邻里纠纷"
    LAND = "land", "房屋宅基地纠纷"
    CONTRACT = "contract", "合同纠纷"
    PROPERTY = "property", "物业纠纷"
    DAMAGE = "damage", "损害赔偿纠纷"
    LABOUR = "labour", "劳动争议纠纷"
    TRAFFIC = "traffic", "道路交通事故纠纷"
    MEDICAL = "medical", "医疗纠纷"
    EXPROPRIATION = "expropriation", "征地拆迁纠纷"
    ENVIRONMENT = "environment", "环境污染纠纷"
    OTHER = "other", "其他纠纷"


class Source(models.TextChoices):
    APPLICATION = "application", "当事人申请"
    INITIATIVE = "initiative", "主动调解"
    HOTLINE = "hotline", "12345热线转办"
    PRE_LITIGATION = "pre_litigation", "法院诉前委派"
    POLICE = "police", "公安机关移送"
    PETITION = "petition", "信访部门转办"
    OTHER = "other", "其他部门移送"


class Outcome(models.TextChoices):
    SUCCESS = "success", "调解成功"
    FAILURE = "failure", "调解不成"


class Referral(models.TextChoices):
    """调解不成时告知当事人的途径（人民调解法第二十六条）。"""

    LITIGATION = "litigation", "向人民法院起诉"
    ARBITRATION = "arbitration", "申请仲裁"
    ADMINISTRATIVE = "administrative", "申请行政机关处理"
    PETITION = "petition", "信访渠道"
    OTHER = "other", "其他途径"


class Dispute(TimeStampedModel):
    """一件人民调解案件：纠纷类型、来源、调解委员会和调解员，以及调解结果。

    Success means an agreement (written, or oral and recorded, 人民调解法 Arts. 28–29); the
    parties may apply jointly for 司法确认 within 30 days of it taking effect (Art. 33):
    `confirmation_deadline` is that day on the work calendar, and the parties are told of it.
    """

    class AgreementForm(models.TextChoices):
        WRITTEN = "written", "书面调解协议"
        ORAL = "oral", "口头协议（已记录）"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="dispute")
    committee = models.ForeignKey(
        Committee, verbose_name="调解委员会", on_delete=models.PROTECT, related_name="disputes"
    )
    dispute_type = models.CharField("纠纷类型", max_length=16, choices=DisputeType.choices)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    hotline_case = models.ForeignKey(
        Case,
        verbose_name="12345工单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediations",
    )
    referral_reference = models.CharField(
        "委派/移送文号", max_length=60, blank=True, help_text="法院诉前委派的案号，或移送单位的文号"
    )
    region = models.ForeignKey(
        Region, verbose_name="纠纷发生地", on_delete=models.PROTECT, related_name="disputes"
    )
    amount = models.DecimalField("涉及金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    mediator = models.ForeignKey(
        Mediator,
        verbose_name="主持调解员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    outcome = models.CharField("调解结果", max_length=10, choices=Outcome.choices, blank=True)
    concluded_on = models.DateField("结案日期", null=True, blank=True)
    agreement_form = models.CharField("协议形式", max_length=10, choices=AgreementForm.choices, blank=True)
    agreement_text = models.TextField("协议内容", blank=True)
    agreement_effective_on = models.DateField("协议生效日期", null=True, blank=True)
    confirmation_deadline = models.DateField("申请司法确认截止日", null=True, blank=True)
    referral = models.CharField("告知途径", max_length=16, choices=Referral.choices, blank=True)
    failure_reason = models.TextField("调解不成原因", blank=True)
    confirmation_applied_on = models.DateField("申请司法确认日期", null=True, blank=True)
    confirmation_court = models.CharField("受理法院", max_length=60, blank=True)

    class Meta:
        ordering = ["-case__received_at", "-id"]
        verbose_name = "调解案件"
        verbose_name_plural = "调解案件"
        indexes = [models.Index(fields=["committee", "outcome"], name="dispute_committee_outcome_idx")]
        constraints = [
            models.CheckConstraint(
                name="dispute_success_has_agreement",
                condition=~models.Q(outcome="success")
                | (
                    ~models.Q(agreement_text="")
                    & models.Q(agreement_effective_on__isnull=False, confirmation_deadline__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="dispute_failure_has_referral",
                condition=~models.Q(outcome="failure") | ~models.Q(referral=""),
            ),
        ]

    def __str__(self) -> str:
        return f"调解案件 {self.case.number}"  # also the audit label: never a party's name

    def get_absolute_url(self) -> str:
        return reverse("mediation:detail", args=[self.pk])


class Party(models.Model):
    """当事人：姓名、证件号码、联系电话加密保存；页面上只显示脱敏后的值。"""

    class Role(models.TextChoices):
        APPLICANT = "applicant", "申请人"
        RESPONDENT = "respondent", "被申请人"
        OTHER = "other", "其他当事人"

    class Kind(models.TextChoices):
        PERSON = "person", "自然人"
        ORGANISATION = "organisation", "法人或其他组织"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("身份", max_length=12, choices=Role.choices)
    kind = models.CharField("类型", max_length=14, choices=Kind.choices, default=Kind.PERSON)
    name = EncryptedCharField("姓名/名称", kind="name")
    id_number = EncryptedCharField("证件号码", kind="id_number", blank=True)
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedCharField("联系电话", kind="phone", blank=True)
    phone_index = BlindIndexField(source="phone")

    class Meta:
        ordering = ["dispute_id", "role", "id"]
        verbose_name = "当事人"
        verbose_name_plural = "当事人"

    def __str__(self) -> str:
        return f"{self.get_role_display()}（{self.get_name_masked()}）"


class MediationSession(models.Model):
    """一次调解：时间、地点、参加的调解员和经过。"""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("调解日期")
    place = models.CharField("地点", max_length=100)
    mediators = models.ManyToManyField(Mediator, verbose_name="调解员", related_name="sessions")
    summary = models.TextField("调解经过")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["dispute_id", "held_on", "id"]
        verbose_name = "调解记录"
        verbose_name_plural = "调解记录"

    def __str__(self) -> str:
        return f"{self.dispute} {self.held_on}"
