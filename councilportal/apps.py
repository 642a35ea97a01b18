from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared core: councils, people, roles, access, audit, documents."""

    name = "councilportal"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from councilportal.deadlines import register_recomputer
        from councilportal.documents.registry import autodiscover, autodiscover_dashboard
        from councilportal.follow_ups.reminders import register_reminder, remind_follow_ups
        from councilportal.follow_ups.services import follow_ups_recompute
        from councilportal.security.secrets import (  # noqa: F401 - registers the deploy check
            check_production_secrets,
        )
        from councilportal.security.two_factor import remember_need
        from councilportal.spreadsheets.importing import autodiscover_imports

        # The core's own printable kinds and import kinds live by mechanism, not in the
        # `<app>.documents` / `<app>.imports` modules that autodiscovery looks for: import them
        # first (the core comes first in INSTALLED_APPS, so the registration order is unchanged).
        import_module("councilportal.councils.documents")
        import_module("councilportal.dashboard.reports")
        import_module("councilportal.councils.imports")
        autodiscover()
        autodiscover_dashboard()
        autodiscover_imports()
        register_recomputer("follow-ups", follow_ups_recompute)
        register_reminder("follow-ups", remind_follow_ups)
        user_logged_in.connect(remember_need, dispatch_uid="two-factor-need")
