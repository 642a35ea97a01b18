"""Build the demo: `python manage.py seed_demo`. Safe to run again: nothing is duplicated."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from councilportal.demo import seed_core


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo councils, records and persona logins."

    def handle(self, *args: Any, **options: Any) -> None:
        out = self.stdout.write
        out("Seeding the demo (Hưng Yên, Khóa XVII–XVIII)…")
        councils = seed_core(out)
        for config in apps.get_app_configs():
            if config.name == "councilportal" or config.name.split(".")[0] not in {
                "sessions",
                "resolutions",
                "supervision",
                "petitions",
            }:
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            module.seed(out, councils)
        out(self.style.SUCCESS("Demo ready at http://127.0.0.1:8000 — log in with a login above."))
