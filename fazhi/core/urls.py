from fazhi.core import audit_views, calendar_views

app_name = "core"

urlpatterns = [
    *calendar_views.urlpatterns,
    *audit_views.urlpatterns,
]
