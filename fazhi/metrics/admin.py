"""Back office: when the rollups last ran and what they redid (read-only; runs are made by
`fazhi metrics rollup`, never by hand here)."""

from django.contrib import admin

from fazhi.core.admin import FazhiModelAdmin
from fazhi.metrics.models import RollupRun


@admin.register(RollupRun)
class RollupRunAdmin(FazhiModelAdmin):
    allow_add = allow_change = allow_delete = False
    list_display = ["started_at", "finished_at", "full", "since", "days", "rows"]
    list_filter = ["full"]
