"""`python manage.py import_records KIND FILE [--dry-run]`: the spreadsheet importer of the
interface, from the command line (as the operator, who may write to every council)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilportal.spreadsheets.importing import Operator, get_import_kind, import_kinds, run_import


class Command(BaseCommand):
    help = "Import records from an .xlsx or .csv file (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="What the file holds: " + ", ".join(self._keys()))
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    @staticmethod
    def _keys() -> list[str]:
        return [kind.key for kind in import_kinds()]

    def handle(self, *args: Any, **options: Any) -> None:
        kind = get_import_kind(options["kind"])
        if kind is None:
            raise CommandError(
                f"Unknown kind {options['kind']!r}; one of: {', '.join(self._keys())}"
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as handle:
            report = run_import(
                kind=kind, upload=handle, user=Operator(), dry_run=options["dry_run"]
            )
        for message in report.file_errors:
            self.stderr.write(message)
        for row in report.errors:
            for message in row.errors:
                self.stderr.write(f"line {row.line}: {message}")
        summary = (
            f"{kind.key}: {report.created} to create, {report.updated} to update, "
            f"{len(report.errors)} invalid"
        )
        if report.committed:
            self.stdout.write(f"Imported. {summary}.")
            for note in report.notes:  # set-password links of new users, shown once
                self.stdout.write(note)
        elif options["dry_run"] and report.ok:
            self.stdout.write(f"Dry run, nothing written. {summary}.")
        else:
            raise CommandError(f"Nothing was imported. {summary}.")
