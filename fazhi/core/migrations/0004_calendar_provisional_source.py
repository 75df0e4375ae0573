from django.db import migrations, models

# The note the weekend draft used to carry; such days were drafts, now marked by their source.
WEEKEND_DRAFT_NOTE = "按周休日生成，须按国务院办公厅当年放假通知录入节假日和调休上班日"


def mark_drafts(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.filter(source="manual", note=WEEKEND_DRAFT_NOTE).update(source="provisional")


def unmark_drafts(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.filter(source="provisional").update(source="manual", note=WEEKEND_DRAFT_NOTE)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_seed_calendar"),
    ]

    operations = [
        migrations.AlterField(
            model_name="calendarday",
            name="source",
            field=models.CharField(
                choices=[
                    ("statutory", "国务院放假安排"),
                    ("local", "地方规定"),
                    ("manual", "人工调整"),
                    ("provisional", "暂按周休日"),
                ],
                default="statutory",
                max_length=16,
                verbose_name="来源",
            ),
        ),
        migrations.RunPython(mark_drafts, unmark_drafts),
    ]
