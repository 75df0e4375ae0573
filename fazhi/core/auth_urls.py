"""/accounts/: login, logout and password change, each audited (等保 8.1.4.1, 8.1.4.3)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import path

from fazhi.core import security_services
from fazhi.core.auth_forms import FazhiPasswordChangeForm, LoginForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)  # login() rotates the session key
        security_services.login_succeeded(user=form.get_user())
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            security_services.logout_recorded(user=request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = FazhiPasswordChangeForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(max_age_days=settings.FAZHI_PASSWORD_MAX_AGE_DAYS, **kwargs)


urlpatterns = [
    # Non-atomic even under ATOMIC_REQUESTS: a failed login's count and audit row must persist.
    path("login/", transaction.non_atomic_requests(LoginView.as_view()), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
