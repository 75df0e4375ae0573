from django.urls import path

from fazhi.reports import views

app_name = "reports"

urlpatterns = [
    path("review/", views.review, name="review"),
    path("compare/", views.compare, name="compare"),
    path("annual/", views.annual_list, name="annual_list"),
    path("annual/new/", views.annual_create, name="annual_create"),
    path("annual/launch/", views.annual_launch, name="annual_launch"),
    path("annual/late/", views.annual_late, name="annual_late"),
    path("annual/<int:pk>/", views.annual_detail, name="annual_detail"),
    path("annual/<int:pk>/sections/<int:section_pk>/", views.annual_section, name="annual_section"),
    path(
        "annual/<int:pk>/sentences/<int:sentence_pk>/refresh/",
        views.sentence_refresh,
        name="sentence_refresh",
    ),
    path("annual/<int:pk>/report.docx", views.annual_docx, name="annual_docx"),
    path("annual/<int:pk>/report.html", views.annual_html, name="annual_html"),
    path("annual/<int:pk>/<slug:action>/", views.annual_action, name="annual_action"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]
