from django.urls import path

from fazhi.mediation import views

app_name = "mediation"

urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("new/", views.dispute_new, name="new"),
    path("overview/", views.overview, name="overview"),
    path("export/", views.dispute_export, name="export"),
    path("import/", views.dispute_import, name="import"),
    path("import/template/", views.dispute_template, name="template"),
    path("committees/", views.committee_list, name="committee_list"),
    path("committees/new/", views.committee_new, name="committee_new"),
    path("committees/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.dispute_action, name="action"),
]
