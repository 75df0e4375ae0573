"""Back office of 考核: read-only. Trees, cycles, scores and deductions change only through the
services on the staff pages (each write audited, deductions computed from records)."""

from django.contrib import admin

from fazhi.assessment.models import AssessmentCycle, Deduction, IndicatorTree, Result
from fazhi.core.admin import FazhiModelAdmin


class ReadOnlyAdmin(FazhiModelAdmin):
    allow_add = False
    allow_change = False


@admin.register(IndicatorTree)
class IndicatorTreeAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "status", "is_template", "updated_at"]
    list_filter = ["status", "is_template"]


@admin.register(AssessmentCycle)
class AssessmentCycleAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "tree", "status", "published_at"]
    list_filter = ["status", "year"]


@admin.register(Deduction)
class DeductionAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "unit", "indicator", "points", "case", "status"]
    list_filter = ["cycle", "status"]
    list_select_related = ["cycle", "unit", "indicator", "case"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "rank", "unit", "total", "lost"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "unit"]
