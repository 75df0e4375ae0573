"""Back office of 人民调解: the committees and their mediators are registers edited here through
the services; disputes, with the parties' personal data, are not shown here."""

from django.contrib import admin

from fazhi.mediation import services
from fazhi.mediation.models import Committee, Mediator
from fazhi.suggestions.admin import _Saved


@admin.register(Committee)
class CommitteeAdmin(_Saved):
    service = staticmethod(services.committee_save)
    list_display = ["name", "kind", "unit", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    list_select_related = ["unit", "region"]
    autocomplete_fields = ["unit", "region"]
    fields = ["name", "kind", "unit", "region", "established_on", "is_active"]


@admin.register(Mediator)
class MediatorAdmin(_Saved):
    service = staticmethod(services.mediator_save)
    list_display = ["name", "committee", "post", "is_active"]
    list_filter = ["post", "is_active"]
    search_fields = ["name", "committee__name"]
    list_select_related = ["committee"]
    autocomplete_fields = ["committee"]
    fields = ["committee", "name", "post", "phone", "is_active"]
