"""The statutory annual report (法治政府建设年度报告): one per unit and year, in the five parts the
督察工作规定 requires, with figure sentences that keep the values they were written with."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.cases.models import Case
from fazhi.core.models import TimeStampedModel
from fazhi.org.models import Unit


class AnnualReport(TimeStampedModel):
    """某单位某年度的法治政府建设情况报告：人民政府的报告（本级政府整体）或工作部门的报告。"""

    class Level(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        DEPARTMENT = "department", "工作部门"

    class Status(models.TextChoices):
        DRAFT = "draft", "起草中"
        SUBMITTED = "submitted", "已报送"
        PUBLISHED = "published", "已公开"

    year = models.PositiveSmallIntegerField("报告年度")
    unit = models.ForeignKey(
        Unit, verbose_name="报告单位", on_delete=models.PROTECT, related_name="annual_reports"
    )
    level = models.CharField("报告层级", max_length=12, choices=Level.choices)
    title = models.CharField("标题", max_length=200)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    due_date = models.DateField("报送期限")
    public_due_date = models.DateField("公开期限")
    case = models.OneToOneField(
        Case, verbose_name="报送期限案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公开人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prefilled_at = models.DateTimeField("预填时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "unit__sort_order", "unit_id"]
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="annualreport_one_per_unit_year"),
            models.CheckConstraint(
                name="annualreport_published_has_time",
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:annual_detail", args=[self.pk])

    @property
    def next_year(self) -> int:
        return self.year + 1


class ReportSection(models.Model):
    """报告的一节：五个部分之一，第一部分按纲要标题再分节；工作人员撰写的文字在这里。"""

    class Part(models.IntegerChoices):
        MEASURES = 1, "主要举措和成效"
        DEFICIENCIES = 2, "存在的不足和原因"
        RESPONSIBILITY = 3, "党政主要负责人履行推进法治建设第一责任人职责情况"
        PLANS = 4, "下一年度主要安排"
        OTHER = 5, "其他需要报告的情况"

    report = models.ForeignKey(
        AnnualReport, verbose_name="报告", on_delete=models.CASCADE, related_name="sections"
    )
    part = models.PositiveSmallIntegerField("部分", choices=Part.choices)
    heading_key = models.CharField("纲要标题代码", max_length=40, blank=True)
    heading = models.CharField("小标题", max_length=120, blank=True)
    narrative = models.TextField("正文", blank=True, help_text="每段一行；数据句另行排在本节正文之后")
    order = models.PositiveSmallIntegerField("顺序")

    class Meta:
        ordering = ["report_id", "part", "order"]
        verbose_name = "报告章节"
        verbose_name_plural = "报告章节"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "part", "heading_key"], name="reportsection_unique_heading"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()} {self.heading}".strip()

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.narrative.splitlines() if line.strip()]


class FigureSentence(models.Model):
    """数据句：按模板由指标登记册算出的一句话，记下写入时的数值，数据变化时可看出已过时。"""

    section = models.ForeignKey(
        ReportSection, verbose_name="章节", on_delete=models.CASCADE, related_name="sentences"
    )
    template = models.CharField("模板代码", max_length=40)
    metric_codes = models.JSONField("指标代码", default=list)
    scope_path = models.CharField("统计范围（单位层级路径）", max_length=255)
    year = models.PositiveSmallIntegerField("统计年度")
    snapshot = models.JSONField("写入时的数值", default=dict)
    text = models.TextField("数据句")
    before = models.TextField("句前文字", blank=True)
    after = models.TextField("句后文字", blank=True)
    order = models.PositiveSmallIntegerField("顺序")
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        ordering = ["section_id", "order"]
        verbose_name = "数据句"
        verbose_name_plural = "数据句"
        constraints = [
            models.UniqueConstraint(fields=["section", "template"], name="figuresentence_unique_template"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def paragraph(self) -> str:
        return f"{self.before}{self.text}{self.after}"
