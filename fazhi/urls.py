from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from fazhi.api.api import api

admin.site.site_header = "法治政府建设管理平台"
admin.site.site_title = "法治 · 后台"
admin.site.index_title = "后台数据管理"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:workbench", permanent=False)),
    path("accounts/", include("fazhi.core.auth_urls")),
    path("core/", include("fazhi.core.urls")),
    path("org/", include("fazhi.org.urls")),
    path("cases/", include("fazhi.cases.urls")),
    path("hotline/data/", include("fazhi.hotline.bulk_urls")),
    path("hotline/", include("fazhi.hotline.urls")),
    path("legal/", include("fazhi.legal.urls")),
    path("metrics/", include("fazhi.metrics.urls")),
    path("reports/", include("fazhi.reports.urls")),
    path("suggestions/", include("fazhi.suggestions.urls")),
    path("mediation/", include("fazhi.mediation.urls")),
    path("assessment/", include("fazhi.assessment.urls")),
    path("portal/", include("fazhi.portal.urls")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("fazhi.hotline.open311_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
