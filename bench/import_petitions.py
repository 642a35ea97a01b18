"""Importing 100,000 petitions from an .xlsx workbook (issue 8): the time to read, validate
and write them (with their items, petitioners and history rows), all or nothing.

Run:  DATABASE_URL=postgres://…/db .venv/bin/python bench/import_petitions.py [--rows 100000]
It makes a council BENCH-IMP (once), writes the workbook to a temporary folder, times a dry run
and the import, then deletes the imported petitions. Target: under 60 s for 100,000 rows."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilportal.settings")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402

from councilportal.models import Council  # noqa: E402
from councilportal.spreadsheets.importing import Operator, get_import_kind, run_import  # noqa: E402

SUBJECTS = [
    ("Khiếu nại quyết định thu hồi đất", "Khiếu nại", "Đất đai, nhà ở"),
    ("Kiến nghị sửa chữa đường liên xã", "Kiến nghị", "Kinh tế - ngân sách"),
    ("Phản ánh ô nhiễm từ cơ sở chăn nuôi", "Phản ánh", "Tài nguyên - môi trường"),
    ("Tố cáo cán bộ địa chính nhận tiền", "Tố cáo", "Hành chính"),
]


def workbook(path: Path, rows: int) -> None:
    kind = get_import_kind("petitions")
    assert kind is not None
    headers = [c.header for c in kind.columns]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đơn thư")
    sheet.append(headers)
    rng = random.Random(8)
    for n in range(rows):
        subject, kind_label, field = rng.choice(SUBJECTS)
        received = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
        values = {
            "Mã HĐND": "BENCH-IMP",
            "Ngày nhận": received.strftime("%d/%m/%Y"),
            "Hình thức tiếp nhận": "Qua bưu điện",
            "Trích yếu": f"{subject} ({n})",
            "Loại đơn": kind_label,
            "Lĩnh vực": field,
            "Địa bàn": f"Thôn {n % 50}",
            "Nội dung": f"{subject}: đề nghị xem xét, giải quyết theo quy định.",
            "Họ tên người gửi đơn": f"Nguyễn Văn {n}",
            "Địa chỉ người gửi đơn": f"Thôn {n % 50}",
            "Điện thoại": f"09{n:08d}",
        }
        sheet.append([values.get(h, "") for h in headers])
    book.save(path)


def forget(council: Council) -> None:
    """Delete the bench's petitions and their history rows in SQL (the ORM's delete writes a
    history row per record, minutes for 100,000 petitions, and is not what is measured)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        ids = "SELECT id FROM petitions_petition WHERE council_id = %s"
        for table in ("petitions_petitioner", "petitions_petitionitem"):
            cursor.execute(
                f"DELETE FROM petitions_historical{table[len('petitions_') :]} "
                f"WHERE petition_id IN ({ids})",
                [council.pk],
            )
            cursor.execute(f"DELETE FROM {table} WHERE petition_id IN ({ids})", [council.pk])
        cursor.execute(
            "DELETE FROM petitions_historicalpetition WHERE council_id = %s", [council.pk]
        )
        cursor.execute("DELETE FROM petitions_petition WHERE council_id = %s", [council.pk])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    council, _ = Council.objects.get_or_create(
        code="BENCH-IMP",
        defaults={
            "name": "HĐND tỉnh Nhập Liệu",
            "level": "province",
            "place_name": "Nhập Liệu",
            "administrative_name": "TỈNH NHẬP LIỆU",
        },
    )
    from petitions.models import Petition

    forget(council)
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    path = folder / "don-thu.xlsx"
    started = time.perf_counter()
    workbook(path, args.rows)
    size = path.stat().st_size
    print(
        f"workbook: {args.rows:,} rows, {size / 2**20:.1f} MB "
        f"({time.perf_counter() - started:.1f} s)"
    )
    kind = get_import_kind("petitions")
    assert kind is not None
    for dry_run in (True, False):
        started = time.perf_counter()
        with path.open("rb") as handle:
            report = run_import(kind=kind, upload=handle, user=Operator(), dry_run=dry_run)
        elapsed = time.perf_counter() - started
        label = "dry run (read + validate)" if dry_run else "import (read + validate + write)"
        print(
            f"{label}: {elapsed:.1f} s, {report.created:,} petitions, "
            f"{len(report.errors)} invalid, committed={report.committed}"
        )
    stored = Petition.objects.filter(council=council).count()
    print(f"stored: {stored:,} petitions")
    forget(council)


if __name__ == "__main__":
    main()
