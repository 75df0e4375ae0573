from django.db import migrations


def load(apps, schema_editor):
    from fazhi.hotline.catalogue import load_categories

    load_categories(apps.get_model("hotline", "Category"))


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
