# Scaffolding routes: the app's owner replaces these with real views.
from django.http import HttpResponse
from django.urls import path

app_name = "cases"

urlpatterns = [
    path("workbench/", lambda r: HttpResponse("workbench"), name="workbench"),
    path("inbox/", lambda r: HttpResponse("inbox"), name="inbox"),
    path("list/", lambda r: HttpResponse("list"), name="list"),
    path("<int:pk>/", lambda r, pk: HttpResponse("detail"), name="detail"),
]
