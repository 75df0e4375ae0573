"""The REST API, /api/v1/. Each app's api.py defines a router; this mounts them."""

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI

from fazhi.api.auth import BearerToken, SessionAuthIsStaff
from fazhi.core.middleware import record_denied

api = NinjaAPI(
    title="法治政府建设管理平台 API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), SessionAuthIsStaff()],
    docs_url="/docs",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    """Services refuse with PermissionDenied; the API answers 403 with the reason, recorded as a failure."""
    if request.user.is_authenticated:
        record_denied(request, exc)
    return api.create_response(request, {"detail": str(exc) or "无权操作。"}, status=403)


def _mount() -> None:
    from fazhi.assessment.api import router as assessment_router
    from fazhi.cases.api import router as cases_router
    from fazhi.hotline.api import router as hotline_router
    from fazhi.legal.api import router as legal_router
    from fazhi.mediation.api import router as mediation_router
    from fazhi.metrics.api import router as metrics_router
    from fazhi.org.api import router as org_router
    from fazhi.reports.api import router as reports_router
    from fazhi.suggestions.api import router as suggestions_router

    api.add_router("/org", org_router)
    api.add_router("/cases", cases_router)
    api.add_router("/hotline", hotline_router)
    api.add_router("/legal", legal_router)
    api.add_router("/metrics", metrics_router)
    api.add_router("/suggestions", suggestions_router)
    api.add_router("/mediation", mediation_router)
    api.add_router("/reports", reports_router)
    api.add_router("/assessment", assessment_router)


_mount()
