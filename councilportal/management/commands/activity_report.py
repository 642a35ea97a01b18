"""`python manage.py activity_report --council HY --from 01/12/2022 --to 01/03/2023
--output report.pdf` (ISO dates also accepted): the periodic activity report of a council
(with the councils below it) as a PDF, rendered here and now through the same template and
figures as the dashboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilportal.dashboard.reports import activity_report_context
from councilportal.documents.registry import get_kind
from councilportal.documents.render import render_pdf
from councilportal.models import ActivityReport, Council


def _date(value: str) -> dt.date:
    """dd/mm/yyyy, as every form and file of the portal writes dates, or YYYY-MM-DD."""
    for parse in (
        lambda v: dt.datetime.strptime(v, "%d/%m/%Y").date(),
        dt.date.fromisoformat,
    ):
        try:
            return parse(value.strip())
        except ValueError:
            continue
    raise CommandError(f"Not a date (dd/mm/yyyy or YYYY-MM-DD): {value!r}")


class Command(BaseCommand):
    help = "Render the activity report of a council and period to a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="The council's code, e.g. HY.")
        parser.add_argument(
            "--from", dest="start", required=True, help="dd/mm/yyyy (or YYYY-MM-DD)"
        )
        parser.add_argument("--to", dest="end", required=True, help="dd/mm/yyyy (or YYYY-MM-DD)")
        parser.add_argument("--output", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--only-this-council",
            action="store_true",
            help="Leave out the councils below it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        council = Council.objects.filter(code=options["council"]).first()
        if council is None:
            raise CommandError(f"No council has the code {options['council']!r}.")
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("The end of the period is before its start.")
        # Not saved: the command line makes a file, not a record in the portal.
        report = ActivityReport(
            council=council,
            include_below=not options["only_this_council"],
            period_start=start,
            period_end=end,
        )
        kind = get_kind("core.activity-report")
        assert kind is not None
        rendered = render_pdf(kind.template, activity_report_context(report))
        output = Path(options["output"])
        output.write_bytes(rendered.content)
        self.stdout.write(
            f"{output}: {rendered.page_count} page(s), {len(rendered.content):,} bytes "
            f"({council.name}, {start:%d/%m/%Y}–{end:%d/%m/%Y})."
        )
