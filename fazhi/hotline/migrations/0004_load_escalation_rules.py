from django.db import migrations

# (name, trigger, N, level 1 催办 / 2 督办 / 3 挂牌督办, period of the supervision). They are
# rows the city adapts; escalation.py documents what each trigger means.
DEFAULT_RULES = [
    ("超期1个工作日催办", "overdue", 1, 1, "2wd"),
    ("答复敷衍被退回催办", "sent_back", 1, 1, "2wd"),
    ("催办期满仍未办结转督办", "lapsed", 1, 2, "3wd"),
    ("重办2次及以上督办", "reopened", 2, 2, "3wd"),
    ("督办期满仍未办结挂牌督办", "lapsed", 1, 3, "5wd"),
]


def load(apps, schema_editor):
    rule_model = apps.get_model("hotline", "EscalationRule")
    if rule_model.objects.exists():
        return
    rule_model.objects.bulk_create(
        rule_model(name=name, trigger=trigger, threshold=threshold, level=level, period=period)
        for name, trigger, threshold, level, period in DEFAULT_RULES
    )


class Migration(migrations.Migration):
    dependencies = [("hotline", "0003_reply_review_routing_model_ratings_escalation")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
