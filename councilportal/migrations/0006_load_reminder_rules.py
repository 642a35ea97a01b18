"""Rules of the core's reminders: how early a due date is announced as "due soon"."""

import datetime as dt

from django.db import migrations

RULES = [
    # key, description, value, unit, strict, valid_from, valid_to, legal basis
    ("reminder.due_soon", "Nhắc việc sắp đến hạn trước hạn xử lý",
     "3", "working_days", False, dt.date(2016, 1, 1), None, "Quy chế làm việc của Văn phòng (cấu hình)"),
]


def load(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, description, value, unit, strict, start, end, basis in RULES:
        Rule.objects.update_or_create(
            key=key,
            council=None,
            valid_from=start,
            defaults={
                "description": description,
                "value": value,
                "unit": unit,
                "strict": strict,
                "valid_to": end,
                "legal_basis": basis,
            },
        )


def unload(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, *_rest in RULES:
        Rule.objects.filter(key=key, council=None).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0005_calendar_notifications_due_rules")]
    operations = [migrations.RunPython(load, unload)]
