"""Registers of the government itself: regions, units, staff and the responsibility list."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse

from fazhi.core.models import TimeStampedModel


class User(AbstractUser):
    """工作人员账号。权限来自其在各单位的任职（Membership），不来自账号本身。"""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Region(models.Model):
    """行政区划。省、市、县三级用 GB/T 2260 六位代码；乡镇街道九位、社区村十二位（统计用区划代码）。"""

    class Level(models.IntegerChoices):
        PROVINCE = 1, "省"
        CITY = 2, "市"
        COUNTY = 3, "区县"
        STREET = 4, "乡镇街道"
        COMMUNITY = 5, "社区村"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name


class Unit(TimeStampedModel):
    """单位：人民政府、工作部门、乡镇街道、法院检察院、公用事业单位等。

    `path` is the materialised chain of ids ("/1/7/31/") so a unit subtree is one indexed
    prefix query; services keep it in step with `parent`.
    """

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        DEPARTMENT = "department", "政府工作部门"
        TOWNSHIP = "township", "乡镇人民政府/街道办事处"
        ENFORCEMENT = "enforcement", "行政执法机关"
        COURT = "court", "人民法院"
        PROCURATORATE = "procuratorate", "人民检察院"
        CONGRESS = "congress", "人大常委会/政协工作机构"
        UTILITY = "utility", "公用事业单位"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        ACTIVE = "active", "正常"
        MERGED = "merged", "已合并"
        ABOLISHED = "abolished", "已撤销"

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("单位类型", max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("层级路径", max_length=255, db_index=True, editable=False, default="/")
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="units"
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    successor = models.ForeignKey(
        "self",
        verbose_name="承继单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    status_note = models.CharField(
        "状态变更说明", max_length=200, blank=True, help_text="如机构改革的依据文件文号"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "单位"
        verbose_name_plural = "单位"
        constraints = [
            models.CheckConstraint(
                name="unit_successor_only_when_inactive",
                condition=models.Q(successor__isnull=True) | ~models.Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:unit_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    SUPERVISOR = "supervisor", "法治督察（法治办/司法局）"
    HANDLER = "handler", "承办人员"
    UNIT_LEADER = "unit_leader", "单位负责人"
    OPERATOR = "operator", "12345话务员"
    LEADER = "leader", "领导（驾驶舱）"


# 三员分立: an account holds at most one of these, and none of them together with casework roles.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class Membership(TimeStampedModel):
    """任职：某人在某单位的岗位和角色，以及角色作用的范围（本单位、本单位及下级、全部）。"""

    class Scope(models.TextChoices):
        UNIT = "unit", "本单位"
        SUBTREE = "subtree", "本单位及下级单位"
        ALL = "all", "全部"

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships")
    post = models.CharField("岗位/职务", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    scope = models.CharField("范围", max_length=10, choices=Scope.choices, default=Scope.UNIT)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["unit_id", "role"]
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class ResponsibilityItem(TimeStampedModel):
    """权责清单事项：某单位依法行使的一项职权，及其法律依据。"""

    class Kind(models.TextChoices):
        LICENSING = "licensing", "行政许可"
        PENALTY = "penalty", "行政处罚"
        COERCION = "coercion", "行政强制"
        LEVY = "levy", "行政征收"
        BENEFIT = "benefit", "行政给付"
        INSPECTION = "inspection", "行政检查"
        CONFIRMATION = "confirmation", "行政确认"
        REWARD = "reward", "行政奖励"
        ADJUDICATION = "adjudication", "行政裁决"
        OTHER = "other", "其他行政权力"

    code = models.CharField("事项编码", max_length=40, unique=True)
    kind = models.CharField("职权类型", max_length=16, choices=Kind.choices)
    name = models.CharField("事项名称", max_length=200)
    legal_basis = models.TextField("设定依据")
    unit = models.ForeignKey(
        Unit, verbose_name="实施主体", on_delete=models.PROTECT, related_name="responsibility_items"
    )
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["unit_id", "kind", "code"]
        verbose_name = "权责清单事项"
        verbose_name_plural = "权责清单事项"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class BoundaryItem(TimeStampedModel):
    """边界事项：职责交叉或空白的事项，写明由谁牵头、谁配合，谁也不能推。"""

    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=200)
    description = models.TextField("情形与分工")
    keywords = models.CharField(
        "识别关键词", max_length=200, blank=True, help_text="以顿号或逗号分隔，用于派单匹配"
    )
    legal_basis = models.TextField("依据", blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="boundary_items_led"
    )
    co_units = models.ManyToManyField(Unit, verbose_name="配合单位", related_name="boundary_items_joined")
    settled_by = models.CharField("确定依据文件", max_length=200, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "边界事项"
        verbose_name_plural = "边界事项"

    def __str__(self) -> str:
        return self.name
