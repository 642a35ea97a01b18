"""Legal periods of petition handling (DOMAIN.md §2, §9) as effective-dated rules.

A plain "ngày" is calendar days (only its last day rolls to the next working day); "ngày làm
việc" skips non-working days. The legal basis is shown to users in every due date's explanation:
it names the text and nothing else. Two figures are still to be checked against the texts
(DOMAIN.md §2, UNCONFIRMED): whether the 10-day triage period of Circular 05/2021/TT-TTCP counts
working or calendar days, and the 10-day answer to a recommendation (Law on Citizen Reception
2013, art. 28). An administrator corrects a row, no deploy needed.
"""

import datetime as dt

from django.db import migrations

START = dt.date(2014, 7, 1)

RULES = [
    # key, description, value, unit, strict, valid_from, valid_to, legal basis
    ("petition.triage", "Xử lý, phân loại đơn kể từ ngày nhận đơn",
     "10", "working_days", False, START, None,
     "Thông tư 05/2021/TT-TTCP"),
    ("petition.denunciation.forward", "Chuyển đơn tố cáo không thuộc thẩm quyền",
     "5", "working_days", False, dt.date(2019, 1, 1), None,
     "Luật Tố cáo 2018, Điều 24 khoản 2"),
    ("petition.denunciation.accept", "Vào sổ, phân loại, kiểm tra điều kiện thụ lý tố cáo",
     "7", "working_days", False, dt.date(2019, 1, 1), None,
     "Luật Tố cáo 2018, Điều 24 khoản 1"),
    ("petition.denunciation.accept_extended", "Kiểm tra điều kiện thụ lý tố cáo (gia hạn)",
     "10", "working_days", False, dt.date(2019, 1, 1), None,
     "Luật Tố cáo 2018, Điều 24 khoản 1"),
    ("petition.denunciation.result", "Cơ quan nhận đơn tố cáo được chuyển thông báo kết quả",
     "20", "calendar_days", False, dt.date(2019, 1, 1), None,
     "Luật Tố cáo 2018, Điều 26 khoản 2"),
    ("petition.denunciation.resolve", "Giải quyết tố cáo",
     "30", "calendar_days", False, dt.date(2019, 1, 1), None, "Luật Tố cáo 2018, Điều 30"),
    ("petition.denunciation.resolve_complex", "Giải quyết tố cáo phức tạp (gia hạn một lần)",
     "60", "calendar_days", False, dt.date(2019, 1, 1), None, "Luật Tố cáo 2018, Điều 30"),
    ("petition.denunciation.resolve_very_complex",
     "Giải quyết tố cáo đặc biệt phức tạp (gia hạn hai lần)",
     "90", "calendar_days", False, dt.date(2019, 1, 1), None, "Luật Tố cáo 2018, Điều 30"),
    ("petition.complaint.accept", "Thụ lý khiếu nại và thông báo bằng văn bản",
     "10", "calendar_days", False, dt.date(2012, 7, 1), None, "Luật Khiếu nại 2011, Điều 27"),
    ("petition.complaint.resolve", "Giải quyết khiếu nại lần đầu",
     "30", "calendar_days", False, dt.date(2012, 7, 1), None, "Luật Khiếu nại 2011, Điều 28"),
    ("petition.complaint.resolve_complex", "Giải quyết khiếu nại lần đầu, vụ việc phức tạp",
     "45", "calendar_days", False, dt.date(2012, 7, 1), None, "Luật Khiếu nại 2011, Điều 28"),
    ("petition.complaint.resolve_remote", "Giải quyết khiếu nại lần đầu ở vùng sâu, vùng xa",
     "45", "calendar_days", False, dt.date(2012, 7, 1), None, "Luật Khiếu nại 2011, Điều 28"),
    ("petition.complaint.resolve_remote_complex",
     "Giải quyết khiếu nại lần đầu ở vùng sâu, vùng xa, vụ việc phức tạp",
     "60", "calendar_days", False, dt.date(2012, 7, 1), None, "Luật Khiếu nại 2011, Điều 28"),
    ("petition.complaint.limitation", "Thời hiệu khiếu nại",
     "90", "calendar_days", False, dt.date(2012, 7, 1), None, "Luật Khiếu nại 2011, Điều 9"),
    ("petition.recommendation.answer", "Trả lời kiến nghị, phản ánh",
     "10", "calendar_days", False, START, None,
     "Luật Tiếp công dân 2013, Điều 28"),
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
        ("petitions", "0001_initial"),
        ("core", "0006_load_reminder_rules"),
    ]
    operations = [migrations.RunPython(load, unload)]
