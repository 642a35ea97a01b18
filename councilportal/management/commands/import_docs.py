"""`python manage.py import_docs > docs/import.md`: the import templates documented from their
declarations (a test checks that docs/import.md is up to date)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from councilportal.spreadsheets.importing import import_kinds

INTRO = """# Importing records from spreadsheets

Secretariats keep years of records in Excel. Every kind below can be imported from an `.xlsx`
workbook (first sheet) or a `.csv` file (UTF-8, comma or semicolon separated), in the portal
(**Danh mục → Nhập dữ liệu từ bảng tính**) or from the command line:

```sh
.venv/bin/python manage.py import_records KIND FILE [--dry-run]
```

- Download the template of a kind from the import page: Vietnamese headers and one example row.
  Columns are found by their header (case and accents ignored), in any order; extra columns are
  ignored. The first row holds the headers; line numbers in error reports count it as line 1.
- Dates are written **dd/mm/yyyy** (a date cell of Excel is accepted too). Yes/no columns take
  "Có"/"Không" (or x, 1). Choice columns take the label shown in the portal, in Vietnamese or
  English, or the code.
- Each row is checked by the same form as the portal's page, with the importing user's rights:
  a row for a council the user may not write is refused, and a row that matches a record the
  user may read but not change (a council below a province clerk's or a leader's, say) is
  refused with the reason, exactly as its edit page refuses them.
- A value that is not valid is named, with the valid values: a choice column lists its labels;
  a term, session, council or agency that is not found is named with the values the user may
  write (e.g. "Khóa (số): không tìm thấy nhiệm kỳ “18” … Giá trị hợp lệ: 17.").
- Import in this order, each kind naming what the previous ones created: `councils`, `terms`,
  `agencies`, `delegates`, `sessions`, then `resolutions`, `voter-recommendations`,
  `petitions`; `users` once the councils exist. Templates are named by the Vietnamese label
  (`mau-nhap-dai-bieu.xlsx`, …). A finished import opens the register its rows went into,
  narrowed to their council and the councils below it.
- A row that matches an existing record (see "matched by") updates it; a row identical to the
  stored record is reported as unchanged and writes nothing; other rows create records.
- **All or nothing:** the preview (dry run) writes nothing; the import writes every row, or none
  when any row is invalid. Every invalid row is reported with its line number and messages.
- Exporting a list ("Xuất Excel") of councils, terms, agencies, delegates, sessions or voters'
  recommendations produces this same template, so a register can be exported, corrected in
  Excel and imported back. The registers of resolutions and petitions export a readable
  register instead (petitions name their petitioner, a denunciation's identity redacted).
- **Petitions** are imported in bulk (years of a register at once): one petition per row with
  one item and one petitioner. A row's number, if given, must be new for that council and year;
  an empty number takes the year's next one. Each item's triage due date is computed from the
  rules and the holiday calendar as at intake. The petitioner's identity is encrypted as it is
  written; a **denunciation's** identity columns may be filled only by the council's
  confidential petition handler (or from the command line), and the rows are refused otherwise.
  This differs from intake on purpose: a clerk who receives one denunciation at the desk types
  its denouncer's identity in the form (write-only: never shown back to them), but a spreadsheet
  of many identities is a file outside the portal that only the accountable handler should hold.
  The handling already done comes along: with "Cơ quan được chuyển đơn" (an agency of the
  council) and "Ngày chuyển đơn", the item is forwarded through the same service as the
  "Chuyển đơn" button (a forwarding slip, numbered "Số phiếu chuyển" when given — it must be
  new — or the year's next number, and a follow-up whose due date comes from the rules); with
  "Ngày nhận trả lời" and "Kết quả giải quyết", the agency's answer is recorded on it.
- **Sessions** carry their status ("Trạng thái": Dự kiến / Đã triệu tập / Đang họp / Đã bế
  mạc), moved forward through the session service, never back. Left empty, a session whose
  actual closing date is past is "Đã bế mạc" and one whose actual opening is past "Đang họp".
- **Users and roles** (`users`) are imported only by an administrator (the Administrator role,
  for their council and the councils below it; or from the command line). One row per role.
  An existing login is given a role only when it works for councils the administrator
  manages. **No password is ever in the file**: a new user gets an unusable password, and the
  result of the import shows once, per new user, a link to set their own password
  (`/password/set/…`, Django's password-reset token: valid `PASSWORD_RESET_TIMEOUT`, three days
  by default, and void once used). The command line prints the links (prefix them with the
  portal's address). Hand each link to its user privately.
- **Limits.** A workbook may unpack to at most 500 MB; every sheet's cell references are read
  before the sheet is, and a sheet reaching past row 500,001, column 1,024 or 20 million cells
  (counted from A1 to its farthest cell, however few cells it has) is refused with the row
  and column it reaches. Between the preview and the confirmation the file is kept encrypted
  with the field keys (`FIELD_ENCRYPTION_KEYS`) under `MEDIA_ROOT/imports/`; a preview not
  confirmed within the hour is deleted by the next import or by the `purge-import-stashes`
  beat job (every 15 minutes).
"""


class Command(BaseCommand):
    help = "Print docs/import.md: every import template's columns and matching rules."

    def handle(self, *args: Any, **options: Any) -> None:
        lines = [INTRO]
        with translation.override("vi"):
            for kind in import_kinds():
                lines.append(f"## `{kind.key}` — {kind.label}\n")
                lines.append(f"An existing record is matched by: **{kind.match_rule}**.\n")
                lines.append("| column | required | format | example |")
                lines.append("|---|---|---|---|")
                for column in kind.columns:
                    required = "yes" if column.required else ""
                    lines.append(
                        f"| {column.header} | {required} | {column.fmt} | {column.example} |"
                    )
                lines.append("")
        self.stdout.write("\n".join(lines))
