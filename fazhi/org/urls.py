# Scaffolding routes: the app's owner replaces these with real views.
from django.http import HttpResponse
from django.urls import path

app_name = "org"

urlpatterns = [
    path("unit_list/", lambda r: HttpResponse("unit_list"), name="unit_list"),
    path("staff_list/", lambda r: HttpResponse("staff_list"), name="staff_list"),
    path("responsibility_list/", lambda r: HttpResponse("responsibility_list"), name="responsibility_list"),
    path("boundary_list/", lambda r: HttpResponse("boundary_list"), name="boundary_list"),
    path("units/<int:pk>/", lambda r, pk: HttpResponse("unit"), name="unit_detail"),
]
