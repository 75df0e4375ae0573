"""考核: indicator trees as versioned data, scoring rules per leaf, and the yearly cycle.

A cycle runs open → submitting → reviewing → published. Scores come from three kinds of rule:
a threshold on a registry metric, deductions from platform records (each deduction names its
case), or evidence scored by a reviewer. Published results are frozen as `Result` rows so the
通报 and the results page read the same figures.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.cases.models import Case
from fazhi.core.models import TimeStampedModel
from fazhi.org.models import Unit


class IndicatorTree(TimeStampedModel):
    """指标体系：一套三级指标（一级、二级、三级），按版本保存，可多套并存。"""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ACTIVE = "active", "启用"
        RETIRED = "retired", "停用"

    name = models.CharField("名称", max_length=100)
    version = models.CharField("版本", max_length=40)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_template = models.BooleanField("模板", default=False, help_text="示范模板，须按本地考核办法修改后使用")
    description = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "指标体系"
        verbose_name_plural = "指标体系"
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="indicatortree_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"

    def get_absolute_url(self) -> str:
        return reverse("assessment:tree_detail", args=[self.pk])


class Indicator(models.Model):
    """一项指标。没有下级的指标（通常为三级指标）是评分项，挂一条评分规则。"""

    tree = models.ForeignKey(IndicatorTree, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self",
        verbose_name="上级指标",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField("级别")
    code = models.CharField("编号", max_length=20)
    name = models.CharField("名称", max_length=200)
    requirement = models.TextField("考核要求", blank=True)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField("分值", max_digits=6, decimal_places=2, default=Decimal("0"))
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["tree_id", "order", "id"]
        verbose_name = "指标"
        verbose_name_plural = "指标"
        constraints = [
            models.UniqueConstraint(fields=["tree", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                name="indicator_level_1_to_3", condition=models.Q(level__gte=1, level__lte=3)
            ),
            models.CheckConstraint(
                name="indicator_max_score_not_negative", condition=models.Q(max_score__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ScoringRule(models.Model):
    """评分项的评分规则：按指标阈值分档、按平台记录扣分、或按佐证材料由评审人打分。"""

    class Kind(models.TextChoices):
        METRIC = "metric", "指标阈值"
        EVENTS = "events", "事件扣分"
        EVIDENCE = "evidence", "佐证材料评审"

    class Source(models.TextChoices):
        CASE_LATE = "case_late", "案件超期（期限在考核年度内，逾期办结或逾期未办结）"
        LAWSUIT_LOST = "lawsuit_lost", "行政诉讼败诉（生效裁判）"

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="rule")
    kind = models.CharField("评分方式", max_length=10, choices=Kind.choices)
    metric_code = models.CharField("指标代码", max_length=80, blank=True)
    bands = models.JSONField(
        "分档",
        default=list,
        blank=True,
        help_text='[{"op": ">=", "value": 95, "points": 10}, …]，自上而下取第一个满足的',
    )
    source = models.CharField("事件来源", max_length=20, choices=Source.choices, blank=True)
    case_type_code = models.CharField("案件类型代码", max_length=40, blank=True)
    points_per_record = models.DecimalField("每件扣分", max_digits=6, decimal_places=2, null=True, blank=True)
    cap = models.DecimalField(
        "扣分上限", max_digits=6, decimal_places=2, null=True, blank=True, help_text="留空以分值为上限"
    )

    class Meta:
        verbose_name = "评分规则"
        verbose_name_plural = "评分规则"

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.get_kind_display()}"


class AssessmentCycle(TimeStampedModel):
    """一个年度的考核：开启 → 单位报送 → 评审 → 公布。"""

    class Status(models.TextChoices):
        OPEN = "open", "已开启"
        SUBMITTING = "submitting", "单位报送"
        REVIEWING = "reviewing", "评审"
        PUBLISHED = "published", "已公布"

    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("考核年度")
    tree = models.ForeignKey(
        IndicatorTree, verbose_name="指标体系", on_delete=models.PROTECT, related_name="cycles"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    units = models.ManyToManyField(Unit, verbose_name="考核对象", related_name="assessment_cycles")
    submit_due = models.DateField("报送截止日")
    appeal_due = models.DateField("申诉截止日")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    bulletin_number = models.CharField("通报文号", max_length=60, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "考核年度"
        verbose_name_plural = "考核年度"
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="cycle_unique_name_year")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:cycle_detail", args=[self.pk])


class Submission(TimeStampedModel):
    """单位的自评报送：每个评分项的自评分和说明，以及佐证材料。"""

    class Status(models.TextChoices):
        DRAFT = "draft", "填报中"
        SUBMITTED = "submitted", "已报送"

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["cycle_id", "unit__sort_order", "unit_id"]
        verbose_name = "自评报送"
        verbose_name_plural = "自评报送"
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="submission_unique_unit")]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:submission", args=[self.cycle_id, self.unit_id])


class SelfAssessment(models.Model):
    """一个评分项的自评。"""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField("自评分", max_digits=6, decimal_places=2, null=True, blank=True)
    statement = models.TextField("自评说明", blank=True)

    class Meta:
        ordering = ["indicator__order"]
        verbose_name = "自评"
        verbose_name_plural = "自评"
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="selfassessment_unique_leaf")
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.indicator.code}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"assessment/{instance.submission.cycle_id}/{instance.submission.unit_id}/{instance.sha256[:16]}-{filename}"


class Evidence(models.Model):
    """佐证材料：单位为一个评分项上传的文件，记下大小和 SHA-256 以便核验。"""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    file = models.FileField("文件", upload_to=evidence_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """一个单位在一个评分项上的得分：自动计算（指标、扣分）或评审人评分。"""

    class Source(models.TextChoices):
        AUTO = "auto", "自动计算"
        REVIEWER = "reviewer", "评审评分"

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("得分", max_digits=6, decimal_places=2)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    basis = models.CharField("计分依据", max_length=300, blank=True)
    comment = models.TextField("评审意见", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评审人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scored_at = models.DateTimeField("评分时间")

    class Meta:
        ordering = ["cycle_id", "unit_id", "indicator__order"]
        verbose_name = "得分"
        verbose_name_plural = "得分"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit", "indicator"], name="score_unique_leaf"),
            models.CheckConstraint(name="score_not_negative", condition=models.Q(points__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.indicator.code} {self.points}"


class Deduction(models.Model):
    """一处扣分，指向造成扣分的那条记录（案件）。申诉成立的扣分撤销，不删除。"""

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        WITHDRAWN = "withdrawn", "已撤销（申诉成立）"

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="deductions")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, verbose_name="扣分记录", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("扣分", max_digits=6, decimal_places=2)
    reason = models.CharField("扣分理由", max_length=300)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField("扣分时间", auto_now_add=True)

    class Meta:
        ordering = ["cycle_id", "unit_id", "indicator__order", "id"]
        verbose_name = "扣分"
        verbose_name_plural = "扣分"
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit", "indicator", "case"], name="deduction_unique_record"
            ),
            models.CheckConstraint(name="deduction_positive", condition=models.Q(points__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.indicator.code} −{self.points}（{self.case.number}）"


class Appeal(models.Model):
    """对一处扣分的申诉：每处扣分只能申诉一次，由法治督察人员决定并写明理由。"""

    class Decision(models.TextChoices):
        PENDING = "pending", "待处理"
        ACCEPTED = "accepted", "申诉成立，撤销扣分"
        REJECTED = "rejected", "申诉不成立，维持扣分"

    deduction = models.OneToOneField(Deduction, on_delete=models.CASCADE, related_name="appeal")
    reasons = models.TextField("申诉理由")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("申诉时间")
    decision = models.CharField("处理结果", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField("处理理由", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "扣分申诉"
        verbose_name_plural = "扣分申诉"

    def __str__(self) -> str:
        return f"申诉 {self.deduction}"


class Result(models.Model):
    """公布时冻结的单位总分和名次；通报和结果页读同一组数字。"""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("总分", max_digits=8, decimal_places=2)
    lost = models.DecimalField("失分", max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField("名次")

    class Meta:
        ordering = ["cycle_id", "rank", "unit__sort_order", "unit_id"]
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="result_unique_unit")]

    def __str__(self) -> str:
        return f"{self.cycle} 第{self.rank}名 {self.unit} {self.total}"


class Rectification(models.Model):
    """失分形成的整改任务：一件“整改任务”类案件，期限由案件引擎计算，办结即销号。"""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="rectifications")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    deduction = models.OneToOneField(
        Deduction, null=True, blank=True, on_delete=models.PROTECT, related_name="rectification"
    )
    case = models.OneToOneField(Case, verbose_name="整改任务", on_delete=models.PROTECT, related_name="+")
    lost_points = models.DecimalField("失分", max_digits=6, decimal_places=2)
    created_at = models.DateTimeField("交办时间", auto_now_add=True)

    class Meta:
        ordering = ["cycle_id", "unit_id", "indicator__order"]
        verbose_name = "考核整改"
        verbose_name_plural = "考核整改"
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit", "indicator"],
                condition=models.Q(deduction__isnull=True),
                name="rectification_unique_leaf",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.unit} {self.indicator.code}"
