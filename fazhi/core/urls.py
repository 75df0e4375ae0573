# Scaffolding routes: the app's owner replaces these with real views.
from django.http import HttpResponse
from django.urls import path

app_name = "core"

urlpatterns = [
    path("calendar/", lambda r: HttpResponse("calendar"), name="calendar"),
    path("audit_log/", lambda r: HttpResponse("audit_log"), name="audit_log"),
]
