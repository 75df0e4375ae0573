from django.urls import path

from fazhi.cases import views

app_name = "cases"

urlpatterns = [
    path("workbench/", views.workbench, name="workbench"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.notice_read, name="notice_read"),
    path("", views.case_list, name="list"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/<slug:action>/", views.case_action, name="action"),
    path(
        "<int:pk>/supervision/<int:supervision_pk>/resolve/",
        views.supervision_resolve,
        name="supervision_resolve",
    ),
]
