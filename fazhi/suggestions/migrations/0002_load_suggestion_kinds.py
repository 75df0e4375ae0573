from django.db import migrations


def load(apps, schema_editor):
    from fazhi.suggestions.catalogue import load_suggestion_kinds

    load_suggestion_kinds(
        apps.get_model("suggestions", "SuggestionKind"), apps.get_model("cases", "CaseType")
    )


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial"), ("cases", "0002_load_case_types")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
