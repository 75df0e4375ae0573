from django.urls import path

from fazhi.metrics import views

app_name = "metrics"

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("definitions/", views.definitions, name="definitions"),
    path("unit/<int:pk>/", views.unit_page, name="unit"),
    path("<str:code>/records/", views.records, name="records"),
]
