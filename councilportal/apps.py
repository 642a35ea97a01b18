from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

# The modules each app may declare its part of a shared mechanism in (ARCHITECTURE.md):
# document kinds, a dashboard section, import kinds, reminder sources.
DISCOVERED = ("documents", "dashboard", "imports", "reminders")


class CoreConfig(AppConfig):
    """The shared core: councils, people, roles, access, audit, documents."""

    name = "councilportal"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.utils.module_loading import autodiscover_modules

        from councilportal.deadlines import register_recomputer
        from councilportal.follow_ups.services import follow_ups_recompute
        from councilportal.security.secrets import (  # noqa: F401 - registers the deploy check
            check_production_secrets,
        )
        from councilportal.security.two_factor import remember_need

        # The core's own printable kinds, dashboard section, import kinds and reminder source
        # live by mechanism, not in the `<app>.documents` / `<app>.imports`… modules that
        # autodiscovery looks for: import them first (the core comes first in INSTALLED_APPS,
        # so the registration order is unchanged).
        import_module("councilportal.councils.documents")
        import_module("councilportal.dashboard.reports")
        import_module("councilportal.councils.imports")
        import_module("councilportal.follow_ups.reminders")
        autodiscover_modules(*DISCOVERED)
        register_recomputer("follow-ups", follow_ups_recompute)
        user_logged_in.connect(remember_need, dispatch_uid="two-factor-need")


def app_modules(name: str) -> list[ModuleType]:
    """Every installed app's module `name` (`demo`, `bench`, `migrations`…), in the order of
    INSTALLED_APPS: what `autodiscover_modules` imports, handed back."""
    return [
        import_module(f"{config.name}.{name}")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, name)
    ]
