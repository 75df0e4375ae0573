"""Background work of the case engine. Tasks take ids or keys and call services or selectors."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django_tasks import task

from fazhi.cases.models import Notice
from fazhi.org.models import Membership, Role


@task()
def email_notices(*, keys: list[str]) -> int:
    """E-mail each notice to the handlers and leaders of its unit who have an address."""
    notices = Notice.objects.filter(key__in=keys).select_related("unit")
    recipients: dict[int, list[str]] = {}
    messages = []
    for notice in notices:
        if notice.unit_id not in recipients:
            recipients[notice.unit_id] = list(
                Membership.objects.filter(
                    unit_id=notice.unit_id, is_active=True, role__in=[Role.HANDLER, Role.UNIT_LEADER]
                )
                .exclude(user__email="")
                .values_list("user__email", flat=True)
                .distinct()
            )
        if recipients[notice.unit_id]:
            body = f"{notice.unit.name}：\n\n{notice.title}\n\n请登录法治政府建设管理平台办理。"
            messages.append(
                (f"[法治平台] {notice.title}", body, settings.DEFAULT_FROM_EMAIL, recipients[notice.unit_id])
            )
    return send_mass_mail(messages, fail_silently=False) if messages else 0
