from django.urls import path

from fazhi.reports import views

app_name = "reports"

urlpatterns = [
    path("review/", views.review, name="review"),
    path("compare/", views.compare, name="compare"),
]
