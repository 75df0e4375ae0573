"""Public pages for the portal to include (e.g. at /portal/reports/); also served under /reports/public/."""

from django.urls import path

from fazhi.reports import views

app_name = "public_reports"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
]
