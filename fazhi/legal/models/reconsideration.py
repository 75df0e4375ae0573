"""行政复议: the reconsideration body, the application and its case, hearings and follow-ups.

An application is a `cases.Case` of type "reconsideration" handled by the 行政复议机构; the
`Reconsideration` row is its detail. The engine owns the number, the clock, the stages and the
timeline; this row keeps the facts the law asks about (who applied against which act, when it
was accepted, by which procedure, what was served when, and the outcome with its ground).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.cases.models import Case
from fazhi.core.fields import BlindIndexField, EncryptedCharField
from fazhi.core.models import TimeStampedModel
from fazhi.legal import catalogue
from fazhi.org.models import Unit


class ActCategory(models.TextChoices):
    """被申请（被诉）行政行为的类别：行政复议法第十一条所列十五项。"""

    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制措施、行政强制执行"
    LICENSING = "licensing", "行政许可"
    NATURAL_RESOURCES = "natural_resources", "确认自然资源所有权或者使用权"
    EXPROPRIATION = "expropriation", "征收征用及补偿"
    COMPENSATION = "compensation", "行政赔偿"
    WORK_INJURY = "work_injury", "工伤认定"
    AUTONOMY = "autonomy", "侵犯经营自主权或者农村土地承包经营权"
    COMPETITION = "competition", "排除、限制竞争"
    DUTY_IMPOSED = "duty_imposed", "违法集资、摊派费用或者违法要求履行其他义务"
    NON_PERFORMANCE = "non_performance", "不履行法定职责"
    SOCIAL_SECURITY = "social_security", "社会保障给付"
    AGREEMENT = "agreement", "行政协议"
    INFORMATION = "information", "政府信息公开"
    OTHER = "other", "其他行政行为"


class PartyKind(models.TextChoices):
    PERSON = "person", "公民"
    LEGAL_PERSON = "legal_person", "法人"
    ORGANISATION = "organisation", "其他组织"


class Procedure(models.TextChoices):
    NORMAL = "normal", "普通程序"
    SIMPLE = "simple", "简易程序"


class Outcome(models.TextChoices):
    """结案方式（行政复议法第三十三条、第四十一条、第六十三条至第七十四条）。"""

    UPHELD = "upheld", "维持"
    VARIED = "varied", "变更"
    ANNULLED = "annulled", "撤销"
    PARTLY_ANNULLED = "partly_annulled", "部分撤销"
    CONFIRMED_UNLAWFUL = "confirmed_unlawful", "确认违法"
    CONFIRMED_VOID = "confirmed_void", "确认无效"
    ORDERED_TO_PERFORM = "ordered_to_perform", "责令履行"
    CLAIM_REJECTED = "claim_rejected", "驳回行政复议请求"
    APPLICATION_REJECTED = "application_rejected", "驳回行政复议申请"
    MEDIATED = "mediated", "调解"
    SETTLED = "settled", "和解撤回"
    WITHDRAWN = "withdrawn", "撤回申请"
    TERMINATED = "terminated", "终止"


class ReconsiderationBody(TimeStampedModel):
    """行政复议机构：办理行政复议事项的机构（多为司法局），以行政复议机关（本级人民政府）的名义作出决定。"""

    unit = models.OneToOneField(
        Unit, verbose_name="行政复议机构", on_delete=models.PROTECT, related_name="reconsideration_body"
    )
    authority = models.ForeignKey(
        Unit, verbose_name="行政复议机关", on_delete=models.PROTECT, related_name="reconsideration_bodies"
    )
    document_prefix = models.CharField(
        "文书字号前缀", max_length=20, help_text="如“明政复”，文书编号为 明政复决字〔2024〕12号"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "行政复议机构"
        verbose_name_plural = "行政复议机构"

    def __str__(self) -> str:
        return f"{self.authority.name}（{self.unit.name}）"


class Reconsideration(TimeStampedModel):
    """行政复议案件：申请人不服某一行政行为提出的行政复议申请，从收到、审查、受理到决定。"""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", "当面递交"
        POST = "post", "邮寄"
        ONLINE = "online", "网上申请"
        FAX = "fax", "传真"
        ORAL = "oral", "口头申请"
        VIA_AGENCY = "via_agency", "经作出行政处罚的行政机关转送"

    class Acceptance(models.TextChoices):
        PENDING = "pending", "审查中"
        ACCEPTED = "accepted", "已受理"
        DEEMED = "deemed", "视为受理"
        REJECTED = "rejected", "不予受理"
        ABANDONED = "abandoned", "视为放弃申请"

    case = models.OneToOneField(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="reconsideration"
    )
    body = models.ForeignKey(
        ReconsiderationBody, verbose_name="行政复议机构", on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField("申请方式", max_length=12, choices=Channel.choices)
    applicant_kind = models.CharField("申请人类型", max_length=16, choices=PartyKind.choices)
    applicant_name = EncryptedCharField("申请人姓名", kind="name", blank=True, help_text="申请人为公民时填写")
    applicant_org = models.CharField(
        "申请人名称", max_length=100, blank=True, help_text="法人或者其他组织的名称"
    )
    applicant_id_number = EncryptedCharField("身份证件号码", kind="id_number", blank=True)
    applicant_id_index = BlindIndexField(source="applicant_id_number")
    applicant_phone = EncryptedCharField("联系电话", kind="phone", blank=True)
    applicant_count = models.PositiveSmallIntegerField("申请人人数", default=1)
    agent = models.CharField("委托代理人", max_length=100, blank=True)
    third_party = models.CharField("第三人", max_length=100, blank=True)
    respondent = models.ForeignKey(
        Unit, verbose_name="被申请人", on_delete=models.PROTECT, related_name="reconsiderations_against"
    )
    act_name = models.CharField("被申请行政复议的行政行为", max_length=200)
    act_number = models.CharField("行政行为文书编号", max_length=100, blank=True)
    act_category = models.CharField("行为类别", max_length=20, choices=ActCategory.choices)
    act_date = models.DateField("行政行为作出日期", null=True, blank=True)
    known_on = models.DateField("知道该行政行为之日", null=True, blank=True)
    real_property = models.BooleanField("涉及不动产", default=False, help_text="最长申请期限20年（否则5年）")
    claims = models.TextField("行政复议请求")
    facts = models.TextField("事实和理由", blank=True)
    normative_review = models.CharField(
        "一并申请审查的规范性文件", max_length=200, blank=True, help_text="第十三条附带审查"
    )

    acceptance = models.CharField(
        "受理情况", max_length=12, choices=Acceptance.choices, default=Acceptance.PENDING
    )
    review_due = models.DateField("受理审查期限")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    rejection_ground = models.CharField("不予受理理由", max_length=20, blank=True)
    rejection_reason = models.TextField("不予受理说明", blank=True)
    competent_body = models.CharField("有管辖权的行政复议机关", max_length=100, blank=True)
    correction_items = models.TextField("补正事项", blank=True)
    correction_notified_on = models.DateField("补正通知日期", null=True, blank=True)
    correction_due = models.DateField("补正期限", null=True, blank=True)
    correction_received_on = models.DateField("收到补正材料日期", null=True, blank=True)

    procedure = models.CharField("审理程序", max_length=8, choices=Procedure.choices, blank=True)
    simple_ground = models.CharField("适用简易程序的情形", max_length=20, blank=True)
    switched_on = models.DateField("转为普通程序日期", null=True, blank=True)
    copy_due = models.DateField("发送答复通知期限", null=True, blank=True)
    copy_served_on = models.DateField("被申请人收到副本日期", null=True, blank=True)
    answer_due = models.DateField("答复期限", null=True, blank=True)
    answer_received_on = models.DateField("收到答复日期", null=True, blank=True)

    outcome = models.CharField("结案方式", max_length=24, choices=Outcome.choices, blank=True)
    outcome_ground = models.CharField("决定理由", max_length=30, blank=True)
    remake_ordered = models.BooleanField("责令重新作出行政行为", default=False)
    decision_summary = models.TextField("查明事实与理由", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)

    class Meta:
        ordering = ["-case__received_at", "-id"]
        verbose_name = "行政复议案件"
        verbose_name_plural = "行政复议案件"
        indexes = [
            models.Index(fields=["respondent", "act_category"], name="recon_respondent_cat_idx"),
            models.Index(fields=["decided_on"], name="recon_decided_idx"),
            models.Index(fields=["accepted_on"], name="recon_accepted_idx"),
            models.Index(fields=["acceptance", "review_due"], name="recon_acceptance_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="recon_accepted_has_date",
                condition=~models.Q(acceptance__in=["accepted", "deemed"])
                | models.Q(accepted_on__isnull=False),
            ),
            models.CheckConstraint(
                name="recon_outcome_only_when_decided",
                condition=models.Q(outcome="") | models.Q(decided_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"行政复议 {self.case.number}"  # also the audit label: never the applicant

    def get_absolute_url(self) -> str:
        return reverse("legal:reconsideration_detail", args=[self.pk])

    @property
    def applicant_display(self) -> str:
        """What lists and documents for other parties show: the organisation, or the masked name."""
        if self.applicant_org:
            return self.applicant_org
        return self.get_applicant_name_masked()

    @property
    def applicant_full(self) -> str:
        """The full name, for the documents served on the applicant."""
        return self.applicant_org or self.applicant_name

    @property
    def is_accepted(self) -> bool:
        return self.acceptance in (self.Acceptance.ACCEPTED, self.Acceptance.DEEMED)

    @property
    def article(self) -> str:
        return catalogue.OUTCOME_ARTICLES.get(self.outcome, "")

    @property
    def ground_label(self) -> str:
        return dict(catalogue.OUTCOME_GROUNDS.get(self.outcome, [])).get(self.outcome_ground, "")

    @property
    def handling_days(self) -> int | None:
        """Calendar days from acceptance to decision."""
        if self.accepted_on and self.decided_on:
            return (self.decided_on - self.accepted_on).days
        return None


class Hearing(TimeStampedModel):
    """听证或者听取意见：普通程序应当听取当事人意见（第四十九条），重大、疑难、复杂案件应当听证（第五十条）。"""

    class Kind(models.TextChoices):
        HEARING = "hearing", "听证"
        VIEWS = "views", "听取意见"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "已安排"
        HELD = "held", "已举行"
        CANCELLED = "cancelled", "已取消"

    reconsideration = models.ForeignKey(Reconsideration, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField("形式", max_length=10, choices=Kind.choices)
    scheduled_at = models.DateTimeField("时间")
    place = models.CharField("地点或方式", max_length=200)
    notice_sent_on = models.DateField("通知日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField("情况记录", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["scheduled_at", "id"]
        verbose_name = "行政复议听证"
        verbose_name_plural = "行政复议听证"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scheduled_at:%Y-%m-%d %H:%M}"


class FollowUp(TimeStampedModel):
    """行政复议意见书、建议书：复议机关发现违法或不当行为、普遍性问题后发出，对方限期报送纠正情况。

    Each is a case of its own (type "reconsideration_follow_up") handled by the addressee, so it
    has its own deadline, reminders and supervision.
    """

    class Kind(models.TextChoices):
        OPINION = "opinion", "行政复议意见书"
        SUGGESTION = "suggestion", "行政复议建议书"

    reconsideration = models.ForeignKey(Reconsideration, on_delete=models.PROTECT, related_name="follow_ups")
    case = models.OneToOneField(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="follow_up")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    addressee = models.ForeignKey(Unit, verbose_name="送达单位", on_delete=models.PROTECT, related_name="+")
    content = models.TextField("发现的问题与意见")
    reply = models.TextField("纠正情况", blank=True)
    replied_on = models.DateField("报送日期", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "行政复议意见书/建议书"
        verbose_name_plural = "行政复议意见书/建议书"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case.number}"


class RespondentAnswer(models.Model):
    """被申请人网上提交的书面答复和证据材料（第四十八条）：提交之日即复议机构收到之日。

    The respondent's staff submit it from the 复议应诉 pages; the clerk sees it on the case and
    registers the receipt (which moves the case into review). Kept as submitted, never edited.
    """

    reconsideration = models.OneToOneField(
        Reconsideration, on_delete=models.PROTECT, related_name="respondent_answer"
    )
    unit = models.ForeignKey(Unit, verbose_name="答复单位", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("答复意见")
    submitted_at = models.DateTimeField("提交时间")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "被申请人答复"
        verbose_name_plural = "被申请人答复"

    def __str__(self) -> str:
        return f"答复 {self.reconsideration.case.number}"


def answer_file_path(instance: "AnswerFile", filename: str) -> str:
    return f"legal/answers/{instance.answer.reconsideration_id}/{filename}"


class AnswerFile(models.Model):
    """答复书或一份证据材料。"""

    answer = models.ForeignKey(RespondentAnswer, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=answer_file_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = "答复材料"
        verbose_name_plural = "答复材料"

    def __str__(self) -> str:
        return self.name
