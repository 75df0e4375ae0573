"""Login and password-change forms that route through the security services."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError

from fazhi.core import security_services
from fazhi.core.security_services import LoginRefused


class LoginForm(AuthenticationForm):
    """Counts failures and locks the account (等保 8.1.4.1 b); one message for every failure."""

    username = forms.CharField(label="账号", max_length=150)
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            try:
                self.user_cache = security_services.login_attempt(
                    request=self.request, username=username, password=password
                )
            except LoginRefused as refused:
                raise ValidationError(str(refused), code=refused.code) from None
        return self.cleaned_data


class FazhiPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "当前密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and self.user.check_password(new):
            self.add_error("new_password1", "新密码不能与当前密码相同。")
        return cleaned

    def save(self, commit: bool = True):
        return security_services.password_change(
            user=self.user, new_password=self.cleaned_data["new_password1"]
        )
