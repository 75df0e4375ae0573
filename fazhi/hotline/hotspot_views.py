"""The hotspot page: where requests pile up this week against the week before (热点与预警)."""

import json
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from fazhi.hotline.hotspots import hotspot_cells
from fazhi.hotline.selectors import tickets_visible_to
from fazhi.org.permissions import roles_of

WINDOWS = {"7": 7, "14": 14, "30": 30}


@login_required
def hotspots(request):
    if not roles_of(request.user):
        raise PermissionDenied("您的账号还没有任何任职，请联系安全管理员授权。")
    days = WINDOWS.get(request.GET.get("days", "7"), 7)
    end = timezone.localdate() + timedelta(days=1)
    cells = hotspot_cells(tickets_visible_to(request.user), end=end, days=days)
    top_categories = list(dict.fromkeys(c.category for c in cells))[:15]
    top_streets = list(dict.fromkeys(c.street for c in cells))[:15]
    heat = [
        [top_streets.index(c.street), top_categories.index(c.category), c.current]
        for c in cells
        if c.category in top_categories and c.street in top_streets
    ]
    chart = {"streets": top_streets, "categories": top_categories, "heat": heat}
    return render(
        request,
        "hotline/hotspots.html",
        {
            "days": days,
            "windows": WINDOWS,
            "spikes": [c for c in cells if c.spike],
            "cells": cells[:50],
            "chart": json.dumps(chart, ensure_ascii=False),
        },
    )
