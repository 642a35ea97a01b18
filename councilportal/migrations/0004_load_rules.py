"""The legal numbers of DOMAIN.md as effective-dated rows (sessions, votes, confidence votes)."""

import datetime as dt

from django.db import migrations

D = dt.date
RULES = [
    # key, description, value, unit, strict, valid_from, valid_to, legal basis
    ("vote.ordinary", "Nghị quyết được thông qua khi quá nửa tổng số đại biểu biểu quyết tán thành",
     "1/2", "fraction", True, D(2016, 1, 1), D(2025, 6, 30), "Luật Tổ chức chính quyền địa phương 77/2015/QH13, Điều 91"),
    ("vote.ordinary", "Nghị quyết được thông qua khi quá nửa tổng số đại biểu biểu quyết tán thành",
     "1/2", "fraction", True, D(2025, 7, 1), None, "Luật Tổ chức chính quyền địa phương 72/2025/QH15, Điều 35"),
    ("vote.recall", "Bãi nhiệm đại biểu cần ít nhất hai phần ba tổng số đại biểu tán thành",
     "2/3", "fraction", False, D(2016, 1, 1), D(2025, 6, 30), "Luật Tổ chức chính quyền địa phương 77/2015/QH13, Điều 91"),
    ("vote.recall", "Bãi nhiệm đại biểu cần ít nhất hai phần ba tổng số đại biểu tán thành",
     "2/3", "fraction", False, D(2025, 7, 1), None, "Luật Tổ chức chính quyền địa phương 72/2025/QH15, Điều 35"),
    ("session.request_by_delegates", "Kỳ họp bất thường/chuyên đề khi ít nhất một phần ba tổng số đại biểu yêu cầu",
     "1/3", "fraction", False, D(2016, 1, 1), None, "Luật Tổ chức chính quyền địa phương 77/2015/QH13 Điều 78; 72/2025/QH15"),
    ("session.dossier_lead_days", "Tài liệu kỳ họp gửi đến đại biểu chậm nhất trước ngày khai mạc",
     "5", "calendar_days", False, D(2016, 1, 1), None, "Quy chế làm việc của HĐND (quy định trước đây: ít nhất 5 ngày)"),
    ("confidence.list_fixed", "Chốt danh sách người được lấy phiếu, đề nghị báo cáo (trước khai mạc)",
     "45", "calendar_days", False, D(2023, 7, 1), None, "Nghị quyết 96/2023/QH15, Điều 11"),
    ("confidence.self_report", "Người được lấy phiếu gửi bản tự kiểm điểm, kê khai tài sản (trước khai mạc)",
     "30", "calendar_days", False, D(2023, 7, 1), None, "Nghị quyết 96/2023/QH15, Điều 11"),
    ("confidence.mttq_summary", "Ủy ban MTTQ gửi báo cáo tổng hợp ý kiến cử tri (trước khai mạc)",
     "25", "calendar_days", False, D(2023, 7, 1), None, "Nghị quyết 96/2023/QH15, Điều 11"),
    ("confidence.papers_to_delegates", "Gửi tài liệu đến đại biểu HĐND (trước khai mạc)",
     "20", "calendar_days", False, D(2023, 7, 1), None, "Nghị quyết 96/2023/QH15, Điều 11"),
    ("confidence.low_half", "Quá nửa tổng số đại biểu đánh giá tín nhiệm thấp: có thể xin từ chức, nếu không thì bỏ phiếu tín nhiệm",
     "1/2", "fraction", True, D(2023, 7, 1), None, "Nghị quyết 96/2023/QH15, Điều 13"),
    ("confidence.low_two_thirds", "Từ hai phần ba tổng số đại biểu trở lên đánh giá tín nhiệm thấp: trình miễn nhiệm",
     "2/3", "fraction", False, D(2023, 7, 1), None, "Nghị quyết 96/2023/QH15, Điều 13"),
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
    dependencies = [("core", "0003_rules_attachments_follow_ups")]
    operations = [migrations.RunPython(load, unload)]
