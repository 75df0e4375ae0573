"""Records of requests that reach the hotline in bulk or from other systems: the files imported
(kept whole, whatever happened to them) and the Open311 clients allowed to submit requests.

Registered with the hotline app from `HotlineConfig.ready()`.
"""

from django.conf import settings
from django.db import models

from fazhi.org.models import Unit


class HistoryImport(models.Model):
    """历史诉求导入：上传的文件原样保存，连同逐行校验结果；被拒绝的文件也保存，来电人反映的内容不丢失。"""

    class Status(models.TextChoices):
        DONE = "done", "已导入"
        REFUSED = "refused", "未导入（有错误）"

    file_name = models.CharField("文件名", max_length=200)
    content = models.BinaryField("原始文件")
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField("结果", max_length=10, choices=Status.choices)
    rows = models.PositiveIntegerField("数据行数", default=0)
    tickets = models.PositiveIntegerField("导入工单数", default=0)
    first_number = models.CharField("首个编号", max_length=40, blank=True)
    last_number = models.CharField("末个编号", max_length=40, blank=True)
    errors = models.JSONField("错误", default=list, blank=True, help_text="行号、列、值、违反的规则")
    centre = models.ForeignKey(Unit, verbose_name="受理中心", on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        app_label = "hotline"
        ordering = ["-created_at", "-id"]
        verbose_name = "历史诉求导入"
        verbose_name_plural = "历史诉求导入"

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"


class Open311Client(models.Model):
    """Open311 接入方：由12345中心登记，凭 api_key 提交诉求。只保存密钥的 SM3 摘要和前缀。

    Requests it submits are registered by `operator` (an account of the centre) through the same
    intake service as a phone call, with the channel "Open311".
    """

    name = models.CharField("接入方名称", max_length=100)
    prefix = models.CharField("密钥前缀", max_length=12, db_index=True)
    digest = models.CharField("密钥摘要", max_length=64, unique=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记账号",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="以其名义登记诉求的12345话务员账号",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        app_label = "hotline"
        ordering = ["name", "id"]
        verbose_name = "Open311 接入方"
        verbose_name_plural = "Open311 接入方"

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
