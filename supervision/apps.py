from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    nav_label = _("Supervision")
    nav_url = "supervision:programme-list"

    def ready(self) -> None:
        from councilportal.deadlines import register_recomputer
        from councilportal.follow_ups.reminders import register_reminder

        from . import services

        register_reminder("supervision-milestones", services.remind_milestones)
        register_recomputer("supervision-milestones", services.milestones_recompute)
