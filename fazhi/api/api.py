"""The REST API, /api/v1/. Each app's api.py defines a router; this mounts them."""

from ninja import NinjaAPI

from fazhi.api.auth import BearerToken, SessionAuthIsStaff

api = NinjaAPI(
    title="法治政府建设管理平台 API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), SessionAuthIsStaff()],
    docs_url="/docs",
)


def _mount() -> None:
    from fazhi.cases.api import router as cases_router
    from fazhi.hotline.api import router as hotline_router
    from fazhi.org.api import router as org_router

    api.add_router("/org", org_router)
    api.add_router("/cases", cases_router)
    api.add_router("/hotline", hotline_router)


_mount()
