"""`python manage.py import_docs > docs/import.md`: the import templates documented from their
declarations (a test checks that docs/import.md is up to date)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from councilportal.importing import import_kinds

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
  a row for a council the user may not write is refused.
- A row that matches an existing record (see "matched by") updates it; a row identical to the
  stored record is reported as unchanged and writes nothing; other rows create records.
- **All or nothing:** the preview (dry run) writes nothing; the import writes every row, or none
  when any row is invalid. Every invalid row is reported with its line number and messages.
- Exporting a list ("Xuất Excel") of councils, agencies, delegates, sessions or voters'
  recommendations produces this same template, so a register can be exported, corrected in
  Excel and imported back. The registers of resolutions and petitions export a readable
  register instead (petitions with the denouncer's identity redacted).
- **Petitions** are imported in bulk (years of a register at once): one petition per row with
  one item and one petitioner. A row's number, if given, must be new for that council and year;
  an empty number takes the year's next one. Each item's triage due date is computed from the
  rules and the holiday calendar as at intake. The petitioner's identity is encrypted as it is
  written; a **denunciation's** identity columns may be filled only by the council's
  confidential petition handler (or from the command line), and the rows are refused otherwise.
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
