from django.urls import path

from fazhi.suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("new/", views.suggestion_new, name="new"),
    path("overview/", views.overview, name="overview"),
    path("export/", views.suggestion_export, name="export"),
    path("import/", views.suggestion_import, name="import"),
    path("import/template/", views.suggestion_template, name="template"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.suggestion_action, name="action"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/overview/", views.proposal_overview, name="proposal_overview"),
    path("proposals/export/", views.proposal_export, name="proposal_export"),
    path("proposals/import/", views.proposal_import, name="proposal_import"),
    path("proposals/import/template/", views.proposal_template, name="proposal_template"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/<slug:action>/", views.proposal_action, name="proposal_action"),
    path("sessions/", views.sessions, name="sessions"),
    path("representatives/", views.representatives, name="representatives"),
    path("public/", views.public_answers, name="public_answers"),
    path("public/<int:pk>/", views.public_answer, name="public_answer"),
]
