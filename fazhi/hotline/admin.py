"""The 12345 configuration in the admin: the category tree, the routing table and local handling
limits. Requests themselves are casework with citizens' data and are not shown here."""

from django.contrib import admin

from fazhi.core.admin import FazhiModelAdmin
from fazhi.hotline import services
from fazhi.hotline.models import Category, HandlingLimit, RoutingRule
from fazhi.org.admin import ServiceAdmin


@admin.register(Category)
class CategoryAdmin(FazhiModelAdmin):
    list_display = ("code", "name", "level", "parent", "keywords", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name", "keywords")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    fields = ("code", "name", "level", "parent", "keywords", "is_active")


@admin.register(RoutingRule)
class RoutingRuleAdmin(ServiceAdmin):
    list_display = (
        "priority",
        "name",
        "category",
        "region",
        "request_type",
        "keywords",
        "lead_unit",
        "is_active",
    )
    list_display_links = ("name",)
    list_filter = ("is_active", "request_type")
    search_fields = ("name", "keywords", "category__name", "lead_unit__name")
    list_select_related = ("category", "region", "lead_unit")
    autocomplete_fields = ("category", "region", "lead_unit")
    filter_horizontal = ("co_units",)
    fields = (
        "name",
        "priority",
        "category",
        "region",
        "request_type",
        "keywords",
        "lead_unit",
        "co_units",
        "basis",
        "is_active",
    )

    def _save(self, request, rule: RoutingRule, data: dict) -> RoutingRule:
        co_units = list(data.pop("co_units", []))
        for name, value in data.items():
            setattr(rule, name, value)
        return services.routing_rule_save(actor=request.user, rule=rule, co_units=co_units)

    def create(self, request, data):
        return self._save(request, RoutingRule(), data)

    def update(self, request, obj, data):
        return self._save(request, obj, data)


@admin.register(HandlingLimit)
class HandlingLimitAdmin(ServiceAdmin):
    list_display = ("category", "request_type", "period", "sign_period", "basis")
    list_filter = ("request_type",)
    list_select_related = ("category",)
    autocomplete_fields = ("category",)
    fields = ("category", "request_type", "period", "sign_period", "basis")

    def _save(self, request, limit: HandlingLimit, data: dict) -> HandlingLimit:
        for name, value in data.items():
            setattr(limit, name, value)
        return services.handling_limit_save(actor=request.user, limit=limit)

    def create(self, request, data):
        return self._save(request, HandlingLimit(), data)

    def update(self, request, obj, data):
        return self._save(request, obj, data)
