"""The effective-date rule of legal normative resolutions as effective-dated rows (DOMAIN.md §5):
a local legal normative document takes effect no earlier than 10 days after it is adopted or
signed, unless the shortened procedure applies."""

import datetime as dt

from django.db import migrations

D = dt.date
RULES = [
    # key, description, value, unit, strict, valid_from, valid_to, legal basis
    ("resolution.normative_min_effective_days",
     "Nghị quyết quy phạm pháp luật của HĐND có hiệu lực không sớm hơn 10 ngày kể từ ngày thông qua",
     "10", "calendar_days", False, D(2016, 7, 1), D(2025, 3, 31),
     "Luật Ban hành văn bản quy phạm pháp luật 80/2015/QH13, Điều 151"),
    ("resolution.normative_min_effective_days",
     "Nghị quyết quy phạm pháp luật của HĐND có hiệu lực không sớm hơn 10 ngày kể từ ngày thông qua",
     "10", "calendar_days", False, D(2025, 4, 1), None,
     "Luật Ban hành văn bản quy phạm pháp luật 64/2025/QH15, Điều 57"),
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
        ("resolutions", "0001_initial"),
        ("core", "0004_load_rules"),
    ]

    operations = [migrations.RunPython(load, unload)]
