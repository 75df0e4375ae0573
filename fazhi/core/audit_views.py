# Scaffolding: the owner of this module replaces it with real views.
from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("audit/", lambda r: HttpResponse("audit"), name="audit_log")]
