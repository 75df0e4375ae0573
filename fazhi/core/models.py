"""Platform foundations: timestamps, the work calendar, the audit trail and API tokens."""

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class CalendarDay(models.Model):
    """一天在工作日历中的性质：工作日、周休日、法定节假日或调休上班日。

    Deadlines are computed only over dates present in this table; a date outside the loaded
    range is an error, never a guess.
    """

    class Kind(models.TextChoices):
        WORKDAY = "workday", "工作日"
        WEEKEND = "weekend", "周休日"
        HOLIDAY = "holiday", "法定节假日"
        MAKEUP_WORKDAY = "makeup", "调休上班日"

    class Source(models.TextChoices):
        STATUTORY = "statutory", "国务院放假安排"
        LOCAL = "local", "地方规定"
        MANUAL = "manual", "人工调整"
        # Weekends only, until the State Council publishes that year's holidays (usually in
        # November); deadlines that cross such days are shown as 暂定 and recomputed on load.
        PROVISIONAL = "provisional", "暂按周休日"

    date = models.DateField("日期", primary_key=True)
    is_workday = models.BooleanField("是否工作日")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("节日名称", max_length=32, blank=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.STATUTORY)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "工作日历"
        verbose_name_plural = "工作日历"
        constraints = [
            models.CheckConstraint(
                name="calendarday_workday_matches_kind",
                condition=(
                    models.Q(is_workday=True, kind__in=["workday", "makeup"])
                    | models.Q(is_workday=False, kind__in=["weekend", "holiday"])
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}{(' ' + self.name) if self.name else ''}"


class AuditEvent(models.Model):
    """安全审计记录：谁、何时、从哪里、对什么做了什么，是否成功。

    Append-only and chained: each row's hash covers its content and the previous row's hash,
    so a changed or deleted row breaks the chain (`fazhi audit verify`).
    """

    occurred_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    target_type = models.CharField("对象类型", max_length=64, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    success = models.BooleanField("是否成功", default=True)
    message = models.CharField("说明", max_length=500, blank=True)
    prev_hash = models.CharField("前一记录摘要", max_length=64)
    hash = models.CharField("摘要(SM3)", max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"


class ApiToken(models.Model):
    """接口令牌：集成系统和脚本以某个账号的身份调用 REST 接口。只保存摘要，明文只显示一次。"""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=12)
    digest = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
