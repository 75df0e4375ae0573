"""Rollups: daily counts per measure, unit and dimension, so figures never rescan raw rows.

They are derived data, rebuilt by `fazhi metrics rollup` from the records; nobody edits them.
"""

from django.db import models

from fazhi.org.models import Unit


class MetricRollup(models.Model):
    """某计数口径在某日、某单位、某维度（案件类型/诉求大类）的件数。

    `day` is the record's anchor day (e.g. the day a request was received). A `monthly` row sums
    the daily rows of the month starting on `day`, so that a year is read from twelve rows per
    unit rather than 365. `due` is kept only for overdue measures: the row counts as 超期 on any
    day after `due`.
    """

    measure = models.CharField("计数口径", max_length=60)
    day = models.DateField("日期")
    monthly = models.BooleanField("月汇总", default=False)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField("维度", max_length=40, blank=True)
    due = models.DateField("期限", null=True, blank=True)
    count = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = "指标日汇总"
        verbose_name_plural = "指标日汇总"
        indexes = [
            models.Index(fields=["measure", "monthly", "day"], name="rollup_measure_grain_day_idx"),
            models.Index(fields=["measure", "unit", "day"], name="rollup_measure_unit_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(name="rollup_count_positive", condition=models.Q(count__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.day} {self.unit_id} {self.dimension}: {self.count}"


class RollupRun(models.Model):
    """一次汇总：何时开始、何时完成、重算了哪些日期。

    Figures for days before the day a fresh run started come from rollups; see
    docs/adr/0010-metrics-registry-and-rollups.md for the freshness rule.
    """

    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    full = models.BooleanField("全量重算", default=False)
    since = models.DateField("指定起始日", null=True, blank=True)
    days = models.PositiveIntegerField("重算日数", default=0)
    rows = models.PositiveIntegerField("写入行数", default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "指标汇总记录"
        verbose_name_plural = "指标汇总记录"

    def __str__(self) -> str:
        return f"汇总 {self.started_at:%Y-%m-%d %H:%M}"
