from django.db import migrations


def load(apps, schema_editor):
    from fazhi.cases.catalogue import load_case_types

    load_case_types(apps.get_model("cases", "CaseType"), apps.get_model("cases", "CaseStage"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
