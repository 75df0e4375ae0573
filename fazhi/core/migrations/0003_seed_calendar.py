"""Seed the work calendar 2015–2026 from the national holiday arrangements (chinese_calendar)."""

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2015, 2026


def seed(apps, schema_editor):
    from fazhi.core.calendar_seed import seed_years

    seed_years(apps.get_model("core", "CalendarDay"), FIRST_YEAR, LAST_YEAR)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop, elidable=False)]
