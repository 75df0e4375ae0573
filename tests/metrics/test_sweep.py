"""The daily sweep keeps the rollups fresh, after every other app's rules have run."""

from io import StringIO

import pytest
from django.core.management import call_command

from fazhi.cases.management.commands.sweep import sweep_steps
from fazhi.metrics.compute import RAW, source_now
from fazhi.metrics.models import RollupRun

pytestmark = pytest.mark.django_db


def test_the_rollup_is_the_last_daily_step_so_it_sees_what_the_others_changed():
    assert [config.label for config in sweep_steps()][-1] == "metrics"


def test_after_the_sweep_the_cockpit_reads_rollups_not_raw_rows():
    assert source_now() == RAW
    out = StringIO()

    call_command("sweep", stdout=out)

    assert RollupRun.objects.filter(finished_at__isnull=False).count() == 1
    assert "指标：指标汇总" in out.getvalue()
    assert source_now() != RAW
