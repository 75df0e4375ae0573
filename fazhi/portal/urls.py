from django.urls import path

from fazhi.portal import views
from fazhi.reports import views as report_views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submit/receipt/", views.receipt, name="receipt"),
    path("options/<slug:kind>/", views.options, name="options"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.rate, name="rate"),
    path("answers/", views.answers, name="answers"),
    path("answers/<int:pk>/", views.answer, name="answer"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", report_views.public_detail, name="report"),
]
