from django.urls import path

from fazhi.org import views

app_name = "org"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/grant/", views.membership_grant, name="membership_grant"),
    path("staff/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"),
    path("accounts/<int:pk>/security/", views.account_security, name="account_security"),
    path("responsibilities/", views.responsibility_list, name="responsibility_list"),
    path("boundaries/", views.boundary_list, name="boundary_list"),
    path("xlsx/<slug:kind>/template/", views.register_template, name="template"),
    path("xlsx/<slug:kind>/export/", views.register_export, name="export"),
    path("xlsx/<slug:kind>/import/", views.register_import, name="import"),
]
