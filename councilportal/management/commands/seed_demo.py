"""Build the demo: `python manage.py seed_demo`. Safe to run again: nothing is duplicated."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilportal.apps import app_modules
from councilportal.councils.demo import seed_core


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo councils, records and persona logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off outside the demo (DEMO=1): never on a real portal.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo creates the superuser "quantri" with the password printed in the README and
        # resets every persona's password: on a real portal that is a way in for anyone.
        if not (settings.DEBUG or settings.DEMO or options["force"]):
            raise CommandError(
                "seed_demo creates logins with published passwords (a superuser among them) and "
                "resets them on every run: refused with DEBUG off. For the demo set DEMO=1 "
                "(`make run` does); to seed a production-like copy anyway, add --force."
            )
        out = self.stdout.write
        out("Seeding the demo (Hưng Yên, Khóa XVII–XVIII)…")
        councils = seed_core(out)
        for module in app_modules("demo"):
            module.seed(out, councils)  # the core's own: seed_core above
        out(self.style.SUCCESS("Demo data ready: log in with a login above."))
