from django.urls import path

from fazhi.legal import views

app_name = "legal"

urlpatterns = [
    path("", views.home, name="home"),
    path("reconsideration/", views.reconsideration_list, name="reconsideration_list"),
    path("reconsideration/new/", views.reconsideration_new, name="reconsideration_new"),
    path("reconsideration/<int:pk>/", views.reconsideration_detail, name="reconsideration_detail"),
    path(
        "reconsideration/<int:pk>/<slug:action>/", views.reconsideration_action, name="reconsideration_action"
    ),
    path("documents/<int:pk>/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/issue/", views.document_issue, name="document_issue"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("answers/files/<int:pk>/", views.answer_file_download, name="answer_file_download"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up_detail"),
    path("follow-ups/<int:pk>/draft/", views.follow_up_draft, name="follow_up_draft"),
    path("litigation/", views.lawsuit_list, name="lawsuit_list"),
    path("litigation/new/", views.lawsuit_new, name="lawsuit_new"),
    path("litigation/<int:pk>/", views.lawsuit_detail, name="lawsuit_detail"),
    path("litigation/<int:pk>/<slug:action>/", views.lawsuit_action, name="lawsuit_action"),
    path("figures/", views.figures, name="figures"),
    path("figures/records/", views.figure_records, name="figure_records"),
    path("import/<slug:kind>/", views.import_records, name="import"),
]
