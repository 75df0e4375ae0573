"""Documents of a 行政复议 case: templates (data), drafts the clerk edits, and issued DOCX files."""

from django.conf import settings
from django.db import models

from fazhi.cases.models import Attachment, Case
from fazhi.core.models import TimeStampedModel
from fazhi.legal.models.reconsideration import ReconsiderationBody


class DocumentKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", "受理通知书"
    CORRECTION_NOTICE = "correction_notice", "补正通知书"
    ANSWER_NOTICE = "answer_notice", "答复通知书"
    REJECTION_DECISION = "rejection_decision", "不予受理决定书"
    DECISION = "decision", "行政复议决定书"
    FOLLOW_UP = "follow_up", "行政复议意见书/建议书"


class DocumentTemplate(TimeStampedModel):
    """文书模板：标题、编号格式和正文（Django 模板语法）。各地可按本地格式修改。"""

    kind = models.CharField("文书种类", max_length=20, choices=DocumentKind.choices, unique=True)
    title = models.CharField("标题", max_length=60)
    number_format = models.CharField(
        "编号格式", max_length=60, help_text="可用 {prefix}（复议机构字号前缀）、{year}、{seq}"
    )
    body = models.TextField("正文模板")

    class Meta:
        ordering = ["kind"]
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"

    def __str__(self) -> str:
        return self.title


class DocumentSequence(models.Model):
    """每个复议机构每种文书每年一个流水号序列；取号时行锁。"""

    body = models.ForeignKey(ReconsiderationBody, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "文书编号序列"
        verbose_name_plural = "文书编号序列"
        constraints = [
            models.UniqueConstraint(fields=["body", "kind", "year"], name="documentsequence_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class LegalDocument(TimeStampedModel):
    """一份文书：先生成草稿供修改，签发时编号、生成 DOCX 并作为案件附件保存，此后不再改动。"""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "已签发"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="legal_documents"
    )
    kind = models.CharField("文书种类", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("标题", max_length=60)
    text = models.TextField("正文")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField("文书编号", max_length=60, blank=True)
    issued_on = models.DateField("签发日期", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attachment = models.OneToOneField(
        Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="legal_document"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case_id", "created_at", "id"]
        verbose_name = "法律文书"
        verbose_name_plural = "法律文书"
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="legaldocument_one_per_kind"),
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="legaldocument_unique_number"
            ),
            models.CheckConstraint(
                name="legaldocument_issued_is_numbered",
                condition=models.Q(status="draft")
                | (~models.Q(number="") & models.Q(issued_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()
