from django.urls import path

from fazhi.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.home, name="home"),
    path("trees/", views.tree_list, name="tree_list"),
    path("trees/starter/", views.tree_starter, name="tree_starter"),
    path("trees/import/", views.tree_import, name="tree_import"),
    path("trees/import/template/", views.tree_template, name="tree_template"),
    path("trees/<int:pk>/", views.tree_detail, name="tree_detail"),
    path("trees/<int:pk>/export/", views.tree_export, name="tree_export"),
    path("trees/<int:pk>/<slug:action>/", views.tree_action, name="tree_action"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("cycles/new/", views.cycle_new, name="cycle_new"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/results/", views.results, name="results"),
    path("cycles/<int:pk>/bulletin.docx", views.bulletin_download, name="bulletin"),
    path("cycles/<int:pk>/units/<int:unit_pk>/", views.submission, name="submission"),
    path(
        "cycles/<int:pk>/units/<int:unit_pk>/<slug:action>/",
        views.submission_action,
        name="submission_action",
    ),
    path("cycles/<int:pk>/<slug:action>/", views.cycle_action, name="cycle_action"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("deductions/<int:pk>/appeal/", views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
]
