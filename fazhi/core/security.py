"""Password and login rules (等保 level 3 practice; numbers configurable in settings)."""

import re

from django.core.exceptions import ValidationError

from fazhi.org.models import Role
from fazhi.org.permissions import has_role


class ComplexityValidator:
    """At least three of: upper case, lower case, digit, other character."""

    classes = (r"[A-Z]", r"[a-z]", r"\d", r"[^A-Za-z0-9]")

    def validate(self, password: str, user=None) -> None:
        present = sum(1 for pattern in self.classes if re.search(pattern, password))
        if present < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。"


def can_use_admin(user) -> bool:
    """The Django admin is the 系统管理员's tool only; is_staff/is_superuser grant nothing here."""
    return has_role(user, Role.SYSTEM_ADMIN)  # inactive and anonymous users hold no roles


def can_manage_credentials(user) -> bool:
    """API tokens, password resets, unlocks: the 系统管理员 (accounts) or the 安全管理员 (authorisations)."""
    return has_role(user, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
