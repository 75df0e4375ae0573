from django.db import migrations


def load(apps, schema_editor):
    from fazhi.reports.annual import load_case_type

    load_case_type(apps.get_model("cases", "CaseType"), apps.get_model("cases", "CaseStage"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_annual_reports"), ("cases", "0002_load_case_types")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
