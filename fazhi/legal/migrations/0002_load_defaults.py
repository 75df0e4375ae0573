from django.db import migrations


def load(apps, schema_editor):
    from fazhi.legal.catalogue import load_defaults

    load_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial"), ("cases", "0002_load_case_types")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
