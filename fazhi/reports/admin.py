"""Back office: annual reports are read here; they change only through the staff pages and
services (each step audited, the deadline case kept in step)."""

from django.contrib import admin

from fazhi.cases.admin import ReadOnlyAdmin
from fazhi.reports.models import AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "level", "status", "due_date", "submitted_at", "published_at"]
    list_filter = ["year", "level", "status"]
    list_select_related = ["unit"]
    search_fields = ["title", "unit__name"]
