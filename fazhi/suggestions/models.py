"""Suggestions a government must answer: 司法建议 and 检察建议 from the courts and procuratorates,
人大代表建议 and 政协提案 from deputies and CPPCC members.

Each is a `cases.Case` (types judicial_suggestion, procuratorial_suggestion, deputy_suggestion,
cppcc_proposal); the models here are its detail. Numbering, the clock, the lead and co-handling
units, supervision and the timeline belong to the case engine.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.cases.models import Case, CaseType, Supervision
from fazhi.core.fields import BlindIndexField, EncryptedCharField
from fazhi.core.models import TimeStampedModel
from fazhi.org.models import Unit

JUDICIAL_CASE_TYPES = ("judicial_suggestion", "procuratorial_suggestion")
PROPOSAL_CASE_TYPES = ("deputy_suggestion", "cppcc_proposal")


# --- 司法建议 / 检察建议 --------------------------------------------------------------------------


class Confidence(models.TextChoices):
    """How sure we are of a rule (DOMAIN.md §0): read in the law, read in a secondary source, or not."""

    PRIMARY = "P", "法律原文"
    SECONDARY = "S", "地方文件/转载"
    UNCONFIRMED = "U", "待核实"


class SuggestionKind(TimeStampedModel):
    """建议类别：综合治理类司法建议、规范性文件司法建议、公益诉讼诉前检察建议等，及其回复期限。

    The reply period is data: `period` (blank: the case type's) and, for matters the law lets the
    issuer call urgent, `urgent_period`. A period stated in the document itself beats both.
    """

    code = models.SlugField("类别代码", max_length=40, unique=True)
    case_type = models.ForeignKey(
        CaseType,
        verbose_name="案件类型",
        on_delete=models.PROTECT,
        related_name="suggestion_kinds",
        limit_choices_to={"code__in": JUDICIAL_CASE_TYPES},
    )
    name = models.CharField("名称", max_length=60)
    period = models.CharField("回复期限", max_length=12, blank=True, help_text="留空按案件类型；如 60d、2m")
    urgent_period = models.CharField(
        "紧急情形回复期限", max_length=12, blank=True, help_text="留空表示本类别无紧急情形"
    )
    legal_basis = models.TextField("依据")
    confidence = models.CharField("依据可靠程度", max_length=1, choices=Confidence.choices)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["case_type_id", "sort_order", "id"]
        verbose_name = "建议类别"
        verbose_name_plural = "建议类别"

    def __str__(self) -> str:
        return self.name


class JudicialSuggestion(TimeStampedModel):
    """收到的司法建议或检察建议：哪个法院或检察院、哪一类、文号、致哪个单位、何时须回复。"""

    class PeriodSource(models.TextChoices):
        DOCUMENT = "document", "来文载明"
        URGENT = "urgent", "紧急情形"
        KIND = "kind", "建议类别"
        CASE_TYPE = "case_type", "案件类型"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="judicial_suggestion")
    kind = models.ForeignKey(
        SuggestionKind, verbose_name="建议类别", on_delete=models.PROTECT, related_name="suggestions"
    )
    issuer = models.ForeignKey(
        Unit, verbose_name="建议机关", on_delete=models.PROTECT, related_name="suggestions_issued"
    )
    document_number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("发文日期", null=True, blank=True)
    urgent = models.BooleanField("紧急情形", default=False)
    period_source = models.CharField("期限来源", max_length=10, choices=PeriodSource.choices)

    class Meta:
        ordering = ["-case__received_at", "-id"]
        verbose_name = "司法建议/检察建议"
        verbose_name_plural = "司法建议/检察建议"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "document_number"],
                condition=~models.Q(document_number=""),
                name="judicialsuggestion_unique_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind.case_type.name} {self.case.number}"

    def get_absolute_url(self) -> str:
        return reverse("suggestions:detail", args=[self.pk])


class Adoption(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class SuggestionReply(models.Model):
    """书面回复：采纳情况（未采纳或部分采纳须说明理由）、整改措施；第1轮为回复，此后为补充回复。"""

    suggestion = models.ForeignKey(JudicialSuggestion, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    adoption = models.CharField("采纳情况", max_length=12, choices=Adoption.choices)
    reasons = models.TextField("未采纳理由", blank=True)
    measures = models.TextField("整改措施", blank=True)
    text = models.TextField("回复内容")
    replied_on = models.DateField("回复日期")
    unit = models.ForeignKey(Unit, verbose_name="回复单位", on_delete=models.PROTECT, related_name="+")
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField("回复期限")
    on_time = models.BooleanField("按期回复")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["suggestion_id", "round"]
        verbose_name = "建议回复"
        verbose_name_plural = "建议回复"
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="suggestionreply_unique_round"),
            models.CheckConstraint(
                name="suggestionreply_reasons_unless_adopted",
                condition=models.Q(adoption="adopted") | ~models.Q(reasons=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion} 第{self.round}轮回复"

    @property
    def is_follow_up(self) -> bool:
        return self.round > 1


class FollowUpRequest(models.Model):
    """建议机关要求补充回复（再次回复落实情况）：案件重新计时，承办单位再作回复。"""

    suggestion = models.ForeignKey(
        JudicialSuggestion, on_delete=models.CASCADE, related_name="follow_up_requests"
    )
    round = models.PositiveSmallIntegerField("对应回复轮次")
    requested_on = models.DateField("来函日期")
    note = models.TextField("要求事项")
    period = models.CharField("补充回复期限", max_length=12)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["suggestion_id", "round"]
        verbose_name = "补充回复要求"
        verbose_name_plural = "补充回复要求"
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="followup_unique_round"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion} 要求第{self.round}轮回复"


class EscalationRule(TimeStampedModel):
    """超期督办规则：某类建议超期达到一定时间仍未回复，自动以指定督查人员的名义催办、督办或挂牌督办。

    The sweep (`services.overdue_escalate`) issues each level at most once per clock; a later
    rule with a higher level escalates further ("多次发函督办").
    """

    name = models.CharField("规则名称", max_length=100)
    case_type = models.ForeignKey(
        CaseType,
        verbose_name="案件类型",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"code__in": JUDICIAL_CASE_TYPES + PROPOSAL_CASE_TYPES},
    )
    overdue_by = models.CharField(
        "超期达到", max_length=12, default="0d", help_text="0d 表示一超期即督办；如 10wd、30d"
    )
    level = models.PositiveSmallIntegerField("督办级别", choices=Supervision.Level.choices)
    period = models.CharField("督办期限", max_length=12, default="5wd", help_text="如 5wd（工作日）")
    reason = models.CharField(
        "督办事由", max_length=300, default="已超过回复期限仍未回复，请说明原因并于督办期限内回复。"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="督办人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="以其名义发出督办的法治督察人员，须有覆盖承办单位的督察权限",
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["case_type_id", "level", "id"]
        verbose_name = "超期督办规则"
        verbose_name_plural = "超期督办规则"

    def __str__(self) -> str:
        return self.name


# --- 人大代表建议 / 政协提案 ----------------------------------------------------------------------


class Body(models.TextChoices):
    CONGRESS = "congress", "人民代表大会"
    CPPCC = "cppcc", "政治协商会议"


BODY_CASE_TYPES = {Body.CONGRESS: "deputy_suggestion", Body.CPPCC: "cppcc_proposal"}


class Session(TimeStampedModel):
    """届次会议：如“明湖市第十七届人民代表大会第三次会议”，或闭会期间。

    Local rules live here as data: a session's own answer period (四川: 政协全会期间提案 5 months;
    blank = the case type's), the window for returning a misassigned item (5–10 days in local
    rules) and the period for answering again when the deputy is not satisfied.
    """

    body = models.CharField("机关", max_length=10, choices=Body.choices)
    name = models.CharField("名称", max_length=100, unique=True)
    term = models.PositiveSmallIntegerField("届")
    meeting = models.PositiveSmallIntegerField("次", null=True, blank=True, help_text="闭会期间留空")
    opened_on = models.DateField("开幕日期")
    period = models.CharField("办理期限", max_length=12, blank=True, help_text="留空按案件类型（3m）")
    return_window = models.CharField(
        "交办有误退回时限", max_length=12, default="5wd", help_text="自交办之日起，如 5wd"
    )
    rehandle_period = models.CharField(
        "不满意重新办理期限", max_length=12, default="3m", help_text="自决定重新办理之日起"
    )
    is_active = models.BooleanField("接收建议/提案", default=True)

    class Meta:
        ordering = ["-opened_on", "body"]
        verbose_name = "届次会议"
        verbose_name_plural = "届次会议"

    def __str__(self) -> str:
        return self.name

    @property
    def case_type_code(self) -> str:
        return BODY_CASE_TYPES[self.body]


class Representative(TimeStampedModel):
    """人大代表或政协委员：姓名、代表团或界别、工作单位；联系电话加密保存，不公开。"""

    body = models.CharField("机关", max_length=10, choices=Body.choices)
    name = models.CharField("姓名", max_length=50)
    group = models.CharField("代表团/界别", max_length=60)
    organisation = models.CharField("工作单位及职务", max_length=120, blank=True)
    phone = EncryptedCharField("联系电话", kind="phone", blank=True)
    phone_index = BlindIndexField(source="phone")
    is_active = models.BooleanField("在任", default=True)

    class Meta:
        ordering = ["body", "group", "name"]
        verbose_name = "代表/委员"
        verbose_name_plural = "代表/委员"
        constraints = [
            models.UniqueConstraint(fields=["body", "name", "group"], name="representative_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.group}）"


class Grade(models.TextChoices):
    """办理结果分类。Local practice, not national law (DOMAIN.md §9, [S] 四川/山东 rules)."""

    A = "A", "A类（已解决或采纳）"
    B = "B", "B类（正在解决或列入计划）"
    C = "C", "C类（因条件限制暂不能解决）"
    D = "D", "D类（留作参考）"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Proposal(TimeStampedModel):
    """一件人大代表建议或政协提案：哪次会议、第几号、谁领衔、交谁主办会办。"""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="proposal")
    session = models.ForeignKey(
        Session, verbose_name="届次会议", on_delete=models.PROTECT, related_name="proposals"
    )
    number = models.CharField("建议/提案号", max_length=20)
    lead_proposer = models.ForeignKey(
        Representative, verbose_name="领衔人", on_delete=models.PROTECT, related_name="proposals_led"
    )
    co_proposers = models.ManyToManyField(
        Representative, verbose_name="联名人", blank=True, related_name="proposals_joined"
    )
    topic = models.CharField("类别", max_length=30, blank=True)
    is_key = models.BooleanField("重点督办", default=False)
    assigning_unit = models.ForeignKey(
        Unit, verbose_name="交办单位", on_delete=models.PROTECT, related_name="proposals_assigned"
    )
    extension_requested_at = models.DateTimeField("申请延期时间", null=True, blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extension_reason = models.CharField("申请延期理由", max_length=300, blank=True)

    class Meta:
        ordering = ["-case__received_at", "-id"]
        verbose_name = "代表建议/政协提案"
        verbose_name_plural = "代表建议/政协提案"
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="proposal_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.session.name}第{self.number}号"

    def get_absolute_url(self) -> str:
        return reverse("suggestions:proposal_detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return "建议" if self.session.body == Body.CONGRESS else "提案"


class ProposalReturn(models.Model):
    """交办有误退回：承办单位在退回时限内说明理由退回交办单位，由交办单位改派或驳回。"""

    class Status(models.TextChoices):
        PENDING = "pending", "待交办单位处理"
        ACCEPTED = "accepted", "已改派"
        REJECTED = "rejected", "不予退回"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="returns")
    unit = models.ForeignKey(Unit, verbose_name="退回单位", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("退回理由")
    suggested_unit = models.ForeignKey(
        Unit, verbose_name="建议承办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField("退回时间")
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.CharField("处理意见", max_length=300, blank=True)
    reassigned_to = models.ForeignKey(
        Unit, verbose_name="改派单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["proposal_id", "returned_at"]
        verbose_name = "交办退回"
        verbose_name_plural = "交办退回"
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(status="pending"),
                name="proposalreturn_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} 退回（{self.get_status_display()}）"


class ProposalContact(models.Model):
    """与代表、委员的沟通联系（代表法第五十一条：办理时应当与代表联系沟通），答复前必须记录。"""

    class Method(models.TextChoices):
        VISIT = "visit", "当面走访"
        MEETING = "meeting", "座谈会/调研"
        PHONE = "phone", "电话"
        WRITTEN = "written", "书面/网络"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField("联系日期")
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    note = models.TextField("沟通情况")
    unit = models.ForeignKey(Unit, verbose_name="联系单位", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["proposal_id", "contacted_on", "id"]
        verbose_name = "沟通联系"
        verbose_name_plural = "沟通联系"

    def __str__(self) -> str:
        return f"{self.proposal} {self.contacted_on} {self.get_method_display()}"


class ProposalAnswer(models.Model):
    """书面答复及办理结果分类；第1轮为答复，此后为不满意后重新办理的答复。可经审核后公开。"""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    grade = models.CharField("办理结果", max_length=1, choices=Grade.choices)
    text = models.TextField("答复内容")
    answered_on = models.DateField("答复日期")
    unit = models.ForeignKey(Unit, verbose_name="答复单位", on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("答复期限")
    on_time = models.BooleanField("按期答复")
    disclosed_at = models.DateTimeField("公开时间", null=True, blank=True)
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["proposal_id", "round"]
        verbose_name = "答复"
        verbose_name_plural = "答复"
        constraints = [
            models.UniqueConstraint(fields=["proposal", "round"], name="proposalanswer_unique_round"),
        ]
        indexes = [models.Index(fields=["disclosed_at"], name="proposalanswer_disclosed_idx")]

    def __str__(self) -> str:
        return f"{self.proposal} 第{self.round}轮答复"

    def get_absolute_url(self) -> str:
        return reverse("suggestions:public_answer", args=[self.pk])


class ProposalFeedback(models.Model):
    """代表、委员对答复的意见（征询意见表）：满意、基本满意或不满意；不满意的重新办理。"""

    answer = models.OneToOneField(ProposalAnswer, on_delete=models.CASCADE, related_name="feedback")
    satisfaction = models.CharField("满意程度", max_length=12, choices=Satisfaction.choices)
    note = models.TextField("意见", blank=True)
    received_on = models.DateField("反馈日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["answer_id"]
        verbose_name = "代表委员意见"
        verbose_name_plural = "代表委员意见"

    def __str__(self) -> str:
        return f"{self.answer} {self.get_satisfaction_display()}"
