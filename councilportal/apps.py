from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared core: councils, people, roles, access, audit, documents."""

    name = "councilportal"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .deadlines import register_recomputer
        from .importing import autodiscover_imports
        from .registry import autodiscover, autodiscover_dashboard
        from .reminders import register_reminder, remind_follow_ups
        from .secrets import check_production_secrets  # noqa: F401 - registers the deploy check
        from .services import follow_ups_recompute
        from .two_factor import remember_need

        autodiscover()
        autodiscover_dashboard()
        autodiscover_imports()
        register_recomputer("follow-ups", follow_ups_recompute)
        register_reminder("follow-ups", remind_follow_ups)
        user_logged_in.connect(remember_need, dispatch_uid="two-factor-need")
