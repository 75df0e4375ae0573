"""Open311 GeoReport v2, mounted at /open311/v2/: every resource as .xml or .json."""

from django.urls import path, re_path

from fazhi.hotline import open311

app_name = "open311"

FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns = [
    path("", open311.root, name="root"),
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/.]+)" + FMT, open311.service_definition, name="service"),
    re_path(r"^requests" + FMT, open311.requests_view, name="requests"),
    re_path(r"^requests/(?P<pk>\d+)" + FMT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/.]+)" + FMT, open311.token_detail, name="token"),
]
