"""How the figures are counted where no official definition exists (DOMAIN.md §3, §15 item 9)."""

from django.db import models

from fazhi.core.models import TimeStampedModel
from fazhi.legal import catalogue


class FigureSettings(TimeStampedModel):
    """统计口径：哪些结案方式计入纠错、调撤、维持、驳回，纠错率以什么为分母。全系统一行，后台修改。"""

    class Denominator(models.TextChoices):
        CONCLUDED = "concluded", "审结案件数（含调解、和解、撤回、终止）"
        DECIDED = "decided", "作出复议决定的案件数（不含调解、和解、撤回、终止）"
        ACCEPTED = "accepted", "同期受理案件数"

    direct_correction = models.JSONField("直接纠错计入的结案方式", default=list)
    broad_correction = models.JSONField("纠错（广义）计入的结案方式", default=list)
    mediation_withdrawal = models.JSONField("调撤计入的结案方式", default=list)
    upheld = models.JSONField("维持计入的结案方式", default=list)
    rejected = models.JSONField("驳回计入的结案方式", default=list)
    correction_denominator = models.CharField(
        "纠错率分母", max_length=12, choices=Denominator.choices, default=Denominator.CONCLUDED
    )

    class Meta:
        verbose_name = "统计口径"
        verbose_name_plural = "统计口径"

    def __str__(self) -> str:
        return "行政复议统计口径"

    @classmethod
    def current(cls) -> "FigureSettings":
        found = cls.objects.order_by("id").first()
        return found if found is not None else cls(**catalogue.DEFAULT_FIGURE_SETTINGS)
