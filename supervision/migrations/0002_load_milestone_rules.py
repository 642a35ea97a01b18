"""Lead times of the milestones of a supervision activity, counted from the milestone before.

The laws give no day counts for these steps (DOMAIN.md §3: "UNCONFIRMED, store them as
parameters"): they are the secretariat's working rules, held as effective-dated data with the
switch at 01/3/2026, when Law 121/2025/QH15 replaces Law 87/2015/QH13. The figures stay the same
across the switch (no new count is published yet) but each due date names the law in force on the
day it is counted from. An administrator changes a figure by adding a row, never by a deploy.
"""

import datetime as dt

from django.db import migrations

OLD = "Luật 87/2015/QH13; NQ 594/NQ-UBTVQH15 — thời hạn theo quy chế (cấu hình)"
NEW = "Luật 121/2025/QH15 — thời hạn theo quy chế (cấu hình)"
START_OLD = dt.date(2016, 7, 1)
SWITCH = dt.date(2026, 3, 1)
END_OLD = dt.date(2026, 2, 28)

RULES = [
    # key, description, value, unit, strict, valid_from, valid_to, legal basis
    ("supervision.plan_sent", "Gửi kế hoạch giám sát đến đối tượng chịu giám sát, kể từ ngày ban hành quyết định",
     "7", "working_days", False, START_OLD, END_OLD, OLD),
    ("supervision.plan_sent", "Gửi kế hoạch giám sát đến đối tượng chịu giám sát, kể từ ngày ban hành quyết định",
     "7", "working_days", False, SWITCH, None, NEW),
    ("supervision.reports_due", "Đối tượng chịu giám sát gửi báo cáo, kể từ ngày nhận kế hoạch",
     "15", "calendar_days", False, START_OLD, END_OLD, OLD),
    ("supervision.reports_due", "Đối tượng chịu giám sát gửi báo cáo, kể từ ngày nhận kế hoạch",
     "15", "calendar_days", False, SWITCH, None, NEW),
    ("supervision.field_visits", "Hoàn thành khảo sát, làm việc thực tế, kể từ hạn gửi báo cáo",
     "20", "working_days", False, START_OLD, END_OLD, OLD),
    ("supervision.field_visits", "Hoàn thành khảo sát, làm việc thực tế, kể từ hạn gửi báo cáo",
     "20", "working_days", False, SWITCH, None, NEW),
    ("supervision.draft_report", "Dự thảo báo cáo kết quả giám sát, kể từ khi kết thúc khảo sát",
     "15", "working_days", False, START_OLD, END_OLD, OLD),
    ("supervision.draft_report", "Dự thảo báo cáo kết quả giám sát, kể từ khi kết thúc khảo sát",
     "15", "working_days", False, SWITCH, None, NEW),
    ("supervision.adoption", "Thông qua báo cáo, kết luận giám sát, kể từ khi có dự thảo",
     "15", "calendar_days", False, START_OLD, END_OLD, OLD),
    ("supervision.adoption", "Thông qua báo cáo, kết luận giám sát, kể từ khi có dự thảo",
     "15", "calendar_days", False, SWITCH, None, NEW),
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
    dependencies = [
        ("supervision", "0001_initial"),
        ("core", "0006_load_reminder_rules"),
    ]
    operations = [migrations.RunPython(load, unload)]
