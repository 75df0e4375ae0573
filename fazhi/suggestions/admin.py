"""Back office of suggestions and proposals: the kinds with their reply periods, the escalation
rules, sessions and deputies are configuration and registers edited here through the services;
the casework itself is changed only on the staff pages."""

from django import forms
from django.contrib import admin

from fazhi.core.admin import FazhiModelAdmin
from fazhi.core.deadlines import Period
from fazhi.org.admin import ServiceAdmin
from fazhi.suggestions import services
from fazhi.suggestions.models import EscalationRule, Representative, Session, SuggestionKind


class SuggestionKindForm(forms.ModelForm):
    class Meta:
        model = SuggestionKind
        fields = [
            "code",
            "case_type",
            "name",
            "period",
            "urgent_period",
            "legal_basis",
            "confidence",
            "sort_order",
            "is_active",
        ]

    def _period(self, name: str) -> str:
        value = self.cleaned_data[name].strip()
        if value:
            try:
                Period.parse(value)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return value

    def clean_period(self):
        return self._period("period")

    def clean_urgent_period(self):
        return self._period("urgent_period")


@admin.register(SuggestionKind)
class SuggestionKindAdmin(FazhiModelAdmin):
    form = SuggestionKindForm
    list_display = ["name", "case_type", "period", "urgent_period", "confidence", "is_active"]
    list_filter = ["case_type", "confidence", "is_active"]


class _Saved(ServiceAdmin):
    """Create and change through one `<thing>_save` service."""

    service = None

    def _save(self, request, obj, data: dict):
        for name, value in data.items():
            setattr(obj, name, value)
        return type(self).service(actor=request.user, **{self.opts.model_name: obj})

    def create(self, request, data):
        return self._save(request, self.model(), data)

    def update(self, request, obj, data):
        return self._save(request, obj, data)


@admin.register(EscalationRule)
class EscalationRuleAdmin(_Saved):
    service = staticmethod(
        lambda actor, escalationrule: services.escalation_rule_save(actor=actor, rule=escalationrule)
    )
    list_display = ["name", "case_type", "overdue_by", "level", "period", "issued_by", "is_active"]
    list_filter = ["case_type", "level", "is_active"]
    fields = ["name", "case_type", "overdue_by", "level", "period", "reason", "issued_by", "is_active"]
    raw_id_fields = ["issued_by"]


@admin.register(Session)
class SessionAdmin(_Saved):
    service = staticmethod(services.session_save)
    list_display = ["name", "body", "opened_on", "period", "return_window", "rehandle_period", "is_active"]
    list_filter = ["body", "is_active"]
    fields = [
        "body",
        "name",
        "term",
        "meeting",
        "opened_on",
        "period",
        "return_window",
        "rehandle_period",
        "is_active",
    ]


@admin.register(Representative)
class RepresentativeAdmin(_Saved):
    service = staticmethod(services.representative_save)
    list_display = ["name", "body", "group", "organisation", "is_active"]
    list_filter = ["body", "is_active"]
    search_fields = ["name", "group"]
    fields = ["body", "name", "group", "organisation", "phone", "is_active"]
